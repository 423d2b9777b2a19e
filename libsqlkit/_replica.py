"""Embedded replica: a local file kept in sync with a remote primary (libsql_experimental).

Reads run on the local file. Writes, and every statement inside a transaction, go to the
primary over the bounded HTTP engine and return as soon as it answers; the next read, by
any caller, first pulls them into the local file, so every caller reads this client's
writes and a run of writes costs one pull. A pull that fails after a committed write does not make the write an error:
the next read pulls again, behind a bounded probe, or reads the local copy if the
primary is away.
libsql_experimental's own write forwarding is not used: against a hung server it blocks
forever while holding the GIL, and it reports every failure as a bare ValueError.
Before connecting and before each sync, a bounded probe of the primary turns a bad token
into AuthError and a dead or hung server into Unavailable or Timeout, where libsql would
wait (a bad token otherwise shows only as a handshake timeout).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
from collections.abc import Callable, Sequence

from libsqlkit._drivers import (
    DriverError,
    DriverName,
    LibsqlConnection,
    import_libsql,
    libsql_error,
    refuse_nul_text,
)
from libsqlkit._errors import ConfigurationError, LibsqlKitError, Unavailable
from libsqlkit._hrana import http_base_url
from libsqlkit._http import AsyncHttpPool, HttpPool
from libsqlkit._local import _Worker
from libsqlkit._plan import Statement
from libsqlkit._remote import (
    AsyncRemoteEngine,
    AsyncRemoteSession,
    Link,
    RemoteEngine,
    RemoteSession,
)
from libsqlkit._rows import Row
from libsqlkit._sync_report import SyncReport

__all__ = [
    "AsyncReplicaEngine",
    "AsyncReplicaPull",
    "ReplicaEngine",
    "ReplicaPull",
    "ReplicaSettings",
]

Results = list[list[Row]]
_READ_ONLY = "readonly"
_log = logging.getLogger("libsqlkit.replica")


class ReplicaSettings:
    """How to open the replica: the local path and the primary."""

    def __init__(
        self,
        path: str,
        *,
        sync_url: str,
        token: str | None,
        sync_interval: float | None,
        timeout: float,
        busy_timeout_ms: int,
        pool_size: int,
    ) -> None:
        self.path = path
        self.sync_url = sync_url
        self.token = token
        self.sync_interval = sync_interval
        self.timeout = timeout
        self.busy_timeout_ms = busy_timeout_ms
        self.pool_size = pool_size


# sqld compacts its replication log and writes the snapshot that replaces it in the
# background; until the snapshot is written, a replica that needs those frames (a new
# one, or one that fell behind the compaction) is refused with this. It passes once the
# snapshot is there, so a pull waits for it, within the client's timeout.
_SNAPSHOT_PENDING = "snapshot not found"


class ReplicaConnection(LibsqlConnection):
    """The replica's own libsql connection: it reads the local file and pulls the
    primary's changes into it."""

    def __init__(self, settings: ReplicaSettings) -> None:
        try:
            connection = import_libsql().connect(
                settings.path,
                sync_url=http_base_url(settings.sync_url),
                auth_token=settings.token or "",
                sync_interval=settings.sync_interval,
                isolation_level=None,
            )
        except ValueError as exc:
            raise libsql_error(str(exc)) from None
        super().__init__(
            settings.path, busy_timeout_ms=settings.busy_timeout_ms, connection=connection
        )
        self._replica = connection
        self._timeout = settings.timeout

    def pull(self, wait: bool = True) -> None:
        """Pull the primary's changes; `wait`: through sqld's snapshot window, within the
        client's timeout (else one try)."""
        deadline = time.monotonic() + (self._timeout if wait else 0.0)
        pause = 0.05
        while True:
            try:
                self._replica.sync()
                return
            except ValueError as exc:
                message = str(exc)
            if _SNAPSHOT_PENDING not in message:
                raise libsql_error(message) from None
            left = deadline - time.monotonic()
            if left <= 0:
                raise Unavailable(
                    "the primary has not written the snapshot this replica needs yet (it "
                    f'compacted its log; sqld says "{_SNAPSHOT_PENDING}"), waited '
                    f"{self._timeout if wait else 0:g} s"
                )
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.5)


