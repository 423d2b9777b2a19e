"""The SQL of offline sync: how one synced table's rows are read, sent and written.

Statements are put together once per table from the generated schema's names, which
schema.yaml validation restricts to plain lowercase SQL names; every value is bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from libsqlkit._changelog import DEVICE_OFFSET, ROWS, STATE
from libsqlkit._schema import Table

__all__ = [
    "LOCAL_VERSION",
    "RECORD_IF_NEWER",
    "RECORD_PULLED",
    "SEEN",
    "Change",
    "TableSync",
    "quote",
]


@dataclass(frozen=True)
class Change:
    """One row's latest version, with the row's values (None when deleted)."""

    table: str
    key: Any
    version: str
    deleted: bool
    seq: int
    values: tuple[Any, ...] | None


def quote(name: str) -> str:
    if "`" in name:  # names come validated from schema.yaml; this only guards the quoting
        raise ValueError(f"invalid identifier {name!r}")
    return f"`{name}`"


class TableSync:
    """The SQL that moves one synced table's rows (names from the generated schema)."""

    def __init__(self, table: Table, synced: Sequence[str]) -> None:
        self.name = table.name
        names = [column.name for column in table.columns]
        t, key = quote(table.name), quote(table.primary_key)
        columns = ", ".join(quote(n) for n in names)
        picked = ", ".join(f"t.{quote(n)}" for n in names)
        marks = ", ".join("?" for _ in names)
        assign = ", ".join(
            f"{quote(n)} = excluded.{quote(n)}" for n in names if n != table.primary_key
        )
        on_conflict = f"ON CONFLICT ({key}) DO " + (f"UPDATE SET {assign}" if assign else "NOTHING")
        row = f"s.pk, s.hlc, s.deleted, s.seq, t.{key} IS NOT NULL, {picked}"
        self.local_changes = (
            f"SELECT {row} FROM `{ROWS}` AS s LEFT JOIN {t} AS t ON t.{key} = s.pk "
            f"WHERE s.tbl = '{table.name}' AND s.seq > ? ORDER BY s.seq"
        )
        # One page of other databases' changes after the cursor, in commit order across
        # all synced tables; each table reads its share of the same page.
        tables = ", ".join(f"'{name}'" for name in synced)
        self.remote_page = (
            f"WITH page AS (SELECT tbl, pk FROM `{ROWS}` WHERE (seq, tbl, pk) > (?1, ?2, ?3) "
            f"AND substr(hlc, {DEVICE_OFFSET + 1}) <> ?4 AND tbl IN ({tables}) "
            "ORDER BY seq, tbl, pk LIMIT ?5) "
            f"SELECT {row} FROM page JOIN `{ROWS}` AS s ON s.tbl = page.tbl AND s.pk = page.pk "
            f"LEFT JOIN {t} AS t ON t.{key} = s.pk WHERE page.tbl = '{table.name}'"
        )
        self.unseen = (
            f"SELECT pk, hlc FROM `{ROWS}` WHERE tbl = '{table.name}' "
            f"AND (seq, tbl, pk) > (?1, ?2, ?3) AND substr(hlc, {DEVICE_OFFSET + 1}) <> ?4 "
            "AND pk IN (SELECT value FROM json_each(?5))"
        )
        stored = f"(SELECT hlc FROM `{ROWS}` WHERE tbl = '{table.name}' AND pk = ?)"
        self.write_if_current = (
            f"INSERT INTO {t} ({columns}) SELECT {marks} WHERE {stored} = ? {on_conflict}"
        )
        self.delete_if_current = f"DELETE FROM {t} WHERE {key} = ? AND {stored} = ?"
        self.write = f"INSERT INTO {t} ({columns}) VALUES ({marks}) {on_conflict}"
        self.delete = f"DELETE FROM {t} WHERE {key} = ?"

    def change(self, row: Sequence[Any]) -> Change:
        key, version, deleted, seq, present, *values = row
        gone = bool(deleted) or not present
        return Change(self.name, key, version, gone, seq, None if gone else tuple(values))


RECORD_IF_NEWER = (
    f"INSERT INTO `{ROWS}` (tbl, pk, hlc, deleted, seq) "
    f"VALUES (?, ?, ?, ?, (SELECT seq FROM `{STATE}` WHERE id = 1) + ?) "
    "ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted, "
    f"seq = excluded.seq WHERE excluded.hlc > `{ROWS}`.hlc"
)
RECORD_PULLED = (
    f"INSERT INTO `{ROWS}` (tbl, pk, hlc, deleted, seq) VALUES (?, ?, ?, ?, NULL) "
    "ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted, seq = NULL"
)
LOCAL_VERSION = f"SELECT hlc, seq FROM `{ROWS}` WHERE tbl = ? AND pk = ?"
# Advance a clock to a seen version (a hybrid logical clock's receive rule), so a write
# made after seeing another database's write is ordered after it.
SEEN = (
    "wall = CASE WHEN ?1 > wall OR (?1 = wall AND ?2 > counter) THEN ?1 ELSE wall END, "
    "counter = CASE WHEN ?1 > wall OR (?1 = wall AND ?2 > counter) THEN ?2 ELSE counter END"
)
