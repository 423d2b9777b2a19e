"""The layer's typed errors as HTTP answers: one table, most specific class first.

A client error (4xx) says what was wrong, as the error names it (table and column). A
server error (5xx) says only what kind of failure it was; the details go to the log.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from libsqlkit import (
    Busy,
    ConstraintViolation,
    ForeignKeyViolation,
    InvalidValue,
    LibsqlKitError,
    Timeout,
    Unavailable,
    UniqueViolation,
)

_log = logging.getLogger("examples.backend")

# (error class, HTTP status, what a 5xx answer says); the first class that matches wins.
STATUSES: tuple[tuple[type[LibsqlKitError], int, str], ...] = (
    (UniqueViolation, 409, ""),  # the row exists already (a retried create, a second user)
    (ForeignKeyViolation, 409, ""),  # the row it names is missing, or others still name it
    (ConstraintViolation, 422, ""),  # NOT NULL, CHECK: the values cannot be stored
    (InvalidValue, 422, ""),  # refused before any SQL ran
    (Busy, 503, "the database is busy, try again"),  # a long transaction held the writer
    (Unavailable, 503, "the database is unavailable, try again"),
    (Timeout, 503, "the database did not answer in time; a write may have been applied"),
    (LibsqlKitError, 500, "database error"),  # DecodeError, AuthError, configuration
)


def answer(exc: LibsqlKitError) -> tuple[int, str]:
    """The HTTP status and the detail to send for `exc`."""
    for cls, status, said in STATUSES:
        if isinstance(exc, cls):
            return status, said or str(exc)
    raise AssertionError("LibsqlKitError is the last row of STATUSES")


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LibsqlKitError)
    status, detail = answer(exc)
    if status >= 500:
        _log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    headers = {"Retry-After": "1"} if status == 503 else None
    return JSONResponse(
        {"detail": detail, "error": type(exc).__name__}, status_code=status, headers=headers
    )


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    """422 for a body FastAPI refused, or a model a handler built (pydantic, before any
    SQL). The input is not echoed: FastAPI's own answer does, and fails with a 500 on a
    string it cannot encode (a lone surrogate, which JSON's \\ud800 escape can carry)."""
    assert isinstance(exc, ValidationError | RequestValidationError)
    problems = [
        {key: value for key, value in problem.items() if key not in ("input", "url")}
        for problem in exc.errors()
    ]
    return JSONResponse(
        {"detail": jsonable_encoder(problems), "error": "ValidationError"}, status_code=422
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(LibsqlKitError, _database_error)
    app.add_exception_handler(ValidationError, _invalid)
    app.add_exception_handler(RequestValidationError, _invalid)
