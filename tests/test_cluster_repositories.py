"""The seed's repository semantics, migrations and offline sync, through sqld replicas.

The repository suites (test_crud.py, test_design_repository.py) run here again, unchanged,
with this module's `db`: a client of a three-server cluster, either through one replica
URL that forwards writes or with the primary URL plus read replicas. Every test starts
from an empty primary, and creates the schema through the client under test.

Migrations are forwarded safely: they run in transactions, which run on the primary
(a replica forwards them), and every check after them reads at least what they wrote.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generated.client import DbClient
from generated.models import NewUserSettings, NewWorkflow, WorkflowUpdate
from generated.repositories import UserSettingsRepository
from generated.tables import SCHEMA
from libsqlkit import Schema, connect, consistency
from libsqlkit._migrate import Migrator
from tests import test_crud, test_design_repository
from tests.cluster_kit import Cluster
from tests.migration_kit import EMPTY, Project, pk
from tests.sync_kit import MIGRATIONS, contents, migrate, open_device, server_contents

TOPOLOGIES = ("one replica URL", "primary plus read replicas")
ROOT = Path(__file__).parent.parent
_CLIENT_FIXTURES = {"db", "workflows", "settings", "sync_rows"}


def _repository_tests() -> dict[str, Callable[..., None]]:
    """The repository tests of the seed's suites that run on the `db` fixture."""
    found: dict[str, Callable[..., None]] = {}
    for module in (test_crud, test_design_repository):
        tests = {name: t for name, t in vars(module).items() if name.startswith("test_")}
        for name, test in tests.items():
            if _CLIENT_FIXTURES & set(inspect.signature(test).parameters):
                assert name not in found, f"{name} is in two suites"
                found[name] = test
    return found


globals().update(_repository_tests())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    instance = Cluster(tmp_path_factory.mktemp("cluster")).start()
    yield instance
    instance.stop()


def emptied(cluster: Cluster) -> None:
    """Drop every table on the primary, and wait until the replicas have dropped them."""
    with connect(EMPTY, cluster.primary.url, auth_token=cluster.token()) as admin:
        for (name,) in admin.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ):
            admin.execute(f'DROP TABLE "{name}"')
    cluster.wait_caught_up()


def opened(cluster: Cluster, topology: str, schema: Schema = SCHEMA) -> DbClient:
    if topology == TOPOLOGIES[0]:
        return connect(schema, cluster.replicas[0].url, auth_token=cluster.token())
    return connect(
        schema, cluster.primary.url, read_url=cluster.read_urls, auth_token=cluster.token()
    )


@pytest.fixture(params=TOPOLOGIES)
def topology(request: pytest.FixtureRequest) -> str:
    chosen: str = request.param
    return chosen


@pytest.fixture
def db(cluster: Cluster, topology: str) -> Iterator[DbClient]:
    """Overrides conftest's `db` for the repository tests collected above."""
    emptied(cluster)
    client = opened(cluster, topology)
    assert client.create_schema()
    yield client
    client.close()


# -- migrations ------------------------------------------------------------------------


def test_migrations_apply_and_roll_back_through_a_replica(cluster: Cluster, topology: str) -> None:
    emptied(cluster)
    with opened(cluster, topology, EMPTY) as db:
        migrator = Migrator(db, MIGRATIONS)
        every = [entry.name for entry in migrator.folder.entries]
        assert [a.name for a in migrator.migrate()] == every
        assert migrator.drift() == []
        assert migrator.migrate() == []
        migrator.rollback(len(every), force=True)
        assert [name for name, _ in migrator.applied()] == []
    with (
        connect(EMPTY, cluster.primary.url, auth_token=cluster.token()) as primary,
        consistency("primary"),
    ):
        assert "workflows" not in {n for (n,) in primary.execute("SELECT name FROM sqlite_schema")}


def test_a_rebuild_through_a_replica_cascades_into_no_child_table(
    cluster: Cluster, topology: str, tmp_path: Path
) -> None:
    """A table rebuild runs with foreign keys off: the PRAGMA must reach the primary's
    connection that runs the transaction (sqld forwards it with the stream), or DROP
    TABLE deletes the children."""
    emptied(cluster)
    project = Project(tmp_path)
    project.db.close()
    project.db = opened(cluster, topology, EMPTY)
    parents: dict[str, Any] = {"columns": {"id": pk(), "name": {"type": "text"}}}
    children = {
        "columns": {
            "id": pk(),
            "parent_id": {
                "type": "text",
                "references": {"table": "parents", "column": "id", "on_delete": "cascade"},
            },
        }
    }
    project.migration({"parents": parents, "children": children}, "init")
    project.migrator().migrate()
    project.db.execute("INSERT INTO parents (id, name) VALUES ('p1', 'x')")
    project.db.execute("INSERT INTO children (id, parent_id) VALUES ('c1', 'p1')")
    parents["columns"]["name"] = {"type": "text", "not_null": True, "default": "-"}
    plan = project.migration({"parents": parents, "children": children}, "rebuild")
    assert plan is not None and plan.rebuilt == ["parents"]
    project.migrator().migrate()
    assert project.db.execute("SELECT id, parent_id FROM children") == [("c1", "p1")]
    project.db.close()


def test_the_migrate_command_configured_for_a_cluster_by_the_environment(
    cluster: Cluster,
) -> None:
    emptied(cluster)
    environment = {
        **os.environ,
        "TURSO_DATABASE_URL": cluster.primary.url,
        "TURSO_READ_URL": ",".join(cluster.read_urls),
        "TURSO_AUTH_TOKEN": cluster.token(),
    }

    def command(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "libsqlkit", "--migrations", str(MIGRATIONS), *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "0001_offline_sync" in command("migrate")
    assert "all migrations are applied" in command("status")


# -- offline sync ----------------------------------------------------------------------


def test_devices_that_sync_through_different_replicas_converge(
    cluster: Cluster, tmp_path: Path
) -> None:
    emptied(cluster)
    with connect(EMPTY, cluster.primary.url, auth_token=cluster.token()) as server:
        migrate(server)
    cluster.wait_caught_up()
    a = open_device(cluster.replicas[0], tmp_path, "a")
    b = open_device(cluster.replicas[1], tmp_path, "b")
    try:
        made = a.workflows.create(NewWorkflow(type="report", user_id="u1"))
        settings = UserSettingsRepository(b.db).create(
            NewUserSettings(user_id="u1", preferences={"theme": "dark"})
        )
        a.db.sync()
        b.db.sync()
        a.db.sync()
        assert b.workflows.get(made.id) == made
        assert UserSettingsRepository(a.db).get(settings.id) == settings
        b.workflows.update(made.id, WorkflowUpdate(status="COMPLETED"))
        b.db.sync()
        a.db.sync()
        edited = a.workflows.get(made.id)
        assert edited is not None and edited.status == "COMPLETED"
        with consistency("primary"):
            expected = server_contents(cluster.primary)
        assert contents(a.db) == contents(b.db) == expected
        assert (
            a.db.pending_changes()
            == b.db.pending_changes()
            == {
                "workflows": 0,
                "user_settings": 0,
            }
        )
    finally:
        a.close()
        b.close()
