"""Offline sync against a real sqld: the design's four-step flow, last write wins, faults.

Every device is a real database file; the cloud is a real sqld whose schema, change log
and triggers come from the migrations folder; "offline" is a cut TCP link.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from generated.client import DbClient, create_db_client
from generated.models import NewUserSettings, NewWorkflow, WorkflowUpdate
from generated.repositories import (
    SyncMetadataRepository,
    UserSettingsRepository,
    WorkflowRepository,
)
from libsqlkit import (
    AuthError,
    SchemaStateError,
    Timeout,
    Unavailable,
    _sync,
    _sync_apply,
)
from libsqlkit._sync_state import Local, Server
from tests.sqld import HungServer, Sqld
from tests.sync_kit import (
    Device,
    all_converged,
    async_device,
    backend,
    contents,
    migrate,
    open_device,
    plain_copy,
    server_contents,
    shared_row,
    start_cloud,
    versions,
)

ROOT = Path(__file__).parent.parent


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[Sqld]:
    server = start_cloud(tmp_path / "cloud")
    yield server
    server.stop()


@pytest.fixture
def devices(cloud: Sqld, tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    a, b = open_device(cloud, tmp_path, "a"), open_device(cloud, tmp_path, "b")
    yield a, b
    a.close()
    b.close()


def offline_client(folder: Path, sync_url: str, token: str) -> DbClient:
    """A migrated offline-mode device without a link of its own, bounded at 1 s."""
    db = create_db_client(
        f"file:{folder}/a.db",
        sync_url=sync_url,
        sync_mode="offline",
        sync_interval=0,
        auth_token=token,
        timeout=1.0,
    )
    migrate(db)
    return db


def statuses(device: Device) -> dict[str, str]:
    rows = SyncMetadataRepository(device.db).find_many()
    return {row.table_name: row.sync_status for row in rows}


# -- the design's flow -------------------------------------------------------------


@pytest.mark.parametrize("driver", ["sqlite3", "libsql"])
def test_offline_writes_then_sync_then_background(cloud: Sqld, tmp_path: Path, driver: str) -> None:
    """(1) read and write offline, (2) send with sync() when back, (3) background sync,
    (4) conflicts by last write wins; sync_metadata tells the app what happened."""
    a = open_device(cloud, tmp_path, "a", driver="libsql" if driver == "libsql" else "sqlite3")
    b = open_device(cloud, tmp_path, "b", sync_interval=0.2)
    try:
        a.link.cut()
        made = [a.workflows.create(NewWorkflow(type="import", user_id="u1")) for _ in range(3)]
        a.workflows.update(made[0].id, WorkflowUpdate(status="PROCESSING"))
        assert len(a.workflows.find_by_user_id("u1")) == 3  # offline reads and writes
        assert a.db.pending_changes() == {"workflows": 3, "user_settings": 0}
        with pytest.raises(Unavailable):
            a.db.sync()
        assert statuses(a) == {"workflows": "FAILED", "user_settings": "FAILED"}

        a.link.restore()
        report = a.db.sync()
        assert (report.pushed, report.pulled, report.conflicts) == (3, 0, ())
        assert a.db.pending_changes() == {"workflows": 0, "user_settings": 0}
        assert report.round_trips == 1
        assert statuses(a) == {"workflows": "COMPLETED", "user_settings": "COMPLETED"}
        last = SyncMetadataRepository(a.db).find_by_table_name("workflows")[0].last_sync_at
        assert last is not None and abs((datetime.now(UTC) - last).total_seconds()) < 5

        deadline = time.monotonic() + 10  # b syncs in the background, nobody calls it
        while b.workflows.get(made[0].id) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        pulled = b.workflows.get(made[0].id)
        assert pulled is not None and pulled.status == "PROCESSING"
        assert b.db.last_sync_error is None
    finally:
        a.close()
        b.close()


def test_the_newer_write_wins_everywhere_even_when_pushed_first(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    """The issue's scenario: A edits r1 offline, B edits it later and pushes, A comes
    back and syncs. Turso Sync keeps A's stale edit; here B's newer write wins."""
    a, b = devices
    r1 = shared_row(a, b, "report")
    a.link.cut()
    a.workflows.update(r1.id, WorkflowUpdate(status="FAILED", error_log="A, offline"))
    time.sleep(0.005)
    b.workflows.update(r1.id, WorkflowUpdate(status="COMPLETED", error_log="B, later"))
    b.db.sync()
    a.link.restore()

    report = a.db.sync()
    b.db.sync()

    named = [c for c in report.conflicts if c.column != "updated_at"]  # (second resolution)
    assert sorted((c.table, c.key, c.column, c.winner) for c in named) == [
        ("workflows", r1.id, "error_log", "remote"),
        ("workflows", r1.id, "status", "remote"),
    ]
    assert all(c.local_version < c.remote_version for c in named)
    for device in (a, b):
        row = device.workflows.get(r1.id)
        assert row is not None and (row.status, row.error_log) == ("COMPLETED", "B, later")
    assert all_converged(cloud, a, b)


def test_an_offline_write_that_is_newer_wins_over_an_older_pushed_one(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    a, b = devices
    r1 = shared_row(a, b, "report")
    b.workflows.update(r1.id, WorkflowUpdate(error_log="B, earlier"))
    b.db.sync()
    time.sleep(0.005)
    a.workflows.update(r1.id, WorkflowUpdate(error_log="A, later"))

    report = a.db.sync()
    b.db.sync()

    assert [(c.key, c.column, c.winner) for c in report.conflicts if c.column != "updated_at"] == [
        (r1.id, "error_log", "local")
    ]
    for device in (a, b):
        row = device.workflows.get(r1.id)
        assert row is not None and row.error_log == "A, later"
    assert all_converged(cloud, a, b)


def test_a_write_made_during_a_sync_is_kept_and_sent_next_time(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    """The sync holds the database only for its local steps: a write made while it waits
    for the server goes through, beats the older version being pulled, and is sent by
    the next sync."""
    a, b = devices
    row = shared_row(a, b)
    b.workflows.update(row.id, WorkflowUpdate(error_log="B, older"))
    b.db.sync()
    a.link.delay = 0.4
    reports = []
    syncing = threading.Thread(target=lambda: reports.append(a.db.sync()))
    syncing.start()
    time.sleep(0.15)
    a.workflows.update(row.id, WorkflowUpdate(error_log="A, during the sync"))
    syncing.join()
    a.link.delay = 0
    conflicts = [c for c in reports[0].conflicts if c.column != "updated_at"]
    assert [(c.key, c.column, c.winner) for c in conflicts] == [(row.id, "error_log", "local")]
    got = a.workflows.get(row.id)
    assert got is not None and got.error_log == "A, during the sync"
    assert a.db.sync().pushed == 1
    b.db.sync()
    assert all_converged(cloud, a, b)


def test_soft_deletes_travel_as_updates_and_hard_deletes_as_tombstones(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    a, b = devices
    kept = a.workflows.create(NewWorkflow(type="t", user_id="u1"))
    gone = shared_row(a, b)
    b.workflows.soft_delete(kept.id)
    assert b.workflows.delete(gone.id)
    b.db.sync()
    a.db.sync()

    assert a.workflows.get(kept.id) is None
    restored = a.workflows.get(kept.id, include_deleted=True)
    assert restored is not None and restored.deleted_at is not None
    assert a.workflows.get(gone.id, include_deleted=True) is None
    assert ("workflows", gone.id, 1) in [(t, k, d) for t, k, _, d in versions(a.db)]
    assert all_converged(cloud, a, b)


def test_an_edit_older_than_a_delete_does_not_bring_the_row_back(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    a, b = devices
    row = shared_row(a, b)
    a.workflows.update(row.id, WorkflowUpdate(error_log="edited first"))
    time.sleep(0.005)
    b.workflows.delete(row.id)
    b.db.sync()
    a.db.sync()
    b.db.sync()
    assert a.workflows.get(row.id, include_deleted=True) is None
    assert all_converged(cloud, a, b)


def test_writes_made_on_the_server_itself_are_tracked_and_pulled(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    """The cloud backend writes through the remote client: the same triggers version
    its writes, so devices receive them and conflicts with them resolve by time."""
    a, _ = devices
    with backend(cloud) as api:
        made = WorkflowRepository(api).create(NewWorkflow(type="webhook", user_id="u9"))
        UserSettingsRepository(api).create(NewUserSettings(user_id="u9", preferences={"a": 1}))
    a.db.sync()
    assert a.workflows.get(made.id) is not None
    settings = UserSettingsRepository(a.db).find_by_user_id("u9")
    assert settings is not None and settings.preferences == {"a": 1}

    a.workflows.update(made.id, WorkflowUpdate(status="PROCESSING"))
    time.sleep(0.005)
    with backend(cloud) as api:
        WorkflowRepository(api).update(made.id, WorkflowUpdate(status="FAILED"))
    report = a.db.sync()
    assert [(c.column, c.winner) for c in report.conflicts] == [("status", "remote")]
    final = a.workflows.get(made.id)
    assert final is not None and final.status == "FAILED"
    assert all_converged(cloud, a)


def test_other_writers_of_the_file_are_tracked_too(
    cloud: Sqld, devices: tuple[Device, Device], tmp_path: Path
) -> None:
    """Tracking is SQL triggers: a write by another connection (say a Drizzle app on the
    same file) is sent like the layer's own."""
    a, b = devices
    with plain_copy(tmp_path / "a.db") as other:
        other.execute(
            "INSERT INTO workflows (id, type, user_id, created_at, updated_at) "
            "VALUES ('raw-1', 'sql', 'u1', 1700000000, 1700000000)"
        )
    assert a.db.sync().pushed == 1
    b.db.sync()
    assert b.workflows.get("raw-1") is not None


