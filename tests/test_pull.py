"""`libsqlkit pull`: an existing database as schema.yaml plus a baseline migration.

On databases made by drizzle-kit (the design's Drizzle schema and a richer one), on a
remote sqld and through an embedded replica, and on a hand-made SQLite file with what
schema.yaml cannot hold:

- the database is not changed (its file is byte for byte the same, or its schema and
  rows are);
- the generated DDL gives the pulled database's PRAGMA facts back, and the generated
  repositories read the rows Drizzle wrote exactly as Drizzle reads them;
- `python -m libsqlkit migrate` records the baseline as applied without running it;
- what schema.yaml cannot hold is listed, and modes read from names and values are
  commented and printed.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from codegen.ir import GeneratedIR
from codegen.source import load_source
from codegen.validate import build_schema
from generated.client import create_db_client
from libsqlkit import Schema, connect
from libsqlkit._snapshot import Snapshot, introspect
from tests.drizzle_kit import (
    create_database,
    drizzle_kit_statements,
    node,
    pragma_facts,
    run,
)
from tests.node_project import NODE_PROJECT
from tests.sqld import Sqld

__all__ = ["node"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _pull(folder: Path, url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(
        [
            "--schema",
            str(folder / "schema.yaml"),
            "--migrations",
            str(folder / "migrations"),
            "pull",
            "--url",
            url,
        ]
    )
    out, err = capsys.readouterr()
    return status, out, err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _generate(folder: Path, package: str) -> Any:
    """Generate the pulled schema.yaml into an importable package; its client module."""
    assert (
        main(["--schema", str(folder / "schema.yaml"), "--out", str(folder / package), "generate"])
        == 0
    )
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(f"{package}.client")


def _ddl_database(folder: Path, package: str) -> Path:
    """A new database from the generated schema.sql."""
    sql = (folder / package / "schema.sql").read_text(encoding="utf-8")
    statements = [s for s in sql.split("--> statement-breakpoint") if s.strip()]
    return create_database(folder / "generated.db", statements)


def _drizzle_kit_database(node: str, schema: Path, folder: Path) -> Path:
    statements = drizzle_kit_statements(node, schema, folder / "drizzle-kit")
    return create_database(folder / "app.db", statements)


def _libsqlkit(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "libsqlkit", *args], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _schema_and_rows(url: str, auth_token: str | None = None) -> tuple[Snapshot, dict[str, Any]]:
    """What pull must not change: the schema (DDL included) and every row."""
    with connect(Schema((), ()), url, auth_token=auth_token) as db:
        facts = introspect(lambda sql, params: db.execute(sql, params))
        rows = {
            t.name: sorted(map(repr, db.execute(f"SELECT * FROM `{t.name}`"))) for t in facts.tables
        }
        return facts, rows


# -- databases made by drizzle-kit -------------------------------------------------------


def test_a_drizzle_kit_database_round_trips(
    node: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The design's Drizzle schema, with the rows Drizzle writes in the interop tests."""
    database = _drizzle_kit_database(node, NODE_PROJECT / "schema.js", tmp_path)
    run([node, "interop.js", "write", str(database)])
    before = _digest(database)

    status, out, err = _pull(tmp_path, f"file:{database}", capsys)

    assert (status, err) == (0, ""), out + err
    assert _digest(database) == before
    assert "wrote" in out and "0000_baseline" in out
    text = (tmp_path / "schema.yaml").read_text(encoding="utf-8")
    assert "# guessed: mode timestamp: named like a time; 1 value" in text
    assert "# guessed: mode json: 1 value" in text
    assert "workflows.created_at: mode timestamp" in out
    assert "workflows.id: client_default uuid4: 1 value" in out

    client = _generate(tmp_path, "pulled_design")
    assert pragma_facts(_ddl_database(tmp_path, "pulled_design")) == pragma_facts(database)

    # The generated repositories read what Drizzle wrote as Drizzle reads it.
    drizzle = json.loads(run([node, "interop.js", "read", str(database)]))
    repositories = importlib.import_module("pulled_design.repositories")
    with client.create_db_client(f"file:{database}") as db:
        ours = {
            "workflows": repositories.WorkflowsRepository(db).find_many(),
            "userSettings": repositories.UserSettingsRepository(db).find_many(),
            "syncMetadata": repositories.SyncMetadataRepository(db).find_many(),
        }
    assert {name: [_as_drizzle(row) for row in rows] for name, rows in ours.items()} == drizzle


