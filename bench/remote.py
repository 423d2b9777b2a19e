"""Remote latency: wall time and HTTP round trips per repository call, by mode.

Local file vs embedded replica vs remote sqld on loopback (a real server; over the
internet each round trip adds the network's latency on top).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.harness import Report, timed
from generated.client import DbClient, create_db_client
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from tests.conftest import reset_server
from tests.sqld import Sqld

CALLS = {"find_by_id": 300, "find_by_user_id (~20 rows)": 100, "create": 100, "update_status": 100}


def _round_trips(db: DbClient) -> int:
    return db.round_trips


def _steps(repo: WorkflowRepository, ids: list[str]) -> dict[str, Callable[[int], object]]:
    return {
        "find_by_id": lambda i: repo.find_by_id(ids[i % len(ids)]),
        "find_by_user_id (~20 rows)": lambda i: repo.find_by_user_id(f"user-{i % 5}"),
        "create": lambda i: repo.create(NewWorkflow(type="t", user_id=f"user-{i % 5}")),
        "update_status": lambda i: repo.update_status(ids[i % len(ids)], "COMPLETED"),
    }


def _repeat(step: Callable[[int], object], calls: int) -> None:
    for i in range(calls):
        step(i)


def run(rounds: int, quick: bool) -> Report:
    report = Report("Per call by mode (sqld on loopback)", baseline="local file (sqlite3)")
    scale = 10 if quick else 1
    with tempfile.TemporaryDirectory() as folder:
        server = Sqld(Path(folder) / "sqld", auth=True).start()
        try:
            for round_ in range(rounds):
                reset_server(server)
                clients = {
                    "local file (sqlite3)": create_db_client(f"file:{folder}/local{round_}.db"),
                    "remote (HTTP)": create_db_client(server.url, auth_token=server.token()),
                }
                clients["remote (HTTP)"].create_schema()
                clients["embedded replica"] = create_db_client(
                    f"file:{folder}/replica{round_}.db",
                    sync_url=server.url,
                    auth_token=server.token(),
                )
                clients["local file (sqlite3)"].create_schema()
                for name, db in clients.items():
                    repo = WorkflowRepository(db)
                    ids = [
                        repo.create(NewWorkflow(type="t", user_id=f"user-{i % 5}")).id
                        for i in range(100)
                    ]
                    db.sync() if name == "embedded replica" else None
                    for workload, step in _steps(repo, ids).items():
                        calls = CALLS[workload] // scale
                        before = _round_trips(db)
                        seconds = timed(partial(_repeat, step, calls))
                        report.figure(workload, name, "µs").samples.append(seconds / calls * 1e6)
                        report.figure(f"{workload}: round trips", name, "").samples.append(
                            (_round_trips(db) - before) / calls
                        )
                    db.close()
        finally:
            server.stop()
    report.notes.append(
        "Round trips are HTTP requests to the server per call; the read after a replica "
        "write also pulls."
    )
    return report
