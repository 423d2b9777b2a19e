"""The load generator of the backend benchmark, run in a process of its own:
`python -m bench.backend_load < specs.json` prints one result per spec, as JSON.

Each client is one kept-alive HTTP/1.1 connection that sends a request, waits for the
whole response and sends the next (a closed loop, as a browser or a service calling the
API would). Requests are prebuilt bytes and responses are parsed only as far as status
and length, on asyncio protocols, so that a request costs the generator a few tens of
microseconds of CPU; its own CPU time is measured and reported with the results.
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

TIMEOUT = 10.0  # a request unanswered this long is an error (status 0)


@dataclass
class Spec:
    """`clients` connections to `port`, cycling through `requests` (raw HTTP requests).
    Measured: the requests answered after `warmup` unmeasured seconds, of those sent in
    the `seconds` that follow. An answer other than `expect` is an error: counted,
    and left out of the rate and the latencies."""

    port: int
    clients: int
    seconds: float
    warmup: float
    requests: list[str]
    expect: int


@dataclass
class Result:
    requests: int
    per_second: float
    errors_per_100: float
    p50_ms: float | None  # None when every request failed
    p99_ms: float | None
    cpu_us_per_request: float  # the generator's own CPU time


@dataclass
class _Window:
    """The measured window: the requests answered from `start` on, of those sent until
    `end`; the rate runs until the last of them was answered (`last`)."""

    start: float
    end: float
    last: float = 0.0


class _Connection(asyncio.Protocol):
    """One client's connection: `exchange` sends a request and waits for its status."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.waiting: asyncio.Future[int] | None = None
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0 or self.waiting is None:
            return
        lines = bytes(self.buffer[:end]).lower().split(b"\r\n")
        status = int(lines[0][9:12])
        if b"transfer-encoding: chunked" in lines:
            raise RuntimeError("the servers measured answer with a content-length")
        length = next((int(h[15:]) for h in lines if h.startswith(b"content-length:")), 0)
        if len(self.buffer) < end + 4 + length:
            return
        del self.buffer[: end + 4 + length]
        self.waiting.set_result(status)
        self.waiting = None

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiting is not None and not self.waiting.done():
            self.waiting.set_exception(ConnectionError(f"the server closed the connection: {exc}"))

    async def exchange(self, request: bytes) -> int:
        assert self.transport is not None
        self.waiting = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiting


async def _client(
    spec: Spec,
    requests: list[bytes],
    offset: int,
    window: _Window,
    latencies: list[float],
    errors: list[int],
) -> None:
    """Send requests back to back until the end; record the ones answered after the warm-up."""
    loop = asyncio.get_running_loop()
    _, connection = await loop.create_connection(_Connection, "127.0.0.1", spec.port)
    i = offset
    try:
        while True:
            started = time.perf_counter()
            if started >= window.end:
                return
            try:
                async with asyncio.timeout(TIMEOUT):
                    status = await connection.exchange(requests[i % len(requests)])
            except TimeoutError:
                errors.append(0)  # no answer: an error, and this client's connection ends
                return
            finished = time.perf_counter()
            if finished >= window.start:
                if status == spec.expect:
                    latencies.append(finished - started)
                else:
                    errors.append(status)
                window.last = max(window.last, finished)
            i += spec.clients
    finally:
        assert connection.transport is not None
        connection.transport.close()


async def run(spec: Spec) -> Result:
    requests = [r.encode() for r in spec.requests]
    latencies: list[float] = []
    errors: list[int] = []
    now = time.perf_counter()
    window = _Window(now + spec.warmup, now + spec.warmup + spec.seconds)
    cpu: list[float] = []

    async def measure_cpu() -> None:
        await asyncio.sleep(max(0.0, window.start - time.perf_counter()))
        cpu.append(time.process_time())

    clients = [_client(spec, requests, k, window, latencies, errors) for k in range(spec.clients)]
    await asyncio.gather(measure_cpu(), *clients)
    used = time.process_time() - cpu[0]
    ordered = sorted(latencies)
    done = len(ordered) + len(errors)
    return Result(
        requests=len(ordered),
        per_second=len(ordered) / (window.last - window.start) if ordered else 0.0,
        errors_per_100=100 * len(errors) / done,
        p50_ms=statistics.median(ordered) * 1e3 if ordered else None,
        p99_ms=ordered[math.ceil(len(ordered) * 0.99) - 1] * 1e3 if ordered else None,
        cpu_us_per_request=used / done * 1e6,
    )


def main() -> None:
    specs = [Spec(**raw) for raw in json.load(sys.stdin)]
    results: list[dict[str, Any]] = [asdict(asyncio.run(run(spec))) for spec in specs]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
