"""A remote libSQL server (sqld, Turso) over HTTP: independent calls run in parallel, each
on a stream of its own; a transaction owns its stream (the baton) until it ends.

The server may be a primary or a replica that forwards writes to its primary (what
Turso gives): every autocommit call carries the client's session index at its
consistency level (`_consistency`), so the client reads its own writes either way, and
every reply is counted (`_usage`).

The protocol is `_hrana` (no I/O); these shells only send its requests, through a pool
of keep-alive connections (`_http`), the sync one on sockets, the async one on asyncio.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Sequence
from typing import TypeVar

from libsqlkit._consistency import Consistency, Session, effective_level
from libsqlkit._drivers import DriverError, DriverName
from libsqlkit._errors import LibsqlKitError
from libsqlkit._hrana import (
    Body,
    Exchange,
    ReplyFacts,
    StreamState,
    http_base_url,
    one_shot,
    primary_read,
    reply_facts,
)
from libsqlkit._http import AsyncHttpPool, HttpPool
from libsqlkit._json_rows import NotJsonRows, as_written, refused
from libsqlkit._plan import Statement
from libsqlkit._rows import Row
from libsqlkit._usage import STORAGE, Usage, UsageMeter

__all__ = [
    "AsyncRemoteEngine",
    "AsyncRemoteSession",
    "Backoff",
    "Link",
    "RemoteEngine",
    "RemoteSession",
]

Results = list[list[Row]]
T = TypeVar("T")
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


class Link:
    """What one client's servers share: its consistency level, its `Session` and its
    usage meter. It builds each autocommit request for the server it goes to, and reads
    the positions in the reply; every reply passes through one of its readers (`_counted`),
    where the meter counts it."""

    def __init__(
        self, url: str, *, consistency: Consistency = "session", meter: UsageMeter | None = None
    ) -> None:
        self.consistency = consistency
        self.session = Session(where=url)
        self.meter = meter or UsageMeter(None, where=url)

    def _counted(self, reply: Body) -> ReplyFacts:
        """The reply's facts, counted by the meter: its readers read them once here."""
        facts = reply_facts(reply)
        self.meter.observe(facts)
        return facts

    def level(self) -> Consistency:
        """The level of the caller's next read: its `consistency()` block, or the client's;
        `primary` for session reads while replicas resync after a primary restart."""
        level = effective_level(self.consistency)
        return "primary" if level == "session" and self.session.resyncing() else level

    def read(self, server: str, statements: Sequence[Statement]) -> Exchange[Results]:
        """An autocommit read on `server` at the caller's level."""
        level = self.level()
        if level == "primary":
            return self._from_primary(primary_read(statements), certain=True)
        session = self.session
        ticket = session.ticket()
        wait = session.wait_for(server) if level == "session" else None
        body, decode = one_shot(statements, write=False, replication_index=wait)

        def read(reply: Body) -> Results:
            session.read_by(server, self._counted(reply).replication_index, ticket)
            return decode(reply)

        return body, read

    def write(self, server: str, statements: Sequence[Statement]) -> Exchange[Results]:
        """An autocommit write; it waits like a read, since a replica runs a statement sent
        as a write but that only reads (`PRAGMA table_info`) itself."""
        level = self.level()
        wait = None if level == "eventual" else self.session.wait_for(server)
        return self._from_primary(
            one_shot(statements, write=True, replication_index=wait), certain=False
        )

    def probe(self) -> Exchange[Results]:
        """A read of the primary's position (through a replica too): one round trip."""
        return self._from_primary(primary_read(_PROBE), certain=True)

    def transaction(self, exchange: Exchange[T]) -> Exchange[T]:
        """A request of a transaction: transactions run on the primary."""
        return self._from_primary(exchange, certain=True)

    def _from_primary(self, exchange: Exchange[T], *, certain: bool) -> Exchange[T]:
        session = self.session
        ticket = session.ticket()
        body, decode = exchange

        def read(reply: Body) -> T:
            facts = self._counted(reply)
            # An autocommit write that changed rows surely ran on the primary, and moved
            # its position past every earlier one.
            changed = not certain and facts.rows_written > 0
            session.from_primary(
                facts.replication_index, ticket, certain=certain or changed, advanced=changed
            )
            return decode(reply)

        return body, read

    def usage(self, found: Results) -> Usage:
        ((stored,),) = found[0]
        return self.meter.usage(int(stored) if isinstance(stored, int) else None)


class RemoteSession:
    """One caller's stream, from its first statement to `release()`, on a connection it
    holds all that time (`_http._stream_slots` says why)."""

    def __init__(self, pool: HttpPool, busy_s: float, link: Link) -> None:
        self._pool = pool
        self._busy_s = busy_s
        self._state = StreamState()
        self._link = link
        self._held = False

    def _post(self, body: Body) -> Body:
        if not self._held:
            self._pool.hold()
            self._held = True
        return self._pool.post(body, held=True)

    def _observed(self, exchange: Exchange[T]) -> Exchange[T]:
        """Read by the Link, which counts every reply (`Link._counted`)."""
        return self._link.transaction(exchange)

    @property
    def in_transaction(self) -> bool:
        return self._state.in_transaction

    def _send(self, exchange: Exchange[None] | None) -> None:
        if exchange is None:
            return
        body, read = self._observed(exchange)
        try:
            reply = self._post(body)
        except BaseException:
            self._state.lost()
            raise
        read(reply)

    def execute(self, statements: Sequence[Statement]) -> Results:
        backoff = Backoff(self._busy_s)
        while True:
            body, read = self._observed(self._state.execute(statements))
            try:
                reply = self._post(body)
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
        try:
            with contextlib.suppress(LibsqlKitError):  # the server drops an abandoned stream
                self._send(self._state.close())
        finally:
            if self._held:
                self._held = False
                self._pool.let_go()


