"""The intermediate model: a validated schema with everything the renderers derive.

Renderers (DDL, SQL, JSON Schema, templates) read only this, never the raw YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from libsqlkit._naming import enum_check_name

__all__ = [
    "ColumnIR",
    "ForeignKeyIR",
    "GeneratedIR",
    "IndexIR",
    "QueryIR",
    "ReferenceIR",
    "RelationIR",
    "SchemaIR",
    "TableIR",
    "ViewIR",
]

QueryKind = Literal["one", "many", "update"]
RelationKind = Literal["one", "maybe", "many"]

# (sql type, mode) -> (codec constant in libsqlkit.codecs, Python type)
KINDS: dict[tuple[str, str | None], tuple[str, str]] = {
    ("text", None): ("TEXT", "str"),
    ("text", "json"): ("JSON_TEXT", "JsonValue"),
    ("integer", None): ("INTEGER", "int"),
    ("integer", "timestamp"): ("TIMESTAMP", "datetime"),
    ("integer", "timestamp_ms"): ("TIMESTAMP_MS", "datetime"),
    ("integer", "boolean"): ("BOOLEAN", "bool"),
    ("real", None): ("REAL", "float"),
    ("blob", None): ("BLOB", "bytes"),
    ("blob", "json"): ("JSON_BLOB", "JsonValue"),
    ("blob", "bigint"): ("BIGINT_BLOB", "int"),
    ("numeric", None): ("NUMERIC_TEXT", "str"),
    ("numeric", "number"): ("NUMERIC_NUMBER", "float"),
    ("numeric", "bigint"): ("NUMERIC_BIGINT", "int"),
}


@dataclass(frozen=True)
class ReferenceIR:
    table: str
    column: str
    on_delete: str
    on_update: str


@dataclass(frozen=True)
class GeneratedIR:
    """GENERATED ALWAYS AS (expression) VIRTUAL|STORED: computed by SQLite, read-only."""

    expression: str
    stored: bool = False


@dataclass(frozen=True)
class ColumnIR:
    table: str
    name: str
    sql_type: str
    mode: str | None = None
    enum: tuple[str, ...] | None = None
    json_schema: dict[str, Any] | None = field(default=None, compare=False)
    json_model: str | None = None
    primary_key: bool = False
    autoincrement: bool = False
    not_null: bool = False
    unique: bool = False
    has_default: bool = False
    default: Any = None
    default_sql: str | None = None
    client_default: str | None = None
    on_update: str | None = None
    references: ReferenceIR | None = None
    generated: GeneratedIR | None = None
    renamed_from: str | None = None
    description: str | None = None

    @property
    def writable(self) -> bool:
        """Whether inserts and updates write it (a generated column is computed)."""
        return self.generated is None

    @property
    def codec(self) -> str:
        return KINDS[(self.sql_type, self.mode)][0]

    @property
    def is_json(self) -> bool:
        return self.mode == "json"

    @property
    def is_timestamp(self) -> bool:
        return self.mode in ("timestamp", "timestamp_ms")

    @property
    def py_type(self) -> str:
        """The Python type of a non-null value."""
        if self.enum is not None:
            return "Literal[" + ", ".join(repr(v) for v in self.enum) + "]"
        if self.json_model is not None:
            return self.json_model
        return KINDS[(self.sql_type, self.mode)][1]

    @property
    def select_type(self) -> str:
        return self.py_type if self.not_null else f"{self.py_type} | None"

    @property
    def insert_optional(self) -> bool:
        """Drizzle's $inferInsert: optional when nullable, defaulted, or an integer PK."""
        return (
            not self.not_null
            or self.has_default
            or self.default_sql is not None
            or self.client_default is not None
            or self.on_update is not None
            or (self.primary_key and self.sql_type == "integer")
        )


@dataclass(frozen=True)
class IndexIR:
    name: str
    table: str
    columns: tuple[str, ...]
    unique: bool = False
    where: str | None = None


@dataclass(frozen=True)
class ForeignKeyIR:
    """A foreign key of `table` (one column or several) with the relations named on it."""

    table: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]
    on_delete: str = "no action"
    on_update: str = "no action"
    relation: str | None = None
    inverse: str | None = None
    composite: bool = False  # declared under foreign_keys: (rendered as a table constraint)


