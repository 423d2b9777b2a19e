"""Offline-first sync with a libSQL server: push local changes, pull remote ones, and let
the last write win, field by field, by the versions the change-log triggers gave each
write (the merge rules are in `_sync_sql`).

One request carries up to 1,000 changes each way: a single atomic batch on the server
first compares the synced schema's version with this device's (a device on another
schema neither pushes nor pulls), merges the pushed rows, records how far this device
has pulled (so tombstones everyone has seen can be pruned), and reads a page of what
other databases changed since this device's cursor. The local side then applies the page
in one local transaction and moves its cursors. Pending changes are read a chunk at a
time, so memory stays bounded. Everything is keyed by (table, key, version), so a sync
that is retried after any failure applies nothing twice.

A device re-syncs in full when a migration changed the synced schema, when it was silent
longer than the server's pruning horizon (tombstones it missed may be gone), and when the
server was restored from an older backup (it went behind this device): rows come to the
server's state, and after a restore this device sends everything it has again.

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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from libsqlkit._changelog import CONFLICTS, DEVICES, HLC_FORMAT, NOW_MS, ROWS, STATE, hlc_parts
from libsqlkit._errors import DatabaseError, SchemaStateError, UniqueViolation
from libsqlkit._rows import Row
from libsqlkit._schema import Schema
from libsqlkit._sync_report import Conflict, MovedRow, SyncReport
from libsqlkit._sync_sql import (
    HANDSHAKE,
    HELD,
    PAGE,
    Entry,
    SyncedTable,
    TableSync,
    decode_value,
    encode_value,
    image,
    page_sql,
    quote,
)

if TYPE_CHECKING:
    from libsqlkit._async_database import AsyncDatabase
    from libsqlkit._database import Database

__all__ = [
    "AsyncSyncer",
    "Executor",
    "Local",
    "Server",
    "SyncCore",
    "Syncer",
    "prune_change_log",
    "prune_change_log_async",
]

T = TypeVar("T")

SyncStatus = Literal["SYNCING", "COMPLETED", "FAILED"]
Winner = Literal["local", "remote"]

PUSH_ROWS = 1000  # changes per request, and at most PUSH_BYTES of values
PUSH_BYTES = 2_000_000
PULL_ROWS = 1000  # rows per page: requests and responses stay far below server limits
PRUNE_ROWS = 1000  # tombstones a request prunes at most
STAGE_VALUES = 30_000  # bound values per statement that fills the staging table

Cursor = tuple[int, str, Any]  # (seq, table, key) of the last change-log entry passed
START: Cursor = (0, "", "")
# `resync`: a full re-sync was asked for (by a migration), or is under way: every local
# entry not received again from the server by its end is gone there (pruned tombstones).
RESYNC_ASKED, RESYNC_RUNNING = 1, 2
_MIGRATIONS = "SELECT max(name) FROM `__libsqlkit_migrations`"


def _latest(versions: Sequence[str]) -> tuple[int, int]:
    return max([(0, 0), *((hlc_parts(v)[0], hlc_parts(v)[1]) for v in versions)])


def _seen(wall: str, counter: str) -> str:
    """Advance a clock to a seen version (a hybrid logical clock's receive rule), so a
    write made after seeing another database's write is ordered after it."""
    newer = f"({wall} > wall OR ({wall} = wall AND {counter} > counter))"
    return (
        f"wall = CASE WHEN {newer} THEN {wall} ELSE wall END, "
        f"counter = CASE WHEN {newer} THEN {counter} ELSE counter END"
    )


def _cursor(found: list[Any]) -> Cursor:
    seq, table, key = found
    return int(seq), str(table), key


def _size(entry: Entry) -> int:
    values = entry.values or ()
    return 128 + len(entry.cols) + sum(len(v) if isinstance(v, str | bytes) else 8 for v in values)


def _schema_problem(exc: DatabaseError) -> bool:
    message = str(exc)
    return "no such" in message or "has no column named" in message


@dataclass
class _Round:
    """What one sync knows and found so far."""

    device: str
    version: str  # of the synced schema
    tables: dict[str, TableSync]
    pulled: Cursor
    pushed: Cursor
    resync: int
    acked: int  # the pull position the server last stored for this device
    held: list[tuple[str, Any]]
    conflicts: list[Conflict] = field(default_factory=list)
    moved: dict[tuple[str, Any, str], MovedRow] = field(default_factory=dict)
    sent: int = 0
    applied: int = 0
    pushing: bool = True  # False once a push was refused by a unique clash (fail)
    refusal: UniqueViolation | None = None
    horizon_ms: int = 0


@dataclass(frozen=True)
class _Chunk:
    entries: list[Entry]
    more: bool  # more pending changes than fit


@dataclass(frozen=True)
class _Reply:
    version: str
    server_seq: int
    pruned_seq: int
    horizon_ms: int
    watermark: int | None
    unseen: dict[tuple[str, Any], tuple[str, int, str, str]]
    refused: list[tuple[str, Any]]
    pages: list[str]  # JSON of the pulled page, then of the held rows
    full: bool  # more entries remain after this page
    last: Cursor | None  # the page's last entry
    page_seq: int  # the server's seq when the page was read


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
    parent, and cascades were made on the device). Their rows are sent back; an error
    is thrown into the protocol, which may carry on (a refused push still pulls)."""

    statements: list[tuple[str, Sequence[Any]]]


Step = Local[Any] | Server


class Executor(Protocol):
    """What local work runs statements with: the sync Database inside its transaction,
    or the async engine's writer connection on its own thread."""

    def execute(
        self, sql: str, params: Sequence[Any] = (), *, table: str | None = None
    ) -> list[Row]: ...


