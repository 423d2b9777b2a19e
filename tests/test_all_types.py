"""The golden all_types package on real files: every column kind and schema feature."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from golden_all_types.client import DbClient, create_db_client
from golden_all_types.models import NewProject, NewTask, Project, ProjectUpdate, TaskSpec
from golden_all_types.repositories import ProjectRepository, TaskRepository
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from libsqlkit import (
    CheckViolation,
    DatabaseError,
    ForeignKeyViolation,
    LocalDriverName,
    UniqueViolation,
)

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
MOMENTS = st.datetimes(
    min_value=datetime(1000, 1, 1), max_value=datetime(9000, 1, 1), timezones=st.just(UTC)
)
JSON = st.recursive(
    st.none() | st.booleans() | INT64 | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@pytest.fixture(params=["sqlite3", "libsql"])
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    driver: LocalDriverName = request.param
    client = create_db_client(f"file:{tmp_path / 'all.db'}", driver=driver)
    client.create_schema()
    yield client
    client.close()


def test_defaults_of_every_kind(db: DbClient) -> None:
    before = int(time.time())
    project = ProjectRepository(db).create(NewProject(slug="p"))
    assert isinstance(project.id, int) and project.id >= 1  # autoincrement
    assert project.title == "it's untitled"
    assert project.archived is False
    assert project.budget == 1.5
    assert project.tags == ["new"]
    assert project.revision == 2  # default_sql "1 + 1"
    assert project.imported_at is not None
    assert before <= int(project.imported_at.timestamp()) <= int(time.time())


def test_explicit_none_on_a_nullable_column_with_a_default(db: DbClient) -> None:
    project = ProjectRepository(db).create(NewProject(slug="p", budget=None, imported_at=None))
    assert project.budget is None
    assert project.imported_at is None


def test_raw_stored_values(db: DbClient) -> None:
    ProjectRepository(db).create(
        NewProject(
            slug="raw",
            archived=True,
            price="12.5",
            settings={"theme": "dark", "size": 1.0},
            serial=2**63 - 1,
            started_at=datetime(2023, 11, 14, 22, 13, 20, 123_456, tzinfo=UTC),
        )
    )
    row = db.execute(
        "SELECT archived, settings, serial, started_at, typeof(started_at), price, typeof(price) FROM projects"
    )
    assert row == [
        (
            1,
            b'{"theme":"dark","size":1}',
            b"9223372036854775807",
            1_700_000_000_123,
            "integer",
            12.5,
            "real",
        )
    ]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(min_size=1, max_size=30),
    archived=st.booleans(),
    budget=st.none() | st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    ratio=st.none() | st.floats(allow_nan=False, allow_infinity=False),
    big_counter=st.none() | INT64,
    logo=st.none() | st.binary(max_size=64),
    settings_=st.none() | JSON,
    serial=st.none() | st.integers(min_value=-(10**30), max_value=10**30),
    tags=JSON.filter(lambda value: value is not None),
    started_at=st.none() | MOMENTS,
    imported_at=st.none() | MOMENTS,
    revision=INT64,
)
def test_any_valid_project_round_trips(db: DbClient, **values: object) -> None:
    """Written and read back, every value is equal (timestamps truncated as documented)."""
    values["settings"] = values.pop("settings_")
    unique = time.perf_counter_ns()  # slug and live titles are unique: one file serves all examples
    values["title"] = f"{values['title']}-{unique}"
    projects = ProjectRepository(db)
    new = NewProject.model_validate({"slug": f"s{unique}", **values})
    if db.driver == "libsql" and "\x00" in new.title:
        with pytest.raises(DatabaseError, match="NUL"):
            projects.create(new)
        return
    stored = projects.create(new)
    assert stored == projects.get(stored.id)
    expected = new.model_dump()
    expected["id"] = stored.id
    expected["started_at"] = new.started_at and new.started_at.replace(
        microsecond=new.started_at.microsecond // 1000 * 1000
    )
    expected["imported_at"] = new.imported_at and new.imported_at.replace(microsecond=0)
    assert stored.model_dump() == expected


def test_typed_json_column(db: DbClient) -> None:
    project = ProjectRepository(db).create(NewProject(slug="p"))
    tasks = TaskRepository(db)
    task = tasks.create(NewTask(project_id=project.id, spec=TaskSpec(prompt="write", steps=2)))
    assert isinstance(task.spec, TaskSpec) and task.spec.prompt == "write" and task.spec.steps == 2
    assert db.execute("SELECT spec FROM tasks") == [('{"prompt":"write","steps":2}',)]
    with pytest.raises(ValidationError):
        NewTask(project_id=project.id, spec={"steps": -1})  # type: ignore[arg-type]


def test_declared_update_with_an_enum_condition(db: DbClient) -> None:
    project = ProjectRepository(db).create(NewProject(slug="p"))
    tasks = TaskRepository(db)
    task = tasks.create(NewTask(project_id=project.id))
    doing = tasks.move(task.id, "doing", "started")
    assert doing is not None and (doing.state, doing.notes, doing.done_at) == (
        "doing",
        "started",
        None,
    )
    done = tasks.move(task.id, "done")
    assert done is not None and done.notes == "started" and done.done_at is not None
    assert tasks.move(task.id, "won't do") is not None


def test_foreign_keys_are_enforced_and_cascade(db: DbClient) -> None:
    projects, tasks = ProjectRepository(db), TaskRepository(db)
    with pytest.raises(ForeignKeyViolation, match="tasks"):
        tasks.create(NewTask(project_id=999))
    project = projects.create(NewProject(slug="p"))
    tasks.create(NewTask(project_id=project.id))
    tasks.create(NewTask(project_id=project.id))
    assert len(tasks.find_by_project(project.id)) == 2
    assert projects.delete(project.id)
    assert tasks.count(include_deleted=True) == 0


def test_soft_deleted_rows_only_in_include_deleted_queries(db: DbClient) -> None:
    project = ProjectRepository(db).create(NewProject(slug="p"))
    tasks = TaskRepository(db)
    kept, gone = (tasks.create(NewTask(project_id=project.id)) for _ in range(2))
    tasks.soft_delete(gone.id)
    assert [t.id for t in tasks.find_by_project(project.id)] == [kept.id]
    assert {t.id for t in tasks.find_any_by_project(project.id)} == {kept.id, gone.id}


def test_partial_unique_index_and_check(db: DbClient) -> None:
    projects = ProjectRepository(db)
    first = projects.create(NewProject(slug="a", title="same"))
    with pytest.raises(UniqueViolation) as caught:
        projects.create(NewProject(slug="b", title="same"))
    assert caught.value.columns == ("title",)
    projects.update(first.id, ProjectUpdate(archived=True))
    projects.create(NewProject(slug="b", title="same"))  # allowed: the first is archived
    with pytest.raises(CheckViolation) as check:
        projects.create(NewProject(slug="c", budget=-1.0))
    assert (check.value.table, check.value.constraint) == ("projects", "projects_budget_positive")


def test_declared_select_with_limit_and_boolean_parameter(db: DbClient) -> None:
    projects = ProjectRepository(db)
    for i in range(3):
        projects.create(NewProject(slug=f"s{i}", title=f"t{i}", archived=i != 1))
    assert [p.title for p in projects.list_archived(True)] == ["t2", "t0"]
    found = projects.find_by_slug("s1")
    assert isinstance(found, Project) and found.archived is False
