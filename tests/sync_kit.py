"""Devices and a cloud for the offline-sync tests: real files, a real sqld, real links.

The server and every device get their schema the way production does: by applying the
migrations folder (which creates the change log and its triggers).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from codegen.migrations import new_migration
from codegen.source import load_source
from codegen.validate import build_schema
from generated.client import DbClient, create_db_client
from generated.models import NewWorkflow, Workflow, WorkflowUpdate
from generated.repositories import WorkflowRepository
from libsqlkit import (
    AsyncDatabase,
    Database,
    DatabaseError,
    LocalDriverName,
    connect,
    connect_async,
    prune_change_log,
)
from libsqlkit._migrate import Migrator
from libsqlkit._sync import Syncer, server_error
from libsqlkit._sync_state import Local, Round
from tests.netlink import Link
from tests.sqld import Sqld

ROOT = Path(__file__).parent.parent
MIGRATIONS = ROOT / "migrations"
SYNCED_TABLES = ("workflows", "user_settings")
Spec = dict[str, Any]


def migrate(db: DbClient) -> None:
    Migrator(db, MIGRATIONS).migrate()


class Releases:
    """The app's migrations, then releases made here: each changes schema.yaml and adds
    the migration codegen writes for it. A database "on release n" has the first n
    migrations applied (`level`), as a device or server running that version would."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.all = folder / "migrations"
        shutil.copytree(MIGRATIONS, self.all)
        self.spec: Spec = YAML(typ="safe").load(ROOT / "schema.yaml")
        self.count = len(json.loads((self.all / "journal.json").read_text())["migrations"])
        self.base = self.count  # the app's own migrations

    def release(self, name: str, change: Callable[[Spec], None]) -> int:
        """A new release; returns its level."""
        change(self.spec)
        path = self.folder / "schema.yaml"
        path.write_text(json.dumps(self.spec, indent=1))  # JSON is YAML
        written = new_migration(self.all, build_schema(load_source(path)), name)
        assert written is not None, f"release {name} changes nothing"
        self.count += 1
        return self.count

    def path(self, level: int) -> Path:
        """The migrations folder of release `level`."""
        target = self.folder / f"level{level}"
        if not target.exists():
            shutil.copytree(self.all, target)
            journal = json.loads((target / "journal.json").read_text())
            for entry in journal["migrations"][level:]:
                shutil.rmtree(target / entry["name"])
            journal["migrations"] = journal["migrations"][:level]
            (target / "journal.json").write_text(json.dumps(journal, indent=2) + "\n")
        return target

    def move(self, db: Database, level: int) -> None:
        """Migrate or roll back `db` to release `level`."""
        applied = len(Migrator(db, self.path(self.count)).applied())
        if applied > level:
            Migrator(db, self.path(applied)).rollback(applied - level, force=True)
        else:
            Migrator(db, self.path(level)).migrate()


def start_cloud(folder: Path, migrations: Path = MIGRATIONS) -> Sqld:
    server = Sqld(folder, auth=True).start()
    with backend(server) as admin:
        Migrator(admin, migrations).migrate()
    return server


def back_up(server: Sqld, backup: Path) -> None:
    """A copy of the server's data directory, taken while it is stopped."""
    server.stop()
    shutil.copytree(server.folder / "data.sqld", backup)
    server.start()


def restore(server: Sqld, backup: Path) -> None:
    """The server's data directory replaced by an older copy, as a restore does."""
    data = server.folder / "data.sqld"
    server.stop()
    shutil.rmtree(data)
    shutil.copytree(backup, data)
    server.start()


def empty_cloud(server: Sqld) -> None:
    """Delete every synced row, its history and the devices known on the server (not a
    tracked change)."""
    with backend(server) as admin:
        admin.batch(
            [
                ("UPDATE __libsqlkit_sync SET applying = 1", ()),
                *((f"DELETE FROM `{table}`", ()) for table in SYNCED_TABLES),
                ("DELETE FROM __libsqlkit_sync_rows", ()),
                ("DELETE FROM __libsqlkit_sync_devices", ()),
                ("DELETE FROM __libsqlkit_sync_conflicts", ()),
                ("UPDATE __libsqlkit_sync SET applying = 0, pruned_seq = 0", ()),
            ]
        )


def backend(server: Sqld) -> DbClient:
    """The cloud backend's own client: it writes on the server directly."""
    return create_db_client(server.url, auth_token=server.token())


@dataclass
class Device:
    name: str
    db: DbClient
    link: Link

    @property
    def workflows(self) -> WorkflowRepository:
        return WorkflowRepository(self.db)

    def close(self) -> None:
        self.db.close()
        self.link.close()


def open_device(
    server: Sqld,
    folder: Path,
    name: str,
    *,
    driver: LocalDriverName | None = None,
    timeout: float = 5.0,
    sync_interval: float = 0,
    direct: bool = False,
    migrations: Path = MIGRATIONS,
) -> Device:
    """A migrated device; its link can be cut, or with `direct` it talks to the server
    straight (measurements: the relay's own copying would be measured too)."""
    link = Link(server.port)
    db = create_db_client(
        f"file:{folder / name}.db",
        sync_url=server.url if direct else link.url,
        sync_mode="offline",
        sync_interval=sync_interval,
        auth_token=server.token(),
        driver=driver,
        timeout=timeout,
    )
    Migrator(db, migrations).migrate()
    return Device(name, db, link)


