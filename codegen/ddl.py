"""DDL in drizzle-kit's layout: same column order, types, defaults, keys and index names.

Synced tables (`sync: true`) also get the change-log triggers of `libsqlkit._changelog`,
and the schema records the synced schema's version.
A composite primary key is a `PRIMARY KEY(a, b)` line after the columns, foreign keys
of several columns `FOREIGN KEY (a,b) REFERENCES t(x,y)` lines, generated columns
`GENERATED ALWAYS AS (expr) VIRTUAL|STORED`, all as drizzle-kit writes them. Beyond
drizzle-kit, enum columns get a named CHECK constraint (Drizzle checks enums only
in TypeScript), so raw SQL cannot store a value outside the enum either.
"""

from __future__ import annotations

from collections.abc import Iterable

from libsqlkit import dump_json
from libsqlkit._changelog import infrastructure_ddl, schema_version, schema_version_ddl, sync_ddl
from libsqlkit._naming import unique_index_name
from libsqlkit._snapshot import Snapshot, TableFacts, schema_facts

from .ir import ColumnIR, SchemaIR, TableIR, ViewIR
from .sqltext import literal, quote

__all__ = ["change_log_once", "schema_ddl", "schema_sql_file", "table_ddl", "view_ddl"]


def _column(column: ColumnIR) -> str:
    parts = [quote(column.name), column.sql_type]
    if column.primary_key:
        parts.append("PRIMARY KEY AUTOINCREMENT" if column.autoincrement else "PRIMARY KEY")
    if column.has_default:
        value = dump_json(column.default) if column.is_json else column.default
        parts.append(f"DEFAULT {literal(value)}")
    elif column.default_sql is not None:
        parts.append(f"DEFAULT ({column.default_sql})")
    if column.generated is not None:
        kind = "STORED" if column.generated.stored else "VIRTUAL"
        parts.append(f"GENERATED ALWAYS AS ({column.generated.expression}) {kind}")
    if column.not_null:
        parts.append("NOT NULL")
    return " ".join(parts)


def _names(columns: Iterable[str]) -> str:
    return ",".join(quote(c) for c in columns)


def _create_table(table: TableIR) -> str:
    lines = [_column(column) for column in table.columns]
    if table.composite_key:
        lines.append(f"PRIMARY KEY({', '.join(quote(c) for c in table.composite_key)})")
    for key in table.foreign_keys:
        lines.append(
            f"FOREIGN KEY ({_names(key.columns)}) REFERENCES {quote(key.target)}"
            f"({_names(key.target_columns)}) ON UPDATE {key.on_update} ON DELETE {key.on_delete}"
        )
    for name, column in table.enum_checks:
        members = ", ".join(literal(value) for value in column.enum or ())
        lines.append(f"CONSTRAINT {quote(name)} CHECK({quote(column.name)} IN ({members}))")
    for name, expression in table.checks:
        lines.append(f"CONSTRAINT {quote(name)} CHECK({expression})")
    body = ",\n\t".join(lines)
    return f"CREATE TABLE {quote(table.name)} (\n\t{body}\n)"


def _indexes(table: TableIR) -> list[str]:
    statements = [
        f"CREATE UNIQUE INDEX {quote(unique_index_name(table.name, c.name))} ON {quote(table.name)} ({quote(c.name)})"
        for c in table.columns
        if c.unique
    ]
    for index in table.indexes:
        columns = ",".join(quote(c) for c in index.columns)
        unique = "UNIQUE " if index.unique else ""
        where = f" WHERE {index.where}" if index.where else ""
        statements.append(
            f"CREATE {unique}INDEX {quote(index.name)} ON {quote(table.name)} ({columns}){where}"
        )
    return statements


def table_ddl(table: TableIR) -> tuple[str, ...]:
    """CREATE TABLE, then the table's indexes, then (synced tables) the change log and
    triggers: a rebuild replays everything after CREATE TABLE, triggers included."""
    tracking = (
        sync_ddl(
            table.name,
            table.primary_key.name,
            [column.name for column in table.columns],
            table.on_unique_clash,
        )
        if table.sync
        else ()
    )
    return (_create_table(table), *_indexes(table), *tracking)


def change_log_once(statements: Iterable[str]) -> list[str]:
    """Each synced table's DDL creates the shared (idempotent) change log: keep the first."""
    shared = set(infrastructure_ddl())
    kept: list[str] = []
    for statement in statements:
        if statement not in shared or statement not in kept:
            kept.append(statement)
    return kept


def view_ddl(view: ViewIR) -> str:
    """CREATE VIEW as drizzle-kit writes it; the columns named when the SELECT does not."""
    names = f"({', '.join(quote(c.name) for c in view.columns)})" if view.named_columns else ""
    return f"CREATE VIEW {quote(view.name)}{names} AS {view.sql}"


def schema_ddl(schema: SchemaIR) -> tuple[str, ...]:
    """Every statement that creates the schema, table by table in schema order, then the
    views (which read the tables, and the views before them); with synced tables, last,
    the version of the synced schema (which devices and the server compare before they
    sync)."""
    ddl = {table.name: table_ddl(table) for table in schema.tables}
    statements = change_log_once(s for table in ddl.values() for s in table)
    statements += [view_ddl(view) for view in schema.views]
    if any(table.sync for table in schema.tables):
        facts = schema_facts(Snapshot(tuple(TableFacts(n, (), ddl=d) for n, d in ddl.items())))
        statements.append(schema_version_ddl(schema_version(facts.tables)))
    return tuple(statements)


def schema_sql_file(schema: SchemaIR, header: str) -> str:
    """The DDL as a file, statements separated the way drizzle-kit separates them."""
    return header + ";\n--> statement-breakpoint\n".join(schema_ddl(schema)) + ";\n"
