"""Consistency levels of reads from a libSQL server or cluster, without I/O.

sqld replicas apply the primary's log a few milliseconds late (measured ≈5 ms on
loopback), so a client that reads a replica right after its own write often misses it.
Every Hrana result carries the `replication_index` of the server that ran it (the
primary's log position after a write, the replica's applied position after a read), and
sqld makes a read that carries an index wait until the replica has applied it. So a
client keeps the positions it got from the primary (`Session`) and sends them with its
reads to a replica that has not shown them yet:

- `session` (default): read-your-writes and monotonic reads for this client, on any
  replica. A client that has not written waits for nothing;
- `eventual`: no index is sent, any replica answers at once, possibly stale;
- `primary`: the read runs on the primary itself (a deferred transaction, which a sqld
  replica forwards to its primary), for the rare check that must see every write.

The level is the client's (`connect(consistency=...)`), or the caller's for a block:
`with consistency("primary"): ...` (a context variable, so it follows the thread or
the asyncio task, in the sync and the async API alike).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

from libsqlkit._errors import ConfigurationError

__all__ = [
    "CONSISTENCY_LEVELS",
    "RESYNC_S",
    "Consistency",
    "Session",
    "check_level",
    "consistency",
    "effective_level",
]

RESYNC_S = 5.0  # after a primary restart; replicas measured resyncing in ≈1 s
_log = logging.getLogger("libsqlkit.cluster")

Consistency = Literal["session", "eventual", "primary"]
CONSISTENCY_LEVELS: tuple[Consistency, ...] = ("session", "eventual", "primary")

_chosen: ContextVar[Consistency | None] = ContextVar("libsqlkit-consistency", default=None)


def check_level(value: str, *, source: str = "consistency") -> Consistency:
    """`value` as a level, or a ConfigurationError naming it and the levels there are."""
    for level in CONSISTENCY_LEVELS:
        if value == level:
            return level
    raise ConfigurationError(
        f"unknown {source} {value!r}: use one of {', '.join(CONSISTENCY_LEVELS)}"
    )


@contextmanager
def consistency(level: Consistency) -> Iterator[None]:
    """Reads inside this block, by this thread or task, use `level` on every client.

    `with consistency("primary"): repo.find_by_id(key)` reads from the primary;
    `with consistency("eventual"): ...` reads any replica without waiting. Local files
    are always consistent and ignore it; so do transactions, which run on the primary.
    """
    token = _chosen.set(check_level(level))
    try:
        yield
    finally:
        _chosen.reset(token)


def effective_level(default: Consistency) -> Consistency:
    """The caller's level for this read: its `consistency()` block, else the client's."""
    return _chosen.get() or default


class Session:
    """What one client knows of its cluster's positions (thread-safe, no I/O).

    - `floor`: the highest position the client got from the primary (its writes and
      transactions, primary reads, probes); a read must see at least that much.
    - `seen`: per server, the highest position it reported for reads it ran itself. A
      session read sends the floor only to a server that has not yet shown it, so a
      client that has not written waits for nothing, and after one wait a replica
      answers at once again (its state only moves forward).
    - A restarted sqld primary starts a new log whose positions count its pages anew
      (measured: 21 before a restart, 1 after; 26 before, 17 after), and its replicas
      keep the old numbers until they resync, ≈1 s later. Positions are comparable only
      within one log. A reply that reveals a new log (a position lower than one received
      before it was sent; for a committed write, not higher) forgets the old positions,
      and for `RESYNC_S` session reads go to the primary while the replicas resync (a
      restarted replica can look the same: the cost is reads on the primary). A
      restart no reply reveals (the new log already past the client's positions) leaves
      the replicas' old numbers unchecked until they resync: read-your-writes can fail
      in that second.
    Every request takes a `ticket` when it is built; a reply is judged against what was
    received before that ticket, so concurrent callers' replies may arrive in any order.
    """

    def __init__(self, *, where: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._where = where
        self._clock = clock
        self._lock = threading.Lock()
        self._tick = 0
        self._floor: int | None = None
        self._floor_at = 0
        self._seen: dict[str, tuple[int, int]] = {}  # server -> (position, tick received)
        self._resync_until = 0.0

    @property
    def floor(self) -> int | None:
        return self._floor

    def resyncing(self) -> bool:
        return self._clock() < self._resync_until

    def ticket(self) -> int:
        with self._lock:
            self._tick += 1
            return self._tick

    def wait_for(self, server: str) -> int | None:
        """The position a session read on `server` waits for, if it has not shown it."""
        with self._lock:
            seen = self._seen.get(server)
            if self._floor is None or (seen is not None and seen[0] >= self._floor):
                return None
            return self._floor

    def read_by(self, server: str, position: int | None, ticket: int) -> None:
        """`server` ran a read itself and reported `position`."""
        if position is None:
            return
        with self._lock:
            self._tick += 1
            seen = self._seen.get(server)
            if seen is not None and position < seen[0] and ticket > seen[1]:
                self._restarted(None)
            elif seen is not None and position <= seen[0]:
                return
            self._seen[server] = (position, self._tick)

    def from_primary(
        self, position: int | None, ticket: int, *, certain: bool, advanced: bool = False
    ) -> None:
        """The primary reported `position`. `certain`: the reply surely came from it (not
        from a replica that ran a statement sent as a write but that only read);
        `advanced`: it committed a change, so its position is past every earlier one."""
        if position is None:
            return
        with self._lock:
            self._tick += 1
            floor = self._floor
            behind = floor is not None and (position <= floor if advanced else position < floor)
            if certain and behind and ticket > self._floor_at:
                self._restarted(position)
            elif floor is None or position > floor:
                self._floor, self._floor_at = position, self._tick

    def _restarted(self, position: int | None) -> None:
        _log.warning(
            "%s: a server reported a position behind one it reported before (a restarted "
            "primary starts a new log; a restarted replica may count from an older point): "
            "session reads go to the primary for %g s while the replicas resync",
            self._where,
            RESYNC_S,
        )
        self._floor, self._floor_at = position, self._tick
        self._seen.clear()
        self._resync_until = self._clock() + RESYNC_S
