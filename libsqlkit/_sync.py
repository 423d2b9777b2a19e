"""Offline-first sync with a libSQL server: push local changes, pull remote ones, and let
the last write win, row by row, by the version the change-log triggers gave each write.

One sync is one round trip: a single atomic batch on the server checks which pushed rows
were also changed there, writes every pushed row whose version is newer than the
server's, and reads back everything other databases changed since the last pull. The
local side then applies the pulled rows that are newer than its own, in the server's
commit order, in one local transaction. Everything is keyed by (table, key, version), so
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

from libsqlkit._changelog import DEVICE_OFFSET, ROWS, STATE, hlc_parts
from libsqlkit._errors import DatabaseError, SchemaStateError
from libsqlkit._hrana import HranaDriver
from libsqlkit._schema import Schema, Table

if TYPE_CHECKING:
    from libsqlkit._database import Database

__all__ = ["Conflict", "SyncReport", "Syncer"]

SyncStatus = Literal["SYNCING", "COMPLETED", "FAILED"]


@dataclass(frozen=True)
class Conflict:
    """A row changed on this device and elsewhere since they last synced."""

    table: str
    key: object
    winner: Literal["local", "remote"]  # the later write, kept everywhere
    local_version: str
    remote_version: str


@dataclass(frozen=True)
class SyncReport:
    """What one `Database.sync()` did."""

    pushed: int  # local changes sent (rows written or deleted)
    pulled: int | None  # remote changes applied here (None: a replica pull, not counted)
    conflicts: tuple[Conflict, ...] = ()
    round_trips: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Change:
    """One row's latest version, with the row's values (None when deleted)."""

    table: str
    key: Any
    version: str
    deleted: bool
    seq: int
    values: tuple[Any, ...] | None


def _quote(name: str) -> str:
    if "`" in name:  # names come validated from schema.yaml; this only guards the quoting
        raise ValueError(f"invalid identifier {name!r}")
    return f"`{name}`"


class _TableSync:
    """The SQL that moves one synced table's rows (names from the generated schema)."""

    def __init__(self, table: Table) -> None:
        self.name = table.name
        names = [column.name for column in table.columns]
        self.width = len(names)
        t, key = _quote(table.name), _quote(table.primary_key)
        columns = ", ".join(_quote(n) for n in names)
        picked = ", ".join(f"t.{_quote(n)}" for n in names)
        marks = ", ".join("?" for _ in names)
        assign = ", ".join(
            f"{_quote(n)} = excluded.{_quote(n)}" for n in names if n != table.primary_key
        )
        on_conflict = f"ON CONFLICT ({key}) DO " + (f"UPDATE SET {assign}" if assign else "NOTHING")
        changes = (
            f"SELECT s.pk, s.hlc, s.deleted, s.seq, t.{key} IS NOT NULL, {picked} "
            f"FROM `{ROWS}` AS s LEFT JOIN {t} AS t ON t.{key} = s.pk "
            f"WHERE s.tbl = '{table.name}' AND s.seq > ?"
        )
        self.local_changes = changes + " ORDER BY s.seq"
        self.remote_changes = (
            changes + f" AND substr(s.hlc, {DEVICE_OFFSET + 1}) <> ? ORDER BY s.seq"
        )
        self.unseen = (
            f"SELECT pk, hlc FROM `{ROWS}` WHERE tbl = '{table.name}' AND seq > ? "
            f"AND substr(hlc, {DEVICE_OFFSET + 1}) <> ? AND pk IN (SELECT value FROM json_each(?))"
        )
        stored = f"(SELECT hlc FROM `{ROWS}` WHERE tbl = '{table.name}' AND pk = ?)"
        self.write_if_current = (
            f"INSERT INTO {t} ({columns}) SELECT {marks} WHERE {stored} = ? {on_conflict}"
        )
        self.delete_if_current = f"DELETE FROM {t} WHERE {key} = ? AND {stored} = ?"
        self.write = f"INSERT INTO {t} ({columns}) VALUES ({marks}) {on_conflict}"
        self.delete = f"DELETE FROM {t} WHERE {key} = ?"

    def change(self, row: Sequence[Any]) -> _Change:
        key, version, deleted, seq, present, *values = row
        gone = bool(deleted) or not present
        return _Change(self.name, key, version, gone, seq, None if gone else tuple(values))


