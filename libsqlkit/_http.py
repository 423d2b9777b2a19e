"""HTTP/1.1 transports for Hrana pipelines: pooled keep-alive connections, bounded waits.

Both carry a JSON body to `/v2/pipeline` and bring back the parsed reply, with the same
typed errors: `Timeout` (no answer in time), `Unavailable` (refused, reset, closed, the
server busy, or a reply that is not HTTP or not Hrana), `AuthError` (401/403).
Independent calls run in parallel, each on a connection of its own, at most `size` at
once (sqld answers 429 past its own limit of concurrent requests); idle connections are
kept for reuse (keep-alive).

A request is sent again only when that cannot apply it twice: an idle connection the
server has closed is dropped before anything is written to it, and a request written on
a reused connection that the server then closed or reset is sent once more, on a new
connection, only when the caller says it is `idempotent` (an autocommit read). A request
that got no answer in time is not sent again. A write is never sent twice: its error
says that it may have been applied.

Hand-written on the standard library rather than httpx: on loopback sqld (`make bench`,
"HTTP transports") httpx took 2-3× as long per call, sync and async, and its async
client served a small fraction of the requests per second at 50 concurrent callers.
The protocol needs only POST with a known length, so the client is small: both shells
write one prebuilt request and feed what comes back to one sans-I/O response reader
(`libsqlkit._http_response`), on a socket or on asyncio streams.
"""

from __future__ import annotations

import asyncio
import json
import select
import socket
import ssl
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from pydantic_core import PydanticSerializationError, from_json, to_json

from libsqlkit._errors import ConfigurationError, Timeout, Unavailable
from libsqlkit._hrana import PIPELINE, status_error
from libsqlkit._http_response import Closed, Malformed, Response, ResponseReader

__all__ = ["AsyncHttpPool", "HttpPool"]

MAYBE_APPLIED = "it may have been applied, so it was not sent again"
READ_SIZE = 64 * 1024  # bytes asked of the socket per read; a reply usually comes in one


