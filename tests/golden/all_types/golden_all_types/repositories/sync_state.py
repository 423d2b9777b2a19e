# generated from schema.yaml — do not edit

"""Repository of `sync_state`: generic CRUD plus the queries declared in schema.yaml."""

from __future__ import annotations

from golden_all_types.models import NewSyncState, SyncState, SyncStateUpdate
from golden_all_types.tables import SYNC_STATE
from libsqlkit import Repository

__all__ = ["SyncStateRepository"]


class SyncStateRepository(Repository[SyncState, NewSyncState, SyncStateUpdate, str]):
    """Typed access to `sync_state`."""

    table = SYNC_STATE
    select_model = SyncState
    insert_model = NewSyncState
    update_model = SyncStateUpdate
