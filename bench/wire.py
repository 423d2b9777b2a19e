"""Remote calls against the wire's floor, on one loopback sqld, median per call.

The floor is a bare keep-alive HTTP POST of the very Hrana pipeline the repository
sends, with the standard library's `http.client` (built by the runtime's sans-I/O core
beforehand, sent pre-serialised, the reply read but not parsed): what a call costs a
Python program that writes it by hand. The runtime's own transport writes and reads
HTTP with less work than `http.client`, so a second floor shows the least any client
can do: one `sendall` of the prebuilt request on a raw socket, and `recv` until the
Content-Length is in. Beside them: the generated
repository (sync and async), @libsql/client on Node with the same SQL text, Drizzle ORM
on @libsql/client, and the embedded replica, whose writes return when the primary
answers and are pulled by the next read (the goal: a replica write within 1.5x a
remote write).
"""

from __future__ import annotations

import asyncio
import functools
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.harness import Report
from generated.client import DbClient, create_async_db_client, create_db_client
from generated.models import NewWorkflow
from generated.repositories import AsyncWorkflowRepository, WorkflowRepository
from generated.repositories.workflows import (
    _FIND_BY_ID_SQL,
    _FIND_BY_USER_ID_SQL,
    _find_by_id_plan,
    _find_by_user_id_plan,
    _update_status_plan,
)
from libsqlkit._hrana import one_shot
from libsqlkit._plan import Plan
from tests.conftest import reset_server
from tests.node_project import NODE_PROJECT, node_with_packages
from tests.sqld import Sqld

FLOOR = "floor: bare keep-alive POST"
SOCKET_FLOOR = "bare socket (no HTTP client)"
ASYNC = "repository (async)"
USERS = [f"user-{i}" for i in range(5)]
# Whom every contender's `create` writes for: not one of USERS, so that each contender's
# find_by_user_id reads the same ~20 rows, whatever ran before it.
WRITER = "writer"
GOAL = 1.2  # every remote repository call within this ratio of the floor
REPLICA_GOAL = 1.5  # a replica write within this ratio of a remote write

Steps = dict[str, Callable[[int], object]]
AsyncSteps = dict[str, Callable[[int], Coroutine[Any, Any, object]]]
# A write and then a read of it: what an embedded replica's pull on read costs.
PAIR = "create, then find_by_id of it"


# Calls per turn: the floor and the Python contenders take turns at each workload, so
# that the server's drift (its WAL growing, a checkpoint) falls on all of them alike.
BLOCK = 30


def _per_call(step: Callable[[int], object], start: int, count: int) -> list[float]:
    seconds = []
    for i in range(start, start + count):
        started = time.perf_counter()
        step(i)
        seconds.append(time.perf_counter() - started)
    return seconds


async def _per_call_async(
    step: Callable[[int], Awaitable[object]], start: int, count: int
) -> list[float]:
    seconds = []
    for i in range(start, start + count):
        started = time.perf_counter()
        await step(i)
        seconds.append(time.perf_counter() - started)
    return seconds


def _in_turns(
    runner: asyncio.Runner | None,
    sync: dict[str, Steps],
    asynchronous: AsyncSteps,
    calls: int,
) -> dict[str, dict[str, list[float]]]:
    """Seconds per call, by contender and workload: after one warm-up call each (step 0),
    calls 1..calls, the contenders that have the workload taking turns of BLOCK calls."""
    out: dict[str, dict[str, list[float]]] = {}
    workloads = dict.fromkeys([*(name for steps in sync.values() for name in steps), *asynchronous])
    for workload in workloads:
        turns = [(name, steps[workload]) for name, steps in sync.items() if workload in steps]
        async_step = asynchronous.get(workload)
        for _, step in turns:
            step(0)
        if async_step is not None and runner is not None:
            runner.run(async_step(0))
        for start in range(1, calls + 1, BLOCK):
            count = min(BLOCK, calls + 1 - start)
            for name, step in turns:
                samples = out.setdefault(name, {}).setdefault(workload, [])
                samples.extend(_per_call(step, start, count))
            if async_step is not None and runner is not None:
                samples = out.setdefault(ASYNC, {}).setdefault(workload, [])
                samples.extend(runner.run(_per_call_async(async_step, start, count)))
    return out