def _writes(statements: Sequence[Statement]) -> None:
    """Written values come back through libsql: refuse what it would read back cut."""
    for statement in statements:
        for params in statement.rows if statement.rows is not None else (statement.params,):
            refuse_nul_text(params)


class _OwnWrites:
    """Which of this client's own writes the local copy lacks, and the catch-up before a
    read: a pull right away, or behind a bounded probe once a pull has failed (libsql's
    pull against a hung primary would wait much longer than the client's timeout).

    Writes only count themselves: the pull waits for a read, so a run of writes costs
    one pull, taken by whichever caller reads first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._written = 0
        self._pulled = 0
        self._failed = False

    def wrote(self) -> None:
        with self._lock:
            self._written += 1

    def catch_up(self, probe: Callable[[], None], pull: Callable[[bool], None]) -> None:
        """Before a read, under the replica connection's lock. `pull(wait)`: the first
        pull after a success waits out sqld's snapshot window; once one has failed, the
        next ones try once, so that readers queued on the lock do not each wait it out."""
        with self._lock:
            target, failed = self._written, self._failed
            if target == self._pulled and not failed:
                return
        try:
            if failed:
                probe()
            pull(not failed)
        except LibsqlKitError as exc:
            self._failed = True
            _log.warning(
                "the replica could not pull this client's writes; reading the local copy "
                "(the next read tries again, behind a bounded probe): %s",
                exc,
            )
            return
        self.pulled(target)

    def counted(self) -> int:
        """Writes counted so far: what a pull starting now will hold."""
        with self._lock:
            return self._written

    def pulled(self, target: int) -> None:
        """A pull succeeded that began once `target` writes were counted."""
        with self._lock:
            self._pulled = max(self._pulled, target)
            self._failed = False


class ReplicaEngine:
    """The sync engine of an embedded replica."""

    name: DriverName = "replica"

    def __init__(self, settings: ReplicaSettings) -> None:
        self.remote = RemoteEngine(
            settings.sync_url,
            token=settings.token,
            timeout=settings.timeout,
            pool_size=settings.pool_size,
            busy_s=settings.busy_timeout_ms / 1000,
        )
        self.remote.check()
        self.local = ReplicaConnection(settings)
        self._local_lock = threading.Lock()  # the one libsql connection: reads and pulls
        self._own = _OwnWrites()
        self.local.pull()

    def __repr__(self) -> str:
        return f"ReplicaEngine(primary={self.remote!r})"

    @property
    def round_trips(self) -> int:
        return self.remote.round_trips

    def read(self, statements: Sequence[Statement]) -> Results:
        with self._local_lock:
            self._own.catch_up(self.remote.check, self.local.pull)
            try:
                return self.local.run(statements)
            except DriverError as exc:
                if _READ_ONLY not in str(exc):
                    raise
        return self.write(statements)  # a query that writes after all

    def write(self, statements: Sequence[Statement]) -> Results:
        _writes(statements)
        results = self.remote.write(statements)
        self._own.wrote()
        return results

    def session(self) -> RemoteSession:
        return _CheckedSession(
            self.remote.pool, self.remote.busy_s, self.remote.link, self._own.wrote
        )

    def sync(self) -> None:
        """Pull the primary's changes now (bounded probe first)."""
        self.remote.check()
        with self._local_lock:
            target = self._own.counted()
            self.local.pull()
            self._own.pulled(target)

    def close(self) -> None:
        self.remote.close()
        with self._local_lock:
            self.local.close()


class _CheckedSession(RemoteSession):
    """A session on the primary whose committed writes the replica pulls."""

    def __init__(
        self, pool: HttpPool, busy_s: float, link: Link, wrote: Callable[[], None]
    ) -> None:
        super().__init__(pool, busy_s, link)
        self._wrote = wrote

    def execute(self, statements: Sequence[Statement]) -> Results:
        _writes(statements)
        results = super().execute(statements)
        if not self.in_transaction:
            self._wrote()
        return results

    def commit(self) -> None:
        super().commit()
        self._wrote()


