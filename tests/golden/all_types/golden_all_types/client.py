# generated from schema.yaml — do not edit

"""The client factory of this schema: `create_db_client()` and the `DbClient` type."""

from __future__ import annotations

from typing import TypeAlias

from golden_all_types.tables import SCHEMA
from libsqlkit import Database, LocalDriverName, SyncMode, app_database_url, connect

__all__ = ["SCHEMA", "DbClient", "app_database_url", "create_db_client"]

DbClient: TypeAlias = Database


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
    - `timeout`: the bound, in seconds, of every remote call.
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
    )
