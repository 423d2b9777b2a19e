"""Field-level last write wins against a real sqld: concurrent edits of different fields
all survive, the later write of one field wins, and the delete rules hold both ways.

Every device is a real database file; "offline" is a cut TCP link (tests/netlink.py).
Writes are a few milliseconds apart and every clock is this machine's, so version order
is real-time order.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from generated.models import NewWorkflow, WorkflowUpdate
from generated.repositories import WorkflowRepository
from libsqlkit import _sync
from tests.sync_kit import (
    all_converged,
    async_device,
    backend,
    cloud_with,
    field_versions,
    later,
    plain_copy,
    shared_row,
)


def _named(conflicts: tuple[object, ...]) -> list[tuple[object, ...]]:
    """(column, winner) of a report's conflicts; updated_at (whole seconds, refreshed by
    every update) is left out."""
    found = [(c.column, c.winner) for c in conflicts]  # type: ignore[attr-defined]
    return sorted((column, winner) for column, winner in found if column != "updated_at")


def test_edits_of_different_fields_on_two_devices_both_survive(tmp_path: Path) -> None:
    """The issue's case: A edits error_log offline, B later edits retry_count of the same
    row. Row-level last write wins lost A's edit everywhere; both survive now."""
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        row = shared_row(a, b)
        a.link.cut()
        a.workflows.update(row.id, WorkflowUpdate(error_log="A, offline"))
        later()
        b.workflows.update(row.id, WorkflowUpdate(retry_count=3))
        b.db.sync()
        a.link.restore()
        report = a.db.sync()
        b.db.sync()
        for device in (a, b):
            got = device.workflows.get(row.id)
            assert got is not None and (got.error_log, got.retry_count) == ("A, offline", 3)
        assert _named(report.conflicts) == []
        assert all_converged(cloud, a, b)


def test_a_later_soft_delete_keeps_an_earlier_edit_of_another_field(tmp_path: Path) -> None:
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        row = shared_row(a, b)
        a.workflows.update(row.id, WorkflowUpdate(error_log="edited first"))
        later()
        b.workflows.soft_delete(row.id)
        b.db.sync()
        a.db.sync()
        b.db.sync()
        for device in (a, b):
            got = device.workflows.get(row.id, include_deleted=True)
            assert got is not None and got.deleted_at is not None
            assert got.error_log == "edited first"
        assert all_converged(cloud, a, b)


@pytest.mark.parametrize("later_writer", ["a", "b"])
def test_the_later_write_of_a_field_wins_and_the_report_names_it(
    tmp_path: Path, later_writer: str
) -> None:
    """A and B both edit error_log offline; whichever wrote last wins everywhere,
    whatever the order of syncs. A's report names the field and both versions."""
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        row = shared_row(a, b)
        first, second = (b, a) if later_writer == "a" else (a, b)
        first.workflows.update(row.id, WorkflowUpdate(error_log=f"{first.name}, earlier"))
        later()
        second.workflows.update(row.id, WorkflowUpdate(error_log=f"{second.name}, later"))
        b.db.sync()  # b always pushes first
        report = a.db.sync()
        b.db.sync()
        winner = "local" if later_writer == "a" else "remote"
        assert _named(report.conflicts) == [("error_log", winner)]
        [conflict] = [c for c in report.conflicts if c.column == "error_log"]
        assert conflict.table == "workflows" and conflict.key == row.id
        assert conflict.local_version == field_versions(a.db, "workflows", row.id)["error_log"] or (
            winner == "remote"
        )
        assert (conflict.local_version > conflict.remote_version) == (winner == "local")
        for device in (a, b):
            got = device.workflows.get(row.id)
            assert got is not None and got.error_log == f"{later_writer}, later"
        assert all_converged(cloud, a, b)


def test_an_edit_older_than_a_delete_does_not_bring_the_row_back(tmp_path: Path) -> None:
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        row = shared_row(a, b)
        a.workflows.update(row.id, WorkflowUpdate(error_log="edited first"))
        later()
        assert b.workflows.delete(row.id)
        b.db.sync()
        report = a.db.sync()
        b.db.sync()
        assert [(c.column, c.winner) for c in report.conflicts] == [(None, "remote")]
        assert a.workflows.get(row.id, include_deleted=True) is None
        assert all_converged(cloud, a, b)


@pytest.mark.parametrize("editor_pushes_first", [True, False])
def test_an_edit_made_after_a_delete_without_seeing_it_is_dropped(
    tmp_path: Path, editor_pushes_first: bool
) -> None:
    """The documented rule: a delete ends the row's life, and an edit made on a device
    that had not seen the delete (even a later one) does not bring it back, whatever the
    order of syncs. Only an insert of the key does (see the next test)."""
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        row = shared_row(a, b)
        a.link.cut()
        assert b.workflows.delete(row.id)
        later()
        a.workflows.update(row.id, WorkflowUpdate(error_log="A, after B's delete"))
        a.link.restore()
        first, second = (a, b) if editor_pushes_first else (b, a)
        first.db.sync()
        report = second.db.sync()  # it meets the other's change on the server
        first.db.sync()
        # The second pusher's report names the row: the delete won, here or there.
        winner = "local" if second is b else "remote"
        assert [(c.column, c.winner) for c in report.conflicts] == [(None, winner)]
        for device in (a, b):
            assert device.workflows.get(row.id, include_deleted=True) is None
        assert server_has_no(cloud, row.id)
        assert all_converged(cloud, a, b)


