"""What `pull` reads from a live database, without changing it.

The schema facts come from `libsqlkit._snapshot.introspect` (the reader migrations use),
so what pull writes is compared with the database the way `migrate` compares it. Beside
them: what the facts leave out (virtual tables, STRICT and WITHOUT ROWID tables, which
columns are generated, each view's columns), and a sample of each column's values, the
evidence for a mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from libsqlkit._errors import DatabaseError
from libsqlkit._snapshot import Query, Snapshot, introspect, quote_name

__all__ = ["SAMPLE_ROWS", "ColumnSample", "LiveDatabase", "LiveView", "read_database"]

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


@dataclass(frozen=True)
class LiveView:
    """A view as SQLite keeps it, with its columns as PRAGMA table_info reports them (the
    declared type of the column a view column reads, or "" for an expression) and a
    sample of each; `unreadable` is SQLite's own reason when it cannot run the view."""

    name: str
    sql: str  # CREATE VIEW
    columns: tuple[tuple[str, str, ColumnSample], ...] = ()  # (name, declared type, sample)
    unreadable: str | None = None


@dataclass
class LiveDatabase:
    facts: Snapshot
    kinds: dict[str, str] = field(default_factory=dict)  # name -> table|view|virtual|shadow
    views: list[LiveView] = field(default_factory=list)  # in the order they were created
    strict: set[str] = field(default_factory=set)
    without_rowid: set[str] = field(default_factory=set)
    generated: dict[str, set[str]] = field(default_factory=dict)  # table -> columns
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


def _view(query: Query, name: str, sql: str) -> LiveView:
    """The view's columns and their samples; SQLite keeps a view whose SELECT names a
    table or column that does not exist, and refuses to read it: that is reported."""
    try:
        columns = [
            (column, declared.lower(), _sample(query, name, column))
            for _, column, declared, *_ in query(f"PRAGMA table_info({quote_name(name)})", ())
        ]
    except DatabaseError as error:
        return LiveView(name, sql, unreadable=str(error))
    return LiveView(name, sql, tuple(columns))


def read_database(query: Query) -> LiveDatabase:
    """Everything pull needs, in read-only statements (SELECT and PRAGMA)."""
    live = LiveDatabase(introspect(query))
    for _, name, kind, _, without_rowid, strict in query("PRAGMA main.table_list", ()):
        live.kinds[name] = kind
        if without_rowid:
            live.without_rowid.add(name)
        if strict:
            live.strict.add(name)
    live.views = [
        _view(query, name, sql)
        for name, sql in query(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY rowid", ()
        )
    ]
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
        live.generated[table.name] = {
            row[1] for row in query(f"PRAGMA table_xinfo({quoted})", ()) if row[6] in (2, 3)
        }
        [(rows,)] = query(f"SELECT count(*) FROM (SELECT 1 FROM {quoted} LIMIT {SAMPLE_ROWS})", ())
        live.rows[table.name] = int(rows)
        for column in table.columns:
            live.samples[table.name, column.name] = _sample(query, table.name, column.name)
    return live
