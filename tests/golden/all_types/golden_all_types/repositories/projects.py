# generated from schema.yaml — do not edit

"""Repository of `projects`: generic CRUD plus the queries declared in schema.yaml."""

from __future__ import annotations

from typing import Final

from golden_all_types.models import NewProject, Project, ProjectUpdate
from golden_all_types.tables import PROJECTS, ProjectsTable
from libsqlkit import Repository

__all__ = ["ProjectRepository"]

_FIND_BY_SLUG_SQL: Final = "SELECT `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision` FROM `projects` WHERE `slug` = ?1 LIMIT 1"
_LIST_ARCHIVED_SQL: Final = "SELECT `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision` FROM `projects` WHERE `archived` = ?1 ORDER BY `title` DESC LIMIT 50"


class ProjectRepository(Repository[Project, NewProject, ProjectUpdate, int]):
    """Typed access to `projects`."""

    table = PROJECTS
    select_model = Project
    insert_model = NewProject
    update_model = ProjectUpdate

    def find_by_slug(self, slug: str) -> Project | None:
        """Declared in schema.yaml as find_by_slug."""
        return self._fetch_one(_FIND_BY_SLUG_SQL, (slug,))

    def list_archived(self, archived: bool) -> list[Project]:
        """Declared in schema.yaml as list_archived."""
        return self._fetch_all(_LIST_ARCHIVED_SQL, (ProjectsTable.archived.encode(archived),))
