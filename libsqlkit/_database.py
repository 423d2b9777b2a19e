"""The database client: one connection, explicit transactions, typed errors."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from libsqlkit._drivers import Driver, DriverError, DriverName, Row, open_driver
from libsqlkit._errors import (
    ConfigurationError,
    DatabaseError,
    SchemaStateError,
    constraint_error,
)
from libsqlkit._schema import Schema
from libsqlkit._url import DatabaseLocation, resolve_location

__all__ = ["Database", "connect"]

DEFAULT_BUSY_TIMEOUT_MS = 5000


class Database:
    """A connection to one database, safe to share between threads.

    Statements run in autocommit mode unless inside `transaction()`; a transaction holds
    the connection for its thread until it ends.
    """

    def __init__(self, driver: Driver, schema: Schema, location: DatabaseLocation) -> None:
        self._driver = driver
        self._schema = schema
        self._location = location
        self._checks = schema.check_constraints()
        self._lock = threading.RLock()
        self._depth = 0

    @property
    def url(self) -> str:
        return self._location.url

    @property
    def driver(self) -> DriverName:
        return self._driver.name

    @property
    def schema(self) -> Schema:
        return self._schema

    def __repr__(self) -> str:
        return f"Database(url={self.url!r}, driver={self.driver!r})"

    def execute(
        self, sql: str, params: Sequence[Any] = (), *, table: str | None = None
    ) -> list[Row]:
        """Run one statement with bound parameters and return all its rows."""
        with self._lock:
            try:
                return self._driver.execute(sql, params)
            except DriverError as exc:
                raise self._translate(exc, sql, table) from None

    def execute_many(
        self, sql: str, rows: Iterable[Sequence[Any]], *, table: str | None = None
    ) -> None:
        """Run one statement for each parameter row, all in one transaction."""
        with self.transaction():
            try:
                self._driver.execute_many(sql, rows)
            except DriverError as exc:
                raise self._translate(exc, sql, table) from None

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Commit on success, roll back on any exception; nested calls use savepoints."""
        with self._lock:
            depth = self._depth
            savepoint = f"libsqlkit_{depth}"
            self.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {savepoint}")
            self._depth = depth + 1
            try:
                yield self
            except BaseException:
                self._depth = depth
                if depth == 0:
                    self.execute("ROLLBACK")
                else:
                    self.execute(f"ROLLBACK TO {savepoint}")
                    self.execute(f"RELEASE {savepoint}")
                raise
            self._depth = depth
            try:
                self.execute("COMMIT" if depth == 0 else f"RELEASE {savepoint}")
            except BaseException:
                if depth == 0:
                    self.execute("ROLLBACK")
                raise

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def existing_tables(self) -> set[str]:
        rows = self.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
        return {name for (name,) in rows}

    def create_schema(self) -> bool:
        """Create the schema in an empty database; True if it was created.

        A database that already has every table is left alone. One with only some of
        them is refused: that needs a migration, not a blind CREATE.
        """
        wanted = {table.name for table in self._schema.tables}
        present = wanted & self.existing_tables()
        if present == wanted:
            return False
        if present:
            raise SchemaStateError(
                f"{self.url} has some of the schema's tables ({', '.join(sorted(present))}) "
                f"but not {', '.join(sorted(wanted - present))}: apply migrations instead"
            )
        with self.transaction():
            for statement in self._schema.ddl:
                self.execute(statement)
        return True

    def close(self) -> None:
        with self._lock:
            self._driver.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _translate(self, exc: DriverError, sql: str, table: str | None) -> DatabaseError:
        message = str(exc)
        if exc.integrity or " constraint failed" in message:
            return constraint_error(message, checks=self._checks, table=table, sql=sql)
        return DatabaseError(message, sql=sql)


def connect(
    schema: Schema,
    url: str | None = None,
    *,
    auth_token: str | None = None,
    driver: DriverName | None = None,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    wal: bool = True,
) -> Database:
    """Open the database at `url` (default: `TURSO_DATABASE_URL`) for `schema`.

    `file:` URLs never use the auth token, whether passed or in `TURSO_AUTH_TOKEN`.
    The default driver for files is the standard library's sqlite3.
    """
    location = resolve_location(url)
    del auth_token  # file: URLs never use a token; it is neither read nor stored.
    chosen: DriverName = driver or "sqlite3"
    if chosen not in ("sqlite3", "libsql"):
        raise ConfigurationError(f"unknown driver {chosen!r}: use 'sqlite3' or 'libsql'")
    opened = open_driver(chosen, location.path, busy_timeout_ms=busy_timeout_ms)
    db = Database(opened, schema, location)
    if wal and location.path != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db
