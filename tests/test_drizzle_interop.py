"""Drizzle ORM (Node.js, better-sqlite3) and this layer share one database file.

- drizzle-kit's DDL for the design's schema and ours give the same columns (order, type,
  NOT NULL, default, primary key) and the same indexes;
- a row written by Drizzle reads back in Python as the same values, and the same values
  written by Python are stored byte for byte as Drizzle stores them;
- Drizzle reads rows written by Python exactly as it reads its own;
- Drizzle's writes to a synced device's file are tracked and reach the other devices.

tests/drizzle/ holds the design's schema in Drizzle and pinned npm dependencies
(installed with `npm ci` on first use).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from generated.client import create_db_client
from generated.models import NewSyncMetadata, NewUserSettings, NewWorkflow
from generated.repositories import (
    SyncMetadataRepository,
    UserSettingsRepository,
    WorkflowRepository,
)
from tests.node_project import NODE_PROJECT, node_with_packages
from tests.sync_kit import contents, open_device, server_contents, start_cloud

SAMPLE: dict[str, dict[str, Any]] = json.loads(
    (NODE_PROJECT / "sample.json").read_text(encoding="utf-8")
)
TABLES = ("workflows", "user_settings", "sync_metadata")
TIMESTAMPS = {"createdAt", "updatedAt", "completedAt", "deletedAt", "lastSyncAt"}


@pytest.fixture(scope="session")
def node() -> str:
    return node_with_packages()


def _drizzle(node: str, command: str, database: Path) -> Any:
    result = subprocess.run(
        [node, "interop.js", command, str(database)],
        cwd=NODE_PROJECT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _python_values(sample: dict[str, Any]) -> dict[str, Any]:
    """The sample in Python terms: snake_case names, epoch milliseconds as aware datetimes."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return {
        _snake(key): (
            epoch + timedelta(milliseconds=value)
            if key in TIMESTAMPS and value is not None
            else value
        )
        for key, value in sample.items()
    }


def _write_with_python(database: Path) -> None:
    with create_db_client(f"file:{database}") as db:
        WorkflowRepository(db).create(
            NewWorkflow.model_validate(_python_values(SAMPLE["workflow"]))
        )
        UserSettingsRepository(db).create(
            NewUserSettings.model_validate(_python_values(SAMPLE["userSettings"]))
        )
        SyncMetadataRepository(db).create(
            NewSyncMetadata.model_validate(_python_values(SAMPLE["syncMetadata"]))
        )


def _raw_rows(database: Path, table: str) -> list[tuple[str, ...]]:
    """Every stored value as SQLite's own literal text (type and bytes), id left out."""
    with sqlite3.connect(database) as raw:
        columns = [row[1] for row in raw.execute(f"PRAGMA table_info({table})") if row[1] != "id"]
        select = ", ".join(f"quote({c})" for c in columns)
        return raw.execute(f"SELECT {select} FROM {table}").fetchall()


def _empty_database(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    with create_db_client(f"file:{path}") as db:
        db.create_schema()
    return path


def _schema_facts(database: Path) -> dict[str, Any]:
    with sqlite3.connect(database) as raw:
        facts: dict[str, Any] = {}
        for table in TABLES:
            indexes = {}
            for _, name, unique, origin, partial in raw.execute(f"PRAGMA index_list({table})"):
                columns = [row[2] for row in raw.execute(f"PRAGMA index_info({name})")]
                indexes[name] = (unique, origin, partial, columns)
            facts[table] = {
                "columns": raw.execute(f"PRAGMA table_info({table})").fetchall(),
                "indexes": indexes,
            }
        return facts


def test_drizzle_kit_ddl_gives_the_same_schema(node: str, tmp_path: Path) -> None:
    out = tmp_path / "drizzle-out"
    result = subprocess.run(
        [node, "node_modules/drizzle-kit/bin.cjs", "generate", "--config", "drizzle.config.js"],
        cwd=NODE_PROJECT,
        env={**os.environ, "DRIZZLE_OUT": str(out)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (migration,) = out.glob("*.sql")
    theirs = tmp_path / "drizzle-kit.db"
    with sqlite3.connect(theirs) as raw:
        for statement in migration.read_text().split("--> statement-breakpoint"):
            raw.execute(statement)
    ours = _empty_database(tmp_path, "ours.db")
    assert _schema_facts(ours) == _schema_facts(theirs)


def test_rows_are_stored_byte_for_byte_as_drizzle_stores_them(node: str, tmp_path: Path) -> None:
    by_drizzle = _empty_database(tmp_path, "drizzle.db")
    _drizzle(node, "write", by_drizzle)
    by_python = _empty_database(tmp_path, "python.db")
    _write_with_python(by_python)
    for table in TABLES:
        assert _raw_rows(by_python, table) == _raw_rows(by_drizzle, table), table


def test_python_reads_what_drizzle_wrote(node: str, tmp_path: Path) -> None:
    database = _empty_database(tmp_path, "drizzle.db")
    ids = _drizzle(node, "write", database)
    with create_db_client(f"file:{database}") as db:
        workflow = WorkflowRepository(db).find_by_id(ids["workflow"])
        settings = UserSettingsRepository(db).find_by_user_id("user-1")
        sync = SyncMetadataRepository(db).find_by_table_name("workflows")
    assert workflow is not None and settings is not None and len(sync) == 1
    assert workflow.input_payload == SAMPLE["workflow"]["inputPayload"]
    assert workflow.created_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)  # seconds, floored
    assert workflow.updated_at == datetime(
        1969, 12, 31, 23, 59, 59, tzinfo=UTC
    )  # floor(-0.5 s) = -1
    assert workflow.error_log == SAMPLE["workflow"]["errorLog"]
    assert (workflow.status, workflow.retry_count, workflow.completed_at) == (
        "COMPLETED",
        3,
        datetime(2024, 2, 29, 12, 0, tzinfo=UTC),
    )
    assert settings.preferences == SAMPLE["userSettings"]["preferences"]
    assert (sync[0].sync_status, sync[0].last_sync_at) == ("PENDING", None)


def test_drizzle_reads_what_python_wrote(node: str, tmp_path: Path) -> None:
    by_drizzle = _empty_database(tmp_path, "drizzle.db")
    _drizzle(node, "write", by_drizzle)
    by_python = _empty_database(tmp_path, "python.db")
    _write_with_python(by_python)

    def without_ids(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        return {
            table: [{k: v for k, v in row.items() if k != "id"} for row in data]
            for table, data in rows.items()
        }

    assert without_ids(_drizzle(node, "read", by_python)) == without_ids(
        _drizzle(node, "read", by_drizzle)
    )


def test_drizzle_writes_on_a_synced_device_reach_the_other_devices(
    node: str, tmp_path: Path
) -> None:
    """The change log is SQL triggers: a Drizzle app writing the device's file is synced
    like this layer's own writes, byte for byte."""
    cloud = start_cloud(tmp_path / "cloud")
    a, b = open_device(cloud, tmp_path, "a"), open_device(cloud, tmp_path, "b")
    try:
        ids = _drizzle(node, "write", tmp_path / "a.db")
        assert a.db.pending_changes() == {"workflows": 1, "user_settings": 1}
        a.db.sync()
        b.db.sync()
        got = b.workflows.get(ids["workflow"], include_deleted=True)
        assert got is not None and got.type == SAMPLE["workflow"]["type"]
        assert contents(b.db) == contents(a.db) == server_contents(cloud)
    finally:
        a.close()
        b.close()
        cloud.stop()
