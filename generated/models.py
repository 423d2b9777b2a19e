# generated from schema.yaml — do not edit

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, ConfigDict, JsonValue

from libsqlkit import InsertModel, SelectModel, UpdateModel


class Workflow(SelectModel):
    """
    A unit of work run for a user, with its payloads and outcome.

    A row of `workflows` as stored.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: str
    type: str
    user_id: str
    status: Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"]
    input_payload: JsonValue | None
    output_payload: JsonValue | None
    error_log: str | None
    retry_count: int
    created_at: AwareDatetime
    updated_at: AwareDatetime
    completed_at: AwareDatetime | None
    deleted_at: AwareDatetime | None


class NewWorkflow(InsertModel):
    """
    A new row of `workflows`: fields with a default or that are nullable may be left out.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: str | None = None
    type: str
    user_id: str
    status: Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"] = "PENDING"
    input_payload: JsonValue | None = None
    output_payload: JsonValue | None = None
    error_log: str | None = None
    retry_count: int = 0
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    completed_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class WorkflowUpdate(UpdateModel):
    """
    Changes to a row of `workflows`: only the fields set are written.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: str | None = None
    type: str | None = None
    user_id: str | None = None
    status: Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"] | None = None
    input_payload: JsonValue | None = None
    output_payload: JsonValue | None = None
    error_log: str | None = None
    retry_count: int | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    completed_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class UserSettings(SelectModel):
    """
    Per-user preferences; one row per user.

    A row of `user_settings` as stored.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: str
    user_id: str
    preferences: JsonValue | None
    created_at: AwareDatetime
    updated_at: AwareDatetime


class NewUserSettings(InsertModel):
    """
    A new row of `user_settings`: fields with a default or that are nullable may be left out.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: str | None = None
    user_id: str
    preferences: JsonValue | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class UserSettingsUpdate(UpdateModel):
    """
    Changes to a row of `user_settings`: only the fields set are written.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: str | None = None
    user_id: str | None = None
    preferences: JsonValue | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class SyncMetadata(SelectModel):
    """
    Sync state of one table between the local file and the cloud database.

    A row of `sync_metadata` as stored.
    """

    id: str
    table_name: str
    last_sync_at: AwareDatetime | None
    sync_status: Literal["PENDING", "SYNCING", "COMPLETED", "FAILED"]


class NewSyncMetadata(InsertModel):
    """
    A new row of `sync_metadata`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    table_name: str
    last_sync_at: AwareDatetime | None = None
    sync_status: Literal["PENDING", "SYNCING", "COMPLETED", "FAILED"] = "PENDING"


class SyncMetadataUpdate(UpdateModel):
    """
    Changes to a row of `sync_metadata`: only the fields set are written.
    """

    id: str | None = None
    table_name: str | None = None
    last_sync_at: AwareDatetime | None = None
    sync_status: Literal["PENDING", "SYNCING", "COMPLETED", "FAILED"] | None = None
