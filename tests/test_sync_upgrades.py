"""App upgrades against a real sqld: the schema-version handshake, the rollout orders,
rollbacks, and convergence after a device catches up.

Releases are made here the way the app makes them: schema.yaml changes, codegen writes the
migration (tests/sync_kit.py `Releases`), and each database applies the migrations of the
release it runs. The generated code stays the design's, so the new column is written
with SQL, as another tool or a newer app version would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generated.models import NewWorkflow, WorkflowUpdate
from generated.repositories import WorkflowRepository
from libsqlkit import SchemaStateError
from libsqlkit._changelog import ORIGIN
from tests.sync_kit import (
    Releases,
    Spec,
    a_delete_pruned_while_a_edits_offline,
    all_converged,
    back_up,
    backend,
    cloud_with,
    field_versions,
    later,
    restore,
    server_contents,
    shared_row,
)


def add_priority(spec: Spec) -> None:
    """The issue's migration: a new NOT NULL column with a default, on a synced table."""
    spec["tables"]["workflows"]["columns"]["priority"] = {
        "type": "integer",
        "not_null": True,
        "default": 0,
    }


def priorities(db: Any) -> dict[str, int]:
    return dict(db.execute("SELECT id, priority FROM workflows"))


@pytest.fixture
def releases(tmp_path: Path) -> Releases:
    made = Releases(tmp_path / "releases")
    made.release("priority", add_priority)
    return made


def test_a_device_behind_the_server_neither_pushes_nor_pulls_and_keeps_its_changes(
    tmp_path: Path, releases: Releases
) -> None:
    old, new = releases.base, releases.count
    with cloud_with(tmp_path, "a", "b", migrations=releases.path(old)) as (cloud, (a, b)):
        row = shared_row(a, b)
        with backend(cloud) as api:
            releases.move(api, new)
            api.execute(
                "UPDATE workflows SET priority = 5, error_log = 'server' WHERE id = ?", (row.id,)
            )
        a.workflows.update(row.id, WorkflowUpdate(status="FAILED"))
        before = server_contents(cloud)
        with pytest.raises(SchemaStateError) as refused:
            a.db.sync()
        message = str(refused.value)
        assert "this device is behind the server" in message
        assert "migration 0002_field_level_sync" in message and "migration 0003_priority" in message
        assert message.count("version ") == 2 and "1 changes made here are kept" in message
        assert server_contents(cloud) == before  # nothing pushed
        got = a.workflows.get(row.id)
        assert got is not None and got.error_log is None  # nothing pulled
        assert a.db.pending_changes()["workflows"] == 1


def test_device_first_rollout_waits_for_the_server_then_sends_everything(
    tmp_path: Path, releases: Releases
) -> None:
    """A device upgraded before the server is ahead of it: it waits (SchemaStateError),
    keeping its changes, and sends them once the server has migrated."""
    old, new = releases.base, releases.count
    with cloud_with(tmp_path, "a", migrations=releases.path(old)) as (cloud, (a,)):
        releases.move(a.db, new)
        made = a.workflows.create(NewWorkflow(type="t", user_id="u1"))
        a.db.execute("UPDATE workflows SET priority = 3 WHERE id = ?", (made.id,))
        with pytest.raises(SchemaStateError, match="this device is ahead of the server"):
            a.db.sync()
        assert server_contents(cloud)["workflows"] == []
        with backend(cloud) as api:
            releases.move(api, new)
        assert a.db.sync().pushed == 1
        with backend(cloud) as api:
            assert priorities(api) == {made.id: 3}
        assert all_converged(cloud, a)


def test_the_upgrade_scenario_converges_and_loses_nothing(
    tmp_path: Path, releases: Releases
) -> None:
    """The issue's scenario. The server is migrated while A holds offline changes; B,
    upgraded, sets the new column; A (old code) is refused and keeps its changes; A
    upgrades and syncs: every row comes to the server's state, B's values included, and
    A's offline edits survive. A later edit of another field by A keeps B's value."""
    old, new = releases.base, releases.count
    with cloud_with(tmp_path, "a", "b", migrations=releases.path(old)) as (cloud, (a, b)):
        r1, r2 = shared_row(a, b), shared_row(a, b)
        a.link.cut()
        a.workflows.update(r1.id, WorkflowUpdate(error_log="A, offline"))
        offline = a.workflows.create(NewWorkflow(type="made offline", user_id="u2"))
        with backend(cloud) as api:
            releases.move(api, new)
        releases.move(b.db, new)
        b.db.sync()
        later()
        b.db.execute("UPDATE workflows SET priority = 9 WHERE id IN (?, ?)", (r1.id, r2.id))
        b.db.sync()
        a.link.restore()
        with pytest.raises(SchemaStateError, match="behind the server"):
            a.db.sync()
        assert a.db.pending_changes()["workflows"] == 2

        releases.move(a.db, new)  # A upgrades
        assert field_versions(a.db, "workflows", r1.id)["priority"] == ORIGIN
        a.db.sync()
        b.db.sync()
        for db in (a.db, b.db):
            assert priorities(db) == {r1.id: 9, r2.id: 9, offline.id: 0}
            got = WorkflowRepository(db).get(r1.id)
            assert got is not None and got.error_log == "A, offline"
        assert all_converged(cloud, a, b)

        later()
        a.workflows.update(r1.id, WorkflowUpdate(status="COMPLETED"))  # another field
        a.db.sync()
        b.db.sync()
        for db in (a.db, b.db):
            assert priorities(db)[r1.id] == 9
        assert all_converged(cloud, a, b)