class _Floor:
    """One kept-alive `http.client` connection POSTing prepared bodies: a call written by
    hand with the standard library."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self._connection = http.client.HTTPConnection(parts.hostname or "", parts.port)
        self._headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def post(self, body: bytes) -> None:
        self._connection.request("POST", "/v2/pipeline", body=body, headers=self._headers)
        reply = self._connection.getresponse()
        reply.read()
        if reply.status != 200:
            raise RuntimeError(f"the floor's POST failed: HTTP {reply.status}")

    def close(self) -> None:
        self._connection.close()


_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length: *([0-9]+)", re.IGNORECASE)


class _SocketFloor:
    """The same POSTs on a raw socket: one `sendall` of head and body, `recv` until the
    head and its Content-Length of body are in; nothing else parsed or checked."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or 80
        self._socket = socket.create_connection((host, port), timeout=30)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._head = (
            f"POST /v2/pipeline HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Content-Type: application/json\r\nAuthorization: Bearer {token}\r\n"
            "Content-Length: "
        ).encode()

    def post(self, body: bytes) -> None:
        self._socket.sendall(self._head + b"%d\r\n\r\n" % len(body) + body)
        received = self._recv()
        while (end := received.find(b"\r\n\r\n")) < 0:
            received += self._recv()
        length = _CONTENT_LENGTH.search(received, 0, end)
        if not received.startswith(b"HTTP/1.1 200 ") or length is None:
            raise RuntimeError(f"the socket floor's POST failed: {received[:80]!r}")
        while len(received) < end + 4 + int(length[1]):
            received += self._recv()

    def _recv(self) -> bytes:
        data = self._socket.recv(65536)
        if not data:
            raise RuntimeError("sqld closed the socket floor's connection")
        return data

    def close(self) -> None:
        self._socket.close()


def _bodies(plans: Sequence[Plan[Any]]) -> list[bytes]:
    return [json.dumps(one_shot(plan.statements, write=plan.write)[0]).encode() for plan in plans]


def _floor_steps(
    floor: _Floor | _SocketFloor, repo: WorkflowRepository, ids: list[str], calls: int
) -> Steps:
    """The repository's own plans for each call, as request bodies made beforehand."""
    prepared = {
        "find_by_id": _bodies(
            [_find_by_id_plan(ids[(i * 7) % len(ids)]) for i in range(calls + 1)]
        ),
        "find_by_user_id (~20 rows)": _bodies(
            [_find_by_user_id_plan(USERS[i % len(USERS)]) for i in range(calls + 1)]
        ),
        "create": _bodies(
            [repo._plan_create(NewWorkflow(type="t", user_id="floor")) for _ in range(calls + 1)]
        ),
        "update_status": _bodies(
            [_update_status_plan(ids[(i * 7) % len(ids)], "COMPLETED") for i in range(calls + 1)]
        ),
    }
    return {name: functools.partial(_post_nth, floor, bodies) for name, bodies in prepared.items()}


def _post_nth(floor: _Floor | _SocketFloor, bodies: list[bytes], index: int) -> None:
    floor.post(bodies[index])


def _repository_steps(repo: WorkflowRepository, ids: list[str]) -> Steps:
    return {
        "find_by_id": lambda i: repo.find_by_id(ids[(i * 7) % len(ids)]),
        "find_by_user_id (~20 rows)": lambda i: repo.find_by_user_id(USERS[i % len(USERS)]),
        "create": lambda i: repo.create(NewWorkflow(type="t", user_id=WRITER)),
        "update_status": lambda i: repo.update_status(ids[(i * 7) % len(ids)], "COMPLETED"),
    }


def _async_steps(repo: AsyncWorkflowRepository, ids: list[str]) -> AsyncSteps:
    return {
        "find_by_id": lambda i: repo.find_by_id(ids[(i * 7) % len(ids)]),
        "find_by_user_id (~20 rows)": lambda i: repo.find_by_user_id(USERS[i % len(USERS)]),
        "create": lambda i: repo.create(NewWorkflow(type="t", user_id=WRITER)),
        "update_status": lambda i: repo.update_status(ids[(i * 7) % len(ids)], "COMPLETED"),
    }


