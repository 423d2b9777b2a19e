"""The cluster through the async API: the same levels, routing and failures as the sync
one (test_cluster.py), with concurrent tasks of one client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generated.models import NewWorkflow, Workflow, WorkflowUpdate
from generated.tables import SCHEMA, WORKFLOWS
from libsqlkit import (
    AsyncDatabase,
    AsyncSoftDeleteRepository,
    Unavailable,
    connect,
    connect_async,
    consistency,
)
from libsqlkit._cluster import AsyncClusterEngine
from tests.cluster_kit import AnswerDroppingLink, Cluster
from tests.sqld import Sqld

TASKS, PAIRS_PER_TASK = 10, 30


class Workflows(AsyncSoftDeleteRepository[Workflow, NewWorkflow, WorkflowUpdate, str]):
    table = WORKFLOWS
    select_model = Workflow
    insert_model = NewWorkflow
    update_model = WorkflowUpdate


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    instance = Cluster(tmp_path).start()
    with connect(SCHEMA, instance.primary.url, auth_token=instance.token()) as admin:
        admin.create_schema()
    instance.wait_caught_up()
    yield instance
    instance.stop()


def through_replica(cluster: Cluster) -> AsyncDatabase:
    return connect_async(SCHEMA, cluster.replicas[0].url, auth_token=cluster.token())


def with_read_replicas(cluster: Cluster, *, timeout: float = 10.0) -> AsyncDatabase:
    return connect_async(
        SCHEMA,
        cluster.primary.url,
        read_url=cluster.read_urls,
        auth_token=cluster.token(),
        timeout=timeout,
    )


async def misses(db: AsyncDatabase, pairs: int) -> int:
    workflows = Workflows(db)
    missing = 0
    for _ in range(pairs):
        created = await workflows.create(NewWorkflow(type="t", user_id="async"))
        missing += await workflows.get(created.id) is None
    return missing


@pytest.mark.parametrize("topology", ["one replica URL", "read replicas"])
def test_concurrent_tasks_read_their_own_writes(cluster: Cluster, topology: str) -> None:
    async def scenario() -> list[int]:
        opened = through_replica if topology == "one replica URL" else with_read_replicas
        async with opened(cluster) as db:
            return await asyncio.gather(*(misses(db, PAIRS_PER_TASK) for _ in range(TASKS)))

    assert asyncio.run(scenario()) == [0] * TASKS


def test_a_primary_block_belongs_to_its_task(cluster: Cluster) -> None:
    """A task created inside `consistency("primary")` reads the primary; a task of the
    same client created outside it reads the replica, at the same time."""

    async def scenario() -> None:
        async with (
            connect_async(SCHEMA, cluster.primary.url, auth_token=cluster.token()) as writer,
            with_read_replicas(cluster) as reader,
        ):
            engine = reader._engine
            assert isinstance(engine, AsyncClusterEngine)
            written, read = Workflows(writer), Workflows(reader)

            async def check(rounds: int) -> int:
                stale = 0
                for _ in range(rounds):
                    created = await written.create(NewWorkflow(type="t", user_id="other"))
                    stale += await read.get(created.id) is None
                return stale

            primary, replica = engine.primary.round_trips, engine.replicas[0].round_trips
            with consistency("primary"):
                strong = asyncio.create_task(check(50))
            session = asyncio.create_task(check(50))
            assert await strong == 0
            assert await session > 0  # it has not written: nothing to wait for
            assert engine.primary.round_trips - primary == 50
            assert engine.replicas[0].round_trips - replica == 50

    asyncio.run(scenario())


def test_the_primary_killed_writes_fail_typed_and_reads_go_on(cluster: Cluster) -> None:
    async def scenario() -> None:
        async with with_read_replicas(cluster, timeout=2.0) as db:
            workflows = Workflows(db)
            created = await workflows.create(NewWorkflow(type="t", user_id="survivor"))
            assert await workflows.get(created.id) == created
            cluster.primary.kill()
            started_at = time.monotonic()
            with pytest.raises(Unavailable, match="cannot reach"):
                await workflows.create(NewWorkflow(type="t", user_id="lost"))
            with pytest.raises(Unavailable, match="cannot reach"):
                async with db.transaction():
                    await workflows.create(NewWorkflow(type="t", user_id="lost"))
            assert time.monotonic() - started_at < 1.0
            found = await asyncio.gather(*(workflows.get(created.id) for _ in range(20)))
            assert found == [created] * 20

    asyncio.run(scenario())


def test_reads_move_to_the_other_replica_when_one_is_killed(cluster: Cluster) -> None:
    async def scenario() -> None:
        async with with_read_replicas(cluster) as db:
            engine = db._engine
            assert isinstance(engine, AsyncClusterEngine)
            workflows = Workflows(db)
            created = await workflows.create(NewWorkflow(type="t", user_id="moved"))

            async def keep_reading(until: float) -> None:
                while time.monotonic() < until:
                    assert await workflows.get(created.id) == created

            readers = [asyncio.create_task(keep_reading(time.monotonic() + 0.6)) for _ in range(4)]
            await asyncio.sleep(0.2)
            cluster.replicas[0].kill()  # reads in flight there are sent again
            far = engine.replicas[1].round_trips
            await asyncio.gather(*readers)
            assert engine.replicas[1].round_trips > far
            assert await misses(db, 20) == 0

    asyncio.run(scenario())


def test_a_write_whose_answer_is_lost_is_not_sent_again(tmp_path: Path) -> None:
    server = Sqld(tmp_path / "sqld", auth=True).start()
    link = AnswerDroppingLink(server.port)

    async def scenario() -> None:
        async with connect_async(SCHEMA, link.url, auth_token=server.token()) as db:
            await db.execute("CREATE TABLE events (marker TEXT)")
            link.drop_answers = 1
            with pytest.raises(Unavailable, match="may have been applied, so it was not sent"):
                await db.execute("INSERT INTO events VALUES ('once')")
            assert await db.execute("SELECT count(*) FROM events") == [(1,)]
            link.drop_answers = 1
            assert await db.execute("SELECT marker FROM events") == [("once",)]

    try:
        asyncio.run(scenario())
    finally:
        link.close()
        server.stop()
