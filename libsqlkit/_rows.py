"""Rows and parameters: how a table's stored values become models, and models become the
bound parameters of its pre-rendered statements.

One module for the repositories and the query builder (as Drizzle's builders share one
dialect), so that decoding, Drizzle's insert defaults and the update rule exist once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from libsqlkit._batch_decode import BatchDecoder
from libsqlkit._errors import DecodeError, InvalidValue
from libsqlkit._json_rows import json_select, unless_refused
from libsqlkit._models import InsertModel, SelectModel, UpdateModel
from libsqlkit._row_builder import row_builder
from libsqlkit._schema import Column, Table, located

__all__ = [
    "Row",
    "column_names",
    "defaulted_per_row",
    "insert_labels",
    "insert_params",
    "insert_value_sql",
    "json_read",
    "model_reader",
    "row_by_row",
    "rows_to_models",
    "update_values",
]

Row = tuple[Any, ...]


# The INSERT parameter-slot contract, both sides in this file: the generator writes a
# column whose database default is chosen per row as `insert_value_sql` (two
# parameters), and `insert_params` fills them: (1, None) for "not given, use the
# database default", (0, value) otherwise. Every other column takes one parameter.


def defaulted_per_row(
    default_sql: str | None, client_default: str | None, on_update: str | None
) -> bool:
    """Whether the database default of a column is chosen per row when no value is given
    (a client default or an on-update value is filled by the client instead)."""
    return default_sql is not None and client_default is None and on_update is None


def insert_value_sql(default_sql: str | None, per_row: bool) -> str:
    """The VALUES entry of a column in the generated INSERT."""
    return f"CASE WHEN ? THEN ({default_sql}) ELSE ? END" if per_row else "?"


class _InsertSlot:
    """How one column's INSERT parameter(s) are produced from an insert model."""

    __slots__ = ("encode", "fresh", "name", "not_null", "sql_default")

    def __init__(self, column: Column[Any, Any]) -> None:
        self.name = column.name
        self.encode = column.codec.encode
        self.not_null = column.not_null
        # What the client fills in when no value is given: "uuid4", "now" or nothing.
        self.fresh = column.client_default or column.on_update
        self.sql_default = column.has_sql_default


class _RowPlan:
    """Per table, once: what reading and inserting its rows needs."""

    __slots__ = ("decoders", "json_reads", "key_indexes", "labels", "names", "slots", "table")

    def __init__(self, table: Table) -> None:
        self.table = table  # kept alive, so that its id() is never reused
        self.names = tuple(column.name for column in table.columns)
        self.decoders = tuple(
            (index, column.codec.decode)
            for index, column in enumerate(table.columns)
            if column.codec.decode is not None
        )
        # What an INSERT writes: every column but the generated ones.
        self.slots = tuple(_InsertSlot(column) for column in table.columns if not column.generated)
        self.key_indexes = tuple(self.names.index(name) for name in table.key)
        # Each read's JSON form (`json_read`), by its SQL.
        self.json_reads: dict[str, str | None] = {}
        # One label per INSERT parameter: a column with an SQL default takes two.
        self.labels = tuple(
            label
            for slot in self.slots
            for label in (
                (f"{table.name}.{slot.name} (default flag)", f"{table.name}.{slot.name}")
                if slot.sql_default
                else (f"{table.name}.{slot.name}",)
            )
        )


_PLANS: dict[int, _RowPlan] = {}


def _plan(table: Table) -> _RowPlan:
    cached = _PLANS.get(id(table))
    if cached is None:
        cached = _PLANS[id(table)] = _RowPlan(table)
    return cached


_JSON_CODECS = frozenset({"json", "json_blob"})
_BATCHES: dict[tuple[int, int], tuple[Table, BatchDecoder | None]] = {}
_UNDECODABLE = (ValueError, TypeError, ArithmeticError, RecursionError)


def _batch(table: Table, model: type[SelectModel]) -> BatchDecoder | None:
    key = (id(table), id(model))
    cached = _BATCHES.get(key)
    if cached is None:
        plan = _plan(table)
        json_columns = frozenset(c.name for c in table.columns if c.codec.name in _JSON_CODECS)
        try:
            # JSON stored as text only: a json_blob column's bytes are left to pydantic.
            text_json = frozenset(c.name for c in table.columns if c.codec.name == "json")
            build = row_builder(model, plan.names, plan.decoders, text_json)
            batch: BatchDecoder | None = BatchDecoder(
                model, plan.names, plan.decoders, json_columns, build
            )
        except (TypeError, KeyError):
            batch = None  # a model unlike the generated ones: row by row
        cached = _BATCHES[key] = (table, batch)
    return cached[1]


# Past this many distinct statements of a table (SQL made per call), no more are kept.
_JSON_READS_KEPT = 256


def json_read(table: Table, sql: str) -> str | None:
    """The JSON form of a read of all the table's columns (`_json_rows`), or None."""
    reads = _plan(table).json_reads
    if sql in reads:
        return unless_refused(reads[sql])
    found = json_select([(c.name, c.codec.name) for c in table.columns], sql)
    if len(reads) < _JSON_READS_KEPT:
        reads[sql] = found
    return unless_refused(found)


