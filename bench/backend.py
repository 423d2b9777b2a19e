"""The backend example under load: requests/s and p50/p99 latency of its endpoints at 1,
10 and 100 concurrent clients, on a local file and on a sqld on loopback.

Contenders, each one server process on the same database: the FastAPI app on the async
API (uvicorn), the same app on the sync API in FastAPI's thread pool, and the same
endpoints on Node.js with Drizzle + @libsql/client (examples/backend/node). The load
generator (bench/backend_load.py) runs in a process of its own; its CPU cost per request
is reported, to show it is not what limits the figures on a 2-core machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench.harness import Report
from examples.backend.launch import ROOT, Kind, Server
from generated.client import create_db_client
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from libsqlkit._migrate import Migrator
from tests.sqld import Sqld, free_port

CONTENDERS: dict[Kind, str] = {
    "async": "async API (uvicorn)",
    "sync": "sync API, thread pool (uvicorn)",
    "node": "Drizzle + @libsql/client (Node)",
}
BASELINE = CONTENDERS["node"]
CLIENTS = (1, 10, 100)
USERS = 100
PER_USER = 20  # rows find_by_user_id returns
ENDPOINTS = ("find_by_id", "find_by_user_id (20 rows)", "create")


def seed(url: str, token: str | None) -> list[str]:
    """Migrate (as a deployment does), then USERS × PER_USER workflows; their ids."""
    with create_db_client(url, auth_token=token) as db:
        Migrator(db, ROOT / "migrations").migrate()
        created = WorkflowRepository(db).create_many(
            (
                NewWorkflow(
                    type="summarize",
                    user_id=f"user-{i % USERS}",
                    input_payload={"prompt": f"summarize document {i}", "max_tokens": 256},
                )
                for i in range(USERS * PER_USER)
            ),
            returning=True,
        )
    return [w.id for w in created]


def _get(port: int, path: str) -> str:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"


def _post(port: int, path: str, body: dict[str, Any]) -> str:
    text = json.dumps(body, separators=(",", ":"))
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(text)}\r\n\r\n{text}"
    )


def _requests(endpoint: str, port: int, ids: list[str]) -> tuple[list[str], int]:
    """The raw requests of one endpoint, and the status each must get."""
    if endpoint == "find_by_id":
        return [_get(port, f"/workflows/{i}") for i in ids[::3]], 200
    if endpoint.startswith("find_by_user_id"):
        return [_get(port, f"/users/user-{u}/workflows") for u in range(USERS)], 200
    bodies = [
        {"type": "summarize", "user_id": f"new-{k}", "input_payload": {"prompt": f"new {k}"}}
        for k in range(500)
    ]
    return [_post(port, "/workflows", body) for body in bodies], 201


def _load(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run the load generator in its own process."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.backend_load"],
        input=json.dumps(specs),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the load generator failed: {result.stderr[-2000:]}")
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


@contextmanager
def _servers(url: str, token: str | None, logs: Path) -> Iterator[dict[Kind, Server]]:
    logs.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        yield {
            kind: stack.enter_context(
                Server(kind, url, port=free_port(), token=token, log=logs / f"{kind}.log")
            )
            for kind in CONTENDERS
        }


def _measure(
    report: Report,
    servers: dict[Kind, Server],
    ids: list[str],
    rounds: int,
    timing: tuple[float, float],
    generator: list[dict[str, float]],
) -> None:
    warmup, seconds = timing
    kinds = list(CONTENDERS)
    for round_ in range(rounds):
        for kind in kinds[round_ % 3 :] + kinds[: round_ % 3]:
            port = servers[kind].port
            plan = [(endpoint, clients) for endpoint in ENDPOINTS for clients in CLIENTS]
            specs = []
            for endpoint, clients in plan:
                requests, expect = _requests(endpoint, port, ids)
                specs.append(
                    {
                        "port": port,
                        "clients": clients,
                        "seconds": seconds,
                        "warmup": warmup,
                        "requests": requests,
                        "expect": expect,
                    }
                )
            try:
                results = _load(specs)
            except RuntimeError as exc:
                log = servers[kind].log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{exc}\n--- the {kind} server's log:\n{log}") from exc
            for (endpoint, clients), found in zip(plan, results, strict=True):
                name = f"{endpoint}, {clients} client{'s' if clients > 1 else ''}"
                contender = CONTENDERS[kind]
                report.figure(f"{name}: requests/s", contender, "req/s").samples.append(
                    found["per_second"]
                )
                for quantile in ("p50", "p99"):
                    if found[f"{quantile}_ms"] is not None:  # None: every request failed
                        report.figure(f"{name}: {quantile}", contender, "ms").samples.append(
                            found[f"{quantile}_ms"]
                        )
                if endpoint == "create":  # reads never failed; writes may be refused
                    report.figure(f"{name}: errors per 100", contender, "").samples.append(
                        found["errors_per_100"]
                    )
                generator.append(found)


def _notes(report: Report, generator: list[dict[str, float]]) -> None:
    cost = max(g["cpu_us_per_request"] for g in generator)
    busiest = max(g["per_second"] * g["cpu_us_per_request"] / 1e6 for g in generator)
    report.notes += [
        "Each contender is one server process; the load generator is another (one kept-"
        "alive HTTP/1.1 connection per client, closed loop). Ratios: to the Node server.",
        f"Load generator: at most {cost:.0f} µs of CPU per request, at most "
        f"{busiest:.0%} of one core at the highest rate of this run.",
        "Errors: answers other than 201 (a write the server refused, e.g. 503 for a "
        "busy database), left out of requests/s and latencies.",
    ]


def run(rounds: int, quick: bool) -> list[Report]:
    timing = (0.05, 0.2) if quick else (0.5, 2.0)
    local = Report("Backend, local file (requests over loopback HTTP)", baseline=BASELINE)
    remote = Report("Backend, sqld on loopback", baseline=BASELINE)
    with tempfile.TemporaryDirectory() as folder:
        logs = Path(folder)
        generator: list[dict[str, float]] = []
        url = f"file:{logs / 'app.db'}"
        ids = seed(url, None)
        with _servers(url, None, logs / "file") as servers:
            _measure(local, servers, ids, rounds, timing, generator)
        _notes(local, generator)
        sqld = Sqld(logs / "sqld", auth=True).start()
        try:
            token = sqld.token()
            ids = seed(sqld.url, token)
            generator = []
            with _servers(sqld.url, token, logs / "remote") as servers:
                _measure(remote, servers, ids, rounds, timing, generator)
            _notes(remote, generator)
        finally:
            sqld.stop()
    return [local, remote]