def _as_drizzle(row: Any) -> dict[str, Any]:
    """A pydantic row as interop.js prints Drizzle's: camelCase, dates in epoch ms."""
    out = {}
    for name, value in dict(row).items():
        camel = "".join(p if i == 0 else p.capitalize() for i, p in enumerate(name.split("_")))
        out[camel] = (
            (value - EPOCH) // timedelta(milliseconds=1) if isinstance(value, datetime) else value
        )
    return out


@pytest.fixture
def rich(node: str, tmp_path: Path) -> Path:
    """A database drizzle-kit made from tests/drizzle/rich_schema.ts, with a row."""
    database = _drizzle_kit_database(node, NODE_PROJECT / "rich_schema.ts", tmp_path)
    with sqlite3.connect(database) as raw:
        raw.execute(
            "INSERT INTO users (email, meta, big, team) VALUES "
            "('a@example.com', CAST('{\"k\": [1, 2]}' AS BLOB), CAST('123' AS BLOB), 'x')"
        )
        raw.execute("INSERT INTO posts (id, user_id, body) VALUES ('p1', 1, 'hello')")
    return database


def test_a_richer_drizzle_schema_is_pulled_exactly(
    rich: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checks on table-qualified columns, an enum CHECK, Drizzle's boolean, timestamp and
    JSON defaults, partial, composite and unique indexes, foreign key actions."""
    before = _digest(rich)
    status, out, err = _pull(tmp_path, f"file:{rich}", capsys)
    assert (status, err) == (0, ""), out + err
    assert _digest(rich) == before
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    users = next(t for t in schema.tables if t.name == "users")
    columns = {c.name: c for c in users.columns}
    assert columns["role"].enum == ("admin", "member")
    assert (columns["active"].mode, columns["active"].default) == ("boolean", True)
    assert (columns["created_at"].mode, columns["created_at"].default_sql) == (
        "timestamp",
        "unixepoch()",
    )
    assert columns["seen_at"].mode == "timestamp_ms"
    assert (columns["prefs"].mode, columns["prefs"].default) == ("json", {"theme": "dark"})
    assert (columns["meta"].mode, columns["big"].mode) == ("json", "bigint")
    assert (columns["amount"].default, columns["rank"].default) == ("1.10", -1)
    assert users.checks == (("users_score_positive", '"score" > 0'),)
    indexes = {i.name: i for i in users.indexes}
    assert indexes["idx_users_active_email"].where == '"active" = 1'
    assert indexes["users_team_email"].unique and indexes["users_team_email"].columns == (
        "team",
        "email",
    )
    posts = next(t for t in schema.tables if t.name == "posts")
    reference = posts.column("user_id").references
    assert reference is not None
    assert (reference.on_delete, reference.on_update) == ("cascade", "set null")

    _generate(tmp_path, "pulled_rich")
    generated = _ddl_database(tmp_path, "pulled_rich")
    assert pragma_facts(generated) == pragma_facts(rich)
    with sqlite3.connect(generated) as a, sqlite3.connect(rich) as b:
        ours = introspect(lambda sql, params: a.execute(sql, params).fetchall())
        theirs = introspect(lambda sql, params: b.execute(sql, params).fetchall())
    assert ours == theirs  # CHECKs and enums too


def test_migrate_takes_the_pulled_database_as_current(
    rich: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"file:{rich}"
    assert _pull(tmp_path, url, capsys)[0] == 0
    schema_before, rows_before = _schema_and_rows(url)
    migrations = str(tmp_path / "migrations")

    out = _libsqlkit("--migrations", migrations, "--url", url, "migrate")

    assert "baselined: the database already had the schema of 0000_baseline" in out
    assert "all migrations are applied" in _libsqlkit(
        "--migrations", migrations, "--url", url, "status"
    )
    _generate(tmp_path, "pulled_current")
    capsys.readouterr()
    args = ["--schema", str(tmp_path / "schema.yaml"), "--out", str(tmp_path / "pulled_current")]
    assert main([*args, "--migrations", migrations, "check", "--db", "--url", url]) == 0
    assert "agree with the database" in capsys.readouterr().out
    assert _schema_and_rows(url) == (schema_before, rows_before)


# -- remote sqld and an embedded replica -------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Sqld]:
    """A sqld with JWT auth, holding the design's schema (synced tables, enums) and rows
    written through the generated repositories."""
    sqld = Sqld(tmp_path / "sqld", auth=True).start()
    try:
        from generated.models import NewSyncMetadata, NewUserSettings, NewWorkflow
        from generated.repositories import (
            SyncMetadataRepository,
            UserSettingsRepository,
            WorkflowRepository,
        )

        with create_db_client(sqld.url, auth_token=sqld.token()) as db:
            db.create_schema()
            WorkflowRepository(db).create(
                NewWorkflow(type="t", user_id="u1", input_payload={"a": [1, 2.5]})
            )
            UserSettingsRepository(db).create(NewUserSettings(user_id="u1", preferences=None))
            SyncMetadataRepository(db).create(NewSyncMetadata(table_name="workflows"))
        yield sqld
    finally:
        sqld.stop()


def test_pull_from_a_remote_sqld(
    server: Sqld,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TURSO_AUTH_TOKEN", server.token())
    before = _schema_and_rows(server.url, server.token())

    status, out, err = _pull(tmp_path, server.url, capsys)

    assert (status, err) == (0, ""), out + err
    assert _schema_and_rows(server.url, server.token()) == before
    text = (tmp_path / "schema.yaml").read_text(encoding="utf-8")
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    tables = {t.name: t for t in schema.tables}
    assert tables["workflows"].sync and tables["user_settings"].sync
    # the policy is read from the insert trigger's note
    assert tables["user_settings"].on_unique_clash == "keep_latest"
    assert tables["workflows"].on_unique_clash == "fail"
    assert schema.sync_metadata == "sync_metadata"
    assert tables["workflows"].column("status").enum == (
        "PENDING",
        "PROCESSING",
        "COMPLETED",
        "FAILED",
        "RETRYING",
    )
    assert tables["workflows"].column("input_payload").mode == "json"
    assert "trigger" not in text  # the change-log triggers are `sync: true`

    out = _libsqlkit("--migrations", str(tmp_path / "migrations"), "--url", server.url, "migrate")
    assert "baselined" in out
    schema_after, rows_after = _schema_and_rows(server.url, server.token())
    assert schema_after.tables == before[0].tables and rows_after == before[1]


def test_pull_through_an_embedded_replica(
    server: Sqld,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TURSO_AUTH_TOKEN", server.token())
    monkeypatch.setenv("TURSO_SYNC_URL", server.url)
    status, out, err = _pull(tmp_path, f"file:{tmp_path / 'replica.db'}", capsys)
    assert (status, err) == (0, ""), out + err
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    assert [t.name for t in schema.tables] == ["sync_metadata", "user_settings", "workflows"]
    assert (tmp_path / "migrations" / "0000_baseline" / "snapshot.json").is_file()


def test_a_sync_status_table_without_rows_is_not_named_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its key's uuid4 default leaves no trace without rows, and schema.yaml requires one
    of the sync status table: the table is pulled, and the report says why it is not
    named `sync_metadata:`."""
    with create_db_client(f"file:{tmp_path / 'app.db'}") as db:
        db.create_schema()
    status, out, err = _pull(tmp_path, f"file:{tmp_path / 'app.db'}", capsys)
    assert (status, err) == (0, ""), out + err
    assert "sync_metadata: the table is not named as the sync status table" in out
    assert "sync_metadata.id must be nullable or have a default" in out
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    assert schema.sync_metadata is None
    assert [t.name for t in schema.tables if t.sync] == ["user_settings", "workflows"]


# -- what schema.yaml cannot hold, and guesses -------------------------------------------


@pytest.mark.parametrize(
    ("create", "checks"),
    [
        (  # this layer's and drizzle-kit's layout: one named CHECK a line, qualified names
            'CREATE TABLE `t` (\n\t`a` integer,\n\tCONSTRAINT "t_a" CHECK("t"."a" > 0),\n'
            "\tCONSTRAINT `t_b` CHECK(`t`.`a` IN ('x)', 'y'))\n)",
            [("t_a", '"a" > 0'), ("t_b", "`a` IN ('x)', 'y')")],
        ),
        (  # on a column, unnamed or named, on one line, with comments and nested parentheses
            "CREATE TABLE t (a integer CHECK (a > (1)) -- check(no)\n, b text CONSTRAINT "
            "[b ok] CHECK (length(b) < 3) /* CHECK (x) */, c DEFAULT ('CHECK(z)'), "
            "CHECK (T.a <> 2))",
            [("", "a > (1)"), ("b ok", "length(b) < 3"), ("", "a <> 2")],
        ),
        ("CREATE TABLE t (a integer NOT NULL, t text DEFAULT 't.a')", []),
    ],
)
def test_checks_are_read_in_any_layout(create: str, checks: list[tuple[str, str]]) -> None:
    with sqlite3.connect(":memory:") as raw:
        raw.execute(create)
        (table,) = introspect(lambda sql, params: raw.execute(sql, params).fetchall()).tables
    assert list(table.checks) == sorted(checks)


def test_partial_index_conditions_are_read_without_the_table_name() -> None:
    with sqlite3.connect(":memory:") as raw:
        raw.execute("CREATE TABLE t (a integer, b text)")
        raw.execute('CREATE INDEX i ON t (a) WHERE "t"."b" = \'where t.b\' AND a > 0')
        (table,) = introspect(lambda sql, params: raw.execute(sql, params).fetchall()).tables
    assert table.indexes[0].where == "\"b\" = 'where t.b' AND a > 0"


LEGACY = [
    "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, "
    "kind TEXT CHECK (kind IN ('a', 'b')), born DATETIME, flag BOOLEAN DEFAULT 0, "
    "total INT GENERATED ALWAYS AS (id * 2) STORED, CHECK (length(email) > 3))",
    "CREATE TABLE pairs (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID",
    "CREATE TABLE logs (line TEXT)",
    'CREATE TABLE "Mixed" (id INTEGER PRIMARY KEY NOT NULL)',
    "CREATE TABLE refs (id INTEGER PRIMARY KEY NOT NULL, a TEXT, b TEXT, account_id INTEGER "
    "REFERENCES accounts, FOREIGN KEY (a, b) REFERENCES pairs (a, b))",
    "CREATE TABLE counts (id INTEGER PRIMARY KEY NOT NULL, n INTEGER) STRICT",
    "CREATE INDEX idx_lower_email ON accounts (lower(email))",
    "CREATE VIEW active AS SELECT * FROM accounts",
    "CREATE TRIGGER accounts_touch AFTER UPDATE ON accounts BEGIN SELECT 1; END",
    "CREATE TRIGGER active_insert INSTEAD OF INSERT ON active BEGIN SELECT 1; END",
    "CREATE VIRTUAL TABLE notes USING fts5(body)",
]


def test_what_schema_yaml_cannot_hold_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "legacy.db", LEGACY)
    before = _digest(database)

    status, out, err = _pull(tmp_path, f"file:{database}", capsys)

    assert status == 1
    assert _digest(database) == before
    assert "no baseline migration written" in err and "push --url" in err
    assert "accounts.id: not_null is False in the database, True by schema.yaml" in err
    assert "table logs is not in the schema" in err
    assert "view active differs" in err  # CREATE VIEW active, not `active`
    assert not (tmp_path / "migrations").exists()
    text = (tmp_path / "schema.yaml").read_text(encoding="utf-8")
    for listed in (
        "trigger accounts_touch on accounts",
        "trigger active_insert (on view active)",
        "virtual table notes",
        "table notes_data: kept by a virtual table",
        "table logs: it has no primary key",
        "table Mixed: table name 'Mixed' is not a plain SQL name",
        "index idx_lower_email on accounts: it indexes expressions",
    ):
        assert listed in out, listed
        assert f"#   - {listed}" in text, listed
    for noted in (
        "accounts.email: declared type VARCHAR(255) is written as text (the same affinity)",
        "accounts.email: its UNIQUE constraint is written as the unique index accounts_email_unique",
        "accounts.kind: its CHECK (unnamed) is read as an enum",
        "accounts.id: its primary key is not declared NOT NULL",
        "accounts: CHECK (unnamed) is written as accounts_check",
        "counts: the table is STRICT",
        "pairs: the table is WITHOUT ROWID",
        "active: its CREATE VIEW is written as CREATE VIEW `active` AS SELECT * FROM accounts",
        "refs.account_id: its foreign key names the key it references: id",
    ):
        assert noted in out, noted
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    assert [t.name for t in schema.tables] == ["accounts", "counts", "pairs", "refs"]
    assert [v.name for v in schema.views] == ["active"]
    accounts, _, pairs, refs = schema.tables
    assert pairs.composite_key == ("a", "b")
    assert [(k.columns, k.target, k.target_columns) for k in refs.foreign_keys if k.composite] == [
        (("a", "b"), "pairs", ("a", "b"))
    ]
    assert accounts.column("total").generated == GeneratedIR("id * 2", stored=True)
    assert accounts.column("kind").enum == ("a", "b")
    assert (accounts.column("born").mode, accounts.column("flag").mode) == ("timestamp", "boolean")
    assert accounts.column("flag").default_sql == "0"
    assert accounts.checks == (("accounts_check", "length(email) > 3"),)
    # Every object of the database is in schema.yaml or named in the report.
    with sqlite3.connect(database) as raw:
        objects = [name for (name,) in raw.execute("SELECT name FROM sqlite_schema")]
    for name in objects:
        assert name.startswith("sqlite_autoindex_") or name in text or name in out, name


