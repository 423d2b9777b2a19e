"""The async database client: the same plans as the sync `Database`, awaited.

Each task's transaction is its own (a context variable follows the task); a statement of
another task never runs inside it. Reads run in parallel; local SQLite work runs on the
connections' own threads and remote calls on asyncio, so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Sequence
from contextvars import Token
from typing import Any, Protocol, TypeVar

from libsqlkit._database import (
    EXISTING_TABLES,
    Shell,
    Step,
    _Scope,
    check_statements,
    ending,
    opening,
)
from libsqlkit._drivers import DriverError, DriverName
from libsqlkit._errors import ConfigurationError
from libsqlkit._plan import Plan, Scan, Statement, all_rows, is_write, rows_plan
from libsqlkit._rows import Row
from libsqlkit._schema import Schema
from libsqlkit._sync_report import SyncReport
from libsqlkit._usage import STORAGE, Usage

__all__ = ["AsyncDatabase", "AsyncEngine", "AsyncSession", "AsyncSyncBackend"]

R = TypeVar("R")
Results = list[list[Row]]
_log = logging.getLogger("libsqlkit.sync")


class AsyncSession(Protocol):
    """What one task holds for its transaction: the leased writer, or a stream."""

    async def execute(self, statements: Sequence[Statement]) -> Results: ...

    async def begin(self) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def set_foreign_keys(self, enabled: bool) -> None: ...

    async def release(self) -> None: ...


class AsyncEngine(Protocol):
    name: DriverName

    async def session(self) -> AsyncSession: ...

    async def read(self, statements: Sequence[Statement]) -> Results: ...

    async def write(self, statements: Sequence[Statement]) -> Results: ...

    async def close(self) -> None: ...


class AsyncSyncBackend(Protocol):
    """What `AsyncDatabase.sync()` awaits: the offline syncer, or the replica's pull."""

    async def sync(self, db: AsyncDatabase) -> SyncReport: ...

    async def pending(self, db: AsyncDatabase) -> dict[str, int]: ...

    async def close(self) -> None: ...


def _all(found: Results) -> Results:
    return found


def _none(found: Results) -> None:
    return None


