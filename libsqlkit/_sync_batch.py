"""The server's side of one sync request: the batch sent, the reply read, and pruning.

The batch first reads the server's synced-schema version (every write in it is guarded by
this device's), then merges the pushed chunk, records how far this device has pulled,
prunes a little, and reads a page of other databases' changes, all in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from libsqlkit._changelog import DEVICES, NOW_MS, ROWS, STATE
from libsqlkit._rows import Row
from libsqlkit._sync_sql import HANDSHAKE, HELD, PAGE, Entry, page_sql
from libsqlkit._sync_state import RESYNC_RUNNING, Cursor, Reply, Round, Statements, latest, seen

if TYPE_CHECKING:
    from libsqlkit._async_database import AsyncDatabase
    from libsqlkit._database import Database

__all__ = ["Batch", "prune", "prune_change_log", "prune_change_log_async"]


class Batch:
    """One request's statements, each labelled with what its rows mean."""

    def __init__(self, state: Round, chunk: list[Entry], *, pull_rows: int, prune_rows: int):
        self.state, self.chunk, self.pull_rows = state, chunk, pull_rows
        self.statements: Statements = []
        self.labels: list[tuple[str, str]] = []
        resync = state.resync == RESYNC_RUNNING
        self._add(HANDSHAKE, (state.device,), "hello")
        if chunk:
            self._push(resync)
        self._add(
            f"INSERT INTO `{DEVICES}` (device, pulled_seq, seen_ms) SELECT ?1, ?2, {NOW_MS} "
            f"WHERE (SELECT `schema` FROM `{STATE}` WHERE id = 1) = ?3 ON CONFLICT (device) "
            "DO UPDATE SET pulled_seq = excluded.pulled_seq, seen_ms = excluded.seen_ms",
            (state.device, state.pulled[0], state.version),
        )
        for sql, params in prune(prune_rows):
            self._add(sql, params)
        tables = list(state.tables.values())
        self._add(
            page_sql(tables, PAGE, "?5"),
            # A full re-sync receives its own rows too: the rest will be deleted.
            (*state.pulled, "" if resync else state.device, pull_rows, state.version),
            "page",
        )
        if state.held:
            self._add(page_sql(tables, HELD), (json.dumps(state.held),), "held")

    def _add(self, sql: str, params: Sequence[Any], kind: str = "", table: str = "") -> None:
        self.statements.append((sql, params))
        self.labels.append((kind, table))

    def _push(self, resync: bool) -> None:
        state = self.state
        self._add(
            f"UPDATE `{STATE}` SET applying = 1 WHERE id = 1 AND `schema` = ?", (state.version,)
        )
        for name, table in state.tables.items():
            entries = [e for e in self.chunk if e.table == name]
            if not entries:
                continue
            slim = [
                [
                    e.key,
                    e.born,
                    int(e.deleted),
                    e.version,
                    e.cols,
                    int(resync and e.base is not None),
                    e.moved,
                ]
                for e in entries
            ]
            rows = [[*head, *(e.values or ())] for head, e in zip(slim, entries, strict=True)]
            tagged = frozenset().union(*(e.tagged for e in entries))
            # During a full re-sync the device may push although it is behind the
            # server's pruning: its rows the server forgot are refused instead. A pull
            # from the start needs no tombstone either (its cursor 0 as the floor made
            # the server drop the whole push once anything was pruned, yet it counted
            # as sent).
            floor = 1 << 62 if resync or state.pulled[0] == 0 else state.pulled[0]
            rest = (state.device, *state.pulled, state.version, floor)
            without = (json.dumps(slim), *rest)
            self._add(table.unseen, without, "unseen", name)
            if resync:
                self._add(table.refused, without, "refused", name)
            whole = (json.dumps(rows), *rest)
            for sql, reads_values in table.push(tagged):
                self._add(sql, whole if reads_values else without)
        wall, counter = latest([e.version for e in self.chunk])
        self._add(
            f"UPDATE `{STATE}` SET seq = seq + ?3, applying = 0, {seen('?1', '?2')} "
            "WHERE id = 1 AND `schema` = ?4",
            (wall, counter, len(self.chunk), state.version),
        )

    def reply(self, results: list[list[Row]]) -> Reply:
        found: dict[str, Any] = {}
        unseen: dict[tuple[str, Any], Entry] = {}
        refused: list[tuple[str, Any]] = []
        for (kind, table), rows in zip(self.labels, results, strict=True):
            if kind == "unseen":
                for key, born, deleted, hlc, cols in rows:
                    unseen[(table, key)] = Entry(table, key, born, bool(deleted), hlc, cols)
            elif kind == "refused":
                refused += [(table, key) for (key,) in rows]
            elif kind:
                found[kind] = rows[0]
        version, epoch, server_seq, pruned_seq, horizon_ms, watermark = found["hello"]
        page_seq, count, last, text = found["page"]
        return Reply(
            version,
            epoch,
            server_seq,
            pruned_seq,
            horizon_ms,
            watermark,
            unseen,
            refused,
            [text, found["held"][3]] if "held" in found else [text],
            count > self.pull_rows,  # one entry more was read, to know if more remain
            None if last is None else _cursor(json.loads(last)),
            page_seq,
        )


