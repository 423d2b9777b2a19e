"""A libSQL cluster: writes to the primary, reads on read replicas.

sqld replicas (`--primary-grpc-url`) serve reads and forward writes. This engine sends
writes and transactions to the write URL (the primary, or a replica that forwards) and
autocommit reads to the first read URL that answers (list the nearest first), with the
client's session positions (`_consistency.Session`), so that it reads its own writes
whichever server answers.

Monotonic reads, measured: a replica's `replication_index` can lag the data its read
saw (the read saw a commit the replica had applied but not yet announced: 95 of 3,000
reads under a steady writer; on the primary 2 of 3,000). A client's reads therefore
stay on one replica, whose state only moves forward, and when they move to another
one (a failure, or back to a recovered nearer one) the first read there waits for the
primary's position (one round trip to the primary per move), which no replica can be
ahead of. Reads that alternate between replicas with only the reported index went back
in time 6 to 7 times in 1,000 reads.

Failures, per operation (the `Router` decides, without I/O):
- a read that finds a replica down (refused, reset, 429/503) goes at once to the next
  replica, then to the primary; that replica rests for `REST_AFTER_REFUSAL_S`. Reads are
  idempotent, so sending one again elsewhere is safe;
- a read that gets no answer within `timeout` raises `Timeout` (bounded time); that
  replica rests for `REST_AFTER_TIMEOUT_S`, so the next reads go elsewhere;
- writes and transactions go to the write URL only and are never sent twice: refused
  means nothing was done (`Unavailable`), no answer or a broken connection means the
  write may have been applied (`Timeout` / `Unavailable` say so).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence

from libsqlkit._consistency import Consistency
from libsqlkit._drivers import DriverName
from libsqlkit._errors import Timeout, Unavailable
from libsqlkit._plan import Statement
from libsqlkit._remote import (
    AsyncRemoteEngine,
    AsyncRemoteSession,
    Link,
    RemoteEngine,
    RemoteSession,
    Results,
)
from libsqlkit._usage import STORAGE, Usage, UsageBudget, UsageMeter

__all__ = [
    "AsyncClusterEngine",
    "ClusterEngine",
    "Router",
    "async_remote_engine",
    "remote_engine",
]

REST_AFTER_REFUSAL_S = 1.0  # a refused connection costs nothing to try again soon
REST_AFTER_TIMEOUT_S = 30.0  # a hung replica costs a caller `timeout`: leave it longer

PRIMARY = -1  # the write URL, in a read's order of servers


class Router:
    """Which servers a read tries, in which order: the replicas in the order given
    (nearest first), skipping those resting after a failure, then the primary; and
    whether a read moves to another replica than the last one that answered."""

    def __init__(self, replicas: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._rest_until = [0.0] * replicas
        self._current: int | None = None

    def order(self) -> list[int]:
        with self._lock:
            now = self._clock()
            awake = [i for i, until in enumerate(self._rest_until) if until <= now]
            return [*awake, PRIMARY]

    def moves(self, server: int) -> bool:
        """Whether a read on `server` leaves the replica the client last read from."""
        return server != PRIMARY and self._current not in (None, server)

    def answered(self, server: int) -> None:
        self._current = server

    def failed(self, server: int, error: Unavailable | Timeout) -> bool:
        """Note the failure; True when the read may go on to the next server."""
        if server == PRIMARY:
            return False
        timed_out = isinstance(error, Timeout)
        with self._lock:
            rest = REST_AFTER_TIMEOUT_S if timed_out else REST_AFTER_REFUSAL_S
            self._rest_until[server] = self._clock() + rest
        return not timed_out


class ClusterEngine:
    """The sync engine of a cluster: one `RemoteEngine` per server, sharing one `Link`."""

    name: DriverName = "remote"

    def __init__(self, primary: RemoteEngine, replicas: Sequence[RemoteEngine]) -> None:
        self.primary = primary
        self.replicas = list(replicas)
        self.link = primary.link
        self.router = Router(len(self.replicas))

    def __repr__(self) -> str:
        return f"ClusterEngine(primary={self.primary!r}, replicas={self.replicas!r})"

    @property
    def round_trips(self) -> int:
        return self.primary.round_trips + sum(r.round_trips for r in self.replicas)

    def _server(self, index: int) -> RemoteEngine:
        return self.primary if index == PRIMARY else self.replicas[index]

    def session(self) -> RemoteSession:
        return self.primary.session()

    def read(self, statements: Sequence[Statement]) -> Results:
        level = self.link.level()
        if level == "primary":
            return self.primary.read(statements)
        for index in self.router.order():
            if level == "session" and self.router.moves(index):
                self._catch_up()
            try:
                found = self._server(index).read(statements)
            except (Unavailable, Timeout) as exc:
                if not self.router.failed(index, exc):
                    raise
            else:
                self.router.answered(index)
                return found
        raise AssertionError("the primary ends every order")

    def _catch_up(self) -> None:
        """Learn the primary's position (its reply raises the session index), so that the
        replica a read moves to shows at least what the last one did. A primary that does
        not answer is left alone: the session index alone then bounds the read."""
        with contextlib.suppress(Unavailable, Timeout):
            self.primary.probe()

    def write(self, statements: Sequence[Statement]) -> Results:
        return self.primary.write(statements)

    def usage(self) -> Usage:
        return self.link.usage(self.read(STORAGE))

    def check(self) -> None:
        self.primary.check()

    def close(self) -> None:
        for server in (self.primary, *self.replicas):
            server.close()


class AsyncClusterEngine:
    """The async engine of a cluster: the same routing, awaited."""

    name: DriverName = "remote"

    def __init__(self, primary: AsyncRemoteEngine, replicas: Sequence[AsyncRemoteEngine]) -> None:
        self.primary = primary
        self.replicas = list(replicas)
        self.link = primary.link
        self.router = Router(len(self.replicas))

    def __repr__(self) -> str:
        return f"AsyncClusterEngine(primary={self.primary!r}, replicas={self.replicas!r})"

    @property
    def round_trips(self) -> int:
        return self.primary.round_trips + sum(r.round_trips for r in self.replicas)

    def _server(self, index: int) -> AsyncRemoteEngine:
        return self.primary if index == PRIMARY else self.replicas[index]

    async def session(self) -> AsyncRemoteSession:
        return await self.primary.session()

    async def read(self, statements: Sequence[Statement]) -> Results:
        level = self.link.level()
        if level == "primary":
            return await self.primary.read(statements)
        for index in self.router.order():
            if level == "session" and self.router.moves(index):
                await self._catch_up()
            try:
                found = await self._server(index).read(statements)
            except (Unavailable, Timeout) as exc:
                if not self.router.failed(index, exc):
                    raise
            else:
                self.router.answered(index)
                return found
        raise AssertionError("the primary ends every order")

    async def _catch_up(self) -> None:
        """See ClusterEngine._catch_up."""
        with contextlib.suppress(Unavailable, Timeout):
            await self.primary.probe()

    async def write(self, statements: Sequence[Statement]) -> Results:
        return await self.primary.write(statements)

    async def usage(self) -> Usage:
        return self.link.usage(await self.read(STORAGE))

    async def check(self) -> None:
        await self.primary.check()

    async def close(self) -> None:
        for server in (self.primary, *self.replicas):
            await server.close()


def _link(url: str, consistency: Consistency, budget: UsageBudget | None) -> Link:
    return Link(url, consistency=consistency, meter=UsageMeter(budget, where=url))


def remote_engine(
    url: str,
    read_urls: Sequence[str],
    *,
    token: str | None,
    timeout: float,
    pool_size: int,
    busy_s: float,
    consistency: Consistency,
    budget: UsageBudget | None,
) -> RemoteEngine | ClusterEngine:
    """The engine for a write URL and its read URLs (none: the write URL serves all)."""
    link = _link(url, consistency, budget)

    def server(where: str) -> RemoteEngine:
        return RemoteEngine(
            where, token=token, timeout=timeout, pool_size=pool_size, busy_s=busy_s, link=link
        )

    primary = server(url)
    return ClusterEngine(primary, [server(u) for u in read_urls]) if read_urls else primary


def async_remote_engine(
    url: str,
    read_urls: Sequence[str],
    *,
    token: str | None,
    timeout: float,
    pool_size: int,
    busy_s: float,
    consistency: Consistency,
    budget: UsageBudget | None,
) -> AsyncRemoteEngine | AsyncClusterEngine:
    link = _link(url, consistency, budget)

    def server(where: str) -> AsyncRemoteEngine:
        return AsyncRemoteEngine(
            where, token=token, timeout=timeout, pool_size=pool_size, busy_s=busy_s, link=link
        )

    primary = server(url)
    return AsyncClusterEngine(primary, [server(u) for u in read_urls]) if read_urls else primary
