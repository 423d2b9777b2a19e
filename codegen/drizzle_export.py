"""`export drizzle`: schema.yaml as a Drizzle ORM sqlite-core schema (TypeScript).

The exported tables create, through drizzle-kit, the same schema facts as this layer's
DDL: column order, declared types, NOT NULL, defaults (SQL text included), keys, unique
and partial indexes, foreign keys with their actions, and the CHECK constraints, enum
CHECKs included (as `check()`s with this layer's names and SQL). Defaults are written
as Drizzle values where drizzle-kit renders them as this layer does, and as the exact SQL
(`sql.raw`) where it would not (floats such as `100.0`, bigints, JSON). What a Drizzle
schema has no place for is named in the file's header: declared queries, soft_delete,
and the change-log triggers of `sync: true` tables, which migrations create.

Property names are camelCase (Drizzle's custom); the SQL names are schema.yaml's. Each
table also exports its row types under the model names, `Workflow` ($inferSelect) and
`NewWorkflow` ($inferInsert), which agree field by field with the pydantic models.
"""

from __future__ import annotations

import json
import re
from typing import Any

from libsqlkit import dump_json

from .ir import ColumnIR, SchemaIR, TableIR
from .sqltext import literal, quote

__all__ = ["drizzle_schema", "json_schema_type", "json_type_name", "property_names"]

JS_SAFE_INTEGER = 2**53 - 1
# Names a table's variable may not take: the imports, JavaScript's reserved words and
# the globals the file uses.
_TAKEN = frozenset(
    [
        "sql",
        "sqliteTable",
        "text",
        "integer",
        "real",
        "blob",
        "numeric",
        "index",
        "uniqueIndex",
        "check",
        "AnySQLiteColumn",
        "crypto",
        "Date",
        "JSON",
        "Object",
        "Array",
        "Buffer",
        "undefined",
        "NaN",
        "Infinity",
        "eval",
        "arguments",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "await",
    ]
)
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def _camel(name: str) -> str:
    head, *rest = [part for part in name.split("_") if part]
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def property_names(table: TableIR) -> dict[str, str]:
    """column -> its property name: camelCase, unless two columns would share one (then
    every column of the table keeps its SQL name)."""
    camel = {c.name: _camel(c.name) for c in table.columns}
    if len(set(camel.values())) == len(camel):
        return camel
    return {c.name: c.name for c in table.columns}


def _string(text: str) -> str:
    """A TypeScript string literal (JSON's is one)."""
    return json.dumps(text, ensure_ascii=False)


def _key(name: str) -> str:
    return name if _IDENTIFIER.fullmatch(name) else _string(name)


def _wrapped(member: str) -> str:
    return f"({member})" if " | " in member else member


def json_schema_type(schema: dict[str, Any], any_json: str = "Json") -> str:
    """The TypeScript type of the values a column's JSON Schema (the subset schema.yaml
    takes) admits, as its pydantic model reads them: an optional property may be null."""
    if "enum" in schema:
        return " | ".join(json.dumps(value) for value in schema["enum"])
    declared = schema.get("type")
    kinds = declared if isinstance(declared, list) else [declared]
    return " | ".join(dict.fromkeys(_one_type(schema, kind, any_json) for kind in kinds))


def _one_type(schema: dict[str, Any], kind: str | None, any_json: str) -> str:
    if kind == "object":
        properties: dict[str, Any] = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        if properties:
            required = set(schema.get("required") or ())
            members = [
                f"{_key(name)}: {json_schema_type(value, any_json)}"
                if name in required
                else f"{_key(name)}?: {json_schema_type(value, any_json)} | null"
                for name, value in properties.items()
            ]
            return "{ " + "; ".join(members) + " }"
        if isinstance(extra, dict):
            return f"{{ [key: string]: {json_schema_type(extra, any_json)} }}"
        return "Record<string, never>" if extra is False else f"{{ [key: string]: {any_json} }}"
    if kind == "array":
        items = schema.get("items")
        return f"{_wrapped(json_schema_type(items, any_json))}[]" if items else f"{any_json}[]"
    return {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}.get(
        kind or "", "null" if kind == "null" else any_json
    )


