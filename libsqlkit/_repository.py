"""Generic typed CRUD that every generated repository inherits, sync and async.

Every operation is built once as a plan (`_plan`): SQL pre-rendered from the generated
table metadata, parameters, and how rows become models. `Repository` runs plans on a
`Database`, `AsyncRepository` awaits them on an `AsyncDatabase`; each of their methods is
one line, so the two APIs cannot drift apart. The only SQL put together here is an
UPDATE's SET list, joined from pre-rendered fragments once per set of changed columns.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Callable, Generator, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, overload

from libsqlkit._database import Database
from libsqlkit._errors import InvalidValue
from libsqlkit._limits import MAX_VARIABLE_NUMBER
from libsqlkit._models import InsertModel, SelectModel, UpdateModel
from libsqlkit._plan import Plan, Scan, Statement, chunk_size
from libsqlkit._rows import (
    Row,
    column_names,
    insert_labels,
    insert_params,
    json_read,
    model_reader,
    update_values,
)
from libsqlkit._schema import Column, Table

if TYPE_CHECKING:
    from libsqlkit._async_database import AsyncDatabase

__all__ = [
    "AsyncRepository",
    "AsyncSoftDeleteRepository",
    "AsyncViewRepository",
    "Repository",
    "SoftDeleteRepository",
    "ViewRepository",
    "fetch_all",
    "fetch_one",
]

SelectT = TypeVar("SelectT", bound=SelectModel)
InsertT = TypeVar("InsertT", bound=InsertModel)
UpdateT = TypeVar("UpdateT", bound=UpdateModel)
KeyT = TypeVar("KeyT")
M = TypeVar("M", bound=SelectModel)

_NO_LIMIT = -1


class _Decoders:
    """A table's rows as models: the first (or None), or all of them."""

    __slots__ = ("every", "first")

    def __init__(self, table: Table, model: type[SelectModel]) -> None:
        read = model_reader(table, model)

        def every(results: list[list[Row]]) -> list[Any]:
            return read(results[0])

        def first(results: list[list[Row]]) -> Any:
            rows = results[0]
            return read(rows[:1])[0] if rows else None

        self.every: Callable[[list[list[Row]]], list[Any]] = every
        self.first: Callable[[list[list[Row]]], Any] = first


_DECODERS: dict[tuple[int, int], tuple[Table, _Decoders]] = {}


def _decoders(table: Table, model: type[SelectModel]) -> _Decoders:
    key = (id(table), id(model))
    cached = _DECODERS.get(key)
    if cached is None:
        cached = _DECODERS[key] = (table, _Decoders(table, model))
    return cached[1]


def fetch_one(
    table: Table, model: type[M], sql: str, params: Sequence[Any], *, write: bool = False
) -> Plan[M | None]:
    """A statement's first row as a model, or None (a declared `select: one` or update).
    No JSON form (`fetch_all`): for one row it saves the client nothing and costs the
    server a longer statement."""
    statement = Statement(sql, params, table.name)
    return Plan((statement,), _decoders(table, model).first, write=write)


def fetch_all(table: Table, model: type[M], sql: str, params: Sequence[Any]) -> Plan[list[M]]:
    """Every row of a statement as models (a declared `select: many`)."""
    statement = Statement(sql, params, table.name, json_sql=json_read(table, sql))
    return Plan((statement,), _decoders(table, model).every, write=False)


# Rows per multi-row INSERT: past a few hundred, a longer statement saves nothing more.
MULTI_ROW_INSERT = 500


@functools.lru_cache(maxsize=256)
def multi_row_insert(insert: str, rows: int, *, returning: bool) -> str:
    """A table's one-row INSERT (as generated: `... VALUES (...) RETURNING ...`) made to
    insert `rows` rows, with or without its RETURNING."""
    head, _, rest = insert.partition(" VALUES ")
    values, _, columns = rest.partition(" RETURNING ")
    text = f"{head} VALUES {', '.join([values] * rows)}"
    return f"{text} RETURNING {columns}" if returning else text


def _count(results: list[list[Row]]) -> int:
    return int(results[0][0][0])


def _found(results: list[list[Row]]) -> bool:
    return bool(results[0])