def _node(url: str, token: str, ids: list[str], calls: int) -> dict[str, dict[str, list[float]]]:
    node = node_with_packages()
    ops = {
        "calls": calls,
        "ids": ids,
        "users": USERS,
        "writer": WRITER,
        "sql": {"find_by_id": _FIND_BY_ID_SQL, "find_by_user_id": _FIND_BY_USER_ID_SQL},
    }
    result = subprocess.run(
        [node, "remote_bench.js", url, json.dumps(ops)],
        cwd=NODE_PROJECT,
        env={**os.environ, "LIBSQL_AUTH_TOKEN": token},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the Node remote contenders failed: {result.stderr[-2000:]}")
    found: dict[str, dict[str, list[float]]] = json.loads(result.stdout)
    return found


def _record(report: Report, contender: str, seconds: dict[str, list[float]]) -> None:
    for workload, samples in seconds.items():
        report.figure(workload, contender, "µs").samples.append(statistics.median(samples) * 1e6)


def _create_then_find(repo: WorkflowRepository) -> Callable[[int], object]:
    return lambda i: repo.find_by_id(repo.create(NewWorkflow(type="t", user_id="pair")).id)


def _round(report: Report, server: Sqld, folder: Path, round_: int, calls: int) -> None:
    reset_server(server)
    url, token = server.url, server.token()
    with create_db_client(url, auth_token=token) as db, asyncio.Runner() as runner:
        db.create_schema()
        repo = WorkflowRepository(db)
        ids = [repo.create(NewWorkflow(type="t", user_id=USERS[i % 5])).id for i in range(100)]
        floor, socket_floor = _Floor(url, token), _SocketFloor(url, token)
        try:
            async_db = runner.run(create_async_db_client(url, auth_token=token).__aenter__())
            try:
                sync = {
                    FLOOR: _floor_steps(floor, repo, ids, calls),
                    SOCKET_FLOOR: _floor_steps(socket_floor, repo, ids, calls),
                    "repository (sync)": {
                        **_repository_steps(repo, ids),
                        PAIR: _create_then_find(repo),
                    },
                }
                asynchronous = _async_steps(AsyncWorkflowRepository(async_db), ids)
                for contender, seconds in _in_turns(runner, sync, asynchronous, calls).items():
                    _record(report, contender, seconds)
            finally:
                runner.run(async_db.close())
        finally:
            floor.close()
            socket_floor.close()
    for contender, seconds in _node(url, token, ids, calls).items():
        _record(report, contender, seconds)
    with _replica(f"file:{folder}/replica{round_}.db", url, token) as replica:
        replica_repo = WorkflowRepository(replica)
        steps = {
            "embedded replica": {
                "create": _repository_steps(replica_repo, ids)["create"],
                PAIR: _create_then_find(replica_repo),
            }
        }
        _record(report, "embedded replica", _in_turns(None, steps, {}, calls)["embedded replica"])


def _replica(path: str, url: str, token: str) -> DbClient:
    """An embedded replica opened last, on the server as it is after the others' writes.
    After thousands of writes sqld compacts its log, and a replica that starts before
    sqld has written the snapshot that replaces it waits for it (within the client's
    timeout, here a long one: the snapshot of a large log takes a while)."""
    return create_db_client(path, sync_url=url, auth_token=token, timeout=60.0)


def run(rounds: int, quick: bool) -> Report:
    report = Report("Remote calls against the wire's floor (sqld on loopback)", baseline=FLOOR)
    calls = 30 if quick else 300
    with tempfile.TemporaryDirectory() as folder:
        server = Sqld(Path(folder) / "sqld", auth=True).start()
        try:
            for round_ in range(rounds):
                _round(report, server, Path(folder), round_, calls)
        finally:
            server.stop()
    report.notes.append(
        f"Median of {calls} calls per round, median over rounds; the floors and the Python "
        f"repositories take turns of {BLOCK} calls at each workload (the replica runs last, "
        "once sqld has a snapshot for it), and every contender's `create` writes for a "
        "user the reads do not ask for. Goals: every repository "
        f"call within {GOAL}x the floor; a replica `create` within {REPLICA_GOAL}x the "
        "remote one (`repository (sync)`)."
    )
    report.notes.append(
        "The replica's write returns when the primary answers, and the next read pulls it "
        "first: `create, then find_by_id of it` shows that pair's whole cost, against the "
        "same pair on the primary."
    )
    return report
