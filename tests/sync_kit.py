"""Devices and a cloud for the offline-sync tests: real files, a real sqld, real links.

The server and every device get their schema the way production does: by applying the
migrations folder (which creates the change log and its triggers).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generated.client import DbClient, create_db_client
from generated.repositories import WorkflowRepository
from libsqlkit import LocalDriverName, connect
from libsqlkit._migrate import Migrator
from tests.netlink import Link
from tests.sqld import Sqld

MIGRATIONS = Path(__file__).parent.parent / "migrations"
SYNCED_TABLES = ("workflows", "user_settings")


def migrate(db: DbClient) -> None:
    Migrator(db, MIGRATIONS).migrate()


def start_cloud(folder: Path) -> Sqld:
    server = Sqld(folder, auth=True).start()
    with backend(server) as admin:
        migrate(admin)
    return server


def empty_cloud(server: Sqld) -> None:
    """Delete every synced row and its history on the server (not a tracked change)."""
    with backend(server) as admin:
        admin.batch(
            [
                ("UPDATE __libsqlkit_sync SET applying = 1", ()),
                *((f"DELETE FROM `{table}`", ()) for table in SYNCED_TABLES),
                ("DELETE FROM __libsqlkit_sync_rows", ()),
                ("UPDATE __libsqlkit_sync SET applying = 0", ()),
            ]
        )


def backend(server: Sqld) -> DbClient:
    """The cloud backend's own client: it writes on the server directly."""
    return create_db_client(server.url, auth_token=server.token())


@dataclass
class Device:
    name: str
    db: DbClient
    link: Link

    @property
    def workflows(self) -> WorkflowRepository:
        return WorkflowRepository(self.db)

    def close(self) -> None:
        self.db.close()
        self.link.close()


def open_device(
    server: Sqld,
    folder: Path,
    name: str,
    *,
    driver: LocalDriverName | None = None,
    timeout: float = 5.0,
    sync_interval: float = 0,
) -> Device:
    link = Link(server.port)
    db = create_db_client(
        f"file:{folder / name}.db",
        sync_url=link.url,
        sync_mode="offline",
        sync_interval=sync_interval,
        auth_token=server.token(),
        driver=driver,
        timeout=timeout,
    )
    migrate(db)
    return Device(name, db, link)


def table_rows(db: DbClient, table: str) -> list[tuple[Any, ...]]:
    return db.execute(f"SELECT * FROM `{table}` ORDER BY 1")


def contents(db: DbClient) -> dict[str, list[tuple[Any, ...]]]:
    return {table: table_rows(db, table) for table in SYNCED_TABLES}


def server_contents(server: Sqld) -> dict[str, list[tuple[Any, ...]]]:
    with backend(server) as admin:
        return contents(admin)


def versions(db: DbClient) -> list[tuple[Any, ...]]:
    return db.execute("SELECT tbl, pk, hlc, deleted FROM __libsqlkit_sync_rows ORDER BY tbl, pk")


def plain_copy(path: Path) -> DbClient:
    """A second, sync-less connection to a device's file (another process's view)."""
    from generated.tables import SCHEMA

    return connect(SCHEMA, f"file:{path}")
