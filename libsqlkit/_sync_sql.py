"""The SQL of offline sync: how one synced table's rows are read, sent, merged and written.

Statements are put together from the names the database itself reports for its synced
tables (schema.yaml validation restricts them to plain lowercase SQL names); every value
is bound. Rows travel in bulk: a push is one JSON parameter per table that the server
merges with set-based statements, a pulled page is one JSON value, applied locally from
a staging table. The chunk (or page) drives every join: an inner join is a CROSS JOIN,
which SQLite never reorders, since without statistics it may otherwise scan the whole
change log once per row of the chunk.

The merge, field by field (`version(c)` is a column's version in a change-log entry):
- A row's life is `born` (the version of the insert that started it). The later life
  wins whole; within one life a tombstone beats every edit, so an edit made without
  seeing a delete is dropped, and only an insert brings the key back (a new life).
- Within one life each column takes the value of its later version. The server takes a
  pushed value only when its version is newer; a device takes the server's value when
  its version is newer or equal (equal versions come from one write, or are `ORIGIN`,
  where the server's value is the one all agree on).
- A unique clash between two rows of a `keep_latest` table keeps the row whose clashing
  columns were written last; the other is deleted and its values kept in the conflicts
  table (the server's row wins a tie). Under `fail` the push is refused; a pulled row that
  clashes with a local one is held back until the clash is resolved.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from libsqlkit._changelog import CONFLICTS, DEVICES, EVERY, NOW_MS, ROWS, STATE

__all__ = [
    "Entry",
    "SyncedTable",
    "TableSync",
    "decode_value",
    "encode_value",
    "encode_values",
    "image",
    "page_sql",
    "quote",
    "version_of",
]


def quote(name: str) -> str:
    if "`" in name:  # names come validated from schema.yaml; this only guards the quoting
        raise ValueError(f"invalid identifier {name!r}")
    return f"`{name}`"


def version_of(alias: str, column: str) -> str:
    """SQL for the version of `column` in a change-log entry (or a row shaped like one)."""
    return (
        f"coalesce(json_extract({alias}.cols, '$.{column}'), "
        f"json_extract({alias}.cols, '$.\"{EVERY}\"'), {alias}.born)"
    )


def encode_value(value: Any) -> Any:
    """A value for the JSON of a push, exact: floats as an integer mantissa and a power of
    two (SQLite's JSON parser rounds some doubles), blobs as hex."""
    if isinstance(value, float):
        exponent = max(math.frexp(value)[1] - 53, -1074)
        return {"r": [int(math.ldexp(value, -exponent)), exponent]}
    if isinstance(value, bytes):
        return {"b": value.hex()}
    return value


def encode_values(values: Sequence[Any]) -> tuple[tuple[Any, ...], frozenset[int]]:
    """A row's values for a push, and the positions `encode_value` tagged."""
    tagged = frozenset(i for i, value in enumerate(values) if isinstance(value, float | bytes))
    return tuple(encode_value(v) if i in tagged else v for i, v in enumerate(values)), tagged


def decode_value(value: Any) -> Any:
    """A value from the JSON of a pulled page (tagged by `_tagged`)."""
    if isinstance(value, dict):
        if "r" in value:
            return float(value["r"])
        return bytes.fromhex(value["b"])
    return value


def image(columns: Sequence[str], values: Sequence[Any]) -> str:
    """A row's values as the conflicts table keeps them: JSON, reals as exact numbers,
    blobs as {"hex": ...}."""
    return json.dumps(
        {
            column: {"hex": value.hex()} if isinstance(value, bytes) else value
            for column, value in zip(columns, values, strict=True)
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _tagged(expression: str) -> str:
    """A value inside JSON built by SQLite, exact: reals as 17-digit text, blobs as hex."""
    return (
        f"CASE typeof({expression}) WHEN 'real' THEN json_object('r', printf('%!.17g', {expression})) "
        f"WHEN 'blob' THEN json_object('b', hex({expression})) ELSE {expression} END"
    )


def _image_sql(alias: str, columns: Sequence[str]) -> str:
    """The same image as `image`, built by the server."""
    parts = ", ".join(
        f"'{c}', CASE typeof({alias}.{quote(c)}) WHEN 'real' THEN json(printf('%!.17g', "
        f"{alias}.{quote(c)})) WHEN 'blob' THEN json_object('hex', hex({alias}.{quote(c)})) "
        f"ELSE {alias}.{quote(c)} END"
        for c in columns
    )
    return f"json_object({parts})"


@dataclass(frozen=True)
class SyncedTable:
    """A synced table as the local database describes it."""

    name: str
    key: str
    columns: tuple[str, ...]  # every column but the key, in table order
    policy: str  # "fail" | "keep_latest"
    unique: tuple[tuple[str, ...], ...] = ()  # column sets of its unique constraints


@dataclass(frozen=True)
class Entry:
    """One row's change-log entry, with the row's values (None when deleted); a pushed
    entry's values are as `encode_values` sends them, `tagged` the positions it tagged."""

    table: str
    key: Any
    born: str
    deleted: bool
    version: str
    cols: str
    seq: int | None = None
    base: str | None = None
    moved: str | None = None
    values: tuple[Any, ...] | None = None
    tagged: frozenset[int] = frozenset()

    def column_version(self, column: str, cols: str | None = None) -> str:
        found: dict[str, str] = json.loads(self.cols if cols is None else cols)
        return found.get(column) or found.get(EVERY) or self.born


# A push lands only if the server is on the device's synced schema, and has not pruned
# tombstones this device has not received (`floor`: its pull cursor, unless it re-syncs).
_GUARD = (
    f"(SELECT `schema` FROM `{STATE}` WHERE `id` = 1) = j.ver "
    f"AND (SELECT `pruned_seq` FROM `{STATE}` WHERE `id` = 1) <= j.floor"
)
# The server's entry is one the pushing device has seen (pulled, or its own push): its
# chunk then holds everything the server has, and replaces it whole. Not so for a row
# re-sent by a full re-sync (`known`): a migration on the device since (a rollback that
# dropped a column) may have lost what it pushed, so that row merges field by field.
_KNOWN = (
    "(r.pk IS NULL OR coalesce((r.seq, r.tbl, r.pk) <= (j.cseq, j.ctbl, j.cpk), 0) "
    "OR (r.origin IS j.dev AND NOT j.known))"
)
_REFUSED = "(j.known = 1 AND r.pk IS NULL)"  # a re-syncing device's row, pruned here


class TableSync:
    """The SQL that moves one synced table's rows, on the server and locally."""

    def __init__(self, table: SyncedTable, version: str) -> None:
        self.table = table
        self.name = table.name
        t, key = quote(table.name), quote(table.key)
        self._t, self._key = t, key
        names = table.columns
        # with each row, its size (a bound on a request's) and whether a value needs
        # `encode_value` (most rows: none, and Python then leaves them as they are)
        size = " + ".join(f"coalesce(length(CAST({quote(c)} AS BLOB)), 8)" for c in names)
        special = " OR ".join(f"typeof({quote(c)}) IN ('real', 'blob')" for c in names)
        self.values = f"SELECT {key}, {', '.join(quote(c) for c in names) or 'NULL'}, "
        self.values += f"{size or 0}, {special or 0} FROM {t} "
        self.values += f"WHERE {key} IN (SELECT value FROM json_each(?))"
        self.row = f"SELECT {', '.join(quote(c) for c in names) or 'NULL'} FROM {t} WHERE {key} = ?"
        self.stage = quote(f"__libsqlkit_in_{table.name}_{version}")
        self.create_stage = (
            f"CREATE TEMP TABLE IF NOT EXISTS {self.stage} (seq integer, pk, "
            "born text, deleted integer, hlc text, cols text, moved text, skip integer"
            + "".join(f", {quote(c)}" for c in names)
            + ")"
        )
        self._log = f"LEFT JOIN `{ROWS}` AS r ON r.tbl = '{table.name}' AND r.pk = j.pk"
        self._server()
        self._local()

    # -- the server: a pushed chunk, merged ----------------------------------------------

    def _server(self) -> None:
        """The statements over a pushed chunk that read no values: they get the chunk's
        entries without them (`slim`), a third of the text to send and to parse."""
        source, log = self._source(None), self._log
        self.unseen = (
            f"{source} SELECT j.pk, r.born, r.deleted, r.hlc, r.cols FROM src AS j CROSS JOIN "
            f"`{ROWS}` AS r ON r.tbl = '{self.name}' AND r.pk = j.pk WHERE NOT {_KNOWN} AND {_GUARD}"
        )
        self.refused = f"{source} SELECT j.pk FROM src AS j {log} WHERE {_REFUSED} AND {_GUARD}"
        self._pushes: dict[frozenset[int], list[tuple[str, bool]]] = {}

    def _source(self, tagged: frozenset[int] | None) -> str:
        """The CTE `src` over a pushed chunk (`?1`: JSON rows [key, born, deleted, hlc,
        cols, known, moved, values...]; `?2` device; `?3`-`?5` its pull cursor; `?6` the
        synced schema's version; `?7` the floor of `_GUARD`). Without `tagged` it has no
        values; with it, the columns at those positions may hold tagged reals or blobs
        (`encode_value`), the others plain JSON values, read with one lookup each."""

        def decoded(position: int) -> str:
            if position - 7 not in (tagged or ()):
                return f"j.value ->> {position}"
            at = f"'$[{position}]'"
            return (
                f"CASE WHEN json_type(j.value, {at}) = 'object' THEN coalesce(unhex(json_extract("
                f"j.value, '$[{position}].b')), json_extract(j.value, '$[{position}].r[0]') * "
                f"pow(2.0, json_extract(j.value, '$[{position}].r[1]'))) ELSE j.value ->> {position} END"
            )

        values = () if tagged is None else self.table.columns
        return (
            "WITH src AS (SELECT j.key AS n, j.value ->> 0 AS pk, j.value ->> 1 AS born, "
            "j.value ->> 2 AS deleted, j.value ->> 3 AS hlc, j.value ->> 4 AS cols, "
            "j.value ->> 5 AS known, j.value ->> 6 AS moved, ?2 AS dev, ?3 AS cseq, ?4 AS ctbl, "
            "?5 AS cpk, ?6 AS ver, ?7 AS floor"
            + "".join(f", {decoded(7 + i)} AS {quote(c)}" for i, c in enumerate(values))
            + " FROM json_each(?1) AS j)"
        )

    def push(self, tagged: frozenset[int]) -> list[tuple[str, bool]]:
        """The statements that merge a pushed chunk whose value columns at the positions
        `tagged` hold tagged reals or blobs, each with whether it reads the values (it
        then gets the whole chunk, else the slim one). Built once per such set."""
        found = self._pushes.get(tagged)
        if found is None:
            found = self._pushes[tagged] = self._merge(tagged)
        return found

    def _merge(self, tagged: frozenset[int]) -> list[tuple[str, bool]]:
        table, t, key, log = self.table, self._t, self._key, self._log
        names = table.columns
        slim, source = self._source(None), self._source(tagged)
        clashes = self._clashes("src", writing=f"({_KNOWN} OR j.born > r.born OR {{newer}})")
        losing = " AND j.pk NOT IN (SELECT pk FROM clash WHERE NOT wins)" if clashes else ""
        # without a clash to look for, what it reads needs no values
        with_clash = (f"{source}, {clashes}", True) if clashes else (slim, False)
        seq = f"(SELECT `seq` FROM `{STATE}` WHERE `id` = 1) + j.n + 1"
        assign = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in names)
        upsert = f"ON CONFLICT ({key}) DO " + (f"UPDATE SET {assign}" if assign else "NOTHING")
        columns = ", ".join((key, *(quote(c) for c in names)))
        # The server already has this entry (a retry, a re-sent row). Its latest version
        # alone does not say so: a pending edit merged with a later pulled one carries
        # the pulled version as its latest, and its own in `cols`.
        same = (
            "(r.pk IS NOT NULL AND r.hlc IS j.hlc AND r.born IS j.born AND r.deleted = j.deleted "
            "AND r.cols IS j.cols)"
        )
        push = [
            (
                f"{slim} DELETE FROM {t} WHERE {key} IN (SELECT j.pk FROM src AS j {log} WHERE "
                f"j.deleted AND {_GUARD} AND NOT {_REFUSED} AND (r.pk IS NULL OR j.born >= r.born))",
                False,
            )
        ]
        if clashes:
            push += [(sql, True) for sql in self._move_aside(source, clashes, names)]
        with_values = f"{source}, {clashes}" if clashes else source
        # One statement writes the rows and one their entries, each in two ways: an entry
        # this device has seen (`_KNOWN`) is replaced by what it sends; any other is
        # merged field by field with what the server has.
        merged = "".join(
            f", CASE WHEN {_KNOWN} OR v.{key} IS NULL OR j.born > r.born OR r.deleted "
            f"THEN j.{quote(c)} WHEN {version_of('j', c)} > {version_of('r', c)} "
            f"THEN j.{quote(c)} ELSE v.{quote(c)} END"
            for c in names
        )
        push.append(
            (
                f"{with_values} INSERT INTO {t} ({columns}) SELECT j.pk{merged} FROM src AS j "
                f"{log} LEFT JOIN {t} AS v ON v.{key} = j.pk WHERE NOT j.deleted AND {_GUARD} "
                f"AND CASE WHEN {_KNOWN} THEN NOT {same} AND NOT {_REFUSED} ELSE j.born > r.born "
                f"OR (j.born = r.born AND NOT r.deleted) END{losing} ORDER BY j.n {upsert}",
                True,
            )
        )
        newest = (
            "json_object("
            + ", ".join(f"'{c}', max({version_of('j', c)}, {version_of('r', c)})" for c in names)
            + ")"
        )
        entry = f"INSERT INTO `{ROWS}` (tbl, pk, hlc, deleted, seq, born, cols, origin, moved) "
        every = (
            "ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted, "
            "seq = excluded.seq, born = excluded.born, cols = excluded.cols, "
            "origin = excluded.origin, moved = excluded.moved"
        )
        entries, reads = with_clash
        whole = f"({_KNOWN} OR j.born > r.born)"
        push.append(
            (
                f"{entries} {entry}SELECT '{table.name}', j.pk, "
                f"CASE WHEN {whole} THEN j.hlc ELSE max(j.hlc, r.hlc) END, "
                f"CASE WHEN {whole} THEN j.deleted ELSE max(j.deleted, r.deleted) END, {seq}, "
                f"CASE WHEN {_KNOWN} THEN j.born ELSE max(j.born, r.born) END, "
                f"CASE WHEN {whole} THEN j.cols ELSE {newest} END, "
                f"CASE WHEN {_KNOWN} THEN j.dev END, "
                f"CASE WHEN {whole} THEN j.moved ELSE coalesce(r.moved, j.moved) END "
                f"FROM src AS j {log} WHERE {_GUARD} AND CASE WHEN {_KNOWN} THEN NOT {same} "
                f"AND NOT {_REFUSED} ELSE j.born >= r.born END{losing} {every}",
                reads,
            )
        )
        push.append(
            (
                f"{slim} INSERT OR IGNORE INTO `{CONFLICTS}` SELECT '{table.name}', j.pk, j.born, "
                "j.moved ->> '$.winner', j.moved ->> '$.columns', j.moved ->> '$.row', "
                f"j.moved ->> '$.loser_version', j.moved ->> '$.winner_version', {NOW_MS} "
                f"FROM src AS j WHERE j.moved IS NOT NULL AND {_GUARD}",
                False,
            )
        )
        return push

    def _clashes(self, source: str, *, writing: str) -> str:
        """A CTE `clash(pk, other, mine, theirs, wins)`: rows of `source` whose unique
        values are held by another row, each side's version of those values, and whether
        the row from `source` wins (later version; a tie keeps the row already here)."""
        table = self.table
        if table.policy != "keep_latest" or not table.unique:
            return ""
        t, key = self._t, self._key
        parts = []
        for columns in table.unique:
            match = " AND ".join(f"o.{quote(c)} = j.{quote(c)}" for c in columns)
            leaving = " OR ".join(f"k.{quote(c)} IS NOT o.{quote(c)}" for c in columns)
            newer = " AND ".join(f"{version_of('j', c)} > {version_of('r', c)}" for c in columns)
            mine = self._newest("j", columns)
            theirs = self._newest("ro", columns)
            parts.append(
                f"SELECT j.pk AS pk, o.{key} AS other, {mine} AS mine, {theirs} AS theirs, "
                f"'{json.dumps(list(columns))}' AS clashed "
                f"FROM {source} AS j CROSS JOIN {t} AS o ON {match} AND o.{key} IS NOT j.pk "
                f"LEFT JOIN `{ROWS}` AS ro ON ro.tbl = '{table.name}' AND ro.pk = o.{key} "
                f"LEFT JOIN `{ROWS}` AS r ON r.tbl = '{table.name}' AND r.pk = j.pk "
                f"WHERE NOT j.deleted AND {_GUARD} AND {writing.format(newer=newer)} AND NOT EXISTS "
                f"(SELECT 1 FROM {source} AS k WHERE k.pk = o.{key} AND (k.deleted OR {leaving}))"
            )
        return (
            "clash AS (SELECT pk, other, mine, theirs, clashed, mine > theirs AS wins FROM ("
            + " UNION ALL ".join(parts)
            + "))"
        )

    @staticmethod
    def _newest(alias: str, columns: Sequence[str]) -> str:
        versions = [f"coalesce({version_of(alias, c)}, '')" for c in columns]
        return versions[0] if len(versions) == 1 else f"max({', '.join(versions)})"

    def _move_aside(self, source: str, clashes: str, names: Sequence[str]) -> list[str]:
        """keep_latest on the server: the losing row of each clash is deleted, its values
        kept in the conflicts table, and its tombstone says why (it travels to every
        device). Runs before the chunk's rows are written, so the winners fit."""
        t, key, name = self._t, self._key, self.table.name
        with_clash = f"{source}, {clashes}"
        moved_here = (
            f"json_object('winner', c.pk, 'columns', json(c.clashed), 'row', "
            f"{_image_sql('o', names)}, 'loser_version', c.theirs, 'winner_version', c.mine)"
        )
        incoming = (
            f"json_object('winner', c.other, 'columns', json(c.clashed), 'row', "
            f"{_image_sql('j', names)}, 'loser_version', c.mine, 'winner_version', c.theirs)"
        )
        later = f"(SELECT `seq` FROM `{STATE}` WHERE `id` = 1) + (SELECT count(*) FROM src) + 1"
        return [
            # rows already here that lose to a pushed row
            f"{with_clash} UPDATE `{ROWS}` AS u SET deleted = 1, origin = NULL, seq = {later}, "
            f"hlc = (SELECT c.mine FROM clash AS c WHERE c.other = u.pk AND c.wins), "
            f"moved = (SELECT {moved_here} FROM clash AS c JOIN {t} AS o ON o.{key} = c.other "
            f"WHERE c.other = u.pk AND c.wins) WHERE u.tbl = '{name}' AND u.pk IN "
            "(SELECT other FROM clash WHERE wins) AND (SELECT `schema` FROM "
            f"`{STATE}` WHERE `id` = 1) = ?6 AND (SELECT `pruned_seq` FROM `{STATE}` "
            "WHERE `id` = 1) <= ?7",
            f"{with_clash} INSERT OR IGNORE INTO `{CONFLICTS}` SELECT '{name}', r.pk, r.born, "
            "r.moved ->> '$.winner', r.moved ->> '$.columns', r.moved ->> '$.row', "
            f"r.moved ->> '$.loser_version', r.moved ->> '$.winner_version', {NOW_MS} "
            f"FROM `{ROWS}` AS r WHERE r.tbl = '{name}' AND r.pk IN (SELECT other FROM clash "
            "WHERE wins)",
            f"{with_clash} DELETE FROM {t} WHERE {key} IN (SELECT other FROM clash WHERE wins)",
            # pushed rows that lose to a row already here arrive as tombstones (after this,
            # they are no clash: the statements that follow merge them as tombstones)
            f"{with_clash} INSERT OR IGNORE INTO `{CONFLICTS}` SELECT '{name}', c.pk, j.born, "
            "c.other, c.clashed, "
            f"{_image_sql('j', names)}, c.mine, c.theirs, {NOW_MS} FROM clash AS c "
            f"JOIN src AS j ON j.pk = c.pk WHERE NOT c.wins AND {_GUARD}",
            f"{with_clash} INSERT INTO `{ROWS}` (tbl, pk, hlc, deleted, seq, born, cols, origin, "
            f"moved) SELECT '{name}', c.pk, c.theirs, 1, {later}, j.born, j.cols, NULL, "
            f"{incoming} FROM clash AS c JOIN src AS j ON j.pk = c.pk WHERE NOT c.wins AND "
            f"{_GUARD} ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, deleted = 1, "
            "seq = excluded.seq, born = excluded.born, cols = excluded.cols, origin = NULL, "
            "moved = excluded.moved",
        ]

    def page_values(self, alias: str) -> str:
        """The row's values inside a pulled page's JSON."""
        return (
            f"json_array({', '.join(_tagged(f'{alias}.{quote(c)}') for c in self.table.columns)})"
        )

    # -- the device: a pulled page, applied ----------------------------------------------

    def _local(self) -> None:
        """Statements over the staging table `j` (a pulled page); `?1`-`?3` is this
        device's push cursor: an entry after it has changes not yet sent (pending)."""
        t, key, name = self._t, self._key, self.name
        names = self.table.columns
        stage = f"temp.{self.stage}"
        log = f"LEFT JOIN `{ROWS}` AS r ON r.tbl = '{name}' AND r.pk = j.pk"
        pending = "coalesce((r.seq, r.tbl, r.pk) > (?1, ?2, ?3), 0)"
        assign = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in names)
        upsert = f"ON CONFLICT ({key}) DO " + (f"UPDATE SET {assign}" if assign else "NOTHING")
        columns = ", ".join((key, *(quote(c) for c in names)))
        self.fill = f"INSERT INTO {stage} VALUES "  # then (?, ...) per entry
        self.width = 8 + len(names)
        self.staged = (
            f"SELECT born, cols{''.join(f', {quote(c)}' for c in names)} FROM {stage} WHERE pk = ?"
        )
        self.received = (
            f"SELECT max(hlc), json_group_array(json_array(pk, born, moved)) FILTER "
            f"(WHERE moved IS NOT NULL AND deleted AND NOT skip) FROM {stage}"
        )
        self.clear = f"DELETE FROM {stage}"
        self.conflicting = (
            f"SELECT j.pk, j.born, j.deleted, j.hlc, j.cols, r.born, r.deleted, r.hlc, r.cols, "
            f"r.base FROM {stage} AS j CROSS JOIN `{ROWS}` AS r ON r.tbl = '{name}' AND r.pk = j.pk "
            f"WHERE NOT j.skip AND {pending}"
        )
        # (statement, what it needs: "" nothing, "cursor" the push cursor, "pending" the
        # cursor, and only runs when some staged row has unsent changes here)
        self.apply: list[tuple[str, str]] = [
            (
                f"DELETE FROM {t} WHERE {key} IN (SELECT j.pk FROM {stage} AS j {log} "
                "WHERE j.deleted AND NOT j.skip AND (r.pk IS NULL OR j.born >= r.born))",
                "",
            ),
            (
                f"INSERT INTO {t} ({columns}) SELECT j.pk"
                + "".join(f", j.{quote(c)}" for c in names)
                + f" FROM {stage} AS j {log} WHERE NOT j.deleted AND NOT j.skip "
                f"AND NOT {pending} ORDER BY j.seq, j.pk {upsert}",
                "cursor",
            ),
            (
                f"INSERT INTO {t} ({columns}) SELECT j.pk"
                + "".join(
                    f", CASE WHEN v.{key} IS NULL OR j.born > r.born THEN j.{quote(c)} "
                    f"WHEN {version_of('j', c)} >= {version_of('r', c)} THEN j.{quote(c)} "
                    f"ELSE v.{quote(c)} END"
                    for c in names
                )
                + f" FROM {stage} AS j {log} LEFT JOIN {t} AS v ON v.{key} = j.pk "
                f"WHERE NOT j.deleted AND NOT j.skip AND {pending} AND (j.born > r.born "
                f"OR (j.born = r.born AND NOT r.deleted)) ORDER BY j.seq, j.pk {upsert}",
                "pending",
            ),
        ]
        entry = (
            f"INSERT INTO `{ROWS}` (tbl, pk, hlc, deleted, seq, born, cols, base, origin, moved) "
        )
        every = (
            "ON CONFLICT (tbl, pk) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted, "
            "seq = excluded.seq, born = excluded.born, cols = excluded.cols, "
            "base = excluded.base, moved = excluded.moved RETURNING 1"
        )
        merged = (
            "json_object("
            + ", ".join(
                f"'{c}', CASE WHEN {version_of('j', c)} >= {version_of('r', c)} "
                f"THEN {version_of('j', c)} ELSE {version_of('r', c)} END"
                for c in names
            )
            + ")"
        )
        whole = "(j.born > r.born OR j.deleted)"
        # as `apply`; the rows returned are the entries written
        self.record: list[tuple[str, str]] = [
            (
                f"{entry}SELECT '{name}', j.pk, j.hlc, j.deleted, NULL, j.born, j.cols, NULL, "
                f"NULL, j.moved FROM {stage} AS j {log} WHERE NOT j.skip AND NOT {pending} "
                f"{every}",
                "cursor",
            ),
            (
                f"{entry}SELECT '{name}', j.pk, CASE WHEN {whole} THEN j.hlc "
                f"ELSE max(j.hlc, r.hlc) END, j.deleted, CASE WHEN {whole} THEN NULL "
                f"ELSE r.seq END, j.born, CASE WHEN {whole} THEN j.cols ELSE {merged} END, "
                f"CASE WHEN {whole} THEN NULL ELSE j.cols END, NULL, j.moved "
                f"FROM {stage} AS j CROSS JOIN `{ROWS}` AS r ON r.tbl = '{name}' AND r.pk = j.pk "
                f"WHERE NOT j.skip AND {pending} AND (j.born > r.born OR (j.born = r.born "
                f"AND NOT r.deleted)) {every}",
                "pending",
            ),
            (
                f"INSERT OR IGNORE INTO `{CONFLICTS}` SELECT '{name}', j.pk, j.born, "
                "j.moved ->> '$.winner', j.moved ->> '$.columns', j.moved ->> '$.row', "
                f"j.moved ->> '$.loser_version', j.moved ->> '$.winner_version', {NOW_MS} "
                f"FROM {stage} AS j WHERE j.moved IS NOT NULL AND NOT j.skip",
                "",
            ),
        ]
        self.local_clashes = self._local_clashes(stage, pending)
        self.skip = f"UPDATE {stage} SET skip = 1 WHERE pk = ?"

    def _local_clashes(self, stage: str, pending: str) -> str:
        """Pulled rows whose unique values a different local row holds (one not changed
        by the same page): (pulled key, local key, pulled version, local version, columns)."""
        table, t, key = self.table, self._t, self._key
        if not table.unique:
            return ""
        parts = []
        for columns in table.unique:
            match = " AND ".join(f"o.{quote(c)} = j.{quote(c)}" for c in columns)
            newer = " AND ".join(f"{version_of('j', c)} >= {version_of('r', c)}" for c in columns)
            parts.append(
                f"SELECT j.pk, o.{key}, {self._newest('j', columns)}, "
                f"coalesce({self._newest('ro', columns)}, ''), '{json.dumps(list(columns))}' "
                f"FROM {stage} AS j CROSS JOIN {t} AS o ON {match} AND o.{key} IS NOT j.pk "
                f"LEFT JOIN `{ROWS}` AS ro ON ro.tbl = '{table.name}' AND ro.pk = o.{key} "
                f"LEFT JOIN `{ROWS}` AS r ON r.tbl = '{table.name}' AND r.pk = j.pk "
                f"WHERE NOT j.deleted AND NOT j.skip AND (NOT {pending} OR "
                f"j.born > r.born OR ({newer})) AND NOT EXISTS (SELECT 1 FROM {stage} AS k "
                f"WHERE k.pk = o.{key})"
            )
        return " UNION ALL ".join(parts)


def page_sql(tables: Sequence[TableSync], where: str, limit: str = "-1") -> str:
    """One JSON value holding up to `limit` change-log entries in commit order (`where`
    picks them, and may pick one more to show that more remain), each as [table, key,
    born, deleted, version, seq, cols, moved, values]; beside it the server's seq, how
    many entries `where` picked and the position of the last one in the JSON."""
    joins = " ".join(
        f"LEFT JOIN {quote(t.name)} AS t{i} ON p.tbl = '{t.name}' AND t{i}.{quote(t.table.key)} = p.pk"
        for i, t in enumerate(tables)
    )
    values = " ".join(
        f"WHEN '{t.name}' THEN CASE WHEN t{i}.{quote(t.table.key)} IS NULL THEN NULL "
        f"ELSE {t.page_values(f't{i}')} END"
        for i, t in enumerate(tables)
    )
    return (
        f"WITH every AS ({where}), p AS (SELECT * FROM every ORDER BY seq, tbl, pk LIMIT {limit}) "
        f"SELECT (SELECT `seq` FROM `{STATE}` WHERE `id` = 1), (SELECT count(*) FROM every), "
        "(SELECT json_array(seq, tbl, pk) FROM p ORDER BY seq DESC, tbl DESC, pk DESC LIMIT 1), "
        "json_group_array(json_array(p.tbl, p.pk, p.born, p.deleted, p.hlc, p.seq, p.cols, "
        f"p.moved, CASE WHEN p.deleted THEN NULL ELSE CASE p.tbl {values} END END)) FROM p {joins}"
    )


ENTRY_FIELDS = "tbl, pk, born, deleted, hlc, seq, cols, moved"
PAGE = (
    f"SELECT {ENTRY_FIELDS} FROM `{ROWS}` WHERE seq IS NOT NULL AND (seq, tbl, pk) > (?1, ?2, ?3) "
    f"AND origin IS NOT ?4 AND (SELECT `schema` FROM `{STATE}` WHERE `id` = 1) = ?6 "
    "ORDER BY seq, tbl, pk LIMIT ?5 + 1"
)
HELD = (
    f"SELECT {ENTRY_FIELDS} FROM `{ROWS}` WHERE (tbl, pk) IN "
    "(SELECT value ->> 0, value ->> 1 FROM json_each(?1))"
)
HANDSHAKE = (
    f"SELECT `schema`, `epoch`, `seq`, `pruned_seq`, `horizon_ms`, (SELECT pulled_seq FROM "
    f"`{DEVICES}` WHERE device = ?1) FROM `{STATE}` WHERE `id` = 1"
)
