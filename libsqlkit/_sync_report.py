"""What a sync did: the report both sync modes return, its conflicts and moved rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Conflict", "MovedRow", "SyncReport"]


@dataclass(frozen=True)
class Conflict:
    """A field changed both on this device and elsewhere since they last synced, and the
    version that won (kept everywhere). `column` is None when the row itself conflicts:
    a delete against edits, or two lives of one key (a re-insert)."""

    table: str
    key: object
    column: str | None
    winner: Literal["local", "remote"]
    local_version: str
    remote_version: str


@dataclass(frozen=True)
class MovedRow:
    """A row moved aside by a unique clash (`on_unique_clash: keep_latest`): deleted
    everywhere, its values kept in `__libsqlkit_sync_conflicts`."""

    table: str
    key: object
    winner: object  # the key of the row that kept the unique values
    columns: tuple[str, ...]  # the unique columns that clashed
    values: dict[str, Any]  # the moved row's values (reals exact, blobs as {"hex": ...})
    loser_version: str
    winner_version: str


@dataclass(frozen=True)
class SyncReport:
    """What one `Database.sync()` did."""

    pushed: int  # local changes sent (rows written or deleted)
    pulled: int | None  # remote changes applied here (None: a replica pull, not counted)
    conflicts: tuple[Conflict, ...] = ()
    round_trips: int = 0
    seconds: float = 0.0
    moved: tuple[MovedRow, ...] = ()  # rows moved aside by unique clashes this sync saw
