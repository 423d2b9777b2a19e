# generated from schema.yaml — do not edit

"""The client factories of this schema: `create_db_client()` (sync) and
`create_async_db_client()` (asyncio), and their types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias

from golden_views.tables import SCHEMA
from libsqlkit import (
    AsyncDatabase,
    Consistency,
    Database,
    LocalDriverName,
    SyncMode,
    UsageBudget,
    app_database_url,
    connect,
    connect_async,
)

__all__ = [
    "SCHEMA",
    "AsyncDbClient",
    "DbClient",
    "app_database_url",
    "create_async_db_client",
    "create_db_client",
]

DbClient: TypeAlias = Database
AsyncDbClient: TypeAlias = AsyncDatabase


def create_db_client(
    url: str | None = None,
    *,
    auth_token: str | None = None,
    driver: LocalDriverName | None = None,
    sync_url: str | None = None,
    sync_mode: SyncMode | None = None,
    sync_interval: float | None = None,
    timeout: float = 10.0,
    busy_timeout_ms: int = 5000,
    wal: bool = True,
    pool_size: int = 8,
    read_url: str | Sequence[str] | None = None,
    consistency: Consistency | None = None,
    usage_budget: UsageBudget | Literal["free"] | None = None,
) -> DbClient:
    """Open the database; arguments override the environment.

    - `url` (`TURSO_DATABASE_URL`, required): `file:` for a local file, `libsql://`,
      `https://` or `http://` for a remote server;
    - `auth_token` (`TURSO_AUTH_TOKEN`): sent to remote servers only, never for `file:`;
    - `sync_url` (`TURSO_SYNC_URL`) with a `file:` URL, by `sync_mode` (`TURSO_SYNC_MODE`):
      `replica` (default), an embedded replica of that primary (writes go to it), or
      `offline`, a local file that works offline and exchanges changes with the server
      (last write wins); both sync every `sync_interval` seconds (`TURSO_SYNC_INTERVAL`;
      offline default 60, 0 = off) and on `sync()`;
    - `driver`: the local driver, sqlite3 (default) or libsql;
    - `timeout`: the bound, in seconds, of every remote call;
    - `pool_size`: reader connections of a local file (they read in parallel with the
      one writer), or kept-alive HTTP connections (concurrent calls) to a server;
    - a remote client reads its own writes (`consistency`, `TURSO_CONSISTENCY`:
      `session` by default, `eventual`, `primary`), also through a replica that forwards
      writes; `read_url` (`TURSO_READ_URL`, comma-separated) names read replicas of a
      remote `url` (reads go there, writes and transactions to `url`);
    - `usage_budget` (`TURSO_USAGE_BUDGET`): `"free"` (Turso's free tier) or a
      `UsageBudget`; `db.usage()` reports rows read and written and bytes stored, and a
      warning is logged near the budget.

    The client is safe to share between threads; a transaction belongs to the thread or
    task that opened it.
    """
    return connect(
        SCHEMA,
        url,
        auth_token=auth_token,
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


def create_async_db_client(
    url: str | None = None,
    *,
    auth_token: str | None = None,
    driver: LocalDriverName | None = None,
    sync_url: str | None = None,
    sync_mode: SyncMode | None = None,
    sync_interval: float | None = None,
    timeout: float = 10.0,
    busy_timeout_ms: int = 5000,
    wal: bool = True,
    pool_size: int = 8,
    read_url: str | Sequence[str] | None = None,
    consistency: Consistency | None = None,
    usage_budget: UsageBudget | Literal["free"] | None = None,
) -> AsyncDbClient:
    """The asyncio client: the same arguments and environment as `create_db_client`.

    Open one per process (e.g. in a FastAPI lifespan) and share it between requests;
    `async with` or `await db.close()` ends it. Local files run on threads of their own
    and remote calls on asyncio, so the event loop never blocks; a transaction
    (`async with db.transaction()`) belongs to the task that opened it.
    """
    return connect_async(
        SCHEMA,
        url,
        auth_token=auth_token,
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