def test_a_rollback_on_the_server_is_handled_the_same_way(
    tmp_path: Path, releases: Releases
) -> None:
    """The server rolls the release back: devices still on it are ahead and wait; once
    they roll back too, they sync again, every row at the server's state."""
    old, new = releases.base, releases.count
    with cloud_with(tmp_path, "a", "b", migrations=releases.path(new)) as (cloud, (a, b)):
        row = shared_row(a, b)
        a.db.execute("UPDATE workflows SET priority = 4 WHERE id = ?", (row.id,))
        a.db.sync()
        with backend(cloud) as api:
            releases.move(api, old)
            api.execute(
                "UPDATE workflows SET error_log = 'after the rollback' WHERE id = ?", (row.id,)
            )
        a.workflows.update(row.id, WorkflowUpdate(retry_count=2))
        with pytest.raises(SchemaStateError, match="ahead of the server"):
            a.db.sync()
        for device in (a, b):
            releases.move(device.db, old)
        a.db.sync()
        b.db.sync()
        for device in (a, b):
            got = device.workflows.get(row.id)
            assert got is not None and (got.error_log, got.retry_count) == ("after the rollback", 2)
        assert all_converged(cloud, a, b)


def test_a_rollback_on_a_device_alone_waits_keeps_its_changes_and_converges(
    tmp_path: Path, releases: Releases
) -> None:
    """A device rolls the release back while the server stays on it: the device is
    behind and is refused, naming both versions, with its changes kept. Once it migrates
    forward again it sends them and receives what it missed, including values of the
    column the rollback dropped (not the column's default), and a later edit of another
    field does not overwrite them."""
    old, new = releases.base, releases.count
    with cloud_with(tmp_path, "a", "b", migrations=releases.path(new)) as (cloud, (a, b)):
        mine, theirs = shared_row(a, b), shared_row(a, b)
        a.db.execute("UPDATE workflows SET priority = 4 WHERE id = ?", (mine.id,))
        a.db.sync()
        [(newer,)] = a.db.execute("SELECT `schema` FROM __libsqlkit_sync")
        releases.move(a.db, old)  # the device alone
        [(older,)] = a.db.execute("SELECT `schema` FROM __libsqlkit_sync")
        a.workflows.update(mine.id, WorkflowUpdate(retry_count=2))
        a.workflows.update(theirs.id, WorkflowUpdate(error_log="A, rolled back"))
        later()
        b.db.execute("UPDATE workflows SET priority = 7 WHERE id = ?", (theirs.id,))
        b.db.sync()
        before = server_contents(cloud)
        with pytest.raises(SchemaStateError) as refused:
            a.db.sync()
        message = str(refused.value)
        assert "this device is behind the server" in message
        assert f"version {older}" in message and f"version {newer}" in message
        assert "migration 0002_field_level_sync" in message and "migration 0003_priority" in message
        assert "2 changes made here are kept" in message
        assert server_contents(cloud) == before  # nothing pushed
        assert a.db.pending_changes()["workflows"] == 2

        releases.move(a.db, new)  # forward again
        a.db.sync()
        b.db.sync()
        for device in (a, b):
            assert priorities(device.db) == {mine.id: 4, theirs.id: 7}
            got, other = device.workflows.get(mine.id), device.workflows.get(theirs.id)
            assert got is not None and got.retry_count == 2
            assert other is not None and other.error_log == "A, rolled back"
        assert all_converged(cloud, a, b)

        later()
        a.workflows.update(mine.id, WorkflowUpdate(status="COMPLETED"))  # another field
        a.db.sync()
        b.db.sync()
        for device in (a, b):
            assert priorities(device.db) == {mine.id: 4, theirs.id: 7}
        assert all_converged(cloud, a, b)