_RECORD_IF_NEWER = (
    f"INSERT INTO `{ROWS}` (tbl, pk, hlc, deleted, seq) "
    f"VALUES (?, ?, ?, ?, (SELECT seq FROM `{STATE}` WHERE id = 1) + ?) "
    "ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted, "
    f"seq = excluded.seq WHERE excluded.hlc > `{ROWS}`.hlc"
)
_RECORD_PULLED = (
    f"INSERT INTO `{ROWS}` (tbl, pk, hlc, deleted, seq) VALUES (?, ?, ?, ?, NULL) "
    "ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted, seq = NULL"
)
_LOCAL_VERSION = f"SELECT hlc, seq FROM `{ROWS}` WHERE tbl = ? AND pk = ?"
# Advance a clock to a seen version (a hybrid logical clock's receive rule), so a write
# made after seeing another database's write is ordered after it.
_SEEN = (
    "wall = CASE WHEN ?1 > wall OR (?1 = wall AND ?2 > counter) THEN ?1 ELSE wall END, "
    "counter = CASE WHEN ?1 > wall OR (?1 = wall AND ?2 > counter) THEN ?2 ELSE counter END"
)


def _latest(versions: Sequence[str], floor: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    return max([floor, *((hlc_parts(v)[0], hlc_parts(v)[1]) for v in versions)])


class Syncer:
    """Syncs a local database's `sync: true` tables with one server; one sync at a time."""

    def __init__(self, remote: Database, driver: HranaDriver, schema: Schema) -> None:
        if not schema.synced:
            raise SchemaStateError("offline sync needs tables with sync: true in schema.yaml")
        self._remote = remote
        self._driver = driver
        self._tables = {table.name: _TableSync(table) for table in schema.synced}
        self._metadata = schema.table(schema.sync_metadata) if schema.sync_metadata else None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._remote.close()

    def sync(self, db: Database) -> SyncReport:
        with self._lock:
            started, trips = time.perf_counter(), self._driver.round_trips
            self._mark(db, "SYNCING")
            try:
                pushed, pulled, conflicts = self._run(db)
            except BaseException:
                with contextlib.suppress(DatabaseError):  # the sync's own error matters
                    self._mark(db, "FAILED")
                raise
            return SyncReport(
                pushed=pushed,
                pulled=pulled,
                conflicts=tuple(conflicts),
                round_trips=self._driver.round_trips - trips,
                seconds=time.perf_counter() - started,
            )

    # -- one sync --------------------------------------------------------------------

    def _run(self, db: Database) -> tuple[int, int, list[Conflict]]:
        device, pulled_seq, top, changes = self._local_changes(db)
        statements, readers = self._batch(device, pulled_seq, changes)
        try:
            results = self._remote.batch(statements)
        except DatabaseError as exc:
            if "no such table" in str(exc) and "__libsqlkit" in str(exc):
                raise SchemaStateError(
                    f"the server {self._remote.url} has no sync change log: apply the "
                    "migrations to it (python -m libsqlkit migrate with its URL)"
                ) from None
            raise
        unseen = {
            (table, key): version
            for (table, kind), rows in zip(readers, results, strict=True)
            if kind == "unseen"
            for key, version in rows
        }
        pulled = [
            self._tables[table].change(row)
            for (table, kind), rows in zip(readers, results, strict=True)
            if kind == "pull"
            for row in rows
        ]
        server_seq = next(
            rows[0][0] for (_, kind), rows in zip(readers, results, strict=True) if kind == "state"
        )
        conflicts = [
            Conflict(
                c.table,
                c.key,
                "local" if c.version > theirs else "remote",
                c.version,
                theirs,
            )
            for c in changes
            if (theirs := unseen.get((c.table, c.key))) is not None
        ]
        pushed_keys = {(c.table, c.key) for c in changes}
        applied = self._apply(db, pulled, top, server_seq, pushed_keys, conflicts)
        return len(changes), applied, conflicts

    def _local_changes(self, db: Database) -> tuple[str, int, int, list[_Change]]:
        """This device's changes not yet sent, read in one transaction (a consistent set)."""
        try:
            with db.transaction():
                [(device, pushed_seq, pulled_seq, top)] = db.execute(
                    f"SELECT device, pushed_seq, pulled_seq, seq FROM `{STATE}` WHERE id = 1"
                )
                changes = [
                    table.change(row)
                    for table in self._tables.values()
                    for row in db.execute(table.local_changes, (pushed_seq,))
                ]
        except DatabaseError as exc:
            if "no such table" in str(exc):
                raise SchemaStateError(
                    f"{db.url} has no sync change log: apply the migrations first"
                ) from None
            raise
        changes.sort(key=lambda c: c.seq)
        return device, pulled_seq, top, changes

    def _batch(
        self, device: str, pulled_seq: int, changes: list[_Change]
    ) -> tuple[list[tuple[str, Sequence[Any]]], list[tuple[str, str]]]:
        """The server's statements, and (table, what) for each statement's rows."""
        statements: list[tuple[str, Sequence[Any]]] = []
        readers: list[tuple[str, str]] = []

        def add(sql: str, params: Sequence[Any], table: str = "", kind: str = "") -> None:
            statements.append((sql, params))
            readers.append((table, kind))

        for name, table in self._tables.items():
            keys = [c.key for c in changes if c.table == name]
            if keys:
                add(table.unseen, (pulled_seq, device, json.dumps(keys)), name, "unseen")
        add(f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1", ())
        for number, change in enumerate(changes, start=1):
            table = self._tables[change.table]
            add(
                _RECORD_IF_NEWER,
                (change.table, change.key, change.version, int(change.deleted), number),
            )
            if change.values is None:
                add(table.delete_if_current, (change.key, change.key, change.version))
            else:
                add(table.write_if_current, (*change.values, change.key, change.version))
        wall, counter = _latest([c.version for c in changes])
        add(
            f"UPDATE `{STATE}` SET seq = seq + ?3, applying = 0, {_SEEN} WHERE id = 1 RETURNING seq",
            (wall, counter, len(changes)),
            kind="state",
        )
        for name, table in self._tables.items():
            add(table.remote_changes, (pulled_seq, device), name, "pull")
        return statements, readers

    def _apply(
        self,
        db: Database,
        pulled: list[_Change],
        top: int,
        server_seq: int,
        pushed: set[tuple[str, Any]],
        conflicts: list[Conflict],
    ) -> int:
        """Write the pulled rows that are newer than this device's, in commit order."""
        pulled.sort(key=lambda c: c.seq)
        applied = 0
        with db.transaction():
            db.execute("PRAGMA defer_foreign_keys = ON")
            db.execute(f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1")
            for change in pulled:
                table = self._tables[change.table]
                local = db.execute(_LOCAL_VERSION, (change.table, change.key))
                mine, my_seq = local[0] if local else (None, None)
                changed_meanwhile = my_seq is not None and my_seq > top
                if (
                    changed_meanwhile
                    and (change.table, change.key) not in pushed
                    and mine is not None
                ):
                    winner: Literal["local", "remote"] = (
                        "local" if mine > change.version else "remote"
                    )
                    conflicts.append(
                        Conflict(change.table, change.key, winner, mine, change.version)
                    )
                if mine is not None and mine >= change.version:
                    continue
                if change.values is None:
                    db.execute(table.delete, (change.key,), table=change.table)
                else:
                    db.execute(table.write, change.values, table=change.table)
                db.execute(
                    _RECORD_PULLED, (change.table, change.key, change.version, int(change.deleted))
                )
                applied += 1
            wall, counter = _latest([c.version for c in pulled])
            db.execute(
                f"UPDATE `{STATE}` SET applying = 0, pushed_seq = max(pushed_seq, ?3), "
                f"pulled_seq = max(pulled_seq, ?4), {_SEEN} WHERE id = 1",
                (wall, counter, top, server_seq),
            )
            self._write_status(db, "COMPLETED", datetime.now(UTC))
        return applied

    # -- sync_metadata ---------------------------------------------------------------

    def _mark(self, db: Database, status: SyncStatus) -> None:
        with db.transaction():
            self._write_status(db, status, None)

    def _write_status(self, db: Database, status: SyncStatus, at: datetime | None) -> None:
        """One row per synced table: its status, and when it last completed."""
        meta = self._metadata
        if meta is None:
            return
        t = _quote(meta.name)
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
            columns = ", ".join(_quote(c) for c in values)
            marks = ", ".join("?" for _ in values)
            db.execute(
                f"INSERT INTO {t} ({columns}) VALUES ({marks})",
                tuple(values.values()),
                table=meta.name,
            )
