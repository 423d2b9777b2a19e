"""Thin adapters over the two local drivers, with their pitfalls handled in one place.

Both run in autocommit mode: the Database issues BEGIN/COMMIT itself, so transactions
behave the same whichever driver is below. Every result is read to the end (a half-read
cursor keeps a read transaction open and blocks writers).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Protocol

__all__ = ["Driver", "DriverError", "DriverName", "LibsqlDriver", "Sqlite3Driver", "open_driver"]

DriverName = Literal["sqlite3", "libsql"]

Row = tuple[Any, ...]

_INT32 = range(-(2**31), 2**31)


class DriverError(Exception):
    """A driver's failure, reduced to its message; `integrity` marks constraint failures."""

    def __init__(self, message: str, *, integrity: bool) -> None:
        super().__init__(message)
        self.integrity = integrity


class Driver(Protocol):
    name: DriverName

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]: ...

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def close(self) -> None: ...


class Sqlite3Driver:
    """The standard library's sqlite3: the fastest local driver, with precise errors."""

    name: DriverName = "sqlite3"

    def __init__(self, path: str, *, busy_timeout_ms: int) -> None:
        self._conn = sqlite3.connect(
            path,
            isolation_level=None,
            check_same_thread=False,
            timeout=busy_timeout_ms / 1000,
        )

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.IntegrityError as exc:
            raise DriverError(str(exc), integrity=True) from None
        except sqlite3.Error as exc:
            raise DriverError(str(exc), integrity=False) from None

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
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


def _bind_libsql(params: Sequence[Any]) -> tuple[Any, ...]:
    """Parameters as libsql_experimental must receive them to be stored exactly.

    It binds ints as 32-bit and larger ones as REAL (precision lost). Bound as decimal
    text instead, they are stored exactly: INTEGER affinity turns such text back into a
    64-bit integer, and comparisons with integer columns convert it too.
    """
    bound = []
    for value in params:
        if type(value) is int and value not in _INT32:
            value = str(value)
        elif type(value) is str and "\x00" in value:
            raise DriverError(NUL_TEXT, integrity=False)
        bound.append(value)
    return tuple(bound)


class LibsqlDriver:
    """libsql_experimental on a local file (the remote and replica modes build on it)."""

    name: DriverName = "libsql"

    def __init__(self, path: str, *, busy_timeout_ms: int) -> None:
        import libsql_experimental

        self._conn = libsql_experimental.connect(path, isolation_level=None)
        self.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}", ())

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        bound = _bind_libsql(params)
        try:
            rows: list[Row] = self._conn.execute(sql, bound).fetchall()
        except ValueError as exc:
            message = str(exc)
            raise DriverError(message, integrity=" constraint failed" in message) from None
        return rows

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        for params in rows:
            self.execute(sql, params)

    def close(self) -> None:
        self._conn.close()


def open_driver(name: DriverName, path: str, *, busy_timeout_ms: int) -> Driver:
    if name == "sqlite3":
        return Sqlite3Driver(path, busy_timeout_ms=busy_timeout_ms)
    return LibsqlDriver(path, busy_timeout_ms=busy_timeout_ms)
