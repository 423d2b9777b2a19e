"""The same endpoints on the sync API: plain `def` handlers, which FastAPI runs in its
thread pool (40 threads by default).

One `Database` per process, shared by the threads: reads run in parallel on their own
connections (a local file) or pooled HTTP connections (a server); a transaction belongs
to the thread that opened it. Kept as the contender the async API is measured against.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response

from examples.backend.schemas import Onboarded, Onboarding, StatusChange, WorkflowIn
from examples.backend.shared import missing
from generated.client import DbClient, create_db_client
from generated.models import Workflow
from generated.repositories import UserSettingsRepository, WorkflowRepository


@dataclass(frozen=True)
class Store:
    db: DbClient
    workflows: WorkflowRepository
    settings: UserSettingsRepository


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One client for the whole process (TURSO_DATABASE_URL, TURSO_AUTH_TOKEN)."""
    with create_db_client() as db:
        app.state.store = Store(db, WorkflowRepository(db), UserSettingsRepository(db))
        yield


async def _store(request: Request) -> Store:
    """Async, so that FastAPI does not send this lookup to a thread of its own."""
    store: Store = request.app.state.store
    return store


Db = Annotated[Store, Depends(_store)]
router = APIRouter()


@router.post("/workflows", status_code=201)
def create_workflow(body: WorkflowIn, store: Db) -> Workflow:
    return store.workflows.create(body.new())


@router.get("/workflows/{workflow_id}")
def get_workflow(workflow_id: str, store: Db) -> Workflow:
    return store.workflows.find_by_id(workflow_id) or missing(workflow_id)


@router.get("/users/{user_id}/workflows")
def list_workflows(user_id: str, store: Db) -> list[Workflow]:
    return store.workflows.find_by_user_id(user_id)


@router.patch("/workflows/{workflow_id}/status")
def change_status(workflow_id: str, body: StatusChange, store: Db) -> Workflow:
    changed = store.workflows.update_status(workflow_id, body.status, body.error_log)
    return changed or missing(workflow_id)


@router.delete("/workflows/{workflow_id}", status_code=204)
def delete_workflow(workflow_id: str, store: Db) -> Response:
    if not store.workflows.soft_delete(workflow_id):
        missing(workflow_id)
    return Response(status_code=204)


@router.post("/users/{user_id}/onboarding", status_code=201)
def onboard(user_id: str, body: Onboarding, store: Db) -> Onboarded:
    """The settings and the first workflows, all or nothing."""
    with store.db.transaction():
        settings = store.settings.create(body.settings(user_id))
        created = [store.workflows.create(new) for new in body.new_workflows(user_id)]
    return Onboarded(settings=settings, workflows=created)
