"""A libSQL cluster (one sqld primary, two read replicas, real processes on loopback):
read-your-writes, monotonic reads, the consistency levels, and the cluster failing in
parts. The async API's twins are in test_cluster_async.py.

`CLUSTER_PAIRS` (default 1000) sets how many write-then-read pairs the read-your-writes
proofs make; raise it for a soak.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from generated.tables import SCHEMA
from libsqlkit import Database, Timeout, Unavailable, connect, consistency
from libsqlkit._cluster import REST_AFTER_REFUSAL_S, ClusterEngine
from libsqlkit._consistency import RESYNC_S
from tests.cluster_kit import AnswerDroppingLink, Cluster, wait_resynced
from tests.sqld import HungServer, Sqld

PAIRS = int(os.environ.get("CLUSTER_PAIRS", "1000"))
TOPOLOGIES = ("one replica URL, which forwards writes", "primary URL plus read replicas")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A cluster the tests of this module share (they only add rows)."""
    instance = started(tmp_path_factory.mktemp("cluster"))
    yield instance
    instance.stop()


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A cluster of the test's own, whose servers it kills."""
    instance = started(tmp_path)
    yield instance
    instance.stop()


def started(folder: Path) -> Cluster:
    instance = Cluster(folder).start()
    with connect(SCHEMA, instance.primary.url, auth_token=instance.token()) as admin:
        admin.create_schema()
    instance.wait_caught_up()
    return instance


def client(cluster: Cluster, topology: str, **options: object) -> Database:
    if topology == TOPOLOGIES[0]:
        return connect(SCHEMA, cluster.replicas[0].url, auth_token=cluster.token(), **options)  # type: ignore[arg-type]
    return connect(
        SCHEMA,
        cluster.primary.url,
        read_url=cluster.read_urls,
        auth_token=cluster.token(),
        **options,  # type: ignore[arg-type]
    )


def engine(db: Database) -> ClusterEngine:
    found = db._engine
    assert isinstance(found, ClusterEngine)
    return found


def misses(db: Database, pairs: int) -> int:
    """Creates a row and reads it back at once, `pairs` times: how often it was missing."""
    workflows = WorkflowRepository(db)
    missing = 0
    for _ in range(pairs):
        created = workflows.create(NewWorkflow(type="t", user_id="ryw"))
        missing += workflows.find_by_id(created.id) is None
    return missing


# -- read-your-writes and the consistency levels -------------------------------------------


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_a_client_reads_its_own_writes_through_a_replica(cluster: Cluster, topology: str) -> None:
    with client(cluster, topology) as db:
        assert misses(db, PAIRS) == 0


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_eventual_reads_miss_the_writes_session_reads_see(cluster: Cluster, topology: str) -> None:
    """The control of the proof above: replication lags a few milliseconds, longer than
    a round trip on loopback, so the same pairs without the session index miss rows,
    whether the client or the block asks for `eventual`."""
    with client(cluster, topology, consistency="eventual") as db:
        assert misses(db, 200) > 0
    with client(cluster, topology) as db, consistency("eventual"):
        assert misses(db, 200) > 0


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_a_primary_read_sees_writes_the_session_has_not_seen(
    cluster: Cluster, topology: str
) -> None:
    """Another client writes on the primary; this one, which has seen none of it, reads
    through a replica: at the session level it may miss the row (it promises only its
    own writes), in a `consistency("primary")` block never."""
    with (
        connect(SCHEMA, cluster.primary.url, auth_token=cluster.token()) as writer,
        client(cluster, topology) as reader,
    ):
        written, read = WorkflowRepository(writer), WorkflowRepository(reader)
        session_misses = 0
        for _ in range(100):
            created = written.create(NewWorkflow(type="t", user_id="other"))
            with consistency("primary"):
                assert read.find_by_id(created.id) == created
            later = written.create(NewWorkflow(type="t", user_id="other"))
            session_misses += read.find_by_id(later.id) is None
        assert session_misses > 0


def test_reads_stay_on_the_replica_and_primary_reads_go_to_the_primary(cluster: Cluster) -> None:
    with client(cluster, TOPOLOGIES[1]) as db:
        workflows = WorkflowRepository(db)
        created = workflows.create(NewWorkflow(type="t", user_id="route"))
        servers = engine(db)
        primary, near, far = (
            servers.primary.round_trips,
            servers.replicas[0].round_trips,
            servers.replicas[1].round_trips,
        )
        for _ in range(20):
            assert workflows.find_by_id(created.id) == created
        assert servers.replicas[0].round_trips == near + 20  # the first read URL: nearest
        assert (servers.primary.round_trips, servers.replicas[1].round_trips) == (primary, far)
        with consistency("primary"):
            assert workflows.find_by_id(created.id) == created
        assert servers.primary.round_trips == primary + 1


