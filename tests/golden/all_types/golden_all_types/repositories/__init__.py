# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml."""

from golden_all_types.repositories.documents import DocumentRepository
from golden_all_types.repositories.folders import FolderRepository
from golden_all_types.repositories.projects import ProjectRepository
from golden_all_types.repositories.sync_state import SyncStateRepository
from golden_all_types.repositories.tasks import TaskRepository

__all__ = [
    "DocumentRepository",
    "FolderRepository",
    "ProjectRepository",
    "SyncStateRepository",
    "TaskRepository",
]
