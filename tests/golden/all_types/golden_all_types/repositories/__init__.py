# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml."""

from golden_all_types.repositories.projects import ProjectRepository
from golden_all_types.repositories.tasks import TaskRepository

__all__ = ["ProjectRepository", "TaskRepository"]
