"""What a database schema is, as facts that can be compared, stored and diffed.

A snapshot is what the migrations folder records after each migration, what `push`
reads back from a live database, and what `check` compares. It holds only what the
database itself knows (tables, columns, keys, defaults, indexes, constraints, triggers)
plus the DDL that creates it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "ColumnFacts",
    "ForeignKeyFacts",
    "IndexFacts",
    "Reference",
    "Snapshot",
    "TableFacts",
    "ViewFacts",
    "introspect",
    "schema_facts",
]


@dataclass(frozen=True)
class Reference:
    table: str
    column: str
    on_delete: str = "no action"
    on_update: str = "no action"


@dataclass(frozen=True)
class ColumnFacts:
    name: str
    type: str
    not_null: bool = False
    primary_key: bool = False
    autoincrement: bool = False
    default: str | None = None  # SQL text, as in the DDL
    unique: bool = False
    references: Reference | None = None
    enum: tuple[str, ...] | None = None
    generated: str | None = None  # GENERATED ALWAYS AS (this expression)
    stored: bool = False  # a STORED generated column (else VIRTUAL)


@dataclass(frozen=True)
class ForeignKeyFacts:
    """A foreign key of several columns (one-column keys are the column's `references`)."""

    columns: tuple[str, ...]
    table: str
    references: tuple[str, ...]
    on_delete: str = "no action"
    on_update: str = "no action"


@dataclass(frozen=True)
class IndexFacts:
    name: str
    columns: tuple[str, ...]
    unique: bool = False
    where: str | None = None


@dataclass(frozen=True)
class TableFacts:
    name: str
    columns: tuple[ColumnFacts, ...]
    indexes: tuple[IndexFacts, ...] = ()
    checks: tuple[tuple[str, str], ...] = ()  # (name, expression), enum checks excluded
    triggers: tuple[tuple[str, str], ...] = ()  # (name, SQL): the sync change log's
    ddl: tuple[str, ...] = field(default=(), compare=False)  # CREATE TABLE, indexes, tracking
    composite_key: tuple[str, ...] = ()  # PRIMARY KEY(a, b), in key order
    foreign_keys: tuple[ForeignKeyFacts, ...] = ()  # those of several columns

    def column(self, name: str) -> ColumnFacts:
        return next(c for c in self.columns if c.name == name)

    def has(self, name: str) -> bool:
        return any(c.name == name for c in self.columns)


@dataclass(frozen=True)
class ViewFacts:
    """A view: its name and CREATE VIEW statement, as SQLite keeps it."""

    name: str
    sql: str

    @property
    def ddl(self) -> tuple[str, ...]:
        return (self.sql,)


@dataclass(frozen=True)
class Snapshot:
    tables: tuple[TableFacts, ...]
    views: tuple[ViewFacts, ...] = ()

    def table(self, name: str) -> TableFacts | None:
        return next((t for t in self.tables if t.name == name), None)

    def to_json(self) -> str:
        data: dict[str, Any] = {"version": 1, "tables": [_lean(asdict(t)) for t in self.tables]}
        if self.views:
            data["views"] = [asdict(v) for v in self.views]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        if data.get("version") != 1:
            raise ValueError("unknown snapshot version")
        views = tuple(ViewFacts(v["name"], v["sql"]) for v in data.get("views", ()))
        return cls(tuple(_table(t) for t in data["tables"]), views)

    @property
    def ddl(self) -> tuple[str, ...]:
        """Every statement, tables first (views read them)."""
        tables = (statement for table in self.tables for statement in table.ddl)
        return (*tables, *(view.sql for view in self.views))


# Facts added after the first snapshots were written: left out while they hold their
# default, so a snapshot of a schema without them reads as before.
_LATER_TABLE_FACTS: dict[str, Any] = {"composite_key": (), "foreign_keys": ()}
_LATER_COLUMN_FACTS: dict[str, Any] = {"generated": None, "stored": False}


def _lean(table: dict[str, Any]) -> dict[str, Any]:
    table = {k: v for k, v in table.items() if _LATER_TABLE_FACTS.get(k, ...) != v}
    table["columns"] = [
        {k: v for k, v in c.items() if _LATER_COLUMN_FACTS.get(k, ...) != v}
        for c in table["columns"]
    ]
    return table


def _table(data: dict[str, Any]) -> TableFacts:
    columns = tuple(
        ColumnFacts(
            **{
                **c,
                "references": Reference(**c["references"]) if c["references"] else None,
                "enum": tuple(c["enum"]) if c["enum"] is not None else None,
            }
        )
        for c in data["columns"]
    )
    indexes = tuple(IndexFacts(**{**i, "columns": tuple(i["columns"])}) for i in data["indexes"])
    checks = tuple((name, expression) for name, expression in data["checks"])
    triggers = tuple((name, sql) for name, sql in data.get("triggers", ()))
    keys = tuple(
        ForeignKeyFacts(
            **{**k, "columns": tuple(k["columns"]), "references": tuple(k["references"])}
        )
        for k in data.get("foreign_keys", ())
    )
    return TableFacts(
        data["name"],
        columns,
        indexes,
        checks,
        triggers,
        tuple(data["ddl"]),
        tuple(data.get("composite_key", ())),
        keys,
    )


_CHECK = re.compile(r"^\s*CONSTRAINT [`\"](\w+)[`\"] CHECK\((.*)\),?\s*$")
_ENUM_MEMBER = re.compile(r"'((?:[^']|'')*)'")
_WHERE = re.compile(r"\bWHERE\s+(.*)$", re.S | re.I)


Query = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


def introspect(query: Query) -> Snapshot:
    """Read the facts of a live database; `query` runs one statement and returns its rows.

    CHECK constraints and enums are read from the table's SQL in the layout this
    project's DDL (and drizzle-kit's) writes: one `CONSTRAINT name CHECK(...)` per line.
    """
    tables = []
    names = [
        row[0]
        for row in query(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '\\_\\_libsqlkit%' ESCAPE '\\' ORDER BY name",
            (),
        )
    ]
    for name in names:
        [(sql,)] = query("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", (name,))
        checks: dict[str, str] = {}
        for line in sql.splitlines():
            match = _CHECK.match(line)
            if match:
                checks[match.group(1)] = match.group(2)
        groups: dict[int, list[tuple[Any, ...]]] = {}
        for row in query(f"PRAGMA foreign_key_list(`{name}`)", ()):
            groups.setdefault(row[0], []).append(row)
        references = {
            rows[0][3]: Reference(rows[0][2], rows[0][4], rows[0][6].lower(), rows[0][5].lower())
            for rows in groups.values()
            if len(rows) == 1
        }
        foreign_keys = sorted(
            (
                ForeignKeyFacts(
                    tuple(r[3] for r in sorted(rows, key=lambda r: r[1])),
                    rows[0][2],
                    tuple(r[4] for r in sorted(rows, key=lambda r: r[1])),
                    rows[0][6].lower(),
                    rows[0][5].lower(),
                )
                for rows in groups.values()
                if len(rows) > 1
            ),
            key=lambda k: (k.columns, k.table, k.references),
        )
        indexes = []
        unique_columns = set()
        for _, index, unique, origin, _partial in query(f"PRAGMA index_list(`{name}`)", ()):
            if origin == "pk":
                continue
            indexed = tuple(row[2] for row in query(f"PRAGMA index_info(`{index}`)", ()))
            if index == f"{name}_{indexed[0]}_unique" and len(indexed) == 1 and unique:
                unique_columns.add(indexed[0])
                continue
            [(index_sql,)] = query("SELECT sql FROM sqlite_schema WHERE name = ?", (index,))
            where = _WHERE.search(index_sql or "")
            indexes.append(
                IndexFacts(index, indexed, bool(unique), where.group(1).strip() if where else None)
            )
        columns: list[ColumnFacts] = []
        key: list[tuple[int, str]] = []
        definitions = _definitions(sql)
        for _, column, declared, not_null, default, pk, hidden in query(
            f"PRAGMA table_xinfo(`{name}`)", ()
        ):
            if pk:
                key.append((pk, column))
            generated = _generated(definitions, column) if hidden in (2, 3) else None
            enum_check = checks.pop(f"{name}_{column}_enum", None)
            enum = (
                tuple(v.replace("''", "'") for v in _ENUM_MEMBER.findall(enum_check))
                if enum_check
                else None
            )
            columns.append(
                ColumnFacts(
                    name=column,
                    type=declared.lower(),
                    not_null=bool(not_null),
                    primary_key=bool(pk),
                    autoincrement=bool(pk) and "AUTOINCREMENT" in sql.upper(),
                    default=default,
                    unique=column in unique_columns,
                    references=references.get(column),
                    enum=enum,
                    generated=generated,
                    stored=hidden == 3,
                )
            )
        indexes.sort(key=lambda i: i.name)
        triggers = query(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? "
            "ORDER BY name",
            (name,),
        )
        tables.append(
            TableFacts(
                name,
                tuple(columns),
                tuple(indexes),
                tuple(sorted(checks.items())),
                tuple((trigger, trigger_sql) for trigger, trigger_sql in triggers),
                composite_key=tuple(c for _, c in sorted(key)) if len(key) > 1 else (),
                foreign_keys=tuple(foreign_keys),
            )
        )
    views = query("SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY name", ())
    return Snapshot(tuple(tables), tuple(ViewFacts(view, view_sql) for view, view_sql in views))


_GENERATED = re.compile(r"\bGENERATED\s+ALWAYS\s+AS\s*\((.*)\)\s*(VIRTUAL|STORED)?", re.I | re.S)


def _definitions(create: str) -> list[str]:
    """The column and constraint definitions of a CREATE TABLE: its body split at the
    commas outside parentheses, quotes and names."""
    body = create[create.index("(") + 1 : create.rindex(")")]
    parts: list[str] = []
    depth, start, quote = 0, 0, ""
    for i, character in enumerate(body):
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"`[":
            quote = "]" if character == "[" else character
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return parts


def _generated(definitions: list[str], column: str) -> str | None:
    """The expression of a generated column, from its definition."""
    for definition in definitions:
        head = definition.split(None, 1)[0] if definition else ""
        if head.strip('`"[]') == column:
            match = _GENERATED.search(definition)
            return match.group(1).strip() if match else None
    return None


def schema_facts(snapshot: Snapshot) -> Snapshot:
    """The snapshot as a database built from its DDL reports it: the comparable form."""
    scratch = sqlite3.connect(":memory:")
    try:
        for statement in snapshot.ddl:
            scratch.execute(statement)
        return introspect(lambda sql, params: scratch.execute(sql, params).fetchall())
    finally:
        scratch.close()