EXACT_REALS = (0.1, 1 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -2.5e-7)


def test_reals_and_blobs_written_by_another_tool_reach_the_server_exactly(
    cloud: Sqld, devices: tuple[Device, Device], tmp_path: Path
) -> None:
    """SQLite columns take any type: a real (in an integer column) or a blob (in a text
    column) that another tool put in a synced row is pushed bit for bit (reals travel as mantissa and exponent, blobs as hex),
    in whichever columns hold them, beside rows that hold none."""
    a, b = devices
    blob = bytes(range(256)) + b"\x00"
    rows = [(f"raw-{i}", value) for i, value in enumerate(EXACT_REALS)]
    with plain_copy(tmp_path / "a.db") as other:
        for key, value in rows:
            other.execute(
                "INSERT INTO workflows (id, type, user_id, retry_count, output_payload, "
                "created_at, updated_at) VALUES (?, 'sql', 'u1', ?, ?, 1, 1)",
                (key, value, blob if key == "raw-0" else None),
            )
        other.execute(
            "INSERT INTO workflows (id, type, user_id, created_at, updated_at) "
            "VALUES ('plain', 'sql', 'u1', 1, 1)"
        )
    assert a.db.sync().pushed == len(rows) + 1
    read = "SELECT id, retry_count, output_payload FROM workflows WHERE id LIKE 'raw-%' ORDER BY id"
    with backend(cloud) as api:
        found = api.execute(read)
    assert found == [(key, value, blob if key == "raw-0" else None) for key, value in rows]
    assert all(type(value) is float for _, value, _ in found)
    with plain_copy(tmp_path / "a.db") as other:  # only the blob column holds one now
        other.execute("UPDATE workflows SET output_payload = ? WHERE id = 'raw-1'", (blob,))
    a.db.sync()
    with backend(cloud) as api:
        assert api.execute("SELECT output_payload FROM workflows WHERE id = 'raw-1'") == [(blob,)]
    b.db.sync()
    assert all_converged(cloud, a, b)


