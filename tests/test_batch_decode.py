"""The batch decoder reads exactly what the row-by-row path reads, or leaves the rows to
it: never a different value. Hypothesis rows of every column kind (the golden
all_types tables) and JSON payloads written by other tools, read back both ways."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from golden_all_types.client import DbClient, create_db_client
from golden_all_types.models import NewProject, NewTask, Project, Task
from golden_all_types.repositories import ProjectRepository, TaskRepository
from golden_all_types.tables import PROJECTS, TASKS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generated.models import Workflow
from generated.tables import WORKFLOWS
from libsqlkit import DecodeError, sql
from libsqlkit._rows import _batch, row_by_row, rows_to_models

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
# JSON text as other tools write it: layouts, escapes and numbers Python's reader and
# pydantic-core's may take differently.
FOREIGN_JSON = st.sampled_from(
    [
        '{"a":1,"a":2}',
        '"\\ud800"',
        '"\\udfff\\ud800"',
        "1e400",
        "-0",
        "[1.0, -0.0, 1E2, 1e-7]",
        '{"\\u00e9": "\\u0000"}',
        "  [ 1 , 2 ]  ",
        "NaN",
        "Infinity",
        "\ufeff[1]",
        "123456789012345678901234567890",
        '{"nested": {"deep": [[[[]]]]}}',
        "{}",
        "[]",
        '""',
        "true",
    ]
) | JSON.map(lambda value: json.dumps(value, ensure_ascii=False))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[DbClient]:
    with create_db_client(f"file:{tmp_path / 'all.db'}") as client:
        client.create_schema()
        yield client


def _both(table: Any, model: type[Any], rows: list[tuple[Any, ...]]) -> None:
    """The batch path's models equal the row path's; or the batch path fails (it then
    defers to the row path), never returning something else."""
    batch = _batch(table, model)
    assert batch is not None
    try:
        slow: list[Any] | BaseException = row_by_row(table, model, rows)
    except DecodeError as exc:
        slow = exc
    try:
        fast = batch.decode(rows)
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        return  # deferred: rows_to_models reads them row by row
    assert not isinstance(slow, BaseException), (
        f"the batch path read rows the row path refuses: {slow}"
    )
    assert fast == slow
    assert [m.model_fields_set for m in fast] == [m.model_fields_set for m in slow]
    assert [type(m) for m in fast] == [type(m) for m in slow]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    settings_=st.none() | JSON,
    tags=JSON.filter(lambda v: v is not None),
    ratio=st.none() | st.floats(allow_nan=False, allow_infinity=False),
    price=st.none() | st.from_regex(r"[a-z]{1,5}|-?[1-9]\d{0,5}", fullmatch=True),
    serial=st.none() | st.integers(min_value=-(10**30), max_value=10**30),
)
def test_every_column_kind_reads_the_same_both_ways(db: DbClient, **values: Any) -> None:
    values["settings"] = values.pop("settings_")
    sql("DELETE FROM projects").run(db)
    ProjectRepository(db).create(NewProject.model_validate({"slug": "s", **values}))
    rows = sql(f"SELECT {', '.join(c.name for c in PROJECTS.columns)} FROM projects").all(db)
    _both(PROJECTS, Project, rows)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=FOREIGN_JSON, spec=FOREIGN_JSON)
def test_json_written_by_other_tools_reads_the_same_both_ways(
    tmp_path_factory: pytest.TempPathFactory, payload: str, spec: str
) -> None:
    path = tmp_path_factory.mktemp("foreign") / "db.sqlite"
    with create_db_client(f"file:{path}") as client:
        client.create_schema()
        project = ProjectRepository(client).create(NewProject(slug="p"))
        task = TaskRepository(client).create(NewTask(project_id=project.id))
    with sqlite3.connect(path) as other:  # another tool: the text as it wrote it
        other.execute("UPDATE projects SET tags = ?, settings = ?", (payload, spec.encode()))
        other.execute("UPDATE tasks SET spec = ?", (spec,))
        projects = other.execute(
            f"SELECT {', '.join(c.name for c in PROJECTS.columns)} FROM projects"
        ).fetchall()
        tasks = other.execute(
            f"SELECT {', '.join(c.name for c in TASKS.columns)} FROM tasks"
        ).fetchall()
    _both(PROJECTS, Project, projects)
    _both(TASKS, Task, tasks)
    assert task.id == tasks[0][0]


def test_a_result_the_batch_path_defers_is_read_row_by_row(db: DbClient) -> None:
    """A JSON text only Python's reader takes (a lone surrogate escape) still reads."""
    ProjectRepository(db).create(NewProject(slug="p"))
    sql("UPDATE projects SET tags = ?", '["\\ud800"]').run(db)
    rows = sql(f"SELECT {', '.join(c.name for c in PROJECTS.columns)} FROM projects").all(db)
    (project,) = rows_to_models(PROJECTS, Project, rows)
    assert project.tags == ["\ud800"]


def test_the_design_table_reads_the_same_both_ways(tmp_path: Path) -> None:
    from generated.client import create_db_client as design_client
    from generated.models import NewWorkflow
    from generated.repositories import WorkflowRepository

    with design_client(f"file:{tmp_path / 'w.db'}") as client:
        client.create_schema()
        workflows = WorkflowRepository(client)
        for i in range(50):
            workflows.create(
                NewWorkflow(
                    type="t",
                    user_id="u",
                    input_payload={"i": i, "f": i / 7, "big": 2**70, "n": None},
                    output_payload=[math.pi, "é", {"k": []}] if i % 2 else None,
                )
            )
        rows = client.execute(
            f"SELECT {', '.join(c.name for c in WORKFLOWS.columns)} FROM workflows"
        )
    _both(WORKFLOWS, Workflow, rows)
