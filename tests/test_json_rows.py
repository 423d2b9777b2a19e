"""A remote read of a table's rows as JSON arrays (`_json_rows`) reads exactly what the
read as written reads: the same rows, so the same models or the same DecodeError. Rows as
other tools write them (text where an integer belongs, a REAL, a BLOB, JSON with numbers
past a double, ids whose hex reads like exponents), on SQLite here and on a real sqld."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from golden_all_types.client import create_db_client as create_all_types_client
from golden_all_types.models import NewProject, NewTask, Task
from golden_all_types.repositories import ProjectRepository, TaskRepository
from golden_all_types.tables import PROJECTS, TASKS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import create_model

from generated.client import DbClient, create_async_db_client, create_db_client
from generated.models import NewWorkflow, Workflow
from generated.repositories import AsyncWorkflowRepository, WorkflowRepository
from generated.repositories.workflows import _FIND_BY_USER_ID_SQL, _find_by_user_id_plan
from generated.tables import WORKFLOWS
from libsqlkit import Column, DecodeError, Plan, Table, TableSql, _json_rows, codecs, fetch_all
from libsqlkit._json_rows import NotJsonRows, as_written, json_rows, json_select
from libsqlkit._models import SelectModel
from libsqlkit._rows import json_read, model_reader, rows_to_models
from tests.conftest import reset_server
from tests.sqld import Sqld
from tests.test_batch_decode import FOREIGN_JSON

TASK_COLUMNS = ", ".join(f"`{c.name}`" for c in TASKS.columns)
TASKS_SQL = f"SELECT {TASK_COLUMNS} FROM `tasks` ORDER BY `id`"
USER_U_SQL = _FIND_BY_USER_ID_SQL.replace("?1", "'u'")
# Values another tool may store in a column, whatever its declared type.
STORED = (
    st.none()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary(max_size=8)
)
HOSTILE_TEXT = (
    st.sampled_from(
        [
            "Info",
            "NaN",
            "Infinity",
            "1e400",
            "12e456ab-0000-4000-8000-00000000001e",
            'a"b\\c\n\t\x00',
            "\u2028\u2029\ufeff",
            "😀" * 3,
            "",
        ]
    )
    | st.text()
)


def _outcome(read: Any) -> Any:
    try:
        models = read()
    except DecodeError as exc:
        return ("DecodeError", str(exc))
    return models, [m.model_fields_set for m in models], [type(m) for m in models]


def _same_both_ways(conn: sqlite3.Connection, table: Any, model: type[Any], sql: str) -> None:
    """The JSON form gives the rows as written, value for value and type for type, or
    holds a row it cannot carry (a REAL or a BLOB: NULL), which a remote read then
    sends again as written."""
    json_sql = json_read(table, sql)
    assert json_sql is not None
    plain = conn.execute(sql).fetchall()
    try:
        rows = json_rows([text for (text,) in conn.execute(json_sql).fetchall()])
    except NotJsonRows:
        assert any(type(value) not in (str, int, type(None)) for row in plain for value in row), (
            "a result the JSON form can carry was refused"
        )
        return
    assert rows == plain
    assert [[type(value) for value in row] for row in rows] == [
        [type(value) for value in row] for row in plain
    ]
    expected = _outcome(lambda: rows_to_models(table, model, plain))
    assert _outcome(lambda: model_reader(table, model)(rows)) == expected


@pytest.fixture
def tasks_path(tmp_path: Path) -> Path:
    path = tmp_path / "tasks.db"
    with create_all_types_client(f"file:{path}") as client:
        client.create_schema()
        project = ProjectRepository(client).create(NewProject(slug="p"))
        TaskRepository(client).create(NewTask(project_id=project.id))
        TaskRepository(client).create(NewTask(project_id=project.id, notes="second"))
    return path


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    spec=FOREIGN_JSON,
    notes=HOSTILE_TEXT,
    state=HOSTILE_TEXT,
    project_id=STORED.filter(lambda value: value is not None),  # NOT NULL
    done_at=STORED,
    task_id=HOSTILE_TEXT | STORED.filter(lambda value: value is not None),
)
def test_rows_as_other_tools_write_them_read_the_same_as_json(
    tasks_path: Path, spec: str, notes: str, state: str, **stored: Any
) -> None:
    with sqlite3.connect(tasks_path) as other:
        other.execute("PRAGMA ignore_check_constraints = ON")  # as a tool before the CHECK
        other.execute(
            "UPDATE tasks SET spec = ?, notes = ?, state = ?, project_id = ?, done_at = ? "
            "WHERE notes = 'second'",
            (spec, notes, state, stored["project_id"], stored["done_at"]),
        )
        other.execute("UPDATE tasks SET id = ? WHERE notes IS NULL", (stored["task_id"],))
        _same_both_ways(other, TASKS, Task, TASKS_SQL)
        other.rollback()


@pytest.fixture
def workflows_path(tmp_path: Path) -> Path:
    path = tmp_path / "workflows.db"
    with create_db_client(f"file:{path}") as client:
        client.create_schema()
        repo = WorkflowRepository(client)
        for i in range(3):
            repo.create(NewWorkflow(type="t", user_id="u", input_payload={"i": i}))
    return path


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=FOREIGN_JSON | st.sampled_from(["\n1e400", "\t-1E+400", "\r\n1e400\t", "\n[NaN]"]),
    text=HOSTILE_TEXT,
    workflow_id=HOSTILE_TEXT | st.uuids().map(str),
    retry_count=STORED.filter(lambda value: value is not None),  # NOT NULL
    completed_at=STORED,
)
def test_workflows_as_other_tools_write_them_read_the_same_as_json(
    workflows_path: Path, payload: str, text: str, workflow_id: str, **stored: Any
) -> None:
    """JSON payloads (JsonValue: NaN and 1e400 refused as on the read as written), ids and
    texts that read like numbers, values of other types than the column's."""
    with sqlite3.connect(workflows_path) as other:
        other.execute("PRAGMA ignore_check_constraints = ON")
        other.execute(
            "UPDATE workflows SET output_payload = ?, error_log = ?, retry_count = ?, "
            "completed_at = ? WHERE rowid = 2",
            (payload, text, stored["retry_count"], stored["completed_at"]),
        )
        other.execute("UPDATE workflows SET id = ? WHERE rowid = 3", (workflow_id,))
        _same_both_ways(other, WORKFLOWS, Workflow, USER_U_SQL)
        other.rollback()