# -- composite keys, generated columns and views ----------------------------------------

GOLDEN = Path(__file__).parent / "golden"
QUERY_VIEWS = ("CREATE VIEW `published_books`(", "CREATE VIEW `catalog`(")


def _golden_statements(case: str) -> list[str]:
    sql = (GOLDEN / case / f"golden_{case}" / "schema.sql").read_text(encoding="utf-8")
    return [s.strip() for s in sql.split("--> statement-breakpoint") if s.strip()]


def _facts(database: Path) -> Snapshot:
    with sqlite3.connect(database) as raw:
        return introspect(lambda sql, params: raw.execute(sql, params).fetchall())


def _round_trip(database: Path, folder: Path, package: str, capsys: Any) -> str:
    """pull -> baseline -> generate -> the same facts -> `migrate` baselines; the YAML."""
    before = _digest(database)
    status, out, err = _pull(folder, f"file:{database}", capsys)
    assert (status, err) == (0, ""), out + err
    assert "wrote" in out and "0000_baseline" in out
    assert _digest(database) == before
    _generate(folder, package)
    assert _facts(_ddl_database(folder, package)) == _facts(database)
    migrated = _libsqlkit(
        "--migrations", str(folder / "migrations"), "--url", f"file:{database}", "migrate"
    )
    assert "baselined: the database already had the schema of 0000_baseline" in migrated
    return (folder / "schema.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("case", "written"),
    [
        (
            "composite_keys",
            [
                "primary_key: [region, number, line]",
                "foreign_keys:\n    - {columns: [region, number], table: orders, "
                "references: [region, number], on_delete: cascade}",
            ],
        ),
        (
            "generated_columns",
            [
                "generated: {as: price_cents * quantity, mode: stored}",
                "generated: {as: upper(name), mode: virtual}",
                "generated: {as: \"json_extract(attributes, '$.color')\", mode: virtual}",
            ],
        ),
        (
            "views",
            [
                "sql: SELECT author_id, name, books FROM author_stats WHERE books >= 2",
                "sql: SELECT a.id AS author_id, a.name AS name, count(b.id) AS books FROM",
            ],
        ),
    ],
)
def test_a_golden_schema_round_trips(
    case: str, written: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database made from the golden schema's DDL (its SQL views; query views name their
    columns, see below) is pulled exactly: baseline, same facts, `migrate` baselines."""
    statements = [s for s in _golden_statements(case) if not s.startswith(QUERY_VIEWS)]
    database = create_database(tmp_path / "app.db", statements)
    text = _round_trip(database, tmp_path, f"pulled_golden_{case}", capsys)
    for line in written:
        assert line in text, line


def test_views_that_name_their_columns_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "app.db", _golden_statements("views"))
    status, out, err = _pull(tmp_path, f"file:{database}", capsys)
    assert status == 1
    assert "view published_books is not in the schema" in err
    text = (tmp_path / "schema.yaml").read_text(encoding="utf-8")
    for name in ("published_books", "catalog"):
        listed = f"view {name}: its CREATE VIEW names its columns"
        assert listed in out and f"#   - {listed}" in text
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    assert [v.name for v in schema.views] == ["author_stats", "prolific_authors"]


ODD = "'it''s (' || upper(name) || ') ✓ \"q\" -- not a comment'"


def test_odd_generated_expressions_and_view_columns_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Quotes, parentheses, a comment marker and unicode in a generated column's
    expression; a view of expressions, typed by their values."""
    database = create_database(
        tmp_path / "odd.db",
        [
            "CREATE TABLE items (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, "
            f"label TEXT GENERATED ALWAYS AS ({ODD}) VIRTUAL, "
            "size INTEGER GENERATED ALWAYS AS ((length(name) * (2 + 1))) STORED NOT NULL)",
            "CREATE VIEW `item_sizes` AS SELECT id, label, size * 1.5 AS weight, "
            "length(label) AS n FROM items",
            "INSERT INTO items (id, name) VALUES (1, 'é(x)')",
        ],
    )
    _round_trip(database, tmp_path, "pulled_odd", capsys)
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    items = schema.tables[0]
    assert items.column("label").generated == GeneratedIR(ODD, stored=False)
    assert items.column("size").generated == GeneratedIR("(length(name) * (2 + 1))", stored=True)
    [view] = schema.views
    assert [(c.name, c.sql_type) for c in view.columns] == [
        ("id", "integer"),
        ("label", "text"),
        ("weight", "real"),
        ("n", "integer"),
    ]


