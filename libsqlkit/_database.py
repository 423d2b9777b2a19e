"""The sync database client: runs plans, scopes transactions to their caller.

Transaction scope follows the caller (a thread or an asyncio task, through a context
variable), never the thread alone: a statement from a caller that does not own an open
transaction never runs inside it. Reads outside a transaction run in parallel with it;
writes wait for the writer (local files) or go on a stream of their own (remote).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from contextvars import ContextVar, Token
from typing import Any, Protocol, TypeVar

from libsqlkit._drivers import DriverError, DriverName
from libsqlkit._errors import ConfigurationError, DatabaseError, SchemaStateError, driver_failure
from libsqlkit._plan import Plan, Scan, Statement, all_rows, is_write, rows_plan
from libsqlkit._rows import Row
from libsqlkit._schema import Schema
from libsqlkit._sync_report import SyncReport
from libsqlkit._usage import STORAGE, Usage
from libsqlkit._values import check_params

__all__ = [
    "EXISTING_TABLES",
    "Database",
    "Engine",
    "Session",
    "Shell",
    "SyncBackend",
    "check_statements",
    "ending",
    "opening",
]

R = TypeVar("R")
Results = list[list[Row]]
_log = logging.getLogger("libsqlkit.sync")


class Session(Protocol):
    """What one caller holds for its transaction: the leased writer, or a stream."""

    def execute(self, statements: Sequence[Statement]) -> Results: ...

    def begin(self) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def set_foreign_keys(self, enabled: bool) -> None: ...

    def release(self) -> None: ...


class Engine(Protocol):
    """Where statements run: a local file, a remote server or an embedded replica."""

    name: DriverName

    def session(self) -> Session: ...

    def read(self, statements: Sequence[Statement]) -> Results: ...

    def write(self, statements: Sequence[Statement]) -> Results: ...

    def close(self) -> None: ...


class SyncBackend(Protocol):
    """What `Database.sync()` calls: the offline syncer, or the replica's pull."""

    def sync(self, db: Database) -> SyncReport: ...

    def pending(self, db: Database) -> dict[str, int]: ...

    def close(self) -> None: ...


class _Scope:
    """What one caller holds of one database: its session, its transaction depth."""

    __slots__ = ("depth", "open", "session")

    def __init__(self, session: Any) -> None:
        self.session = session
        self.depth = 0
        self.open = True


def check_statements(statements: Sequence[Statement]) -> None:
    """Refuse values that cannot be stored exactly, and SQL that is not text (which each
    driver would refuse in its own words, or a JSON writer spell as text), before
    anything runs."""
    for s in statements:
        if type(s.sql) is not str:
            raise TypeError(f"SQL is a str, not {type(s.sql).__name__}")
        for params in s.rows if s.rows is not None else (s.params,):
            check_params(params, table=s.table, labels=s.labels)


# A transaction's steps, for both shells: what opens it at a nesting depth, and what
# ends it (commit or roll back). A step is a session call or statements to execute.
Step = str | tuple[Statement, ...]


def opening(depth: int) -> Step:
    """BEGIN for the outermost transaction, a savepoint for a nested one."""
    return "begin" if depth == 0 else (Statement(f"SAVEPOINT libsqlkit_{depth}"),)


def ending(depth: int, *, ok: bool) -> Step:
    savepoint = f"libsqlkit_{depth}"
    if depth == 0:
        return "commit" if ok else "rollback"
    if ok:
        return (Statement(f"RELEASE {savepoint}"),)
    return (Statement(f"ROLLBACK TO {savepoint}"), Statement(f"RELEASE {savepoint}"))


def step_sql(step: Step) -> str:
    return step.upper() if isinstance(step, str) else "; ".join(s.sql for s in step)


