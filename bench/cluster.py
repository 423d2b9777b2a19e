"""A libSQL cluster on loopback: one sqld primary and one read replica (real processes).

- read latency on the replica at the `eventual` and `session` levels, against the primary;
- a write-then-read pair (create, then find_by_id) through the replica, against the same
  pair on the primary, for each way of reading one's own writes the issue named: session
  positions (what the client does), reading the primary after a write, and one Hrana
  stream per session; with how often the read missed the row it had just written;
- replication lag: from the primary's answer to a write until the replica reports it.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness import Report, timed
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from generated.tables import SCHEMA
from libsqlkit import Database, connect, consistency
from libsqlkit._hrana import reply_facts
from libsqlkit._http import HttpPool
from tests.cluster_kit import Cluster

PRIMARY = "primary only"
EVENTUAL = "replica, eventual"
SESSION = "replica, session (positions)"
READ_REPLICA = "primary URL + read replica, session"
PRIMARY_AFTER_WRITE = "replica, reads on the primary after a write"
STREAM = "replica, one Hrana stream"


def _pairs(
    report: Report, contender: str, db: Database, pairs: int, read: Callable[[], Any]
) -> None:
    """create + find_by_id, `pairs` times: latency per pair and misses per 100."""
    workflows = WorkflowRepository(db)
    missed = 0

    def run() -> None:
        nonlocal missed
        for _ in range(pairs):
            created = workflows.create(NewWorkflow(type="t", user_id="pairs"))
            with read():
                missed += workflows.find_by_id(created.id) is None

    seconds = timed(run)
    report.figure("create then find_by_id", contender, "µs").samples.append(seconds / pairs * 1e6)
    report.figure("create then find_by_id: misses per 100", contender, "").samples.append(
        100 * missed / pairs
    )


def _reads(report: Report, contender: str, db: Database, calls: int, level: str) -> None:
    workflows = WorkflowRepository(db)
    ids = [workflows.create(NewWorkflow(type="t", user_id="reads")).id for _ in range(20)]
    workflows.find_by_id(ids[-1])  # the replica has shown the writes: steady state

    def run() -> None:
        with consistency(level):  # type: ignore[arg-type]
            for i in range(calls):
                workflows.find_by_id(ids[i % len(ids)])

    seconds = timed(run)
    report.figure("find_by_id", contender, "µs").samples.append(seconds / calls * 1e6)


class _Same:
    """No change of level: the client's own."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _stream_pairs(report: Report, cluster: Cluster, pairs: int) -> None:
    """The stream design: the write and the read on one Hrana stream (one server
    connection) of the replica, which sqld 0.24 does not make wait for its own write."""
    pool = HttpPool(cluster.replicas[0].url, cluster.token(), timeout=10, size=1)
    missed = 0

    def execute(baton: str | None, sql: str, close: bool) -> tuple[str | None, Any]:
        requests: list[dict[str, Any]] = [{"type": "execute", "stmt": {"sql": sql}}]
        reply = pool.post(
            {"baton": baton, "requests": requests + ([{"type": "close"}] if close else [])}
        )
        return reply.get("baton"), reply["results"][0]["response"]["result"]["rows"]

    def run() -> None:
        nonlocal missed
        for i in range(pairs):
            key = f"stream-{time.monotonic_ns()}-{i}"
            baton, _ = execute(None, f"INSERT INTO stream_rows VALUES ('{key}')", close=False)
            _, rows = execute(baton, f"SELECT 1 FROM stream_rows WHERE k = '{key}'", close=True)
            missed += not rows

    seconds = timed(run)
    pool.close()
    report.figure("create then find_by_id", STREAM, "µs").samples.append(seconds / pairs * 1e6)
    report.figure("create then find_by_id: misses per 100", STREAM, "").samples.append(
        100 * missed / pairs
    )


def _lag(report: Report, cluster: Cluster, writes: int) -> None:
    """Per write on the primary: time until a replica read reports its position."""
    token = cluster.token()
    primary = HttpPool(cluster.primary.url, token, timeout=10, size=1)
    replica = HttpPool(cluster.replicas[0].url, token, timeout=10, size=1)

    def position(pool: HttpPool, sql: str) -> int:
        body = {"requests": [{"type": "execute", "stmt": {"sql": sql}}, {"type": "close"}]}
        found = reply_facts(pool.post(body)).replication_index
        assert found is not None
        return found

    lags = []
    for _ in range(writes):
        written = position(primary, "INSERT INTO lag_rows VALUES (1)")
        answered = time.perf_counter()
        while position(replica, "SELECT 1") < written:
            pass
        lags.append((time.perf_counter() - answered) * 1e3)
        time.sleep(0.002)
    primary.close()
    replica.close()
    report.figure("replication lag, median", "replica", "ms").samples.append(
        statistics.median(lags)
    )
    report.figure("replication lag, max", "replica", "ms").samples.append(max(lags))


def run(rounds: int, quick: bool) -> Report:
    report = Report("Cluster (sqld primary + read replica on loopback)", baseline=PRIMARY)
    pairs, calls, writes = (20, 50, 20) if quick else (300, 500, 300)
    with tempfile.TemporaryDirectory() as folder:
        cluster = Cluster(Path(folder), replicas=1).start()
        try:
            token = cluster.token()
            with connect(SCHEMA, cluster.primary.url, auth_token=token) as admin:
                admin.create_schema()
                admin.execute("CREATE TABLE stream_rows (k TEXT)")
                admin.execute("CREATE TABLE lag_rows (n INTEGER)")
            cluster.wait_caught_up()
            replica, primary = cluster.replicas[0].url, cluster.primary.url
            for _ in range(rounds):
                with connect(SCHEMA, primary, auth_token=token) as db:
                    _reads(report, PRIMARY, db, calls, "session")
                    _pairs(report, PRIMARY, db, pairs, _Same)
                with connect(SCHEMA, replica, auth_token=token) as db:
                    _reads(report, EVENTUAL, db, calls, "eventual")
                    _reads(report, SESSION, db, calls, "session")
                    _pairs(report, SESSION, db, pairs, _Same)
                    _pairs(report, PRIMARY_AFTER_WRITE, db, pairs, lambda: consistency("primary"))
                    _pairs(report, EVENTUAL, db, pairs, lambda: consistency("eventual"))
                with connect(SCHEMA, primary, read_url=replica, auth_token=token) as db:
                    _pairs(report, READ_REPLICA, db, pairs, _Same)
                _stream_pairs(report, cluster, pairs)
                _lag(report, cluster, writes)
        finally:
            cluster.stop()
    report.notes += [
        "Writes through the replica are forwarded to the primary (one more hop).",
        "Session reads send the position of the client's last write to a replica that "
        "has not shown it yet; sqld makes the read wait for it. A client that has not "
        "written sends nothing.",
        "Misses: reads that did not find the row written just before by the same client.",
        "One Hrana stream: raw INSERT and SELECT on one stream of the replica (no "
        "repository), so its time is not comparable; its misses are the point: sqld "
        "does not make a stream wait for its own forwarded write.",
        "Lag: from the primary's answer to a write until a read on the replica reports "
        "the write's position (polled back to back, so it includes one round trip).",
    ]
    return report
