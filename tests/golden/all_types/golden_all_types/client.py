# generated from schema.yaml — do not edit

"""The client factory of this schema: `create_db_client()` and the `DbClient` type."""

from __future__ import annotations

from typing import TypeAlias

from golden_all_types.tables import SCHEMA
from libsqlkit import Database, DriverName, app_database_url, connect

__all__ = ["SCHEMA", "DbClient", "app_database_url", "create_db_client"]

DbClient: TypeAlias = Database


def create_db_client(
    url: str | None = None,
    *,
    auth_token: str | None = None,
    driver: DriverName | None = None,
    busy_timeout_ms: int = 5000,
    wal: bool = True,
) -> DbClient:
    """Open the database at `url`, by default `TURSO_DATABASE_URL` (required then).

    `file:` URLs never use the auth token. The driver defaults to the standard library's
    sqlite3; `driver="libsql"` selects libsql_experimental. WAL mode and a busy timeout
    are on by default.
    """
    return connect(
        SCHEMA, url, auth_token=auth_token, driver=driver, busy_timeout_ms=busy_timeout_ms, wal=wal
    )
