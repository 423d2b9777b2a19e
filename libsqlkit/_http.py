"""HTTP/1.1 transports for Hrana pipelines: pooled keep-alive connections, bounded waits.

Both carry a JSON body to `/v2/pipeline` and bring back the parsed reply, with the same
typed errors: `Timeout` (no answer in time), `Unavailable` (refused, reset, closed, or the
server busy), `AuthError` (401/403). Independent calls run in parallel, each on a
connection of its own, at most `size` at once (sqld answers 429 past its own limit of
concurrent requests); idle connections are kept for reuse (keep-alive).

A request is sent again only when that cannot apply it twice: an idle connection the
server has closed is dropped before anything is written to it, and a request that was
written and then lost (reset, closed, no answer in time) is sent again only when the
caller says it is `idempotent` (an autocommit read). A write is never sent twice: its
error says that it may have been applied.

Hand-written on the standard library rather than httpx: on loopback sqld (`make bench`,
"HTTP transports") httpx took 2-3× as long per call, sync and async, and its async
client served a small fraction of the requests per second at 50 concurrent callers.
The protocol needs only POST with a known length, so the client is small.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import select
import ssl
import threading
from typing import Any
from urllib.parse import urlsplit

from pydantic_core import PydanticSerializationError, from_json, to_json

from libsqlkit._errors import Timeout, Unavailable
from libsqlkit._hrana import PIPELINE, status_error

__all__ = ["AsyncHttpPool", "HttpPool"]

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 256 * 1024 * 1024  # sqld refuses responses over 10 MB; a bound all the same
MAYBE_APPLIED = "it may have been applied, so it was not sent again"


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
        """The body as JSON, in Rust (a fifth of `json.dumps`'s time); a body no UTF-8 can
        carry (SQL with a lone surrogate) raises `json`'s own error, as it always has."""
        try:
            return to_json(body)
        except PydanticSerializationError:
            return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()

    def count(self) -> None:
        """A request goes out on an open connection (a refused connection sends none)."""
        with self._counting:
            self.sent += 1

    def reply(self, status: int, text: bytes) -> dict[str, Any]:
        if status != 200:
            raise status_error(status, text, with_token=self.with_token)
        decoded: dict[str, Any] = from_json(text, cache_strings="keys")
        return decoded

    def no_connection(self) -> str:
        return f"no connection to {self.where} came free within {self.timeout:g} s"

    def lost(self, problem: str, *, idempotent: bool) -> str:
        """The message for a request written and then lost: a write may have landed."""
        return problem if idempotent else f"{problem}; {MAYBE_APPLIED}"


_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def _readable_now(sock: Any) -> bool:
    """Whether a socket has something to read (or its end) right now, without waiting;
    poll, not select, which refuses descriptors past 1023 (a busy server has them)."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def _closed_while_idle(connection: http.client.HTTPConnection) -> bool:
    """An idle kept-alive socket with something to read has been closed by the server
    (or holds bytes nobody asked for): never write a request to it."""
    sock = connection.sock
    return sock is None or _readable_now(sock)


def _connect(connection: http.client.HTTPConnection, target: _Target) -> None:
    """Open a new connection: nothing has been sent yet, whatever goes wrong here."""
    try:
        connection.connect()
    except TimeoutError:
        connection.close()
        raise Timeout(f"could not connect to {target.where} within {target.timeout:g} s") from None
    except OSError as exc:
        connection.close()
        raise Unavailable(f"cannot reach {target.where}: {exc.strerror or exc}") from None


def _stream_slots(size: int) -> int:
    """How many streams (transactions) may hold a connection at once.

    A stream holds one from its first request to its end. Otherwise the requests that
    wait on the server for its write lock (a BEGIN IMMEDIATE, held open by sqld) could
    take every connection, and the lock's holder could not send its next statement or
    its COMMIT until the server timed it out. One connection stays for calls outside
    transactions, so that reads never wait behind them.
    """
    return max(1, size - 1)


class HttpPool:
    """Sync transport: one `http.client` connection per concurrent caller, kept alive."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        timeout: float,
        size: int,
    ) -> None:
        self._target = _Target(base_url, token, timeout)
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._streams = threading.BoundedSemaphore(_stream_slots(size))

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
        while True:
            with self._lock:
                if not self._idle:
                    return self._new(), False
                connection = self._idle.pop()
            if not _closed_while_idle(connection):
                return connection, True
            connection.close()

    def _give(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._idle.append(connection)

    def hold(self) -> None:
        """Keep a connection for a stream until `let_go()` (see `_stream_slots`)."""
        t = self._target
        if not self._streams.acquire(timeout=t.timeout):
            raise Timeout(t.no_connection())
        if not self._slots.acquire(timeout=t.timeout):
            self._streams.release()
            raise Timeout(t.no_connection())

    def let_go(self) -> None:
        self._slots.release()
        self._streams.release()

    def post(
        self, body: dict[str, Any], *, idempotent: bool = False, held: bool = False
    ) -> dict[str, Any]:
        """Send one pipeline; `idempotent` (an autocommit read) may be sent twice; `held`:
        on the connection the caller holds."""
        t = self._target
        if held:
            return self._post(t.payload(body), idempotent)
        if not self._slots.acquire(timeout=t.timeout):
            raise Timeout(t.no_connection())
        try:
            return self._post(t.payload(body), idempotent)
        finally:
            self._slots.release()

    def _post(self, payload: bytes, idempotent: bool) -> dict[str, Any]:
        t = self._target
        for attempt in (1, 2):
            connection, reused = self._take()
            if not reused:
                _connect(connection, t)
            t.count()
            try:
                connection.request("POST", PIPELINE, body=payload, headers=t.headers)
                response = connection.getresponse()
                text = response.read()
            except TimeoutError:
                connection.close()
                problem = f"{t.where} did not answer within {t.timeout:g} s"
                raise Timeout(t.lost(problem, idempotent=idempotent)) from None
            except _STALE as exc:
                connection.close()
                # A kept-alive connection closed in the instant between the check and the
                # request, or a server that died while running it: a read is sent once
                # more on a new connection, a write is not (it may have been applied).
                if reused and attempt == 1 and idempotent:
                    continue
                problem = f"{t.where} closed the connection: {exc}"
                raise Unavailable(t.lost(problem, idempotent=idempotent)) from None
            except OSError as exc:
                connection.close()
                problem = f"lost the connection to {t.where}: {exc.strerror or exc}"
                raise Unavailable(t.lost(problem, idempotent=idempotent)) from None
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

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        timeout: float,
        size: int,
    ) -> None:
        self._target = _Target(base_url, token, timeout)
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(size)
        self._streams = asyncio.Semaphore(_stream_slots(size))
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
        """Open a new connection: nothing has been sent yet, whatever goes wrong here."""
        t = self._target
        context = ssl.create_default_context() if t.https else None
        try:
            async with asyncio.timeout(t.timeout):
                return await asyncio.open_connection(
                    t.host, t.port, ssl=context, server_hostname=t.host if t.https else None
                )
        except TimeoutError:
            raise Timeout(f"could not connect to {t.where} within {t.timeout:g} s") from None
        except OSError as exc:
            raise Unavailable(f"cannot reach {t.where}: {exc.strerror or exc}") from None

    async def _acquire(self, semaphore: asyncio.Semaphore) -> None:
        """A slot, within the timeout. A free one is taken at once: `wait_for` would wrap
        the acquire in a task of its own, one more turn of the loop for every call."""
        if not semaphore.locked():
            await semaphore.acquire()  # returns without suspending while a slot is free
            return
        t = self._target
        try:
            await asyncio.wait_for(semaphore.acquire(), t.timeout)
        except TimeoutError:
            raise Timeout(t.no_connection()) from None

    async def hold(self) -> None:
        """Keep a connection for a stream until `let_go()` (see `_stream_slots`)."""
        await self._acquire(self._streams)
        try:
            await self._acquire(self._slots)
        except BaseException:
            self._streams.release()
            raise

    def let_go(self) -> None:
        self._slots.release()
        self._streams.release()

    async def post(
        self, body: dict[str, Any], *, idempotent: bool = False, held: bool = False
    ) -> dict[str, Any]:
        """Send one pipeline; `idempotent` (an autocommit read) may be sent twice; `held`:
        on the connection the caller holds."""
        t = self._target
        if held:
            return await self._post(t.payload(body), idempotent)
        await self._acquire(self._slots)
        try:
            return await self._post(t.payload(body), idempotent)
        finally:
            self._slots.release()

    def _take_idle(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        """A kept-alive connection the server has not closed, if there is one. The socket
        itself is asked: the loop may not have had a turn to see the server's close since
        (a call that finds a free slot does not wait for one)."""
        while self._idle:
            reader, writer = self._idle.pop()
            sock = writer.get_extra_info("socket")
            if not (reader.at_eof() or writer.is_closing() or sock is None or _readable_now(sock)):
                return reader, writer
            writer.close()
        return None

    async def _post(self, payload: bytes, idempotent: bool) -> dict[str, Any]:
        t = self._target
        request = self._head + b"%d\r\n\r\n" % len(payload) + payload
        for attempt in (1, 2):
            idle = self._take_idle()
            reader, writer = idle if idle is not None else await self._new()
            t.count()
            try:
                async with asyncio.timeout(t.timeout):
                    try:
                        writer.write(request)
                        status, text, keep = await _response(reader)
                    except BaseException:
                        writer.close()
                        raise
            except TimeoutError:
                problem = f"{t.where} did not answer within {t.timeout:g} s"
                raise Timeout(t.lost(problem, idempotent=idempotent)) from None
            except (_Closed, ConnectionResetError, BrokenPipeError) as exc:
                if idle is not None and attempt == 1 and idempotent:
                    continue  # see HttpPool._post
                problem = f"{t.where} closed the connection: {exc}"
                raise Unavailable(t.lost(problem, idempotent=idempotent)) from None
            except OSError as exc:
                problem = f"lost the connection to {t.where}: {exc.strerror or exc}"
                raise Unavailable(t.lost(problem, idempotent=idempotent)) from None
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