def test_only_reads_of_every_column_of_text_and_integer_tables_take_the_json_form() -> None:
    assert json_read(WORKFLOWS, _FIND_BY_USER_ID_SQL) is not None
    assert json_read(WORKFLOWS, "SELECT `id` FROM `workflows`") is None
    assert json_read(WORKFLOWS, "select * from workflows") is None
    every = ", ".join(f"`{c.name}`" for c in PROJECTS.columns)
    assert json_read(PROJECTS, f"SELECT {every} FROM `projects`") is None  # REAL, BLOB
    assert json_select([("a", "real")], "SELECT `a` FROM t") is None
    assert json_select([("a`b", "text")], "SELECT `a``b` FROM t") is None
    assert json_select([], "SELECT  FROM t") is None


# On a real sqld: what the remote repository reads, and when it reads again.


@pytest.fixture(autouse=True)
def no_refusals_remembered() -> Iterator[None]:
    """Each test starts with every JSON form on trial (`_json_rows.refused`)."""
    _json_rows._skipping.clear()
    yield
    _json_rows._skipping.clear()


@pytest.fixture
def remote(sqld_server: Sqld) -> Iterator[DbClient]:
    reset_server(sqld_server)
    with create_db_client(sqld_server.url, auth_token=sqld_server.token()) as client:
        client.create_schema()
        yield client


def _as_written(plan: Plan[Any]) -> Plan[Any]:
    return Plan(as_written(plan.statements), plan.decode, write=False)


def test_a_remote_read_takes_the_json_form_in_one_round_trip(remote: DbClient) -> None:
    repo = WorkflowRepository(remote)
    hostile = ["Info NaN", 'q"\\\n\x00', "😀\u2028", "12e456ab-1e400"]
    for i, text in enumerate(hostile * 5):
        repo.create(
            NewWorkflow(
                type=text,
                user_id="u",
                error_log=text,
                retry_count=(-(2**63), 2**63 - 1, 0)[i % 3],
                input_payload={"text": text, "n": [1e308, -0.0, 2**70], "i": i},
            )
        )
    plan = _find_by_user_id_plan("u")
    before = remote.round_trips
    models = remote.run(plan)
    assert remote.round_trips == before + 1
    assert len(models) == 20
    assert models == remote.run(_as_written(plan))
    assert all(type(m) is Workflow for m in models)
    assert {m.id for m in models} == {m.id for m in repo.find_many(limit=100)}


