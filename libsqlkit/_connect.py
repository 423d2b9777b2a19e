"""From arguments and the environment to an open client: which mode, which engine.

One resolution serves `connect()` (the sync `Database`) and `connect_async()` (the
`AsyncDatabase`), so both take the same arguments and environment, with the same errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Literal, TypedDict

from libsqlkit._async_database import AsyncDatabase
from libsqlkit._database import Database
from libsqlkit._drivers import LocalDriverName
from libsqlkit._errors import ConfigurationError
from libsqlkit._local import AsyncLocalEngine, LocalEngine, _Connections
from libsqlkit._remote import AsyncRemoteEngine, RemoteEngine
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

SyncMode = Literal["replica", "offline"]


class ServerSettings(TypedDict):
    token: str | None
    timeout: float
    pool_size: int
    busy_s: float


Mode = Literal["local", "remote", "replica", "offline"]


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

    def __repr__(self) -> str:  # the token stays out of every repr
        return f"Target(mode={self.mode!r}, url={self.url!r})"

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
        """What a remote engine takes: the token, the bounds, the pool."""
        return {
            "token": self.token,
            "timeout": self.timeout,
            "pool_size": self.pool_size,
            "busy_s": self.busy_timeout_ms / 1000,
        }

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
) -> Target:
    """Which mode the arguments and the environment ask for (arguments win).

    - `file:` URL → a local file (driver sqlite3 by default, or libsql);
    - `file:` URL plus a sync URL (`TURSO_SYNC_URL`), by `sync_mode` (`TURSO_SYNC_MODE`):
      `replica` (default), an embedded replica of that primary; `offline`, a local file
      that works offline and syncs with the server (when the schema has synced tables);
    - `libsql://` (TLS), `https://`, `http://` → the remote server itself.
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
        return replace(common, mode="remote")
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
) -> Database:
    """Open the database for `schema` (see `resolve` for the modes).

    `sync_url=""` means no sync URL, whatever the environment says. The auth token
    (`TURSO_AUTH_TOKEN`) is sent only to remote servers, never for a plain `file:` URL.
    Every remote call is bounded by `timeout` seconds.
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
    )
    if target.mode == "remote":
        engine = RemoteEngine(target.url, **target.server())
        return Database(engine, schema, target.url)
    if target.mode == "replica":
        replica = ReplicaEngine(target.replica())
        return Database(replica, schema, target.url, sync=ReplicaPull(replica))
    local = LocalEngine(target.files())
    if target.mode == "local":
        return Database(local, schema, target.url)
    from libsqlkit._sync import Syncer

    assert target.sync_url is not None
    server = RemoteEngine(target.sync_url, **target.server())
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
    )
    if target.mode == "remote":
        engine = AsyncRemoteEngine(target.url, **target.server())
        return AsyncDatabase(engine, schema, target.url)
    if target.mode == "replica":
        replica = AsyncReplicaEngine(target.replica())
        return AsyncDatabase(replica, schema, target.url, sync=AsyncReplicaPull(replica))
    local = AsyncLocalEngine(target.files())
    if target.mode == "local":
        return AsyncDatabase(local, schema, target.url)
    from libsqlkit._sync import AsyncSyncer

    assert target.sync_url is not None
    server = AsyncRemoteEngine(target.sync_url, **target.server())
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
