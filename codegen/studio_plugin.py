"""The Datasette plugin of `libsqlkit studio`: how cells look, and validated edits.

Registered by codegen.studio with the state it serves; it reads `STATE`.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any, TypeVar

from datasette import hookimpl as datasette_hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup
from pydantic import ValidationError

from libsqlkit import LibsqlKitError

from .ir import ColumnIR, TableIR
from .studio import DATABASE, REFRESH_PATH, StudioState
from .studio_guard import CSRF_FIELD

F = TypeVar("F", bound=Callable[..., Any])

STATE: StudioState | None = None


def hookimpl(function: F) -> F:
    """Datasette's hook marker, which is untyped, with the function's own type kept."""
    marked: F = datasette_hookimpl(function)
    return marked


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_CSS = """
pre.studio-json { margin: 0; font-size: 0.85em; white-space: pre-wrap; }
.studio-deleted { color: #a00; }
.studio-error { color: #a00; font-weight: bold; }
form.studio-edit label { display: block; margin-top: 0.6em; font-weight: bold; }
form.studio-edit input, form.studio-edit textarea { width: 40em; }
"""


def _column(table: str, name: str) -> tuple[TableIR, ColumnIR] | None:
    if STATE is None or table not in STATE.tables:
        return None
    found = STATE.tables[table]
    for column in found.columns:
        if column.name == name:
            return found, column
    return None


def _date(column: ColumnIR, value: float) -> str:
    moment = EPOCH + (
        timedelta(milliseconds=value) if column.mode == "timestamp_ms" else timedelta(seconds=value)
    )
    return moment.isoformat(sep=" ").replace("+00:00", " UTC")


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str) -> Markup | None:
    if database != DATABASE or table is None or value is None:
        return None
    found = _column(table, column)
    if found is None:
        return None
    owner, spec = found
    if spec.is_timestamp and isinstance(value, int | float):
        text = escape(_date(spec, value))
        if column == owner.soft_delete:
            return Markup(f'<span class="studio-deleted" title="{value}">[deleted] {text}</span>')
        return Markup(f'<span title="{value}">{text}</span>')
    if spec.is_json and isinstance(value, str):
        try:
            pretty = json.dumps(json.loads(value), indent=2, ensure_ascii=False)
        except ValueError:
            return None
        return Markup(f'<pre class="studio-json">{escape(pretty)}</pre>')
    if spec.primary_key and STATE is not None and STATE.write:
        return Markup(
            f'<a href="{_row_path(owner, str(value))}">{escape(str(value))}</a> '
            f'<a href="{_edit_path(owner, str(value))}">(edit)</a>'
        )
    return None


def _row_path(table: TableIR, key: str) -> str:
    """The row's page. Datasette's tilde encoding leaves no `/`, `?`, `#`, `%` or `.` in a
    key's path segment, so the browser and the router give back the key unchanged."""
    return f"/{DATABASE}/{table.name}/{tilde_encode(key)}"


def _edit_path(table: TableIR, key: str) -> str:
    """The row's edit form, its key encoded as for `_row_path` (`_edit` decodes it)."""
    return f"/-/studio/edit/{table.name}/{tilde_encode(key)}"


def _page(title: str, body: str, *, status: int = 200) -> Response:
    """A studio page; `title` is escaped here, `body` must already be."""
    return Response.html(
        f"<!DOCTYPE html><html><head><title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="/-/studio/studio.css"></head><body>'
        f"<h1>{escape(title)}</h1>{body}</body></html>",
        status=status,
    )


def _token_field(request: Any) -> str:
    """The hidden field that StudioGuard (and asgi-csrf) require in every form post."""
    return (
        f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(request.scope["csrftoken"]())}">'
    )


@hookimpl
def extra_css_urls() -> list[str]:
    return ["/-/studio/studio.css"]


async def _css(request: Any, datasette: Any) -> Response:
    return Response(_CSS, content_type="text/css")


async def _refresh(request: Any, datasette: Any) -> Response:
    """GET shows the button; only its POST pulls, so no link or image can trigger a sync."""
    if STATE is None or not STATE.replica:
        return Response.text("refresh applies to a replica of a remote database", status=400)
    if request.method == "POST":
        STATE.sync()
        return Response.redirect(f"/{DATABASE}")
    synced = (
        f"last synced at {STATE.synced_at.isoformat(sep=' ', timespec='seconds')}"
        if STATE.synced_at
        else "synced when the studio started"
    )
    return _page(
        "Sync the replica",
        f"<p>The studio shows a local replica of the remote database, {escape(synced)}.</p>"
        f'<form method="post">{_token_field(request)}'
        f'<button type="submit">Pull the remote changes now</button></form>',
    )


def _shown(column: ColumnIR, value: Any) -> str:
    """A stored value as the edit form shows it."""
    if value is None:
        return ""
    if column.is_timestamp:
        return (
            EPOCH
            + (
                timedelta(milliseconds=value)
                if column.mode == "timestamp_ms"
                else timedelta(seconds=value)
            )
        ).isoformat()
    if column.mode == "boolean":
        return "true" if value == 1 else "false"
    return str(value)


def _parsed(column: ColumnIR, text: str) -> Any:
    """A form field as the update model takes it; pydantic does the checking."""
    if text == "":
        return None
    if column.is_json:
        return json.loads(text)
    return text


async def _edit(request: Any, datasette: Any) -> Response:
    if STATE is None or not STATE.write:
        return Response.text(
            "the studio is read-only: start it with --write (libsqlkit studio --write) to edit",
            status=403,
        )
    table_name = request.url_vars["table"]
    key = tilde_decode(request.url_vars["pk"])
    table = STATE.tables.get(table_name)
    if table is None:
        return Response.text(f"no table {table_name}", status=404)
    repository = getattr(STATE.repositories, table.repository)(STATE.db)
    update_model = getattr(STATE.models, table.update_model)
    rows = STATE.db.execute(
        f"SELECT * FROM `{table.name}` WHERE `{table.primary_key.name}` = ?", (key,)
    )
    if not rows:
        return Response.text(f"no {table.name} row {key}", status=404)
    current = {c.name: _shown(c, v) for c, v in zip(table.columns, rows[0], strict=True)}
    message = ""
    if request.method == "POST":
        form = await request.post_vars()
        changes = {
            c.name: form.get(c.name, "")
            for c in table.columns
            if not c.primary_key and form.get(c.name, "") != current[c.name]
        }
        try:
            update = update_model.model_validate(
                {n: _parsed(table.column(n), v) for n, v in changes.items()}
            )
            repository.update(key, update)
        except ValidationError as exc:
            message = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {reprlib.repr(e['input'])})"
                for e in exc.errors()
            )
        except (ValueError, LibsqlKitError) as exc:
            message = str(exc)
        else:
            return Response.redirect(_row_path(table, key))
        current.update(changes)
    fields = "".join(
        f'<label for="{c.name}">{escape(c.name)}</label>'
        + (
            f'<textarea id="{c.name}" name="{c.name}" rows="4">{escape(current[c.name])}</textarea>'
            if c.is_json
            else f'<input id="{c.name}" name="{c.name}" value="{escape(current[c.name])}">'
        )
        for c in table.columns
        if not c.primary_key
    )
    error = (
        f'<p class="studio-error">Refused, nothing was written: {escape(message)}</p>'
        if message
        else ""
    )
    return _page(
        f"Edit {table.name} {key}",
        f'{error}<form class="studio-edit" method="post">{_token_field(request)}'
        f'{fields}<p><button type="submit">Save</button></p></form>',
        status=400 if message else 200,
    )


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/studio/studio\.css$", _css),
        (rf"^{REFRESH_PATH}$", _refresh),
        (r"^/-/studio/edit/(?P<table>\w+)/(?P<pk>[^/]+)$", _edit),
    ]
