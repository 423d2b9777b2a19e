"""`db.usage()` against real sqld: rows read and written as the server reports them per
statement, bytes stored, and the warning before a monthly budget runs out; the same in
the async API. The counting rules alone: test_cluster_rules.py."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from generated.tables import SCHEMA
from libsqlkit import FREE_TIER, ConfigurationError, UsageBudget, connect, connect_async
from tests.cluster_kit import Cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    instance = Cluster(tmp_path_factory.mktemp("usage"), replicas=1).start()
    with connect(SCHEMA, instance.primary.url, auth_token=instance.token()) as admin:
        admin.create_schema()
    instance.wait_caught_up()
    yield instance
    instance.stop()


def test_rows_are_counted_as_the_primary_reports_them(cluster: Cluster) -> None:
    with connect(SCHEMA, cluster.primary.url, auth_token=cluster.token()) as db:
        workflows = WorkflowRepository(db)
        start = db.usage()
        workflows.create(NewWorkflow(type="t", user_id="counted"))
        one = db.usage()
        workflows.create(NewWorkflow(type="t", user_id="counted"))
        two = db.usage()
        # sqld counts the row and its index entries; the same insert counts the same.
        per_insert = one.rows_written - start.rows_written
        assert per_insert >= 1 and two.rows_written - one.rows_written == per_insert
        workflows.create_many([NewWorkflow(type="t", user_id="counted") for _ in range(48)])
        before = db.usage()
        assert len(workflows.find_by_user_id("counted")) == 50
        after = db.usage()
        # 50 rows found, plus the page count usage() itself reads (2 rows each time).
        assert after.rows_read - before.rows_read >= 50
        assert after.rows_written == before.rows_written


def test_writes_forwarded_by_a_replica_count_their_changed_rows(cluster: Cluster) -> None:
    """sqld 0.24 reports 0 rows for a statement a replica forwards: the client counts
    what it changed instead (the index entries the primary also counts are missing)."""
    with connect(SCHEMA, cluster.replicas[0].url, auth_token=cluster.token()) as db:
        workflows = WorkflowRepository(db)
        start = db.usage()
        for _ in range(3):
            workflows.create(NewWorkflow(type="t", user_id="forwarded"))
        assert db.usage().rows_written - start.rows_written == 3


def test_bytes_stored_is_the_size_of_the_database_now(cluster: Cluster) -> None:
    with connect(SCHEMA, cluster.primary.url, auth_token=cluster.token()) as db:
        before = db.usage().bytes_stored
        assert before is not None and before > 0
        db.execute("CREATE TABLE blobs (data BLOB)")
        db.execute("INSERT INTO blobs VALUES (randomblob(1000000))")
        after = db.usage().bytes_stored
        assert after is not None and after - before >= 1_000_000
        db.execute("DROP TABLE blobs")


def test_a_budget_warns_near_its_limit(cluster: Cluster, caplog: pytest.LogCaptureFixture) -> None:
    budget = UsageBudget(rows_written=30, bytes_stored=1_000, warn_at=0.5)
    with (
        connect(SCHEMA, cluster.primary.url, auth_token=cluster.token(), usage_budget=budget) as db,
        caplog.at_level(logging.WARNING, logger="libsqlkit.usage"),
    ):
        workflows = WorkflowRepository(db)
        while db.usage().rows_written < 30:
            workflows.create(NewWorkflow(type="t", user_id="budget"))
    messages = [r.getMessage() for r in caplog.records if r.name == "libsqlkit.usage"]
    written = [m for m in messages if "rows written" in m]
    assert len(written) == 2, written  # near (50%), then over: once each this month
    assert "of the budget's 30" in written[0] and written[1].endswith("(over budget)")
    stored = [m for m in messages if "bytes stored" in m]
    assert len(stored) == 1 and stored[0].endswith("(over budget)")
    assert all(cluster.primary.url in m for m in messages)


def test_the_budget_from_the_environment(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURSO_USAGE_BUDGET", "free")
    with connect(SCHEMA, cluster.primary.url, auth_token=cluster.token()) as db:
        assert db.usage().budget == FREE_TIER
    monkeypatch.setenv("TURSO_USAGE_BUDGET", "rows_read=many")
    with pytest.raises(ConfigurationError, match="TURSO_USAGE_BUDGET"):
        connect(SCHEMA, cluster.primary.url, auth_token=cluster.token())


def test_usage_in_the_async_api(cluster: Cluster) -> None:
    async def scenario() -> tuple[int, int | None]:
        async with connect_async(
            SCHEMA, cluster.primary.url, read_url=cluster.read_urls, auth_token=cluster.token()
        ) as db:
            await db.execute("CREATE TABLE five (n INTEGER)")
            await db.execute("INSERT INTO five VALUES (1), (2), (3), (4), (5)")
            start = await db.usage()
            assert len(await db.execute("SELECT n FROM five")) == 5
            usage = await db.usage()
            return usage.rows_read - start.rows_read, usage.bytes_stored

    read, stored = asyncio.run(scenario())
    assert read >= 5 and stored is not None and stored > 0


def test_a_local_file_has_no_server_to_count(tmp_path: Path) -> None:
    with (
        connect(SCHEMA, f"file:{tmp_path}/app.db") as db,
        pytest.raises(ConfigurationError, match="this database is sqlite3"),
    ):
        db.usage()
