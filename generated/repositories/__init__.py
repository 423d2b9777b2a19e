# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml, sync and async."""

from generated.repositories.sync_metadata import AsyncSyncMetadataRepository, SyncMetadataRepository
from generated.repositories.user_settings import AsyncUserSettingsRepository, UserSettingsRepository
from generated.repositories.workflows import AsyncWorkflowRepository, WorkflowRepository

__all__ = [
    "AsyncSyncMetadataRepository",
    "AsyncUserSettingsRepository",
    "AsyncWorkflowRepository",
    "SyncMetadataRepository",
    "UserSettingsRepository",
    "WorkflowRepository",
]
