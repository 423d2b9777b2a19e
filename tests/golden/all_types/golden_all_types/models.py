# generated from schema.yaml — do not edit

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, ConfigDict, Field, JsonValue

from libsqlkit import InsertModel, PayloadModel, SelectModel, UpdateModel


class Project(SelectModel):
    """
    A row of `projects` as stored.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: int
    slug: str
    title: str
    archived: bool
    budget: float | None
    price: str | None
    ratio: float | None
    big_counter: int | None
    logo: bytes | None
    settings: JsonValue | None
    serial: int | None
    tags: JsonValue
    started_at: AwareDatetime | None
    imported_at: AwareDatetime | None
    revision: int


class NewProject(InsertModel):
    """
    A new row of `projects`: fields with a default or that are nullable may be left out.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: int | None = None
    slug: str
    title: str = "it's untitled"
    archived: bool = False
    budget: float | None = 1.5
    price: str | None = None
    ratio: float | None = None
    big_counter: int | None = None
    logo: bytes | None = None
    settings: JsonValue | None = None
    serial: int | None = None
    tags: JsonValue = ["new"]
    started_at: AwareDatetime | None = None
    imported_at: AwareDatetime | None = None
    revision: int | None = None


class ProjectUpdate(UpdateModel):
    """
    Changes to a row of `projects`: only the fields set are written.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: int | None = None
    slug: str | None = None
    title: str | None = None
    archived: bool | None = None
    budget: float | None = None
    price: str | None = None
    ratio: float | None = None
    big_counter: int | None = None
    logo: bytes | None = None
    settings: JsonValue | None = None
    serial: int | None = None
    tags: JsonValue | None = None
    started_at: AwareDatetime | None = None
    imported_at: AwareDatetime | None = None
    revision: int | None = None


class TaskSpecOptions(PayloadModel):
    temperature: float | None = None


class TaskSpec(PayloadModel):
    """
    The JSON stored in tasks.spec.
    """

    prompt: str
    steps: Annotated[int | None, Field(ge=0)] = None
    options: TaskSpecOptions | None = None


class Folder(SelectModel):
    """
    Synced between devices (offline sync), parent of documents.

    A row of `folders` as stored.
    """

    id: str
    name: str


class NewFolder(InsertModel):
    """
    A new row of `folders`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    name: str


class FolderUpdate(UpdateModel):
    """
    Changes to a row of `folders`: only the fields set are written.
    """

    id: str | None = None
    name: str | None = None


class Document(SelectModel):
    """
    A row of `documents` as stored.
    """

    id: str
    folder_id: str
    body: str | None


class NewDocument(InsertModel):
    """
    A new row of `documents`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    folder_id: str
    body: str | None = None


class DocumentUpdate(UpdateModel):
    """
    Changes to a row of `documents`: only the fields set are written.
    """

    id: str | None = None
    folder_id: str | None = None
    body: str | None = None


class SyncState(SelectModel):
    """
    Per device, the sync status of each synced table.

    A row of `sync_state` as stored.
    """

    id: str
    table_name: str
    last_sync_at: AwareDatetime | None
    sync_status: Literal["SYNCING", "COMPLETED", "FAILED"]


class NewSyncState(InsertModel):
    """
    A new row of `sync_state`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    table_name: str
    last_sync_at: AwareDatetime | None = None
    sync_status: Literal["SYNCING", "COMPLETED", "FAILED"] = "SYNCING"


class SyncStateUpdate(UpdateModel):
    """
    Changes to a row of `sync_state`: only the fields set are written.
    """

    id: str | None = None
    table_name: str | None = None
    last_sync_at: AwareDatetime | None = None
    sync_status: Literal["SYNCING", "COMPLETED", "FAILED"] | None = None


class Task(SelectModel):
    """
    A task of a project, with a typed JSON spec.

    A row of `tasks` as stored.
    """

    id: str
    project_id: int
    state: Literal["todo", "doing", "won't do", "done"]
    spec: TaskSpec | None
    notes: str | None
    done_at: AwareDatetime | None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    removed_at: AwareDatetime | None


class NewTask(InsertModel):
    """
    A new row of `tasks`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    project_id: int
    state: Literal["todo", "doing", "won't do", "done"] = "todo"
    spec: TaskSpec | None = None
    notes: str | None = None
    done_at: AwareDatetime | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    removed_at: AwareDatetime | None = None


class TaskUpdate(UpdateModel):
    """
    Changes to a row of `tasks`: only the fields set are written.
    """

    id: str | None = None
    project_id: int | None = None
    state: Literal["todo", "doing", "won't do", "done"] | None = None
    spec: TaskSpec | None = None
    notes: str | None = None
    done_at: AwareDatetime | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    removed_at: AwareDatetime | None = None