class _Writer:
    """Renders the tables, recording which imports and helper types the text uses."""

    def __init__(self, schema: SchemaIR) -> None:
        self.schema = schema
        self.used: set[str] = {"sqliteTable"}
        self.variables: dict[str, str] = {}
        taken = set(_TAKEN)
        for table in schema.tables:
            self.variables[table.name] = _fresh(_camel(table.name), taken, "Table")
        self.json_type = json_type_name(schema)
        self.names = {table.name: property_names(table) for table in schema.tables}

    def call(self, function: str, arguments: str) -> str:
        self.used.add(function)
        return f"{function}({arguments})"

    def sql(self, text: str) -> str:
        self.used.add("sql")
        return f"sql.raw({_string(text)})"

    def builder(self, column: ColumnIR) -> str:
        name = _string(column.name)
        if column.enum is not None:
            members = ", ".join(_string(value) for value in column.enum)
            return self.call("text", f"{name}, {{ enum: [{members}] }}")
        # A plain blob is mode "buffer": Drizzle types a blob without a mode as JSON.
        mode = column.mode or ("buffer" if column.sql_type == "blob" else None)
        mode = f', {{ mode: "{mode}" }}' if mode else ""
        call = self.call(column.sql_type, name + mode)
        if not column.is_json:
            return call
        return call + f".$type<{column.json_model or self.json_type}>()"

    def default(self, column: ColumnIR) -> str | None:
        """The `.default()` argument that drizzle-kit renders as this layer's DDL text."""
        if column.default_sql is not None:
            return self.sql(f"({column.default_sql})")
        if not column.has_default:
            return None
        value = column.default
        if column.is_json:
            return self.sql(literal(dump_json(value)))
        if isinstance(value, bool | str):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, int) and column.mode != "bigint" and abs(value) <= JS_SAFE_INTEGER:
            return str(value)
        if isinstance(value, float) and literal(value) == dump_json(value):
            return dump_json(value)
        return self.sql(literal(value))

    def column(self, column: ColumnIR) -> str:
        chain = [self.builder(column)]
        if column.primary_key:
            chain.append(
                "primaryKey({ autoIncrement: true })" if column.autoincrement else "primaryKey()"
            )
        elif column.not_null:
            chain.append("notNull()")
        if column.unique:
            chain.append("unique()")
        default = self.default(column)
        if default is not None:
            chain.append(f"default({default})")
        if column.client_default == "uuid4":
            chain.append("$defaultFn(() => crypto.randomUUID())")
        elif column.client_default == "now":
            chain.append("$defaultFn(() => new Date())")
        if column.on_update == "now":
            chain.append("$onUpdate(() => new Date())")
        ref = column.references
        if ref is not None:
            self.used.add("AnySQLiteColumn")
            target = f"{self.variables[ref.table]}.{self.names[ref.table][ref.column]}"
            actions = [
                f'{key}: "{value}"'
                for key, value in (("onDelete", ref.on_delete), ("onUpdate", ref.on_update))
                if value != "no action"
            ]
            options = f", {{ {', '.join(actions)} }}" if actions else ""
            chain.append(f"references((): AnySQLiteColumn => {target}{options})")
        return ".".join(chain)

    def extras(self, table: TableIR) -> list[str]:
        """Indexes, then CHECKs (the enums' first), as the table's extra config."""
        names = self.names[table.name]
        extras = []
        for index in table.indexes:
            columns = ", ".join(f"t.{names[c]}" for c in index.columns)
            where = f".where({self.sql(index.where)})" if index.where else ""
            function = "uniqueIndex" if index.unique else "index"
            extras.append(self.call(function, _string(index.name)) + f".on({columns}){where}")
        checks = [
            (name, f"{quote(column.name)} IN ({', '.join(literal(v) for v in column.enum or ())})")
            for name, column in table.enum_checks
        ]
        extras += [
            self.call("check", f"{_string(name)}, {self.sql(expression)}")
            for name, expression in [*checks, *table.checks]
        ]
        return extras

    def table(self, table: TableIR) -> list[str]:
        variable = self.variables[table.name]
        out = _doc(table.description, "")
        out += [f"export const {variable} = sqliteTable(", f"  {_string(table.name)},", "  {"]
        for column in table.columns:
            out += _doc(column.description, "    ")
            out.append(f"    {self.names[table.name][column.name]}: {self.column(column)},")
        out.append("  },")
        extras = self.extras(table)
        if extras:
            out += ["  (t) => [", *(f"    {extra}," for extra in extras), "  ],"]
        out += [
            ");",
            "",
            f"export type {table.model} = typeof {variable}.$inferSelect;",
            f"export type {table.insert_model} = typeof {variable}.$inferInsert;",
        ]
        return out

    def types(self) -> list[str]:
        """The JSON types the columns use: any JSON, and each json_schema's."""
        out = []
        if any(c.is_json for t in self.schema.tables for c in t.columns):
            j = self.json_type
            out += [
                "",
                "/** Any JSON value: what a json column without a json_schema holds. */",
                f"export type {j} = string | number | boolean | null | {j}[] | {{ [key: string]: {j} }};",
            ]
        for table in self.schema.tables:
            for column in table.columns:
                if column.json_model is not None and column.json_schema is not None:
                    schema_type = json_schema_type(column.json_schema, self.json_type)
                    out += [
                        "",
                        f"/** The JSON stored in {table.name}.{column.name}. */",
                        f"export type {column.json_model} = {schema_type};",
                    ]
        return out

    def imports(self) -> list[str]:
        core = sorted(self.used & _CORE, key=str.lower)
        if "AnySQLiteColumn" in self.used:
            core = ["type AnySQLiteColumn", *core]
        lines = ['import { sql } from "drizzle-orm";'] if "sql" in self.used else []
        return [*lines, f'import {{ {", ".join(core)} }} from "drizzle-orm/sqlite-core";']


