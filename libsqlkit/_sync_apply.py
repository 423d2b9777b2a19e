"""The device's side of one sync reply: mark the push sent, report conflicts, and apply
the pulled page (staged in a temporary table, then merged by `_sync_sql`'s statements),
all in one local transaction with foreign keys off (the rows mirror the server's, and a
parent changed after its child may come a page later).
"""

from __future__ import annotations

import json
from itertools import chain
from typing import Any, Literal

from libsqlkit._changelog import CONFLICTS, NOW_MS, ROWS, STATE
from libsqlkit._sync_report import Conflict, MovedRow
from libsqlkit._sync_sql import Entry, TableSync, decode_value, image, quote
from libsqlkit._sync_state import RESYNC_RUNNING, Cursor, Executor, Reply, Round, latest, seen

__all__ = ["apply", "conflicts"]

STAGE_VALUES = 30_000  # bound values per statement that fills the staging table
Winner = Literal["local", "remote"]


def conflicts(table: TableSync, local: Entry, remote: Entry, base: str | None) -> list[Conflict]:
    """The fields changed both here (since this device last synced the row: `base`) and
    elsewhere, with the version that won; or the row itself when its life or existence
    differs (a delete, or a re-insert, against edits)."""
    if local.born != remote.born or local.deleted != remote.deleted:
        if local.born != remote.born:
            winner: Winner = "local" if local.born > remote.born else "remote"
        else:
            winner = "local" if local.deleted else "remote"
        return [Conflict(table.name, local.key, None, winner, local.version, remote.version)]
    if local.deleted:
        return []
    found = []
    for column in table.table.columns:
        mine, theirs = local.column_version(column), remote.column_version(column)
        before = None if base is None else local.column_version(column, base)
        if mine != theirs and mine != before and theirs != before:
            winner = "local" if mine > theirs else "remote"
            found.append(Conflict(table.name, local.key, column, winner, mine, theirs))
    return found


