"""The cluster's rules without servers: what a session waits for, when it sees a
restarted primary, which replica a read tries, and how usage is added up and budgeted.
(The same rules against real sqld processes: test_cluster.py.)"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from libsqlkit import FREE_TIER, ConfigurationError, Timeout, Unavailable, UsageBudget
from libsqlkit._cluster import PRIMARY, REST_AFTER_REFUSAL_S, REST_AFTER_TIMEOUT_S, Router
from libsqlkit._consistency import RESYNC_S, Session, consistency, effective_level
from libsqlkit._hrana import reply_facts
from libsqlkit._usage import UsageMeter, parse_budget


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# -- the session -----------------------------------------------------------------------------


def test_a_session_that_has_not_written_waits_for_nothing() -> None:
    session = Session(where="test")
    session.read_by("r1", 40, session.ticket())
    assert session.wait_for("r1") is None
    assert session.wait_for("r2") is None


def test_after_a_write_each_replica_waits_once_for_it() -> None:
    session = Session(where="test")
    session.read_by("r1", 40, session.ticket())
    session.from_primary(45, session.ticket(), certain=True, advanced=True)
    assert session.wait_for("r1") == 45 and session.wait_for("r2") == 45
    session.read_by("r1", 46, session.ticket())  # r1 has shown it
    assert session.wait_for("r1") is None and session.wait_for("r2") == 45


def test_replies_of_concurrent_calls_may_arrive_in_any_order() -> None:
    """Two calls sent before either reply came back: the lower position arriving last
    is an older reply, not a restart."""
    session = Session(where="test")
    first, second = session.ticket(), session.ticket()
    session.from_primary(50, second, certain=True, advanced=True)
    session.from_primary(49, first, certain=True, advanced=True)
    assert session.floor == 50 and not session.resyncing()
    session.read_by("r1", 50, second)
    session.read_by("r1", 48, first)
    assert not session.resyncing()


def test_a_restarted_primary_is_seen_by_a_write_that_does_not_move_forward(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """sqld counts a restarted primary's new log from its page count: a committed write
    reported at a position not past the one received before it was sent comes from a
    new log. Session reads then go to the primary while the replicas resync."""
    clock = Clock()
    session = Session(where="test", clock=clock)
    session.read_by("r1", 30, session.ticket())
    session.from_primary(26, session.ticket(), certain=True, advanced=True)
    with caplog.at_level(logging.WARNING, logger="libsqlkit.cluster"):
        session.from_primary(26, session.ticket(), certain=True, advanced=True)
    assert session.resyncing() and session.floor == 26
    assert "position behind one it reported before" in caplog.text
    assert session.wait_for("r1") == 26  # r1's old number no longer counts
    clock.now += RESYNC_S
    assert not session.resyncing()


def test_a_replica_counting_back_reveals_a_new_log() -> None:
    session = Session(where="test")
    session.read_by("r1", 30, session.ticket())
    session.read_by("r1", 4, session.ticket())
    assert session.resyncing() and session.floor is None
    assert session.wait_for("r1") is None


def test_a_write_that_only_read_on_a_replica_proves_nothing() -> None:
    """A statement sent as a write but that only reads (PRAGMA table_info) runs on a
    replica, which reports its own, older position: not a restart."""
    session = Session(where="test")
    session.from_primary(50, session.ticket(), certain=True, advanced=True)
    session.from_primary(47, session.ticket(), certain=False)
    assert not session.resyncing() and session.floor == 50


# -- routing -----------------------------------------------------------------------------------


def test_reads_try_the_replicas_in_order_then_the_primary() -> None:
    router = Router(2, clock=Clock())
    assert router.order() == [0, 1, PRIMARY]
    assert not router.moves(0)  # the first read moves nowhere
    router.answered(0)
    assert router.moves(1) and not router.moves(0) and not router.moves(PRIMARY)


def test_a_refused_replica_rests_briefly_a_hung_one_longer() -> None:
    clock = Clock()
    router = Router(2, clock=clock)
    assert router.failed(0, Unavailable("refused"))  # the read goes on to the next
    assert router.order() == [1, PRIMARY]
    clock.now += REST_AFTER_REFUSAL_S
    assert router.order() == [0, 1, PRIMARY]
    assert not router.failed(1, Timeout("hung"))  # bounded: the caller gets the Timeout
    clock.now += REST_AFTER_TIMEOUT_S - 0.1
    assert router.order() == [0, PRIMARY]
    clock.now += 0.1
    assert router.order() == [0, 1, PRIMARY]
    assert not router.failed(PRIMARY, Unavailable("down"))  # nothing after the primary


# -- usage -------------------------------------------------------------------------------------


def _reply(*results: dict[str, object]) -> dict[str, object]:
    return {
        "results": [{"type": "ok", "response": {"type": "execute", "result": r}} for r in results]
    }


def test_reply_facts_count_forwarded_writes_by_their_changed_rows() -> None:
    """sqld reports 0 rows for a statement a replica forwarded; what it changed counts."""
    direct = {"replication_index": "7", "rows_read": 3, "rows_written": 9, "affected_row_count": 1}
    forwarded = {
        "replication_index": "8",
        "rows_read": 0,
        "rows_written": 0,
        "affected_row_count": 2,
    }
    facts = reply_facts(_reply(direct, forwarded))
    assert (facts.replication_index, facts.rows_read, facts.rows_written) == (8, 3, 11)


def test_a_budget_warns_once_near_it_and_once_over_it(caplog: pytest.LogCaptureFixture) -> None:
    meter = UsageMeter(UsageBudget(rows_written=100, warn_at=0.5), where="http://db")
    written = {"replication_index": "1", "rows_read": 0, "rows_written": 30}
    with caplog.at_level(logging.WARNING, logger="libsqlkit.usage"):
        for _ in range(5):
            meter.observe(reply_facts(_reply(written)))
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        "http://db: rows written is 60 this month, 60% of the budget's 100",
        "http://db: rows written is 120 this month, 120% of the budget's 100 (over budget)",
    ]
    assert meter.usage(None).rows_written == 150


def test_counts_start_again_each_month() -> None:
    now = [datetime(2026, 1, 31, 23, 59, tzinfo=UTC)]
    meter = UsageMeter(None, where="db", clock=lambda: now[0])
    meter.observe(reply_facts(_reply({"rows_read": 5, "rows_written": 2})))
    assert (meter.usage(None).rows_read, meter.usage(None).rows_written) == (5, 2)
    now[0] = datetime(2026, 2, 1, 0, 1, tzinfo=UTC)
    usage = meter.usage(1234)
    assert (usage.rows_read, usage.rows_written, usage.bytes_stored) == (0, 0, 1234)
    assert usage.since == datetime(2026, 2, 1, tzinfo=UTC)


def test_budgets_from_text() -> None:
    assert parse_budget("free", source="x") == FREE_TIER
    assert parse_budget("rows_read=1e6, bytes_stored=5e8", source="x") == UsageBudget(
        rows_read=1_000_000, bytes_stored=500_000_000
    )
    assert parse_budget("rows_written=10,warn_at=0.9", source="x") == UsageBudget(
        rows_written=10, warn_at=0.9
    )
    with pytest.raises(ConfigurationError, match="cannot read 'reads=5'"):
        parse_budget("reads=5", source="TURSO_USAGE_BUDGET")
    with pytest.raises(ConfigurationError, match="rows_read must be a number, got 'lots'"):
        parse_budget("rows_read=lots", source="TURSO_USAGE_BUDGET")
    with pytest.raises(ConfigurationError, match="must be positive"):
        UsageBudget(rows_read=0)
    with pytest.raises(ConfigurationError, match="warn_at must be in"):
        UsageBudget(warn_at=1.5)


def test_a_block_sets_the_level_of_its_reads() -> None:
    assert effective_level("session") == "session"
    with consistency("eventual"):
        assert effective_level("session") == "eventual"
        with consistency("primary"):
            assert effective_level("eventual") == "primary"
    assert effective_level("eventual") == "eventual"


def test_an_unknown_level_is_refused() -> None:
    with (
        pytest.raises(ConfigurationError, match="unknown consistency 'strong'"),
        consistency("strong"),  # type: ignore[arg-type]
    ):
        pass