_CORE = frozenset(
    {"sqliteTable", "text", "integer", "real", "blob", "numeric", "index", "uniqueIndex", "check"}
)


def _fresh(name: str, taken: set[str], suffix: str) -> str:
    """`name`, or `name` with a suffix when it is taken; then taken."""
    fresh, n = name, 2
    while fresh in taken:
        fresh = f"{name}{suffix if n == 2 else n}"
        n += 1
    taken.add(fresh)
    return fresh


def json_type_name(schema: SchemaIR) -> str:
    """The name of the any-JSON type: `Json`, unless a model or payload type has it."""
    types = {t.model for t in schema.tables} | {t.insert_model for t in schema.tables}
    types |= {c.json_model for t in schema.tables for c in t.columns if c.json_model}
    return _fresh("Json", types, "Value")


def _doc(text: str | None, indent: str) -> list[str]:
    if not text:
        return []
    lines = text.replace("*/", "*\\/").splitlines()
    if len(lines) == 1:
        return [f"{indent}/** {lines[0]} */"]
    return [f"{indent}/**", *(f"{indent} * {line}".rstrip() for line in lines), f"{indent} */"]


def _header(schema: SchemaIR, source: str) -> list[str]:
    lines = [
        f"// generated from {source} by `libsqlkit export drizzle` — do not edit",
        "// A Drizzle ORM schema (drizzle-orm sqlite-core) of the same database: the same",
        "// columns, encodings and constraints as the Python layer's. Not carried over: the",
        "// declared queries and soft_delete (Python repository behaviour).",
    ]
    synced = [t.name for t in schema.tables if t.sync]
    if synced:
        lines += [
            f"// Synced tables ({', '.join(synced)}) are tracked by triggers that the Python",
            "// migrations create: migrate the database with `libsqlkit migrate`,",
            "// not drizzle-kit, and every write through Drizzle is synced too.",
        ]
    return lines


def drizzle_schema(schema: SchemaIR, *, source: str = "schema.yaml") -> str:
    writer = _Writer(schema)
    body: list[str] = []
    for table in schema.tables:
        body += ["", *writer.table(table)]
    types = writer.types()
    lines = [*_header(schema, source), "", *writer.imports(), *types, *body]
    return "\n".join(lines) + "\n"