# -- monotonic reads and servers failing ---------------------------------------------------


class Counter:
    """A row another client increments as fast as it can, until stopped."""

    def __init__(self, cluster: Cluster) -> None:
        self.writer = connect(SCHEMA, cluster.primary.url, auth_token=cluster.token())
        self.writer.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        self.writer.execute("INSERT INTO counter VALUES (0)")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.writer.execute("UPDATE counter SET n = n + 1")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.writer.close()


def test_monotonic_reads_across_both_replicas(own_cluster: Cluster) -> None:
    """One session reads a counter that another client keeps incrementing: on the
    nearest replica; then, the other replica frozen and left behind, the nearest killed,
    on the other one (the moment it resumes, still behind); then on the nearest again,
    restarted. What it reads never goes back, on whichever replica."""
    counter = Counter(own_cluster)
    own_cluster.wait_caught_up()  # the reader has seen nothing: it waits for nothing
    near, far = own_cluster.replicas
    seen: list[int] = []
    served: list[int] = []
    try:
        with client(own_cluster, TOPOLOGIES[1]) as db:
            replicas = engine(db).replicas

            def read_for(seconds: float) -> None:
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    before = [r.round_trips for r in replicas]
                    seen.append(db.execute("SELECT n FROM counter")[0][0])
                    served.extend(i for i, r in enumerate(replicas) if r.round_trips > before[i])

            read_for(0.3)
            far.pause()
            read_for(0.3)  # the far replica falls behind
            far.resume()
            near.kill()
            read_for(0.3)
            near.start()
            time.sleep(REST_AFTER_REFUSAL_S)
            deadline = time.monotonic() + RESYNC_S + 5
            while served[-1] != 0 and time.monotonic() < deadline:
                read_for(0.1)
    finally:
        counter.stop()
    assert [i for i, _ in itertools.groupby(served)] == [0, 1, 0]
    assert seen == sorted(seen) and seen[-1] > seen[0]


def test_a_replica_killed_and_restarted(own_cluster: Cluster) -> None:
    """Reads go on, on the other replica, while the nearest is down (reads in flight
    included: a read is sent again), and come back to it once it is up again; every
    read sees the writes before it."""
    with client(own_cluster, TOPOLOGIES[1]) as db:
        workflows = WorkflowRepository(db)
        replicas = engine(db).replicas
        failures: list[BaseException] = []
        stop = threading.Event()

        def keep_reading() -> None:  # a second thread, its reads in flight at the kill
            mine = workflows.create(NewWorkflow(type="t", user_id="reader"))
            while not stop.is_set():
                try:
                    assert workflows.find_by_id(mine.id) == mine
                except BaseException as exc:  # reported by the main thread
                    failures.append(exc)
                    return

        def answered_by(pairs: int) -> list[bool]:
            before = [r.round_trips for r in replicas]
            assert misses(db, pairs) == 0
            return [r.round_trips > b for r, b in zip(replicas, before, strict=True)]

        reader = threading.Thread(target=keep_reading)
        reader.start()
        try:
            assert answered_by(50) == [True, False]
            own_cluster.replicas[0].kill()
            assert answered_by(50) == [False, True]
            own_cluster.replicas[0].start()
            # Back after its rest, or after the resync window if its restart made it
            # report an older position (see _consistency.Session).
            deadline = time.monotonic() + REST_AFTER_REFUSAL_S + RESYNC_S + 5
            while not answered_by(10)[0]:
                assert time.monotonic() < deadline, "reads never came back to the replica"
            assert answered_by(50) == [True, False]
        finally:
            stop.set()
            reader.join()
        assert failures == []