@dataclass(frozen=True)
class RelationIR:
    """A relation of `table` to `target`: rows of `table` whose `columns` equal the
    `target_columns` of rows of `target`, directly or through a join table.

    `kind`: one (a NOT NULL foreign key's parent), maybe (a nullable one's parent, or
    the one child of a unique foreign key), many (children, or many-to-many).
    """

    name: str
    table: str
    target: str
    kind: RelationKind
    columns: tuple[str, ...]
    target_columns: tuple[str, ...]
    through: str | None = None
    through_columns: tuple[str, ...] = ()  # the join table's columns matching `columns`
    through_target_columns: tuple[str, ...] = ()  # ... matching `target_columns`


@dataclass(frozen=True)
class QueryIR:
    """A repository method declared in schema.yaml."""

    name: str
    kind: QueryKind
    where: tuple[str, ...]
    order_by: tuple[tuple[str, str], ...] = ()
    limit: int | None = None
    set: tuple[str, ...] = ()
    set_if_given: tuple[str, ...] = ()
    set_now_when: tuple[tuple[str, str, Any], ...] = ()
    include_deleted: bool = False
    description: str | None = None


@dataclass(frozen=True)
class TableIR:
    name: str
    model: str
    columns: tuple[ColumnIR, ...]
    indexes: tuple[IndexIR, ...] = ()
    checks: tuple[tuple[str, str], ...] = ()
    queries: tuple[QueryIR, ...] = ()
    soft_delete: str | None = None
    sync: bool = False
    on_unique_clash: str = "fail"  # synced tables: what a unique clash between devices does
    renamed_from: str | None = None
    description: str | None = None
    composite_key: tuple[str, ...] = ()  # table-level primary_key: [a, b]
    foreign_keys: tuple[ForeignKeyIR, ...] = ()
    relations: tuple[RelationIR, ...] = ()

    @property
    def insert_model(self) -> str:
        return f"New{self.model}"

    @property
    def update_model(self) -> str:
        return f"{self.model}Update"

    @property
    def repository(self) -> str:
        return f"{self.model}Repository"

    @property
    def async_repository(self) -> str:
        return f"Async{self.model}Repository"

    @property
    def constant(self) -> str:
        return self.name.upper()

    @property
    def table_class(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_")) + "Table"

    @property
    def key(self) -> tuple[ColumnIR, ...]:
        """The primary key's columns, in key order (one, or those of a composite key)."""
        if self.composite_key:
            return tuple(self.column(name) for name in self.composite_key)
        return tuple(column for column in self.columns if column.primary_key)

    @property
    def primary_key(self) -> ColumnIR:
        """The key's (first) column: never NULL in a stored row."""
        return self.key[0]

    @property
    def writable(self) -> tuple[ColumnIR, ...]:
        """The columns inserts and updates write (all but generated ones)."""
        return tuple(column for column in self.columns if column.writable)

    def column(self, name: str) -> ColumnIR:
        return next(column for column in self.columns if column.name == name)

    @property
    def touched(self) -> tuple[ColumnIR, ...]:
        """Columns refreshed on every update (on_update: now)."""
        return tuple(column for column in self.columns if column.on_update is not None)

    @property
    def enum_checks(self) -> tuple[tuple[str, ColumnIR], ...]:
        """(constraint name, column) for each enum column: enforced by CHECK in the database."""
        return tuple(
            (enum_check_name(self.name, column.name), column)
            for column in self.columns
            if column.enum is not None
        )


@dataclass(frozen=True)
class ViewIR:
    """A view: its SELECT (`sql`, written or compiled from a builder query), the columns
    of its select model, and the read-only queries of its repository."""

    name: str
    model: str
    columns: tuple[ColumnIR, ...]
    sql: str
    named_columns: bool = False  # CREATE VIEW name(columns...) AS: names not in the SELECT
    queries: tuple[QueryIR, ...] = ()
    description: str | None = None

    @property
    def repository(self) -> str:
        return f"{self.model}Repository"

    @property
    def async_repository(self) -> str:
        return f"Async{self.model}Repository"

    @property
    def constant(self) -> str:
        return self.name.upper()

    @property
    def table_class(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_")) + "View"

    def column(self, name: str) -> ColumnIR:
        return next(column for column in self.columns if column.name == name)

    @property
    def readable(self) -> TableIR:
        """The view as a table without key or writes: what its queries and select model
        are rendered from."""
        return TableIR(name=self.name, model=self.model, columns=self.columns)


@dataclass(frozen=True)
class SchemaIR:
    tables: tuple[TableIR, ...]
    sync_metadata: str | None = None  # the table that records each synced table's state
    views: tuple[ViewIR, ...] = ()

    def table(self, name: str) -> TableIR:
        return next(table for table in self.tables if table.name == name)