class _AsyncCheckedSession(AsyncRemoteSession):
    def __init__(
        self, pool: AsyncHttpPool, busy_s: float, link: Link, wrote: Callable[[], None]
    ) -> None:
        super().__init__(pool, busy_s, link)
        self._wrote = wrote

    async def execute(self, statements: Sequence[Statement]) -> Results:
        _writes(statements)
        results = await super().execute(statements)
        if not self.in_transaction:
            self._wrote()
        return results

    async def commit(self) -> None:
        await super().commit()
        self._wrote()


class AsyncReplicaEngine:
    """The async engine of an embedded replica: libsql on a thread of its own."""

    name: DriverName = "replica"

    def __init__(self, settings: ReplicaSettings) -> None:
        self.remote = AsyncRemoteEngine(
            settings.sync_url,
            token=settings.token,
            timeout=settings.timeout,
            pool_size=settings.pool_size,
            busy_s=settings.busy_timeout_ms / 1000,
        )
        self._probe = RemoteEngine(
            settings.sync_url, token=settings.token, timeout=settings.timeout, pool_size=1, busy_s=0
        )
        self._probe.check()
        self.local = _Worker(functools.partial(_opened_and_pulled, settings))
        self._lock = asyncio.Lock()  # the one libsql connection: reads and pulls
        self._own = _OwnWrites()

    def __repr__(self) -> str:
        return f"AsyncReplicaEngine(primary={self.remote!r})"

    @property
    def round_trips(self) -> int:
        return self.remote.round_trips

    def _connection(self) -> ReplicaConnection:
        connection = self.local.connection
        assert isinstance(connection, ReplicaConnection)
        return connection

    def _catch_up_and_run(self, statements: Sequence[Statement]) -> Results:
        """In the replica's thread: the catch-up of ReplicaEngine, then the read."""
        connection = self._connection()
        self._own.catch_up(self._probe.check, connection.pull)
        return connection.run(statements)

    async def read(self, statements: Sequence[Statement]) -> Results:
        async with self._lock:
            try:
                return await self.local.call(functools.partial(self._catch_up_and_run, statements))
            except DriverError as exc:
                if _READ_ONLY not in str(exc):
                    raise
        return await self.write(statements)

    async def write(self, statements: Sequence[Statement]) -> Results:
        _writes(statements)
        results = await self.remote.write(statements)
        self._own.wrote()
        return results

    async def session(self) -> AsyncRemoteSession:
        return _AsyncCheckedSession(
            self.remote.pool, self.remote.busy_s, self.remote.link, self._own.wrote
        )

    async def sync(self) -> None:
        await self.remote.check()
        async with self._lock:
            target = self._own.counted()
            await self.local.call(self._connection().pull)
            self._own.pulled(target)

    async def close(self) -> None:
        await self.remote.close()
        self._probe.close()
        await asyncio.to_thread(self.local.stop)


def _opened_and_pulled(settings: ReplicaSettings) -> ReplicaConnection:
    connection = ReplicaConnection(settings)
    connection.pull()
    return connection


class ReplicaPull:
    """The replica's `sync()`: a pull of the primary's changes (libsql counts no rows)."""

    def __init__(self, engine: ReplicaEngine) -> None:
        self._engine = engine

    def sync(self, db: object) -> SyncReport:
        self._engine.sync()
        return SyncReport(pushed=0, pulled=None)

    def pending(self, db: object) -> dict[str, int]:
        raise ConfigurationError("pending_changes() needs offline sync mode")

    def close(self) -> None:
        """The engine, closed by the database, ends the replica."""


class AsyncReplicaPull:
    """`ReplicaPull` for the `AsyncDatabase`."""

    def __init__(self, engine: AsyncReplicaEngine) -> None:
        self._engine = engine

    async def sync(self, db: object) -> SyncReport:
        await self._engine.sync()
        return SyncReport(pushed=0, pulled=None)

    async def pending(self, db: object) -> dict[str, int]:
        raise ConfigurationError("pending_changes() needs offline sync mode")

    async def close(self) -> None:
        """The engine, closed by the database, ends the replica."""
