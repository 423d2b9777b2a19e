"""HTTP transports for Hrana, on one loopback sqld: why the runtime's are hand-written.

The same `/v2/pipeline` request (`SELECT ?`), kept alive, through the runtime's
transports (sockets, asyncio streams) and through httpx (sync and async, with
TCP_NODELAY as a fair setting), one caller at a time and 50 at once.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from bench.harness import Report
from libsqlkit._http import AsyncHttpPool, HttpPool
from tests.sqld import Sqld

BODY: dict[str, Any] = {
    "baton": None,
    "requests": [
        {
            "type": "execute",
            "stmt": {"sql": "SELECT ?", "args": [{"type": "integer", "value": "1"}]},
        },
        {"type": "close"},
    ],
}
NODELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
CONCURRENT = 50


def _sync_calls(post: Callable[[], object], calls: int) -> tuple[float, float]:
    """µs per call, wall time and this process's CPU time (what the transport costs)."""
    post()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        post()
    return (
        (time.perf_counter() - started) / calls * 1e6,
        (time.process_time() - cpu) / calls * 1e6,
    )


async def _async_calls(
    post: Callable[[], Awaitable[object]], calls: int, parallel: int
) -> tuple[float, float]:
    """µs per call, wall time and CPU time, with `parallel` callers at once."""
    await post()
    gate = asyncio.Semaphore(parallel)

    async def one() -> None:
        async with gate:
            await post()

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one() for _ in range(calls)))
    return (
        (time.perf_counter() - started) / calls * 1e6,
        (time.process_time() - cpu) / calls * 1e6,
    )


Timing = tuple[float, float]


async def _async_round(url: str, calls: int) -> dict[str, tuple[Timing, Timing]]:
    pool = AsyncHttpPool(url, None, timeout=10, size=CONCURRENT)
    client = httpx.AsyncClient(
        base_url=url,
        transport=httpx.AsyncHTTPTransport(
            socket_options=NODELAY,
            limits=httpx.Limits(max_connections=CONCURRENT, max_keepalive_connections=CONCURRENT),
        ),
    )

    async def runtime() -> object:
        return await pool.post(BODY)

    async def via_httpx() -> object:
        return (await client.post("/v2/pipeline", json=BODY)).json()

    try:
        return {
            "async, runtime (asyncio streams)": (
                await _async_calls(runtime, calls, 1),
                await _async_calls(runtime, calls * 5, CONCURRENT),
            ),
            "async, httpx": (
                await _async_calls(via_httpx, calls, 1),
                await _async_calls(via_httpx, calls * 5, CONCURRENT),
            ),
        }
    finally:
        await pool.close()
        await client.aclose()


def _sync_round(url: str, calls: int) -> dict[str, Timing]:
    pool = HttpPool(url, None, timeout=10, size=4)
    client = httpx.Client(base_url=url, transport=httpx.HTTPTransport(socket_options=NODELAY))
    try:
        return {
            "sync, runtime (socket)": _sync_calls(lambda: pool.post(BODY), calls),
            "sync, httpx": _sync_calls(
                lambda: client.post("/v2/pipeline", json=BODY).json(), calls
            ),
        }
    finally:
        pool.close()
        client.close()


def _record(report: Report, callers: str, name: str, timing: Timing) -> None:
    wall, cpu = timing
    report.figure(f"{callers}: wall µs per call", name, "µs").samples.append(wall)
    report.figure(f"{callers}: client CPU µs per call", name, "µs").samples.append(cpu)


def run(rounds: int, quick: bool) -> Report:
    calls = 20 if quick else 300
    report = Report(
        "HTTP transports (sqld on loopback, SELECT ?)",
        baseline="async, runtime (asyncio streams)",
    )
    with tempfile.TemporaryDirectory() as folder:
        server = Sqld(Path(folder) / "sqld", auth=False).start()
        try:
            for _ in range(rounds):
                timings: dict[str, tuple[Timing, Timing | None]] = {
                    name: (alone, None) for name, alone in _sync_round(server.url, calls).items()
                }
                timings.update(asyncio.run(_async_round(server.url, calls)))
                for name, (alone, many) in timings.items():
                    _record(report, "one caller", name, alone)
                    if many is not None:
                        _record(report, f"{CONCURRENT} callers", name, many)
        finally:
            server.stop()
    report.notes.append(
        "httpx with TCP_NODELAY set (without it, each request waited for a delayed ACK). "
        "Fifty callers run on one asyncio loop; the sync transports serve one caller at a "
        "time. Client CPU: this process's CPU time per call, what the transport costs a "
        "busy server whatever the wall time."
    )
    return report
