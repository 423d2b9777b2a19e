"""What to run and how to read its result: the sans-I/O core of every call.

Repositories, the query builder and raw SQL all describe a call as a `Plan`: statements
with their bound parameters, whether it writes, and a function from the rows each
statement returned to the caller's result. The sync `Database` and the `AsyncDatabase`
both just run plans, so SQL, parameters, codecs and row-to-model decoding exist once
for both APIs (the model of httpcore and psycopg 3: one core, two thin shells).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from libsqlkit._errors import InvalidValue
from libsqlkit._rows import Row

if TYPE_CHECKING:
    from libsqlkit._async_database import AsyncDatabase
    from libsqlkit._database import Database

__all__ = [
    "Plan",
    "Reads",
    "Scan",
    "Statement",
    "all_rows",
    "chunk_size",
    "is_write",
    "rows_plan",
]

R = TypeVar("R", covariant=True)

_READS = frozenset({"SELECT", "WITH", "VALUES", "EXPLAIN"})


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement with its bound parameters.

    `rows`, when given, runs the statement once per parameter row (executemany), all or
    nothing. `table` and `labels` (one per parameter) only name things in errors.
    `json_sql`, when given, is the same read answering one JSON array per row
    (`_json_rows`): what a remote autocommit read sends instead.
    """

    sql: str
    params: Sequence[Any] = ()
    table: str | None = None
    labels: Sequence[str] | None = None
    rows: Sequence[Sequence[Any]] | None = None
    json_sql: str | None = None


class Plan(Generic[R]):
    """Statements run in order, all or nothing, then `decode` of their rows.

    `write` sends a plan to the writer; a read runs on a reader connection in parallel
    with other callers (or on the caller's own transaction, if it has one open).
    """

    __slots__ = ("decode", "statements", "write")

    def __init__(
        self,
        statements: tuple[Statement, ...],
        decode: Callable[[list[list[Row]]], R],
        *,
        write: bool,
    ) -> None:
        self.statements = statements
        self.decode = decode
        self.write = write

    def __repr__(self) -> str:
        kind = "write" if self.write else "read"
        return f"Plan({kind}: {'; '.join(s.sql for s in self.statements)[:200]})"


class Reads(Generic[R]):
    """A query that reads rows `R`: `all(db)` and `first(db)` run its plans on either
    database (awaitable on an AsyncDatabase), one definition for every kind of query."""

    __slots__ = ()

    def plan(self) -> Plan[list[R]]:
        raise NotImplementedError

    def _first_plan(self) -> Plan[R | None]:
        raise NotImplementedError

    @overload
    def all(self, db: Database) -> list[R]: ...
    @overload
    def all(self, db: AsyncDatabase) -> Coroutine[Any, Any, list[R]]: ...
    def all(self, db: Database | AsyncDatabase) -> list[R] | Coroutine[Any, Any, list[R]]:
        """The rows (awaitable on an AsyncDatabase)."""
        return db.run(self.plan())

    @overload
    def first(self, db: Database) -> R | None: ...
    @overload
    def first(self, db: AsyncDatabase) -> Coroutine[Any, Any, R | None]: ...
    def first(self, db: Database | AsyncDatabase) -> R | Coroutine[Any, Any, R | None] | None:
        """The first row or None (awaitable on an AsyncDatabase)."""
        return db.run(self._first_plan())


@dataclass(frozen=True, slots=True)
class Scan(Generic[R]):
    """A read taken a chunk at a time, in key order, so a large result never sits in
    memory whole: locally `whole` through a cursor, `size` rows per fetch; elsewhere
    (and inside a transaction) keyset pages, `first` then `after` the last row of each
    page, since Hrana has no server-side cursor. `decode` turns a chunk into results."""

    whole: Statement
    first: Statement
    after: Callable[[Row], Statement]
    decode: Callable[[list[Row]], list[R]]
    size: int

    def next_page(self, rows: list[Row]) -> Statement | None:
        """The page after `rows`, or None when they were the last (a short page)."""
        return self.after(rows[-1]) if len(rows) >= self.size else None


# Rows per chunk at most: a chunk is held in memory whole, and drivers fetch into C ints.
MAX_CHUNK = 1_000_000


def chunk_size(chunk: int) -> int:
    """A scan's rows per chunk, checked: a whole number from 1 to MAX_CHUNK."""
    if type(chunk) is not int or not 1 <= chunk <= MAX_CHUNK:
        raise InvalidValue(
            f"chunk must be a whole number of rows from 1 to {MAX_CHUNK:,}, got {chunk!r:.40}"
        )
    return chunk


def all_rows(results: list[list[Row]]) -> list[Row]:
    """The rows of a plan's only statement."""
    return results[0]


def is_write(sql: str) -> bool:
    """Whether raw SQL may write (anything but a query). A query that writes after all
    (a CTE with an INSERT) is caught by the reader's query_only and rerun as a write.
    SQL that is not text is taken for a write here, and refused before it runs."""
    if type(sql) is not str:
        return True
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head not in _READS


def rows_plan(
    sql: str,
    params: Sequence[Any] = (),
    *,
    table: str | None = None,
    labels: Sequence[str] | None = None,
    write: bool | None = None,
) -> Plan[list[Row]]:
    """Raw SQL as a plan: its rows, undecoded."""
    return Plan(
        (Statement(sql, params, table, labels),),
        all_rows,
        write=is_write(sql) if write is None else write,
    )
