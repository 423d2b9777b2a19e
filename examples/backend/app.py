"""The design's workflow endpoints as a FastAPI app on uvicorn, through the generated
repositories.

Run it as a deployment would (from the repository root, migrations applied first):

    export TURSO_DATABASE_URL=http://127.0.0.1:8080 TURSO_AUTH_TOKEN=...  # or file:./data/app.db
    python -m libsqlkit migrate
    uvicorn examples.backend.app:app --port 8000

`LIBSQLKIT_EXAMPLE_API=sync` serves the same endpoints through the sync API, in FastAPI's
thread pool, instead of the async API (the default, `async`).

    POST   /workflows                      create: {"type", "user_id", "input_payload"?, "id"?} -> 201
    GET    /workflows/{id}                 one workflow; 404 if missing or soft-deleted
    GET    /users/{user_id}/workflows      a user's workflows, newest first
    PATCH  /workflows/{id}/status          {"status", "error_log"?} -> the workflow; 404
    DELETE /workflows/{id}                 soft delete -> 204; 404
    POST   /users/{user_id}/onboarding     {"preferences"?, "workflows": [...]}: settings and
                                           workflows in one transaction -> 201
    GET    /health                         200 once the client is open

Errors: 409 for a row that exists already (`UniqueViolation`) or a broken foreign key,
422 for values that cannot be stored (`InvalidValue`, a constraint, pydantic), 503 when
the database is busy, unreachable or late (`Busy`, `Unavailable`, `Timeout`), 500 for the
rest; see examples/backend/errors.py.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from examples.backend import async_routes, errors, sync_routes
from libsqlkit import ConfigurationError

SETTING = "LIBSQLKIT_EXAMPLE_API"


def create_app(api: str = "async") -> FastAPI:
    """The app on the async API (`"async"`) or the sync API in a thread pool (`"sync"`)."""
    if api == "async":
        app = FastAPI(title="workflows (async API)", lifespan=async_routes.lifespan)
        app.include_router(async_routes.router)
    elif api == "sync":
        app = FastAPI(title="workflows (sync API, thread pool)", lifespan=sync_routes.lifespan)
        app.include_router(sync_routes.router)
    else:
        raise ConfigurationError(f"{SETTING} must be 'async' or 'sync', not {api!r}")
    errors.install(app)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok", "api": api}

    return app


app = create_app(os.environ.get(SETTING, "async"))
