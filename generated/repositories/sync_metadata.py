# generated from schema.yaml — do not edit

"""Repository of `sync_metadata`: generic CRUD plus the queries declared in schema.yaml."""

from __future__ import annotations

from typing import Final

from generated.models import NewSyncMetadata, SyncMetadata, SyncMetadataUpdate
from generated.tables import SYNC_METADATA
from libsqlkit import Repository

__all__ = ["SyncMetadataRepository"]

_FIND_BY_TABLE_NAME_SQL: Final = "SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_metadata` WHERE `table_name` = ?1 ORDER BY `id` ASC"


class SyncMetadataRepository(Repository[SyncMetadata, NewSyncMetadata, SyncMetadataUpdate, str]):
    """Typed access to `sync_metadata`."""

    table = SYNC_METADATA
    select_model = SyncMetadata
    insert_model = NewSyncMetadata
    update_model = SyncMetadataUpdate

    def find_by_table_name(self, table_name: str) -> list[SyncMetadata]:
        """The sync rows of one table."""
        return self._fetch_all(_FIND_BY_TABLE_NAME_SQL, (table_name,))