def test_a_first_generation_change_log_is_upgraded_with_its_unsent_changes(
    tmp_path: Path, releases: Releases
) -> None:
    """Databases that synced with row-level versions (migration 0001) are migrated to
    field-level versions (0002): device ids, cursors and unsent changes are kept, and a
    change made before the upgrade merges as the whole row it was."""
    row_level = releases.base - 1
    with cloud_with(tmp_path, "a", migrations=releases.path(row_level)) as (cloud, (a,)):
        with pytest.raises(SchemaStateError, match="no sync change log, or an older one"):
            a.db.sync()  # this code cannot sync a first-generation log
        made = a.workflows.create(NewWorkflow(type="before the upgrade", user_id="u1"))
        [(device,)] = a.db.execute("SELECT device FROM __libsqlkit_sync")
        with backend(cloud) as api:
            theirs = WorkflowRepository(api).create(NewWorkflow(type="server", user_id="u9"))
            releases.move(api, releases.base)
        releases.move(a.db, releases.base)
        assert a.db.execute("SELECT device FROM __libsqlkit_sync") == [(device,)]
        assert a.db.pending_changes()["workflows"] == 1
        versions = field_versions(a.db, "workflows", made.id)
        assert len(set(versions.values())) == 1  # the row's one version, for every field
        report = a.db.sync()
        assert (report.pushed, report.pulled) == (1, 1)
        assert a.workflows.get(theirs.id) is not None
        assert all_converged(cloud, a)


def test_a_full_resync_keeps_the_rows_this_device_sent(tmp_path: Path, releases: Releases) -> None:
    """After a migration a device pulls everything again, and what it does not receive
    is gone on the server; its own rows, which the server does not send back to it
    otherwise, must come too."""
    old, new = releases.base, releases.count
    with cloud_with(tmp_path, "a", migrations=releases.path(old)) as (cloud, (a,)):
        mine = [a.workflows.create(NewWorkflow(type="mine", user_id="u1")) for _ in range(3)]
        a.db.sync()
        with backend(cloud) as api:
            releases.move(api, new)
        releases.move(a.db, new)
        a.db.sync()
        assert all(a.workflows.get(row.id) is not None for row in mine)
        assert all_converged(cloud, a)


def test_a_delete_pruned_before_an_upgrade_beats_the_edits_of_a_device_that_never_saw_it(
    tmp_path: Path, releases: Releases
) -> None:
    """A edits, offline, every row it ever synced; B deletes one; A is silent past the
    horizon, so the server forgets it and prunes the tombstone; then the release comes
    out. A's migration asks for a full re-sync in which no row can be marked "gone unless
    received again" (each has unsent changes): the delete it never saw still wins."""
    old, new = releases.base, releases.count
    with cloud_with(tmp_path, "a", "b", migrations=releases.path(old)) as (cloud, (a, b)):
        gone, kept = a_delete_pruned_while_a_edits_offline(cloud, a, b)
        with backend(cloud) as api:
            releases.move(api, new)
        for device in (a, b):
            releases.move(device.db, new)
        a.link.restore()
        a.db.sync()
        b.db.sync()
        with backend(cloud) as api:
            assert WorkflowRepository(api).get(gone.id, include_deleted=True) is None
        for device in (a, b):
            assert device.workflows.get(gone.id, include_deleted=True) is None
            got = device.workflows.get(kept.id)
            assert got is not None and got.retry_count == 3
        assert a.db.pending_changes()["workflows"] == 0
        assert all_converged(cloud, a, b)


def test_a_server_restored_from_an_older_backup_before_an_upgrade_loses_nothing(
    tmp_path: Path, releases: Releases
) -> None:
    """The server is restored from a backup older than the one sync each device made
    since (it lost the rows they sent), then the release comes out and every database
    migrates. A's migration asks for a full re-sync, which must not take "not received
    again" for "deleted": the restore is noticed, A sends everything again, and no row is
    lost."""
    old, new = releases.base, releases.count
    with cloud_with(tmp_path, "a", "b", migrations=releases.path(old)) as (cloud, (a, b)):
        first = shared_row(a, b)
        back_up(cloud, tmp_path / "backup.sqld")
        theirs = [b.workflows.create(NewWorkflow(type="B's", user_id="u3")) for _ in range(3)]
        b.db.sync()
        mine = [a.workflows.create(NewWorkflow(type="A's", user_id="u2")) for _ in range(3)]
        a.db.sync()  # each device's only sync since the backup
        restore(cloud, tmp_path / "backup.sqld")
        with backend(cloud) as api:
            assert api.execute("SELECT count(*) FROM workflows") == [(1,)]  # lost the rest
            releases.move(api, new)
        for device in (a, b):
            releases.move(device.db, new)
        a.db.sync()
        b.db.sync()
        a.db.sync()
        with backend(cloud) as api:
            for db in (api, a.db, b.db):
                for row in (first, *mine, *theirs):
                    assert WorkflowRepository(db).get(row.id) is not None
        assert all_converged(cloud, a, b)