def _staged(pages: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """The pulled entries per table, as staging rows: (seq, key, born, deleted, version,
    cols, moved, skip, values...). A key in several pages is staged once (the first)."""
    staged: dict[str, list[tuple[Any, ...]]] = {}
    for text in pages:
        for table, key, born, deleted, version, seq, cols, moved, values in json.loads(text):
            row = (seq, key, born, int(bool(deleted) or values is None), version, cols, moved, 0)
            staged.setdefault(table, []).append((*row, *(decode_value(v) for v in values or ())))
    return staged


def _conflicts(
    table: TableSync, key: Any, local: Entry, remote: Entry, base: str | None
) -> list[Conflict]:
    """The fields changed both here (since this device last synced the row) and
    elsewhere, with the version that won; or the row itself when its life or existence
    differs (a delete, or a re-insert, against edits)."""
    if local.born != remote.born or local.deleted != remote.deleted:
        if local.born != remote.born:
            winner: Winner = "local" if local.born > remote.born else "remote"
        else:
            winner = "local" if local.deleted else "remote"
        return [Conflict(table.name, key, None, winner, local.version, remote.version)]
    if local.deleted:
        return []
    found = []
    for column in table.table.columns:
        mine, theirs = local.column_version(column), remote.column_version(column)
        before = None if base is None else local.column_version(column, base)
        if mine != theirs and mine != before and theirs != before:
            winner = "local" if mine > theirs else "remote"
            found.append(Conflict(table.name, key, column, winner, mine, theirs))
    return found


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

    def _state(self, db: Executor) -> _Round:
        [row] = db.execute(
            "SELECT device, `schema`, `tables`, pulled_seq, pulled_tbl, pulled_pk, pushed_seq, "
            f"pushed_tbl, pushed_pk, resync, acked_seq, held FROM `{STATE}` WHERE id = 1"
        )
        device, version, policies, *cursors, resync, acked, held = row
        return _Round(
            device,
            version,
            self._tables(db, version, policies),
            (cursors[0], cursors[1], cursors[2]),
            (cursors[3], cursors[4], cursors[5]),
            resync,
            acked,
            [(table, key) for table, key in json.loads(held)],
        )

    def pending(self, db: Executor) -> dict[str, int]:
        """Per synced table, how many rows changed here and were not sent yet."""
        counts = dict.fromkeys(self._synced, 0)
        try:
            rows = db.execute(
                f"SELECT tbl, count(*) FROM `{ROWS}` WHERE (seq, tbl, pk) > (SELECT pushed_seq, "
                f"pushed_tbl, pushed_pk FROM `{STATE}` WHERE id = 1) GROUP BY tbl"
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

    def steps(self, url: str) -> Generator[Step, Any, _Round]:
        """Requests until every change is pushed and a pull page comes back short."""
        state: _Round = yield Local(lambda db: self._begin(db, url))
        while True:
            chunk: _Chunk = yield Local(partial(self._chunk, state=state))
            try:
                results = yield Server(self._batch(state, chunk.entries))
            except UniqueViolation as exc:  # fail: the push is refused, the pull goes on
                if not chunk.entries:
                    raise
                state.pushing, state.refusal = False, exc
                continue
            except DatabaseError as exc:
                if _schema_problem(exc):
                    yield from self._mismatch(state, url, None, exc)
                raise
            reply = self._reply(state, chunk.entries, results)
            if reply.version != state.version:
                yield from self._mismatch(state, url, reply.version, None)
            lost = self._lost(state, reply)
            if lost is not None:
                state = yield Local(partial(self._restart, url=url, lost=lost))
                continue
            again = yield Local(
                partial(self._apply, state=state, chunk=chunk.entries, reply=reply),
                foreign_keys_off=True,
            )
            if not (chunk.more or reply.full or again):
                break
        yield Local(lambda db: self._finish(db, state))
        if state.refusal is not None:
            raise state.refusal
        return state

    def _begin(self, db: Executor, url: str) -> _Round:
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
        server (their tombstones were pruned), so they are marked until then (seq -1)."""
        db.execute(
            f"UPDATE `{ROWS}` SET seq = -1 WHERE seq IS NULL OR (seq, tbl, pk) <= "
            f"(SELECT pushed_seq, pushed_tbl, pushed_pk FROM `{STATE}` WHERE id = 1)"
        )
        db.execute(
            f"UPDATE `{STATE}` SET pulled_seq = 0, pulled_tbl = '', pulled_pk = '', "
            f"acked_seq = 0, resync = {RESYNC_RUNNING} WHERE id = 1"
        )

    def _restart(self, db: Executor, url: str, lost: str) -> _Round:
        """The server lost what this device had seen: after a restore from an older
        backup this device sends everything again (the server merges by version, so
        only what it lacks lands); in both cases it pulls everything again."""
        if lost == "restored":
            db.execute(f"UPDATE `{STATE}` SET seq = seq + 1 WHERE id = 1")
            db.execute(
                f"UPDATE `{ROWS}` SET base = CASE WHEN (seq, tbl, pk) > (SELECT pushed_seq, "
                f"pushed_tbl, pushed_pk FROM `{STATE}` WHERE id = 1) THEN base ELSE cols END, "
                f"seq = (SELECT seq FROM `{STATE}` WHERE id = 1) WHERE seq IS NULL OR seq >= 0 "
                f"AND (seq, tbl, pk) <= (SELECT pushed_seq, pushed_tbl, pushed_pk FROM `{STATE}` "
                "WHERE id = 1)"
            )
            db.execute(
                f"UPDATE `{STATE}` SET pulled_seq = 0, pulled_tbl = '', pulled_pk = '', "
                "acked_seq = 0 WHERE id = 1"
            )
        else:
            self._start_resync(db)
        return self._begin(db, url)

    def _chunk(self, db: Executor, state: _Round) -> _Chunk:
        """The next pending changes, read in one transaction (a consistent set)."""
        if not state.pushing:
            return _Chunk([], False)
        rows = db.execute(
            f"SELECT seq, tbl, pk, born, deleted, hlc, cols, base, moved FROM `{ROWS}` "
            "WHERE (seq, tbl, pk) > (?, ?, ?) ORDER BY seq, tbl, pk LIMIT ?",
            (*state.pushed, PUSH_ROWS + 1),
        )
        more = len(rows) > PUSH_ROWS
        entries = [
            Entry(t, k, born, bool(d), v, cols, seq=s, base=base, moved=moved)
            for s, t, k, born, d, v, cols, base, moved in rows[:PUSH_ROWS]
            if t in state.tables
        ]
        values: dict[tuple[str, Any], tuple[Any, ...]] = {}
        for name, table in state.tables.items():
            keys = [e.key for e in entries if e.table == name and not e.deleted]
            if keys:
                for key, *row in db.execute(table.values, (json.dumps(keys),)):
                    values[(name, key)] = tuple(row)
        chunk: list[Entry] = []
        size = 0
        for entry in entries:
            found = values.get((entry.table, entry.key))
            # A row without values was deleted by a writer that was not tracked.
            whole = Entry(
                entry.table,
                entry.key,
                entry.born,
                entry.deleted or found is None,
                entry.version,
                entry.cols,
                seq=entry.seq,
                base=entry.base,
                moved=entry.moved,
                values=None if entry.deleted else found,
            )
            size += _size(whole)
            if chunk and size > PUSH_BYTES:
                return _Chunk(chunk, True)
            chunk.append(whole)
        return _Chunk(chunk, more)

    def _batch(self, state: _Round, chunk: list[Entry]) -> list[tuple[str, Sequence[Any]]]:
        """The server's statements; all run in one transaction, so the page read is
        consistent and the push all or nothing. Every write is guarded by the synced
        schema's version, so a device on another schema changes nothing."""
        statements: list[tuple[str, Sequence[Any]]] = [(HANDSHAKE, (state.device,))]
        if chunk:
            statements += self._push(state, chunk)
        statements += [
            (
                f"INSERT INTO `{DEVICES}` (device, pulled_seq, seen_ms) SELECT ?1, ?2, {NOW_MS} "
                f"WHERE (SELECT `schema` FROM `{STATE}` WHERE id = 1) = ?3 ON CONFLICT (device) "
                "DO UPDATE SET pulled_seq = excluded.pulled_seq, seen_ms = excluded.seen_ms",
                (state.device, state.pulled[0], state.version),
            ),
            *_prune(PRUNE_ROWS),
            (
                page_sql(list(state.tables.values()), PAGE, "?5"),
                (*state.pulled, state.device, PULL_ROWS, state.version),
            ),
        ]
        if state.held:
            statements.append(
                (page_sql(list(state.tables.values()), HELD), (json.dumps(state.held),))
            )
        return statements

    def _push(self, state: _Round, chunk: list[Entry]) -> list[tuple[str, Sequence[Any]]]:
        statements: list[tuple[str, Sequence[Any]]] = []
        resync = state.resync == RESYNC_RUNNING
        statements.append(
            (f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1 AND `schema` = ?", (state.version,))
        )
        for name, table in state.tables.items():
            rows = [
                [
                    e.key,
                    e.born,
                    int(e.deleted),
                    e.version,
                    e.cols,
                    int(resync and e.base is not None),
                    e.moved,
                    *(encode_value(v) for v in e.values or ()),
                ]
                for e in chunk
                if e.table == name
            ]
            if not rows:
                continue
            floor = 1 << 62 if resync else state.pulled[0]
            params = (json.dumps(rows), state.device, *state.pulled, state.version, floor)
            statements.append((table.unseen, params))
            if resync:
                statements.append((table.refused, params))
            statements += [(sql, params) for sql in table.push]
        wall, counter = _latest([e.version for e in chunk])
        statements.append(
            (
                f"UPDATE `{STATE}` SET seq = seq + ?3, applying = 0, {_seen('?1', '?2')} "
                "WHERE id = 1 AND `schema` = ?4",
                (wall, counter, len(chunk), state.version),
            )
        )
        return statements

    def _reply(self, state: _Round, chunk: list[Entry], results: list[list[Row]]) -> _Reply:
        [(version, server_seq, pruned_seq, horizon_ms, watermark)] = results[0]
        at = 1
        unseen: dict[tuple[str, Any], tuple[str, int, str, str]] = {}
        refused: list[tuple[str, Any]] = []
        if chunk:
            at += 1  # applying = 1
            for name, table in state.tables.items():
                if not any(e.table == name for e in chunk):
                    continue
                for key, born, deleted, hlc, cols in results[at]:
                    unseen[(name, key)] = (born, deleted, hlc, cols)
                at += 1
                if state.resync == RESYNC_RUNNING:
                    refused += [(name, key) for (key,) in results[at]]
                    at += 1
                at += len(table.push)
            at += 1  # the state's update
        at += 1 + len(_prune(PRUNE_ROWS))
        [(page_seq, count, last, text)] = results[at]
        pages = [text, results[at + 1][0][3]] if state.held else [text]
        return _Reply(
            version,
            server_seq,
            pruned_seq,
            horizon_ms,
            watermark,
            unseen,
            refused,
            pages,
            count > PULL_ROWS,  # one entry more was asked for, to know if more remain
            None if last is None else _cursor(json.loads(last)),
            page_seq,
        )

    def _lost(self, state: _Round, reply: _Reply) -> str | None:
        """Whether the server lost what this device had seen of it: restored from an
        older backup (its seq went behind this device's cursor, or it forgot how far this
        device had pulled), or pruned tombstones this device never received."""
        if state.pulled[0] > reply.server_seq + 1 or (
            reply.watermark is not None and reply.watermark < state.acked
        ):
            return "restored"
        if state.pulled[0] < reply.pruned_seq and state.resync != RESYNC_RUNNING:
            return "expired"
        return None

    def _mismatch(
        self, state: _Round, url: str, version: str | None, cause: DatabaseError | None
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

    # -- applying a reply ------------------------------------------------------------

    def _apply(self, db: Executor, state: _Round, chunk: list[Entry], reply: _Reply) -> bool:
        """The pushed chunk is on the server: mark it sent. Then write the pulled rows
        (one local transaction, foreign keys off: the rows mirror the server's, and a
        parent changed after its child may come a page later) and move the cursor.
        True if this made changes to send at once (rows moved aside by a unique clash)."""
        db.execute(f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1")
        sent_before = state.pushed
        if chunk:
            last = chunk[-1]
            state.pushed = (last.seq or 0, last.table, last.key)
            state.sent += len(chunk)
            db.execute(
                f"UPDATE `{ROWS}` SET base = NULL WHERE (seq, tbl, pk) > (?, ?, ?) AND "
                "(seq, tbl, pk) <= (?, ?, ?) AND base IS NOT NULL",
                (*sent_before, *state.pushed),
            )
        by_key = {(e.table, e.key): e for e in chunk}
        for (name, key), (born, deleted, hlc, cols) in reply.unseen.items():
            mine = by_key[(name, key)]
            remote = Entry(name, key, born, bool(deleted), hlc, cols)
            state.conflicts += _conflicts(state.tables[name], key, mine, remote, mine.base)
        for name, key in reply.refused:  # deleted elsewhere while this device was away
            table = state.tables[name]
            db.execute(f"DELETE FROM {quote(name)} WHERE {quote(table.table.key)} = ?", (key,))
            db.execute(f"DELETE FROM `{ROWS}` WHERE tbl = ? AND pk = ?", (name, key))
        moved_here = False
        held: list[tuple[str, Any]] = []
        latest = ""
        staged = _staged(reply.pages)
        for table in state.tables.values():
            moved_here |= self._apply_table(db, state, table, staged.get(table.name, []), held)
            [(newest, moved)] = db.execute(table.received)
            latest = max(latest, newest or "")
            for key, born, reason in json.loads(moved or "[]"):
                self._note_moved(state, table.name, key, born, reason)
            db.execute(table.clear)
        cursor: Cursor = reply.last if reply.full and reply.last else (reply.page_seq + 1, "", "")
        if not reply.full and state.resync == RESYNC_RUNNING:
            self._end_resync(db, state)
        wall, counter = _latest([latest] if latest else [])
        db.execute(
            f"UPDATE `{STATE}` SET applying = 0, pulled_seq = ?3, pulled_tbl = ?4, "
            "pulled_pk = ?5, pushed_seq = ?6, pushed_tbl = ?7, pushed_pk = ?8, acked_seq = ?9, "
            f"held = ?10, {_seen('?1', '?2')} WHERE id = 1",
            (wall, counter, *cursor, *state.pushed, state.pulled[0], json.dumps(held)),
        )
        state.acked, state.pulled, state.held = state.pulled[0], cursor, held
        state.horizon_ms = reply.horizon_ms
        return moved_here

    def _apply_table(
        self,
        db: Executor,
        state: _Round,
        table: TableSync,
        rows: list[tuple[Any, ...]],
        held: list[tuple[str, Any]],
    ) -> bool:
        """Stage this table's share of the pulled entries, then merge it (see `_sync_sql`)."""
        db.execute(table.create_stage)
        blank = (None,) * len(table.table.columns)
        per_statement = max(1, STAGE_VALUES // table.width)
        marks = "(" + ", ".join(["?"] * table.width) + ")"
        for at in range(0, len(rows), per_statement):
            part = rows[at : at + per_statement]
            db.execute(
                table.fill + ", ".join([marks] * len(part)),
                [v for row in part for v in (row if len(row) == table.width else row + blank)],
            )
        cursor = state.pushed
        moved_here = False
        if table.local_clashes:
            moved_here = self._settle_clashes(db, state, table, held, cursor)
        for key, *found in db.execute(table.conflicting, cursor):
            born, deleted, version, cols, my_born, my_deleted, my_version, my_cols, base = found
            mine = Entry(table.name, key, my_born, bool(my_deleted), my_version, my_cols)
            remote = Entry(table.name, key, born, bool(deleted), version, cols)
            state.conflicts += _conflicts(table, key, mine, remote, base)
        for sql in table.apply:
            db.execute(sql, cursor if "(?1, ?2, ?3)" in sql else ())
        for sql in table.record:
            done = db.execute(sql, cursor if "(?1, ?2, ?3)" in sql else ())
            if "RETURNING" in sql:
                state.applied += len(done)
        return moved_here

    def _settle_clashes(
        self,
        db: Executor,
        state: _Round,
        table: TableSync,
        held: list[tuple[str, Any]],
        cursor: Cursor,
    ) -> bool:
        """Pulled rows whose unique values a local row holds: under `fail` the pulled row
        is held back (asked again at every sync until the app resolves the clash here);
        under `keep_latest` the row whose clashing values were written last is kept
        and the other moved aside, as the server does (its row wins a tie)."""
        settled: set[Any] = set()
        moved = False
        columns = table.table.columns
        for theirs, mine, their_version, my_version, clashed in db.execute(
            table.local_clashes, cursor
        ):
            if theirs in settled or mine in settled:
                continue
            if table.table.policy == "fail":
                db.execute(table.skip, (theirs,))
                held.append((table.name, theirs))
                settled.add(theirs)
                continue
            [(seq,)] = db.execute(f"UPDATE `{STATE}` SET seq = seq + 1 WHERE id = 1 RETURNING seq")
            if their_version >= my_version:  # the local row loses
                [values] = db.execute(table.row, (mine,))
                [(born, cols)] = db.execute(
                    f"SELECT born, cols FROM `{ROWS}` WHERE tbl = ? AND pk = ?", (table.name, mine)
                ) or [("", "{}")]
                loser, winner, lost, won = mine, theirs, my_version, their_version
                db.execute(
                    f"DELETE FROM {quote(table.name)} WHERE {quote(table.table.key)} = ?", (mine,)
                )
            else:  # the pulled row loses: it arrives as a tombstone
                db.execute(table.skip, (theirs,))
                [(born, cols, *staged)] = db.execute(table.staged, (theirs,))
                values = tuple(staged)
                loser, winner, lost, won = theirs, mine, their_version, my_version
            reason = json.dumps(
                {
                    "winner": winner,
                    "columns": json.loads(clashed),
                    "row": json.loads(image(columns, values)),
                    "loser_version": lost,
                    "winner_version": won,
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
            db.execute(
                f"INSERT INTO `{ROWS}` (tbl, pk, hlc, deleted, seq, born, cols, moved) "
                "VALUES (?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (tbl, pk) DO UPDATE SET "
                "hlc = excluded.hlc, deleted = 1, seq = excluded.seq, born = excluded.born, "
                "cols = excluded.cols, moved = excluded.moved",
                (table.name, loser, won, seq, born, cols, reason),
            )
            db.execute(
                f"INSERT OR IGNORE INTO `{CONFLICTS}` VALUES (?, ?, ?, ?, ?, ?, ?, ?, {NOW_MS})",
                (table.name, loser, born, winner, clashed, image(columns, values), lost, won),
            )
            self._note_moved(state, table.name, loser, born, reason)
            settled |= {theirs, mine}
            moved = True
        return moved

    @staticmethod
    def _note_moved(state: _Round, table: str, key: Any, born: str, reason: str) -> None:
        why = json.loads(reason)
        state.moved[(table, key, born)] = MovedRow(
            table,
            key,
            why["winner"],
            tuple(why["columns"]),
            why["row"],
            why["loser_version"],
            why["winner_version"],
        )

    def _end_resync(self, db: Executor, state: _Round) -> None:
        """Every row the server has came again; the rest is gone there."""
        for name, table in state.tables.items():
            db.execute(
                f"DELETE FROM {quote(name)} WHERE {quote(table.table.key)} IN "
                f"(SELECT pk FROM `{ROWS}` WHERE tbl = ? AND seq = -1)",
                (name,),
            )
        db.execute(f"DELETE FROM `{ROWS}` WHERE seq = -1")
        db.execute(f"UPDATE `{STATE}` SET resync = 0 WHERE id = 1")
        state.resync = 0

    def _finish(self, db: Executor, state: _Round) -> None:
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


def _prune(limit: int) -> list[tuple[str, Sequence[Any]]]:
    """Server housekeeping, bounded: forget devices silent longer than the horizon, then
    drop tombstones every remaining device has pulled past (all of them when no device
    is known), and record how far that went: a device behind it re-syncs in full."""
    bound = (
        f"coalesce((SELECT min(pulled_seq) FROM `{DEVICES}`), "
        f"(SELECT seq + 1 FROM `{STATE}` WHERE id = 1))"
    )
    return [
        (
            f"DELETE FROM `{DEVICES}` WHERE seen_ms < {NOW_MS} - "
            f"(SELECT horizon_ms FROM `{STATE}` WHERE id = 1)",
            (),
        ),
        (
            f"DELETE FROM `{ROWS}` WHERE (tbl, pk) IN (SELECT tbl, pk FROM `{ROWS}` "
            f"WHERE deleted = 1 AND seq < {bound} ORDER BY seq LIMIT ?)",
            (limit,),
        ),
        (
            f"UPDATE `{STATE}` SET pruned_seq = max(pruned_seq, min({bound}, coalesce("
            f"(SELECT min(seq) FROM `{ROWS}` WHERE deleted = 1), {bound}))) WHERE id = 1",
            (),
        ),
    ]


def _horizon(seconds: float | None) -> list[tuple[str, Sequence[Any]]]:
    if seconds is None:
        return []
    return [(f"UPDATE `{STATE}` SET horizon_ms = ? WHERE id = 1", (int(seconds * 1000),))]


def prune_change_log(db: Database, *, horizon: float | None = None, limit: int = 100_000) -> int:
    """Prune the server's change log now (every sync also prunes a little): forget
    devices silent longer than the horizon (seconds; given, it is stored as the server's
    horizon), then drop up to `limit` tombstones every remaining device has pulled past.
    Returns how many were dropped. Run it on the server's own client."""
    [(before,)] = db.execute(f"SELECT count(*) FROM `{ROWS}` WHERE deleted = 1")
    db.batch([*_horizon(horizon), *_prune(limit)])
    [(after,)] = db.execute(f"SELECT count(*) FROM `{ROWS}` WHERE deleted = 1")
    return int(before) - int(after)


async def prune_change_log_async(
    db: AsyncDatabase, *, horizon: float | None = None, limit: int = 100_000
) -> int:
    """`prune_change_log` for the async client."""
    [(before,)] = await db.execute(f"SELECT count(*) FROM `{ROWS}` WHERE deleted = 1")
    await db.batch([*_horizon(horizon), *_prune(limit)])
    [(after,)] = await db.execute(f"SELECT count(*) FROM `{ROWS}` WHERE deleted = 1")
    return int(before) - int(after)


def server_error(exc: DatabaseError, url: str) -> DatabaseError | SchemaStateError:
    """A refused server batch, named when it is about the schema (a missing change log)."""
    message = str(exc)
    if "no such" in message and "__libsqlkit" in message:
        return SchemaStateError(
            f"the server {url} has no sync change log, or an older one: "
            "apply the migrations to it (python -m libsqlkit migrate with its URL)"
        )
    return exc


def _report(state: _Round, trips: int, started: float) -> SyncReport:
    return SyncReport(
        pushed=state.sent,
        pulled=state.applied,
        conflicts=tuple(state.conflicts),
        round_trips=trips,
        seconds=time.perf_counter() - started,
        moved=tuple(state.moved.values()),
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
                                reply = self._server(step)
                            except DatabaseError as exc:
                                step = steps.throw(server_error(exc, self._remote.url))
                                continue
                        step = steps.send(reply)
                    except StopIteration as done:
                        state: _Round = done.value
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

    async def _server(self, step: Server) -> list[list[Row]]:
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
                                reply = await self._server(step)
                            except DatabaseError as exc:
                                step = steps.throw(server_error(exc, self._remote.url))
                                continue
                        step = steps.send(reply)
                    except StopIteration as done:
                        state: _Round = done.value
                        break
            except BaseException:
                with contextlib.suppress(DatabaseError):
                    await self._local(db, self._core.mark("FAILED"))
                raise
            return _report(state, self._remote.round_trips - trips, started)
