"""Unique constraints between devices, against a real sqld: the per-table policy of
schema.yaml (`on_unique_clash`). The design's user_settings keeps the latest row and moves
the other aside; a release here switches it to `fail` to test that policy too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generated.models import NewUserSettings, NewWorkflow
from generated.repositories import UserSettingsRepository, WorkflowRepository
from libsqlkit import UniqueViolation, _sync
from tests.sync_kit import (
    Releases,
    Spec,
    all_converged,
    backend,
    cloud_with,
    later,
    server_contents,
)


def settings(db: Any, user: str = "u1") -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = db.execute(
        "SELECT id, preferences FROM user_settings WHERE user_id = ?", (user,)
    )
    return found


def moved_aside(db: Any) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = db.execute(
        "SELECT tbl, pk, winner, columns, json_extract(row, '$.preferences') "
        "FROM __libsqlkit_sync_conflicts ORDER BY pk"
    )
    return found


@pytest.mark.parametrize("later_pushes_first", [True, False])
def test_keep_latest_keeps_the_later_row_and_moves_the_other_aside(
    tmp_path: Path, later_pushes_first: bool
) -> None:
    """A and B each create settings for u1 offline; B's are later. Whatever the order of
    syncs, B's row is kept everywhere; A's is deleted everywhere and its values are in
    the conflicts table of every database. Nothing blocks: A's other row lands too."""
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        mine = UserSettingsRepository(a.db).create(
            NewUserSettings(user_id="u1", preferences={"d": "a"})
        )
        other = a.workflows.create(NewWorkflow(type="t", user_id="u1"))
        later()
        kept = UserSettingsRepository(b.db).create(
            NewUserSettings(user_id="u1", preferences={"d": "b"})
        )
        order = (b, a) if later_pushes_first else (a, b)
        reports = [device.db.sync() for device in (*order, *order)]
        for db in (a.db, b.db):
            assert settings(db) == [(kept.id, '{"d":"b"}')]
        with backend(cloud) as api:
            assert settings(api) == [(kept.id, '{"d":"b"}')]
            assert moved_aside(api) == [
                ("user_settings", mine.id, kept.id, '["user_id"]', '{"d":"a"}')
            ]
            assert WorkflowRepository(api).get(other.id) is not None
        for db in (a.db, b.db):
            assert moved_aside(db) == [
                ("user_settings", mine.id, kept.id, '["user_id"]', '{"d":"a"}')
            ]
        moved = {m.key: m for report in reports for m in report.moved}
        assert set(moved) == {mine.id}
        assert moved[mine.id].winner == kept.id and moved[mine.id].columns == ("user_id",)
        assert moved[mine.id].values["preferences"] == '{"d":"a"}'
        assert moved[mine.id].loser_version < moved[mine.id].winner_version
        assert all_converged(cloud, a, b)


def test_keep_latest_decides_on_the_device_as_the_server_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pulled row clashes with a local row not sent yet (its push comes in a later
    chunk): the device applies the same rule, the later row wins, and the move travels."""
    monkeypatch.setattr(_sync, "PUSH_ROWS", 1)
    with cloud_with(tmp_path, "a", "b") as (cloud, (a, b)):
        older = UserSettingsRepository(b.db).create(
            NewUserSettings(user_id="u1", preferences={"d": "b, earlier"})
        )
        later()
        a.workflows.create(NewWorkflow(type="first in a's push", user_id="u1"))
        mine = UserSettingsRepository(a.db).create(
            NewUserSettings(user_id="u1", preferences={"d": "a, later"})
        )
        # B's row is older, but B pushes it first; A meets it in its first page.
        b.db.sync()
        report = a.db.sync()
        b.db.sync()
        assert [m.key for m in report.moved] == [older.id]
        for db in (a.db, b.db):
            assert settings(db) == [(mine.id, '{"d":"a, later"}')]
            assert [row[1] for row in moved_aside(db)] == [older.id]
        assert all_converged(cloud, a, b)


def on_clash_fail(spec: Spec) -> None:
    spec["tables"]["user_settings"]["on_unique_clash"] = "fail"


def test_fail_refuses_the_push_but_never_the_pull(tmp_path: Path) -> None:
    """`fail`: A's push clashes with B's row: UniqueViolation naming the column, nothing
    of A's push lands (its other row neither), but A still receives what others changed;
    the clashing row waits until the app resolves the clash here."""
    releases = Releases(tmp_path / "releases")
    level = releases.release("settings_fail", on_clash_fail)
    with cloud_with(tmp_path, "a", "b", migrations=releases.path(level)) as (cloud, (a, b)):
        mine = UserSettingsRepository(a.db).create(
            NewUserSettings(user_id="u1", preferences={"d": "a"})
        )
        a_other = a.workflows.create(NewWorkflow(type="held back with the push", user_id="u1"))
        theirs = UserSettingsRepository(b.db).create(
            NewUserSettings(user_id="u1", preferences={"d": "b"})
        )
        b_other = b.workflows.create(NewWorkflow(type="from b", user_id="u2"))
        b.db.sync()
        before = server_contents(cloud)
        with pytest.raises(UniqueViolation) as refused:
            a.db.sync()
        assert (refused.value.table, refused.value.columns) == ("user_settings", ("user_id",))
        assert server_contents(cloud) == before
        assert a.workflows.get(b_other.id) is not None  # the pull went on
        assert settings(a.db) == [(mine.id, '{"d":"a"}')]  # B's clashing row is held back
        [(held,)] = a.db.execute("SELECT held FROM __libsqlkit_sync")
        assert json.loads(held) == [["user_settings", theirs.id]]
        with pytest.raises(UniqueViolation):
            a.db.sync()  # until the app resolves it
        UserSettingsRepository(a.db).delete(mine.id)  # the app keeps B's settings
        a.db.sync()
        b.db.sync()
        assert settings(a.db) == [(theirs.id, '{"d":"b"}')]
        with backend(cloud) as api:
            assert WorkflowRepository(api).get(a_other.id) is not None
        assert all_converged(cloud, a, b)
