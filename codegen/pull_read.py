"""What `pull` reads from a live database, without changing it.

The schema facts come from `libsqlkit._snapshot.introspect` (the reader migrations use),
so what pull writes is compared with the database the way `migrate` compares it. Beside
them: what the facts leave out because schema.yaml has no place for it (views, virtual
tables, generated columns, composite keys, STRICT and WITHOUT ROWID tables), and a
sample of each column's values, the evidence for a mode.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from libsqlkit._snapshot import Query, Snapshot, introspect, quote_name

__all__ = ["SAMPLE_ROWS", "ColumnSample", "LiveDatabase", "read_database"]

SAMPLE_ROWS = 10_000
_UUID = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))


@dataclass(frozen=True)
class ColumnSample:
    """The first SAMPLE_ROWS values of a column, counted by kind."""

    values: int = 0  # not NULL
    integers: int = 0
    texts: int = 0
    blobs: int = 0
    smallest: int | None = None  # of the integers
    largest: int | None = None
    zeros_and_ones: int = 0  # integers 0 or 1
    json_texts: int = 0  # texts that are a JSON object or array
    json_blobs: int = 0  # blobs whose bytes are a JSON object or array
    digit_blobs: int = 0  # blobs whose bytes are decimal digits (Drizzle's bigint blobs)
    uuids: int = 0  # texts that are canonical lowercase UUIDs


@dataclass
class LiveDatabase:
    facts: Snapshot
    kinds: dict[str, str] = field(default_factory=dict)  # name -> table|view|virtual|shadow
    views: list[str] = field(default_factory=list)
    strict: set[str] = field(default_factory=set)
    without_rowid: set[str] = field(default_factory=set)
    generated: dict[str, list[str]] = field(default_factory=dict)  # table -> columns
    # table -> composite foreign keys, as (its columns, "(a, b) -> parent(x, y)")
    composite_references: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    orphan_triggers: list[str] = field(default_factory=list)  # on views
    samples: dict[tuple[str, str], ColumnSample] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows sampled


def _sample(query: Query, table: str, column: str) -> ColumnSample:
    c = "c"
    as_text = f"CAST({c} AS TEXT)"
    json_shape = "substr(ltrim({0}), 1, 1) IN ('{{', '[')"
    [row] = query(
        f"SELECT count({c}), "
        f"total(typeof({c}) = 'integer'), total(typeof({c}) = 'text'), "
        f"total(typeof({c}) = 'blob'), "
        f"min(CASE WHEN typeof({c}) = 'integer' THEN {c} END), "
        f"max(CASE WHEN typeof({c}) = 'integer' THEN {c} END), "
        f"total(typeof({c}) = 'integer' AND {c} IN (0, 1)), "
        f"total(typeof({c}) = 'text' AND json_valid({c}) AND {json_shape.format(c)}), "
        f"total(typeof({c}) = 'blob' AND json_valid({as_text}) AND {json_shape.format(as_text)}), "
        f"total(typeof({c}) = 'blob' AND length({c}) > 0 "
        f"AND ltrim({as_text}, '-') <> '' AND ltrim({as_text}, '-') NOT GLOB '*[^0-9]*'), "
        f"total(typeof({c}) = 'text' AND {c} GLOB '{_UUID}') "
        f"FROM (SELECT {quote_name(column)} AS {c} FROM {quote_name(table)} LIMIT {SAMPLE_ROWS})",
        (),
    )
    counts = [int(v or 0) for v in row]
    return ColumnSample(
        values=counts[0],
        integers=counts[1],
        texts=counts[2],
        blobs=counts[3],
        smallest=None if row[4] is None else int(row[4]),
        largest=None if row[5] is None else int(row[5]),
        zeros_and_ones=counts[6],
        json_texts=counts[7],
        json_blobs=counts[8],
        digit_blobs=counts[9],
        uuids=counts[10],
    )


def read_database(query: Query) -> LiveDatabase:
    """Everything pull needs, in read-only statements (SELECT and PRAGMA)."""
    live = LiveDatabase(introspect(query))
    for _, name, kind, _, without_rowid, strict in query("PRAGMA main.table_list", ()):
        live.kinds[name] = kind
        if without_rowid:
            live.without_rowid.add(name)
        if strict:
            live.strict.add(name)
    live.views = sorted(name for name, kind in live.kinds.items() if kind == "view")
    live.orphan_triggers = [
        f"{name} (on view {table})"
        for name, table in query(
            "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name", ()
        )
        if live.kinds.get(table) == "view"
    ]
    for table in live.facts.tables:
        if live.kinds.get(table.name) != "table":
            continue  # virtual and shadow tables: neither read nor sampled
        quoted = quote_name(table.name)
        live.generated[table.name] = [
            row[1] for row in query(f"PRAGMA table_xinfo({quoted})", ()) if row[6] in (2, 3)
        ]
        keys: dict[int, list[tuple[str, str | None, str]]] = defaultdict(list)
        for row in query(f"PRAGMA foreign_key_list({quoted})", ()):
            keys[row[0]].append((row[3], row[4], row[2]))
        live.composite_references[table.name] = [
            (
                tuple(c for c, _, _ in pairs),
                f"({', '.join(c for c, _, _ in pairs)}) -> {pairs[0][2]}"
                f"({', '.join(str(p) for _, p, _ in pairs)})",
            )
            for pairs in keys.values()
            if len(pairs) > 1
        ]
        [(rows,)] = query(f"SELECT count(*) FROM (SELECT 1 FROM {quoted} LIMIT {SAMPLE_ROWS})", ())
        live.rows[table.name] = int(rows)
        for column in table.columns:
            live.samples[table.name, column.name] = _sample(query, table.name, column.name)
    return live