class _Target:
    """Where requests go and with which headers (the token is only ever in `_head`)."""

    def __init__(self, base_url: str, token: str | None, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        try:
            self.port = parts.port or (443 if self.https else 80)
        except ValueError:
            raise ConfigurationError(f"the database URL has an invalid port: {base_url}") from None
        named = f"[{self.host}]" if ":" in self.host else self.host
        self.where = f"{named}:{self.port}"
        self.timeout = timeout
        lines = [f"POST {PIPELINE} HTTP/1.1", f"Host: {_ascii_host(named)}:{self.port}"]
        lines += ["Content-Type: application/json", "Accept-Encoding: identity"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        self._head = ("\r\n".join(lines) + "\r\nContent-Length: ").encode("ascii")
        self.with_token = token is not None
        self.sent = 0  # requests, for the round-trip counts of reports and benchmarks
        self._counting = threading.Lock()
        self._tls: ssl.SSLContext | None = None

    def request(self, body: dict[str, Any]) -> bytes:
        """The whole request, head and body, to be written at once. The body as JSON, in
        Rust (a fifth of `json.dumps`'s time); a body no UTF-8 can carry (SQL with a lone
        surrogate) raises `json`'s own error, as it always has."""
        try:
            payload = to_json(body)
        except PydanticSerializationError:
            payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        return self._head + b"%d\r\n\r\n" % len(payload) + payload

    def tls(self) -> ssl.SSLContext | None:
        """The TLS context of an https target, made once: loading the CA store takes ms."""
        if self.https and self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls

    def count(self) -> None:
        """A request goes out on an open connection (a refused connection sends none)."""
        with self._counting:
            self.sent += 1

    def reply(self, response: Response, *, idempotent: bool) -> dict[str, Any]:
        if response.status != 200:
            raise status_error(response.status, response.body, with_token=self.with_token)
        try:
            decoded = from_json(response.body, cache_strings="keys")
        except ValueError as exc:
            problem = f"{self.where} answered with a body that is not JSON ({exc})"
            raise Unavailable(_maybe_applied(problem, idempotent)) from None
        if not isinstance(decoded, dict):
            problem = f"{self.where} answered with JSON that is not a Hrana reply"
            raise Unavailable(_maybe_applied(problem, idempotent))
        return decoded

    def could_not_connect(self) -> Timeout:
        return Timeout(f"could not connect to {self.where} within {self.timeout:g} s")

    def unreachable(self, exc: OSError) -> Unavailable:
        return Unavailable(f"cannot reach {self.where}: {exc.strerror or exc}")

    def no_connection(self) -> str:
        return f"no connection to {self.where} came free within {self.timeout:g} s"

    def send_again(
        self, exc: BaseException, *, reused: bool, attempt: int, idempotent: bool
    ) -> bool:
        """Whether a request lost after it was written goes once more, on a new connection:
        a kept-alive connection closed in the instant between the check and the request,
        or a server that died while running it. A read, once; a write never (it may have
        been applied)."""
        return isinstance(exc, _STALE) and reused and attempt == 1 and idempotent

    def lost(self, exc: BaseException, *, idempotent: bool) -> Exception:
        """The error for a request written and then lost: a write may have landed."""
        if isinstance(exc, TimeoutError):
            problem = f"{self.where} did not answer within {self.timeout:g} s"
        elif isinstance(exc, Malformed):
            problem = f"{self.where}: {exc}"
        elif isinstance(exc, (Closed, ConnectionResetError, BrokenPipeError)):
            problem = f"{self.where} closed the connection: {exc}"
        else:
            problem = (
                f"lost the connection to {self.where}: {getattr(exc, 'strerror', None) or exc}"
            )
        message = _maybe_applied(problem, idempotent)
        return Timeout(message) if isinstance(exc, TimeoutError) else Unavailable(message)


def _maybe_applied(problem: str, idempotent: bool) -> str:
    """A problem after the request was written: a write's message says it may have landed."""
    return problem if idempotent else f"{problem}; {MAYBE_APPLIED}"


def _ascii_host(host: str) -> str:
    """The host as the Host header carries it: IDNA for a non-ASCII name; never a control
    character or space, which would end or split the header."""
    try:
        encoded = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ConfigurationError(f"the database URL's host is not a valid name: {host!r}") from None
    if any(not "!" <= char <= "~" for char in encoded):
        raise ConfigurationError(f"the database URL's host is not a valid name: {host!r}")
    return encoded


# What can go wrong once a request is written; of these, `_STALE` may mean only that a
# kept-alive connection was closed under it.
_LOST = (OSError, Malformed, Closed)
_STALE = (Closed, ConnectionResetError, BrokenPipeError)


def _readable_now(sock: Any) -> bool:
    """Whether a socket has something to read (or its end) right now, without waiting;
    poll, not select, which refuses descriptors past 1023 (a busy server has them)."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def _connect(target: _Target) -> socket.socket:
    """Open a new connection (TLS for https): nothing has been sent yet, whatever goes
    wrong here."""
    try:
        sock = socket.create_connection((target.host, target.port), timeout=target.timeout)
    except TimeoutError:
        raise target.could_not_connect() from None
    except OSError as exc:
        raise target.unreachable(exc) from None
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        context = target.tls()
        if context is not None:
            return context.wrap_socket(sock, server_hostname=target.host)
        return sock
    except TimeoutError:
        sock.close()
        raise target.could_not_connect() from None
    except OSError as exc:
        sock.close()
        raise target.unreachable(exc) from None
    except BaseException:
        sock.close()
        raise


def _exchange(sock: socket.socket, request: bytes, timeout: float) -> Response:
    """Write one request and read its response, all within `timeout` (to the ms): the
    socket's timeout bounds the send, and each read waits only for what is left of it
    (set again only once the time left is shorter), so that neither a slow send nor a
    server that trickles bytes holds the caller past it."""
    deadline = time.monotonic() + timeout
    sock.sendall(request)
    reader = ResponseReader()
    left = deadline - time.monotonic()
    while True:
        if left < timeout - 0.001:  # the send or an earlier read waited: what is left
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
        if (response := reader.feed(sock.recv(READ_SIZE))) is not None:
            return response
        left = deadline - time.monotonic()


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
    """Sync transport: one socket per concurrent caller, kept alive."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        timeout: float,
        size: int,
    ) -> None:
        self._target = _Target(base_url, token, timeout)
        self._idle: list[socket.socket] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._streams = threading.BoundedSemaphore(_stream_slots(size))

    def __repr__(self) -> str:
        return f"HttpPool({'https' if self._target.https else 'http'}://{self._target.where})"

    @property
    def round_trips(self) -> int:
        return self._target.sent

    def _take_idle(self) -> socket.socket | None:
        """A kept-alive socket the server has not closed, if there is one: an idle socket
        with something to read has been closed (or holds bytes nobody asked for)."""
        while True:
            with self._lock:
                if not self._idle:
                    return None
                sock = self._idle.pop()
            if not _readable_now(sock):
                return sock
            sock.close()

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
            return self._post(t.request(body), idempotent)
        if not self._slots.acquire(timeout=t.timeout):
            raise Timeout(t.no_connection())
        try:
            return self._post(t.request(body), idempotent)
        finally:
            self._slots.release()

    def _post(self, request: bytes, idempotent: bool) -> dict[str, Any]:
        t = self._target
        for attempt in (1, 2):
            idle = self._take_idle() if attempt == 1 else None  # a retry: a new connection
            sock = idle if idle is not None else _connect(t)
            t.count()
            try:
                try:
                    response = _exchange(sock, request, t.timeout)
                except BaseException:
                    sock.close()
                    raise
            except _LOST as exc:
                if t.send_again(
                    exc, reused=idle is not None, attempt=attempt, idempotent=idempotent
                ):
                    continue
                raise t.lost(exc, idempotent=idempotent) from None
            if response.keep:
                if sock.gettimeout() != t.timeout:  # shortened by a response in pieces
                    sock.settimeout(t.timeout)
                with self._lock:
                    self._idle.append(sock)
            else:
                sock.close()
            return t.reply(response, idempotent=idempotent)
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for sock in idle:
            sock.close()


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

    def __repr__(self) -> str:
        return f"AsyncHttpPool({'https' if self._target.https else 'http'}://{self._target.where})"

    @property
    def round_trips(self) -> int:
        return self._target.sent

    async def _new(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Open a new connection: nothing has been sent yet, whatever goes wrong here."""
        t = self._target
        context = t.tls()
        try:
            async with asyncio.timeout(t.timeout):
                return await asyncio.open_connection(
                    t.host, t.port, ssl=context, server_hostname=t.host if t.https else None
                )
        except TimeoutError:
            raise t.could_not_connect() from None
        except OSError as exc:
            raise t.unreachable(exc) from None

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
            return await self._post(t.request(body), idempotent)
        await self._acquire(self._slots)
        try:
            return await self._post(t.request(body), idempotent)
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

    async def _post(self, request: bytes, idempotent: bool) -> dict[str, Any]:
        t = self._target
        for attempt in (1, 2):
            idle = self._take_idle() if attempt == 1 else None  # a retry: a new connection
            reader, writer = idle if idle is not None else await self._new()
            t.count()
            try:
                async with asyncio.timeout(t.timeout):
                    try:
                        writer.write(request)
                        response = await _response(reader)
                    except BaseException:
                        writer.close()
                        raise
            except _LOST as exc:
                if t.send_again(
                    exc, reused=idle is not None, attempt=attempt, idempotent=idempotent
                ):
                    continue
                raise t.lost(exc, idempotent=idempotent) from None
            if response.keep:
                self._idle.append((reader, writer))
            else:
                writer.close()
            return t.reply(response, idempotent=idempotent)
        raise AssertionError("unreachable")

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for _, writer in idle:
            writer.close()


async def _response(reader: asyncio.StreamReader) -> Response:
    response_reader = ResponseReader()
    while (response := response_reader.feed(await reader.read(READ_SIZE))) is None:
        pass
    return response
