"""The database client: one connection, explicit transactions, typed errors."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from libsqlkit._drivers import Driver, DriverError, DriverName, LocalDriverName, Row, open_driver
from libsqlkit._errors import (
    ConfigurationError,
    DatabaseError,
    SchemaStateError,
    constraint_error,
)
from libsqlkit._schema import Schema
from libsqlkit._url import (
    SYNC_INTERVAL_VARIABLE,
    SYNC_URL_VARIABLE,
    TOKEN_VARIABLE,
    database_url,
    file_path,
    url_scheme,
)

__all__ = ["Database", "connect"]

DEFAULT_BUSY_TIMEOUT_MS = 5000
DEFAULT_TIMEOUT_S = 10.0


class Database:
    """A connection to one database, safe to share between threads.

    Statements run in autocommit mode unless inside `transaction()`; a transaction holds
    the connection for its thread until it ends.
    """

    def __init__(self, driver: Driver, schema: Schema, url: str) -> None:
        self._driver = driver
        self._schema = schema
        self._url = url
        self._checks = schema.check_constraints()
        self._lock = threading.RLock()
        self._depth = 0

    @property
    def url(self) -> str:
        """The database URL (it never contains the auth token)."""
        return self._url

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
        """Run one statement for each parameter row, all or nothing (one round trip remotely)."""
        with self._lock:
            try:
                self._driver.execute_many(sql, rows, own_transaction=self._depth == 0)
            except DriverError as exc:
                raise self._translate(exc, sql, table) from None

    def batch(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Row]]:
        """Run statements in order, all or nothing; remotely in one round trip.

        Returns the rows of each statement.
        """
        with self._lock:
            try:
                return self._driver.batch(statements, own_transaction=self._depth == 0)
            except DriverError as exc:
                raise self._translate(exc, "; ".join(sql for sql, _ in statements), None) from None

    def sync(self) -> None:
        """Pull the primary's latest changes into an embedded replica."""
        sync = getattr(self._driver, "sync", None)
        if sync is None:
            raise ConfigurationError(
                f"sync() needs an embedded replica (a file: URL with a sync URL); this is {self.driver}"
            )
        with self._lock:
            sync()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Commit on success, roll back on any exception; nested calls use savepoints."""
        with self._lock:
            depth = self._depth
            savepoint = f"libsqlkit_{depth}"
            self._call(self._driver.begin) if depth == 0 else self.execute(f"SAVEPOINT {savepoint}")
            self._depth = depth + 1
            try:
                yield self
            except BaseException:
                self._depth = depth
                if depth == 0:
                    self._call(self._driver.rollback)
                else:
                    self.execute(f"ROLLBACK TO {savepoint}")
                    self.execute(f"RELEASE {savepoint}")
                raise
            self._depth = depth
            if depth > 0:
                self.execute(f"RELEASE {savepoint}")
                return
            try:
                self._call(self._driver.commit)
            except BaseException:
                self._call(self._driver.rollback)
                raise

    def _call(self, action: Callable[[], None]) -> None:
        try:
            action()
        except DriverError as exc:
            raise self._translate(exc, action.__name__.upper(), None) from None

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
    driver: LocalDriverName | None = None,
    sync_url: str | None = None,
    sync_interval: float | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    wal: bool = True,
) -> Database:
    """Open the database for `schema`; arguments override the environment.

    - `file:` URL → a local file (driver sqlite3 by default, or libsql);
    - `file:` URL plus a sync URL (`TURSO_SYNC_URL`) → an embedded replica of that
      primary, pulled every `sync_interval` seconds (`TURSO_SYNC_INTERVAL`) and by `sync()`;
    - `libsql://` (TLS), `https://`, `http://` → the remote server itself.

    The auth token (`TURSO_AUTH_TOKEN`) is sent only to remote servers, never for a plain
    `file:` URL. Every remote call is bounded by `timeout` seconds.
    """
    url = database_url(url)
    scheme = url_scheme(url)
    sync_url = sync_url if sync_url is not None else os.environ.get(SYNC_URL_VARIABLE) or None
    remote = scheme != "file" or sync_url is not None
    token = (
        (auth_token if auth_token is not None else os.environ.get(TOKEN_VARIABLE))
        if remote
        else None
    )
    if timeout <= 0:
        raise ConfigurationError(f"timeout must be positive, got {timeout}")
    if scheme != "file":
        if sync_url is not None:
            raise ConfigurationError(
                "a sync URL applies to a file: URL (the local replica), not to a remote URL"
            )
        if driver is not None:
            raise ConfigurationError(
                "driver= chooses the local driver; a remote URL always uses HTTP"
            )
        from libsqlkit._hrana import HranaDriver

        return Database(HranaDriver(url, auth_token=token, timeout=timeout), schema, url)
    path = file_path(url)
    opened: Driver
    if sync_url is not None:
        if driver not in (None, "libsql"):
            raise ConfigurationError("an embedded replica always uses the libsql driver")
        from libsqlkit._replica import ReplicaDriver

        opened = ReplicaDriver(
            path,
            sync_url=sync_url,
            auth_token=token,
            sync_interval=_sync_interval(sync_interval),
            timeout=timeout,
            busy_timeout_ms=busy_timeout_ms,
        )
        return Database(opened, schema, url)
    chosen = driver or "sqlite3"
    if chosen not in ("sqlite3", "libsql"):
        raise ConfigurationError(f"unknown driver {chosen!r}: use 'sqlite3' or 'libsql'")
    opened = open_driver(chosen, path, busy_timeout_ms=busy_timeout_ms)
    db = Database(opened, schema, url)
    if wal and path != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _sync_interval(value: float | None) -> float | None:
    if value is None:
        text = os.environ.get(SYNC_INTERVAL_VARIABLE)
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise ConfigurationError(
                f"{SYNC_INTERVAL_VARIABLE} must be a number of seconds, got {text!r}"
            ) from None
    if value <= 0:
        raise ConfigurationError(f"the sync interval must be positive, got {value}")
    return value