def table_rows(db: DbClient, table: str) -> list[tuple[Any, ...]]:
    return db.execute(f"SELECT * FROM `{table}` ORDER BY 1")


def contents(db: DbClient) -> dict[str, list[tuple[Any, ...]]]:
    return {table: table_rows(db, table) for table in SYNCED_TABLES}


def server_contents(server: Sqld) -> dict[str, list[tuple[Any, ...]]]:
    with backend(server) as admin:
        return contents(admin)


def versions(db: DbClient) -> list[tuple[Any, ...]]:
    return db.execute("SELECT tbl, pk, hlc, deleted FROM __libsqlkit_sync_rows ORDER BY tbl, pk")


def field_versions(db: DbClient, table: str, key: str) -> dict[str, str]:
    """The version of each column of a row, as the change log holds them."""
    [(born, cols)] = db.execute(
        "SELECT born, cols FROM __libsqlkit_sync_rows WHERE tbl = ? AND pk = ?", (table, key)
    )
    named: dict[str, str] = json.loads(cols)
    columns = [
        c for (c,) in db.execute(f"SELECT name FROM pragma_table_info('{table}') WHERE pk = 0")
    ]
    return {c: named.get(c) or named.get("*") or born for c in columns}


def plain_copy(path: Path) -> DbClient:
    """A second, sync-less connection to a device's file (another process's view)."""
    from generated.tables import SCHEMA

    return connect(SCHEMA, f"file:{path}")


@contextmanager
def cloud_with(
    folder: Path, *names: str, migrations: Path = MIGRATIONS
) -> Iterator[tuple[Sqld, list[Device]]]:
    """A migrated server and devices on it, stopped and closed afterwards."""
    server = start_cloud(folder / "cloud", migrations)
    opened: list[Device] = []
    try:
        opened += [open_device(server, folder, name, migrations=migrations) for name in names]
        yield server, opened
    finally:
        for device in opened:
            device.close()
        server.stop()


def all_converged(server: Sqld, *devices: Device) -> bool:
    expected = server_contents(server)
    return all(contents(device.db) == expected for device in devices)


def shared_row(a: Device, b: Device, kind: str = "t") -> Workflow:
    """A row created on `a` that both devices have synced."""
    row = a.workflows.create(NewWorkflow(type=kind, user_id="u1"))
    a.db.sync()
    b.db.sync()
    return row


def a_delete_pruned_while_a_edits_offline(
    cloud: Sqld, a: Device, b: Device
) -> tuple[Workflow, Workflow]:
    """Two rows both devices synced; A, cut off, edits both (every row it ever synced
    has unsent changes); B deletes the first; A is silent past the horizon, so the
    server forgets A and prunes the tombstone once B has pulled past it. A's link stays
    cut. Returns (the deleted row, the kept one)."""
    gone, kept = shared_row(a, b), shared_row(a, b)
    with backend(cloud) as api:
        prune_change_log(api, horizon=0.5)
    a.link.cut()
    a.workflows.update(gone.id, WorkflowUpdate(error_log="A, offline"))
    a.workflows.update(kept.id, WorkflowUpdate(retry_count=3))
    assert b.workflows.delete(gone.id)
    b.db.sync()
    time.sleep(0.6)
    b.db.sync()  # a is forgotten; the tombstone goes once b has pulled past it
    b.db.sync()
    with backend(cloud) as api:
        assert api.execute("SELECT count(*) FROM __libsqlkit_sync_rows WHERE deleted") == [(0,)]
    return gone, kept


def async_device(server: Sqld, path: Path) -> AsyncDatabase:
    """An async offline-mode device on the migrated file at `path`, syncing with `server`."""
    from generated.tables import SCHEMA

    return connect_async(
        SCHEMA,
        f"file:{path}",
        sync_url=server.url,
        sync_mode="offline",
        sync_interval=0,
        auth_token=server.token(),
    )


def later() -> None:
    """The next write gets a later millisecond (every clock here is this machine's)."""
    time.sleep(0.005)


def sync_watching_requests(device: Device, before_request: Callable[[int], None]) -> Round:
    """One sync of `device` by its own syncer, its steps carried out here the way
    `Syncer.sync` does, with `before_request(n)` called before the sync's n-th request
    to the server (from 0): the moment to change the server between two requests."""
    syncer = device.db._sync
    assert isinstance(syncer, Syncer)
    url = syncer._remote.url
    steps = syncer._core.steps(url)
    step = next(steps)
    sent = 0
    try:
        while True:
            if isinstance(step, Local):
                step = steps.send(syncer._local(device.db, step))
                continue
            before_request(sent)
            sent += 1
            try:
                reply = syncer._server(device.db, step)
            except DatabaseError as exc:
                step = steps.throw(server_error(exc, url))
                continue
            step = steps.send(reply)
    except StopIteration as done:
        state: Round = done.value
        return state
