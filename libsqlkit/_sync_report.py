"""What a sync did: the report both sync modes return, and its conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Conflict", "SyncReport"]


@dataclass(frozen=True)
class Conflict:
    """A row changed on this device and elsewhere since they last synced."""

    table: str
    key: object
    winner: Literal["local", "remote"]  # the later write, kept everywhere
    local_version: str
    remote_version: str


@dataclass(frozen=True)
class SyncReport:
    """What one `Database.sync()` did."""

    pushed: int  # local changes sent (rows written or deleted)
    pulled: int | None  # remote changes applied here (None: a replica pull, not counted)
    conflicts: tuple[Conflict, ...] = ()
    round_trips: int = 0
    seconds: float = 0.0
