"""Connections to a local file through the two local drivers, their pitfalls handled here.

Both run in autocommit mode: the engines issue BEGIN/COMMIT themselves, so transactions
behave the same whichever driver is below. Every result is read to the end (a half-read
cursor keeps a read transaction open and blocks writers).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from libsqlkit._errors import AuthError, DatabaseError, Timeout, Unavailable
from libsqlkit._placeholders import PlaceholderError, parameter_count, rewrite
from libsqlkit._plan import Statement
from libsqlkit._rows import Row

__all__ = [
    "MEMORY",
    "Cursor",
    "DriverError",
    "DriverName",
    "LibsqlConnection",
    "LocalConnection",
    "LocalDriverName",
    "Sqlite3Connection",
    "import_libsql",
    "libsql_error",
    "open_local",
    "refuse_nul_text",
]

DriverName = Literal["sqlite3", "libsql", "remote", "replica"]
LocalDriverName = Literal["sqlite3", "libsql"]
MEMORY = ":memory:"

_INT32 = range(-(2**31), 2**31)


class DriverError(DatabaseError):
    """A driver's failure, reduced to its message; `integrity` marks constraint failures.

    The database shells translate it into the typed errors; it is a DatabaseError itself
    so that nothing a driver raises falls outside the library's error hierarchy."""

    def __init__(self, message: str, *, integrity: bool, retryable: bool = False) -> None:
        super().__init__(message)
        self.integrity = integrity
        # Nothing of the statements was done and the same request may be sent again: a
        # lock the server could not take yet (SQLITE_BUSY before any write).
        self.retryable = retryable


class Cursor(Protocol):
    """An open query: closed when done, or its connection keeps its read snapshot."""

    def fetchmany(self, size: int) -> list[Row]: ...

    def close(self) -> None: ...


class LocalConnection:
    """One connection to a local file: statements, transactions, foreign keys."""

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        raise NotImplementedError

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        for params in rows:
            self.execute(sql, params)

    def close(self) -> None:
        raise NotImplementedError

    def cursor(self, sql: str, params: Sequence[Any]) -> Cursor:
        """A query's rows, to fetch a chunk at a time (large results in bounded memory)."""
        raise NotImplementedError

    def run(self, statements: Sequence[Statement]) -> list[list[Row]]:
        """Each statement in order, as is (the caller wraps them in a transaction)."""
        results = []
        for statement in statements:
            if statement.rows is None:
                results.append(self.execute(statement.sql, statement.params))
            else:
                self.execute_many(statement.sql, statement.rows)
                results.append([])
        return results

    def run_atomically(self, statements: Sequence[Statement]) -> list[list[Row]]:
        """All statements or none: one as is (SQLite makes it atomic), several in a
        transaction of their own."""
        if len(statements) == 1 and statements[0].rows is None:
            return [self.execute(statements[0].sql, statements[0].params)]
        self.begin()
        try:
            results = self.run(statements)
        except BaseException:
            self.rollback()
            raise
        self.commit()
        return results

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE", ())

    def commit(self) -> None:
        self.execute("COMMIT", ())

    def rollback(self) -> None:
        self.execute("ROLLBACK", ())

    def set_foreign_keys(self, enabled: bool) -> None:
        """Enforce foreign keys or not, from the next transaction on (never inside one)."""
        self.execute(f"PRAGMA foreign_keys = {'ON' if enabled else 'OFF'}", ())


class Sqlite3Connection(LocalConnection):
    """The standard library's sqlite3: the fastest local driver, with precise errors."""

    def __init__(self, path: str, *, busy_timeout_ms: int) -> None:
        try:
            self._conn = sqlite3.connect(
                path,
                isolation_level=None,
                check_same_thread=False,
                timeout=busy_timeout_ms / 1000,
            )
        except sqlite3.Error as exc:
            raise DriverError(str(exc), integrity=False) from exc

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.IntegrityError as exc:
            raise DriverError(str(exc), integrity=True) from None
        except sqlite3.Error as exc:
            raise DriverError(str(exc), integrity=False) from None

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise DriverError(str(exc), integrity=True) from None
        except sqlite3.Error as exc:
            raise DriverError(str(exc), integrity=False) from None

    def cursor(self, sql: str, params: Sequence[Any]) -> Cursor:
        try:
            return _Sqlite3Cursor(self._conn.execute(sql, params))
        except sqlite3.Error as exc:
            raise DriverError(str(exc), integrity=False) from None

    def close(self) -> None:
        self._conn.close()


class _Sqlite3Cursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def fetchmany(self, size: int) -> list[Row]:
        try:
            return self._cursor.fetchmany(size)
        except sqlite3.Error as exc:
            raise DriverError(str(exc), integrity=False) from None

    def close(self) -> None:
        self._cursor.close()


NUL_TEXT = (
    "libsql_experimental cuts text at the first NUL character when reading it back, "
    "so text containing \\x00 is refused rather than stored and silently shortened "
    "(use the sqlite3 driver, or a blob column)"
)