class AsyncDatabase(Shell):
    """An async client of one database, safe to share between tasks.

    Use one per process (e.g. created in a FastAPI lifespan); `async with` or
    `await db.close()` ends it.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        schema: Schema,
        url: str,
        *,
        sync: AsyncSyncBackend | None = None,
        sync_interval: float | None = None,
    ) -> None:
        super().__init__(schema, url)
        self._engine = engine
        self._sync = sync
        self._sync_interval = sync_interval if sync is not None else None
        self._background: asyncio.Task[None] | None = None
        self.last_sync_error: Exception | None = None  # of the background sync, if any

    @property
    def driver(self) -> DriverName:
        return self._engine.name

    @property
    def round_trips(self) -> int:
        """HTTP requests sent to a server so far (0 for a local file)."""
        return int(getattr(self._engine, "round_trips", 0))

    def __repr__(self) -> str:
        return f"AsyncDatabase(url={self.url!r}, driver={self.driver!r})"

    async def usage(self) -> Usage:
        """Rows this client read and wrote this month, as the server reported them, and
        the bytes the database takes now (one round trip); remote servers only."""
        usage = getattr(self._engine, "usage", None)
        if usage is None:
            raise self._usage_refusal(self.driver)
        try:
            found: Usage = await usage()
        except DriverError as exc:
            raise self._translate(exc, STORAGE) from exc
        return found

    # -- running ---------------------------------------------------------------------

    async def run(self, plan: Plan[R]) -> R:
        """Run a plan (what repositories and the query builder build) and decode it."""
        if self._sync_interval is not None and self._background is None:
            self._start_background()
        statements = plan.statements
        check_statements(statements)
        scope = self._current()
        try:
            if scope is not None:
                found = await scope.session.execute(statements)
            elif plan.write:
                found = await self._engine.write(statements)
            else:
                found = await self._engine.read(statements)
        except DriverError as exc:
            raise self._translate(exc, statements) from exc
        return plan.decode(found)

    async def iter(self, scan: Scan[R]) -> AsyncGenerator[R]:
        """`Database.iter`: a local file's chunks fetched on its reader's own thread."""
        stream: Callable[[Statement, int], AsyncGenerator[list[Row]]] | None = getattr(
            self._engine, "stream", None
        )
        if stream is not None and self._current() is None:
            check_statements((scan.whole,))
            async with contextlib.aclosing(stream(scan.whole, scan.size)) as chunks:
                while True:
                    try:
                        rows = await anext(chunks, None)
                    except DriverError as exc:
                        raise self._translate(exc, (scan.whole,)) from exc
                    if rows is None:
                        return
                    for result in scan.decode(rows):
                        yield result
        page: Statement | None = scan.first
        while page is not None:
            rows = await self.run(Plan((page,), all_rows, write=False))
            for result in scan.decode(rows):
                yield result
            page = scan.next_page(rows) if rows else None

    async def execute(
        self,
        sql: str,
        params: Sequence[Any] = (),
        *,
        table: str | None = None,
        labels: Sequence[str] | None = None,
    ) -> list[Row]:
        """Run one statement with bound parameters and return all its rows."""
        return await self.run(rows_plan(sql, params, table=table, labels=labels))

    async def execute_many(
        self,
        sql: str,
        rows: Iterable[Sequence[Any]],
        *,
        table: str | None = None,
        labels: Sequence[str] | None = None,
    ) -> None:
        """Run one statement for each parameter row, all or nothing."""
        statement = Statement(sql, (), table, labels, rows=list(rows))
        await self.run(Plan((statement,), _none, write=True))

    async def batch(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Row]]:
        """Run statements in order, all or nothing; remotely in one round trip."""
        if not statements:
            return []
        plan = Plan(
            tuple(Statement(sql, params) for sql, params in statements),
            _all,
            write=any(is_write(sql) for sql, _ in statements),
        )
        return await self.run(plan)

    async def _step(self, session: AsyncSession, step: Step) -> None:
        try:
            if isinstance(step, str):
                await getattr(session, step)()
            else:
                await session.execute(step)
        except DriverError as exc:
            raise self._step_failure(exc, step) from exc

    async def _foreign_keys(self, session: AsyncSession, enabled: bool) -> None:
        try:
            await session.set_foreign_keys(enabled)
        except DriverError as exc:
            raise self._step_failure(exc, f"PRAGMA foreign_keys = {enabled}") from exc

    # -- transactions ----------------------------------------------------------------

    async def _enter(self) -> tuple[_Scope, Token[_Scope | None] | None]:
        scope = self._current()
        if scope is not None:
            return scope, None
        try:
            session = await self._engine.session()
        except DriverError as exc:
            raise self._step_failure(exc, "begin") from exc
        scope = _Scope(session)
        return scope, self._scope.set(scope)

    async def _leave(self, scope: _Scope, token: Token[_Scope | None] | None) -> None:
        if token is None:
            return
        scope.open = False
        self._scope.reset(token)
        await scope.session.release()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncDatabase]:
        """Commit on success, roll back on any exception (cancellation included);
        nested calls use savepoints. The transaction belongs to the calling task."""
        scope, token = await self._enter()
        try:
            depth = scope.depth
            await self._step(scope.session, opening(depth))
            scope.depth = depth + 1
            try:
                yield self
            except BaseException:
                scope.depth = depth
                await asyncio.shield(self._step(scope.session, ending(depth, ok=False)))
                raise
            scope.depth = depth
            try:
                await self._step(scope.session, ending(depth, ok=True))
            except BaseException:
                if depth == 0:
                    await asyncio.shield(self._step(scope.session, "rollback"))
                raise
        finally:
            await self._leave(scope, token)

    @contextlib.asynccontextmanager
    async def foreign_keys_off(self) -> AsyncIterator[AsyncDatabase]:
        """Foreign keys unenforced for what this task runs inside; open a transaction in it."""
        scope, token = await self._enter()
        try:
            if scope.depth > 0:
                raise ConfigurationError("foreign keys can only be switched outside a transaction")
            await self._foreign_keys(scope.session, False)
            try:
                yield self
            finally:
                await self._foreign_keys(scope.session, True)
        finally:
            await self._leave(scope, token)

    # -- sync ------------------------------------------------------------------------

    async def sync(self) -> SyncReport:
        """Offline mode: send local changes, receive remote ones (last write wins).
        Replica mode: pull the primary's latest changes into the embedded replica."""
        if self._sync is None:
            raise self._sync_refusal(self.driver)
        if self.in_transaction:
            raise ConfigurationError("sync() cannot run inside a transaction")
        return await self._sync.sync(self)

    async def run_locally(self, work: Callable[[Any], R], *, foreign_keys_off: bool = False) -> R:
        """Sync `work(executor)` in one transaction on the local writer, on its own thread
        (the offline syncer's local steps); local files only."""
        transact = getattr(self._engine, "transact", None)
        if transact is None:
            raise ConfigurationError(
                f"run_locally() needs a local file; this database is {self.driver}"
            )
        result: R = await transact(
            work, foreign_keys_off=foreign_keys_off, translate=self._translate
        )
        return result

    async def pending_changes(self) -> dict[str, int]:
        """Offline mode: per synced table, rows changed here and not yet sent."""
        if self._sync is None:
            raise ConfigurationError("pending_changes() needs offline sync mode")
        return await self._sync.pending(self)

    def _start_background(self) -> None:
        assert self._sync_interval is not None
        self._background = asyncio.get_running_loop().create_task(
            self._sync_every(self._sync_interval), name="libsqlkit-sync"
        )

    async def _sync_every(self, interval: float) -> None:
        """The background sync, a task of the client's loop: failures are kept and logged,
        and the next round retries."""
        while True:
            await asyncio.sleep(interval)
            try:
                report = await self.sync()
            except Exception as exc:  # a background task must go on
                self.last_sync_error = exc
                _log.warning("background sync failed: %s", exc)
            else:
                self.last_sync_error = None
                _log.debug("background sync: %s", report)

    # -- schema ----------------------------------------------------------------------

    async def existing_tables(self) -> set[str]:
        return {name for (name,) in await self.execute(EXISTING_TABLES)}

    async def create_schema(self) -> bool:
        """Create the schema in an empty database; True if it was created."""
        if not self._missing_schema(await self.existing_tables()):
            return False
        async with self.transaction():
            for statement in self._schema.ddl:
                await self.execute(statement)
        return True

    async def close(self) -> None:
        if self._background is not None:
            self._background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._background
        if self._sync is not None:
            await self._sync.close()
        await self._engine.close()

    async def __aenter__(self) -> AsyncDatabase:
        if self._sync_interval is not None and self._background is None:
            self._start_background()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
