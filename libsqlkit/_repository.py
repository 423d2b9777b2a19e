"""Generic typed CRUD that every generated repository inherits.

All SQL comes pre-rendered from the generated table metadata; the only SQL put
together here is an UPDATE's SET list, joined from pre-rendered fragments once per set
of changed columns and then cached.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Literal, TypeVar, overload

from pydantic import ValidationError

from libsqlkit._database import Database
from libsqlkit._drivers import Row
from libsqlkit._errors import DecodeError, InvalidValue
from libsqlkit._models import InsertModel, SelectModel, UpdateModel
from libsqlkit._schema import Column, Table, located

__all__ = [
    "Repository",
    "SoftDeleteRepository",
    "insert_labels",
    "insert_params",
    "rows_to_models",
    "update_values",
]

SelectT = TypeVar("SelectT", bound=SelectModel)
InsertT = TypeVar("InsertT", bound=InsertModel)
UpdateT = TypeVar("UpdateT", bound=UpdateModel)
KeyT = TypeVar("KeyT")

_NO_LIMIT = -1


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


class _Plan:
    """Per table, once: what reading and inserting its rows needs."""

    __slots__ = ("decoders", "key_index", "labels", "names", "slots", "table")

    def __init__(self, table: Table) -> None:
        self.table = table  # kept alive, so that its id() is never reused
        self.names = tuple(column.name for column in table.columns)
        self.decoders = tuple(
            (index, column.codec.decode)
            for index, column in enumerate(table.columns)
            if column.codec.decode is not None
        )
        self.slots = tuple(_InsertSlot(column) for column in table.columns)
        self.key_index = self.names.index(table.primary_key)
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


_PLANS: dict[int, _Plan] = {}


def _plan(table: Table) -> _Plan:
    cached = _PLANS.get(id(table))
    if cached is None:
        cached = _PLANS[id(table)] = _Plan(table)
    return cached


def rows_to_models(table: Table, model: type[SelectModel], rows: Iterable[Row]) -> list[Any]:
    """Decode stored values (codecs) and validate each row as the select model.

    The hot path of every read: locals instead of attribute lookups on purpose. A value
    that does not decode (written by another tool) raises DecodeError naming the table,
    column and key, never the codec's or pydantic's own error.
    """
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
        except (ValueError, TypeError, ArithmeticError, RecursionError) as exc:
            raise _undecodable(plan, row, index, exc) from exc
    return models


def _undecodable(plan: _Plan, row: Row, index: int, exc: Exception) -> DecodeError:
    """Name the value that failed: the codec's column, or the field pydantic refused."""
    column: str | None = plan.names[index] if index >= 0 else None
    if column is None and isinstance(exc, ValidationError):
        where = exc.errors()[0]["loc"]
        column = str(where[0]) if where else None
    key = row[plan.key_index] if plan.key_index < len(row) else None
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
        if (column.name in given and not (values[column.name] is None and column.not_null))
        or (column.on_update is not None and column.name not in given)
    )
    now = datetime.now(UTC)
    return columns, [
        column.encode(values[column.name] if column.name in given else now) for column in columns
    ]