def apply(db: Executor, state: Round, chunk: list[Entry], reply: Reply) -> bool:
    """The pushed chunk is on the server: mark it sent. Then write the pulled rows and
    move the cursor. True if this made changes to send at once (rows moved aside by a
    unique clash)."""
    db.execute(f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1")
    if chunk:
        sent_before, last = state.pushed, chunk[-1]
        state.pushed = (last.seq or 0, last.table, last.key)
        state.sent += len(chunk)
        db.execute(
            f"UPDATE `{ROWS}` SET base = NULL WHERE seq IS NOT NULL AND (seq, tbl, pk) > "
            "(?, ?, ?) AND (seq, tbl, pk) <= (?, ?, ?) AND base IS NOT NULL",
            (*sent_before, *state.pushed),
        )
    by_key = {(e.table, e.key): e for e in chunk}
    for (name, key), remote in reply.unseen.items():
        mine = by_key[(name, key)]
        state.conflicts += conflicts(state.tables[name], mine, remote, mine.base)
    for name, key in reply.refused:  # deleted elsewhere while this device was away
        table = state.tables[name]
        db.execute(f"DELETE FROM {quote(name)} WHERE {quote(table.table.key)} = ?", (key,))
        db.execute(f"DELETE FROM `{ROWS}` WHERE tbl = ? AND pk = ?", (name, key))
    moved_here = False
    held: list[tuple[str, Any]] = []
    newest = ""
    staged = _staged(reply.pages, {n: len(t.table.columns) for n, t in state.tables.items()})
    for table in state.tables.values():
        moved_here |= _apply_table(db, state, table, staged.get(table.name, []), held)
        [(version, moved)] = db.execute(table.received)
        newest = max(newest, version or "")
        for key, born, reason in json.loads(moved or "[]"):
            _note_moved(state, table.name, key, born, reason)
        db.execute(table.clear)
    cursor: Cursor = reply.last if reply.full and reply.last else (reply.page_seq + 1, "", "")
    if not reply.full and state.resync == RESYNC_RUNNING:
        _end_resync(db, state)
    # A re-sync keeps the furthest position pulled before it until it ends: a server
    # whose seq goes behind that on any page was restored from an older backup (`_lost`).
    acked = state.pulled[0]
    if state.resync == RESYNC_RUNNING:
        acked = max(acked, state.acked)
    wall, counter = latest([newest] if newest else [])
    db.execute(
        f"UPDATE `{STATE}` SET applying = 0, pulled_seq = ?3, pulled_tbl = ?4, "
        "pulled_pk = ?5, pushed_seq = ?6, pushed_tbl = ?7, pushed_pk = ?8, acked_seq = ?9, "
        f"held = ?10, server_epoch = ?11, {seen('?1', '?2')} WHERE id = 1",
        (wall, counter, *cursor, *state.pushed, acked, json.dumps(held), reply.epoch),
    )
    state.acked, state.pulled, state.held = acked, cursor, held
    state.server_epoch, state.horizon_ms = reply.epoch, reply.horizon_ms
    return moved_here


def _staged(pages: list[str], widths: dict[str, int]) -> dict[str, list[tuple[Any, ...]]]:
    """The pulled entries per table, as staging rows: (seq, key, born, deleted, version,
    cols, moved, skip, values...), values exact (reals and blobs come tagged; a page
    without tags needs no decoding). A key both held back and in the page is staged once."""
    staged: dict[tuple[str, Any], tuple[Any, ...]] = {}
    for text in pages:
        tagged = '{"' in text  # tags are the only JSON objects among values (cols is text)
        for table, key, born, deleted, version, seq, cols, moved, values in json.loads(text):
            if (table, key) in staged or table not in widths:
                continue
            gone = int(bool(deleted) or values is None)  # (no values: the row is gone there)
            if values is None:
                values = (None,) * widths[table]
            elif tagged:
                values = [decode_value(v) for v in values]
            staged[(table, key)] = (seq, key, born, gone, version, cols, moved, 0, *values)
    by_table: dict[str, list[tuple[Any, ...]]] = {}
    for (table, _), row in staged.items():
        by_table.setdefault(table, []).append(row)
    return by_table


def _apply_table(
    db: Executor, state: Round, table: TableSync, rows: list[tuple[Any, ...]], held: list[Any]
) -> bool:
    """Stage this table's share of the pulled entries, settle unique clashes, report
    conflicts, then merge (the statements for rows changed here too only when some are)."""
    db.execute(table.create_stage)
    per_statement = max(1, STAGE_VALUES // table.width)
    marks = "(" + ", ".join(["?"] * table.width) + ")"
    for at in range(0, len(rows), per_statement):
        part = rows[at : at + per_statement]
        db.execute(table.fill + ", ".join([marks] * len(part)), list(chain.from_iterable(part)))
    cursor = state.pushed
    moved_here = bool(table.local_clashes) and _settle_clashes(db, state, table, held, cursor)
    pending = db.execute(table.conflicting, cursor)
    for key, *found in pending:
        born, deleted, version, cols, my_born, my_deleted, my_version, my_cols, base = found
        mine = Entry(table.name, key, my_born, bool(my_deleted), my_version, my_cols)
        remote = Entry(table.name, key, born, bool(deleted), version, cols)
        state.conflicts += conflicts(table, mine, remote, base)
    for sql, needs in table.apply:
        if needs != "pending" or pending:
            db.execute(sql, cursor if needs else ())
    for sql, needs in table.record:
        if needs != "pending" or pending:
            written = db.execute(sql, cursor if needs else ())
            state.applied += len(written or ())  # (libsql gives None for no rows)
    return moved_here


def _settle_clashes(
    db: Executor, state: Round, table: TableSync, held: list[Any], cursor: Cursor
) -> bool:
    """Pulled rows whose unique values a local row holds: under `fail` the pulled row
    is held back (asked again at every sync until the app resolves the clash here);
    under `keep_latest` the row whose clashing values were written last is kept and the
    other moved aside, as the server does (its row wins a tie). The move is a local
    change the server is sent."""
    settled: set[Any] = set()
    columns = table.table.columns
    for theirs, mine, their_version, my_version, clashed in db.execute(table.local_clashes, cursor):
        if theirs in settled or mine in settled:
            continue
        settled |= {theirs, mine}
        if table.table.policy == "fail":
            db.execute(table.skip, (theirs,))
            held.append((table.name, theirs))
            continue
        [(seq,)] = db.execute(f"UPDATE `{STATE}` SET seq = seq + 1 WHERE id = 1 RETURNING seq")
        if their_version >= my_version:  # the local row loses
            [values] = db.execute(table.row, (mine,))
            [(born, cols)] = db.execute(
                f"SELECT born, cols FROM `{ROWS}` WHERE tbl = ? AND pk = ?", (table.name, mine)
            )
            loser, winner, lost, won = mine, theirs, my_version, their_version
            db.execute(
                f"DELETE FROM {quote(table.name)} WHERE {quote(table.table.key)} = ?", (mine,)
            )
        else:  # the pulled row loses: it stays a tombstone here, and is sent as one
            db.execute(table.skip, (theirs,))
            [(born, cols, *staged)] = db.execute(table.staged, (theirs,))
            values = tuple(staged)
            loser, winner, lost, won = theirs, mine, their_version, my_version
        row = image(columns, values)
        reason = json.dumps(
            {
                "winner": winner,
                "columns": json.loads(clashed),
                "row": json.loads(row),
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
            (table.name, loser, born, winner, clashed, row, lost, won),
        )
        _note_moved(state, table.name, loser, born, reason)
    return bool(settled) and table.table.policy != "fail"


def _note_moved(state: Round, table: str, key: Any, born: str, reason: str) -> None:
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


def _end_resync(db: Executor, state: Round) -> None:
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
