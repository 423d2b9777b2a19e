"""Offline sync of tables linked by a foreign key (the golden schema's folders/documents).

Pulled pages mirror the server's rows in commit order with foreign keys unenforced: a
parent changed after its child arrives after it, and a cascade made on one device
travels as the tombstones it produced there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from golden_all_types.client import DbClient, create_db_client
from golden_all_types.models import FolderUpdate, NewDocument, NewFolder
from golden_all_types.repositories import DocumentRepository, FolderRepository

from libsqlkit import _sync
from tests.sqld import Sqld


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[Sqld]:
    server = Sqld(tmp_path / "cloud", auth=True).start()
    with create_db_client(server.url, auth_token=server.token()) as admin:
        admin.create_schema()
    yield server
    server.stop()


@pytest.fixture
def devices(cloud: Sqld, tmp_path: Path) -> Iterator[tuple[DbClient, DbClient]]:
    opened = []
    for name in ("a", "b"):
        db = create_db_client(
            f"file:{tmp_path}/{name}.db",
            sync_url=cloud.url,
            sync_mode="offline",
            sync_interval=0,
            auth_token=cloud.token(),
        )
        db.create_schema()
        opened.append(db)
    yield opened[0], opened[1]
    for db in opened:
        db.close()


def _rows(db: DbClient) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: db.execute(f"SELECT * FROM {table} ORDER BY id")
        for table in ("folders", "documents")
    }


def test_a_child_pulled_before_its_changed_parent_is_applied(
    devices: tuple[DbClient, DbClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = devices
    folder = FolderRepository(a).create(NewFolder(name="inbox"))
    DocumentRepository(a).create(NewDocument(folder_id=folder.id, body="hello"))
    FolderRepository(a).update(folder.id, FolderUpdate(name="renamed"))  # now after its child
    a.sync()
    monkeypatch.setattr(_sync, "PULL_ROWS", 1)  # the child comes a page before its parent
    report = b.sync()
    assert report.pulled == 2 and report.round_trips == 2
    assert _rows(b) == _rows(a)
    assert b.execute("PRAGMA foreign_key_check") == []


def test_a_cascade_on_one_device_reaches_the_others_as_its_tombstones(
    cloud: Sqld, devices: tuple[DbClient, DbClient]
) -> None:
    a, b = devices
    folder = FolderRepository(a).create(NewFolder(name="old"))
    DocumentRepository(a).create(NewDocument(folder_id=folder.id, body="x"))
    a.sync()
    b.sync()
    assert FolderRepository(a).delete(folder.id)  # ON DELETE CASCADE removes the document
    assert a.pending_changes() == {"folders": 1, "documents": 1}
    a.sync()
    b.sync()
    assert _rows(b) == _rows(a) == {"folders": [], "documents": []}
    with create_db_client(cloud.url, auth_token=cloud.token()) as api:
        assert _rows(api) == _rows(a)
    assert b.execute("PRAGMA foreign_key_check") == []