class Repository(Generic[SelectT, InsertT, UpdateT, KeyT]):
    """Typed CRUD for one table. Generated subclasses set the class attributes below."""

    table: ClassVar[Table]
    select_model: ClassVar[type[SelectModel]]
    insert_model: ClassVar[type[InsertModel]]
    update_model: ClassVar[type[UpdateModel]]

    _touched: ClassVar[tuple[Column[Any, Any], ...]]
    _key: ClassVar[Column[Any, Any]]
    _update_sql: ClassVar[dict[tuple[str, ...], str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "table" not in cls.__dict__:
            return
        columns = cls.table.columns
        cls._touched = tuple(column for column in columns if column.on_update is not None)
        cls._key = cls.table.column(cls.table.primary_key)
        cls._update_sql = {}

    def __init__(self, db: Database) -> None:
        self.db = db

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.db!r})"

    # -- reading ---------------------------------------------------------------------

    def _to_models(self, rows: list[Row]) -> list[SelectT]:
        return rows_to_models(self.table, self.select_model, rows)

    def _fetch_one(self, sql: str, params: Sequence[Any]) -> SelectT | None:
        rows = self.db.execute(sql, params, table=self.table.name)
        return self._to_models(rows)[0] if rows else None

    def _fetch_all(self, sql: str, params: Sequence[Any]) -> list[SelectT]:
        return self._to_models(self.db.execute(sql, params, table=self.table.name))

    def get(self, key: KeyT) -> SelectT | None:
        """The row with this primary key, or None (also when soft-deleted)."""
        return self._fetch_one(self.table.sql.select_by_key, (self._key.encode(key),))

    def get_raw(self, key: KeyT) -> dict[str, Any] | None:
        """The row as stored, column by column, without decoding or validation (soft-deleted
        rows included): for repairing a value another tool wrote that does not decode."""
        sql = self.table.sql.select_by_key_all or self.table.sql.select_by_key
        rows = self.db.execute(sql, (self._key.encode(key),), table=self.table.name)
        return dict(zip(_plan(self.table).names, rows[0], strict=True)) if rows else None

    def find_many(self, *, limit: int | None = None, offset: int = 0) -> list[SelectT]:
        """Rows in primary-key order, a page at a time (soft-deleted rows excluded)."""
        return self._fetch_all(self.table.sql.select_page, _page(limit, offset))

    def count(self) -> int:
        """How many rows there are (soft-deleted rows excluded)."""
        rows = self.db.execute(self.table.sql.count, (), table=self.table.name)
        return int(rows[0][0])

    # -- writing ---------------------------------------------------------------------

    def _require(self, model: object, expected: type[object], method: str) -> None:
        if not isinstance(model, expected):
            raise InvalidValue(
                f"{type(self).__name__}.{method} takes {expected.__name__}, not {type(model).__name__}"
            )

    def _insert_params(self, data: InsertT) -> list[Any]:
        self._require(data, self.insert_model, "create")
        return insert_params(self.table, data)

    def create(self, data: InsertT) -> SelectT:
        """Insert one row and return it as stored (INSERT ... RETURNING)."""
        rows = self.db.execute(
            self.table.sql.insert,
            self._insert_params(data),
            table=self.table.name,
            labels=insert_labels(self.table),
        )
        return self._to_models(rows)[0]

    @overload
    def create_many(self, rows: Iterable[InsertT], *, returning: Literal[False] = False) -> int: ...

    @overload
    def create_many(
        self, rows: Iterable[InsertT], *, returning: Literal[True]
    ) -> list[SelectT]: ...

    def create_many(
        self, rows: Iterable[InsertT], *, returning: bool = False
    ) -> int | list[SelectT]:
        """Insert rows in one transaction: all of them or, on any error, none.

        Returns the number inserted, or with `returning=True` the stored rows.
        """
        params = [self._insert_params(row) for row in rows]
        labels = insert_labels(self.table)
        if returning:
            with self.db.transaction():
                stored = [
                    self.db.execute(self.table.sql.insert, p, table=self.table.name, labels=labels)[
                        0
                    ]
                    for p in params
                ]
                return self._to_models(stored)
        insert = self.table.sql.insert.partition(" RETURNING ")[0]
        self.db.execute_many(insert, params, table=self.table.name, labels=labels)
        return len(params)

    def _changes_sql(self, names: tuple[str, ...]) -> str:
        """The UPDATE for this set of columns, joined from pre-rendered fragments once."""
        cached = self._update_sql.get(names)
        if cached is None:
            sql = self.table.sql
            fragments = ", ".join(sql.set_fragments[n] for n in names)
            cached = self._update_sql[names] = sql.update_prefix + fragments + sql.update_suffix
        return cached

    def update(self, key: KeyT, changes: UpdateT) -> SelectT | None:
        """Write the fields set in `changes`; return the updated row or None if absent.

        On-update columns (such as `updated_at`) are refreshed unless set explicitly.
        For a NOT NULL column, None means "leave unchanged".
        """
        self._require(changes, self.update_model, "update")
        columns, params = update_values(self.table, changes)
        if not columns:
            return self.get(key)
        params.append(self._key.encode(key))
        names = tuple(c.name for c in columns)
        labels = [f"{self.table.name}.{name}" for name in (*names, self._key.name)]
        rows = self.db.execute(
            self._changes_sql(names), params, table=self.table.name, labels=labels
        )
        return self._to_models(rows)[0] if rows else None

    def delete(self, key: KeyT) -> bool:
        """Delete the row for good (even if soft-deleted); True if there was one."""
        return bool(
            self.db.execute(self.table.sql.delete, (self._key.encode(key),), table=self.table.name)
        )

    def _stamped(self, first: Column[Any, Any], key: KeyT) -> list[Any]:
        now = datetime.now(UTC)
        params = [first.encode(now)]
        params += [column.encode(now) for column in self._touched]
        params.append(self._key.encode(key))
        return params


class SoftDeleteRepository(Repository[SelectT, InsertT, UpdateT, KeyT]):
    """CRUD for a table with a soft-delete column: deleted rows are hidden by default."""

    def get(self, key: KeyT, *, include_deleted: bool = False) -> SelectT | None:
        sql = self.table.sql.select_by_key_all if include_deleted else self.table.sql.select_by_key
        return self._fetch_one(_present(sql), (self._key.encode(key),))

    def find_many(
        self, *, limit: int | None = None, offset: int = 0, include_deleted: bool = False
    ) -> list[SelectT]:
        sql = self.table.sql.select_page_all if include_deleted else self.table.sql.select_page
        return self._fetch_all(_present(sql), _page(limit, offset))

    def count(self, *, include_deleted: bool = False) -> int:
        sql = self.table.sql.count_all if include_deleted else self.table.sql.count
        return int(self.db.execute(_present(sql), (), table=self.table.name)[0][0])

    def soft_delete(self, key: KeyT) -> None:
        """Mark the row deleted now; an already deleted row keeps its first deletion time."""
        deleted = self.table.column(_present(self.table.soft_delete))
        self.db.execute(
            _present(self.table.sql.soft_delete), self._stamped(deleted, key), table=self.table.name
        )

    def restore(self, key: KeyT) -> SelectT | None:
        """Undo a soft delete; returns the row, or None if there is no such deleted row."""
        params = [self._key.encode(key)]
        now = datetime.now(UTC)
        params[:0] = [column.encode(now) for column in self._touched]
        return self._fetch_one(_present(self.table.sql.restore), params)


def _page(limit: int | None, offset: int) -> tuple[int, int]:
    if limit is not None and limit < 0:
        raise InvalidValue(f"limit must be >= 0, got {limit}")
    if offset < 0:
        raise InvalidValue(f"offset must be >= 0, got {offset}")
    return (_NO_LIMIT if limit is None else limit, offset)


def _present(value: str | None) -> str:
    if value is None:
        raise TypeError("the generated table metadata lacks soft-delete SQL")
    return value
