"""The workflow endpoints on the async API: `async def` handlers on the event loop.

One `AsyncDatabase` per process, opened in the lifespan and shared by every request.
Each request's transaction belongs to its own task, so a request that fails rolls back
its own writes only, and never waits for another request's transaction to read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response

from examples.backend.schemas import Onboarded, Onboarding, StatusChange, WorkflowIn
from examples.backend.shared import missing
from generated.client import AsyncDbClient, create_async_db_client
from generated.models import Workflow
from generated.repositories import AsyncUserSettingsRepository, AsyncWorkflowRepository


@dataclass(frozen=True)
class Store:
    db: AsyncDbClient
    workflows: AsyncWorkflowRepository
    settings: AsyncUserSettingsRepository


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One client for the whole process (TURSO_DATABASE_URL, TURSO_AUTH_TOKEN)."""
    async with create_async_db_client() as db:
        app.state.store = Store(db, AsyncWorkflowRepository(db), AsyncUserSettingsRepository(db))
        yield


async def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


Db = Annotated[Store, Depends(_store)]
router = APIRouter()


@router.post("/workflows", status_code=201)
async def create_workflow(body: WorkflowIn, store: Db) -> Workflow:
    return await store.workflows.create(body.new())


@router.get("/workflows/{workflow_id}")
async def get_workflow(workflow_id: str, store: Db) -> Workflow:
    return await store.workflows.find_by_id(workflow_id) or missing(workflow_id)


@router.get("/users/{user_id}/workflows")
async def list_workflows(user_id: str, store: Db) -> list[Workflow]:
    return await store.workflows.find_by_user_id(user_id)


@router.patch("/workflows/{workflow_id}/status")
async def change_status(workflow_id: str, body: StatusChange, store: Db) -> Workflow:
    changed = await store.workflows.update_status(workflow_id, body.status, body.error_log)
    return changed or missing(workflow_id)


@router.delete("/workflows/{workflow_id}", status_code=204)
async def delete_workflow(workflow_id: str, store: Db) -> Response:
    if not await store.workflows.soft_delete(workflow_id):
        missing(workflow_id)
    return Response(status_code=204)


@router.post("/users/{user_id}/onboarding", status_code=201)
async def onboard(user_id: str, body: Onboarding, store: Db) -> Onboarded:
    """The settings and the first workflows, all or nothing."""
    async with store.db.transaction():
        settings = await store.settings.create(body.settings(user_id))
        created = [await store.workflows.create(new) for new in body.new_workflows(user_id)]
    return Onboarded(settings=settings, workflows=created)
