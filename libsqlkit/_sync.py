"""Offline-first sync with a libSQL server: push local changes, pull remote ones, and let
the last write win, field by field, by the versions the change-log triggers gave each
write (the merge rules are in `_sync_sql`).

One request carries up to 1,000 changes each way: a single atomic batch on the server
first compares the synced schema's version with this device's (a device on another
schema neither pushes nor pulls), merges the pushed rows, records how far this device
has pulled (so tombstones everyone has seen can be pruned), and reads a page of what
other databases changed since this device's cursor (`_sync_batch`). The local side then
applies the page in one local transaction and moves its cursors (`_sync_apply`). Pending
changes are read a chunk at a time, so memory stays bounded. Everything is keyed by
(table, key, version), so a sync that is retried after any failure applies nothing twice.

A device re-syncs in full when a migration changed the synced schema (its own, or the
server's), when it was silent longer than the server's pruning horizon (tombstones it
missed may be gone), and when the server was restored from an older backup (it went
behind this device): rows come to the server's state, and after a restore this device
sends everything it has again.

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
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from libsqlkit._changelog import HLC_FORMAT, ROWS, STATE
from libsqlkit._errors import DatabaseError, SchemaStateError, UniqueViolation
from libsqlkit._rows import Row
from libsqlkit._schema import Schema
from libsqlkit._sync_apply import apply
from libsqlkit._sync_batch import Batch
from libsqlkit._sync_report import SyncReport
from libsqlkit._sync_sql import HANDSHAKE, Entry, SyncedTable, TableSync, encode_values, quote
from libsqlkit._sync_state import (
    RESYNC_ASKED,
    RESYNC_RUNNING,
    Chunk,
    Cursor,
    Executor,
    Local,
    Reply,
    Round,
    Server,
    Step,
)

if TYPE_CHECKING:
    from libsqlkit._async_database import AsyncDatabase
    from libsqlkit._database import Database

__all__ = ["AsyncSyncer", "SyncCore", "Syncer"]

T = TypeVar("T")

SyncStatus = Literal["SYNCING", "COMPLETED", "FAILED"]

PUSH_ROWS = 2500  # changes per request (fewer commits on the server), at most PUSH_BYTES of values
PUSH_BYTES = 2_000_000
PULL_ROWS = 1000  # rows per page: requests and responses stay far below server limits
PRUNE_ROWS = 1000  # tombstones a request prunes at most
_MIGRATIONS = "SELECT max(name) FROM `__libsqlkit_migrations`"


def _reads_ahead(state: Round, chunk: Chunk) -> bool:
    """Whether the next chunk is read while the server merges this one: in a long push,
    not in a full re-sync (its pull decides what the next chunk must say)."""
    return chunk.more and bool(chunk.entries) and state.resync != RESYNC_RUNNING


def _received_nothing(reply: Reply) -> bool:
    """A reply that changed no local row: no pulled entry, none held back, no row of the
    chunk changed or deleted on the server meanwhile. A chunk read ahead stays valid."""
    return reply.last is None and len(reply.pages) == 1 and not (reply.unseen or reply.refused)


def _schema_problem(exc: DatabaseError) -> bool:
    message = str(exc)
    return "no such" in message or "has no column named" in message


class SyncCore:
    """One sync of a device's synced tables with a server, without I/O.

    `steps()` yields what to do, local or on the server, and is sent each step's result
    (or thrown its error); the sync `Syncer` and the async `AsyncSyncer` only carry the
    steps out, so the protocol exists once for both APIs.
    """

    def __init__(self, schema: Schema) -> None:
        self._metadata = schema.table(schema.sync_metadata) if schema.sync_metadata else None
        self._synced = [table.name for table in schema.synced]  # as this code knows them
        self._described: dict[tuple[str, str], dict[str, TableSync]] = {}

    # -- what the database says ------------------------------------------------------

    def _tables(self, db: Executor, version: str, policies: str) -> dict[str, TableSync]:
        """The synced tables as the database describes them (their columns, key, unique
        constraints and policy), read once per synced-schema version."""
        cached = self._described.get((version, policies))
        if cached is not None:
            return cached
        tables = {}
        for name, policy in json.loads(policies).items():
            info = db.execute("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", (name,))
            key = next(column for column, pk in info if pk)
            unique: dict[str, list[str]] = {}
            for index, column in db.execute(
                "SELECT il.name, ii.name FROM pragma_index_list(?1) AS il, "
                'pragma_index_info(il.name) AS ii WHERE il."unique" = 1 AND il.partial = 0 '
                "AND il.origin <> 'pk' ORDER BY il.name, ii.seqno",
                (name,),
            ):
                unique.setdefault(index, []).append(column)
            described = SyncedTable(
                name,
                key,
                tuple(column for column, pk in info if not pk),
                policy,
                tuple(tuple(columns) for columns in unique.values()),
            )
            tables[name] = TableSync(described, version)
        self._described[(version, policies)] = tables
        return tables

    def _state(self, db: Executor) -> Round:
        [row] = db.execute(
            "SELECT device, `schema`, `tables`, pulled_seq, pulled_tbl, pulled_pk, pushed_seq, "
            f"pushed_tbl, pushed_pk, resync, acked_seq, held, server_epoch FROM `{STATE}` "
            "WHERE id = 1"
        )
        device, version, policies, *cursors, resync, acked, held, server_epoch = row
        return Round(
            device,
            version,
            self._tables(db, version, policies),
            (cursors[0], cursors[1], cursors[2]),
            (cursors[3], cursors[4], cursors[5]),
            resync,
            acked,
            [(table, key) for table, key in json.loads(held)],
            server_epoch,
        )

    def pending(self, db: Executor) -> dict[str, int]:
        """Per synced table, how many rows changed here and were not sent yet."""
        counts = dict.fromkeys(self._synced, 0)
        try:
            rows = db.execute(
                f"SELECT tbl, count(*) FROM (SELECT tbl FROM `{ROWS}` WHERE seq IS NOT NULL AND "
                f"(seq, tbl, pk) > (SELECT pushed_seq, pushed_tbl, pushed_pk FROM `{STATE}` "
                "WHERE id = 1)) GROUP BY tbl"
            )
        except DatabaseError as exc:
            if _schema_problem(exc):
                raise SchemaStateError(
                    f"this database has no sync change log, or an older one ({exc}): apply "
                    "the migrations"
                ) from None
            raise
        counts.update({table: count for table, count in rows if table in counts})
        return counts

    def mark(self, status: SyncStatus) -> Local[None]:
        return Local(lambda db: self._write_status(db, status, None))

    # -- the protocol ----------------------------------------------------------------

    def steps(self, url: str) -> Generator[Step, Any, Round]:
        """Requests until every change is pushed and a pull page comes back short."""
        state: Round = yield Local(lambda db: self._begin(db, url))
        restarted = False
        ahead: Chunk | None = None
        while True:
            chunk: Chunk = ahead or (yield Local(partial(self._chunk, state=state)))
            ahead = None
            batch = Batch(state, chunk.entries, pull_rows=PULL_ROWS, prune_rows=PRUNE_ROWS)
            try:
                if _reads_ahead(state, chunk):
                    last = chunk.entries[-1]
                    after = (last.seq or 0, last.table, last.key)
                    results, ahead = yield Server(
                        batch.statements, Local(partial(self._chunk, state=state, after=after))
                    )
                else:
                    results, ahead = (yield Server(batch.statements)), None
            except UniqueViolation as exc:  # fail: the push is refused, the pull goes on
                if not chunk.entries:
                    raise
                state.pushing, state.refusal = False, exc
                continue
            except DatabaseError as exc:
                if _schema_problem(exc):
                    yield from self._mismatch(state, url, None, exc)
                raise
            reply = batch.reply(results)
            if reply.version != state.version:
                yield from self._mismatch(state, url, reply.version, None)
            lost = self._lost(state, reply)
            if lost is not None:
                if restarted:  # what was just sent is lost again: stop rather than loop
                    raise SchemaStateError(
                        f"the server {url} lost this device's position twice in one sync "
                        f"({lost}): is it being restored or migrated right now? Sync again later"
                    )
                restarted, ahead = True, None
                state = yield Local(partial(self._restart, url=url, lost=lost))
                continue
            again = yield Local(
                partial(apply, state=state, chunk=chunk.entries, reply=reply),
                foreign_keys_off=True,
            )
            if not _received_nothing(reply):  # what it wrote may be in the chunk read ahead
                ahead = None
            if not (chunk.more or reply.full or again):
                break
        yield Local(lambda db: self._finish(db, state))
        if state.refusal is not None:
            raise state.refusal
        return state

    def _begin(self, db: Executor, url: str) -> Round:
        """The sync's starting point; a re-sync a migration asked for starts here."""
        try:
            state = self._state(db)
        except DatabaseError as exc:
            if _schema_problem(exc):
                raise SchemaStateError(
                    f"{url} has no sync change log, or an older one: apply the migrations"
                ) from None
            raise
        if state.resync == RESYNC_ASKED:
            self._start_resync(db)
            state = self._state(db)
        return state

    def _start_resync(self, db: Executor) -> None:
        """Pull everything again; entries not received again by the end are gone on the
        server (their tombstones were pruned), so they are marked until then (seq -1).

        A row with unsent changes that was synced before (it has a `base`) is not marked
        but pushed as known: the server refuses it if it forgot the row, because a
        delete this device never saw beats its edits. The re-sync is under way as soon
        as the device holds any row it synced, marked or edited since (were every such
        row edited, a plain pull would push them as new rows and bring a deleted one
        back). Only a device that never synced a row (a new one) pulls plainly from the
        start, without receiving its own rows again.

        `acked_seq` keeps the furthest position reached before (the server's seq was past
        it) until the re-sync ends: a server whose seq went behind it was restored from an
        older backup, and rows not received again are not gone (`_lost`, `_restart`)."""
        db.execute(
            f"UPDATE `{ROWS}` SET seq = -1 WHERE seq IS NULL OR (seq, tbl, pk) <= "
            f"(SELECT pushed_seq, pushed_tbl, pushed_pk FROM `{STATE}` WHERE id = 1)"
        )
        [(synced_before,)] = db.execute(
            f"SELECT EXISTS (SELECT 1 FROM `{ROWS}` WHERE seq = -1 OR base IS NOT NULL)"
        )
        db.execute(
            f"UPDATE `{STATE}` SET pulled_seq = 0, pulled_tbl = '', pulled_pk = '', "
            "acked_seq = max(acked_seq, pulled_seq), resync = ? WHERE id = 1",
            (RESYNC_RUNNING if synced_before else 0,),
        )

    def _restart(self, db: Executor, url: str, lost: str) -> Round:
        """The server lost what this device had seen: after a restore from an older
        backup this device sends everything again (the server merges by version, so
        only what it lacks lands); in both cases it pulls everything again.

        After a restore, a row the server lacks may be one the restore lost, not one
        deleted elsewhere: a re-sync under way is dropped (it would delete rows not
        received again, and the server would refuse rows sent as known), and rows it
        had marked are sent again. Keeping data wins over a pruned delete here."""
        if lost == "restored":
            db.execute(f"UPDATE `{STATE}` SET seq = seq + 1 WHERE id = 1")
            db.execute(
                f"UPDATE `{ROWS}` SET base = CASE WHEN (seq, tbl, pk) > (SELECT pushed_seq, "
                f"pushed_tbl, pushed_pk FROM `{STATE}` WHERE id = 1) THEN base ELSE cols END, "
                f"seq = (SELECT seq FROM `{STATE}` WHERE id = 1) WHERE seq IS NULL OR "
                f"(seq, tbl, pk) <= (SELECT pushed_seq, pushed_tbl, pushed_pk FROM `{STATE}` "
                "WHERE id = 1)"
            )
            db.execute(
                f"UPDATE `{STATE}` SET pulled_seq = 0, pulled_tbl = '', pulled_pk = '', "
                "acked_seq = 0, resync = 0 WHERE id = 1"
            )
        else:
            self._start_resync(db)
        return self._begin(db, url)

    def _chunk(self, db: Executor, state: Round, after: Cursor | None = None) -> Chunk:
        """The next pending changes after `after` (else the push cursor), read in one
        transaction (a consistent set)."""
        if not state.pushing:
            return Chunk([], False)
        rows = db.execute(
            f"SELECT seq, tbl, pk, born, deleted, hlc, cols, base, moved FROM `{ROWS}` "
            "WHERE seq IS NOT NULL AND (seq, tbl, pk) > (?, ?, ?) ORDER BY seq, tbl, pk LIMIT ?",
            (*(after or state.pushed), PUSH_ROWS + 1),
        )
        more = len(rows) > PUSH_ROWS
        logged = [row for row in rows[:PUSH_ROWS] if row[1] in state.tables]
        values: dict[tuple[str, Any], tuple[tuple[Any, ...], frozenset[int], int]] = {}
        for name, table in state.tables.items():
            keys = [k for _, t, k, _, deleted, *_ in logged if t == name and not deleted]
            if keys:
                for key, *row, size, special in db.execute(table.values, (json.dumps(keys),)):
                    pushed, tagged = encode_values(row) if special else (tuple(row), frozenset())
                    values[(name, key)] = pushed, tagged, size
        chunk: list[Entry] = []
        total = 0
        for s, t, k, born, d, v, cols, base, moved in logged:
            found = None if d else values.get((t, k))
            # A row without values was deleted by a writer that was not tracked.
            if found is None:
                entry = Entry(t, k, born, True, v, cols, s, base, moved)
            else:
                entry = Entry(t, k, born, False, v, cols, s, base, moved, *found[:2])
                total += found[2]
            total += 128 + len(cols)
            if chunk and total > PUSH_BYTES:
                return Chunk(chunk, True)
            chunk.append(entry)
        return Chunk(chunk, more)

    def _lost(self, state: Round, reply: Reply) -> str | None:
        """Whether the server lost what this device had seen of it: restored from an
        older backup (its seq went behind this device's cursor, or it forgot how far this
        device had pulled), or pruned tombstones this device never received.

        A re-sync starts its pull over, and `acked` holds the position reached before it
        until it ends, so the server's seq going behind that on any of its pages still
        shows a restore. The watermark is not compared then: the server stores the
        re-sync's own low position for this device (and may have stored 0 already, its
        reply lost on the way), which is no restore."""
        resyncing = state.resync == RESYNC_RUNNING
        if max(state.pulled[0], state.acked) > reply.server_seq + 1 or (
            not resyncing
            and state.pulled[0] > 0
            and reply.watermark is not None
            and reply.watermark < state.acked
        ):
            return "restored"
        if resyncing or state.pulled[0] == 0:
            return None  # a pull from the start needs no tombstone
        if state.pulled[0] < reply.pruned_seq:
            return "expired"
        if state.server_epoch and reply.epoch != state.server_epoch:
            return "reshaped"  # the server's synced schema changed since: a migration
        return None

    def _mismatch(
        self, state: Round, url: str, version: str | None, cause: DatabaseError | None
    ) -> Generator[Step, Any, None]:
        """Stop if this device and the server are on different synced schemas (or the
        server has no change log): nothing was sent or received. A statement the server
        refused (`cause`) is about the schema only if the versions differ."""
        if version is None:
            try:
                results = yield Server([(HANDSHAKE, (state.device,))])
            except DatabaseError:
                raise SchemaStateError(
                    f"the server {url} has no sync change log, or an older one: apply the "
                    "migrations to it (python -m libsqlkit migrate with its URL)"
                ) from None
            version = results[0][0][0]
            if version == state.version and cause is not None:
                raise SchemaStateError(
                    f"the server's synced tables differ from this device's ({cause}), although "
                    f"both record the synced schema version {version}: was the server changed "
                    "by hand? Apply the same migrations to both"
                ) from None
        mine: tuple[str | None, int] = yield Local(self._migration)
        try:
            found = yield Server([(_MIGRATIONS, ())])
            theirs = found[0][0][0]
        except DatabaseError:
            theirs = None
        local, kept = mine
        where = (
            "behind the server"
            if local and theirs and local < theirs
            else "ahead of the server"
            if local and theirs and local > theirs
            else "not on the server's schema"
        )
        raise SchemaStateError(
            f"this device is {where}: its synced schema is version {state.version} "
            f"(migration {local or 'unknown'}), the server's ({url}) is version {version} "
            f"(migration {theirs or 'unknown'}). Nothing was sent or received and the "
            f"{kept} changes made here are kept: apply the same migrations to both, then "
            "sync again"
        )

    def _migration(self, db: Executor) -> tuple[str | None, int]:
        try:
            [(name,)] = db.execute(_MIGRATIONS)
        except DatabaseError:
            name = None
        return name, sum(self.pending(db).values())

    def _finish(self, db: Executor, state: Round) -> None:
        """Forget local tombstones older than the server's horizon that were sent (a
        device that comes back later re-syncs in full anyway); the sync is done."""
        if state.horizon_ms:
            cutoff = HLC_FORMAT % (int(time.time() * 1000) - state.horizon_ms, 0, "")
            db.execute(
                f"DELETE FROM `{ROWS}` WHERE deleted = 1 AND (seq IS NULL OR (seq, tbl, pk) <= "
                "(?, ?, ?)) AND hlc < ?",
                (*state.pushed, cutoff),
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
        for name in self._synced:
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
    """A refused server batch, named when it is about the schema (a missing change log)."""
    message = str(exc)
    if "no such" in message and "__libsqlkit" in message:
        return SchemaStateError(
            f"the server {url} has no sync change log, or an older one: "
            "apply the migrations to it (python -m libsqlkit migrate with its URL)"
        )
    return exc


def _report(state: Round, trips: int, started: float) -> SyncReport:
    return SyncReport(
        pushed=state.sent,
        pulled=state.applied,
        conflicts=tuple(state.conflicts),
        round_trips=trips,
        seconds=time.perf_counter() - started,
        moved=tuple(state.moved.values()),
    )


class _Ahead(threading.Thread):
    """Local work on a thread of its own while this one waits for the server."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(name="libsqlkit-sync-ahead", daemon=True)
        self._work = work
        self._found: Any = None
        self._error: Exception | None = None
        self.start()

    def run(self) -> None:
        try:
            self._found = self._work()
        except Exception as exc:  # see `outcome`
            self._error = exc

    def outcome(self) -> Any:
        """What it read, or None if it failed: the chunk is then read again in the
        ordinary way, after the server's reply is applied (which raises what persists)."""
        self.join()
        return None if self._error is not None else self._found


async def _outcome(ahead: asyncio.Future[Any]) -> Any:
    """`_Ahead.outcome` for the async writer's read."""
    try:
        return await ahead
    except Exception:
        return None


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

    def _server(self, db: Database, step: Server) -> Any:
        if step.meanwhile is None:
            return self._batch(step)
        ahead = _Ahead(partial(self._local, db, step.meanwhile))
        try:
            results = self._batch(step)
        finally:
            found = ahead.outcome()  # the local read ends before anything else happens
        return results, found

    def _batch(self, step: Server) -> list[list[Row]]:
        with self._remote.foreign_keys_off():
            return self._remote.batch(step.statements)

    def sync(self, db: Database) -> SyncReport:
        with self._lock:
            started, trips = time.perf_counter(), self._remote.round_trips
            self._local(db, self._core.mark("SYNCING"))
            try:
                steps = self._core.steps(self._remote.url)
                step = next(steps)
                while True:
                    try:
                        if isinstance(step, Local):
                            reply = self._local(db, step)
                        else:
                            try:
                                reply = self._server(db, step)
                            except DatabaseError as exc:
                                step = steps.throw(server_error(exc, self._remote.url))
                                continue
                        step = steps.send(reply)
                    except StopIteration as done:
                        state: Round = done.value
                        break
            except BaseException:
                with contextlib.suppress(DatabaseError):  # the sync's own error matters
                    self._local(db, self._core.mark("FAILED"))
                raise
            return _report(state, self._remote.round_trips - trips, started)


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

    async def _server(self, db: AsyncDatabase, step: Server) -> Any:
        if step.meanwhile is None:
            return await self._batch(step)
        ahead = asyncio.ensure_future(self._local(db, step.meanwhile))
        try:
            results = await self._batch(step)
        finally:
            found = await _outcome(ahead)  # the local read ends before anything else happens
        return results, found

    async def _batch(self, step: Server) -> list[list[Row]]:
        async with self._remote.foreign_keys_off():
            return await self._remote.batch(step.statements)

    async def sync(self, db: AsyncDatabase) -> SyncReport:
        async with self._lock:
            started, trips = time.perf_counter(), self._remote.round_trips
            await self._local(db, self._core.mark("SYNCING"))
            try:
                steps = self._core.steps(self._remote.url)
                step = next(steps)
                while True:
                    try:
                        if isinstance(step, Local):
                            reply = await self._local(db, step)
                        else:
                            try:
                                reply = await self._server(db, step)
                            except DatabaseError as exc:
                                step = steps.throw(server_error(exc, self._remote.url))
                                continue
                        step = steps.send(reply)
                    except StopIteration as done:
                        state: Round = done.value
                        break
            except BaseException:
                with contextlib.suppress(DatabaseError):
                    await self._local(db, self._core.mark("FAILED"))
                raise
            return _report(state, self._remote.round_trips - trips, started)
