"""What both flavours of handlers share."""

from __future__ import annotations

from typing import NoReturn

from fastapi import HTTPException


def missing(workflow_id: str) -> NoReturn:
    """404: no such workflow, or it was soft-deleted (the same to a client)."""
    raise HTTPException(status_code=404, detail=f"no workflow {workflow_id}")
