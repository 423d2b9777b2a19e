"""A release that changes (not adds) a synced column, while a device holds offline
changes, against a real sqld: a rename (its versions follow it) and a change of type and
default (the table is rebuilt, its values converted by each database on its own).

As in test_sync_upgrades, releases are made the way the app makes them (schema.yaml
changes, codegen writes the migration); the generated code stays the design's, so rows
are written and read with SQL once the column changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from libsqlkit import SchemaStateError
from tests.sync_kit import (
    Releases,
    Spec,
    all_converged,
    backend,
    cloud_with,
    field_versions,
    later,
    shared_row,
)


def rename_error_log(spec: Spec) -> None:
    table = spec["tables"]["workflows"]
    del table["columns"]["error_log"]
    table["columns"]["note"] = {"type": "text", "renamed_from": "error_log"}
    table["queries"]["update_status"]["update_if_given"] = ["note"]


def retype_retry_count(spec: Spec) -> None:
    """A new type and default: SQLite cannot alter a column, so the table is rebuilt."""
    spec["tables"]["workflows"]["columns"]["retry_count"] = {
        "type": "real",
        "not_null": True,
        "default": 1,
    }


@dataclass(frozen=True)
class Change:
    release: Any  # the change to schema.yaml
    before: str  # the column's name before the release
    after: str  # and after it
    mine: Any  # what the device offline writes, on the old release
    theirs: tuple[Any, str]  # what another device writes on the new release, its type
    kept: tuple[Any, str]  # the offline value as every database holds it afterwards


CHANGES = {
    "renamed": Change(
        rename_error_log, "error_log", "note", "A, offline", ("B", "text"), ("A, offline", "text")
    ),
    "retyped": Change(
        retype_retry_count, "retry_count", "retry_count", 2, (7.5, "real"), (2.0, "real")
    ),
}


def values(db: Any, column: str) -> dict[str, tuple[Any, str, str]]:
    """Per row: the changed column's value, its type as stored, and the status."""
    rows = db.execute(f"SELECT id, {column}, typeof({column}), status FROM workflows")
    return {key: (value, kind, status) for key, value, kind, status in rows}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_changed_synced_column_converges_and_keeps_every_write(tmp_path: Path, name: str) -> None:
    """The server is migrated while A, offline on the old release, holds a write of the
    column the release changes (row 1) and of another field (row 2); B, upgraded, writes
    the changed column of row 2 and another field of row 1. A is refused until it
    upgrades; its migration keeps the version of its offline write; then every database
    holds both writes of each row, and later writes of other fields by either device
    leave the changed column alone (no stale value from before the change wins)."""
    change = CHANGES[name]
    releases = Releases(tmp_path / "releases")
    old, new = releases.base, releases.release(name, change.release)
    column = change.after
    with cloud_with(tmp_path, "a", "b", migrations=releases.path(old)) as (cloud, (a, b)):
        r1, r2 = shared_row(a, b), shared_row(a, b)
        a.link.cut()
        a.db.execute(f"UPDATE workflows SET {change.before} = ? WHERE id = ?", (change.mine, r1.id))
        a.db.execute("UPDATE workflows SET status = 'FAILED' WHERE id = ?", (r2.id,))
        written = field_versions(a.db, "workflows", r1.id)[change.before]
        with backend(cloud) as api:
            releases.move(api, new)
        releases.move(b.db, new)
        b.db.sync()
        later()
        b.db.execute(f"UPDATE workflows SET {column} = ? WHERE id = ?", (change.theirs[0], r2.id))
        b.db.execute("UPDATE workflows SET status = 'RETRYING' WHERE id = ?", (r1.id,))
        b.db.sync()
        a.link.restore()
        with pytest.raises(SchemaStateError, match="behind the server"):
            a.db.sync()
        assert a.db.pending_changes()["workflows"] == 2

        releases.move(a.db, new)  # A upgrades
        assert field_versions(a.db, "workflows", r1.id)[column] == written
        a.db.sync()
        b.db.sync()
        expected = {
            r1.id: (*change.kept, "RETRYING"),
            r2.id: (*change.theirs, "FAILED"),
        }
        with backend(cloud) as api:
            assert values(api, column) == expected
        for device in (a, b):
            assert values(device.db, column) == expected
        assert all_converged(cloud, a, b)

        later()
        a.db.execute("UPDATE workflows SET status = 'COMPLETED' WHERE id = ?", (r2.id,))
        b.db.execute("UPDATE workflows SET type = 'b, later' WHERE id = ?", (r1.id,))
        a.db.sync()
        b.db.sync()
        a.db.sync()
        expected[r2.id] = (*expected[r2.id][:2], "COMPLETED")
        with backend(cloud) as api:
            assert values(api, column) == expected
        assert all_converged(cloud, a, b)
