"""Downstream code using the generated layer correctly: must pass mypy --strict."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from generated.client import DbClient, create_db_client
from generated.models import NewUserSettings, NewWorkflow, Workflow, WorkflowUpdate
from generated.repositories import UserSettingsRepository, WorkflowRepository
from generated.tables import WorkflowsColumns
from libsqlkit import Column, UniqueViolation


def run(db: DbClient) -> list[str]:
    workflows = WorkflowRepository(db)
    created: Workflow = workflows.create(NewWorkflow(type="summarize", user_id="u1"))
    found = workflows.find_by_id(created.id)
    if found is not None:
        status: Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"] = found.status
        print(status, found.created_at.isoformat())
    done = workflows.update_status(created.id, "COMPLETED")
    finished: datetime | None = done.completed_at if done else None
    workflows.update_status(created.id, "FAILED", "boom")
    workflows.update(created.id, WorkflowUpdate(retry_count=1))
    workflows.soft_delete(created.id)
    count: int = workflows.create_many([NewWorkflow(type="t", user_id="u2")])
    rows: list[Workflow] = workflows.create_many(
        [NewWorkflow(type="t", user_id="u3")], returning=True
    )
    settings = UserSettingsRepository(db)
    try:
        settings.create(NewUserSettings(user_id="u1", preferences={"theme": "dark"}))
    except UniqueViolation as exc:
        print(exc.table, exc.columns)
    with db.transaction():
        workflows.create(NewWorkflow(type="t", user_id="u4", created_at=datetime.now(UTC)))
    column: Column[datetime | None] = WorkflowsColumns.completed_at
    print(finished, count, rows, column)
    return [w.id for w in workflows.find_by_user_id("u1")]


if __name__ == "__main__":
    with create_db_client("file::memory:") as client:
        client.create_schema()
        print(run(client))
