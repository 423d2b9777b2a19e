"""A local file: one writer connection, reader connections in parallel (WAL).

Writes serialize on the writer: a caller leases it for a transaction (or for one
autocommit write) and gives it back. Reads outside a transaction run on a reader, so
they never wait behind another caller's transaction; WAL shows them the last commit.
The sync engine waits with thread locks; the async engine gives each connection a
thread of its own (as aiosqlite does) and waits with asyncio, so its event loop never
blocks on a lock or a disk.
"""

from __future__ import annotations

import asyncio
import functools
import queue
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, TypeVar

from libsqlkit._drivers import (
    MEMORY,
    DriverError,
    DriverName,
    LocalConnection,
    LocalDriverName,
    open_local,
)
from libsqlkit._errors import Busy, ConfigurationError, WouldBlock
from libsqlkit._plan import Statement
from libsqlkit._rows import Row
from libsqlkit._values import check_params

__all__ = ["AsyncLocalEngine", "AsyncLocalSession", "LocalEngine", "LocalSession"]

T = TypeVar("T")
Results = list[list[Row]]
_READ_ONLY = "attempt to write a readonly database"


def _chunks(rows: list[Row], size: int) -> Iterator[list[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _waited_too_long(seconds: float) -> Busy:
    return Busy(
        f"another caller of this client held the writer for longer than the busy timeout "
        f"({seconds:g} s): a long transaction or a migration; nothing was done. Retry, "
        "or open the client with a longer busy_timeout_ms"
    )


class _Connections:
    """How the file is opened, and the pool's size: shared by both engines."""

    def __init__(
        self,
        name: LocalDriverName,
        path: str,
        url: str,
        *,
        busy_timeout_ms: int,
        wal: bool,
        pool_size: int,
    ) -> None:
        self.name: DriverName = name
        self.open = functools.partial(
            open_local, name, path, url, busy_timeout_ms=busy_timeout_ms, wal=wal
        )
        # A memory database is private to its connection, and without WAL readers wait
        # for writers anyway: then everything runs on the writer.
        self.readers = pool_size if wal and path != MEMORY else 0
        self.wait = busy_timeout_ms / 1000


class LocalSession:
    """The writer, leased to one caller until `release()`."""

    def __init__(self, engine: LocalEngine) -> None:
        self._engine = engine
        self.in_transaction = False

    def execute(self, statements: Sequence[Statement]) -> Results:
        writer = self._engine.writer
        return writer.run(statements) if self.in_transaction else writer.run_atomically(statements)

    def begin(self) -> None:
        self._engine.writer.begin()
        self.in_transaction = True

    def commit(self) -> None:
        self.in_transaction = False
        self._engine.writer.commit()

    def rollback(self) -> None:
        self.in_transaction = False
        self._engine.writer.rollback()

    def set_foreign_keys(self, enabled: bool) -> None:
        self._engine.writer.set_foreign_keys(enabled)

    def release(self) -> None:
        self._engine.unlock()


class LocalEngine:
    """The sync engine of a local file."""

    def __init__(self, connections: _Connections) -> None:
        self._connections = connections
        self.name = connections.name
        self.writer = connections.open()
        self._lock = threading.Lock()
        self._holder: int | None = None
        self._idle: list[LocalConnection] = []
        self._opened = 0
        self._waiting = 0  # callers waiting in `_take` for a reader
        self._free = threading.Condition()

    # -- the writer ------------------------------------------------------------------

    def lock(self) -> None:
        """Wait for the writer. Refuses to wait where it never comes: when another caller
        on this very thread holds it (another task of this thread's event loop)."""
        if not self._lock.acquire(blocking=False):
            if self._holder == threading.get_ident():
                raise WouldBlock(
                    "a transaction of another task on this thread (an asyncio event loop) "
                    "holds the database's writer, and waiting for it here would block the "
                    "loop on itself: in async code use the async API "
                    "(create_async_db_client), or run this call in a thread "
                    "(asyncio.to_thread)"
                )
            if not self._lock.acquire(timeout=self._connections.wait):
                raise _waited_too_long(self._connections.wait)
        self._holder = threading.get_ident()

    def unlock(self) -> None:
        self._holder = None
        self._lock.release()

    def session(self) -> LocalSession:
        self.lock()
        return LocalSession(self)

    def write(self, statements: Sequence[Statement]) -> Results:
        """An autocommit write: the writer for as long as it takes."""
        self.lock()
        try:
            return self.writer.run_atomically(statements)
        finally:
            self.unlock()

    # -- readers ---------------------------------------------------------------------

    def read(self, statements: Sequence[Statement]) -> Results:
        if not self._connections.readers:
            return self.write(statements)
        reader = self._take()
        try:
            if len(statements) == 1 and statements[0].rows is None:  # most reads: no loop
                return [reader.execute(statements[0].sql, statements[0].params)]
            return reader.run(statements)
        except DriverError as exc:
            if _READ_ONLY not in str(exc):
                raise
        finally:
            self._give(reader)
        return self.write(statements)  # a query that writes after all (a CTE's INSERT)

    def stream(self, statement: Statement, size: int) -> Generator[list[Row]]:
        """A query's rows a chunk at a time, on a reader of its own for as long as the
        caller iterates (one read snapshot: WAL keeps it consistent)."""
        if not self._connections.readers:
            yield from _chunks(self.write((statement,))[0], size)
            return
        reader = self._take()
        try:
            cursor = reader.cursor(statement.sql, statement.params)
            try:
                while rows := cursor.fetchmany(size):
                    yield rows
            finally:
                cursor.close()
        finally:
            self._give(reader)

    def _take(self) -> LocalConnection:
        """An idle reader, else a new one while the pool has room, else the next one
        given back. Taking an idle reader takes no lock: list.pop is atomic."""
        try:
            return self._idle.pop()
        except IndexError:
            pass
        with self._free:
            # Counted before looking, so that `_give` cannot miss a caller about to wait.
            self._waiting += 1
            try:
                while not self._idle and self._opened >= self._connections.readers:
                    if not self._free.wait(self._connections.wait):
                        raise _waited_too_long(self._connections.wait)
            finally:
                self._waiting -= 1
            if self._idle:
                return self._idle.pop()
            self._opened += 1
        try:
            return self._connections.open(reader=True)
        except BaseException:
            with self._free:
                self._opened -= 1
                self._free.notify()
            raise

    def _give(self, reader: LocalConnection) -> None:
        self._idle.append(reader)
        if self._waiting:
            with self._free:
                self._free.notify()

    def close(self) -> None:
        with self._free:
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.close()
        self.lock()
        try:
            self.writer.close()
        finally:
            self.unlock()


class _Worker:
    """One connection and the one thread that uses it: the async engine's way to run
    blocking SQLite calls without blocking the event loop (aiosqlite's design)."""

    def __init__(self, open_connection: Callable[[], LocalConnection]) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], asyncio.Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        ready: queue.SimpleQueue[BaseException | LocalConnection] = queue.SimpleQueue()
        self._thread = threading.Thread(
            target=self._serve, args=(open_connection, ready), name="libsqlkit-sqlite", daemon=True
        )
        self._stopped = False
        self._thread.start()
        opened = ready.get()
        if isinstance(opened, BaseException):
            raise opened
        self.connection = opened

    def _serve(
        self,
        open_connection: Callable[[], LocalConnection],
        ready: queue.SimpleQueue[BaseException | LocalConnection],
    ) -> None:
        try:
            ready.put(open_connection())
        except BaseException as exc:
            ready.put(exc)
            return
        while (job := self._jobs.get()) is not None:
            work, future = job
            try:
                result = work()
            except BaseException as exc:
                future.get_loop().call_soon_threadsafe(_settle, future, None, exc)
            else:
                future.get_loop().call_soon_threadsafe(_settle, future, result, None)

    def call(self, work: Callable[[], T]) -> Awaitable[T]:
        if self._stopped:
            raise ConfigurationError("this database client is closed")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put((work, future))
        return future

    def stop(self) -> None:
        """Finish the queued work, close the connection, end the thread; later calls are
        refused rather than queued where no thread will run them."""
        self._stopped = True
        self._jobs.put(None)
        self._thread.join()
        self.connection.close()


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class AsyncLocalSession:
    """The writer, leased to one task until `release()`."""

    def __init__(self, engine: AsyncLocalEngine) -> None:
        self._engine = engine
        self.in_transaction = False

    async def execute(self, statements: Sequence[Statement]) -> Results:
        writer = self._engine.writer.connection
        run = writer.run if self.in_transaction else writer.run_atomically
        return await self._engine.writer.call(functools.partial(run, statements))

    async def begin(self) -> None:
        await self._engine.writer.call(self._engine.writer.connection.begin)
        self.in_transaction = True

    async def commit(self) -> None:
        self.in_transaction = False
        await self._engine.writer.call(self._engine.writer.connection.commit)

    async def rollback(self) -> None:
        self.in_transaction = False
        await self._engine.writer.call(self._engine.writer.connection.rollback)

    async def set_foreign_keys(self, enabled: bool) -> None:
        connection = self._engine.writer.connection
        await self._engine.writer.call(functools.partial(connection.set_foreign_keys, enabled))

    async def release(self) -> None:
        self._engine.unlock()


class _WriterExecutor:
    """Statements on the leased writer, on its own thread: how sync work (the offline
    syncer's local steps) runs under the async engine, checked and translated as the
    shells do."""

    def __init__(
        self,
        connection: LocalConnection,
        translate: Callable[[DriverError, Sequence[Statement]], Exception],
    ) -> None:
        self._connection = connection
        self._translate = translate

    def execute(
        self, sql: str, params: Sequence[Any] = (), *, table: str | None = None
    ) -> list[Row]:
        check_params(params, table=table)
        try:
            return self._connection.execute(sql, params)
        except DriverError as exc:
            raise self._translate(exc, (Statement(sql, params, table),)) from exc


class AsyncLocalEngine:
    """The async engine of a local file: one worker thread per connection."""

    def __init__(self, connections: _Connections) -> None:
        self._connections = connections
        self.name = connections.name
        self.writer = _Worker(connections.open)
        self._lock = asyncio.Lock()
        self._idle: list[_Worker] = []
        self._opened = 0
        self._free = asyncio.Condition()

    async def lock(self) -> None:
        try:
            await asyncio.wait_for(self._lock.acquire(), self._connections.wait)
        except TimeoutError:
            raise _waited_too_long(self._connections.wait) from None

    def unlock(self) -> None:
        self._lock.release()

    async def session(self) -> AsyncLocalSession:
        await self.lock()
        return AsyncLocalSession(self)

    async def write(self, statements: Sequence[Statement]) -> Results:
        await self.lock()
        try:
            run = self.writer.connection.run_atomically
            return await self.writer.call(functools.partial(run, statements))
        finally:
            self.unlock()

    async def transact(
        self,
        work: Callable[[_WriterExecutor], T],
        *,
        foreign_keys_off: bool,
        translate: Callable[[DriverError, Sequence[Statement]], Exception],
    ) -> T:
        """`work` in one transaction on the writer, on its thread: sync code, whole."""
        connection = self.writer.connection

        def job() -> T:
            if foreign_keys_off:
                connection.set_foreign_keys(False)
            try:
                connection.begin()
                try:
                    result = work(_WriterExecutor(connection, translate))
                except BaseException:
                    connection.rollback()
                    raise
                connection.commit()
                return result
            finally:
                if foreign_keys_off:
                    connection.set_foreign_keys(True)

        await self.lock()
        try:
            return await self.writer.call(job)
        finally:
            self.unlock()

    async def read(self, statements: Sequence[Statement]) -> Results:
        if not self._connections.readers:
            return await self.write(statements)
        reader = await self._take()
        try:
            return await reader.call(functools.partial(reader.connection.run, statements))
        except DriverError as exc:
            if _READ_ONLY not in str(exc):
                raise
        finally:
            await self._give(reader)
        return await self.write(statements)

    async def stream(self, statement: Statement, size: int) -> AsyncGenerator[list[Row]]:
        """`LocalEngine.stream`, each chunk fetched on the reader's own thread."""
        if not self._connections.readers:
            for rows in _chunks((await self.write((statement,)))[0], size):
                yield rows
            return
        reader = await self._take()
        try:
            connection = reader.connection
            cursor = await reader.call(
                functools.partial(connection.cursor, statement.sql, statement.params)
            )
            try:
                while rows := await reader.call(functools.partial(cursor.fetchmany, size)):
                    yield rows
            finally:
                await reader.call(cursor.close)
        finally:
            await self._give(reader)

    async def _take(self) -> _Worker:
        async with self._free:
            while not self._idle and self._opened >= self._connections.readers:
                await self._free.wait()
            if self._idle:
                return self._idle.pop()
            self._opened += 1
        try:
            opener = functools.partial(self._connections.open, reader=True)
            return await asyncio.to_thread(_Worker, opener)
        except BaseException:
            async with self._free:
                self._opened -= 1
                self._free.notify()
            raise

    async def _give(self, reader: _Worker) -> None:
        async with self._free:
            self._idle.append(reader)
            self._free.notify()

    async def close(self) -> None:
        async with self._free:
            idle, self._idle = self._idle, []
        for reader in idle:
            await asyncio.to_thread(reader.stop)
        await self.lock()
        try:
            await asyncio.to_thread(self.writer.stop)
        finally:
            self.unlock()
