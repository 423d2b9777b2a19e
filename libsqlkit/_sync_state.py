"""What one offline sync works with, and the steps it is made of (no I/O).

A sync is a generator of steps (`_sync.SyncCore`): `Local` work runs in one local
transaction, `Server` statements run as one atomic batch. The server's side of a request
is built and read in `_sync_batch`, the device's side of a reply is applied in
`_sync_apply`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from libsqlkit._changelog import hlc_parts
from libsqlkit._errors import UniqueViolation
from libsqlkit._rows import Row
from libsqlkit._sync_report import Conflict, MovedRow
from libsqlkit._sync_sql import Entry, TableSync

__all__ = [
    "RESYNC_ASKED",
    "RESYNC_RUNNING",
    "Chunk",
    "Cursor",
    "Executor",
    "Local",
    "Reply",
    "Round",
    "Server",
    "Statements",
    "Step",
    "latest",
    "seen",
]

T = TypeVar("T")
Cursor = tuple[int, str, Any]  # (seq, table, key) of the last change-log entry passed
Statements = list[tuple[str, Sequence[Any]]]
# `resync`: a full re-sync was asked for (by a migration), or is under way: every local
# entry not received again from the server by its end is gone there (pruned tombstones).
RESYNC_ASKED, RESYNC_RUNNING = 1, 2


class Executor(Protocol):
    """What local work runs statements with: the sync Database inside its transaction,
    or the async engine's writer connection on its own thread."""

    def execute(
        self, sql: str, params: Sequence[Any] = (), *, table: str | None = None
    ) -> list[Row]: ...


@dataclass(frozen=True)
class Local(Generic[T]):
    """A step on the local database: `work` runs in one transaction (foreign keys off
    when asked) with an executor of statements, and its result is sent back."""

    work: Callable[[Executor], T]
    foreign_keys_off: bool = False


@dataclass(frozen=True)
class Server:
    """A step on the server: the statements run as one atomic batch, foreign keys off
    (a device's changes land in its commit order: a child may come before its changed
    parent, and cascades were made on the device). Their rows are sent back; an error
    is thrown into the protocol, which may carry on (a refused push still pulls)."""

    statements: Statements
    # Local work run while the server works (the next chunk, read ahead): the step's
    # reply is then (the server's rows, its result)
    meanwhile: Local[Any] | None = None


Step = Local[Any] | Server


@dataclass
class Round:
    """What one sync knows and found so far."""

    device: str
    version: str  # of the synced schema
    tables: dict[str, TableSync]
    pulled: Cursor
    pushed: Cursor
    resync: int
    acked: int  # the pull position the server last stored for this device
    held: list[tuple[str, Any]]
    server_epoch: str  # of the server's synced schema, when this device last synced
    conflicts: list[Conflict] = field(default_factory=list)
    moved: dict[tuple[str, Any, str], MovedRow] = field(default_factory=dict)
    sent: int = 0
    applied: int = 0
    pushing: bool = True  # False once a push was refused by a unique clash (fail)
    refusal: UniqueViolation | None = None
    horizon_ms: int = 0


@dataclass(frozen=True)
class Chunk:
    entries: list[Entry]
    more: bool  # more pending changes than fit


@dataclass(frozen=True)
class Reply:
    """What the server answered to one request."""

    version: str
    epoch: str
    server_seq: int
    pruned_seq: int
    horizon_ms: int
    watermark: int | None
    unseen: dict[tuple[str, Any], Entry]  # pushed rows changed there meanwhile, before
    refused: list[tuple[str, Any]]
    pages: list[str]  # JSON of the pulled page, then of the held rows
    full: bool  # more entries remain after this page
    last: Cursor | None  # the page's last entry
    page_seq: int  # the server's seq when the page was read


def latest(versions: Sequence[str]) -> tuple[int, int]:
    """(wall, counter) of the latest version, (0, 0) for none."""
    return max([(0, 0), *((hlc_parts(v)[0], hlc_parts(v)[1]) for v in versions)])


def seen(wall: str, counter: str) -> str:
    """Advance a clock to a seen version (a hybrid logical clock's receive rule), so a
    write made after seeing another database's write is ordered after it."""
    newer = f"({wall} > wall OR ({wall} = wall AND {counter} > counter))"
    return (
        f"wall = CASE WHEN {newer} THEN {wall} ELSE wall END, "
        f"counter = CASE WHEN {newer} THEN {counter} ELSE counter END"
    )
