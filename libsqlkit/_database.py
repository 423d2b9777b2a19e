"""The database client: one connection, explicit transactions, typed errors."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from libsqlkit._drivers import Driver, DriverError, DriverName, LocalDriverName, Row, open_driver
from libsqlkit._errors import (
    Busy,
    ConfigurationError,
    DatabaseError,
    SchemaStateError,
    constraint_error,
)
from libsqlkit._schema import Schema
from libsqlkit._sync import Syncer, SyncReport
from libsqlkit._url import (
    MEMORY,
    SYNC_INTERVAL_VARIABLE,
    SYNC_MODE_VARIABLE,
    SYNC_URL_VARIABLE,
    TOKEN_VARIABLE,
    database_url,
    file_path,
    url_scheme,
)
from libsqlkit._url import (
    auth_token as clean_token,
)
from libsqlkit._values import check_params

__all__ = ["Database", "SyncMode", "connect"]

DEFAULT_BUSY_TIMEOUT_MS = 5000
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_OFFLINE_SYNC_INTERVAL_S = 60.0  # the design's background sync period

SyncMode = Literal["replica", "offline"]
_log = logging.getLogger("libsqlkit.sync")


class Database:
    """A connection to one database, safe to share between threads.

    Statements run in autocommit mode unless inside `transaction()`; a transaction holds
    the connection for its thread until it ends.
    """

    def __init__(
        self,
        driver: Driver,
        schema: Schema,
        url: str,
        *,
        syncer: Syncer | None = None,
        sync_interval: float | None = None,
    ) -> None:
        self._driver = driver
        self._schema = schema
        self._url = url
        self._checks = schema.check_constraints()
        self._lock = threading.RLock()
        self._depth = 0
        self._syncer = syncer
        self._stop = threading.Event()
        self._background: threading.Thread | None = None
        self.last_sync_error: Exception | None = None  # of the background sync, if any
        if syncer is not None and sync_interval is not None:
            self._background = threading.Thread(
                target=self._sync_every,
                args=(sync_interval,),
                name="libsqlkit-sync",
                daemon=True,
            )
            self._background.start()

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
        self,
        sql: str,
        params: Sequence[Any] = (),
        *,
        table: str | None = None,
        labels: Sequence[str] | None = None,
    ) -> list[Row]:
        """Run one statement with bound parameters and return all its rows.

        Values that cannot be stored exactly are refused first (InvalidValue), named by
        `labels` (one per parameter) when given.
        """
        check_params(params, table=table, labels=labels)
        with self._lock:
            try:
                return self._driver.execute(sql, params)
            except DriverError as exc:
                raise self._translate(exc, sql, table) from exc

    def execute_many(
        self,
        sql: str,
        rows: Iterable[Sequence[Any]],
        *,
        table: str | None = None,
        labels: Sequence[str] | None = None,
    ) -> None:
        """Run one statement for each parameter row, all or nothing (one round trip remotely)."""
        rows = list(rows)
        for params in rows:
            check_params(params, table=table, labels=labels)
        with self._lock:
            try:
                self._driver.execute_many(sql, rows, own_transaction=self._depth == 0)
            except DriverError as exc:
                raise self._translate(exc, sql, table) from exc

    def batch(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Row]]:
        """Run statements in order, all or nothing; remotely in one round trip.

        Returns the rows of each statement.
        """
        for _, params in statements:
            check_params(params)
        with self._lock:
            try:
                return self._driver.batch(statements, own_transaction=self._depth == 0)
            except DriverError as exc:
                raise self._translate(exc, "; ".join(sql for sql, _ in statements), None) from exc

    def sync(self) -> SyncReport:
        """Offline mode: send local changes, receive remote ones (last write wins).
        Replica mode: pull the primary's latest changes into the embedded replica.

        Offline mode holds the database only for its local reads and writes, never while
        waiting for the network; it cannot run inside this thread's open transaction.
        """
        if self._syncer is not None:
            if self._lock.acquire(blocking=False):  # free, or held by this thread
                try:
                    if self._depth > 0:
                        raise ConfigurationError("sync() cannot run inside a transaction")
                finally:
                    self._lock.release()
            return self._syncer.sync(self)
        sync = getattr(self._driver, "sync", None)
        if sync is None:
            raise ConfigurationError(
                "sync() needs a sync URL (TURSO_SYNC_URL) with a file: URL, and in offline "
                f"mode tables with sync: true; this database is {self.driver}"
            )
        with self._lock:
            sync()
        return SyncReport(pushed=0, pulled=None)

    def pending_changes(self) -> dict[str, int]:
        """Offline mode: per synced table, rows changed here and not yet sent (for an
        app's "unsynced changes" badge)."""
        if self._syncer is None:
            raise ConfigurationError("pending_changes() needs offline sync mode")
        return self._syncer.pending(self)

    def _sync_every(self, interval: float) -> None:
        """The background sync: failures are kept and logged, and the next round retries."""
        while not self._stop.wait(interval):
            try:
                report = self.sync()
            except Exception as exc:  # a background thread must go on
                self.last_sync_error = exc
                _log.warning("background sync failed: %s", exc)
            else:
                self.last_sync_error = None
                _log.debug("background sync: %s", report)

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

    @contextmanager
    def foreign_keys_off(self) -> Iterator[Database]:
        """Foreign keys unenforced for what runs inside, which no other thread can enter.

        PRAGMA foreign_keys takes effect only outside a transaction, so this opens no
        transaction itself: open one inside it. For whole-database steps that are only
        consistent at their end (a table rebuild, a page of synced rows). Remote servers
        enforce foreign keys too (sqld does, per HTTP stream): there the PRAGMA opens each
        stream used inside.
        """
        with self._lock:
            if self._depth > 0:
                raise ConfigurationError("foreign keys can only be switched outside a transaction")
            self._set_foreign_keys(False)
            try:
                yield self
            finally:
                self._set_foreign_keys(True)

    def _set_foreign_keys(self, enabled: bool) -> None:
        try:
            self._driver.set_foreign_keys(enabled)
        except DriverError as exc:
            sql = f"PRAGMA foreign_keys = {'ON' if enabled else 'OFF'}"
            raise self._translate(exc, sql, None) from exc

    def _call(self, action: Callable[[], None]) -> None:
        try:
            action()
        except DriverError as exc:
            raise self._translate(exc, action.__name__.upper(), None) from exc

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
        self._stop.set()
        if self._background is not None:
            self._background.join()
        if self._syncer is not None:
            self._syncer.close()
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
        if "database is locked" in message or "database table is locked" in message:
            return Busy(
                f"{message}: another connection (a migration, or a long transaction) held the "
                "write lock for longer than the busy timeout; nothing was done. Retry, or "
                "open the client with a longer busy_timeout_ms",
                sql=sql,
            )
        return DatabaseError(message, sql=sql)


def connect(
    schema: Schema,
    url: str | None = None,
    *,
    auth_token: str | None = None,
    driver: LocalDriverName | None = None,
    sync_url: str | None = None,
    sync_mode: SyncMode | None = None,
    sync_interval: float | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    wal: bool = True,
) -> Database:
    """Open the database for `schema`; arguments override the environment.

    - `file:` URL → a local file (driver sqlite3 by default, or libsql);
    - `file:` URL plus a sync URL (`TURSO_SYNC_URL`), by `sync_mode` (`TURSO_SYNC_MODE`):
      - `replica` (default) → an embedded replica of that primary: reads are local,
        writes go to the primary, pulled every `sync_interval` seconds and by `sync()`;
      - `offline` → a local file that works fully offline; `sync()` and a background
        sync every `sync_interval` seconds (default 60; 0 turns it off) exchange the
        changes of `sync: true` tables with the server, last write wins;
    - `libsql://` (TLS), `https://`, `http://` → the remote server itself.

    `sync_url=""` means no sync URL, whatever the environment says.
    The auth token (`TURSO_AUTH_TOKEN`) is sent only to remote servers, never for a plain
    `file:` URL. Every remote call is bounded by `timeout` seconds.
    """
    url = database_url(url)
    scheme = url_scheme(url)
    sync_url = (sync_url if sync_url is not None else os.environ.get(SYNC_URL_VARIABLE)) or None
    remote = scheme != "file" or sync_url is not None
    token = (
        clean_token(auth_token if auth_token is not None else os.environ.get(TOKEN_VARIABLE))
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
    mode = _sync_mode(sync_mode) if sync_url is not None else None
    if sync_url is not None and mode == "replica":
        if driver not in (None, "libsql"):
            raise ConfigurationError("an embedded replica always uses the libsql driver")
        from libsqlkit._replica import ReplicaDriver

        replica = ReplicaDriver(
            path,
            sync_url=sync_url,
            auth_token=token,
            sync_interval=_sync_interval(sync_interval, default=None),
            timeout=timeout,
            busy_timeout_ms=busy_timeout_ms,
        )
        return Database(replica, schema, url)
    chosen = driver or "sqlite3"
    if chosen not in ("sqlite3", "libsql"):
        raise ConfigurationError(f"unknown driver {chosen!r}: use 'sqlite3' or 'libsql'")
    syncer = None
    # Tools that open the database without a schema (migrations, studio) get the file.
    if sync_url is not None and schema.synced:
        from libsqlkit._hrana import HranaDriver

        server = HranaDriver(sync_url, auth_token=token, timeout=timeout)
        syncer = Syncer(Database(server, schema, sync_url), server, schema)
    opened = _open_local(chosen, path, url, busy_timeout_ms=busy_timeout_ms, wal=wal)
    interval = _sync_interval(sync_interval, default=DEFAULT_OFFLINE_SYNC_INTERVAL_S)
    return Database(opened, schema, url, syncer=syncer, sync_interval=interval if syncer else None)


def _open_local(
    name: LocalDriverName, path: str, url: str, *, busy_timeout_ms: int, wal: bool
) -> Driver:
    """Open and set up a local file, or fail with a typed error and leave it as it was.

    SQLite opens lazily: a file that is not a database fails at the first statement. The
    connection is then closed, which removes the -wal/-shm files it made.
    """
    sidecars = [Path(path + suffix) for suffix in ("-wal", "-shm")]
    existed = [sidecar.exists() for sidecar in sidecars]
    opened: Driver | None = None
    try:
        opened = open_driver(name, path, busy_timeout_ms=busy_timeout_ms)
        opened.execute("SELECT count(*) FROM sqlite_schema", ())
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


def _sync_mode(value: SyncMode | None) -> SyncMode:
    chosen = value or os.environ.get(SYNC_MODE_VARIABLE) or "replica"
    if chosen == "replica":
        return "replica"
    if chosen == "offline":
        return "offline"
    raise ConfigurationError(
        f"unknown sync mode {chosen!r} ({SYNC_MODE_VARIABLE}): use 'replica' or 'offline'"
    )


def _sync_interval(value: float | None, *, default: float | None) -> float | None:
    """Seconds between background syncs; 0 turns them off."""
    if value is None:
        text = os.environ.get(SYNC_INTERVAL_VARIABLE)
        if not text:
            return default
        try:
            value = float(text)
        except ValueError:
            raise ConfigurationError(
                f"{SYNC_INTERVAL_VARIABLE} must be a number of seconds, got {text!r}"
            ) from None
    if value < 0 or value != value:
        raise ConfigurationError(f"the sync interval must be 0 (off) or positive, got {value}")
    return value or None
