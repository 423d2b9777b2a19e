# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml, sync and async."""

from golden_all_types.repositories.documents import AsyncDocumentRepository, DocumentRepository
from golden_all_types.repositories.folders import AsyncFolderRepository, FolderRepository
from golden_all_types.repositories.projects import AsyncProjectRepository, ProjectRepository
from golden_all_types.repositories.sync_state import AsyncSyncStateRepository, SyncStateRepository
from golden_all_types.repositories.tasks import AsyncTaskRepository, TaskRepository

__all__ = [
    "AsyncDocumentRepository",
    "AsyncFolderRepository",
    "AsyncProjectRepository",
    "AsyncSyncStateRepository",
    "AsyncTaskRepository",
    "DocumentRepository",
    "FolderRepository",
    "ProjectRepository",
    "SyncStateRepository",
    "TaskRepository",
]
