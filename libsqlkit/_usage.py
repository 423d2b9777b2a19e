"""What a client used of its server this month, and a warning before a budget runs out.

Turso bills by rows read, rows written and bytes stored. sqld reports the rows of every
statement in its reply, so the client adds them up as replies arrive (no extra round
trip); bytes stored are measured when asked (`usage()`: one query of the page count).
The counts are this client's own since it opened or since the month began (UTC), so a
fleet of app servers adds up their numbers; the provider's dashboard stays the bill.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from libsqlkit._errors import ConfigurationError
from libsqlkit._hrana import ReplyFacts
from libsqlkit._plan import Statement

__all__ = ["FREE_TIER", "STORAGE", "Usage", "UsageBudget", "UsageMeter", "parse_budget"]

_log = logging.getLogger("libsqlkit.usage")

# The database's size: a read (sqld forwards `PRAGMA page_count` to the primary as a write).
STORAGE = (Statement("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"),)


@dataclass(frozen=True, slots=True)
class UsageBudget:
    """Monthly limits; a warning is logged once a month when a count passes `warn_at`
    of its limit, and again when it passes the limit. None: no limit on that count."""

    rows_read: int | None = None
    rows_written: int | None = None
    bytes_stored: int | None = None
    warn_at: float = 0.8

    def __post_init__(self) -> None:
        for name in ("rows_read", "rows_written", "bytes_stored"):
            limit = getattr(self, name)
            if limit is not None and limit <= 0:
                raise ConfigurationError(f"the usage budget's {name} must be positive, got {limit}")
        if not 0 < self.warn_at <= 1:
            raise ConfigurationError(f"warn_at must be in (0, 1], got {self.warn_at}")


# Turso's free tier as the design states it: 500 MB stored, 1 B rows read and 25 M rows
# written a month (check your own plan's numbers).
FREE_TIER = UsageBudget(rows_read=1_000_000_000, rows_written=25_000_000, bytes_stored=500_000_000)


def parse_budget(text: str, *, source: str) -> UsageBudget:
    """`free`, or `rows_read=N,rows_written=N,bytes_stored=N[,warn_at=F]` (any subset)."""
    if text.strip().lower() == "free":
        return FREE_TIER
    fields: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in ("rows_read", "rows_written", "bytes_stored", "warn_at"):
            raise ConfigurationError(
                f"{source}: cannot read {part.strip()!r}; use 'free' or "
                "rows_read=N,rows_written=N,bytes_stored=N (any of them), optionally warn_at=0.8"
            )
        try:
            fields[name] = float(value)
        except ValueError:
            raise ConfigurationError(f"{source}: {name} must be a number, got {value!r}") from None
    limits = {k: int(v) for k, v in fields.items() if k != "warn_at"}
    if "warn_at" in fields:
        return UsageBudget(**limits, warn_at=fields["warn_at"])
    return UsageBudget(**limits)


@dataclass(frozen=True, slots=True)
class Usage:
    """This client's use of its server since `since` (it opened, or the month began).

    Rows are what sqld reported per statement. Through a replica that forwards writes,
    sqld 0.24 reports 0 for each forwarded statement: its changed rows count as written,
    and what it read is missing (`rows_read` is then a lower bound). `bytes_stored` is
    the database's size as measured by this call (None where it was not measured).
    """

    since: datetime
    rows_read: int
    rows_written: int
    bytes_stored: int | None
    budget: UsageBudget | None


def _month(moment: datetime) -> tuple[int, int]:
    return moment.year, moment.month


class UsageMeter:
    """Adds up the facts of every reply of one client (its threads and tasks, all its
    servers), and warns when a monthly budget is near. Thread-safe, no I/O."""

    def __init__(
        self,
        budget: UsageBudget | None,
        *,
        where: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._budget = budget
        self._where = where
        self._clock = clock
        self._lock = threading.Lock()
        self._since = clock()
        self._rows_read = 0
        self._rows_written = 0
        self._warned: set[tuple[str, float]] = set()

    def _roll(self, now: datetime) -> None:
        """A new month starts every count (and every warning) from zero."""
        if _month(now) != _month(self._since):
            self._since = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            self._rows_read = self._rows_written = 0
            self._warned.clear()

    def observe(self, facts: ReplyFacts) -> None:
        if not (facts.rows_read or facts.rows_written):
            return
        with self._lock:
            self._roll(self._clock())
            self._rows_read += facts.rows_read
            self._rows_written += facts.rows_written
            self._check("rows_read", self._rows_read)
            self._check("rows_written", self._rows_written)

    def usage(self, bytes_stored: int | None) -> Usage:
        with self._lock:
            self._roll(self._clock())
            if bytes_stored is not None:
                self._check("bytes_stored", bytes_stored)
            return Usage(
                self._since, self._rows_read, self._rows_written, bytes_stored, self._budget
            )

    def _check(self, name: str, value: int) -> None:
        budget = self._budget
        limit = None if budget is None else getattr(budget, name)
        if budget is None or limit is None:
            return
        crossed = [t for t in (budget.warn_at, 1.0) if value >= limit * t]
        if not crossed or (name, max(crossed)) in self._warned:
            return
        self._warned.update((name, t) for t in crossed)
        _log.warning(
            "%s: %s is %d this month, %.0f%% of the budget's %d%s",
            self._where,
            name.replace("_", " "),
            value,
            100 * value / limit,
            limit,
            " (over budget)" if max(crossed) >= 1.0 else "",
        )
