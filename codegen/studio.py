"""`make studio`: browse (and, with --write, edit) the database in Datasette.

Datasette does the web UI; this module only tells it what schema.yaml knows: table and
column descriptions, facets on enum columns, canned queries for the declared finders,
and (through codegen.studio_plugin) dates for timestamps, readable JSON, marked
soft-deleted rows and validated edits. A remote database is served from a local
read-only replica, synced at start and on demand. `StudioGuard` wraps the whole web app
so that only the studio's own loopback pages can read it or change anything.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from itsdangerous import BadSignature, URLSafeSerializer

from codegen.ir import QueryIR, SchemaIR, TableIR
from libsqlkit import Database, Schema, connect
from libsqlkit._changelog import ROWS, STATE
from libsqlkit._migrate import TRACKING
from libsqlkit._url import database_url, file_path, url_scheme

__all__ = ["StudioGuard", "StudioState", "loopback_hosts", "metadata", "open_studio_database"]

DATABASE = "app"
REFRESH_PATH = "/-/studio/refresh"


@dataclass
class StudioState:
    """What the plugin needs while serving."""

    schema: SchemaIR
    db: Database
    source_url: str
    write: bool
    replica: bool
    synced_at: datetime | None = None
    tables: dict[str, TableIR] = field(default_factory=dict)

    def sync(self) -> None:
        self.db.sync()
        self.synced_at = datetime.now(UTC)


def _canned_sql(table: TableIR, query: QueryIR) -> str:
    where = [f"`{c}` = :{c}" for c in query.where]
    if table.soft_delete and not query.include_deleted:
        where.append(f"`{table.soft_delete}` IS NULL")
    text = f"SELECT * FROM `{table.name}` WHERE {' AND '.join(where)}"
    if query.order_by:
        text += " ORDER BY " + ", ".join(f"`{c}` {d}" for c, d in query.order_by)
    if query.kind == "one":
        text += " LIMIT 1"
    elif query.limit:
        text += f" LIMIT {query.limit}"
    return text


def _column_description(table: TableIR, name: str) -> str:
    column = table.column(name)
    parts = [column.sql_type + (f" ({column.mode})" if column.mode else "")]
    if column.enum:
        parts.append("one of " + ", ".join(column.enum))
    if column.is_timestamp:
        parts.append("shown as a UTC date")
    if column.not_null:
        parts.append("not null")
    if column.description:
        parts.append(column.description)
    if name == table.soft_delete:
        parts.append("set = soft-deleted")
    return "; ".join(parts)


def metadata(state: StudioState) -> dict[str, Any]:
    origin = (
        f"Read-only replica of {escape(_redacted(state.source_url))}, synced at start; "
        f'<a href="{REFRESH_PATH}">sync it again</a>.'
        if state.replica
        else escape(state.source_url)
    )
    mode = (
        "Writes enabled: edit a row from its id (validated like the repositories)."
        if state.write
        else "Read-only."
    )
    tables: dict[str, Any] = {}
    queries: dict[str, Any] = {}
    for table in state.schema.tables:
        description = table.description or ""
        if table.soft_delete:
            description += (
                f" Soft-deleted rows have {table.soft_delete} set (marked [deleted]); hide them with the filter "
                f"{table.soft_delete} is null, or the canned query {table.name}_live."
            )
            queries[f"{table.name}_live"] = {
                "sql": f"SELECT * FROM `{table.name}` WHERE `{table.soft_delete}` IS NULL",
                "title": f"{table.name} without soft-deleted rows",
            }
        tables[table.name] = {
            "description": description.strip(),
            "columns": {c.name: _column_description(table, c.name) for c in table.columns},
            "facets": [c.name for c in table.columns if c.enum],
            "label_column": table.primary_key.name,
        }
        timestamps = [c.name for c in table.columns if c.name == "created_at" and c.is_timestamp]
        if timestamps:
            tables[table.name]["sort_desc"] = timestamps[0]
        for query in table.queries:
            if query.kind in ("one", "many"):
                queries[f"{table.name}_{query.name}"] = {
                    "sql": _canned_sql(table, query),
                    "title": f"{table.model}Repository.{query.name}",
                    "description": query.description or "",
                }
    for internal in (TRACKING, STATE, ROWS):  # bookkeeping of migrations and sync
        tables[internal] = {"hidden": True}
    description = f"{origin} {mode}"
    return {
        "title": "libsqlkit studio",
        "description_html": description,
        "databases": {
            DATABASE: {"description_html": description, "tables": tables, "queries": queries}
        },
    }


def _redacted(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//", url)


def open_studio_database(url: str | None, *, auth_token: str | None) -> tuple[Database, Path, bool]:
    """(client, file to serve, is a replica). A remote URL gets a local replica."""
    target = database_url(url)
    if url_scheme(target) == "file":
        path = Path(file_path(target))
        if not path.exists():
            raise FileNotFoundError(f"{target}: no such database file (run `make generate` first)")
        return connect(Schema((), ()), target), path, False
    folder = Path(tempfile.mkdtemp(prefix="libsqlkit-studio-"))
    replica = folder / "replica.db"
    db = connect(Schema((), ()), f"file:{replica}", sync_url=target, auth_token=auth_token)
    return db, replica, True


# The guard. Datasette's own CSRF check (asgi-csrf) lets through any request that carries
# no cookie at all, and Datasette answers whatever Host a request names; a page on another
# site could then post edits, or read data through DNS rebinding. The guard stands in
# front of every route, Datasette's and the plugin's alike.

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
