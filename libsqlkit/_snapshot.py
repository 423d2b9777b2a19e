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

from libsqlkit._naming import enum_check_name, unique_index_name

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

    def as_data(self) -> dict[str, Any]:
        """The facts as JSON-ready data, those added later left out at their default
        (snapshot files and the synced schema's version stay as they were)."""
        return _lean(asdict(self))


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
        data: dict[str, Any] = {"version": 1, "tables": [t.as_data() for t in self.tables]}
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


# One SQL token: a string, a quoted name, white space, a comment, a word, or one character.
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|\s+|--[^\n]*|/\*.*?(?:\*/|$)|\w+|.""",
    re.S,
)
_ENUM_MEMBER = re.compile(r"'((?:[^']|'')*)'")


def sql_tokens(sql: str) -> list[str]:
    return _TOKEN.findall(sql)


def significant(token: str) -> bool:
    """Not white space and not a comment."""
    return not (token.isspace() or token.startswith(("--", "/*")))


def unquoted(token: str) -> str | None:
    """The name a token spells ("x", `x`, [x] or a bare word), or None if it is no name."""
    if token[:1] in ('"', "`") and len(token) > 1 and token[-1] == token[0]:
        return token[1:-1].replace(token[0] * 2, token[0])
    if token[:1] == "[" and token[-1:] == "]":
        return token[1:-1]
    if re.fullmatch(r"\w+", token) and not token[0].isdigit():
        return token
    return None


def _unqualified(tokens: list[str], table: str) -> str:
    """The expression without `table.` before its column names: drizzle-kit writes
    `"users"."score" > 0` where schema.yaml (and SQLite's own reading) has `"score" > 0`."""
    kept: list[str] = []
    skip_until = -1
    for i, token in enumerate(tokens):
        if i <= skip_until:
            continue
        name = unquoted(token)
        if name is not None and name.lower() == table.lower():
            after = [j for j in range(i + 1, len(tokens)) if significant(tokens[j])][:2]
            if (
                len(after) == 2
                and tokens[after[0]] == "."
                and unquoted(tokens[after[1]]) is not None
            ):
                skip_until = after[0]
                continue
        kept.append(token)
    return "".join(kept)


def _closing(tokens: list[str], start: int) -> int:
    """The index of the `)` that closes the `(` at `start`."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[i], 0)
        if depth == 0:
            return i
    return len(tokens)


def table_checks(create_sql: str, table: str) -> list[tuple[str, str]]:
    """(name, expression) of every CHECK constraint of a CREATE TABLE, table-level or on a
    column, named (`CONSTRAINT name CHECK(...)`) or not (name ""), in their order."""
    tokens = sql_tokens(create_sql)
    if "(" not in tokens:
        return []
    body_start = tokens.index("(")
    body_end = _closing(tokens, body_start)
    found = []
    previous: list[str] = []  # the significant tokens before, at the body's level
    i = body_start + 1
    while i < body_end:
        token = tokens[i]
        if token == "(":
            end = _closing(tokens, i)
            if previous and previous[-1].upper() == "CHECK":
                named = len(previous) >= 3 and previous[-3].upper() == "CONSTRAINT"
                name = (unquoted(previous[-2]) or "") if named else ""
                found.append((name, _unqualified(tokens[i + 1 : end], table)))
            previous.append("(...)")
            i = end + 1
            continue
        if significant(token):
            previous.append(token)
        i += 1
    return found


def index_where(index_sql: str, table: str) -> str | None:
    """The WHERE expression of a partial index, without `table.` qualifiers."""
    tokens = sql_tokens(index_sql)
    depth = 0
    for i, token in enumerate(tokens):
        depth += {"(": 1, ")": -1}.get(token, 0)
        if depth == 0 and token.upper() == "WHERE":
            return _unqualified(tokens[i + 1 :], table).strip()
    return None


def quote_name(name: str) -> str:
    """A name quoted for a PRAGMA or statement, whatever characters it holds."""
    return "`" + name.replace("`", "``") + "`"


Query = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


def introspect(query: Query) -> Snapshot:
    """Read the facts of a live database; `query` runs one statement and returns its rows.

    CHECK constraints and enums are read from the table's SQL: every CHECK, named or not,
    on the table or on a column; a CHECK named `<table>_<column>_enum` is that column's
    enum. Column names in CHECKs and partial-index WHEREs are read without their table
    qualifier. Each table's DDL (CREATE TABLE, its indexes, its triggers) is kept as the
    database has it, not compared.
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
        quoted = quote_name(name)
        [(sql,)] = query("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", (name,))
        checks = table_checks(sql, name)
        groups: dict[int, list[tuple[Any, ...]]] = {}
        for row in query(f"PRAGMA foreign_key_list({quoted})", ()):
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
        index_ddl = []
        unique_columns = set()
        for _, index, unique, origin, _partial in query(f"PRAGMA index_list({quoted})", ()):
            if origin == "pk":
                continue
            [(index_sql,)] = query("SELECT sql FROM sqlite_schema WHERE name = ?", (index,))
            if index_sql:
                index_ddl.append(index_sql)
            indexed = tuple(row[2] for row in query(f"PRAGMA index_info({quote_name(index)})", ()))
            if (
                len(indexed) == 1
                and unique
                and indexed[0] is not None
                and index == unique_index_name(name, indexed[0])
            ):
                unique_columns.add(indexed[0])
                continue
            where = index_where(index_sql, name) if index_sql else None
            indexes.append(IndexFacts(index, indexed, bool(unique), where))
        columns: list[ColumnFacts] = []
        key: list[tuple[int, str]] = []
        definitions = _definitions(sql)
        for _, column, declared, not_null, default, pk, hidden in query(
            f"PRAGMA table_xinfo({quoted})", ()
        ):
            if pk:
                key.append((pk, column))
            generated = _generated(definitions, column) if hidden in (2, 3) else None
            enum_check = next((c for c in checks if c[0] == enum_check_name(name, column)), None)
            enum = None
            if enum_check:
                checks.remove(enum_check)
                enum = tuple(v.replace("''", "'") for v in _ENUM_MEMBER.findall(enum_check[1]))
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
                tuple(sorted(checks)),
                tuple((trigger, trigger_sql) for trigger, trigger_sql in triggers),
                (sql, *index_ddl, *(trigger_sql for _, trigger_sql in triggers)),
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