class Shell:
    """What both database shells share: the schema's constraint names, the caller's
    scope, and the translation of a driver's failure into the typed errors."""

    def __init__(self, schema: Schema, url: str) -> None:
        self._schema = schema
        self._url = url
        self._constraints = schema.constraints()
        self._scope: ContextVar[_Scope | None] = ContextVar(f"libsqlkit-{id(self)}", default=None)

    @property
    def url(self) -> str:
        """The database URL (it never contains the auth token)."""
        return self._url

    @property
    def schema(self) -> Schema:
        return self._schema

    def _current(self) -> _Scope | None:
        scope = self._scope.get()
        return scope if scope is not None and scope.open else None

    @property
    def in_transaction(self) -> bool:
        """Whether the calling thread or task has a transaction open on this client."""
        scope = self._current()
        return scope is not None and scope.depth > 0

    def _translate(self, exc: DriverError, statements: Sequence[Statement]) -> DatabaseError:
        first = statements[0] if statements else None
        labels = first.labels if first is not None else None
        return driver_failure(
            str(exc),
            integrity=exc.integrity,
            constraints=self._constraints,
            table=first.table if first is not None else None,
            sql="; ".join(s.sql for s in statements),
            written=None if labels is None else [_column_of(label) for label in labels],
        )

    def _step_failure(self, exc: DriverError, step: Step) -> DatabaseError:
        return self._translate(exc, (Statement(step_sql(step)),))

    def _missing_schema(self, present: set[str]) -> bool:
        """create_schema's check: True when the schema must be created."""
        wanted = {table.name for table in self._schema.tables}
        found = wanted & present
        if found == wanted:
            return False
        if found:
            raise SchemaStateError(
                f"{self.url} has some of the schema's tables ({', '.join(sorted(found))}) "
                f"but not {', '.join(sorted(wanted - found))}: apply migrations instead"
            )
        return True

    def _usage_refusal(self, kind: str) -> ConfigurationError:
        return ConfigurationError(
            f"usage() adds up what a libSQL server reports (remote URLs); this database is {kind}"
        )

    def _sync_refusal(self, kind: str) -> ConfigurationError:
        return ConfigurationError(
            "sync() needs a sync URL (TURSO_SYNC_URL) with a file: URL, and in offline "
            f"mode tables with sync: true; this database is {kind}"
        )


EXISTING_TABLES = "SELECT name FROM sqlite_schema WHERE type = 'table'"


def _column_of(label: str) -> str:
    """'table.column' (or 'table.column (default flag)') -> 'column'."""
    return label.partition(".")[2].partition(" ")[0]


def _all(found: Results) -> Results:
    return found


def _none(found: Results) -> None:
    return None


