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
    "IndexFacts",
    "Reference",
    "Snapshot",
    "TableFacts",
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

    def column(self, name: str) -> ColumnFacts:
        return next(c for c in self.columns if c.name == name)

    def has(self, name: str) -> bool:
        return any(c.name == name for c in self.columns)


@dataclass(frozen=True)
class Snapshot:
    tables: tuple[TableFacts, ...]

    def table(self, name: str) -> TableFacts | None:
        return next((t for t in self.tables if t.name == name), None)

    def to_json(self) -> str:
        return (
            json.dumps(
                {"version": 1, "tables": [asdict(t) for t in self.tables]},
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        if data.get("version") != 1:
            raise ValueError("unknown snapshot version")
        return cls(tuple(_table(t) for t in data["tables"]))

    @property
    def ddl(self) -> tuple[str, ...]:
        return tuple(statement for table in self.tables for statement in table.ddl)


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
    return TableFacts(data["name"], columns, indexes, checks, triggers, tuple(data["ddl"]))


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
        references = {
            row[3]: Reference(row[2], row[4], row[6].lower(), row[5].lower())
            for row in query(f"PRAGMA foreign_key_list(`{name}`)", ())
        }
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
        for _, column, declared, not_null, default, pk in query(f"PRAGMA table_info(`{name}`)", ()):
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
            )
        )
    return Snapshot(tuple(tables))


def schema_facts(snapshot: Snapshot) -> Snapshot:
    """The snapshot as a database built from its DDL reports it: the comparable form."""
    scratch = sqlite3.connect(":memory:")
    try:
        for statement in snapshot.ddl:
            scratch.execute(statement)
        return introspect(lambda sql, params: scratch.execute(sql, params).fetchall())
    finally:
        scratch.close()
