"""Fixtures: real database files in a temporary folder, once per local driver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generated.client import DbClient, create_db_client
from generated.repositories import (
    SyncMetadataRepository,
    UserSettingsRepository,
    WorkflowRepository,
)
from libsqlkit import DriverName

DRIVERS: tuple[DriverName, ...] = ("sqlite3", "libsql")


@pytest.fixture(params=DRIVERS)
def driver(request: pytest.FixtureRequest) -> DriverName:
    name: DriverName = request.param
    return name


@pytest.fixture
def db(tmp_path: Path, driver: DriverName) -> Iterator[DbClient]:
    client = create_db_client(f"file:{tmp_path / 'app.db'}", driver=driver)
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
