"""Hostile values in every mode: each is stored and read back equal (or equal under a
documented rule), or refused with a typed error before anything is written.

The golden all_types table `projects` has every column kind. Modes: sqlite3 and libsql
files, a remote sqld and an embedded replica of it. That offline sync carries reals and
blobs to the server unchanged is tested in tests/test_sync.py.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from golden_all_types.client import DbClient, create_db_client
from golden_all_types.models import NewProject, NewTask, TaskSpec, TaskSpecOptions
from golden_all_types.repositories import ProjectRepository
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from libsqlkit import DatabaseError, DecodeError, DriverName, InvalidValue, sql
from tests.conftest import MODES, reset_server
from tests.sqld import Sqld

INT64 = (-(2**63), 2**63 - 1)
EDGE_INTS = (
    st.sampled_from(
        [0, -1, INT64[0], INT64[1], INT64[0] - 1, INT64[1] + 1, 2**64, -(2**64), 10**30, 2**1000]
    )
    | st.integers()
)
EDGE_FLOATS = (
    st.sampled_from(
        [0.0, -0.0, math.nan, math.inf, -math.inf, 5e-324, 1.7976931348623157e308, 2.0**53 + 1]
    )
    | st.floats()
)
UNICODE_EDGES = st.sampled_from(
    [
        "",
        "\x00",
        "a\x00b",
        "\ud800",
        "x\udfffy",
        "\u2028\u2029",
        "\ufeff",
        "e\u0301",
        "🏳️‍🌈",
        "\u202eevil",
        "'; DROP TABLE projects; --",
        "x" * 1_000_000,
    ]
)
HOSTILE_TEXT = UNICODE_EDGES | st.text()
NUMBER_LIKE = st.sampled_from(
    ["1.10", "007", "1e999", "-1e999", "-0", " 5", "1e5", "0x10", "١٢", "NaN", "inf", "12.5"]
) | st.from_regex(r"-?\d{1,25}(\.\d{1,20})?(e-?\d{1,3})?", fullmatch=True)


def _deep(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


JSON_EDGES = st.sampled_from(
    [
        {"nan": math.nan},
        [math.inf],
        {"big": 2**70},
        {"\ud800": "\udfff"},
        {"nul": "\x00"},
        _deep(50),
        _deep(5000),
        {"k" * 10_000: 1},
    ]
) | st.recursive(
    st.none() | st.booleans() | EDGE_INTS | EDGE_FLOATS | HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3),
    max_leaves=8,
)
MOMENTS = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=12))]),
)

COLUMNS: dict[str, st.SearchStrategy[Any]] = {
    "title": HOSTILE_TEXT,
    "revision": EDGE_INTS,
    "budget": EDGE_FLOATS.filter(lambda v: not v < 0),  # CHECK budget >= 0
    "price": NUMBER_LIKE | HOSTILE_TEXT,
    "ratio": EDGE_FLOATS,
    "big_counter": EDGE_INTS,
    "logo": st.binary(max_size=64) | st.just(b"\x00" * 1_000_000),
    "settings": JSON_EDGES,
    "serial": EDGE_INTS,
    "tags": JSON_EDGES.filter(lambda v: v is not None),
    "started_at": MOMENTS,
    "imported_at": MOMENTS,
}


@pytest.fixture(scope="module", params=MODES)
def db(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[DbClient]:
    mode: DriverName = request.param
    folder = tmp_path_factory.mktemp(f"hostile-{mode}")
    if mode in ("sqlite3", "libsql"):
        client = create_db_client(f"file:{folder / 'all.db'}", driver=mode)
    else:
        server: Sqld = request.getfixturevalue("sqld_server")
        reset_server(server)
        client = (
            create_db_client(server.url, auth_token=server.token())
            if mode == "remote"
            else create_db_client(
                f"file:{folder / 'replica.db'}", sync_url=server.url, auth_token=server.token()
            )
        )
    client.create_schema()
    yield client
    client.close()


@pytest.fixture(autouse=True)
def empty(request: pytest.FixtureRequest) -> None:
    """Each test starts with no projects (the database is shared by the module)."""
    if "db" in request.fixturenames:
        sql("DELETE FROM projects").run(request.getfixturevalue("db"))


def _json_equal(read: object, written: object) -> bool:
    """JSON as JSON.stringify writes it: numbers compare as JavaScript numbers."""
    if isinstance(written, float) and isinstance(read, int | float) and not isinstance(read, bool):
        return float(read) == written
    if isinstance(written, dict) and isinstance(read, dict):
        return list(read) == list(written) and all(
            _json_equal(read[k], written[k]) for k in written
        )
    if isinstance(written, list) and isinstance(read, list):
        return len(read) == len(written) and all(map(_json_equal, read, written))
    return type(read) is type(written) and read == written


def _read_back_equal(column: str, written: Any, read: Any) -> bool:
    """Equal, or equal under the documented rules (the README's column encodings)."""
    if column == "started_at":  # timestamp_ms: floored to the millisecond
        return bool(read == written.replace(microsecond=written.microsecond // 1000 * 1000))
    if column == "imported_at":  # timestamp: floored to the second
        return bool(read == written.replace(microsecond=0))
    if column in ("settings", "tags"):
        return _json_equal(read, written)
    if isinstance(written, float):  # -0.0 reads back as 0.0: SQLite keeps it as integer 0
        return bool(read == written)
    return bool(read == written) and type(read) is type(written)


def _attempt(db: DbClient, column: str, value: Any) -> None:
    """One value into one column of an empty table (slug and title are unique)."""
    sql("DELETE FROM projects").run(db)
    projects = ProjectRepository(db)
    before = projects.count()
    try:
        new = NewProject.model_validate({"slug": "s", column: value})
    except ValidationError:
        return  # refused by the model, before any SQL
    try:
        stored = projects.create(new)
    except InvalidValue as refused:
        assert refused.table == "projects" and refused.column == column, refused
        assert projects.count() == before
        return
    except DatabaseError as refused:  # libsql: text with NUL, refused before it is sent
        assert db.driver in ("libsql", "replica") and "NUL" in str(refused), refused
        assert projects.count() == before
        return
    assert projects.get(stored.id) == stored
    assert _read_back_equal(column, getattr(new, column), getattr(stored, column)), (
        column,
        value,
        getattr(stored, column),
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
@pytest.mark.parametrize("column", sorted(COLUMNS))
def test_each_hostile_value_is_kept_exactly_or_refused_before_writing(
    db: DbClient, column: str, data: st.DataObject
) -> None:
    _attempt(db, column, data.draw(COLUMNS[column], label=column))


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("price", "12.50", "would read back as '12.5'"),
        ("price", "1e999", "beyond SQLite's REAL range"),
        ("big_counter", 2**63, "64-bit"),
        ("revision", -(2**63) - 1, "64-bit INTEGER"),
        ("title", "a\ud800b", "lone surrogate"),
    ],
)
def test_refusals_name_table_column_and_reason(
    db: DbClient, column: str, value: object, reason: str
) -> None:
    projects = ProjectRepository(db)
    with pytest.raises(InvalidValue, match=reason) as refused:
        projects.create(NewProject.model_validate({"slug": "x", column: value}))
    assert str(refused.value).startswith(f"projects.{column}")
    assert projects.count() == 0


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_by_the_models_in_every_mode(
    db: DbClient, value: float
) -> None:
    with pytest.raises(ValidationError, match="finite"):
        NewProject(slug="x", ratio=value)
    with pytest.raises(ValidationError, match="finite"):
        NewProject(slug="x", settings={"n": value})
    with pytest.raises(InvalidValue, match="parameter 1"):
        sql("SELECT ?", value).all(db)
    assert ProjectRepository(db).count() == 0


@pytest.mark.parametrize(
    ("column", "literal"),
    [
        ("revision", "'not a number'"),
        ("budget", "1e999"),
        ("started_at", "9e18"),
        ("settings", "X'FFFE'"),
        ("tags", "'{broken json'"),
        ("archived", "'maybe'"),
        ("serial", "X'6E6F'"),
    ],
)
def test_values_written_by_another_tool_that_do_not_decode_are_named(
    db: DbClient, column: str, literal: str
) -> None:
    """Another writer (here raw SQL with a literal) stores a value the column's type cannot
    hold: reading the row names table, column and key; get_raw() reads it for repair."""
    projects = ProjectRepository(db)
    project = projects.create(NewProject(slug="victim"))
    sql(f"UPDATE projects SET {column} = {literal} WHERE id = ?", project.id).run(db)
    with pytest.raises(DecodeError) as caught:
        projects.get(project.id)
    assert (caught.value.table, caught.value.column, caught.value.key) == (
        "projects",
        column,
        project.id,
    )
    assert f"projects.{column}" in str(caught.value) and "get_raw" in str(caught.value)
    raw = projects.get_raw(project.id)
    assert raw is not None and raw["slug"] == "victim"
    with pytest.raises(DecodeError):
        projects.find_many()


def test_models_validate_on_assignment_so_nothing_invalid_reaches_sql(db: DbClient) -> None:
    """The issue's case: a valid model, then a bad assignment, then create."""
    new = NewProject(slug="x")
    with pytest.raises(ValidationError):
        new.revision = "x"  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        new.ratio = math.nan
    stored = ProjectRepository(db).create(new)
    assert stored.revision == 2  # the SQL default: the refused assignments left no trace


def test_a_float_the_server_cannot_send_is_a_decode_error_not_a_type_error(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """On sqld, a REAL infinity (from another tool) travels as null: named, not NULL."""
    server: Sqld = request.getfixturevalue("sqld_server")
    reset_server(server)
    with create_db_client(server.url, auth_token=server.token()) as db:
        db.create_schema()
        projects = ProjectRepository(db)
        project = projects.create(NewProject(slug="inf"))
        sql("UPDATE projects SET ratio = 1e999 WHERE id = ?", project.id).run(db)
        with pytest.raises(DecodeError, match=r"projects\.ratio"):
            projects.get(project.id)
        raw = projects.get_raw(project.id)
        assert raw is not None and "infinity" in repr(raw["ratio"])


def test_a_local_infinity_written_by_sqlite3_reads_as_a_decode_error(tmp_path: Path) -> None:
    path = tmp_path / "inf.db"
    with create_db_client(f"file:{path}") as db:
        db.create_schema()
        project = ProjectRepository(db).create(NewProject(slug="inf"))
    with sqlite3.connect(path) as other:  # another tool: no guard of ours
        other.execute("UPDATE projects SET ratio = ? WHERE id = ?", (math.inf, project.id))
    with create_db_client(f"file:{path}") as db:
        with pytest.raises(DecodeError, match=r"projects\.ratio") as caught:
            ProjectRepository(db).get(project.id)
        assert caught.value.key == project.id
        raw = ProjectRepository(db).get_raw(project.id)
        assert raw is not None and raw["ratio"] == math.inf


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_typed_payloads_refuse_nan_and_infinity_like_the_rows(value: float) -> None:
    """JSON has neither: a typed payload would have stored null in its place."""
    with pytest.raises(ValidationError, match="finite"):
        TaskSpec(prompt="x", options=TaskSpecOptions(temperature=value))
    with pytest.raises(ValidationError, match="finite"):
        NewTask.model_validate(
            {"project_id": 1, "spec": {"prompt": "x", "options": {"temperature": value}}}
        )
