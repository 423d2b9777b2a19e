"""Thin adapters over the two local drivers, with their pitfalls handled in one place.

Both run in autocommit mode: the Database issues BEGIN/COMMIT itself, so transactions
behave the same whichever driver is below. Every result is read to the end (a half-read
cursor keeps a read transaction open and blocks writers).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol

from libsqlkit._errors import AuthError, DatabaseError, Timeout, Unavailable
from libsqlkit._placeholders import PlaceholderError, parameter_count, rewrite

__all__ = [
    "Driver",
    "DriverError",
    "DriverName",
    "LibsqlDriver",
    "LocalDriverName",
    "Sqlite3Driver",
    "open_driver",
    "refuse_nul_text",
]

DriverName = Literal["sqlite3", "libsql", "remote", "replica"]
LocalDriverName = Literal["sqlite3", "libsql"]

Row = tuple[Any, ...]

_INT32 = range(-(2**31), 2**31)


class DriverError(DatabaseError):
    """A driver's failure, reduced to its message; `integrity` marks constraint failures.

    The Database translates it into the typed errors; it is a DatabaseError itself so that
    nothing a driver raises falls outside the library's error hierarchy."""

    def __init__(self, message: str, *, integrity: bool) -> None:
        super().__init__(message)
        self.integrity = integrity


class Driver(Protocol):
    """What the Database needs of a connection, local or remote."""

    name: DriverName

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]: ...

    def execute_many(
        self, sql: str, rows: Iterable[Sequence[Any]], *, own_transaction: bool
    ) -> None: ...

    def batch(
        self, statements: Sequence[tuple[str, Sequence[Any]]], *, own_transaction: bool
    ) -> list[list[Row]]: ...

    def begin(self) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def set_foreign_keys(self, enabled: bool) -> None:
        """Enforce foreign keys or not, from the next transaction on (never inside one)."""
        ...

    def close(self) -> None: ...


class _LocalDriver:
    """Transactions and batches for drivers on a local file, in terms of `execute`."""

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        raise NotImplementedError

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        for params in rows:
            self.execute(sql, params)

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE", ())

    def set_foreign_keys(self, enabled: bool) -> None:
        self.execute(f"PRAGMA foreign_keys = {'ON' if enabled else 'OFF'}", ())

    def commit(self) -> None:
        self.execute("COMMIT", ())

    def rollback(self) -> None:
        self.execute("ROLLBACK", ())

    def execute_many(
        self, sql: str, rows: Iterable[Sequence[Any]], *, own_transaction: bool
    ) -> None:
        if not own_transaction:
            self._execute_many(sql, rows)
            return
        self.begin()
        try:
            self._execute_many(sql, rows)
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def batch(
        self, statements: Sequence[tuple[str, Sequence[Any]]], *, own_transaction: bool
    ) -> list[list[Row]]:
        if not own_transaction:
            return [self.execute(sql, params) for sql, params in statements]
        self.begin()
        try:
            results = [self.execute(sql, params) for sql, params in statements]
        except BaseException:
            self.rollback()
            raise
        self.commit()
        return results


class Sqlite3Driver(_LocalDriver):
    """The standard library's sqlite3: the fastest local driver, with precise errors."""

    name: DriverName = "sqlite3"

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

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise DriverError(str(exc), integrity=True) from None
        except sqlite3.Error as exc:
            raise DriverError(str(exc), integrity=False) from None

    def close(self) -> None:
        self._conn.close()


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


def refuse_nul_text(params: Iterable[Any]) -> None:
    """Refuse text that libsql_experimental would read back cut at a NUL character."""
    if any(type(value) is str and "\x00" in value for value in params):
        raise DriverError(NUL_TEXT, integrity=False)


class LibsqlDriver(_LocalDriver):
    """libsql_experimental on a local file (the replica mode builds on it)."""

    name: DriverName = "libsql"

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

    def close(self) -> None:
        self._conn.close()


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


def open_driver(name: LocalDriverName, path: str, *, busy_timeout_ms: int) -> Driver:
    if name == "sqlite3":
        return Sqlite3Driver(path, busy_timeout_ms=busy_timeout_ms)
    return LibsqlDriver(path, busy_timeout_ms=busy_timeout_ms)
