"""Concurrent callers never wait on or leak into each other, in every mode.

The sync API with threads and the async API with tasks, on a file (both local drivers),
on a remote sqld, on an embedded replica of it and on an offline-sync device:
- a caller's failed transaction takes no write of another caller with it;
- while a caller holds a write transaction open, the others' reads complete at once;
- 200 concurrent callers each create and read a row: every one lands, without error.
Times are bounds against hangs, never measurements (those are in `make bench`).
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generated.client import (
    AsyncDbClient,
    DbClient,
    create_async_db_client,
    create_db_client,
)
from generated.models import NewWorkflow
from generated.repositories import AsyncWorkflowRepository, WorkflowRepository
from libsqlkit import Timeout, WouldBlock
from tests.conftest import reset_server
from tests.sqld import WEDGE_FREE_CHECKPOINT_S, Sqld

HOLD = 1.0  # how long a writer keeps its transaction open
PROMPT = 0.5  # a read that waited for it would take longer than this


@pytest.fixture(scope="module")
def sqld_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sqld]:
    """This module's own sqld, checkpointing on a timer: 200 concurrent writers on a
    server whose WAL earlier tests grew can meet sqld 0.24's checkpoint wedge."""
    server = Sqld(
        tmp_path_factory.mktemp("sqld"), auth=True, checkpoint_interval_s=WEDGE_FREE_CHECKPOINT_S
    ).start()
    yield server
    server.stop()


def _new(user: str) -> NewWorkflow:
    return NewWorkflow(type="t", user_id=user)


# -- the sync API, with threads ----------------------------------------------------------


def test_threads_a_failed_transaction_takes_no_write_of_another_caller_with_it(
    sync_db: DbClient,
) -> None:
    workflows = WorkflowRepository(sync_db)
    inside = threading.Event()

    def failing() -> None:
        with pytest.raises(RuntimeError), sync_db.transaction():
            workflows.create(_new("a"))
            inside.set()
            time.sleep(0.3)
            raise RuntimeError("request A fails")

    a = threading.Thread(target=failing)
    a.start()
    assert inside.wait(10)
    workflows.create(_new("b"))  # waits for A's writer (locally) or its stream (remotely)
    a.join()
    assert [w.user_id for w in workflows.find_many()] == ["b"]


def test_threads_reads_do_not_wait_for_another_callers_write_transaction(
    sync_db: DbClient,
) -> None:
    workflows = WorkflowRepository(sync_db)
    committed = workflows.create(_new("before"))
    inside, done = threading.Event(), threading.Event()

    def holding() -> None:
        with sync_db.transaction():
            workflows.create(_new("uncommitted"))
            inside.set()
            done.wait(HOLD)

    a = threading.Thread(target=holding)
    a.start()
    assert inside.wait(10)
    started = time.monotonic()
    seen = [w.user_id for w in workflows.find_many()]
    elapsed = time.monotonic() - started
    done.set()
    a.join()
    assert elapsed < PROMPT, f"a read waited {elapsed:.2f} s behind a write transaction"
    assert seen == [committed.user_id]  # never another caller's uncommitted row


def test_threads_200_callers_each_create_and_read(sync_db: DbClient) -> None:
    workflows = WorkflowRepository(sync_db)
    failures: list[BaseException] = []
    read_back: list[bool] = []

    def one(i: int) -> None:
        try:
            created = workflows.create(_new(f"u{i}"))
            read_back.append(workflows.get(created.id) == created)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert read_back == [True] * 200
    assert workflows.count() == 200


# -- the async API, with tasks -----------------------------------------------------------


async def test_tasks_a_failed_transaction_takes_no_write_of_another_task_with_it(
    async_db: AsyncDbClient,
) -> None:
    workflows = AsyncWorkflowRepository(async_db)
    inside = asyncio.Event()

    async def failing() -> None:
        with pytest.raises(RuntimeError):
            async with async_db.transaction():
                await workflows.create(_new("a"))
                inside.set()
                await asyncio.sleep(0.3)
                raise RuntimeError("request A fails")

    async def other() -> None:
        await inside.wait()
        await workflows.create(_new("b"))

    await asyncio.gather(failing(), other())
    assert [w.user_id for w in await workflows.find_many()] == ["b"]


