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

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from libsqlkit._changelog import ROWS, STATE, hlc_parts
from libsqlkit._errors import DatabaseError, SchemaStateError
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
    from libsqlkit._database import Database

__all__ = ["Conflict", "SyncReport", "Syncer"]

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


class Syncer:
    """Syncs a local database's `sync: true` tables with one server; one sync at a time."""

    def __init__(self, remote: Database, schema: Schema) -> None:
        self._remote = remote
        names = [table.name for table in schema.synced]
        self._tables = {table.name: TableSync(table, names) for table in schema.synced}
        self._metadata = schema.table(schema.sync_metadata) if schema.sync_metadata else None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._remote.close()

    def pending(self, db: Database) -> dict[str, int]:
        """Per synced table, how many rows changed here since the last completed sync."""
        rows = db.execute(
            f"SELECT tbl, count(*) FROM `{ROWS}` WHERE seq > "
            f"(SELECT pushed_seq FROM `{STATE}` WHERE id = 1) GROUP BY tbl"
        )
        counts = dict.fromkeys(self._tables, 0)
        counts.update({table: count for table, count in rows if table in counts})
        return counts

    def sync(self, db: Database) -> SyncReport:
        with self._lock:
            started, trips = time.perf_counter(), self._remote.round_trips
            self._mark(db, "SYNCING")
            try:
                pushed, state = self._run(db)
            except BaseException:
                with contextlib.suppress(DatabaseError):  # the sync's own error matters
                    self._mark(db, "FAILED")
                raise
            return SyncReport(
                pushed=pushed,
                pulled=state.applied,
                conflicts=tuple(state.conflicts),
                round_trips=self._remote.round_trips - trips,
                seconds=time.perf_counter() - started,
            )

    # -- one sync --------------------------------------------------------------------

    def _run(self, db: Database) -> tuple[int, _Round]:
        """Requests until every change is pushed and a pull page comes back short."""
        state, changes = self._local_changes(db)
        chunks = _chunks(changes)
        last = len(chunks) - 1
        for number, chunk in enumerate(chunks):
            keys = {(c.table, c.key) for c in chunk}
            state.waiting -= keys
            state.pushed |= keys
            full = self._exchange(db, state, chunk)
            while number == last and full:
                full = self._exchange(db, state, [])
        self._finish(db, state)
        return len(changes), state

    def _local_changes(self, db: Database) -> tuple[_Round, list[Change]]:
        """This device's changes not yet sent, read in one transaction (a consistent set)."""
        try:
            with db.transaction():
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
                    f"{db.url} has no sync change log, or an older one: apply the migrations"
                ) from None
            raise
        changes.sort(key=lambda c: c.seq)
        waiting = {(c.table, c.key) for c in changes}
        return _Round(device, (seq, tbl, pk), top, waiting, set(), []), changes

    def _exchange(self, db: Database, state: _Round, chunk: list[Change]) -> bool:
        """One request: push a chunk, pull a page, apply it. True if the page was full."""
        statements, readers = self._batch(state, chunk)
        try:
            # Unenforced, as when pulling: a device's changes land in its commit order and a
            # child may come before its changed parent; cascades were made on the device.
            with self._remote.foreign_keys_off():
                results = self._remote.batch(statements)
        except DatabaseError as exc:
            message = str(exc)
            if "no such" in message and "__libsqlkit" in message:
                raise SchemaStateError(
                    f"the server {self._remote.url} has no sync change log, or an older one: "
                    "apply the migrations to it (python -m libsqlkit migrate with its URL)"
                ) from None
            if "no such" in message or "has no column named" in message:
                raise SchemaStateError(
                    f"the server's schema differs from this device's ({message}): apply the "
                    "same migrations to both"
                ) from None
            raise
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
        self._apply(db, state, page, cursor)
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

    def _apply(self, db: Database, state: _Round, page: list[Change], cursor: Cursor) -> None:
        """Write the pulled rows that are newer than this device's, in commit order, and
        move the cursor past them, in one local transaction. Foreign keys are not
        enforced here: the rows mirror the server's, and a parent changed after its child
        may come a page later; no local cascade may add to what the server decided."""
        with db.foreign_keys_off(), db.transaction():
            db.execute(f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1")
            for change in page:
                table = self._tables[change.table]
                local = db.execute(LOCAL_VERSION, (change.table, change.key))
                mine, my_seq = local[0] if local else (None, None)
                key = (change.table, change.key)
                meanwhile = my_seq is not None and my_seq > state.top and key not in state.pushed
                if mine is not None and (key in state.waiting or meanwhile):
                    # Changed here too, and not yet sent: a conflict, decided here.
                    winner: Literal["local", "remote"] = (
                        "local" if mine > change.version else "remote"
                    )
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
        state.cursor = cursor

    def _finish(self, db: Database, state: _Round) -> None:
        """Every change up to `top` is on the server: mark them sent, and the sync done."""
        with db.transaction():
            db.execute(
                f"UPDATE `{STATE}` SET pushed_seq = max(pushed_seq, ?) WHERE id = 1", (state.top,)
            )
            self._write_status(db, "COMPLETED", datetime.now(UTC))

    # -- sync_metadata ---------------------------------------------------------------

    def _mark(self, db: Database, status: SyncStatus) -> None:
        with db.transaction():
            self._write_status(db, status, None)

    def _write_status(self, db: Database, status: SyncStatus, at: datetime | None) -> None:
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
