# generated from schema.yaml — do not edit

"""Repositories of `sync_state`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `SyncStateRepository`
runs it on a `Database` and `AsyncSyncStateRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_relations.models import NewSyncState, SyncState, SyncStateUpdate
from golden_relations.tables import SYNC_STATE
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncSyncStateRepository", "SyncStateRepository"]


class SyncStateRepository(Repository[SyncState, NewSyncState, SyncStateUpdate, str]):
    """Typed access to `sync_state`."""

    table = SYNC_STATE
    select_model = SyncState
    insert_model = NewSyncState
    update_model = SyncStateUpdate


class AsyncSyncStateRepository(AsyncRepository[SyncState, NewSyncState, SyncStateUpdate, str]):
    """`SyncStateRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = SYNC_STATE
    select_model = SyncState
    insert_model = NewSyncState
    update_model = SyncStateUpdate
