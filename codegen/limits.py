"""SQLite's limits that a schema can reach, checked at generation instead of at run time.

Read from the sqlite3 module the generator runs with, and capped at what libSQL is built
with, since the same generated code also runs on libsql-experimental and on sqld: both
use SQLite's default compile-time limits (2000 columns, 32766 variables), while some
system SQLite builds raise the variable limit (Debian's: 250000).
`tests/test_schema_hardening.py` checks these numbers against libsql-experimental and sqld.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache

from libsqlkit._limits import MAX_COLUMN, MAX_VARIABLE_NUMBER

__all__ = ["LIBSQL_MAX_COLUMN", "LIBSQL_MAX_VARIABLE_NUMBER", "Limits", "sqlite_limits"]

LIBSQL_MAX_COLUMN = MAX_COLUMN
LIBSQL_MAX_VARIABLE_NUMBER = MAX_VARIABLE_NUMBER


@dataclass(frozen=True)
class Limits:
    columns: int  # per table (and per index, per SELECT result)
    variables: int  # bound parameters per statement


@cache
def sqlite_limits() -> Limits:
    connection = sqlite3.connect(":memory:")
    try:
        return Limits(
            columns=min(connection.getlimit(sqlite3.SQLITE_LIMIT_COLUMN), LIBSQL_MAX_COLUMN),
            variables=min(
                connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER),
                LIBSQL_MAX_VARIABLE_NUMBER,
            ),
        )
    finally:
        connection.close()
