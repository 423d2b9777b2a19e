"""From arguments and the environment to an open client: which mode, which engine.

One resolution serves `connect()` (the sync `Database`) and `connect_async()` (the
`AsyncDatabase`), so both take the same arguments and environment, with the same errors.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypedDict

from libsqlkit._async_database import AsyncDatabase
from libsqlkit._cluster import async_remote_engine, remote_engine
from libsqlkit._consistency import Consistency, check_level
from libsqlkit._database import Database
from libsqlkit._drivers import LocalDriverName
from libsqlkit._errors import ConfigurationError
from libsqlkit._hrana import http_base_url
from libsqlkit._local import AsyncLocalEngine, LocalEngine, _Connections
from libsqlkit._replica import (
    AsyncReplicaEngine,
    AsyncReplicaPull,
    ReplicaEngine,
    ReplicaPull,
    ReplicaSettings,
)
from libsqlkit._schema import Schema
from libsqlkit._url import (
    SYNC_INTERVAL_VARIABLE,
    SYNC_MODE_VARIABLE,
    SYNC_URL_VARIABLE,
    TOKEN_VARIABLE,
    auth_token,
    database_url,
    file_path,
    url_scheme,
)
from libsqlkit._usage import UsageBudget, parse_budget

__all__ = [
    "DEFAULT_BUSY_TIMEOUT_MS",
    "DEFAULT_POOL_SIZE",
    "DEFAULT_TIMEOUT_S",
    "Mode",
    "SyncMode",
    "Target",
    "connect",
    "connect_async",
    "resolve",
]

DEFAULT_BUSY_TIMEOUT_MS = 5000
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_POOL_SIZE = 8  # reader connections of a file, kept-alive HTTP connections of a server
DEFAULT_OFFLINE_SYNC_INTERVAL_S = 60.0  # the design's background sync period
READ_URL_VARIABLE = "TURSO_READ_URL"  # read replicas of the remote URL, comma-separated
CONSISTENCY_VARIABLE = "TURSO_CONSISTENCY"  # session (default), eventual or primary
USAGE_BUDGET_VARIABLE = "TURSO_USAGE_BUDGET"  # free, or rows_read=N,rows_written=N,...

SyncMode = Literal["replica", "offline"]
Mode = Literal["local", "remote", "replica", "offline"]


class ServerSettings(TypedDict):
    token: str | None
    timeout: float
    pool_size: int
    busy_s: float
    consistency: Consistency
    budget: UsageBudget | None


@dataclass(frozen=True)
class Target:
    """Everything needed to open one client, resolved and checked."""

    mode: Mode
    url: str
    path: str  # the local file ("" for a remote server)
    driver: LocalDriverName
    token: str | None
    sync_url: str | None
    sync_interval: float | None
    timeout: float
    busy_timeout_ms: int
    wal: bool
    pool_size: int
    read_urls: tuple[str, ...] = ()
    consistency: Consistency = "session"
    budget: UsageBudget | None = None

    def __repr__(self) -> str:  # the token stays out of every repr
        return f"Target(mode={self.mode!r}, url={self.url!r}, read_urls={self.read_urls!r})"

    def files(self) -> _Connections:
        return _Connections(
            self.driver,
            self.path,
            self.url,
            busy_timeout_ms=self.busy_timeout_ms,
            wal=self.wal,
            pool_size=self.pool_size,
        )

    def server(self) -> ServerSettings:
        """How to reach a server: what every remote engine of this client shares."""
        return ServerSettings(
            token=self.token,
            timeout=self.timeout,
            pool_size=self.pool_size,
            busy_s=self.busy_timeout_ms / 1000,
            consistency=self.consistency,
            budget=self.budget,
        )

    def replica(self) -> ReplicaSettings:
        assert self.sync_url is not None
        return ReplicaSettings(
            self.path,
            sync_url=self.sync_url,
            token=self.token,
            sync_interval=self.sync_interval,
            timeout=self.timeout,
            busy_timeout_ms=self.busy_timeout_ms,
            pool_size=self.pool_size,
        )


def resolve(
    url: str | None,
    *,
    schema: Schema,
    auth_token_value: str | None,
    driver: LocalDriverName | None,
    sync_url: str | None,
    sync_mode: SyncMode | None,
    sync_interval: float | None,
    timeout: float,
    busy_timeout_ms: int,
    wal: bool,
    pool_size: int,
    read_url: str | Sequence[str] | None = None,
    consistency: Consistency | None = None,
    usage_budget: UsageBudget | Literal["free"] | None = None,
) -> Target:
    """Which mode the arguments and the environment ask for (arguments win).

    - `file:` URL → a local file (driver sqlite3 by default, or libsql);
    - `file:` URL plus a sync URL (`TURSO_SYNC_URL`), by `sync_mode` (`TURSO_SYNC_MODE`):
      `replica` (default), an embedded replica of that primary; `offline`, a local file
      that works offline and syncs with the server (when the schema has synced tables);
    - `libsql://` (TLS), `https://`, `http://` → the remote server itself: a primary, or
      a replica that forwards writes; with read URLs (`TURSO_READ_URL`), a cluster whose
      autocommit reads go to those replicas at the `consistency` level
      (`TURSO_CONSISTENCY`, default `session`).
    """
    url = database_url(url)
    scheme = url_scheme(url)
    sync_url = (sync_url if sync_url is not None else os.environ.get(SYNC_URL_VARIABLE)) or None
    remote = scheme != "file" or sync_url is not None
    token = (
        auth_token(
            auth_token_value if auth_token_value is not None else os.environ.get(TOKEN_VARIABLE)
        )
        if remote
        else None
    )
    reads = _read_urls(read_url)
    level = check_level(
        consistency or os.environ.get(CONSISTENCY_VARIABLE) or "session",
        source=f"consistency ({CONSISTENCY_VARIABLE})",
    )
    budget = _budget(usage_budget)
    if timeout <= 0:
        raise ConfigurationError(f"timeout must be positive, got {timeout}")
    if pool_size < 1:
        raise ConfigurationError(f"pool_size must be at least 1, got {pool_size}")
    common = Target(
        mode="local",
        url=url,
        path="",
        driver="sqlite3",
        token=token,
        sync_url=None,
        sync_interval=None,
        timeout=timeout,
        busy_timeout_ms=busy_timeout_ms,
        wal=wal,
        pool_size=pool_size,
        consistency=level,
        budget=budget,
    )
    if scheme != "file":
        if sync_url is not None:
            raise ConfigurationError(
                "a sync URL applies to a file: URL (the local replica), not to a remote URL"
            )
        if driver is not None:
            raise ConfigurationError(
                "driver= chooses the local driver; a remote URL always uses HTTP"
            )
        if http_base_url(url) in {http_base_url(u) for u in reads}:
            raise ConfigurationError(
                "the read URL list repeats the remote URL: list only its read replicas"
            )
        return replace(common, mode="remote", read_urls=tuple(reads))
    if reads:
        raise ConfigurationError(
            f"read URLs ({READ_URL_VARIABLE}) are replicas of a remote URL (a libsql://, "
            "https:// or http:// primary), not of a file: URL"
        )
    path = file_path(url)
    mode = _sync_mode(sync_mode) if sync_url is not None else None
    if mode == "replica":
        if driver not in (None, "libsql"):
            raise ConfigurationError("an embedded replica always uses the libsql driver")
        return replace(
            common,
            mode="replica",
            path=path,
            driver="libsql",
            sync_url=sync_url,
            sync_interval=_sync_interval(sync_interval, default=None),
        )
    chosen = driver or "sqlite3"
    if chosen not in ("sqlite3", "libsql"):
        raise ConfigurationError(f"unknown driver {chosen!r}: use 'sqlite3' or 'libsql'")
    # Tools that open the database without a schema (migrations, studio) get the file.
    offline = sync_url is not None and bool(schema.synced)
    return replace(
        common,
        mode="offline" if offline else "local",
        path=path,
        driver=chosen,
        sync_url=sync_url if offline else None,
        sync_interval=_sync_interval(sync_interval, default=DEFAULT_OFFLINE_SYNC_INTERVAL_S),
    )


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
    pool_size: int = DEFAULT_POOL_SIZE,
    read_url: str | Sequence[str] | None = None,
    consistency: Consistency | None = None,
    usage_budget: UsageBudget | Literal["free"] | None = None,
) -> Database:
    """Open the database for `schema` (see `resolve` for the modes).

    `sync_url=""` means no sync URL, whatever the environment says. The auth token
    (`TURSO_AUTH_TOKEN`) is sent only to remote servers, never for a plain `file:` URL.
    Every remote call is bounded by `timeout` seconds.

    A remote client reads its own writes (`consistency="session"`, the default), also
    through a replica that forwards writes. `read_url` (`TURSO_READ_URL`, one URL or
    several, comma-separated) names read replicas of a remote `url`: autocommit reads go
    to them in turn, writes and transactions to `url`. `consistency` (`TURSO_CONSISTENCY`)
    is the client's level: `session`, `eventual` or `primary`; `libsqlkit.consistency()`
    changes it for a block. `usage_budget` (`TURSO_USAGE_BUDGET`): "free" (Turso's free
    tier) or a `UsageBudget`; a warning is logged on "libsqlkit.usage" near its limits.
    """
    target = resolve(
        url,
        schema=schema,
        auth_token_value=auth_token,
        driver=driver,
        sync_url=sync_url,
        sync_mode=sync_mode,
        sync_interval=sync_interval,
        timeout=timeout,
        busy_timeout_ms=busy_timeout_ms,
        wal=wal,
        pool_size=pool_size,
        read_url=read_url,
        consistency=consistency,
        usage_budget=usage_budget,
    )
    if target.mode == "remote":
        return Database(
            remote_engine(target.url, target.read_urls, **target.server()), schema, target.url
        )
    if target.mode == "replica":
        replica = ReplicaEngine(target.replica())
        return Database(replica, schema, target.url, sync=ReplicaPull(replica))
    local = LocalEngine(target.files())
    if target.mode == "local":
        return Database(local, schema, target.url)
    from libsqlkit._sync import Syncer

    assert target.sync_url is not None
    server = remote_engine(target.sync_url, (), **target.server())
    syncer = Syncer(Database(server, schema, target.sync_url), schema)
    return Database(local, schema, target.url, sync=syncer, sync_interval=target.sync_interval)


def connect_async(
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
    pool_size: int = DEFAULT_POOL_SIZE,
    read_url: str | Sequence[str] | None = None,
    consistency: Consistency | None = None,
    usage_budget: UsageBudget | Literal["free"] | None = None,
) -> AsyncDatabase:
    """The `AsyncDatabase` for `schema`: the same arguments, environment and modes as
    `connect`. Opening is quick and synchronous (a local file is opened, a replica
    pulled once); every call after that is awaited."""
    target = resolve(
        url,
        schema=schema,
        auth_token_value=auth_token,
        driver=driver,
        sync_url=sync_url,
        sync_mode=sync_mode,
        sync_interval=sync_interval,
        timeout=timeout,
        busy_timeout_ms=busy_timeout_ms,
        wal=wal,
        pool_size=pool_size,
        read_url=read_url,
        consistency=consistency,
        usage_budget=usage_budget,
    )
    if target.mode == "remote":
        engine = async_remote_engine(target.url, target.read_urls, **target.server())
        return AsyncDatabase(engine, schema, target.url)
    if target.mode == "replica":
        replica = AsyncReplicaEngine(target.replica())
        return AsyncDatabase(replica, schema, target.url, sync=AsyncReplicaPull(replica))
    local = AsyncLocalEngine(target.files())
    if target.mode == "local":
        return AsyncDatabase(local, schema, target.url)
    from libsqlkit._sync import AsyncSyncer

    assert target.sync_url is not None
    server = async_remote_engine(target.sync_url, (), **target.server())
    syncer = AsyncSyncer(AsyncDatabase(server, schema, target.sync_url), schema)
    return AsyncDatabase(local, schema, target.url, sync=syncer, sync_interval=target.sync_interval)


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


def _read_urls(value: str | Sequence[str] | None) -> list[str]:
    """Read replica URLs: the argument (a URL, several comma-separated, or a list), else
    `TURSO_READ_URL`; each a remote URL, none twice."""
    if value is None:
        value = os.environ.get(READ_URL_VARIABLE) or ""
    urls = [u.strip() for u in value.split(",")] if isinstance(value, str) else list(value)
    urls = [u for u in urls if u]
    seen: set[str] = set()
    for url in urls:
        base = http_base_url(url)  # a ConfigurationError for anything but a server URL
        if base in seen:
            raise ConfigurationError(f"read URL {base} is listed twice")
        seen.add(base)
    return urls


def _budget(value: UsageBudget | Literal["free"] | None) -> UsageBudget | None:
    if isinstance(value, UsageBudget):
        return value
    text = value if value is not None else os.environ.get(USAGE_BUDGET_VARIABLE)
    if not text:
        return None
    return parse_budget(text, source=f"usage budget ({USAGE_BUDGET_VARIABLE})")
