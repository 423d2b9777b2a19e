"""Typed table and column metadata, as emitted into generated/tables.py.

The generator renders every SQL string the repositories need into this metadata, so
nothing is assembled from identifiers at run time.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from libsqlkit._codecs import Codec
from libsqlkit._errors import Constraints, InvalidValue
from libsqlkit._expr import Expr

__all__ = ["Column", "Schema", "Table", "TableSql", "located"]

T = TypeVar("T")
S = TypeVar("S", covariant=True)

ClientDefault = Literal["uuid4", "now"]


def located(exc: InvalidValue, table: str, column: str, key: object = None) -> InvalidValue:
    """The same refusal, naming where the value was going."""
    where = f"{table}.{column}" + ("" if key is None else f" (key {key!r})")
    return InvalidValue(f"{where}: {exc}", table=table, column=column, key=key)


@dataclass(frozen=True, slots=True, eq=False)
class Column(Expr[T, S]):
    """One column; `T` is the Python type of its values as the select model holds them,
    `S` its table (named by the table's select model), for the query builder's typing.

    Comparisons (`==`, `<`, ...) build query conditions, so columns hash by identity.
    """

    table: str
    name: str
    codec: Codec
    not_null: bool = False
    primary_key: bool = False
    client_default: ClientDefault | None = None
    on_update: ClientDefault | None = None
    has_sql_default: bool = False
    generated: bool = False  # computed by SQLite (GENERATED ALWAYS AS): never written

    def encode(self, value: T) -> Any:
        """The value as SQLite stores it (None stays NULL); InvalidValue names this column
        when the codec refuses it."""
        if value is None or self.codec.encode is None:
            return value
        try:
            return self.codec.encode(value)
        except InvalidValue as exc:
            raise located(exc, self.table, self.name) from None

    def shape(self) -> Hashable:
        return ("column", self.table, self.name)

    def render(self) -> str:
        return f"`{self.table}`.`{self.name}`"

    def tables(self) -> set[str]:
        return {self.table}

    def encode_value(self, value: Any) -> Any:
        return self.encode(value)

    def decode_value(self, value: Any) -> Any:
        return value if value is None or self.codec.decode is None else self.codec.decode(value)


@dataclass(frozen=True, slots=True)
class TableSql:
    """SQL rendered at generation time for the generic repository operations (a view has
    only the reads: `select_page` and `count`)."""

    select_page: str
    count: str
    select_after: str = ""  # keyset page: the rows after a key, in key order (not views)
    insert: str = ""
    select_by_key: str = ""
    delete: str = ""
    update_prefix: str = ""
    update_suffix: str = ""
    set_fragments: Mapping[str, str] = field(default_factory=dict)
    soft_delete: str | None = None
    restore: str | None = None
    select_by_key_all: str | None = None
    select_page_all: str | None = None
    select_after_all: str | None = None
    count_all: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table (or a view): its columns in schema order, primary key, soft-delete column
    and SQL.

    `primary_key` is the key's column, the first one of a composite key (a column never
    NULL in a stored row); `composite_key` lists every column of a composite key.
    """

    name: str
    columns: tuple[Column[Any, Any], ...]
    primary_key: str
    sql: TableSql
    soft_delete: str | None = None
    checks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sync: bool = False  # changes are tracked and travel with Database.sync()
    # column -> (parent table, parent column), to name a broken foreign key
    references: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    composite_key: tuple[str, ...] = ()
    view: bool = False  # a view: read only, no key (`primary_key` is its first column)

    @property
    def key(self) -> tuple[str, ...]:
        """The primary key's columns, in key order."""
        return self.composite_key or (self.primary_key,)

    def column(self, name: str) -> Column[Any, Any]:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")


@dataclass(frozen=True, slots=True)
class Schema:
    """Every table and view plus the DDL that creates them, in order."""

    tables: tuple[Table, ...]
    ddl: tuple[str, ...]
    sync_metadata: str | None = None  # the table recording each synced table's sync state
    views: tuple[Table, ...] = ()

    @property
    def synced(self) -> tuple[Table, ...]:
        return tuple(table for table in self.tables if table.sync)

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"the schema has no table {name!r}")

    def constraints(self) -> Constraints:
        """CHECK names and foreign keys, to name them in errors."""
        return Constraints(
            checks={
                name: (table.name, columns)
                for table in self.tables
                for name, columns in table.checks.items()
            },
            references={table.name: table.references for table in self.tables if table.references},
        )
