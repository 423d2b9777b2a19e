"""The pinned Node.js toolchain of tests/drizzle/ (drizzle-orm, drizzle-kit, TypeScript)
for the bridge tests: running it, and the schema facts two databases are compared by."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.node_project import NODE_PROJECT, node_with_packages

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def node() -> str:
    """Node.js, with the pinned packages installed (`npm ci`) when one is missing."""
    return node_with_packages()


def run(command: list[str], *, cwd: Path = NODE_PROJECT, env: dict[str, str] | None = None) -> str:
    """Run a command; its stdout, or a failure showing what it printed."""
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def node_folder(path: Path) -> Path:
    """`path` as a folder where TypeScript and Node resolve the pinned packages."""
    path.mkdir(parents=True, exist_ok=True)
    link = path / "node_modules"
    if not link.exists():
        link.symlink_to(NODE_PROJECT / "node_modules")
    return path


def drizzle_kit_statements(node: str, schema: Path, out: Path) -> list[str]:
    """The DDL `drizzle-kit generate` writes for a Drizzle schema file (.js or .ts)."""
    run(
        [node, "node_modules/drizzle-kit/bin.cjs", "generate", "--config", "exported.config.js"],
        env={"DRIZZLE_SCHEMA": str(schema), "DRIZZLE_OUT": str(out)},
    )
    (migration,) = out.glob("*.sql")
    return [s for s in migration.read_text(encoding="utf-8").split("--> statement-breakpoint")]


def create_database(path: Path, statements: list[str]) -> Path:
    with sqlite3.connect(path) as raw:
        for statement in statements:
            raw.execute(statement)
    return path


def pragma_facts(database: Path) -> dict[str, Any]:
    """Per table: PRAGMA table_info, index_list with index_info, and foreign_key_list."""
    with sqlite3.connect(database) as raw:
        names = [
            row[0]
            for row in raw.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '\\_\\_libsqlkit%' ESCAPE '\\' ORDER BY name"
            )
        ]
        facts: dict[str, Any] = {}
        for table in names:
            indexes = {}
            for _, name, unique, origin, partial in raw.execute(f"PRAGMA index_list(`{table}`)"):
                columns = [row[2] for row in raw.execute(f"PRAGMA index_info(`{name}`)")]
                indexes[name] = (unique, origin, partial, columns)
            facts[table] = {
                "columns": raw.execute(f"PRAGMA table_info(`{table}`)").fetchall(),
                "indexes": indexes,
                "foreign_keys": raw.execute(f"PRAGMA foreign_key_list(`{table}`)").fetchall(),
            }
        return facts