def _bind_libsql(sql: str, params: Sequence[Any]) -> tuple[str, tuple[Any, ...]]:
    """The statement and parameters as libsql_experimental must get them to stay exact.

    It binds ints as 32-bit and larger ones as REAL (precision lost past 2**53). Such an
    int is bound as decimal text instead, and its placeholder becomes
    `CAST(?N AS INTEGER)`, so SQLite turns it back into the exact 64-bit integer.
    """
    refuse_nul_text(params)
    big = {
        i + 1: "CAST(?{n} AS INTEGER)"
        for i, value in enumerate(params)
        if type(value) is int and value not in _INT32
    }
    if not big:
        return sql, tuple(params)
    bound = tuple(str(value) if i + 1 in big else value for i, value in enumerate(params))
    return rewrite(sql, big), bound


def refuse_nul_text(params: Sequence[Any]) -> None:
    """Refuse text that libsql_experimental would read back cut at a NUL character."""
    if any(type(value) is str and "\x00" in value for value in params):
        raise DriverError(NUL_TEXT, integrity=False)


class LibsqlConnection(LocalConnection):
    """libsql_experimental on a local file (the replica mode builds on it)."""

    def __init__(self, path: str, *, busy_timeout_ms: int, connection: Any = None) -> None:
        self._conn = connection
        if connection is None:
            try:
                self._conn = import_libsql().connect(path, isolation_level=None)
            except ValueError as exc:
                raise libsql_error(str(exc)) from exc
            # (A replica's connection refuses PRAGMAs: it is passed in, left as is.)
            self.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}", ())

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        if isinstance(params, Mapping):
            raise DriverError(
                "parameters must be a sequence (a tuple or list), not a mapping", integrity=False
            )
        try:
            expected = parameter_count(sql)
        except PlaceholderError as exc:
            raise DriverError(str(exc), integrity=False) from None
        if expected != len(params):
            # libsql_experimental would bind NULL for the missing ones without a word.
            raise DriverError(
                f"the statement takes {expected} parameters, {len(params)} given", integrity=False
            )
        statement, bound = _bind_libsql(sql, params)
        try:
            rows: list[Row] = self._conn.execute(statement, bound).fetchall()
        except ValueError as exc:
            raise libsql_error(str(exc)) from None
        return rows

    def cursor(self, sql: str, params: Sequence[Any]) -> Cursor:
        statement, bound = _bind_libsql(sql, params)
        try:
            return _LibsqlCursor(self._conn.execute(statement, bound))
        except ValueError as exc:
            raise libsql_error(str(exc)) from None

    def close(self) -> None:
        self._conn.close()


class _LibsqlCursor:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def fetchmany(self, size: int) -> list[Row]:
        try:
            rows: list[Row] = self._cursor.fetchmany(size)
        except ValueError as exc:
            raise libsql_error(str(exc)) from None
        return rows

    def close(self) -> None:
        self._cursor.close()


def import_libsql() -> Any:
    """libsql_experimental, imported with its logging quiet unless RUST_LOG says otherwise.

    It logs every replication handshake to stdout at INFO, and reads RUST_LOG once, when
    first imported: so the default must be in place before any import of it.
    """
    os.environ.setdefault("RUST_LOG", "error")
    import libsql_experimental

    return libsql_experimental


def libsql_error(message: str) -> Exception:
    """libsql_experimental reports everything as ValueError: tell the cases apart by text."""
    lowered = message.lower()
    if "unauthorized" in lowered or "jwt" in lowered or "401" in lowered or "403" in lowered:
        return AuthError(f"the server refused the auth token: {message}")
    if "unavailable" in lowered or "connection refused" in lowered or "connect error" in lowered:
        return Unavailable(f"the server cannot be reached: {message}")
    if "timed out" in lowered or "deadline" in lowered:
        return Timeout(f"the server did not answer in time: {message}")
    return DriverError(message, integrity=" constraint failed" in message)


def open_local(
    name: LocalDriverName,
    path: str,
    url: str,
    *,
    busy_timeout_ms: int,
    wal: bool,
    reader: bool = False,
) -> LocalConnection:
    """Open and set up a connection to a local file, or fail with a typed error and leave
    the file as it was.

    SQLite opens lazily: a file that is not a database fails at the first statement. The
    connection is then closed, which removes the -wal/-shm files it made. A reader only
    reads (`query_only`): it never takes the write lock, so it never waits behind one.
    """
    sidecars = [Path(path + suffix) for suffix in ("-wal", "-shm")]
    existed = [sidecar.exists() for sidecar in sidecars]
    opened: LocalConnection | None = None
    try:
        if name == "sqlite3":
            opened = Sqlite3Connection(path, busy_timeout_ms=busy_timeout_ms)
        else:
            opened = LibsqlConnection(path, busy_timeout_ms=busy_timeout_ms)
        opened.execute("SELECT count(*) FROM sqlite_schema", ())
        if reader:
            opened.execute("PRAGMA query_only = ON", ())
        else:
            if wal and path != MEMORY:
                opened.execute("PRAGMA journal_mode = WAL", ())
                opened.execute("PRAGMA synchronous = NORMAL", ())
            opened.execute("PRAGMA foreign_keys = ON", ())
    except (DriverError, OSError) as exc:
        if opened is not None:
            opened.close()
        for sidecar, was_there in zip(sidecars, existed, strict=True):
            if not was_there:
                sidecar.unlink(missing_ok=True)
        raise DatabaseError(f"cannot open {url} as a database: {exc}") from exc
    return opened