def test_views_sqlite_cannot_read_or_schema_yaml_cannot_hold_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A view of a missing table (SQLite keeps it, and refuses to read it), a view of a
    table left out, a column referencing one column of a composite key, a generated
    column in SQLite's short form (`AS (...)`), whose expression the facts do not read."""
    database = create_database(
        tmp_path / "hostile.db",
        [
            "CREATE TABLE logs (line TEXT)",
            "CREATE TABLE pairs (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b))",
            "CREATE TABLE refs (id INTEGER PRIMARY KEY NOT NULL, a TEXT REFERENCES pairs (a), "
            "b TEXT, c TEXT, FOREIGN KEY (b, c) REFERENCES pairs)",
            "CREATE TABLE short (id INTEGER PRIMARY KEY NOT NULL, twice INTEGER AS (id * 2))",
            "CREATE VIEW `orphan` AS SELECT x FROM missing",
            "CREATE VIEW `log_lines` AS SELECT line FROM logs",
        ],
    )
    before = _digest(database)
    status, out, err = _pull(tmp_path, f"file:{database}", capsys)
    assert status == 1, out + err
    assert _digest(database) == before
    text = (tmp_path / "schema.yaml").read_text(encoding="utf-8")
    for listed in (
        "view orphan: SQLite cannot read it (",
        "view log_lines: ",
        "table logs: it has no primary key",
        "foreign key refs.a -> pairs(a): the column it references is not a key",
        "table short: the expression of its generated column twice cannot be read",
    ):
        assert listed in out and f"#   - {listed}" in text, listed
    assert "missing" in next(line for line in out.splitlines() if "view orphan" in line)
    assert "refs: its foreign key (b, c) -> pairs names the key it references: (a, b)" in out
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    assert schema.views == ()
    [key] = [k for k in schema.tables[1].foreign_keys if k.composite]
    assert (key.columns, key.target, key.target_columns) == (("b", "c"), "pairs", ("a", "b"))