async def test_tasks_reads_do_not_wait_for_another_tasks_write_transaction(
    async_db: AsyncDbClient,
) -> None:
    workflows = AsyncWorkflowRepository(async_db)
    committed = await workflows.create(_new("before"))
    inside, done = asyncio.Event(), asyncio.Event()

    async def holding() -> None:
        async with async_db.transaction():
            await workflows.create(_new("uncommitted"))
            inside.set()
            await asyncio.wait_for(done.wait(), HOLD)

    async def reading() -> tuple[float, list[str]]:
        await inside.wait()
        started = time.monotonic()
        seen = [w.user_id for w in await workflows.find_many()]
        elapsed = time.monotonic() - started
        done.set()
        return elapsed, seen

    _, (elapsed, seen) = await asyncio.gather(holding(), reading())
    assert elapsed < PROMPT, f"a read waited {elapsed:.2f} s behind a write transaction"
    assert seen == [committed.user_id]


async def test_tasks_200_each_create_and_read(async_db: AsyncDbClient) -> None:
    workflows = AsyncWorkflowRepository(async_db)

    async def one(i: int) -> bool:
        created = await workflows.create(_new(f"u{i}"))
        return await workflows.get(created.id) == created

    assert await asyncio.gather(*(one(i) for i in range(200))) == [True] * 200
    assert await workflows.count() == 200


# -- more remote transactions than connections ------------------------------------------
# Each waits on sqld for the write lock with its BEGIN; before a transaction held its own
# connection, the waiters took them all and the lock's holder could not send its COMMIT:
# every caller timed out. The client's timeout is short so that a stall fails fast.
POOL, CALLERS, TIMEOUT = 4, 12, 4.0


def test_threads_more_remote_transactions_than_connections_all_commit(sqld_server: Sqld) -> None:
    reset_server(sqld_server)
    url, token = sqld_server.url, sqld_server.token()
    with create_db_client(url, auth_token=token, pool_size=POOL, timeout=TIMEOUT) as db:
        db.create_schema()
        workflows = WorkflowRepository(db)

        def one(i: int) -> None:
            with db.transaction():
                for _ in range(3):
                    workflows.create(_new(f"u{i}"))

        with ThreadPoolExecutor(CALLERS) as callers:
            list(callers.map(one, range(CALLERS)))
        assert workflows.count() == 3 * CALLERS


async def test_tasks_more_remote_transactions_than_connections_all_commit(
    sqld_server: Sqld,
) -> None:
    reset_server(sqld_server)
    url, token = sqld_server.url, sqld_server.token()
    async with create_async_db_client(url, auth_token=token, pool_size=POOL, timeout=TIMEOUT) as db:
        await db.create_schema()
        workflows = AsyncWorkflowRepository(db)

        async def one(i: int) -> None:
            async with db.transaction():
                for _ in range(3):
                    await workflows.create(_new(f"u{i}"))

        await asyncio.gather(*(one(i) for i in range(CALLERS)))
        assert await workflows.count() == 3 * CALLERS


async def test_tasks_a_call_that_finds_every_connection_taken_waits_only_the_timeout(
    sqld_server: Sqld,
) -> None:
    """When no connection comes free, a call gives up after the client's timeout and says
    so (the slot wait that a free slot skips), and the holder's transaction is unharmed."""
    reset_server(sqld_server)
    url, token = sqld_server.url, sqld_server.token()
    async with create_async_db_client(url, auth_token=token, pool_size=1, timeout=0.5) as db:
        await db.create_schema()
        workflows = AsyncWorkflowRepository(db)
        async with db.transaction():  # holds the only connection until it ends
            await workflows.create(_new("holder"))
            started = time.monotonic()
            with pytest.raises(Timeout, match=r"no connection to .* came free within 0\.5 s"):
                # A task of its own context: outside the transaction, as another request.
                await asyncio.create_task(workflows.count(), context=contextvars.Context())
            assert 0.4 <= time.monotonic() - started < 3
        assert await workflows.count() == 1


# -- the sync API called from async code ---------------------------------------------------


async def test_the_sync_api_on_one_event_loop_never_joins_nor_deadlocks(tmp_path: Path) -> None:
    """The issue's case: request B's write used to join request A's open transaction (the
    lock belonged to the thread) and was lost when A failed. Now B's write, which would
    wait for A forever (A cannot go on while B blocks the loop), is refused at once with
    the fix named; B's reads go on; A's failure rolls back only A's write."""
    with create_db_client(f"file:{tmp_path / 'app.db'}") as db:
        db.create_schema()
        workflows = WorkflowRepository(db)
        inside = asyncio.Event()

        async def request_a() -> None:
            with pytest.raises(RuntimeError), db.transaction():
                workflows.create(_new("a"))
                inside.set()
                await asyncio.sleep(0.2)
                raise RuntimeError("request A fails")

        async def request_b() -> None:
            await inside.wait()
            assert workflows.count() == 0  # reads never wait
            with pytest.raises(WouldBlock, match="create_async_db_client"):
                workflows.create(_new("b"))

        await asyncio.wait_for(asyncio.gather(request_a(), request_b()), 10)
        assert workflows.count() == 0