def test_the_primary_killed_writes_fail_typed_and_reads_go_on(own_cluster: Cluster) -> None:
    with client(own_cluster, TOPOLOGIES[1], timeout=2.0) as db:
        workflows = WorkflowRepository(db)
        created = workflows.create(NewWorkflow(type="t", user_id="survivor"))
        assert workflows.find_by_id(created.id) == created
        own_cluster.primary.kill()
        started_at = time.monotonic()
        with pytest.raises(Unavailable, match="cannot reach"):
            workflows.create(NewWorkflow(type="t", user_id="lost"))
        with pytest.raises(Unavailable, match="cannot reach"), db.transaction():
            workflows.create(NewWorkflow(type="t", user_id="lost"))
        assert time.monotonic() - started_at < 1.0  # refused at once: nothing was sent
        for _ in range(20):
            assert workflows.find_by_id(created.id) == created
            assert workflows.find_by_user_id("survivor") == [created]
        with pytest.raises(Unavailable, match="cannot reach"), consistency("primary"):
            workflows.find_by_id(created.id)
        own_cluster.primary.start()
        again = workflows.create(NewWorkflow(type="t", user_id="survivor"))
        with consistency("primary"):
            assert workflows.find_by_id(again.id) == again
        wait_resynced(own_cluster)  # a restarted primary starts a new log: see _consistency
        assert misses(db, 50) == 0
        assert workflows.find_by_user_id("lost") == []


def test_a_write_forwarded_to_a_dead_primary_times_out_and_is_never_sent_twice(
    own_cluster: Cluster,
) -> None:
    """Through a replica that forwards writes, a dead primary makes the write hang (sqld
    retries its forwarding): the client stops waiting after `timeout`, says the write
    may have been applied, and does not send it again, so it lands at most once."""
    with client(own_cluster, TOPOLOGIES[0], timeout=1.0) as db:
        db.execute("CREATE TABLE events (marker TEXT)")  # no key: a second send is a second row
        created = WorkflowRepository(db).create(NewWorkflow(type="t", user_id="survivor"))
        assert WorkflowRepository(db).find_by_id(created.id) == created  # the replica has it
        own_cluster.primary.kill()
        started_at = time.monotonic()
        with pytest.raises(Timeout, match="may have been applied, so it was not sent again"):
            db.execute("INSERT INTO events VALUES ('once')")
        assert time.monotonic() - started_at < 2.0
        assert WorkflowRepository(db).find_by_id(created.id) == created  # reads go on
        own_cluster.primary.start()
        for _ in range(10):
            with consistency("primary"):
                assert db.execute("SELECT count(*) FROM events")[0][0] <= 1
            time.sleep(0.1)


def test_a_hung_read_replica_costs_one_bounded_timeout(own_cluster: Cluster) -> None:
    hung = HungServer()
    try:
        with connect(
            SCHEMA,
            own_cluster.primary.url,
            read_url=[hung.url, own_cluster.replicas[1].url],
            auth_token=own_cluster.token(),
            timeout=1.0,
        ) as db:
            workflows = WorkflowRepository(db)
            created = workflows.create(NewWorkflow(type="t", user_id="hung"))
            started_at = time.monotonic()
            with pytest.raises(Timeout, match="did not answer within 1 s"):
                workflows.find_by_id(created.id)
            assert time.monotonic() - started_at < 2.0
            started_at = time.monotonic()
            for _ in range(10):  # the hung replica rests; the other one answers
                assert workflows.find_by_id(created.id) == created
            assert time.monotonic() - started_at < 1.0
    finally:
        hung.close()


# -- a request whose answer is lost ----------------------------------------------------------


@pytest.fixture
def dropping(tmp_path: Path) -> Iterator[tuple[Sqld, AnswerDroppingLink]]:
    server = Sqld(tmp_path / "sqld", auth=True).start()
    link = AnswerDroppingLink(server.port)
    yield server, link
    link.close()
    server.stop()


def test_a_write_whose_answer_is_lost_is_not_sent_again(
    dropping: tuple[Sqld, AnswerDroppingLink],
) -> None:
    """The server ran the insert, then the connection broke before its answer came back:
    sending it again would insert a second row. The client reports that the write may
    have been applied and leaves it there; a read whose answer is lost is sent again."""
    server, link = dropping
    with connect(SCHEMA, link.url, auth_token=server.token()) as db:
        db.execute("CREATE TABLE events (marker TEXT)")  # leaves a kept-alive connection
        link.drop_answers = 1
        with pytest.raises(Unavailable, match="may have been applied, so it was not sent again"):
            db.execute("INSERT INTO events VALUES ('once')")
        assert db.execute("SELECT count(*) FROM events") == [(1,)]
        link.drop_answers = 1
        assert db.execute("SELECT marker FROM events") == [("once",)]
