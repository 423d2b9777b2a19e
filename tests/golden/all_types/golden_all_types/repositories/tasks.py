# generated from schema.yaml — do not edit

"""Repository of `tasks`: generic CRUD plus the queries declared in schema.yaml."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final, Literal

from golden_all_types.models import NewTask, Task, TaskUpdate
from golden_all_types.tables import TASKS, TasksTable
from libsqlkit import SoftDeleteRepository

__all__ = ["TaskRepository"]

_FIND_BY_PROJECT_SQL: Final = "SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `project_id` = ?1 AND `removed_at` IS NULL ORDER BY `created_at` DESC, `id` ASC"
_FIND_ANY_BY_PROJECT_SQL: Final = "SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `project_id` = ?1"
_MOVE_SQL: Final = "UPDATE `tasks` SET `state` = ?1, `notes` = COALESCE(?2, `notes`), `updated_at` = ?4, `done_at` = CASE WHEN ?1 = 'done' THEN ?5 ELSE `done_at` END WHERE `id` = ?3 AND `removed_at` IS NULL RETURNING `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`"


class TaskRepository(SoftDeleteRepository[Task, NewTask, TaskUpdate, str]):
    """Typed access to `tasks`; soft-deleted rows (`removed_at` set) are hidden."""

    table = TASKS
    select_model = Task
    insert_model = NewTask
    update_model = TaskUpdate

    def find_by_project(self, project_id: int) -> list[Task]:
        """Declared in schema.yaml as find_by_project."""
        return self._fetch_all(_FIND_BY_PROJECT_SQL, (project_id,))

    def find_any_by_project(self, project_id: int) -> list[Task]:
        """Declared in schema.yaml as find_any_by_project."""
        return self._fetch_all(_FIND_ANY_BY_PROJECT_SQL, (project_id,))

    def move(
        self, id: str, state: Literal["todo", "doing", "won't do", "done"], notes: str | None = None
    ) -> Task | None:
        """Declared in schema.yaml as move."""
        # pydantic rejects bad values before any SQL runs.
        TaskUpdate(state=state, notes=notes)
        _now = datetime.now(UTC)
        return self._fetch_one(
            _MOVE_SQL,
            (state, notes, id, TasksTable.updated_at.encode(_now), TasksTable.done_at.encode(_now)),
        )
