"""A remote libSQL server (sqld, Turso) over HTTP: independent calls run in parallel, each
on a stream of its own; a transaction owns its stream (the baton) until it ends.

The protocol is `_hrana` (no I/O); these shells only send its requests, the sync one
through a pool of `http.client` connections, the async one on asyncio.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Sequence

from libsqlkit._drivers import DriverError, DriverName
from libsqlkit._errors import LibsqlKitError
from libsqlkit._hrana import Exchange, StreamState, http_base_url, one_shot
from libsqlkit._http import AsyncHttpPool, HttpPool
from libsqlkit._plan import Statement
from libsqlkit._rows import Row

__all__ = [
    "AsyncRemoteEngine",
    "AsyncRemoteSession",
    "Backoff",
    "RemoteEngine",
    "RemoteSession",
]

Results = list[list[Row]]
_NOTHING_TO_END = "no transaction is active"
_PROBE = (Statement("SELECT 1"),)


class Backoff:
    """The waits between attempts at a lock the server could not take yet: short,
    growing, jittered, within the busy timeout (sqld answers SQLITE_BUSY at once when
    another stream's write got in between; a local file's busy timeout waits instead)."""

    def __init__(self, budget_s: float) -> None:
        self._deadline = time.monotonic() + budget_s
        self._delay = 0.002

    def wait(self, failure: DriverError) -> float:
        """Seconds to wait before the next attempt; re-raises when it may not retry."""
        if not failure.retryable or time.monotonic() >= self._deadline:
            raise failure
        wait = random.uniform(0, self._delay)
        self._delay = min(self._delay * 2, 0.1)
        return wait


class RemoteSession:
    """One caller's stream, from its first statement to `release()`."""

    def __init__(self, pool: HttpPool, busy_s: float) -> None:
        self._pool = pool
        self._busy_s = busy_s
        self._state = StreamState()

    @property
    def in_transaction(self) -> bool:
        return self._state.in_transaction

    def _send(self, exchange: Exchange[None] | None) -> None:
        if exchange is None:
            return
        body, read = exchange
        try:
            reply = self._pool.post(body)
        except BaseException:
            self._state.lost()
            raise
        read(reply)

    def execute(self, statements: Sequence[Statement]) -> Results:
        backoff = Backoff(self._busy_s)
        while True:
            body, read = self._state.execute(statements)
            try:
                reply = self._pool.post(body)
            except BaseException:
                self._state.lost()
                raise
            try:
                return read(reply)
            except DriverError as failure:
                time.sleep(backoff.wait(failure))

    def begin(self) -> None:
        self._state.begin()

    def commit(self) -> None:
        self._send(self._state.finish("COMMIT"))

    def rollback(self) -> None:
        try:
            self._send(self._state.finish("ROLLBACK"))
        except DriverError as exc:
            # BEGIN itself failed: there is nothing to roll back, and the caller's own
            # error is the one worth reporting.
            if _NOTHING_TO_END not in str(exc):
                raise

    def set_foreign_keys(self, enabled: bool) -> None:
        self._state.set_foreign_keys(enabled)

    def release(self) -> None:
        with contextlib.suppress(LibsqlKitError):  # the server drops an abandoned stream
            self._send(self._state.close())


class RemoteEngine:
    """The sync engine of a remote database."""

    name: DriverName = "remote"

    def __init__(
        self, url: str, *, token: str | None, timeout: float, pool_size: int, busy_s: float
    ) -> None:
        self.pool = HttpPool(http_base_url(url), token, timeout=timeout, size=pool_size)
        self.busy_s = busy_s

    def __repr__(self) -> str:
        return f"RemoteEngine({self.pool!r})"

    @property
    def round_trips(self) -> int:
        return self.pool.round_trips

    def session(self) -> RemoteSession:
        return RemoteSession(self.pool, self.busy_s)

    def read(self, statements: Sequence[Statement]) -> Results:
        body, read = one_shot(statements, write=False)
        return read(self.pool.post(body))

    def write(self, statements: Sequence[Statement]) -> Results:
        """Every autocommit call has a stream of its own; the server orders the writes,
        and one that found the lock taken is sent again (nothing of it was done)."""
        body, read = one_shot(statements, write=True)
        backoff = Backoff(self.busy_s)
        while True:
            try:
                return read(self.pool.post(body))
            except DriverError as failure:
                time.sleep(backoff.wait(failure))

    def check(self) -> None:
        """One bounded round trip: raises AuthError, Unavailable or Timeout if it fails."""
        self.read(_PROBE)

    def close(self) -> None:
        self.pool.close()


class AsyncRemoteSession:
    """One task's stream, from its first statement to `release()`."""

    def __init__(self, pool: AsyncHttpPool, busy_s: float) -> None:
        self._pool = pool
        self._busy_s = busy_s
        self._state = StreamState()

    @property
    def in_transaction(self) -> bool:
        return self._state.in_transaction

    async def _send(self, exchange: Exchange[None] | None) -> None:
        if exchange is None:
            return
        body, read = exchange
        try:
            reply = await self._pool.post(body)
        except BaseException:
            self._state.lost()
            raise
        read(reply)

    async def execute(self, statements: Sequence[Statement]) -> Results:
        backoff = Backoff(self._busy_s)
        while True:
            body, read = self._state.execute(statements)
            try:
                reply = await self._pool.post(body)
            except BaseException:
                self._state.lost()
                raise
            try:
                return read(reply)
            except DriverError as failure:
                await asyncio.sleep(backoff.wait(failure))

    async def begin(self) -> None:
        self._state.begin()

    async def commit(self) -> None:
        await self._send(self._state.finish("COMMIT"))

    async def rollback(self) -> None:
        try:
            await self._send(self._state.finish("ROLLBACK"))
        except DriverError as exc:
            if _NOTHING_TO_END not in str(exc):
                raise

    async def set_foreign_keys(self, enabled: bool) -> None:
        self._state.set_foreign_keys(enabled)

    async def release(self) -> None:
        with contextlib.suppress(LibsqlKitError):  # the server drops an abandoned stream
            await self._send(self._state.close())


class AsyncRemoteEngine:
    """The async engine of a remote database."""

    name: DriverName = "remote"

    def __init__(
        self, url: str, *, token: str | None, timeout: float, pool_size: int, busy_s: float
    ) -> None:
        self.pool = AsyncHttpPool(http_base_url(url), token, timeout=timeout, size=pool_size)
        self.busy_s = busy_s

    def __repr__(self) -> str:
        return f"AsyncRemoteEngine({self.pool!r})"

    @property
    def round_trips(self) -> int:
        return self.pool.round_trips

    async def session(self) -> AsyncRemoteSession:
        return AsyncRemoteSession(self.pool, self.busy_s)

    async def read(self, statements: Sequence[Statement]) -> Results:
        body, read = one_shot(statements, write=False)
        return read(await self.pool.post(body))

    async def write(self, statements: Sequence[Statement]) -> Results:
        body, read = one_shot(statements, write=True)
        backoff = Backoff(self.busy_s)
        while True:
            try:
                return read(await self.pool.post(body))
            except DriverError as failure:
                await asyncio.sleep(backoff.wait(failure))

    async def check(self) -> None:
        await self.read(_PROBE)

    async def close(self) -> None:
        await self.pool.close()
