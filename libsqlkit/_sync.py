"""Offline-first sync with a libSQL server: push local changes, pull remote ones, and let
the last write win, row by row, by the version the change-log triggers gave each write.

A sync is one round trip for up to 1,000 rows each way: a single atomic batch on the
server checks which pushed rows were also changed there, writes every pushed row whose
version is newer than the server's, and reads a page of what other databases changed
since this device's cursor. The local side then applies the pulled rows that are newer
than its own, in the server's commit order, in one local transaction, and moves the
cursor. More changes take more such requests (chunks to push, pages to pull). Everything is keyed by (table, key, version), so
a sync that is retried after any failure applies nothing twice.

The network is never waited for while holding the database: local reads and writes go
on during a sync, and a write made meanwhile is simply sent next time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from libsqlkit._changelog import ROWS, STATE, hlc_parts
from libsqlkit._errors import DatabaseError, SchemaStateError
from libsqlkit._rows import Row
from libsqlkit._schema import Schema
from libsqlkit._sync_report import Conflict, SyncReport
from libsqlkit._sync_sql import (
    LOCAL_VERSION,
    RECORD_IF_NEWER,
    RECORD_PULLED,
    SEEN,
    Change,
    TableSync,
    quote,
)

if TYPE_CHECKING:
    from libsqlkit._async_database import AsyncDatabase
    from libsqlkit._database import Database

__all__ = ["AsyncSyncer", "Executor", "Local", "Server", "SyncCore", "Syncer"]

T = TypeVar("T")

SyncStatus = Literal["SYNCING", "COMPLETED", "FAILED"]


PUSH_ROWS = 1000  # changes per request, and at most PUSH_BYTES of values
PUSH_BYTES = 2_000_000
PULL_ROWS = 1000  # rows per page: requests and responses stay far below server limits


def _latest(versions: Sequence[str]) -> tuple[int, int]:
    return max([(0, 0), *((hlc_parts(v)[0], hlc_parts(v)[1]) for v in versions)])


def _size(change: Change) -> int:
    values = change.values or ()
    return 64 + sum(len(v) if isinstance(v, str | bytes) else 8 for v in values)


def _chunks(changes: list[Change]) -> list[list[Change]]:
    chunks: list[list[Change]] = [[]]
    size = 0
    for change in changes:
        if len(chunks[-1]) >= PUSH_ROWS or (chunks[-1] and size + _size(change) > PUSH_BYTES):
            chunks.append([])
            size = 0
        chunks[-1].append(change)
        size += _size(change)
    return chunks


Cursor = tuple[int, str, Any]  # (seq, table, key) of the last change-log entry received


@dataclass
class _Round:
    """What one sync found so far."""

    device: str
    cursor: Cursor
    top: int  # this device's changes up to this seq are in the push
    waiting: set[tuple[str, Any]]  # changed here, not sent yet
    pushed: set[tuple[str, Any]]
    conflicts: list[Conflict]
    applied: int = 0


@dataclass(frozen=True)
class Local(Generic[T]):
    """A step on the local database: `work` runs in one transaction (foreign keys off
    when asked) with an executor of statements, and its result is sent back."""

    work: Callable[[Executor], T]
    foreign_keys_off: bool = False


@dataclass(frozen=True)
class Server:
    """A step on the server: the statements run as one atomic batch, foreign keys off
    (a device's changes land in its commit order: a child may come before its changed
    parent, and cascades were made on the device). Their rows are sent back."""

    statements: list[tuple[str, Sequence[Any]]]


Step = Local[Any] | Server


class Executor(Protocol):
    """What local work runs statements with: the sync Database inside its transaction,
    or the async engine's writer connection on its own thread."""

    def execute(
        self, sql: str, params: Sequence[Any] = (), *, table: str | None = None
    ) -> list[Row]: ...