class RemoteEngine:
    """The sync engine of a remote database (a primary, or a replica that forwards)."""

    name: DriverName = "remote"

    def __init__(
        self,
        url: str,
        *,
        token: str | None,
        timeout: float,
        pool_size: int,
        busy_s: float,
        link: Link | None = None,
    ) -> None:
        self.url = http_base_url(url)
        self.link = link or Link(self.url)
        self.busy_s = busy_s
        self.pool = HttpPool(self.url, token, timeout=timeout, size=pool_size)

    def __repr__(self) -> str:
        return f"RemoteEngine({self.pool!r})"

    @property
    def round_trips(self) -> int:
        return self.pool.round_trips

    def session(self) -> RemoteSession:
        return RemoteSession(self.pool, self.busy_s, self.link)

    def read(self, statements: Sequence[Statement]) -> Results:
        body, read = self.link.read(self.url, statements)
        try:
            return read(self.pool.post(body, idempotent=True))
        except NotJsonRows:  # a row its JSON cannot carry exactly: read as written
            refused(statements)
            return self.read(as_written(statements))

    def write(self, statements: Sequence[Statement]) -> Results:
        """Every autocommit call has a stream of its own; the server orders the writes,
        and one that found the lock taken is sent again (nothing of it was done)."""
        backoff = Backoff(self.busy_s)
        while True:
            body, read = self.link.write(self.url, statements)
            try:
                return read(self.pool.post(body))
            except DriverError as failure:
                time.sleep(backoff.wait(failure))

    def usage(self) -> Usage:
        """The client's counts, and the bytes the database takes now (one round trip)."""
        return self.link.usage(self.read(STORAGE))

    def probe(self) -> None:
        """One round trip that learns the primary's position (through a replica too)."""
        body, read = self.link.probe()
        read(self.pool.post(body, idempotent=True))

    def check(self) -> None:
        """One bounded round trip: raises AuthError, Unavailable or Timeout if it fails."""
        self.read(_PROBE)

    def close(self) -> None:
        self.pool.close()


class AsyncRemoteSession:
    """One task's stream, from its first statement to `release()`, on a connection it
    holds all that time."""

    def __init__(self, pool: AsyncHttpPool, busy_s: float, link: Link) -> None:
        self._pool = pool
        self._busy_s = busy_s
        self._state = StreamState()
        self._link = link
        self._held = False

    async def _post(self, body: Body) -> Body:
        if not self._held:
            await self._pool.hold()
            self._held = True
        return await self._pool.post(body, held=True)

    def _observed(self, exchange: Exchange[T]) -> Exchange[T]:
        """Read by the Link, which counts every reply (`Link._counted`)."""
        return self._link.transaction(exchange)

    @property
    def in_transaction(self) -> bool:
        return self._state.in_transaction

    async def _send(self, exchange: Exchange[None] | None) -> None:
        if exchange is None:
            return
        body, read = self._observed(exchange)
        try:
            reply = await self._post(body)
        except BaseException:
            self._state.lost()
            raise
        read(reply)

    async def execute(self, statements: Sequence[Statement]) -> Results:
        backoff = Backoff(self._busy_s)
        while True:
            body, read = self._observed(self._state.execute(statements))
            try:
                reply = await self._post(body)
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
        try:
            with contextlib.suppress(LibsqlKitError):  # the server drops an abandoned stream
                await self._send(self._state.close())
        finally:
            if self._held:
                self._held = False
                self._pool.let_go()


class AsyncRemoteEngine:
    """The async engine of a remote database."""

    name: DriverName = "remote"

    def __init__(
        self,
        url: str,
        *,
        token: str | None,
        timeout: float,
        pool_size: int,
        busy_s: float,
        link: Link | None = None,
    ) -> None:
        self.url = http_base_url(url)
        self.link = link or Link(self.url)
        self.busy_s = busy_s
        self.pool = AsyncHttpPool(self.url, token, timeout=timeout, size=pool_size)

    def __repr__(self) -> str:
        return f"AsyncRemoteEngine({self.pool!r})"

    @property
    def round_trips(self) -> int:
        return self.pool.round_trips

    async def session(self) -> AsyncRemoteSession:
        return AsyncRemoteSession(self.pool, self.busy_s, self.link)

    async def read(self, statements: Sequence[Statement]) -> Results:
        body, read = self.link.read(self.url, statements)
        try:
            return read(await self.pool.post(body, idempotent=True))
        except NotJsonRows:  # a row its JSON cannot carry exactly: read as written
            refused(statements)
            return await self.read(as_written(statements))

    async def write(self, statements: Sequence[Statement]) -> Results:
        backoff = Backoff(self.busy_s)
        while True:
            body, read = self.link.write(self.url, statements)
            try:
                return read(await self.pool.post(body))
            except DriverError as failure:
                await asyncio.sleep(backoff.wait(failure))

    async def usage(self) -> Usage:
        return self.link.usage(await self.read(STORAGE))

    async def probe(self) -> None:
        body, read = self.link.probe()
        read(await self.pool.post(body, idempotent=True))

    async def check(self) -> None:
        await self.read(_PROBE)

    async def close(self) -> None:
        await self.pool.close()