def _cursor(found: list[Any]) -> Cursor:
    seq, table, key = found
    return int(seq), str(table), key


def prune(limit: int) -> Statements:
    """Server housekeeping, bounded: forget devices silent longer than the horizon, then
    drop up to `limit` tombstones every remaining device has pulled past (all of them
    when no device is known), first recording how far that goes (`pruned_seq`): a device
    whose position is behind it re-syncs in full."""
    bound = (
        f"coalesce((SELECT min(pulled_seq) FROM `{DEVICES}`), "
        f"(SELECT seq + 1 FROM `{STATE}` WHERE id = 1))"
    )
    doomed = (
        f"SELECT tbl, pk, seq FROM `{ROWS}` WHERE deleted = 1 AND seq < {bound} "
        "ORDER BY seq, tbl, pk LIMIT ?"
    )
    return [
        (
            f"DELETE FROM `{DEVICES}` WHERE seen_ms < {NOW_MS} - "
            f"(SELECT horizon_ms FROM `{STATE}` WHERE id = 1)",
            (),
        ),
        (
            f"UPDATE `{STATE}` SET pruned_seq = max(pruned_seq, coalesce((SELECT max(seq) + 1 "
            f"FROM ({doomed})), 0)) WHERE id = 1",
            (limit,),
        ),
        (f"DELETE FROM `{ROWS}` WHERE (tbl, pk) IN (SELECT tbl, pk FROM ({doomed}))", (limit,)),
    ]


def _horizon(seconds: float | None) -> Statements:
    if seconds is None:
        return []
    return [(f"UPDATE `{STATE}` SET horizon_ms = ? WHERE id = 1", (int(seconds * 1000),))]


_TOMBSTONES = f"SELECT count(*) FROM `{ROWS}` WHERE deleted = 1"


def prune_change_log(db: Database, *, horizon: float | None = None, limit: int = 100_000) -> int:
    """Prune the server's change log now (every sync also prunes a little): forget
    devices silent longer than the horizon (seconds; given, it is stored as the server's
    horizon), then drop up to `limit` tombstones every remaining device has pulled past.
    Returns how many were dropped. Run it on the server's own client."""
    [(before,)] = db.execute(_TOMBSTONES)
    db.batch([*_horizon(horizon), *prune(limit)])
    [(after,)] = db.execute(_TOMBSTONES)
    return int(before) - int(after)


async def prune_change_log_async(
    db: AsyncDatabase, *, horizon: float | None = None, limit: int = 100_000
) -> int:
    """`prune_change_log` for the async client."""
    [(before,)] = await db.execute(_TOMBSTONES)
    await db.batch([*_horizon(horizon), *prune(limit)])
    [(after,)] = await db.execute(_TOMBSTONES)
    return int(before) - int(after)
