# generated from schema.yaml — do not edit

"""Repositories of `projects`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `ProjectRepository`
runs it on a `Database` and `AsyncProjectRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from typing import Final

from golden_all_types.models import NewProject, Project, ProjectUpdate
from golden_all_types.tables import PROJECTS, ProjectsTable
from libsqlkit import AsyncRepository, Plan, Repository, fetch_all, fetch_one

__all__ = ["AsyncProjectRepository", "ProjectRepository"]

_FIND_BY_SLUG_SQL: Final = "SELECT `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision` FROM `projects` WHERE `slug` = ?1 LIMIT 1"
_LIST_ARCHIVED_SQL: Final = "SELECT `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision` FROM `projects` WHERE `archived` = ?1 ORDER BY `title` DESC LIMIT 50"


def _find_by_slug_plan(slug: str) -> Plan[Project | None]:
    """Declared in schema.yaml as find_by_slug."""
    return fetch_one(PROJECTS, Project, _FIND_BY_SLUG_SQL, (slug,))


def _list_archived_plan(archived: bool) -> Plan[list[Project]]:
    """Declared in schema.yaml as list_archived."""
    return fetch_all(
        PROJECTS, Project, _LIST_ARCHIVED_SQL, (ProjectsTable.archived.encode(archived),)
    )


class ProjectRepository(Repository[Project, NewProject, ProjectUpdate, int]):
    """Typed access to `projects`."""

    table = PROJECTS
    select_model = Project
    insert_model = NewProject
    update_model = ProjectUpdate

    def find_by_slug(self, slug: str) -> Project | None:
        """Declared in schema.yaml as find_by_slug."""
        return self.db.run(_find_by_slug_plan(slug))

    def list_archived(self, archived: bool) -> list[Project]:
        """Declared in schema.yaml as list_archived."""
        return self.db.run(_list_archived_plan(archived))


class AsyncProjectRepository(AsyncRepository[Project, NewProject, ProjectUpdate, int]):
    """`ProjectRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = PROJECTS
    select_model = Project
    insert_model = NewProject
    update_model = ProjectUpdate

    async def find_by_slug(self, slug: str) -> Project | None:
        """Declared in schema.yaml as find_by_slug."""
        return await self.db.run(_find_by_slug_plan(slug))

    async def list_archived(self, archived: bool) -> list[Project]:
        """Declared in schema.yaml as list_archived."""
        return await self.db.run(_list_archived_plan(archived))
