"""A scratch project for migration tests: a schema file, a migrations folder, a database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen.diff import Plan
from codegen.migrations import new_migration
from codegen.source import load_source
from codegen.validate import build_schema
from libsqlkit import Database, Schema, connect
from libsqlkit._migrate import Migrator
from libsqlkit._snapshot import Snapshot, introspect, schema_facts

EMPTY = Schema((), ())


class Project:
    """The database is the folder's app.db, or the server at `url` (sqld)."""

    def __init__(self, folder: Path, url: str | None = None, auth_token: str | None = None) -> None:
        self.folder = folder
        self.schema_path = folder / "schema.yaml"
        self.migrations = folder / "migrations"
        self.url = url or f"file:{folder / 'app.db'}"
        self.db: Database = connect(EMPTY, self.url, auth_token=auth_token)

    def write_schema(self, tables: dict[str, Any]) -> None:
        # JSON is YAML: the test schemas are written as JSON documents.
        self.schema_path.write_text(json.dumps({"version": 1, "tables": tables}, indent=1))

    def migration(self, tables: dict[str, Any], name: str) -> Plan | None:
        self.write_schema(tables)
        written = new_migration(self.migrations, build_schema(load_source(self.schema_path)), name)
        return None if written is None else written[1]

    def migrator(self) -> Migrator:
        return Migrator(self.db, self.migrations)

    def live(self) -> Snapshot:
        return introspect(lambda sql, params: self.db.execute(sql, params))

    def expected(self) -> Snapshot:
        applied = len(self.migrator().applied())
        return schema_facts(self.migrator().folder.latest_snapshot(applied))

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        return self.db.execute(f"SELECT * FROM `{table}` ORDER BY rowid")


def pk(kind: str = "text") -> dict[str, Any]:
    return {"type": kind, "primary_key": True}
