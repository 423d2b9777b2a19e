"""Offline sync: what change tracking adds to a local write, and what a sync costs.

Tracking: the same repository calls on the same schema, with and without the change-log
triggers (dropped in the baseline file). Sync: two devices and a real sqld on loopback;
the floor is the least any sync could do, one remote batch of the same rows (or a bare
round trip when nothing changed).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.harness import Report, timed
from generated.client import DbClient, create_db_client
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from libsqlkit._changelog import trigger_names
from tests.sqld import Sqld
from tests.sync_kit import backend, empty_cloud, open_device, start_cloud

ROWS = 1000
FLOOR = "floor"
TRACKED = "tracked (sync: true)"


def _repeat(step: Callable[[int], object], calls: int) -> None:
    for i in range(calls):
        step(i)


def _local(path: Path, tracked: bool) -> DbClient:
    db = create_db_client(f"file:{path}")
    db.create_schema()
    if not tracked:
        for table in ("workflows", "user_settings"):
            for trigger in trigger_names(table):
                db.execute(f"DROP TRIGGER `{trigger}`")
    return db


def _writes(report: Report, contender: str, db: DbClient, calls: int) -> None:
    repo = WorkflowRepository(db)
    ids: list[str] = []

    def create(i: int) -> None:
        ids.append(repo.create(NewWorkflow(type="t", user_id=f"u{i % 5}")).id)

    def update_status(i: int) -> None:
        repo.update_status(ids[i % len(ids)], "COMPLETED")

    def delete(i: int) -> None:
        repo.delete(ids[i])

    for workload, step in (
        ("create", create),
        ("update_status", update_status),
        ("delete", delete),
    ):
        seconds = timed(partial(_repeat, step, calls))
        report.figure(workload, contender, "µs").samples.append(seconds / calls * 1e6)


def _tracking(report: Report, folder: Path, round_: int, calls: int) -> None:
    for contender, tracked in (("untracked", False), (TRACKED, True)):
        with _local(folder / f"track-{tracked}-{round_}.db", tracked) as db:
            _writes(report, contender, db, calls)


def _sync(report: Report, server: Sqld, folder: Path, round_: int, rows: int) -> None:
    def fresh() -> list[NewWorkflow]:
        return [NewWorkflow(type="t", user_id=f"u{i % 5}") for i in range(rows)]

    empty_cloud(server)
    with backend(server) as api:
        floors = {
            f"push {rows} changed rows": timed(
                lambda: WorkflowRepository(api).create_many(fresh())
            ),
            f"pull {rows} rows": timed(lambda: api.execute("SELECT * FROM workflows")),
            "no changes": timed(lambda: api.execute("SELECT 1")),
        }
    empty_cloud(server)  # the floor's rows are not what the devices sync
    a = open_device(server, folder, f"a{round_}")
    b = open_device(server, folder, f"b{round_}")
    try:
        a.workflows.create_many(fresh())
        syncs = dict(zip(floors, (a.db.sync, b.db.sync, a.db.sync), strict=True))
        for workload, sync in syncs.items():
            report.figure(workload, FLOOR, "ms").samples.append(floors[workload] * 1e3)
            started = time.perf_counter()
            done = sync()
            seconds = time.perf_counter() - started
            report.figure(workload, "sync()", "ms").samples.append(seconds * 1e3)
            report.figure(f"{workload}: round trips", "sync()", "").samples.append(done.round_trips)
    finally:
        a.close()
        b.close()


def run(rounds: int, quick: bool) -> tuple[Report, Report]:
    tracking = Report("Change tracking on local writes (file, sqlite3)", baseline="untracked")
    syncing = Report("Offline sync (sqld on loopback)", baseline=FLOOR)
    calls = 100 if quick else 2000
    rows = 100 if quick else ROWS
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        server = start_cloud(folder / "cloud")
        try:
            for round_ in range(rounds):
                _tracking(tracking, folder, round_, calls)
                _sync(syncing, server, folder, round_, rows)
        finally:
            server.stop()
    tracking.notes.append(
        "Each tracked write also ticks the clock row and upserts the row's version "
        "(two more B-tree writes in the same transaction)."
    )
    syncing.notes.append(
        "Floor: the same rows written (push) or read (pull) by one remote batch, or one "
        "bare round trip when nothing changed. Each sync starts from an empty server."
    )
    return tracking, syncing
