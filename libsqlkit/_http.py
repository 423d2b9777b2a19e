"""HTTP/1.1 transports for Hrana pipelines: pooled keep-alive connections, bounded waits.

Both carry a JSON body to `/v2/pipeline` and bring back the parsed reply, with the same
typed errors: `Timeout` (no answer in time), `Unavailable` (refused, reset, closed, or the
server busy), `AuthError` (401/403). Independent calls run in parallel, each on a
connection of its own, at most `size` at once (sqld answers 429 past its own limit of
concurrent requests); idle connections are kept for reuse (keep-alive).

Hand-written on the standard library rather than httpx: on loopback sqld (`make bench`,
"HTTP transports") httpx took 2-3× as long per call, sync and async, and its async
client served a small fraction of the requests per second at 50 concurrent callers.
The protocol needs only POST with a known length, so the client is small.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import ssl
import threading
from typing import Any
from urllib.parse import urlsplit

from libsqlkit._errors import Timeout, Unavailable
from libsqlkit._hrana import PIPELINE, status_error

__all__ = ["AsyncHttpPool", "HttpPool"]

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 256 * 1024 * 1024  # sqld refuses responses over 10 MB; a bound all the same


class _Target:
    """Where requests go and with which headers (the token is only ever in `headers`)."""

    def __init__(self, base_url: str, token: str | None, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.where = f"{self.host}:{self.port}"
        self.timeout = timeout
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.with_token = token is not None
        self.sent = 0  # requests, for the round-trip counts of reports and benchmarks
        self._counting = threading.Lock()

    def payload(self, body: dict[str, Any]) -> bytes:
        with self._counting:
            self.sent += 1
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()

    def reply(self, status: int, text: bytes) -> dict[str, Any]:
        if status != 200:
            raise status_error(status, text, with_token=self.with_token)
        decoded: dict[str, Any] = json.loads(text)
        return decoded


_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class HttpPool:
    """Sync transport: one `http.client` connection per concurrent caller, kept alive."""

    def __init__(self, base_url: str, token: str | None, *, timeout: float, size: int) -> None:
        self._target = _Target(base_url, token, timeout)
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)

    def __repr__(self) -> str:
        return f"HttpPool({'https' if self._target.https else 'http'}://{self._target.where})"

    @property
    def round_trips(self) -> int:
        return self._target.sent

    def _new(self) -> http.client.HTTPConnection:
        t = self._target
        if t.https:
            return http.client.HTTPSConnection(
                t.host, t.port, timeout=t.timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(t.host, t.port, timeout=t.timeout)

    def _take(self) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self._new(), False

    def _give(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._idle.append(connection)

    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        t = self._target
        if not self._slots.acquire(timeout=t.timeout):
            raise Timeout(f"no connection to {t.where} came free within {t.timeout:g} s")
        try:
            return self._post(t.payload(body))
        finally:
            self._slots.release()

    def _post(self, payload: bytes) -> dict[str, Any]:
        t = self._target
        for attempt in (1, 2):
            connection, reused = self._take()
            try:
                connection.request("POST", PIPELINE, body=payload, headers=t.headers)
                response = connection.getresponse()
                text = response.read()
            except TimeoutError:
                connection.close()
                raise Timeout(f"{t.where} did not answer within {t.timeout:g} s") from None
            except _STALE as exc:
                connection.close()
                # Most often a kept-alive connection the server closed while idle, before it
                # read this request: sent once more on a new connection. (A server dying
                # after running it would look the same; its retry then fails as Unavailable,
                # or as a unique violation for an insert that did land.)
                if reused and attempt == 1:
                    continue
                raise Unavailable(f"{t.where} closed the connection: {exc}") from None
            except OSError as exc:
                connection.close()
                raise Unavailable(f"cannot reach {t.where}: {exc.strerror or exc}") from None
            if response.will_close:
                connection.close()
            else:
                self._give(connection)
            return t.reply(response.status, text)
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


class _Closed(Exception):
    """The server closed a kept-alive connection before answering."""


class AsyncHttpPool:
    """Async transport: the same, on asyncio streams; a wait never blocks the loop."""

    def __init__(self, base_url: str, token: str | None, *, timeout: float, size: int) -> None:
        self._target = _Target(base_url, token, timeout)
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(size)
        t = self._target
        head = [f"POST {PIPELINE} HTTP/1.1", f"Host: {t.host}:{t.port}"]
        head += [f"{name}: {value}" for name, value in t.headers.items()]
        self._head = ("\r\n".join(head) + "\r\nContent-Length: ").encode("latin-1")

    def __repr__(self) -> str:
        return f"AsyncHttpPool({'https' if self._target.https else 'http'}://{self._target.where})"

    @property
    def round_trips(self) -> int:
        return self._target.sent

    async def _new(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        t = self._target
        context = ssl.create_default_context() if t.https else None
        return await asyncio.open_connection(
            t.host, t.port, ssl=context, server_hostname=t.host if t.https else None
        )

    async def post(self, body: dict[str, Any]) -> dict[str, Any]:
        t = self._target
        try:
            await asyncio.wait_for(self._slots.acquire(), t.timeout)
        except TimeoutError:
            raise Timeout(f"no connection to {t.where} came free within {t.timeout:g} s") from None
        try:
            return await self._post(t.payload(body))
        finally:
            self._slots.release()

    async def _post(self, payload: bytes) -> dict[str, Any]:
        t = self._target
        request = self._head + b"%d\r\n\r\n" % len(payload) + payload
        for attempt in (1, 2):
            reused = bool(self._idle)
            try:
                async with asyncio.timeout(t.timeout):
                    reader, writer = self._idle.pop() if reused else await self._new()
                    try:
                        writer.write(request)
                        status, text, keep = await _response(reader)
                    except BaseException:
                        writer.close()
                        raise
            except TimeoutError:
                raise Timeout(f"{t.where} did not answer within {t.timeout:g} s") from None
            except (_Closed, ConnectionResetError, BrokenPipeError) as exc:
                if reused and attempt == 1:
                    continue  # a kept-alive connection the server closed while idle
                raise Unavailable(f"{t.where} closed the connection: {exc}") from None
            except OSError as exc:
                raise Unavailable(f"cannot reach {t.where}: {exc.strerror or exc}") from None
            if keep:
                self._idle.append((reader, writer))
            else:
                writer.close()
            return t.reply(status, text)
        raise AssertionError("unreachable")

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for _, writer in idle:
            writer.close()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the connection stays open, of one HTTP/1.1 response."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            raise _Closed("no response") from None
        raise _Closed("the response was cut short") from None
    except asyncio.LimitOverrunError:
        raise Unavailable("the server sent a malformed response (headers too long)") from None
    if len(head) > MAX_HEADER_BYTES:
        raise Unavailable("the server sent a malformed response (headers too long)")
    lines = head.decode("latin-1").split("\r\n")
    try:
        version, code = lines[0].split(" ", 2)[:2]
        status = int(code)
    except ValueError:
        raise Unavailable(f"the server sent a malformed status line: {lines[0][:80]!r}") from None
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
    try:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return status, await _chunked(reader), keep
        length = int(headers.get("content-length", "-1"))
        if length < 0:  # the body runs until the server closes
            return status, await reader.read(MAX_BODY_BYTES), False
        if length > MAX_BODY_BYTES:
            raise Unavailable(f"the server sent a response of {length} bytes")
        return status, await reader.readexactly(length), keep
    except asyncio.IncompleteReadError:
        raise _Closed("the response was cut short") from None


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0], 16)
        except ValueError:
            raise Unavailable("the server sent a malformed chunked response") from None
        if size == 0:
            await _trailer(reader)
            return b"".join(parts)
        total += size
        if total > MAX_BODY_BYTES:
            raise Unavailable("the server sent a response over the size bound")
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


async def _trailer(reader: asyncio.StreamReader) -> None:
    while (await reader.readuntil(b"\r\n")) != b"\r\n":
        pass
