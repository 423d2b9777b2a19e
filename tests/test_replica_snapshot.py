"""An embedded replica and sqld's log compaction: sqld compacts its replication log and
writes the snapshot that replaces it in the background, and a replica that needs those
frames before the snapshot is written is refused ("snapshot not found"). Seen in the
full test suite and the benchmark; here the window is made on a real sqld by moving the
written snapshot away (as if not yet written) and back."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generated.client import DbClient, create_async_db_client, create_db_client
from generated.models import NewWorkflow
from generated.repositories import AsyncWorkflowRepository, WorkflowRepository
from libsqlkit import Unavailable
from tests.sqld import Sqld

ROWS = 15  # of 100 KB: past a 1 MB log, which sqld then compacts


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sqld]:
    monkeypatch.setenv("SQLD_MAX_LOG_SIZE", "1")  # MB: compact after a few writes
    sqld = Sqld(tmp_path / "sqld", auth=True).start()
    yield sqld
    sqld.stop()


def _compacted(server: Sqld) -> list[Path]:
    """Write past the log's size, and wait for the snapshot sqld writes: its files."""
    with create_db_client(server.url, auth_token=server.token()) as db:
        db.create_schema()
        big = NewWorkflow(type="t", user_id="u", input_payload={"text": "x" * 100_000})
        WorkflowRepository(db).create_many([big] * ROWS)
    deadline = time.monotonic() + 20
    while not (snapshots := sorted(server.folder.rglob("snapshots/*.snap"))):
        assert time.monotonic() < deadline, "sqld wrote no snapshot"
        time.sleep(0.05)
    return snapshots


class _Pending:
    """The snapshots moved away, as if sqld had not written them yet, and put back after
    `after` seconds (never, with None)."""

    def __init__(self, snapshots: list[Path], after: float | None) -> None:
        self._places = [(path, path.with_suffix(".hidden")) for path in snapshots]
        for path, hidden in self._places:
            shutil.move(path, hidden)
        self._timer = threading.Timer(after, self.written) if after is not None else None
        if self._timer is not None:
            self._timer.start()

    def written(self) -> None:
        for path, hidden in self._places:
            if hidden.exists():
                shutil.move(hidden, path)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
        self.written()


def _replica(server: Sqld, path: Path, timeout: float = 10.0) -> DbClient:
    return create_db_client(
        f"file:{path}", sync_url=server.url, auth_token=server.token(), timeout=timeout
    )


def test_a_replica_opened_before_the_snapshot_is_written_waits_for_it(
    server: Sqld, tmp_path: Path
) -> None:
    pending = _Pending(_compacted(server), after=1.0)
    try:
        started = time.monotonic()
        with _replica(server, tmp_path / "replica.db") as replica:
            assert time.monotonic() - started >= 0.9
            assert WorkflowRepository(replica).count() == ROWS
    finally:
        pending.close()


def test_an_async_replica_waits_for_the_snapshot_too(server: Sqld, tmp_path: Path) -> None:
    pending = _Pending(_compacted(server), after=1.0)

    async def count() -> int:
        url, token = server.url, server.token()
        async with create_async_db_client(
            f"file:{tmp_path / 'replica.db'}", sync_url=url, auth_token=token
        ) as replica:
            return await AsyncWorkflowRepository(replica).count()

    try:
        assert asyncio.run(count()) == ROWS
    finally:
        pending.close()


def test_a_snapshot_never_written_fails_typed_within_the_timeout(
    server: Sqld, tmp_path: Path
) -> None:
    pending = _Pending(_compacted(server), after=None)
    try:
        started = time.monotonic()
        with pytest.raises(Unavailable, match=r"has not written the snapshot .* waited 2 s"):
            _replica(server, tmp_path / "replica.db", timeout=2.0)
        assert time.monotonic() - started < 6
    finally:
        pending.close()


def test_a_replica_behind_the_compaction_reads_its_own_write_once_the_snapshot_is_there(
    server: Sqld, tmp_path: Path
) -> None:
    """Opened before the writes, it pulls after the compaction: its read of its own write
    waits for the snapshot instead of reading the local copy without it."""
    with _replica(server, tmp_path / "replica.db") as replica:
        snapshots = _compacted(server)
        repository = WorkflowRepository(replica)
        pending = _Pending(snapshots, after=1.0)
        try:
            mine = repository.create(NewWorkflow(type="mine", user_id="me"))
            assert repository.get(mine.id) == mine
            assert repository.count() == ROWS + 1
        finally:
            pending.close()


def test_readers_queued_behind_a_missing_snapshot_do_not_each_wait_it_out(
    server: Sqld, tmp_path: Path
) -> None:
    """The first read after the client's write waits the window out and reads the local
    copy; the readers queued behind it on the replica's connection try once each."""
    with _replica(server, tmp_path / "replica.db", timeout=2.0) as replica:
        replica.create_schema()
        repository = WorkflowRepository(replica)
        assert repository.count() == 0  # the schema pulled
        pending = _Pending(_compacted(server), after=None)
        try:
            repository.create(NewWorkflow(type="mine", user_id="me"))
            counts: list[int] = []
            started = time.monotonic()
            readers = [
                threading.Thread(target=lambda: counts.append(repository.count())) for _ in range(3)
            ]
            for reader in readers:
                reader.start()
            for reader in readers:
                reader.join()
            elapsed = time.monotonic() - started
        finally:
            pending.close()
        assert counts == [0, 0, 0]  # the local copy, with a warning
        assert 1.9 <= elapsed < 3.5  # one window of 2 s, not three
