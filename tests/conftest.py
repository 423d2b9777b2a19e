"""Fixtures: real database files and real sqld servers, in every mode the client has.

The `db` fixture runs each repository test four times: on a local file with the
standard library's sqlite3, on a local file with libsql_experimental, against a remote
sqld over HTTP, and on an embedded replica of that sqld. `sync_db` and `async_db` add an
offline-sync device, for the suites that hold every mode to the same behaviour.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from generated.client import AsyncDbClient, DbClient, create_async_db_client, create_db_client
from generated.repositories import (
    SyncMetadataRepository,
    UserSettingsRepository,
    WorkflowRepository,
)
from libsqlkit import DriverName
from tests.sqld import Sqld

MODES: tuple[DriverName, ...] = ("sqlite3", "libsql", "remote", "replica")
# The modes of the concurrency and streaming suites: also an offline-sync device.
EVERY_MODE = (*MODES, "offline")


@pytest.fixture(scope="session")
def sqld_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sqld]:
    """One sqld with JWT auth for the whole session; tests reset its tables."""
    # sqld's default checkpoints: embedded replicas of this server need the snapshots they
    # make (with a timer instead, replicas failed with "snapshot not found").
    server = Sqld(tmp_path_factory.mktemp("sqld"), auth=True).start()
    yield server
    server.stop()


def reset_server(server: Sqld) -> None:
    """Drop every trigger, view and table, so that each test starts from an empty primary:
    the newest table first, so that a child goes before the parent its foreign key names."""
    with create_db_client(server.url, auth_token=server.token()) as admin:
        for kind in ("trigger", "view", "table"):
            for (name,) in admin.execute(
                f"SELECT name FROM sqlite_schema WHERE type = '{kind}' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY rowid DESC"
            ):
                admin.execute(f'DROP {kind.upper()} "{name}"')


def open_client(mode: DriverName, folder: Path, request: pytest.FixtureRequest) -> DbClient:
    if mode in ("sqlite3", "libsql"):
        return create_db_client(f"file:{folder / 'app.db'}", driver=mode)
    server: Sqld = request.getfixturevalue("sqld_server")
    reset_server(server)
    if mode == "remote":
        return create_db_client(server.url, auth_token=server.token())
    return create_db_client(
        f"file:{folder / 'replica.db'}", sync_url=server.url, auth_token=server.token()
    )


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> DriverName:
    name: DriverName = request.param
    return name


@pytest.fixture
def db(tmp_path: Path, mode: DriverName, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    client = open_client(mode, tmp_path, request)
    client.create_schema()
    yield client
    client.close()


@pytest.fixture
def workflows(db: DbClient) -> WorkflowRepository:
    return WorkflowRepository(db)


@pytest.fixture
def settings(db: DbClient) -> UserSettingsRepository:
    return UserSettingsRepository(db)


@pytest.fixture
def sync_rows(db: DbClient) -> SyncMetadataRepository:
    return SyncMetadataRepository(db)


def client_arguments(
    mode: str, folder: Path, request: pytest.FixtureRequest
) -> tuple[str, dict[str, object]]:
    """The URL and options of a client in `mode` (a fresh file or an emptied server)."""
    if mode in ("sqlite3", "libsql"):
        return f"file:{folder / 'app.db'}", {"driver": mode}
    server: Sqld = request.getfixturevalue("sqld_server")
    reset_server(server)
    if mode == "remote":
        return server.url, {"auth_token": server.token()}
    if mode == "replica":
        return f"file:{folder / 'replica.db'}", {
            "sync_url": server.url,
            "auth_token": server.token(),
        }
    return f"file:{folder / 'device.db'}", {
        "sync_url": server.url,
        "auth_token": server.token(),
        "sync_mode": "offline",
        "sync_interval": 0,
    }


@pytest.fixture(params=EVERY_MODE)
def sync_db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    url, options = client_arguments(request.param, tmp_path, request)
    with create_db_client(url, **options) as db:  # type: ignore[arg-type]
        db.create_schema()
        yield db


@pytest.fixture(params=EVERY_MODE)
async def async_db(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[AsyncDbClient]:
    url, options = client_arguments(request.param, tmp_path, request)
    async with create_async_db_client(url, **options) as db:  # type: ignore[arg-type]
        await db.create_schema()
        yield db