def rows_to_models(table: Table, model: type[SelectModel], rows: Iterable[Row]) -> list[Any]:
    """Decode stored values (codecs) and validate the rows as the select model."""
    return model_reader(table, model)(rows if isinstance(rows, list) else list(rows))


def model_reader(table: Table, model: type[SelectModel]) -> Callable[[list[Row]], list[Any]]:
    """`rows_to_models` for one table and model, looked up once (the repositories keep it).

    The hot path of every read: the whole result set at once in pydantic-core
    (`_batch_decode`), and row by row when that fails, which either reads the rows or
    raises DecodeError naming the table, column and key of the value that does not
    decode, never the codec's or pydantic's own error.
    """
    key = (id(table), id(model))
    cached = _READERS.get(key)
    if cached is not None:
        return cached[1]
    batch = _batch(table, model)

    def read(rows: list[Row]) -> list[Any]:
        if batch is not None:
            try:
                return batch.decode(rows)
            except _UNDECODABLE:
                pass  # row by row below: it reads them, or names the value
        return row_by_row(table, model, rows)

    _READERS[key] = (table, read)
    return read


_READERS: dict[tuple[int, int], tuple[Table, Callable[[list[Row]], list[Any]]]] = {}


def row_by_row(table: Table, model: type[SelectModel], rows: Iterable[Row]) -> list[Any]:
    """Each row decoded by its codecs, then validated by the model on its own."""
    plan = _plan(table)
    names, decoders = plan.names, plan.decoders
    validate = model.__pydantic_validator__.validate_python
    models = []
    for row in rows:
        values = list(row)
        index = -1
        try:
            for index, decode in decoders:
                value = values[index]
                if value is not None:
                    values[index] = decode(value)
            index = -1
            # Every generated SELECT lists all columns in order: lengths always match.
            models.append(validate(dict(zip(names, values, strict=False))))
        except _UNDECODABLE as exc:
            raise _undecodable(plan, row, index, exc) from exc
    return models


def _undecodable(plan: _RowPlan, row: Row, index: int, exc: Exception) -> DecodeError:
    """Name the value that failed: the codec's column, or the field pydantic refused."""
    column: str | None = plan.names[index] if index >= 0 else None
    if column is None and isinstance(exc, ValidationError):
        where = exc.errors()[0]["loc"]
        column = str(where[0]) if where else None
    parts = tuple(row[i] for i in plan.key_indexes if i < len(row))
    key = parts[0] if len(parts) == 1 else (parts or None)
    place = f"{plan.table.name}.{column}" if column else plan.table.name
    reason = str(exc).splitlines()[-1].strip() if isinstance(exc, ValidationError) else str(exc)
    return DecodeError(
        f"{place} of the row with key {key!r} cannot be read as its column's type "
        f"({type(exc).__name__}: {reason}); read it with get_raw() to repair it",
        table=plan.table.name,
        column=column,
        key=key,
    )


def insert_labels(table: Table) -> tuple[str, ...]:
    """`table.column` for each parameter of table.sql.insert, for error messages."""
    return _plan(table).labels


def insert_params(table: Table, data: InsertModel) -> list[Any]:
    """The INSERT parameters of table.sql.insert for one insert model, Drizzle's rules:
    a value not given (or None for a NOT NULL column) takes the client default (uuid4,
    now: one instant per row), else the database default."""
    values = data.__dict__
    given = data.__pydantic_fields_set__
    params: list[Any] = []
    now = None
    slot = None
    try:
        for slot in _plan(table).slots:
            value = values[slot.name]
            if value is None and (slot.not_null or slot.name not in given):
                if slot.fresh == "now":
                    now = now or datetime.now(UTC)
                    params.append(now if slot.encode is None else slot.encode(now))
                elif slot.fresh == "uuid4":
                    params.append(str(uuid.uuid4()))
                elif slot.sql_default:
                    params += (1, None)
                else:
                    params.append(None)
                continue
            encoded = value if value is None or slot.encode is None else slot.encode(value)
            if slot.sql_default:
                params += (0, encoded)
            else:
                params.append(encoded)
    except InvalidValue as exc:
        raise located(exc, table.name, slot.name if slot else "?") from None
    return params


def update_values(
    table: Table, changes: UpdateModel
) -> tuple[tuple[Column[Any, Any], ...], list[Any]]:
    """The columns an update writes, in table order, with their encoded values.

    The fields set in `changes` (None for a NOT NULL column means "leave unchanged"),
    plus the on-update columns (such as `updated_at`), refreshed now unless set.
    Repositories, update() and upserts of the query builder all write by this rule.
    """
    values = changes.__dict__
    given = changes.__pydantic_fields_set__
    columns = tuple(
        column
        for column in table.columns
        if not column.generated
        and (
            (column.name in given and not (values[column.name] is None and column.not_null))
            or (column.on_update is not None and column.name not in given)
        )
    )
    now = datetime.now(UTC)
    return columns, [
        column.encode(values[column.name] if column.name in given else now) for column in columns
    ]


def column_names(table: Table) -> tuple[str, ...]:
    """The table's column names, in the order every generated SELECT lists them."""
    return _plan(table).names
