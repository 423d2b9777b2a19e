# generated from schema.yaml — do not edit

"""Repositories of `tasks`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `TaskRepository`
runs it on a `Database` and `AsyncTaskRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final, Literal

from golden_all_types.models import NewTask, Task, TaskUpdate
from golden_all_types.tables import TASKS, TasksTable
from libsqlkit import AsyncSoftDeleteRepository, Plan, SoftDeleteRepository, fetch_all, fetch_one

__all__ = ["AsyncTaskRepository", "TaskRepository"]

_FIND_BY_PROJECT_SQL: Final = "SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `project_id` = ?1 AND `removed_at` IS NULL ORDER BY `created_at` DESC, `id` ASC"
_FIND_ANY_BY_PROJECT_SQL: Final = "SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `project_id` = ?1"
_MOVE_SQL: Final = "UPDATE `tasks` SET `state` = ?1, `notes` = COALESCE(?2, `notes`), `updated_at` = ?4, `done_at` = CASE WHEN ?1 = 'done' THEN ?5 ELSE `done_at` END WHERE `id` = ?3 AND `removed_at` IS NULL RETURNING `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`"


def _find_by_project_plan(project_id: int) -> Plan[list[Task]]:
    """Declared in schema.yaml as find_by_project."""
    return fetch_all(TASKS, Task, _FIND_BY_PROJECT_SQL, (project_id,))


def _find_any_by_project_plan(project_id: int) -> Plan[list[Task]]:
    """Declared in schema.yaml as find_any_by_project."""
    return fetch_all(TASKS, Task, _FIND_ANY_BY_PROJECT_SQL, (project_id,))


def _move_plan(
    id: str, state: Literal["todo", "doing", "won't do", "done"], notes: str | None = None
) -> Plan[Task | None]:
    """Declared in schema.yaml as move."""
    # pydantic rejects bad values before any SQL runs.
    TaskUpdate(state=state, notes=notes)
    _now = datetime.now(UTC)
    return fetch_one(
        TASKS,
        Task,
        _MOVE_SQL,
        (state, notes, id, TasksTable.updated_at.encode(_now), TasksTable.done_at.encode(_now)),
        write=True,
    )


class TaskRepository(SoftDeleteRepository[Task, NewTask, TaskUpdate, str]):
    """Typed access to `tasks`; soft-deleted rows (`removed_at` set) are hidden."""

    table = TASKS
    select_model = Task
    insert_model = NewTask
    update_model = TaskUpdate

    def find_by_project(self, project_id: int) -> list[Task]:
        """Declared in schema.yaml as find_by_project."""
        return self.db.run(_find_by_project_plan(project_id))

    def find_any_by_project(self, project_id: int) -> list[Task]:
        """Declared in schema.yaml as find_any_by_project."""
        return self.db.run(_find_any_by_project_plan(project_id))

    def move(
        self, id: str, state: Literal["todo", "doing", "won't do", "done"], notes: str | None = None
    ) -> Task | None:
        """Declared in schema.yaml as move."""
        return self.db.run(_move_plan(id, state, notes))


class AsyncTaskRepository(AsyncSoftDeleteRepository[Task, NewTask, TaskUpdate, str]):
    """`TaskRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = TASKS
    select_model = Task
    insert_model = NewTask
    update_model = TaskUpdate

    async def find_by_project(self, project_id: int) -> list[Task]:
        """Declared in schema.yaml as find_by_project."""
        return await self.db.run(_find_by_project_plan(project_id))

    async def find_any_by_project(self, project_id: int) -> list[Task]:
        """Declared in schema.yaml as find_any_by_project."""
        return await self.db.run(_find_any_by_project_plan(project_id))

    async def move(
        self, id: str, state: Literal["todo", "doing", "won't do", "done"], notes: str | None = None
    ) -> Task | None:
        """Declared in schema.yaml as move."""
        return await self.db.run(_move_plan(id, state, notes))
