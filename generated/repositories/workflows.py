# generated from schema.yaml — do not edit

"""Repositories of `workflows`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `WorkflowRepository`
runs it on a `Database` and `AsyncWorkflowRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final, Literal

from generated.models import NewWorkflow, Workflow, WorkflowUpdate
from generated.tables import WORKFLOWS, WorkflowsTable
from libsqlkit import AsyncSoftDeleteRepository, Plan, SoftDeleteRepository, fetch_all, fetch_one

__all__ = ["AsyncWorkflowRepository", "WorkflowRepository"]

_FIND_BY_ID_SQL: Final = "SELECT `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at` FROM `workflows` WHERE `id` = ?1 AND `deleted_at` IS NULL LIMIT 1"
_FIND_BY_USER_ID_SQL: Final = "SELECT `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at` FROM `workflows` WHERE `user_id` = ?1 AND `deleted_at` IS NULL ORDER BY `created_at` DESC, `id` ASC"
_UPDATE_STATUS_SQL: Final = "UPDATE `workflows` SET `status` = ?1, `error_log` = COALESCE(?2, `error_log`), `updated_at` = ?4, `completed_at` = CASE WHEN ?1 = 'COMPLETED' THEN ?5 ELSE `completed_at` END WHERE `id` = ?3 AND `deleted_at` IS NULL RETURNING `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at`"


def _find_by_id_plan(id: str) -> Plan[Workflow | None]:
    """The workflow with this id, unless soft-deleted."""
    return fetch_one(WORKFLOWS, Workflow, _FIND_BY_ID_SQL, (id,))


def _find_by_user_id_plan(user_id: str) -> Plan[list[Workflow]]:
    """A user's workflows, newest first (ties by id), soft-deleted excluded."""
    return fetch_all(WORKFLOWS, Workflow, _FIND_BY_USER_ID_SQL, (user_id,))


def _update_status_plan(
    id: str,
    status: Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"],
    error_log: str | None = None,
) -> Plan[Workflow | None]:
    """Set the status (and the error log when given); refresh updated_at; set completed_at when the status becomes COMPLETED. None if there is no such row."""
    # pydantic rejects bad values before any SQL runs.
    WorkflowUpdate(status=status, error_log=error_log)
    _now = datetime.now(UTC)
    return fetch_one(
        WORKFLOWS,
        Workflow,
        _UPDATE_STATUS_SQL,
        (
            status,
            error_log,
            id,
            WorkflowsTable.updated_at.encode(_now),
            WorkflowsTable.completed_at.encode(_now),
        ),
        write=True,
    )


class WorkflowRepository(SoftDeleteRepository[Workflow, NewWorkflow, WorkflowUpdate, str]):
    """Typed access to `workflows`; soft-deleted rows (`deleted_at` set) are hidden."""

    table = WORKFLOWS
    select_model = Workflow
    insert_model = NewWorkflow
    update_model = WorkflowUpdate

    def find_by_id(self, id: str) -> Workflow | None:
        """The workflow with this id, unless soft-deleted."""
        return self.db.run(_find_by_id_plan(id))

    def find_by_user_id(self, user_id: str) -> list[Workflow]:
        """A user's workflows, newest first (ties by id), soft-deleted excluded."""
        return self.db.run(_find_by_user_id_plan(user_id))

    def update_status(
        self,
        id: str,
        status: Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"],
        error_log: str | None = None,
    ) -> Workflow | None:
        """Set the status (and the error log when given); refresh updated_at; set completed_at when the status becomes COMPLETED. None if there is no such row."""
        return self.db.run(_update_status_plan(id, status, error_log))


class AsyncWorkflowRepository(
    AsyncSoftDeleteRepository[Workflow, NewWorkflow, WorkflowUpdate, str]
):
    """`WorkflowRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = WORKFLOWS
    select_model = Workflow
    insert_model = NewWorkflow
    update_model = WorkflowUpdate

    async def find_by_id(self, id: str) -> Workflow | None:
        """The workflow with this id, unless soft-deleted."""
        return await self.db.run(_find_by_id_plan(id))

    async def find_by_user_id(self, user_id: str) -> list[Workflow]:
        """A user's workflows, newest first (ties by id), soft-deleted excluded."""
        return await self.db.run(_find_by_user_id_plan(user_id))

    async def update_status(
        self,
        id: str,
        status: Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"],
        error_log: str | None = None,
    ) -> Workflow | None:
        """Set the status (and the error log when given); refresh updated_at; set completed_at when the status becomes COMPLETED. None if there is no such row."""
        return await self.db.run(_update_status_plan(id, status, error_log))