class SyncCore:
    """One sync of a device's `sync: true` tables with a server, without I/O.

    `steps()` yields what to do, local or on the server, and is sent each step's result;
    the sync `Syncer` and the async `AsyncSyncer` only carry the steps out, so the
    protocol exists once for both APIs.
    """

    def __init__(self, schema: Schema) -> None:
        names = [table.name for table in schema.synced]
        self._tables = {table.name: TableSync(table, names) for table in schema.synced}
        self._metadata = schema.table(schema.sync_metadata) if schema.sync_metadata else None

    def pending(self, db: Executor) -> dict[str, int]:
        """Per synced table, how many rows changed here since the last completed sync."""
        rows = db.execute(
            f"SELECT tbl, count(*) FROM `{ROWS}` WHERE seq > "
            f"(SELECT pushed_seq FROM `{STATE}` WHERE id = 1) GROUP BY tbl"
        )
        counts = dict.fromkeys(self._tables, 0)
        counts.update({table: count for table, count in rows if table in counts})
        return counts

    def mark(self, status: SyncStatus) -> Local[None]:
        return Local(lambda db: self._write_status(db, status, None))

    def steps(self, url: str) -> Generator[Step, Any, tuple[int, _Round]]:
        """Requests until every change is pushed and a pull page comes back short."""
        state, changes = yield Local(lambda db: self._local_changes(db, url))
        chunks = _chunks(changes)
        last = len(chunks) - 1
        for number, chunk in enumerate(chunks):
            keys = {(c.table, c.key) for c in chunk}
            state.waiting -= keys
            state.pushed |= keys
            full = yield from self._exchange(state, chunk)
            while number == last and full:
                full = yield from self._exchange(state, [])
        yield Local(lambda db: self._finish(db, state))
        return len(changes), state

    def _local_changes(self, db: Executor, url: str) -> tuple[_Round, list[Change]]:
        """This device's changes not yet sent, read in one transaction (a consistent set)."""
        try:
            [(device, pushed_seq, seq, tbl, pk, top)] = db.execute(
                f"SELECT device, pushed_seq, pulled_seq, pulled_tbl, pulled_pk, seq "
                f"FROM `{STATE}` WHERE id = 1"
            )
            changes = [
                table.change(row)
                for table in self._tables.values()
                for row in db.execute(table.local_changes, (pushed_seq,))
            ]
        except DatabaseError as exc:
            if "no such" in str(exc):
                raise SchemaStateError(
                    f"{url} has no sync change log, or an older one: apply the migrations"
                ) from None
            raise
        changes.sort(key=lambda c: c.seq)
        waiting = {(c.table, c.key) for c in changes}
        return _Round(device, (seq, tbl, pk), top, waiting, set(), []), changes

    def _exchange(self, state: _Round, chunk: list[Change]) -> Generator[Step, Any, bool]:
        """One request: push a chunk, pull a page, apply it. True if the page was full."""
        statements, readers = self._batch(state, chunk)
        results = yield Server(statements)
        found = list(zip(readers, results, strict=True))
        unseen = {
            (table, key): version
            for (table, kind), rows in found
            if kind == "unseen"
            for key, version in rows
        }
        for change in chunk:
            theirs = unseen.get((change.table, change.key))
            if theirs is not None:
                winner: Literal["local", "remote"] = (
                    "local" if change.version > theirs else "remote"
                )
                state.conflicts.append(
                    Conflict(change.table, change.key, winner, change.version, theirs)
                )
        page = [
            self._tables[table].change(row)
            for (table, kind), rows in found
            if kind == "pull"
            for row in rows
        ]
        page.sort(key=lambda c: (c.seq, c.table, c.key))
        server_seq = next(rows[0][0] for (_, kind), rows in found if kind == "state")
        full = len(page) > PULL_ROWS  # one row more was asked for, to know if more remain
        page = page[:PULL_ROWS]
        # A short page has everything up to the server's seq at that moment.
        cursor = (page[-1].seq, page[-1].table, page[-1].key) if full else (server_seq + 1, "", "")
        yield Local(lambda db: self._apply(db, state, page, cursor), foreign_keys_off=True)
        state.cursor = cursor
        return full

    def _batch(
        self, state: _Round, chunk: list[Change]
    ) -> tuple[list[tuple[str, Sequence[Any]]], list[tuple[str, str]]]:
        """The server's statements, and (table, what) for each statement's rows; all run
        in one transaction, so the page read is consistent and the push all or nothing."""
        statements: list[tuple[str, Sequence[Any]]] = []
        readers: list[tuple[str, str]] = []

        def add(sql: str, params: Sequence[Any], table: str = "", kind: str = "") -> None:
            statements.append((sql, params))
            readers.append((table, kind))

        seen = (*state.cursor, state.device)
        for name, table in self._tables.items():
            keys = [c.key for c in chunk if c.table == name]
            if keys:
                add(table.unseen, (*seen, json.dumps(keys)), name, "unseen")
        if chunk:
            add(f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1", ())
            for number, change in enumerate(chunk, start=1):
                table = self._tables[change.table]
                record = (change.table, change.key, change.version, int(change.deleted), number)
                add(RECORD_IF_NEWER, record)
                if change.values is None:
                    add(table.delete_if_current, (change.key, change.key, change.version))
                else:
                    add(table.write_if_current, (*change.values, change.key, change.version))
            wall, counter = _latest([c.version for c in chunk])
            add(
                f"UPDATE `{STATE}` SET seq = seq + ?3, applying = 0, {SEEN} WHERE id = 1",
                (wall, counter, len(chunk)),
            )
        add(f"SELECT seq FROM `{STATE}` WHERE id = 1", (), kind="state")
        for name, table in self._tables.items():
            add(table.remote_page, (*seen, PULL_ROWS + 1), name, "pull")
        return statements, readers

    def _apply(self, db: Executor, state: _Round, page: list[Change], cursor: Cursor) -> None:
        """Write the pulled rows that are newer than this device's, in commit order, and
        move the cursor past them (one local transaction, foreign keys off: the rows
        mirror the server's, and a parent changed after its child may come a page later;
        no local cascade may add to what the server decided)."""
        db.execute(f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1")
        for change in page:
            table = self._tables[change.table]
            local = db.execute(LOCAL_VERSION, (change.table, change.key))
            mine, my_seq = local[0] if local else (None, None)
            key = (change.table, change.key)
            meanwhile = my_seq is not None and my_seq > state.top and key not in state.pushed
            if mine is not None and (key in state.waiting or meanwhile):
                # Changed here too, and not yet sent: a conflict, decided here.
                winner: Literal["local", "remote"] = "local" if mine > change.version else "remote"
                state.conflicts.append(
                    Conflict(change.table, change.key, winner, mine, change.version)
                )
            if mine is not None and mine >= change.version:
                continue
            if change.values is None:
                db.execute(table.delete, (change.key,), table=change.table)
            else:
                db.execute(table.write, change.values, table=change.table)
            db.execute(
                RECORD_PULLED, (change.table, change.key, change.version, int(change.deleted))
            )
            state.applied += 1
        wall, counter = _latest([c.version for c in page])
        db.execute(
            f"UPDATE `{STATE}` SET applying = 0, pulled_seq = ?3, pulled_tbl = ?4, "
            f"pulled_pk = ?5, {SEEN} WHERE id = 1",
            (wall, counter, *cursor),
        )

    def _finish(self, db: Executor, state: _Round) -> None:
        """Every change up to `top` is on the server: mark them sent, and the sync done."""
        db.execute(
            f"UPDATE `{STATE}` SET pushed_seq = max(pushed_seq, ?) WHERE id = 1", (state.top,)
        )
        self._write_status(db, "COMPLETED", datetime.now(UTC))

    # -- sync_metadata ---------------------------------------------------------------

    def _write_status(self, db: Executor, status: SyncStatus, at: datetime | None) -> None:
        """One row per synced table: its status, and when it last completed."""
        meta = self._metadata
        if meta is None:
            return
        t = quote(meta.name)
        last = meta.column("last_sync_at")
        for name in self._tables:
            updated = db.execute(
                f"UPDATE {t} SET sync_status = ?, last_sync_at = coalesce(?, last_sync_at) "
                "WHERE table_name = ? RETURNING 1",
                (status, last.encode(at), name),
                table=meta.name,
            )
            if updated:
                continue
            values: dict[str, Any] = {
                "table_name": name,
                "sync_status": status,
                "last_sync_at": last.encode(at),
            }
            for column in meta.columns:
                if column.client_default == "uuid4":
                    values[column.name] = str(uuid.uuid4())
                elif column.client_default == "now":
                    values[column.name] = column.encode(datetime.now(UTC))
            columns = ", ".join(quote(c) for c in values)
            marks = ", ".join("?" for _ in values)
            db.execute(
                f"INSERT INTO {t} ({columns}) VALUES ({marks})",
                tuple(values.values()),
                table=meta.name,
            )


def server_error(exc: DatabaseError, url: str) -> DatabaseError | SchemaStateError:
    """A refused server batch, named: a missing change log or another schema."""
    message = str(exc)
    if "no such" in message and "__libsqlkit" in message:
        return SchemaStateError(
            f"the server {url} has no sync change log, or an older one: "
            "apply the migrations to it (python -m libsqlkit migrate with its URL)"
        )
    if "no such" in message or "has no column named" in message:
        return SchemaStateError(
            f"the server's schema differs from this device's ({message}): apply the "
            "same migrations to both"
        )
    return exc


def _report(pushed: int, state: _Round, trips: int, started: float) -> SyncReport:
    return SyncReport(
        pushed=pushed,
        pulled=state.applied,
        conflicts=tuple(state.conflicts),
        round_trips=trips,
        seconds=time.perf_counter() - started,
    )


class Syncer:
    """Carries out `SyncCore`'s steps for the sync `Database`; one sync at a time."""

    def __init__(self, remote: Database, schema: Schema) -> None:
        self._remote = remote
        self._core = SyncCore(schema)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._remote.close()

    def pending(self, db: Database) -> dict[str, int]:
        return self._core.pending(db)

    def _local(self, db: Database, step: Local[T]) -> T:
        if not step.foreign_keys_off:
            with db.transaction():
                return step.work(db)
        with db.foreign_keys_off(), db.transaction():
            return step.work(db)

    def _server(self, step: Server) -> list[list[Row]]:
        try:
            with self._remote.foreign_keys_off():
                return self._remote.batch(step.statements)
        except DatabaseError as exc:
            raise server_error(exc, self._remote.url) from None

    def sync(self, db: Database) -> SyncReport:
        with self._lock:
            started, trips = time.perf_counter(), self._remote.round_trips
            self._local(db, self._core.mark("SYNCING"))
            try:
                steps = self._core.steps(db.url)
                reply: Any = None
                while True:
                    try:
                        step = steps.send(reply)
                    except StopIteration as done:
                        pushed, state = done.value
                        break
                    reply = self._local(db, step) if isinstance(step, Local) else self._server(step)
            except BaseException:
                with contextlib.suppress(DatabaseError):  # the sync's own error matters
                    self._local(db, self._core.mark("FAILED"))
                raise
            return _report(pushed, state, self._remote.round_trips - trips, started)


class AsyncSyncer:
    """Carries out `SyncCore`'s steps for the `AsyncDatabase`: local work whole on the
    writer's own thread, the server's batch awaited; one sync at a time."""

    def __init__(self, remote: AsyncDatabase, schema: Schema) -> None:
        self._remote = remote
        self._core = SyncCore(schema)
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        await self._remote.close()

    async def pending(self, db: AsyncDatabase) -> dict[str, int]:
        return await db.run_locally(self._core.pending)

    @staticmethod
    async def _local(db: AsyncDatabase, step: Local[T]) -> T:
        return await db.run_locally(step.work, foreign_keys_off=step.foreign_keys_off)

    async def _server(self, step: Server) -> list[list[Row]]:
        try:
            async with self._remote.foreign_keys_off():
                return await self._remote.batch(step.statements)
        except DatabaseError as exc:
            raise server_error(exc, self._remote.url) from None

    async def sync(self, db: AsyncDatabase) -> SyncReport:
        async with self._lock:
            started, trips = time.perf_counter(), self._remote.round_trips
            await self._local(db, self._core.mark("SYNCING"))
            try:
                steps = self._core.steps(db.url)
                reply: Any = None
                while True:
                    try:
                        step = steps.send(reply)
                    except StopIteration as done:
                        pushed, state = done.value
                        break
                    if isinstance(step, Local):
                        reply = await self._local(db, step)
                    else:
                        reply = await self._server(step)
            except BaseException:
                with contextlib.suppress(DatabaseError):
                    await self._local(db, self._core.mark("FAILED"))
                raise
            return _report(pushed, state, self._remote.round_trips - trips, started)