class _Plans(Generic[SelectT, InsertT, UpdateT, KeyT]):
    """The plans of the generic CRUD of one table: the core both shells run."""

    table: ClassVar[Table]
    select_model: ClassVar[type[SelectModel]]
    insert_model: ClassVar[type[InsertModel]]
    update_model: ClassVar[type[UpdateModel]]

    _touched: ClassVar[tuple[Column[Any, Any], ...]]
    _keys: ClassVar[tuple[Column[Any, Any], ...]]
    _update_sql: ClassVar[dict[tuple[str, ...], str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "table" not in cls.__dict__:
            return
        columns = cls.table.columns
        cls._touched = tuple(column for column in columns if column.on_update is not None)
        cls._keys = tuple(cls.table.column(name) for name in cls.table.key)
        cls._update_sql = {}

    def _key_params(self, key: KeyT) -> list[Any]:
        """The key as bound: one value, or a tuple of one per column of a composite key."""
        keys = self._keys
        if len(keys) == 1:
            return [keys[0].encode(key)]
        if not isinstance(key, tuple) or len(key) != len(keys):
            names = ", ".join(c.name for c in keys)
            raise InvalidValue(
                f"{self.table.name} has a composite key ({names}): give a tuple of "
                f"{len(keys)} values, not {key!r:.60}"
            )
        return [column.encode(part) for column, part in zip(keys, key, strict=True)]

    def _one(self, sql: str, params: Sequence[Any], *, write: bool = False) -> Plan[SelectT | None]:
        return fetch_one(self.table, self.select_model, sql, params, write=write)  # type: ignore[return-value]

    def _all(self, sql: str, params: Sequence[Any]) -> Plan[list[SelectT]]:
        return fetch_all(self.table, self.select_model, sql, params)  # type: ignore[arg-type]

    def _plan_get(self, key: KeyT, *, include_deleted: bool = False) -> Plan[SelectT | None]:
        sql = self.table.sql
        text = sql.select_by_key_all if include_deleted else sql.select_by_key
        return self._one(_present(text), self._key_params(key))

    def _plan_get_raw(self, key: KeyT) -> Plan[dict[str, Any] | None]:
        sql = self.table.sql.select_by_key_all or self.table.sql.select_by_key
        names = column_names(self.table)

        def raw(results: list[list[Row]]) -> dict[str, Any] | None:
            rows = results[0]
            return dict(zip(names, rows[0], strict=True)) if rows else None

        return Plan((Statement(sql, self._key_params(key), self.table.name),), raw, write=False)

    def _plan_find_many(
        self, limit: int | None, offset: int, *, include_deleted: bool = False
    ) -> Plan[list[SelectT]]:
        sql = self.table.sql
        text = sql.select_page_all if include_deleted else sql.select_page
        return self._all(_present(text), _page(limit, offset))

    def _scan_many(self, chunk: int, *, include_deleted: bool = False) -> Scan[SelectT]:
        """Every row in primary-key order, `chunk` rows at a time: the page query with no
        limit through a cursor, or keyset pages after the last key read."""
        size = chunk_size(chunk)
        sql = self.table.sql
        page = _present(sql.select_page_all if include_deleted else sql.select_page)
        after = _present(sql.select_after_all if include_deleted else sql.select_after)
        name = self.table.name
        names = column_names(self.table)
        keys = [names.index(column.name) for column in self._keys]
        every = _decoders(self.table, self.select_model).every
        return Scan(
            whole=Statement(page, (_NO_LIMIT, 0), name),
            first=Statement(page, (size, 0), name),
            after=lambda row: Statement(after, (*(row[i] for i in keys), size), name),
            decode=lambda rows: every([rows]),
            size=size,
        )

    def _plan_count(self, *, include_deleted: bool = False) -> Plan[int]:
        sql = self.table.sql
        text = _present(sql.count_all if include_deleted else sql.count)
        return Plan((Statement(text, (), self.table.name),), _count, write=False)

    def _require(self, model: object, expected: type[object], method: str) -> None:
        if not isinstance(model, expected):
            raise InvalidValue(
                f"{type(self).__name__}.{method} takes {expected.__name__}, not {type(model).__name__}"
            )

    def _insert_params(self, data: InsertT, method: str) -> list[Any]:
        self._require(data, self.insert_model, method)
        return insert_params(self.table, data)

    def _insert(self, data: InsertT, sql: str) -> Statement:
        params = self._insert_params(data, "create")
        return Statement(sql, params, self.table.name, insert_labels(self.table))

    def _plan_create(self, data: InsertT) -> Plan[SelectT]:
        statement = self._insert(data, self.table.sql.insert)
        return Plan((statement,), _decoders(self.table, self.select_model).first, write=True)

    def _plan_create_many(self, rows: Iterable[InsertT], *, returning: bool) -> Plan[Any]:
        """All rows or none, in one transaction (one round trip remotely): multi-row
        INSERTs, as many rows each as the parameter limit allows, so the statement has
        at most two shapes (full chunks and the rest) and each is prepared once. Every
        row is validated and encoded before any SQL runs."""
        labels = insert_labels(self.table)
        params = [self._insert_params(row, "create_many") for row in rows]
        per_chunk = max(1, min(MULTI_ROW_INSERT, MAX_VARIABLE_NUMBER // max(1, len(labels))))
        statements = tuple(
            Statement(
                multi_row_insert(self.table.sql.insert, len(chunk), returning=returning),
                [value for row in chunk for value in row],
                self.table.name,
                labels * len(chunk),
            )
            for chunk in (params[i : i + per_chunk] for i in range(0, len(params), per_chunk))
        )
        if returning:
            decoders = _decoders(self.table, self.select_model)
            return Plan(
                statements,
                lambda results: decoders.every([[r for rows in results for r in rows]]),
                write=True,
            )
        return Plan(statements, lambda _: len(params), write=True)

    def _changes_sql(self, names: tuple[str, ...]) -> str:
        """The UPDATE for this set of columns, joined from pre-rendered fragments once."""
        cached = self._update_sql.get(names)
        if cached is None:
            sql = self.table.sql
            fragments = ", ".join(sql.set_fragments[n] for n in names)
            cached = self._update_sql[names] = sql.update_prefix + fragments + sql.update_suffix
        return cached

    def _plan_update(self, key: KeyT, changes: UpdateT) -> Plan[SelectT | None]:
        self._require(changes, self.update_model, "update")
        columns, params = update_values(self.table, changes)
        if not columns:
            return self._plan_get(key)
        params += self._key_params(key)
        names = tuple(c.name for c in columns)
        labels = [f"{self.table.name}.{name}" for name in (*names, *self.table.key)]
        statement = Statement(self._changes_sql(names), params, self.table.name, labels)
        return Plan((statement,), _decoders(self.table, self.select_model).first, write=True)

    def _plan_delete(self, key: KeyT) -> Plan[bool]:
        statement = Statement(self.table.sql.delete, self._key_params(key), self.table.name)
        return Plan((statement,), _found, write=True)

    def _stamped(self, first: Column[Any, Any], key: KeyT) -> list[Any]:
        now = datetime.now(UTC)
        params = [first.encode(now)]
        params += [column.encode(now) for column in self._touched]
        params += self._key_params(key)
        return params

    def _plan_soft_delete(self, key: KeyT) -> Plan[bool]:
        deleted = self.table.column(_present(self.table.soft_delete))
        sql = _present(self.table.sql.soft_delete)
        statement = Statement(sql, self._stamped(deleted, key), self.table.name)
        return Plan((statement,), _found, write=True)

    def _plan_restore(self, key: KeyT) -> Plan[SelectT | None]:
        now = datetime.now(UTC)
        params = [column.encode(now) for column in self._touched]
        params += self._key_params(key)
        return self._one(_present(self.table.sql.restore), params, write=True)


class Repository(_Plans[SelectT, InsertT, UpdateT, KeyT]):
    """Typed CRUD for one table on a `Database`. Generated subclasses set the class
    attributes and add the queries declared in schema.yaml."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.db!r})"

    def get(self, key: KeyT) -> SelectT | None:
        """The row with this primary key, or None (also when soft-deleted)."""
        return self.db.run(self._plan_get(key))

    def get_raw(self, key: KeyT) -> dict[str, Any] | None:
        """The row as stored, column by column, without decoding or validation (soft-deleted
        rows included): for repairing a value another tool wrote that does not decode."""
        return self.db.run(self._plan_get_raw(key))

    def find_many(self, *, limit: int | None = None, offset: int = 0) -> list[SelectT]:
        """Rows in primary-key order, a page at a time (soft-deleted rows excluded)."""
        return self.db.run(self._plan_find_many(limit, offset))

    def iter_many(self, *, chunk: int = 1000) -> Generator[SelectT]:
        """Every row in primary-key order, read `chunk` rows at a time, so memory stays
        bounded however many there are (soft-deleted rows excluded). Locally one cursor
        over one snapshot; remotely keyset pages, each its own read."""
        return self.db.iter(self._scan_many(chunk))

    def count(self) -> int:
        """How many rows there are (soft-deleted rows excluded)."""
        return self.db.run(self._plan_count())

    def create(self, data: InsertT) -> SelectT:
        """Insert one row and return it as stored (INSERT ... RETURNING)."""
        return self.db.run(self._plan_create(data))

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
        return self.db.run(self._plan_create_many(rows, returning=returning))  # type: ignore[no-any-return]

    def update(self, key: KeyT, changes: UpdateT) -> SelectT | None:
        """Write the fields set in `changes`; return the updated row or None if absent.

        On-update columns (such as `updated_at`) are refreshed unless set explicitly.
        For a NOT NULL column, None means "leave unchanged".
        """
        return self.db.run(self._plan_update(key, changes))

    def delete(self, key: KeyT) -> bool:
        """Delete the row for good (even if soft-deleted); True if there was one."""
        return self.db.run(self._plan_delete(key))


class SoftDeleteRepository(Repository[SelectT, InsertT, UpdateT, KeyT]):
    """CRUD for a table with a soft-delete column: deleted rows are hidden by default."""

    def get(self, key: KeyT, *, include_deleted: bool = False) -> SelectT | None:
        return self.db.run(self._plan_get(key, include_deleted=include_deleted))

    def find_many(
        self, *, limit: int | None = None, offset: int = 0, include_deleted: bool = False
    ) -> list[SelectT]:
        return self.db.run(self._plan_find_many(limit, offset, include_deleted=include_deleted))

    def iter_many(self, *, chunk: int = 1000, include_deleted: bool = False) -> Generator[SelectT]:
        return self.db.iter(self._scan_many(chunk, include_deleted=include_deleted))

    def count(self, *, include_deleted: bool = False) -> int:
        return self.db.run(self._plan_count(include_deleted=include_deleted))

    def soft_delete(self, key: KeyT) -> bool:
        """Mark the row deleted now; True if it was live (a deleted row keeps its first
        deletion time, and gives False)."""
        return self.db.run(self._plan_soft_delete(key))

    def restore(self, key: KeyT) -> SelectT | None:
        """Undo a soft delete; returns the row, or None if there is no such deleted row."""
        return self.db.run(self._plan_restore(key))


class AsyncRepository(_Plans[SelectT, InsertT, UpdateT, KeyT]):
    """The same CRUD as `Repository`, awaited on an `AsyncDatabase`."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.db!r})"

    async def get(self, key: KeyT) -> SelectT | None:
        """The row with this primary key, or None (also when soft-deleted)."""
        return await self.db.run(self._plan_get(key))

    async def get_raw(self, key: KeyT) -> dict[str, Any] | None:
        """The row as stored, without decoding or validation (for repairs)."""
        return await self.db.run(self._plan_get_raw(key))

    async def find_many(self, *, limit: int | None = None, offset: int = 0) -> list[SelectT]:
        """Rows in primary-key order, a page at a time (soft-deleted rows excluded)."""
        return await self.db.run(self._plan_find_many(limit, offset))

    def iter_many(self, *, chunk: int = 1000) -> AsyncGenerator[SelectT]:
        """Every row in primary-key order, `chunk` rows at a time (`async for`)."""
        return self.db.iter(self._scan_many(chunk))

    async def count(self) -> int:
        """How many rows there are (soft-deleted rows excluded)."""
        return await self.db.run(self._plan_count())

    async def create(self, data: InsertT) -> SelectT:
        """Insert one row and return it as stored (INSERT ... RETURNING)."""
        return await self.db.run(self._plan_create(data))

    @overload
    async def create_many(
        self, rows: Iterable[InsertT], *, returning: Literal[False] = False
    ) -> int: ...

    @overload
    async def create_many(
        self, rows: Iterable[InsertT], *, returning: Literal[True]
    ) -> list[SelectT]: ...

    async def create_many(
        self, rows: Iterable[InsertT], *, returning: bool = False
    ) -> int | list[SelectT]:
        """Insert rows in one transaction: all of them or, on any error, none."""
        return await self.db.run(self._plan_create_many(rows, returning=returning))

    async def update(self, key: KeyT, changes: UpdateT) -> SelectT | None:
        """Write the fields set in `changes`; return the updated row or None if absent."""
        return await self.db.run(self._plan_update(key, changes))

    async def delete(self, key: KeyT) -> bool:
        """Delete the row for good (even if soft-deleted); True if there was one."""
        return await self.db.run(self._plan_delete(key))


class AsyncSoftDeleteRepository(AsyncRepository[SelectT, InsertT, UpdateT, KeyT]):
    """`SoftDeleteRepository`, awaited on an `AsyncDatabase`."""

    async def get(self, key: KeyT, *, include_deleted: bool = False) -> SelectT | None:
        return await self.db.run(self._plan_get(key, include_deleted=include_deleted))

    async def find_many(
        self, *, limit: int | None = None, offset: int = 0, include_deleted: bool = False
    ) -> list[SelectT]:
        return await self.db.run(
            self._plan_find_many(limit, offset, include_deleted=include_deleted)
        )

    def iter_many(
        self, *, chunk: int = 1000, include_deleted: bool = False
    ) -> AsyncGenerator[SelectT]:
        return self.db.iter(self._scan_many(chunk, include_deleted=include_deleted))

    async def count(self, *, include_deleted: bool = False) -> int:
        return await self.db.run(self._plan_count(include_deleted=include_deleted))

    async def soft_delete(self, key: KeyT) -> bool:
        """Mark the row deleted now; True if it was live."""
        return await self.db.run(self._plan_soft_delete(key))

    async def restore(self, key: KeyT) -> SelectT | None:
        """Undo a soft delete; returns the row, or None if there is no such deleted row."""
        return await self.db.run(self._plan_restore(key))


class _ViewPlans(Generic[SelectT]):
    """The plans of a view's reads: pages of rows and their count."""

    table: ClassVar[Table]
    select_model: ClassVar[type[SelectModel]]

    def _plan_find_many(self, limit: int | None, offset: int) -> Plan[list[SelectT]]:
        rows = fetch_all(
            self.table, self.select_model, self.table.sql.select_page, _page(limit, offset)
        )
        return rows  # type: ignore[return-value]

    def _plan_count(self) -> Plan[int]:
        statement = Statement(self.table.sql.count, (), self.table.name)
        return Plan((statement,), _count, write=False)


class ViewRepository(_ViewPlans[SelectT]):
    """Reads of one view on a `Database`: a view is never written. Generated subclasses
    set the class attributes and add the queries declared in schema.yaml."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.db!r})"

    def find_many(self, *, limit: int | None = None, offset: int = 0) -> list[SelectT]:
        """Rows ordered by every column in turn, a page at a time."""
        return self.db.run(self._plan_find_many(limit, offset))

    def count(self) -> int:
        """How many rows the view has."""
        return self.db.run(self._plan_count())


class AsyncViewRepository(_ViewPlans[SelectT]):
    """`ViewRepository`, awaited on an `AsyncDatabase`."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.db!r})"

    async def find_many(self, *, limit: int | None = None, offset: int = 0) -> list[SelectT]:
        """Rows ordered by every column in turn, a page at a time."""
        return await self.db.run(self._plan_find_many(limit, offset))

    async def count(self) -> int:
        """How many rows the view has."""
        return await self.db.run(self._plan_count())


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