@pytest.mark.parametrize(
    ("column", "value", "round_trips", "refused"),
    [
        ("retry_count", 1.5, 2, True),  # a REAL: read again as written, then refused
        ("retry_count", 2.0**70, 2, True),  # a REAL past int64
        ("retry_count", "many", 1, True),  # text in an INTEGER column: JSON holds it
        ("error_log", b"\x00\xff", 2, True),  # a BLOB in a TEXT column
        # BLOBs that read as JSONB, which json_array would take for JSON (SQLite 3.45+)
        ("error_log", b"\x00", 2, False),  # JSONB null
        ("type", b"\x17a", 2, False),  # JSONB "a"
        ("retry_count", b"\x135", 2, True),  # JSONB 5
        ("type", 7, 1, False),  # stored as the text '7' (TEXT affinity)
        ("completed_at", -(2**63), 1, True),  # an integer no datetime holds
    ],
)
def test_a_row_the_json_form_cannot_carry_is_read_again_as_written(
    remote: DbClient, column: str, value: Any, round_trips: int, refused: bool
) -> None:
    repo = WorkflowRepository(remote)
    for _ in range(3):
        repo.create(NewWorkflow(type="t", user_id="u"))
    remote.execute(f"UPDATE workflows SET {column} = ? WHERE rowid = 2", (value,))
    plan = _find_by_user_id_plan("u")
    expected = _outcome(lambda: remote.run(_as_written(plan)))
    assert (expected[0] == "DecodeError") is refused
    if refused:
        assert f"workflows.{column}" in expected[1]
    before = remote.round_trips
    assert _outcome(lambda: remote.run(plan)) == expected
    assert remote.round_trips == before + round_trips


def _integer_table(name: str, count: int, select: str) -> tuple[Table, type[SelectModel]]:
    """A table (or view) of `count` INTEGER columns c0, c1, ... read by `select`."""
    names = [f"c{i}" for i in range(count)]
    columns: tuple[Column[Any, Any], ...] = tuple(
        Column(name, n, codecs.INTEGER, not_null=True) for n in names
    )
    fields: dict[str, Any] = {n: (int, ...) for n in names}
    model: type[SelectModel] = create_model(f"{name}_model", __base__=SelectModel, **fields)
    head = "SELECT " + ", ".join(f"`{n}`" for n in names) + f" FROM `{name}` "
    table = Table(
        name=name,
        columns=columns,
        primary_key="c0",
        view=True,
        sql=TableSql(select_page=head + select, count=f"SELECT count(*) FROM `{name}`"),
    )
    return table, model


@pytest.mark.parametrize(
    "payload", ["[NaN]", '{"n": 1e400}', "\t-1E+400", "-Infinity", '{"n": 1e99}', "12e456"]
)
def test_json_payloads_past_a_double_read_as_on_the_read_as_written(
    remote: DbClient, payload: str
) -> None:
    """The JSON form carries a payload as its text, so NaN and infinity meet the same
    checks as on the read as written (JsonValue refuses them), in one round trip."""
    repo = WorkflowRepository(remote)
    for _ in range(3):
        repo.create(NewWorkflow(type="t", user_id="u", input_payload={"ok": 1}))
    remote.execute("UPDATE workflows SET output_payload = ? WHERE rowid = 2", (payload,))
    plan = _find_by_user_id_plan("u")
    expected = _outcome(lambda: remote.run(_as_written(plan)))
    before = remote.round_trips
    assert _outcome(lambda: remote.run(plan)) == expected
    assert remote.round_trips == before + 1


def _text_view(remote: DbClient, expression: str) -> Plan[Any]:
    """A view of one TEXT column computed by `expression` over t(v), read whole."""
    remote.execute("CREATE TABLE t (v TEXT)")
    for v in ("a", 'q"\\', "😀"):
        remote.execute("INSERT INTO t VALUES (?)", (v,))
    remote.execute(f"CREATE VIEW texts AS SELECT {expression} AS c0 FROM t")
    model: type[SelectModel] = create_model("texts_model", __base__=SelectModel, c0=(str, ...))
    head = "SELECT `c0` FROM `texts` "
    texts = Table(
        name="texts",
        columns=(Column("c0", "c0", codecs.TEXT, not_null=True),),
        primary_key="c0",
        view=True,
        sql=TableSql(select_page=head + "ORDER BY 1", count="SELECT count(*) FROM `texts`"),
    )
    return fetch_all(texts, model, texts.sql.select_page, ())


@pytest.mark.parametrize(
    "expression", ["json_object('k', v)", "json_array(v, 1.5)", "json(json_quote(v))", "v"]
)
def test_a_view_computing_json_reads_its_texts_as_written(
    remote: DbClient, expression: str
) -> None:
    """A JSON function's result keeps a subtype through a view in some SQLite versions,
    and json_array would then embed it whole: such rows are read again as written."""
    plan = _text_view(remote, expression)
    assert plan.statements[0].json_sql is not None
    expected = remote.run(_as_written(plan))
    assert all(type(m.c0) is str for m in expected)
    assert remote.run(plan) == expected


