"""Three devices and a real sqld doing random writes, going offline and syncing in random
order. After a final sync round every device equals the server, and every row equals
the row image its last write (in real time) produced, or is gone if that write was a
hard delete: row-level last write wins, converged everywhere.

Writes are at least 2 ms apart and every clock is this machine's, so the layer's version
order is the real-time order the model keeps.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from generated.client import DbClient
from generated.models import NewWorkflow, WorkflowUpdate
from generated.repositories import WorkflowRepository
from libsqlkit import Unavailable, _sync
from tests.sqld import Sqld
from tests.sync_kit import backend, empty_cloud, open_device, start_cloud

DEVICES = 3
SERVER = DEVICES  # the index of the cloud backend as a writer


def _image(db: DbClient, key: str) -> tuple[Any, ...] | None:
    rows = db.execute("SELECT * FROM workflows WHERE id = ?", (key,))
    return rows[0] if rows else None


def _keys(db: DbClient, *, live: bool = False) -> list[str]:
    where = " WHERE deleted_at IS NULL" if live else ""
    return [key for (key,) in db.execute(f"SELECT id FROM workflows{where} ORDER BY id")]


class SyncingDevices(RuleBasedStateMachine):
    server: Sqld  # set by the test below, one server for all examples

    def __init__(self) -> None:
        super().__init__()
        empty_cloud(self.server)
        self.folder = tempfile.TemporaryDirectory()
        self.devices = [
            open_device(self.server, Path(self.folder.name), f"d{i}") for i in range(DEVICES)
        ]
        self.online = [True] * DEVICES
        self.api = backend(self.server)
        self.last_write: dict[str, tuple[Any, ...] | None] = {}
        self.writes = 0

    def _db(self, writer: int) -> DbClient:
        return self.api if writer == SERVER else self.devices[writer].db

    def _wrote(self, writer: int, key: str) -> None:
        self.last_write[key] = _image(self._db(writer), key)
        time.sleep(0.002)  # the next write gets a later millisecond

    def _pick(self, data: st.DataObject, writer: int, *, live: bool = False) -> str | None:
        keys = _keys(self._db(writer), live=live)
        return data.draw(st.sampled_from(keys), label="row") if keys else None

    writer = st.integers(0, DEVICES)  # a device, or the server's own backend

    @rule(writer=writer)
    def insert(self, writer: int) -> None:
        self.writes += 1
        row = WorkflowRepository(self._db(writer)).create(
            NewWorkflow(  # a key in creation order: the same steps pick the same rows
                id=f"row-{self.writes:04d}",
                type="t",
                user_id="p",
                error_log=f"w{self.writes} by {writer}",
            )
        )
        self._wrote(writer, row.id)

    @rule(writer=writer, data=st.data(), retries=st.integers(0, 9))
    def update(self, writer: int, data: st.DataObject, retries: int) -> None:
        key = self._pick(data, writer)
        if key is None:
            return
        self.writes += 1
        changes = WorkflowUpdate(error_log=f"w{self.writes} by {writer}", retry_count=retries)
        if WorkflowRepository(self._db(writer)).update(key, changes) is not None:
            self._wrote(writer, key)  # (None: the row is soft-deleted, nothing was written)

    @rule(writer=writer, data=st.data())
    def soft_delete(self, writer: int, data: st.DataObject) -> None:
        key = self._pick(data, writer, live=True)
        if key is None:
            return
        WorkflowRepository(self._db(writer)).soft_delete(key)
        self._wrote(writer, key)

    @rule(writer=writer, data=st.data())
    def delete(self, writer: int, data: st.DataObject) -> None:
        key = self._pick(data, writer)
        if key is None:
            return
        assert WorkflowRepository(self._db(writer)).delete(key)
        self._wrote(writer, key)

    @rule(device=st.integers(0, DEVICES - 1))
    def toggle_network(self, device: int) -> None:
        link = self.devices[device].link
        link.restore() if not self.online[device] else link.cut()
        self.online[device] = not self.online[device]

    @rule(device=st.integers(0, DEVICES - 1))
    def sync(self, device: int) -> None:
        if self.online[device]:
            self.devices[device].db.sync()
        else:
            with pytest.raises(Unavailable):
                self.devices[device].db.sync()

    def teardown(self) -> None:
        try:
            for device in self.devices:
                device.link.restore()
            for _ in range(2):  # the second round brings everyone the others' changes
                for device in self.devices:
                    device.db.sync()
            expected = self.api.execute("SELECT * FROM workflows ORDER BY id")
            for device in self.devices:
                assert device.db.execute("SELECT * FROM workflows ORDER BY id") == expected
            assert {row[0]: row for row in expected} == {
                key: image for key, image in self.last_write.items() if image is not None
            }
        finally:
            for device in self.devices:
                device.close()
            self.api.close()
            self.folder.cleanup()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sqld]:
    cloud = start_cloud(tmp_path_factory.mktemp("cloud"))
    yield cloud
    cloud.stop()


def test_three_devices_and_a_server_converge_to_the_last_writes(
    server: Sqld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks and pages, so that random runs also cross page boundaries.
    monkeypatch.setattr(_sync, "PUSH_ROWS", 4)
    monkeypatch.setattr(_sync, "PULL_ROWS", 3)
    SyncingDevices.server = server
    machine = settings(
        max_examples=30,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )(SyncingDevices)
    machine.TestCase().runTest()
