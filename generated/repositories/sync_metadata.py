# generated from schema.yaml — do not edit

"""Repositories of `sync_metadata`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `SyncMetadataRepository`
runs it on a `Database` and `AsyncSyncMetadataRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from typing import Final

from generated.models import NewSyncMetadata, SyncMetadata, SyncMetadataUpdate
from generated.tables import SYNC_METADATA
from libsqlkit import AsyncRepository, Plan, Repository, fetch_all

__all__ = ["AsyncSyncMetadataRepository", "SyncMetadataRepository"]

_FIND_BY_TABLE_NAME_SQL: Final = "SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_metadata` WHERE `table_name` = ?1 ORDER BY `id` ASC"


def _find_by_table_name_plan(table_name: str) -> Plan[list[SyncMetadata]]:
    """The sync rows of one table."""
    return fetch_all(SYNC_METADATA, SyncMetadata, _FIND_BY_TABLE_NAME_SQL, (table_name,))


class SyncMetadataRepository(Repository[SyncMetadata, NewSyncMetadata, SyncMetadataUpdate, str]):
    """Typed access to `sync_metadata`."""

    table = SYNC_METADATA
    select_model = SyncMetadata
    insert_model = NewSyncMetadata
    update_model = SyncMetadataUpdate

    def find_by_table_name(self, table_name: str) -> list[SyncMetadata]:
        """The sync rows of one table."""
        return self.db.run(_find_by_table_name_plan(table_name))


class AsyncSyncMetadataRepository(
    AsyncRepository[SyncMetadata, NewSyncMetadata, SyncMetadataUpdate, str]
):
    """`SyncMetadataRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = SYNC_METADATA
    select_model = SyncMetadata
    insert_model = NewSyncMetadata
    update_model = SyncMetadataUpdate

    async def find_by_table_name(self, table_name: str) -> list[SyncMetadata]:
        """The sync rows of one table."""
        return await self.db.run(_find_by_table_name_plan(table_name))
