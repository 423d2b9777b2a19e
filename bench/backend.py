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
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from bench.harness import Report
from examples.backend.launch import ROOT, Kind, Server
from generated.client import create_db_client
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from libsqlkit._migrate import Migrator
from tests.sqld import WEDGE_FREE_CHECKPOINT_S, Sqld, free_port

CONTENDERS: dict[Kind, str] = {
    "async": "async API (uvicorn)",
    "sync": "sync API, thread pool (uvicorn)",
    "node": "Drizzle + @libsql/client (Node)",
}
BASELINE = CONTENDERS["node"]
CLIENTS = (1, 10, 100)
USERS = 100
PER_USER = 20  # rows find_by_user_id returns
Served = AbstractContextManager[tuple[Server, list[str]]]  # a contender's server, the seeded ids
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
def _local(folder: Path) -> Iterator[Callable[[Kind], Served]]:
    """One server per contender on one seeded file, for the whole run."""
    url = f"file:{folder / 'app.db'}"
    ids = seed(url, None)
    with ExitStack() as stack:
        servers = {
            kind: stack.enter_context(
                Server(kind, url, port=free_port(), log=folder / f"{kind}.log")
            )
            for kind in CONTENDERS
        }

        @contextmanager
        def serve(kind: Kind) -> Iterator[tuple[Server, list[str]]]:
            yield servers[kind], ids

        yield serve


@contextmanager
def _remote(folder: Path, kind: Kind) -> Iterator[tuple[Server, list[str]]]:
    """A fresh sqld, seeded alike, and the contender's server on it: one contender's
    writes cannot leave the server in a state the next one pays for (see the notes)."""
    sqld = Sqld(  # under load, sqld 0.24's default checkpoints can wedge its write lock
        Path(tempfile.mkdtemp(dir=folder)), auth=True, checkpoint_interval_s=WEDGE_FREE_CHECKPOINT_S
    ).start()
    try:
        token = sqld.token()
        ids = seed(sqld.url, token)
        log = sqld.folder / f"{kind}.log"
        with Server(kind, sqld.url, port=free_port(), token=token, log=log) as server:
            yield server, ids
    finally:
        sqld.stop()


def _once(
    report: Report,
    kind: Kind,
    served: tuple[Server, list[str]],
    timing: tuple[float, float],
    generator: list[dict[str, Any]],
) -> None:
    """Every endpoint at every number of clients, once, on one contender."""
    server, ids = served
    warmup, seconds = timing
    plan = [(endpoint, clients) for endpoint in ENDPOINTS for clients in CLIENTS]
    specs = []
    for endpoint, clients in plan:
        requests, expect = _requests(endpoint, server.port, ids)
        specs.append(
            {
                "port": server.port,
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
        log = server.log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{exc}\n--- the {kind} server's log:\n{log}") from exc
    contender = CONTENDERS[kind]
    for (endpoint, clients), found in zip(plan, results, strict=True):
        name = f"{endpoint}, {clients} client{'s' if clients > 1 else ''}"
        report.figure(f"{name}: requests/s", contender, "req/s").samples.append(found["per_second"])
        for quantile in ("p50", "p99"):
            if found[f"{quantile}_ms"] is not None:  # None: every request failed
                report.figure(f"{name}: {quantile}", contender, "ms").samples.append(
                    found[f"{quantile}_ms"]
                )
        report.figure(f"{name}: errors per 100", contender, "").samples.append(
            found["errors_per_100"]
        )
        generator.append(found)


def _rounds(
    report: Report,
    serve: Callable[[Kind], Served],
    rounds: int,
    timing: tuple[float, float],
) -> None:
    """Interleaved rounds: the contenders' order turns each round."""
    generator: list[dict[str, Any]] = []
    kinds = list(CONTENDERS)
    for round_ in range(rounds):
        for kind in kinds[round_ % 3 :] + kinds[: round_ % 3]:
            with serve(kind) as served:
                _once(report, kind, served, timing, generator)
    _notes(report, generator)


def _notes(report: Report, generator: list[dict[str, Any]]) -> None:
    cost = max(g["cpu_us_per_request"] for g in generator)
    busiest = max(g["per_second"] * g["cpu_us_per_request"] / 1e6 for g in generator)
    report.notes += [
        "Each contender is one server process; the load generator is another (one kept-"
        "alive HTTP/1.1 connection per client, closed loop). Ratios: to the Node server.",
        f"Load generator: at most {cost:.0f} µs of CPU per request, at most "
        f"{busiest:.0%} of one core at the highest rate of this run.",
        "Errors: answers other than 200/201 (e.g. 503 for a busy database) and requests "
        "unanswered for 10 s, left out of requests/s and latencies.",
    ]


def run(rounds: int, quick: bool) -> list[Report]:
    timing = (0.05, 0.2) if quick else (0.5, 2.0)
    local = Report("Backend, local file (requests over loopback HTTP)", baseline=BASELINE)
    remote = Report("Backend, sqld on loopback", baseline=BASELINE)
    with tempfile.TemporaryDirectory() as folder:
        with _local(Path(folder)) as serve:
            _rounds(local, serve, rounds, timing)
        _rounds(remote, partial(_remote, Path(folder)), rounds, timing)
    remote.notes.append(
        "Each contender's round runs on a fresh sqld seeded alike: sqld 0.24 was seen to "
        "keep its write lock for good, spinning, after ~2 s of 10 concurrent writers "
        "from any contender (Node's included), failing every later write."
    )
    return [local, remote]