def test_a_sync_without_changes_is_one_round_trip_and_changes_nothing(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    a, b = devices
    a.workflows.create(NewWorkflow(type="t", user_id="u1"))
    a.db.sync()
    b.db.sync()
    before = (versions(a.db), versions(b.db), server_contents(cloud))
    reports = [a.db.sync(), b.db.sync()]
    assert [(r.pushed, r.pulled, r.round_trips) for r in reports] == [(0, 0, 1), (0, 0, 1)]
    assert (versions(a.db), versions(b.db), server_contents(cloud)) == before


def test_large_syncs_travel_in_pages_and_resume_where_they_stopped(
    cloud: Sqld, devices: tuple[Device, Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pushes go in chunks and pulls in pages (server responses are size-limited); a
    sync cut off between pages resumes at the page it had reached."""
    monkeypatch.setattr(_sync, "PUSH_ROWS", 7)
    monkeypatch.setattr(_sync, "PULL_ROWS", 5)
    a, b = devices
    a.workflows.create_many([NewWorkflow(type="t", user_id=f"u{i}") for i in range(23)])
    with backend(cloud) as api:
        for i in range(6):
            WorkflowRepository(api).create(NewWorkflow(type="api", user_id=f"s{i}"))
    report = a.db.sync()
    assert (report.pushed, report.pulled) == (23, 6)
    assert report.round_trips == 4  # 23 rows in chunks of 7; the 6 pulled fit alongside

    calls = 0
    real_apply = _sync_apply.apply

    def cut_after_two_pages(*args: Any, **kwargs: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls == 3:
            b.link.cut()
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(_sync, "apply", cut_after_two_pages)
    with pytest.raises(Unavailable):
        b.db.sync()
    assert b.workflows.count() == 15  # three pages of five were applied and kept
    monkeypatch.setattr(_sync, "apply", real_apply)
    b.link.restore()
    again = b.db.sync()
    assert again.pulled == 14 and again.round_trips == 3
    assert all_converged(cloud, a, b)


def test_an_edit_pulled_during_a_long_push_keeps_both_fields_everywhere(
    cloud: Sqld, devices: tuple[Device, Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pulled page merges B's later edit into a row A has not pushed yet (its chunk
    comes later). Two ways to lose a field, both guarded:
    - the next chunk is read while the server merges this one; the page makes it stale,
      so it is read again (pushed stale, the whole row would replace B's field);
    - the merged entry carries B's version as its latest, yet holds A's edit: the server
      must not take it for the entry it already has."""
    monkeypatch.setattr(_sync, "PUSH_ROWS", 2)
    a, b = devices
    shared = a.workflows.create(NewWorkflow(type="t", user_id="u1"))
    a.db.sync()
    b.db.sync()
    a.workflows.create_many([NewWorkflow(type="t", user_id=f"n{i}") for i in range(2)])
    a.workflows.update(shared.id, WorkflowUpdate(status="PROCESSING"))  # the second chunk
    b.workflows.update(shared.id, WorkflowUpdate(error_log="from b"))
    b.db.sync()
    report = a.db.sync()
    assert (report.pushed, report.pulled, report.round_trips) == (3, 1, 2)
    with backend(cloud) as api:
        got = WorkflowRepository(api).get(shared.id)
    assert got is not None and (got.status, got.error_log) == ("PROCESSING", "from b")
    b.db.sync()
    assert all_converged(cloud, a, b)


def test_a_read_ahead_that_fails_is_dropped_and_the_servers_reply_kept(
    cloud: Sqld, devices: tuple[Device, Device], tmp_path: Path
) -> None:
    """The server has merged the chunk when the local read ahead fails (here: real SQL
    that SQLite refuses): the reply is applied as usual and the next chunk is read again
    afterwards, never the local error raised as if the server had refused the push."""
    a, _ = devices
    syncer = a.db._sync
    assert isinstance(syncer, _sync.Syncer)
    failing = Local(lambda db: db.execute("SELECT * FROM no_such_table"))
    results, ahead = syncer._server(a.db, Server([("SELECT 1", ())], failing))
    assert (results, ahead) == ([[(1,)]], None)

    async def in_async() -> tuple[Any, Any]:
        device = async_device(cloud, tmp_path / "a.db")
        try:
            remote = device._sync
            assert isinstance(remote, _sync.AsyncSyncer)
            found: tuple[Any, Any] = await remote._server(
                device, Server([("SELECT 2", ())], failing)
            )
            return found
        finally:
            await device.close()

    assert asyncio.run(in_async()) == ([[(2,)]], None)


def test_sync_refuses_to_run_inside_a_transaction(devices: tuple[Device, Device]) -> None:
    a, _ = devices
    from libsqlkit import ConfigurationError

    with a.db.transaction(), pytest.raises(ConfigurationError, match="inside a transaction"):
        a.db.sync()


# -- constraints and schema mismatches ------------------------------------------------


def test_a_rejected_token_is_an_auth_error_and_a_failed_sync(cloud: Sqld, tmp_path: Path) -> None:
    db = offline_client(tmp_path, cloud.url, cloud.token(expired=True))
    try:
        with pytest.raises(AuthError, match="invalid or expired") as failure:
            db.sync()
        assert cloud.token(expired=True) not in str(failure.value)
        assert {r.sync_status for r in SyncMetadataRepository(db).find_many()} == {"FAILED"}
    finally:
        db.close()


def test_the_background_sync_keeps_its_last_error_and_recovers(cloud: Sqld, tmp_path: Path) -> None:
    device = open_device(cloud, tmp_path, "a", sync_interval=0.1)
    try:
        device.link.cut()
        device.workflows.create(NewWorkflow(type="t", user_id="bg"))
        deadline = time.monotonic() + 10
        while device.db.last_sync_error is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert isinstance(device.db.last_sync_error, Unavailable)
        device.link.restore()
        while device.db.last_sync_error is not None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert device.db.last_sync_error is None
        with backend(cloud) as api:
            assert WorkflowRepository(api).find_by_user_id("bg") != []
    finally:
        device.close()


def test_a_server_without_the_change_log_is_named(tmp_path: Path) -> None:
    server = Sqld(tmp_path / "bare", auth=True).start()
    try:
        device = open_device(server, tmp_path, "a")
        try:
            with pytest.raises(SchemaStateError, match="no sync change log"):
                device.db.sync()
        finally:
            device.close()
    finally:
        server.stop()


def test_a_server_on_another_migration_is_named(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    a, _ = devices
    with backend(cloud) as api:
        # changed by hand, not by a migration: the recorded schema version is the same
        api.execute("ALTER TABLE workflows RENAME COLUMN error_log TO error_text")
    a.workflows.create(NewWorkflow(type="t", user_id="u1", error_log="kept here"))
    with pytest.raises(
        SchemaStateError, match=r"differ from this device's.*error_log.*same migrations"
    ):
        a.db.sync()
    assert a.db.pending_changes()["workflows"] == 1  # nothing lost: sent once both agree


# -- faults ------------------------------------------------------------------------


def test_server_down_local_work_goes_on_and_everything_is_sent_later(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    a, b = devices
    first = a.workflows.create(NewWorkflow(type="t", user_id="u1"))
    a.db.sync()
    cloud.stop()
    a.workflows.update(first.id, WorkflowUpdate(status="PROCESSING"))
    second = a.workflows.create(NewWorkflow(type="t", user_id="u1"))
    for device in (a, b):
        with pytest.raises(Unavailable):
            device.db.sync()
        assert statuses(device)["workflows"] == "FAILED"
    assert len(a.workflows.find_by_user_id("u1")) == 2

    cloud.start()
    assert a.db.sync().pushed == 2
    b.db.sync()
    got = b.workflows.get(first.id)
    assert got is not None and got.status == "PROCESSING"
    assert b.workflows.get(second.id) is not None
    assert all_converged(cloud, a, b)


def test_a_server_killed_during_a_push_keeps_all_or_nothing_and_the_retry_completes(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    a, b = devices
    created = a.workflows.create_many(
        [NewWorkflow(type="bulk", user_id=f"u{i}", input_payload={"i": i}) for i in range(4000)]
    )
    assert created == 4000
    failure: list[BaseException] = []

    def push() -> None:
        try:
            a.db.sync()
        except BaseException as exc:  # the crash is expected to surface here
            failure.append(exc)

    pusher = threading.Thread(target=push)
    pusher.start()
    time.sleep(0.03)  # the 4,000-row batch is on the wire or being applied
    assert cloud.process is not None
    cloud.process.send_signal(signal.SIGKILL)
    pusher.join()
    cloud.process.wait()
    cloud.process = None
    cloud.start()

    landed = len(server_contents(cloud)["workflows"])
    assert landed in (0, 4000)  # never half a push
    if failure:
        assert isinstance(failure[0], Unavailable | Timeout)
    a.db.sync()
    b.db.sync()
    assert len(server_contents(cloud)["workflows"]) == 4000
    assert all_converged(cloud, a, b)


CRASH_AFTER_PUSH = """
import os, sys
import libsqlkit._sync as sync
from tests.sync_kit import open_device
from tests.sqld import Sqld
from generated.models import NewWorkflow, WorkflowUpdate

def crash(*args, **kwargs):
    os._exit(9)  # killed after the server committed, before the device recorded it

sync.apply = crash
server = Sqld.__new__(Sqld)
server.port, server.url = int(sys.argv[2]), "http://127.0.0.1:" + sys.argv[2]
server.token = lambda **kw: sys.argv[3]
device = open_device(server, __import__("pathlib").Path(sys.argv[1]), "a")
row = device.workflows.create(NewWorkflow(type="t", user_id="crash"))
device.workflows.update(row.id, WorkflowUpdate(retry_count=1))
device.db.sync()
"""


def test_a_device_killed_mid_sync_resends_without_applying_anything_twice(
    cloud: Sqld, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_AFTER_PUSH, str(tmp_path), str(cloud.port), cloud.token()],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert crashed.returncode == 9, crashed.stderr
    on_server = server_contents(cloud)["workflows"]
    assert len(on_server) == 1  # the push landed; the device never heard back
    with backend(cloud) as api:
        [(seq_before,)] = api.execute("SELECT seq FROM __libsqlkit_sync")

    a = open_device(cloud, tmp_path, "a")  # restart on the same file
    b = open_device(cloud, tmp_path, "b")
    try:
        again = a.db.sync()
        assert again.pushed == 1 and again.conflicts == ()
        with backend(cloud) as api:
            [(seq_after,)] = api.execute("SELECT seq FROM __libsqlkit_sync")
            assert WorkflowRepository(api).find_by_user_id("crash")[0].retry_count == 1
        assert seq_after == seq_before + 1  # nothing re-versioned: b has nothing new to redo
        assert a.db.sync().pushed == 0
        b.db.sync()
        assert all_converged(cloud, a, b)
    finally:
        a.close()
        b.close()


def test_a_device_killed_at_random_moments_loses_nothing(cloud: Sqld, tmp_path: Path) -> None:
    """SIGKILL a syncing process at varied moments, then sync once more: every write of
    the killed process is on the server exactly as the device has it."""
    script = """
import sys, time
from tests.sync_kit import open_device
from tests.sqld import Sqld
from generated.models import NewWorkflow

server = Sqld.__new__(Sqld)
server.port, server.url = int(sys.argv[2]), "http://127.0.0.1:" + sys.argv[2]
server.token = lambda **kw: sys.argv[3]
device = open_device(server, __import__("pathlib").Path(sys.argv[1]), "a")
print("ready", flush=True)
while True:
    device.workflows.create_many([NewWorkflow(type="t", user_id="k") for _ in range(50)])
    device.db.sync()
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in (0.05, 0.13, 0.21, 0.34):
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), str(cloud.port), cloud.token()],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        process.kill()
        process.wait()
    a = open_device(cloud, tmp_path, "a")
    try:
        a.db.sync()
        assert contents(a.db)["workflows"] == server_contents(cloud)["workflows"]
        assert len(contents(a.db)["workflows"]) >= 50
    finally:
        a.close()


def test_a_hung_server_times_out_and_never_blocks_local_work(tmp_path: Path) -> None:
    hung = HungServer()
    db = offline_client(tmp_path, hung.url, "t")
    try:
        failure: list[BaseException] = []

        def sync() -> None:
            try:
                db.sync()
            except BaseException as exc:
                failure.append(exc)

        syncing = threading.Thread(target=sync)
        started = time.monotonic()
        syncing.start()
        time.sleep(0.1)
        while syncing.is_alive():  # local writes keep going while the sync waits
            WorkflowRepository(db).create(NewWorkflow(type="t", user_id="u1"))
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        assert isinstance(failure[0], Timeout)
        assert elapsed < 3
        assert WorkflowRepository(db).count() >= 10
        assert {r.sync_status for r in SyncMetadataRepository(db).find_many()} == {"FAILED"}
    finally:
        db.close()
        hung.close()


def test_sync_metadata_says_syncing_while_a_sync_runs(tmp_path: Path) -> None:
    hung = HungServer()
    db = offline_client(tmp_path, hung.url, "t")

    def sync() -> None:
        with pytest.raises(Timeout):
            db.sync()

    try:
        syncing = threading.Thread(target=sync)
        syncing.start()
        time.sleep(0.3)
        with plain_copy(tmp_path / "a.db") as observer:  # what an app's status bar reads
            assert {r.sync_status for r in SyncMetadataRepository(observer).find_many()} == {
                "SYNCING"
            }
        syncing.join()
    finally:
        db.close()
        hung.close()


def test_skewed_clocks_converge_with_the_documented_effect(
    cloud: Sqld, devices: tuple[Device, Device]
) -> None:
    """A's clock runs 5 minutes ahead. Its write beats B's write made 2 s later in real
    time (the documented cost of skew), but once B has seen A's write, B's next write
    is ordered after it (the hybrid clock's receive rule), and all copies agree."""
    a, b = devices
    row = shared_row(a, b)
    a.db.execute("UPDATE __libsqlkit_sync SET wall = wall + 300000")  # a fast clock
    a.workflows.update(row.id, WorkflowUpdate(error_log="A, skewed"))
    time.sleep(0.01)
    b.workflows.update(row.id, WorkflowUpdate(error_log="B, later in real time"))
    b.db.sync()
    a.db.sync()
    report = b.db.sync()
    assert [c.winner for c in report.conflicts] == []  # decided on the server already
    for device in (a, b):
        got = device.workflows.get(row.id)
        assert got is not None and got.error_log == "A, skewed"
    b.workflows.update(row.id, WorkflowUpdate(error_log="B, after seeing A"))
    b.db.sync()
    a.db.sync()
    for device in (a, b):
        got = device.workflows.get(row.id)
        assert got is not None and got.error_log == "B, after seeing A"
    assert all_converged(cloud, a, b)


def test_make_sync_runs_one_sync_from_the_environment(cloud: Sqld, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TURSO_DATABASE_URL": f"file:{tmp_path}/dev.db",
        "TURSO_SYNC_URL": cloud.url,
        "TURSO_SYNC_MODE": "offline",  # `make migrate` then migrates the local file itself
        "TURSO_AUTH_TOKEN": cloud.token(),
    }
    with backend(cloud) as api:
        WorkflowRepository(api).create(NewWorkflow(type="t", user_id="from-the-cloud"))
    for target in ("migrate", "sync"):
        done = subprocess.run(
            ["make", "-s", target], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    assert "SyncReport(pushed=0, pulled=1" in done.stdout
    assert cloud.token() not in done.stdout + done.stderr
    with plain_copy(tmp_path / "dev.db") as local:
        assert WorkflowRepository(local).find_by_user_id("from-the-cloud") != []


def test_a_pulled_entry_without_values_is_staged_as_a_delete() -> None:
    """The server sends no values for a row it no longer has (deleted, or gone by a
    write that bypassed tracking): the device must stage it as gone, never as a live row
    of NULLs."""
    page = (
        '[["workflows", "k1", "b", 0, "v", 7, "{}", null, null],'
        ' ["workflows", "k2", "b", 0, "v", 8, "{}", null, ["t", {"r": "1.5"}]]]'
    )
    staged = _sync_apply._staged([page], {"workflows": 2})
    gone, live = staged["workflows"]
    assert gone == (7, "k1", "b", 1, "v", "{}", None, 0, None, None)
    assert live == (8, "k2", "b", 0, "v", "{}", None, 0, "t", 1.5)
