"""The studio's front door: an ASGI middleware around Datasette's whole web app.

Datasette's own CSRF check (asgi-csrf) lets through any request that carries no cookie at
all, and Datasette answers whatever Host a request names; a page on another site could
then post edits, or read data through DNS rebinding. The guard stands in front of every
route, Datasette's and the studio plugin's alike.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from itsdangerous import BadSignature, URLSafeSerializer

__all__ = ["CSRF_FIELD", "MAX_FORM_BYTES", "StudioGuard", "loopback_hosts"]

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 8 * 1024 * 1024
CSRF_FIELD = "csrftoken"
CSRF_NAMESPACE = "csrftoken"  # what asgi-csrf signs its tokens with, under Datasette's secret


def loopback_hosts(port: int) -> frozenset[str]:
    """The Host header values of a studio on this port (a browser omits the port 80)."""
    names = ("127.0.0.1", "localhost", "[::1]")
    return frozenset(f"{name}:{port}" for name in names) | (
        frozenset(names) if port == 80 else frozenset()
    )


class Refused(Exception):
    """A request the guard answers itself, with this status and reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    async def answer(self, send: Send) -> None:
        body = f"{self.reason}\n".encode()
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _headers(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope["headers"] if key == name]


@dataclass(frozen=True)
class StudioGuard:
    """ASGI middleware: answers only requests addressed to the studio's own loopback
    origin, and lets a state-changing request through only from the studio's own page.

    Every request must name a loopback Host with the studio's port (400 otherwise).
    Every method but GET, HEAD and OPTIONS must also come from the same origin (its Origin,
    or without one its Referer) and carry, as the `csrftoken` field of a form, a token
    signed with `secret` (Datasette's, which asgi-csrf signs the pages' tokens with), 403
    otherwise. With a cookie, asgi-csrf inside Datasette checks the token against it too.
    """

    app: ASGIApp
    port: int
    secret: str

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return  # the studio speaks plain HTTP only (uvicorn refuses the websocket)
        try:
            host = self._host(scope)
            if scope["method"] not in SAFE_METHODS:
                self._same_origin(scope, host)
                body = await self._form_body(scope, receive)
                if body is None:
                    return  # the client went away mid-body: nothing to answer
                self._token(body)
                receive = _replay(body, receive)
        except Refused as refusal:
            await refusal.answer(send)
            return
        await self.app(scope, receive, send)

    def _host(self, scope: Scope) -> str:
        allowed = loopback_hosts(self.port)
        named = _headers(scope, b"host")
        if len(named) != 1 or named[0].lower() not in allowed:
            raise Refused(
                400,
                "refused: this studio answers only at "
                + ", ".join(f"http://{host}" for host in sorted(allowed))
                + "; the request named another host (a DNS-rebinding page, or a proxy)",
            )
        return named[0].lower()

    def _same_origin(self, scope: Scope, host: str) -> None:
        origins = _headers(scope, b"origin")
        referers = _headers(scope, b"referer")
        if origins:
            claimed = origins[0]
        elif referers:
            parts = urlsplit(referers[0])
            claimed = f"{parts.scheme}://{parts.netloc}"
        else:
            claimed = ""
        if len(origins) > 1 or claimed.lower() != f"http://{host}":
            raise Refused(
                403,
                f"refused, nothing was changed: a {scope['method']} must come from the "
                f"studio's own page at http://{host}, and its Origin (or Referer) named "
                "another site, or none",
            )

    async def _form_body(self, scope: Scope, receive: Receive) -> bytes | None:
        content_type = (_headers(scope, b"content-type") or [""])[0]
        if content_type.partition(";")[0].strip().lower() != FORM:
            raise Refused(
                403,
                f"refused, nothing was changed: a {scope['method']} must be a form "
                f"({FORM}) carrying the page's {CSRF_FIELD}",
            )
        too_large = Refused(
            413, f"refused, nothing was changed: a form may hold {MAX_FORM_BYTES} bytes at most"
        )
        declared = _headers(scope, b"content-length")
        if declared and declared[0].isdigit() and int(declared[0]) > MAX_FORM_BYTES:
            raise too_large
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            body += message.get("body", b"")
            if len(body) > MAX_FORM_BYTES:
                raise too_large
            if not message.get("more_body", False):
                return bytes(body)

    def _token(self, body: bytes) -> None:
        # latin-1 never fails, and parse_qs decodes the %-escapes (the token is ASCII).
        tokens = parse_qs(body.decode("latin-1")).get(CSRF_FIELD, [])
        if len(tokens) != 1 or not self._signed(tokens[0]):
            raise Refused(
                403,
                f"refused, nothing was changed: the form carries no valid {CSRF_FIELD} "
                "(a page of another site, or of an earlier run of the studio: reload the "
                "page and submit again)",
            )

    def _signed(self, token: str) -> bool:
        try:
            URLSafeSerializer(self.secret, CSRF_NAMESPACE).loads(token)
        except BadSignature:
            return False
        return True


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app the body the guard already read, then the client's."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed
