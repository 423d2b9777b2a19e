# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml."""

from generated.repositories.sync_metadata import SyncMetadataRepository
from generated.repositories.user_settings import UserSettingsRepository
from generated.repositories.workflows import WorkflowRepository

__all__ = ["SyncMetadataRepository", "UserSettingsRepository", "WorkflowRepository"]