def test_modes_are_guessed_from_names_and_values_and_commented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(
        tmp_path / "plain.db",
        [
            "CREATE TABLE events (id text PRIMARY KEY NOT NULL, happened_at integer, "
            "is_done integer, count integer, is_odd integer, payload text, note text, "
            "doc blob, amount blob)",
            "INSERT INTO events VALUES ('e1', 1700000000123, 1, 1, 2, '{\"a\": 1}', 'x', "
            "CAST('[1, 2]' AS BLOB), CAST('-42' AS BLOB))",
            "INSERT INTO events VALUES ('e2', 1700000000999, 0, 0, 0, '[]', '{}', "
            "CAST('{}' AS BLOB), CAST('7' AS BLOB))",
            "CREATE TABLE later (id text PRIMARY KEY NOT NULL, "
            "seen_at integer DEFAULT CURRENT_TIMESTAMP, made_at integer, is_new integer)",
        ],
    )
    status, out, _ = _pull(tmp_path, f"file:{database}", capsys)
    assert status == 0
    schema = build_schema(load_source(tmp_path / "schema.yaml"))
    events, later = schema.tables
    # Without rows, a name alone decides, unless the default says otherwise (a
    # CURRENT_TIMESTAMP column holds text).
    assert {c.name: c.mode for c in later.columns} == {
        "id": None,
        "seen_at": None,
        "made_at": "timestamp",
        "is_new": "boolean",
    }
    assert "later.made_at: mode timestamp: named like a time; no values to check" in out
    modes = {c.name: c.mode for c in events.columns}
    assert modes == {
        "id": None,
        "happened_at": "timestamp_ms",  # milliseconds by magnitude
        "is_done": "boolean",
        "count": None,  # 0 and 1, but not named like a flag
        "is_odd": None,  # named like a flag, but holds a 2
        "payload": "json",
        "note": None,  # one value is JSON, the other is not
        "doc": "json",
        "amount": "bigint",
    }
    text = (tmp_path / "schema.yaml").read_text(encoding="utf-8")
    for column in ("happened_at", "is_done", "payload", "doc", "amount"):
        assert f"events.{column}: mode {modes[column]}" in out
    assert "# guessed: mode timestamp_ms: named like a time; 2 values" in text
    assert "whole milliseconds since 1970" in text


