"""`libsqlkit studio`: browse (and, with --write, edit) the database in Datasette.

Datasette does the web UI; this module only tells it what schema.yaml knows: table and
column descriptions, facets on enum columns, canned queries for the declared finders,
and (through codegen.studio_plugin) dates for timestamps, readable JSON, marked
soft-deleted rows and validated edits. A remote database is served from a local
read-only replica, synced at start and on demand. codegen.studio_guard wraps the whole
web app so that only the studio's own loopback pages can read it or change anything.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from types import ModuleType
from typing import Any

from libsqlkit import Database, Schema, connect
from libsqlkit._changelog import ROWS, STATE
from libsqlkit._migrate import TRACKING
from libsqlkit._url import database_url, file_path, url_scheme

from .ir import QueryIR, SchemaIR, TableIR

__all__ = ["StudioState", "metadata", "open_studio_database"]

DATABASE = "app"
REFRESH_PATH = "/-/studio/refresh"


@dataclass
class StudioState:
    """What the plugin needs while serving."""

    schema: SchemaIR
    db: Database
    source_url: str
    write: bool
    replica: bool
    models: ModuleType  # the project's generated <package>.models
    repositories: ModuleType  # and <package>.repositories, found from the configuration
    synced_at: datetime | None = None
    tables: dict[str, TableIR] = field(default_factory=dict)

    def sync(self) -> None:
        self.db.sync()
        self.synced_at = datetime.now(UTC)


def _canned_sql(table: TableIR, query: QueryIR) -> str:
    where = [f"`{c}` = :{c}" for c in query.where]
    if table.soft_delete and not query.include_deleted:
        where.append(f"`{table.soft_delete}` IS NULL")
    text = f"SELECT * FROM `{table.name}` WHERE {' AND '.join(where)}"
    if query.order_by:
        text += " ORDER BY " + ", ".join(f"`{c}` {d}" for c, d in query.order_by)
    if query.kind == "one":
        text += " LIMIT 1"
    elif query.limit:
        text += f" LIMIT {query.limit}"
    return text


def _column_description(table: TableIR, name: str) -> str:
    column = table.column(name)
    parts = [column.sql_type + (f" ({column.mode})" if column.mode else "")]
    if column.enum:
        parts.append("one of " + ", ".join(column.enum))
    if column.is_timestamp:
        parts.append("shown as a UTC date")
    if column.not_null:
        parts.append("not null")
    if column.description:
        parts.append(column.description)
    if name == table.soft_delete:
        parts.append("set = soft-deleted")
    return "; ".join(parts)


def metadata(state: StudioState) -> dict[str, Any]:
    origin = (
        f"Read-only replica of {escape(_redacted(state.source_url))}, synced at start; "
        f'<a href="{REFRESH_PATH}">sync it again</a>.'
        if state.replica
        else escape(state.source_url)
    )
    mode = (
        "Writes enabled: edit a row from its id (validated like the repositories)."
        if state.write
        else "Read-only."
    )
    tables: dict[str, Any] = {}
    queries: dict[str, Any] = {}
    for table in state.schema.tables:
        description = table.description or ""
        if table.soft_delete:
            description += (
                f" Soft-deleted rows have {table.soft_delete} set (marked [deleted]); hide them with the filter "
                f"{table.soft_delete} is null, or the canned query {table.name}_live."
            )
            queries[f"{table.name}_live"] = {
                "sql": f"SELECT * FROM `{table.name}` WHERE `{table.soft_delete}` IS NULL",
                "title": f"{table.name} without soft-deleted rows",
            }
        tables[table.name] = {
            "description": description.strip(),
            "columns": {c.name: _column_description(table, c.name) for c in table.columns},
            "facets": [c.name for c in table.columns if c.enum],
            "label_column": table.primary_key.name,
        }
        timestamps = [c.name for c in table.columns if c.name == "created_at" and c.is_timestamp]
        if timestamps:
            tables[table.name]["sort_desc"] = timestamps[0]
        for query in table.queries:
            if query.kind in ("one", "many"):
                queries[f"{table.name}_{query.name}"] = {
                    "sql": _canned_sql(table, query),
                    "title": f"{table.model}Repository.{query.name}",
                    "description": query.description or "",
                }
    for internal in (TRACKING, STATE, ROWS):  # bookkeeping of migrations and sync
        tables[internal] = {"hidden": True}
    description = f"{origin} {mode}"
    return {
        "title": "libsqlkit studio",
        "description_html": description,
        "databases": {
            DATABASE: {"description_html": description, "tables": tables, "queries": queries}
        },
    }


def _redacted(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//", url)


def open_studio_database(url: str | None, *, auth_token: str | None) -> tuple[Database, Path, bool]:
    """(client, file to serve, is a replica). A remote URL gets a local replica."""
    target = database_url(url)
    if url_scheme(target) == "file":
        path = Path(file_path(target))
        if not path.exists():
            raise FileNotFoundError(
                f"{target}: no such database file (run `libsqlkit migrate` first)"
            )
        return connect(Schema((), ()), target), path, False
    folder = Path(tempfile.mkdtemp(prefix="libsqlkit-studio-"))
    replica = folder / "replica.db"
    db = connect(Schema((), ()), f"file:{replica}", sync_url=target, auth_token=auth_token)
    return db, replica, True