def server_has_no(cloud: object, key: str) -> bool:
    with backend(cloud) as api:  # type: ignore[arg-type]
        return WorkflowRepository(api).get(key, include_deleted=True) is None


def test_inserting_a_deleted_key_again_starts_a_new_life_that_wins(tmp_path: Path) -> None:
    """A saw B's delete and inserts the key again: the new life wins over C's edit of the
    old life, made offline later still; C's report names the row."""
    with cloud_with(tmp_path, "a", "b", "c") as (cloud, (a, b, c)):
        row = shared_row(a, b)
        c.db.sync()
        c.link.cut()
        assert b.workflows.delete(row.id)
        b.db.sync()
        a.db.sync()
        a.workflows.create(NewWorkflow(id=row.id, type="again", user_id="u2"))
        later()
        c.workflows.update(row.id, WorkflowUpdate(error_log="C, old life"))
        a.db.sync()
        c.link.restore()
        report = c.db.sync()
        a.db.sync()
        b.db.sync()
        assert [(x.column, x.winner) for x in report.conflicts] == [(None, "remote")]
        for device in (a, b, c):
            got = device.workflows.get(row.id)
            assert got is not None and (got.type, got.user_id, got.error_log) == (
                "again",
                "u2",
                None,
            )
        assert all_converged(cloud, a, b, c)


def test_writes_by_other_tools_are_tracked_field_by_field(tmp_path: Path) -> None:
    """Tracking is SQL triggers: a plain connection to A's file (say the sqlite3 shell or
    a Drizzle app) sets one column, the server's own client another; both survive."""
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        row = shared_row(a, b)
        with plain_copy(tmp_path / "a.db") as shell:
            shell.execute(
                "UPDATE workflows SET error_log = 'from the shell' WHERE id = ?", (row.id,)
            )
        later()
        with backend(cloud) as api:
            api.execute("UPDATE workflows SET retry_count = 7 WHERE id = ?", (row.id,))
        versions = field_versions(a.db, "workflows", row.id)
        assert versions["error_log"] > versions["retry_count"]  # only error_log changed here
        a.db.sync()
        b.db.sync()
        for device in (a, b):
            got = device.workflows.get(row.id)
            assert got is not None and (got.error_log, got.retry_count) == ("from the shell", 7)
        assert all_converged(cloud, a, b)


def test_async_devices_merge_fields_like_sync_ones(tmp_path: Path) -> None:
    """The same protocol carried out by the async driver: two AsyncDatabase devices."""
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        row = shared_row(a, b)
        a.close()
        b.close()

        async def scenario() -> None:
            devices = [async_device(cloud, tmp_path / f"{name}.db") for name in ("a", "b")]
            try:
                first, second = devices
                await first.execute(
                    "UPDATE workflows SET error_log = 'async A' WHERE id = ?", (row.id,)
                )
                later()
                await second.execute("UPDATE workflows SET retry_count = 2 WHERE id = ?", (row.id,))
                assert (await first.pending_changes())["workflows"] == 1
                await second.sync()
                report = await first.sync()
                await second.sync()
                assert report.pushed == 1 and report.pulled == 1 and report.conflicts == ()
                for db in devices:
                    assert await db.execute(
                        "SELECT error_log, retry_count FROM workflows WHERE id = ?", (row.id,)
                    ) == [("async A", 2)]
            finally:
                for db in devices:
                    await db.close()

        asyncio.run(scenario())
        with backend(cloud) as api:
            assert api.execute(
                "SELECT error_log, retry_count FROM workflows WHERE id = ?", (row.id,)
            ) == [("async A", 2)]


def test_an_async_device_pushes_in_chunks_read_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The async driver reads the next chunk on the writer's thread while it awaits the
    server: a long push arrives whole, in order, one request per chunk."""
    monkeypatch.setattr(_sync, "PUSH_ROWS", 3)
    with cloud_with(tmp_path, "a") as (cloud, (a,)):
        a.close()

        async def scenario() -> tuple[int, int]:
            device = async_device(cloud, tmp_path / "a.db")
            try:
                for i in range(10):
                    await device.execute(
                        "INSERT INTO workflows (id, type, user_id, created_at, updated_at) "
                        "VALUES (?, 't', 'u', 1, 1)",
                        (f"w{i}",),
                    )
                report = await device.sync()
                return report.pushed, report.round_trips
            finally:
                await device.close()

        assert asyncio.run(scenario()) == (10, 4)
        with backend(cloud) as api:
            assert api.execute("SELECT id FROM workflows ORDER BY id") == sorted(
                (f"w{i}",) for i in range(10)
            )