def test_pull_refuses_what_it_would_overwrite_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "app.db", ["CREATE TABLE t (id text PRIMARY KEY)"])
    url = f"file:{database}"
    (tmp_path / "schema.yaml").write_text("mine\n", encoding="utf-8")
    status, _, err = _pull(tmp_path, url, capsys)
    assert status == 1 and "schema.yaml exists" in err
    assert (tmp_path / "schema.yaml").read_text(encoding="utf-8") == "mine\n"

    (tmp_path / "schema.yaml").unlink()
    (tmp_path / "migrations" / "0000_init").mkdir(parents=True)
    (tmp_path / "migrations" / "journal.json").write_text(
        json.dumps(
            {"version": 1, "migrations": [{"name": "0000_init", "kind": "data", "sha256": None}]}
        )
    )
    status, _, err = _pull(tmp_path, url, capsys)
    assert status == 1 and "already has migrations (0000_init last)" in err
    assert not (tmp_path / "schema.yaml").exists()

    missing = tmp_path / "missing" / "nothing.db"
    status, _, err = _pull(tmp_path / "missing", f"file:{missing}", capsys)
    assert status == 1 and "there is no database file" in err
    assert not missing.exists()

    empty = create_database(tmp_path / "empty.db", [])
    status, _, err = _pull(tmp_path / "e", f"file:{empty}", capsys)
    assert status == 1 and "has no tables: there is nothing to pull" in err
    assert not (tmp_path / "e" / "schema.yaml").exists()