class Database(Shell):
    """A client of one database, safe to share between threads and tasks.

    Statements run in autocommit mode unless inside the caller's `transaction()`.
    """

    def __init__(
        self,
        engine: Engine,
        schema: Schema,
        url: str,
        *,
        sync: SyncBackend | None = None,
        sync_interval: float | None = None,
    ) -> None:
        super().__init__(schema, url)
        self._engine = engine
        self._sync = sync
        self._stop = threading.Event()
        self._background: threading.Thread | None = None
        self.last_sync_error: Exception | None = None  # of the background sync, if any
        if sync is not None and sync_interval is not None:
            self._background = threading.Thread(
                target=self._sync_every, args=(sync_interval,), name="libsqlkit-sync", daemon=True
            )
            self._background.start()

    @property
    def driver(self) -> DriverName:
        return self._engine.name

    @property
    def round_trips(self) -> int:
        """HTTP requests sent to a server so far (0 for a local file)."""
        return int(getattr(self._engine, "round_trips", 0))

    def __repr__(self) -> str:
        return f"Database(url={self.url!r}, driver={self.driver!r})"

    def usage(self) -> Usage:
        """Rows this client read and wrote this month, as the server reported them, and
        the bytes the database takes now (one round trip); remote servers only."""
        usage = getattr(self._engine, "usage", None)
        if usage is None:
            raise self._usage_refusal(self.driver)
        try:
            found: Usage = usage()
        except DriverError as exc:
            raise self._translate(exc, STORAGE) from exc
        return found

    # -- running ---------------------------------------------------------------------

    def run(self, plan: Plan[R]) -> R:
        """Run a plan (what repositories and the query builder build) and decode it."""
        statements = plan.statements
        check_statements(statements)
        scope = self._current()
        try:
            if scope is not None:
                found = scope.session.execute(statements)
            elif plan.write:
                found = self._engine.write(statements)
            else:
                found = self._engine.read(statements)
        except DriverError as exc:
            raise self._translate(exc, statements) from exc
        return plan.decode(found)

    def iter(self, scan: Scan[R]) -> Generator[R]:
        """A scan's results a chunk at a time (what `iter_many` and `.iter()` run): on a
        local file one cursor over one snapshot, holding a reader while the caller
        iterates; remotely, on a replica or inside the caller's transaction, keyset pages."""
        stream: Callable[[Statement, int], Generator[list[Row]]] | None = getattr(
            self._engine, "stream", None
        )
        if stream is not None and self._current() is None:
            check_statements((scan.whole,))
            with closing(stream(scan.whole, scan.size)) as chunks:
                while True:
                    try:
                        rows = next(chunks, None)
                    except DriverError as exc:
                        raise self._translate(exc, (scan.whole,)) from exc
                    if rows is None:
                        return
                    yield from scan.decode(rows)
        page: Statement | None = scan.first
        while page is not None:
            rows = self.run(Plan((page,), all_rows, write=False))
            yield from scan.decode(rows)
            page = scan.next_page(rows) if rows else None

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
        return self.run(rows_plan(sql, params, table=table, labels=labels))

    def execute_many(
        self,
        sql: str,
        rows: Iterable[Sequence[Any]],
        *,
        table: str | None = None,
        labels: Sequence[str] | None = None,
    ) -> None:
        """Run one statement for each parameter row, all or nothing (one round trip remotely)."""
        statement = Statement(sql, (), table, labels, rows=list(rows))
        self.run(Plan((statement,), _none, write=True))

    def batch(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Row]]:
        """Run statements in order, all or nothing; remotely in one round trip.

        Returns the rows of each statement.
        """
        if not statements:
            return []
        plan = Plan(
            tuple(Statement(sql, params) for sql, params in statements),
            _all,
            write=any(is_write(sql) for sql, _ in statements),
        )
        return self.run(plan)

    def _step(self, session: Session, step: Step) -> None:
        try:
            if isinstance(step, str):
                getattr(session, step)()
            else:
                session.execute(step)
        except DriverError as exc:
            raise self._step_failure(exc, step) from exc

    def _foreign_keys(self, session: Session, enabled: bool) -> None:
        try:
            session.set_foreign_keys(enabled)
        except DriverError as exc:
            raise self._step_failure(exc, f"PRAGMA foreign_keys = {enabled}") from exc

    # -- transactions ----------------------------------------------------------------

    def _enter(self) -> tuple[_Scope, Token[_Scope | None] | None]:
        """The caller's scope: the open one, or a new one holding a new session."""
        scope = self._current()
        if scope is not None:
            return scope, None
        try:
            session = self._engine.session()
        except DriverError as exc:
            raise self._translate(exc, (Statement("BEGIN"),)) from exc
        scope = _Scope(session)
        return scope, self._scope.set(scope)

    def _leave(self, scope: _Scope, token: Token[_Scope | None] | None) -> None:
        if token is None:
            return
        scope.open = False
        self._scope.reset(token)
        scope.session.release()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Commit on success, roll back on any exception; nested calls use savepoints.

        The transaction belongs to the calling thread or task: other callers' statements
        never run inside it. Their reads go on; their writes wait for it to end.
        """
        scope, token = self._enter()
        try:
            depth = scope.depth
            self._step(scope.session, opening(depth))
            scope.depth = depth + 1
            try:
                yield self
            except BaseException:
                scope.depth = depth
                self._step(scope.session, ending(depth, ok=False))
                raise
            scope.depth = depth
            try:
                self._step(scope.session, ending(depth, ok=True))
            except BaseException:
                if depth == 0:
                    self._step(scope.session, "rollback")
                raise
        finally:
            self._leave(scope, token)

    @contextmanager
    def foreign_keys_off(self) -> Iterator[Database]:
        """Foreign keys unenforced for what this caller runs inside; other callers wait.

        PRAGMA foreign_keys takes effect only outside a transaction, so this opens no
        transaction itself: open one inside it. For whole-database steps that are only
        consistent at their end (a table rebuild, a page of synced rows). Remote servers
        enforce foreign keys too (sqld does, per HTTP stream): there the PRAGMA opens the
        caller's stream.
        """
        scope, token = self._enter()
        try:
            if scope.depth > 0:
                raise ConfigurationError("foreign keys can only be switched outside a transaction")
            self._foreign_keys(scope.session, False)
            try:
                yield self
            finally:
                self._foreign_keys(scope.session, True)
        finally:
            self._leave(scope, token)

    # -- sync ------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Offline mode: send local changes, receive remote ones (last write wins).
        Replica mode: pull the primary's latest changes into the embedded replica.

        Offline mode holds the database only for its local reads and writes, never while
        waiting for the network; it cannot run inside the caller's open transaction.
        """
        if self._sync is None:
            raise self._sync_refusal(self.driver)
        if self.in_transaction:
            raise ConfigurationError("sync() cannot run inside a transaction")
        return self._sync.sync(self)

    def pending_changes(self) -> dict[str, int]:
        """Offline mode: per synced table, rows changed here and not yet sent (for an
        app's "unsynced changes" badge)."""
        if self._sync is None:
            raise ConfigurationError("pending_changes() needs offline sync mode")
        return self._sync.pending(self)

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

    # -- schema ----------------------------------------------------------------------

    def existing_tables(self) -> set[str]:
        return {name for (name,) in self.execute(EXISTING_TABLES)}

    def create_schema(self) -> bool:
        """Create the schema in an empty database; True if it was created.

        A database that already has every table is left alone. One with only some of
        them is refused: that needs a migration, not a blind CREATE.
        """
        if not self._missing_schema(self.existing_tables()):
            return False
        with self.transaction():
            for statement in self._schema.ddl:
                self.execute(statement)
        return True

    def close(self) -> None:
        self._stop.set()
        if self._background is not None:
            self._background.join()
        if self._sync is not None:
            self._sync.close()
        self._engine.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
