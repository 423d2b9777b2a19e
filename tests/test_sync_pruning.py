"""A bounded change log, against a real sqld: one entry per row whatever the updates,
tombstones pruned once every known device has pulled past them, a full re-sync for a
device silent past the horizon, and for every device after the server is restored from
an older backup.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from generated.models import NewWorkflow, WorkflowUpdate
from generated.repositories import WorkflowRepository
from libsqlkit import SchemaStateError, _sync, prune_change_log
from tests.sqld import Sqld
from tests.sync_kit import (
    a_delete_pruned_while_a_edits_offline,
    all_converged,
    back_up,
    backend,
    cloud_with,
    restore,
    shared_row,
    sync_watching_requests,
)


def tombstones(db: Any) -> int:
    [(count,)] = db.execute("SELECT count(*) FROM __libsqlkit_sync_rows WHERE deleted = 1")
    return int(count)


def server_tombstones(cloud: Sqld) -> int:
    with backend(cloud) as api:
        return tombstones(api)


def test_the_log_keeps_one_entry_per_row_whatever_the_updates(tmp_path: Path) -> None:
    with cloud_with(tmp_path, "a") as (cloud, (a,)):
        rows = [a.workflows.create(NewWorkflow(type="t", user_id="u")) for _ in range(20)]
        for n in range(200):
            a.workflows.update(rows[n % 20].id, WorkflowUpdate(retry_count=n))
        a.db.sync()
        with backend(cloud) as api:
            for db in (a.db, api):
                assert db.execute("SELECT count(*) FROM __libsqlkit_sync_rows") == [(20,)]


def test_tombstones_go_once_every_known_device_has_pulled_past_them(tmp_path: Path) -> None:
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        rows = [shared_row(a, b) for _ in range(3)]
        for row in rows:
            assert a.workflows.delete(row.id)
        a.db.sync()
        a.db.sync()
        with backend(cloud) as api:
            assert prune_change_log(api) == 0  # b has not pulled them yet
        b.db.sync()  # pulls them; the server learns it at b's next request
        assert server_tombstones(cloud) == 3
        b.db.sync()  # every sync also prunes a little
        assert server_tombstones(cloud) == 0
        a.db.sync()
        assert all_converged(cloud, a, b)


def test_a_first_sync_after_tombstones_were_pruned_pushes_the_device_rows(
    tmp_path: Path,
) -> None:
    """The server pruned a tombstone before this device ever synced: its first pull
    starts from scratch (it needs no tombstone), and its first push lands too. The push
    was dropped whole, yet counted as sent, so its rows never reached the server."""
    with cloud_with(tmp_path, "a") as (cloud, (a,)):
        with backend(cloud) as api:
            repo = WorkflowRepository(api)
            gone = repo.create(NewWorkflow(type="gone", user_id="server"))
            assert repo.delete(gone.id)
            assert prune_change_log(api) == 1  # no device known: every tombstone goes
        made = [a.workflows.create(NewWorkflow(type="mine", user_id="u1")) for _ in range(2)]
        report = a.db.sync()
        assert report.pushed == 2
        with backend(cloud) as api:
            assert [WorkflowRepository(api).find_by_id(row.id) for row in made] == made
        assert a.db.pending_changes() == {"workflows": 0, "user_settings": 0}
        assert all_converged(cloud, a)


def test_a_device_silent_past_the_horizon_resyncs_in_full(tmp_path: Path) -> None:
    """C stops syncing. Past the horizon the server forgets it and prunes tombstones it
    never received. When C comes back it pulls everything again: rows deleted elsewhere
    go, its edit of one of them is dropped, its new row is sent."""
    with cloud_with(tmp_path, "a", "c") as (cloud, (a, c)):
        gone, edited, kept = shared_row(a, c), shared_row(a, c), shared_row(a, c)
        with backend(cloud) as api:
            prune_change_log(api, horizon=0.5)
        c.link.cut()
        c.workflows.update(edited.id, WorkflowUpdate(error_log="C, while away"))
        made_away = c.workflows.create(NewWorkflow(type="made away", user_id="u3"))
        assert a.workflows.delete(gone.id) and a.workflows.delete(edited.id)
        a.workflows.update(kept.id, WorkflowUpdate(retry_count=1))
        a.db.sync()
        time.sleep(0.6)
        a.db.sync()  # c is forgotten; the tombstones are pruned once a has pulled past them
        a.db.sync()
        assert server_tombstones(cloud) == 0
        c.link.restore()
        c.db.sync()
        for key in (gone.id, edited.id):
            assert c.workflows.get(key, include_deleted=True) is None
        got = c.workflows.get(kept.id)
        assert got is not None and got.retry_count == 1
        a.db.sync()
        assert a.workflows.get(made_away.id) is not None
        assert all_converged(cloud, a, c)


def test_a_server_restored_from_an_older_backup_is_detected_and_recovered(
    tmp_path: Path,
) -> None:
    """The server is restored from a backup older than what the devices pulled (its seq
    goes behind their cursors): each device notices, sends everything it has again and
    pulls everything again, so nothing diverges and nothing the backup lacked is lost."""
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        first = shared_row(a, b)
        backup = tmp_path / "backup.sqld"
        back_up(cloud, backup)
        second = a.workflows.create(NewWorkflow(type="after the backup", user_id="u2"))
        a.workflows.update(first.id, WorkflowUpdate(error_log="after the backup"))
        a.db.sync()
        b.db.sync()
        restore(cloud, backup)
        with backend(cloud) as api:
            assert WorkflowRepository(api).get(second.id) is None  # lost by the restore
        b.db.sync()
        a.db.sync()
        b.db.sync()
        with backend(cloud) as api:
            got = WorkflowRepository(api).get(first.id)
            assert got is not None and got.error_log == "after the backup"
            assert WorkflowRepository(api).get(second.id) is not None
        assert all_converged(cloud, a, b)


def test_a_sync_that_loses_its_position_again_stops_instead_of_looping(tmp_path: Path) -> None:
    """The server is restored from an older backup, and restored again before each
    request of the re-sync that follows, so every request finds it behind what this
    device sent and pulled in that same sync. The sync starts over once, then stops with
    a clear error instead of starting over forever; a later sync, with the server left
    alone, converges and loses nothing."""
    with cloud_with(tmp_path, "a") as (cloud, (a,)):
        a.workflows.create(NewWorkflow(type="before the backup", user_id="u1"))
        a.db.sync()
        backup = tmp_path / "backup.sqld"
        back_up(cloud, backup)
        made = _sync.PUSH_ROWS + 100  # the re-sync then needs more than one request
        a.db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO workflows (id, type, user_id, created_at, updated_at) "
            "SELECT 'bulk-' || i, 'after the backup', 'u2', 0, 0 FROM n",
            (made,),
        )
        a.db.sync()
        restore(cloud, backup)
        requests: list[int] = []

        def restored_again(request: int) -> None:
            requests.append(request)
            assert request < 6, "the sync keeps starting over"
            if request >= 2:  # 0 finds the first restore, 1 starts the re-sync
                restore(cloud, backup)

        with pytest.raises(SchemaStateError, match="lost this device's position twice"):
            sync_watching_requests(a, restored_again)
        assert requests == [0, 1, 2]  # one full re-sync in this sync, then the error
        a.db.sync()
        with backend(cloud) as api:
            assert api.execute("SELECT count(*) FROM workflows") == [(made + 1,)]
        assert a.db.pending_changes() == {"workflows": 0, "user_settings": 0}
        assert all_converged(cloud, a)


def test_a_restore_during_a_re_sync_is_noticed_on_any_of_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full re-sync pulls in pages. The server is restored from a backup older than
    this device's last sync after the re-sync's first page: the re-sync still compares
    the server's seq with the position pulled before it, so it notices, and the rows
    written after the backup are sent again, never deleted as "not received again"."""
    monkeypatch.setattr(_sync, "PULL_ROWS", 2)
    with cloud_with(tmp_path, "a") as (cloud, (a,)):
        for _ in range(4):
            a.workflows.create(NewWorkflow(type="before the backup", user_id="u1"))
        a.db.sync()
        backup = tmp_path / "backup.sqld"
        back_up(cloud, backup)
        mine = [a.workflows.create(NewWorkflow(type="after", user_id="u2")) for _ in range(3)]
        a.db.sync()
        # what a migration of the synced schema does to the device: ask for a re-sync
        a.db.execute("UPDATE __libsqlkit_sync SET resync = 1 WHERE id = 1")

        def restore_after_the_first_page(request: int) -> None:
            if request == 1:
                restore(cloud, backup)

        sync_watching_requests(a, restore_after_the_first_page)
        a.db.sync()
        with backend(cloud) as api:
            for db in (api, a.db):
                assert all(WorkflowRepository(db).get(row.id) is not None for row in mine)
        assert all_converged(cloud, a)


def test_a_pruned_delete_beats_edits_of_a_device_that_never_saw_it(tmp_path: Path) -> None:
    """A edits, offline, every row it ever synced; B deletes one of them; A is silent
    past the horizon, so the server forgets A and prunes the tombstone. When A comes
    back it re-syncs in full with nothing it could mark as "gone unless received again"
    (every row has unsent changes). The delete A never saw still wins: the row stays
    gone everywhere, and A's edit of the other row lands."""
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        gone, kept = a_delete_pruned_while_a_edits_offline(cloud, a, b)
        a.link.restore()
        a.db.sync()
        with backend(cloud) as api:
            assert WorkflowRepository(api).get(gone.id, include_deleted=True) is None
            got = WorkflowRepository(api).get(kept.id)
            assert got is not None and got.retry_count == 3
        assert a.workflows.get(gone.id, include_deleted=True) is None
        assert a.db.pending_changes() == {"workflows": 0, "user_settings": 0}
        b.db.sync()
        assert b.workflows.get(gone.id, include_deleted=True) is None
        assert all_converged(cloud, a, b)