def test_a_views_positional_order_and_limit_mean_what_they_did(remote: DbClient) -> None:
    """The read stays whole inside the JSON form: `ORDER BY 1` is still the first column,
    not the JSON text (a view's generated page query orders so)."""
    remote.execute("CREATE TABLE t (v INTEGER)")
    for v in (9, 10, 100, 2):
        remote.execute("INSERT INTO t VALUES (?)", (v,))
    remote.execute("CREATE VIEW nums AS SELECT v AS c0 FROM t")
    nums, model = _integer_table("nums", 1, "ORDER BY 1 LIMIT ? OFFSET ?")
    plan = fetch_all(nums, model, nums.sql.select_page, (2, 1))
    assert plan.statements[0].json_sql is not None
    assert [m.model_dump()["c0"] for m in remote.run(plan)] == [9, 10]
    assert remote.run(plan) == remote.run(_as_written(plan))


@pytest.mark.parametrize(("count", "as_json"), [(127, True), (128, False)])
def test_a_table_past_json_arrays_arguments_is_read_as_written(
    remote: DbClient, count: int, as_json: bool
) -> None:
    """json_array takes one argument per column, and SQLite at most 127."""
    names = [f"c{i}" for i in range(count)]
    remote.execute("CREATE TABLE wide (" + ", ".join(f"{n} INTEGER NOT NULL" for n in names) + ")")
    remote.execute(f"INSERT INTO wide VALUES ({', '.join(str(i) for i in range(count))})")
    wide, model = _integer_table("wide", count, "ORDER BY `c0` LIMIT ? OFFSET ?")
    plan = fetch_all(wide, model, wide.sql.select_page, (10, 0))
    assert (plan.statements[0].json_sql is not None) is as_json
    before = remote.round_trips
    (row,) = remote.run(plan)
    assert remote.round_trips == before + 1
    assert [getattr(row, n) for n in names] == list(range(count))


def test_a_json_form_past_the_servers_response_limit_is_read_as_written(
    remote: DbClient,
) -> None:
    """A JSON column's text is escaped twice in the JSON form: text full of quotes nearly
    doubles, past sqld's 10 MB, where the read as written fits."""
    repo = WorkflowRepository(remote)
    quotes: list[Any] = [""] * 230_000  # 690 KB of text, two thirds of it quotes
    repo.create_many([NewWorkflow(type="t", user_id="u", input_payload=quotes)] * 12)
    before = remote.round_trips
    models = remote.run(_find_by_user_id_plan("u"))
    assert remote.round_trips == before + 2
    assert len(models) == 12
    assert all(m.input_payload == quotes for m in models)


def _a_real_in_an_integer_column(db: DbClient) -> None:
    repo = WorkflowRepository(db)
    for _ in range(3):
        repo.create(NewWorkflow(type="t", user_id="u"))
    db.execute("UPDATE workflows SET retry_count = 2.5 WHERE rowid = 2")


def test_a_refused_json_form_rests_before_it_is_tried_again(
    remote: DbClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view whose column computes REALs would otherwise cost two round trips a call."""
    monkeypatch.setattr(_json_rows, "_SKIPS", 3)
    _a_real_in_an_integer_column(remote)
    trips = []
    for _ in range(6):
        before = remote.round_trips
        with pytest.raises(DecodeError, match=r"workflows\.retry_count"):
            remote.run(_find_by_user_id_plan("u"))
        trips.append(remote.round_trips - before)
    assert trips == [2, 1, 1, 1, 2, 1]


def test_an_async_read_the_json_form_cannot_carry_is_read_again_as_written(
    remote: DbClient, sqld_server: Sqld
) -> None:
    repo = WorkflowRepository(remote)
    for _ in range(3):
        repo.create(NewWorkflow(type="t", user_id="u"))
    # A REAL that reads: fractional seconds in a timestamp column (`unixepoch('subsec')`).
    remote.execute("UPDATE workflows SET completed_at = 1733000000.5 WHERE rowid = 2")

    async def read() -> tuple[list[Workflow], int]:
        url, token = sqld_server.url, sqld_server.token()
        async with create_async_db_client(url, auth_token=token) as db:
            models = await AsyncWorkflowRepository(db).find_by_user_id("u")
            return models, db.round_trips

    models, round_trips = asyncio.run(read())
    assert [m.completed_at is not None for m in models].count(True) == 1
    assert models == remote.run(_as_written(_find_by_user_id_plan("u")))
    assert round_trips == 2


@pytest.mark.parametrize("ending", [";", " ;\n", " -- newest first", "\n/* c */ ;"])
def test_sql_ending_in_a_semicolon_or_a_comment_keeps_its_json_form(
    remote: DbClient, ending: str
) -> None:
    WorkflowRepository(remote).create(NewWorkflow(type="t", user_id="u"))
    plan = fetch_all(WORKFLOWS, Workflow, _FIND_BY_USER_ID_SQL + ending, ("u",))
    assert plan.statements[0].json_sql is not None
    before = remote.round_trips
    assert len(remote.run(plan)) == 1
    assert remote.round_trips == before + 1
