"""Every statement of a sync is driven by its pushed chunk or pulled page: none scans the
change log or a synced table. SQLite has no statistics for them, and a join it reorders
scans the whole change log once per pushed row (a 6,000-row push took seconds on sqld
before the inner joins became CROSS JOINs). The plans are SQLite's own, read with
EXPLAIN QUERY PLAN on a migrated database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from generated.client import DbClient, create_db_client
from generated.tables import SCHEMA
from libsqlkit._migrate import Migrator
from libsqlkit._placeholders import parameter_count
from libsqlkit._sync import SyncCore
from libsqlkit._sync_sql import PAGE, TableSync, page_sql
from tests.sync_kit import MIGRATIONS

# what a statement may scan: the chunk (json_each or the staging table, `j` and `k`)
# and the CTEs over it; a search of the change log by table alone is a scan of it
DRIVEN = re.compile(r"SCAN (j|k|src|clash|every|p)\b|SCAN temp\.__libsqlkit_in_")
PARTIAL = re.compile(r"\(tbl=\?\)")


@pytest.fixture(params=["sqlite3", "libsql"])
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    """A migrated database holding a change log of some size, without statistics (as on
    a server: the planner then guesses, and guessed the change log as the outer loop)."""
    with create_db_client(f"file:{tmp_path / 'device.db'}", driver=request.param) as client:
        Migrator(client, MIGRATIONS).migrate()
        client.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
            "INSERT INTO workflows (id, type, user_id, created_at, updated_at) "
            "SELECT 'w' || i, 't', 'u' || (i % 7), 1, 1 FROM n"
        )
        yield client


def _statements(table: TableSync) -> list[str]:
    local = [table.conflicting, table.received, table.local_clashes]
    local += [sql for sql, _ in (*table.apply, *table.record)]
    server = [table.unseen, table.refused, *(sql for sql, _ in table.push(frozenset()))]
    return [sql for sql in (*server, *local) if sql]


def _undriven(db: DbClient, sql: str) -> list[str]:
    """The loops of the statement's plan that are not over the chunk."""
    plan = db.execute(f"EXPLAIN QUERY PLAN {sql}", (None,) * parameter_count(sql))
    details = [str(detail) for *_, detail in plan]
    scans = [d for d in details if d.startswith("SCAN") and not DRIVEN.match(d)]
    return scans + [d for d in details if d.startswith("SEARCH") and PARTIAL.search(d)]


def test_no_sync_statement_scans_the_change_log_or_a_synced_table(db: DbClient) -> None:
    with db.transaction():
        tables = SyncCore(SCHEMA)._state(db).tables
        assert {"workflows", "user_settings"} <= set(tables)
        checked = 0
        for table in tables.values():
            db.execute(table.create_stage)
            for sql in _statements(table):
                assert _undriven(db, sql) == [], sql
                checked += 1
        assert _undriven(db, page_sql(list(tables.values()), PAGE, "?5")) == []
    assert checked > 20
