"""Remote libSQL (sqld, Turso): the Hrana v2 pipeline protocol over HTTP, without I/O.

What a request body holds and what a reply means lives here; the sync and async
transports (`_http`) only carry bytes. Why not libsql_experimental for remote calls: it
binds ints as 32-bit, holds the GIL while a hung server never answers (no timeout
possible), and reports every failure as a ValueError. Over plain HTTP every call has a
timeout, integers travel as decimal text (exact 64-bit), floats as exact integer parts,
HTTP status codes tell authentication errors apart, and a batch of statements is one
round trip.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from libsqlkit._drivers import DriverError
from libsqlkit._errors import AuthError, ConfigurationError, Unavailable
from libsqlkit._json_rows import NotJsonRows, json_rows
from libsqlkit._placeholders import PlaceholderError, parameter_count, rewrite
from libsqlkit._plan import Statement
from libsqlkit._rows import Row

__all__ = [
    "BUSY",
    "NON_FINITE",
    "PIPELINE",
    "Exchange",
    "ReplyFacts",
    "StreamState",
    "http_base_url",
    "one_shot",
    "primary_read",
    "reply_facts",
    "status_error",
]

PIPELINE = "/v2/pipeline"
T = TypeVar("T")
Body = dict[str, Any]
# A request body and how to read its reply: what a transport sends and hands back.
Exchange = tuple[Body, Callable[[Body], T]]


def http_base_url(url: str) -> str:
    """`libsql://host` means TLS (https); `http://` and `https://` are taken as given."""
    parts = urlsplit(url)
    scheme = {
        "libsql": "https",
        "https": "https",
        "http": "http",
        "wss": "https",
        "ws": "http",
    }.get(parts.scheme.lower())
    if scheme is None or not parts.hostname:
        raise ConfigurationError(
            f"not a remote database URL: {parts.scheme}://{parts.hostname or ''}"
        )
    if parts.query or parts.fragment or parts.path not in ("", "/"):
        raise ConfigurationError("remote database URLs take no path, query or fragment")
    try:
        port = parts.port
    except ValueError:  # out of range, or not a number
        port = 0
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname  # IPv6
    if port == 0:  # named only by scheme and host: the URL may carry credentials
        raise ConfigurationError(
            f"the remote database URL has an invalid port: {parts.scheme}://{host}"
        )
    if "%" in host:  # an IPv6 zone (fe80::1%25eth0) reaches no server over HTTP here
        raise ConfigurationError(
            f"the remote database URL names an IPv6 zone, which is not supported: {host}"
        )
    return f"{scheme}://{host}" + (f":{port}" if port is not None else "")


# -- values ----------------------------------------------------------------------------


class _NonFinite:
    """A REAL the server holds but cannot send (±infinity, written by another tool)."""

    def __repr__(self) -> str:
        return "<±infinity: the server cannot send this REAL value>"


NON_FINITE = _NonFinite()


def _value(value: object) -> dict[str, Any]:
    # Values that cannot travel exactly (beyond 64 bits, NaN, infinity) never get here:
    # the Database refuses them first (libsqlkit._values).
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "integer", "value": "1" if value else "0"}
    if isinstance(value, int):
        return {"type": "integer", "value": str(value)}
    if isinstance(value, float):
        return {"type": "float", "value": value}
    if isinstance(value, str):
        return {"type": "text", "value": value}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"type": "blob", "base64": base64.b64encode(bytes(value)).decode()}
    raise DriverError(f"cannot bind a {type(value).__name__} value", integrity=False)


def _python(value: dict[str, Any]) -> object:
    kind = value["type"]
    if kind == "integer":
        return int(value["value"])
    if kind == "text":
        return value["value"]
    if kind == "float":
        number = value["value"]
        # sqld sends a stored ±infinity as null: keep it distinguishable from NULL, so
        # that reading it names the column instead of reading NULL.
        return NON_FINITE if number is None else float(number)
    if kind == "blob":
        data: str = value["base64"]
        return base64.b64decode(data + "=" * (-len(data) % 4))
    return None


def _args(params: Sequence[Any]) -> list[dict[str, Any]] | None:
    """`_value` of each parameter, text and integers (the commonest) without the call;
    None if one is a float, which travels another way (`_exact_floats`)."""
    args = []
    for value in params:
        kind = type(value)
        if kind is str:
            args.append({"type": "text", "value": value})
        elif kind is int:
            args.append({"type": "integer", "value": str(value)})
        elif isinstance(value, float):
            return None
        else:
            args.append(_value(value))
    return args


def _stmt(sql: str, params: Sequence[Any]) -> dict[str, Any]:
    args = _args(params)
    if args is None:
        sql, params = _exact_floats(sql, params)
        args = [_value(p) for p in params]
    return {"sql": sql, "args": args, "want_rows": True}


def _exact_floats(sql: str, params: Sequence[Any]) -> tuple[str, list[Any]]:
    """sqld parses JSON float arguments inexactly (a third of random doubles arrived one
    ulp off). So each float travels as integers, an exact mantissa and a power of two,
    multiplied back by SQLite: `(?N * pow(2.0, ?E))`, E a parameter added at the end."""
    try:
        count = parameter_count(sql)
    except PlaceholderError as exc:
        raise DriverError(str(exc), integrity=False) from None
    if count != len(params):
        raise DriverError(
            f"the statement takes {count} parameters, {len(params)} given", integrity=False
        )
    bound = list(params)
    templates = {}
    for index, value in enumerate(params):
        if isinstance(value, float):
            exponent = max(math.frexp(value)[1] - 53, -1074)  # subnormals: 2**-1074 steps
            bound[index] = int(math.ldexp(value, -exponent))  # exact: at most 53 bits
            bound.append(exponent)
            templates[index + 1] = f"(?{{n}} * pow(2.0, ?{len(bound)}))"
    return rewrite(sql, templates), bound


def _stmts(statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """Every statement to run, an executemany expanded into one per parameter row."""
    return [
        _stmt(s.sql, params)
        for s in statements
        for params in (s.rows if s.rows is not None else (s.params,))
    ]


def _rows(result: dict[str, Any]) -> list[Row]:
    # text, null and integer, the commonest values, are taken without the call (text
    # alone saves a quarter of the time, null and integer a quarter of the rest)
    return [
        tuple(
            [
                v["value"]
                if (kind := v["type"]) == "text"
                else None
                if kind == "null"
                else int(v["value"])
                if kind == "integer"
                else _python(v)
                for v in row
            ]
        )
        for row in result["rows"]
    ]


# sqld refuses to answer with more than its response limit (`--max-response-size`,
# 10 MB by default) and says only this.
_TOO_LARGE = "Response is too large"


def _fail(error: dict[str, Any]) -> DriverError:
    message = str(error.get("message", "unknown error"))
    if message.startswith(_TOO_LARGE):
        message += (
            ": the result is larger than the server sends in one answer; read it a chunk "
            "at a time with iter_many() or .iter(db), or in pages with .page(db)"
        )
    return DriverError(message, integrity=" constraint failed" in message)


def _error_text(text: bytes) -> str:
    body = text.decode(errors="replace").strip()
    try:
        parsed = json.loads(body)
    except ValueError:
        return body[:300]
    if isinstance(parsed, dict) and isinstance(parsed.get("message") or parsed.get("error"), str):
        return str(parsed.get("message") or parsed.get("error"))
    return body[:300]


def status_error(status: int, text: bytes, *, with_token: bool) -> Exception:
    """The typed error for a reply that is not 200 (the token is never in it)."""
    detail = _error_text(text)
    if status == 401:
        problem = (
            "the auth token is invalid or expired" if with_token else "the auth token is missing"
        )
        return AuthError(f"{problem} (server said: {detail})")
    if status == 403:
        return AuthError(
            f"the auth token does not allow this (read-only token?) (server said: {detail})"
        )
    if status in (429, 503):
        return Unavailable(
            f"the server is busy ({status}), nothing was done; retry later: {detail}"
        )
    return DriverError(f"server error {status}: {detail}", integrity=False)


# -- batches -----------------------------------------------------------------------------


def _batch(stmts: list[dict[str, Any]], *, transaction: str) -> dict[str, Any]:
    """A conditional batch: each step runs only if the previous one succeeded.

    `own`: wrapped in BEGIN ... COMMIT, with ROLLBACK if anything failed;
    `begin`: opens the caller's transaction with BEGIN IMMEDIATE first;
    `inside`: runs inside the caller's already open transaction.
    """
    steps: list[dict[str, Any]] = []
    if transaction in ("own", "begin"):
        steps.append({"stmt": _BEGIN_IMMEDIATE})
    for stmt in stmts:
        condition = {"type": "ok", "step": len(steps) - 1} if steps else None
        steps.append({"condition": condition, "stmt": stmt})
    if transaction == "own":
        last = len(steps) - 1
        steps.append({"condition": {"type": "ok", "step": last}, "stmt": _COMMIT})
        commit = len(steps) - 1
        steps.append(
            {
                "condition": {"type": "not", "cond": {"type": "ok", "step": commit}},
                "stmt": _ROLLBACK,
            }
        )
    return {"type": "batch", "batch": {"steps": steps}}


# Statements every write batch carries, made once (requests are never changed once made).
_BEGIN_IMMEDIATE = _stmt("BEGIN IMMEDIATE", ())
_COMMIT = _stmt("COMMIT", ())
_ROLLBACK = _stmt("ROLLBACK", ())


BUSY = "database is locked"


def _batch_rows(result: dict[str, Any], count: int, *, transaction: str) -> list[list[Row]]:
    """Rows of the caller's statements; raise the first error any step produced.

    A busy lock is retryable where nothing was done: anywhere in an `own` batch (its
    ROLLBACK undid it) and at the BEGIN of a `begin` batch (the rest never ran)."""
    if result["type"] == "error":
        raise _fail(result["error"])
    batch = result["response"]["result"]
    for step, error in enumerate(batch["step_errors"]):
        if error is not None:
            failure = _fail(error)
            busy = BUSY in str(failure)
            failure.retryable = busy and (transaction == "own" or step == 0)
            raise failure
    first = 0 if transaction == "inside" else 1  # after BEGIN
    return [_rows(r) for r in batch["step_results"][first : first + count]]


def _execute_rows(result: dict[str, Any]) -> list[list[Row]]:
    if result["type"] == "error":
        raise _fail(result["error"])
    return [_rows(result["response"]["result"])]


def _json_read(reply: Body) -> list[list[Row]]:
    """A read of a table's rows as JSON arrays (`_json_rows`); NotJsonRows if one cannot
    be carried so, or if the server refused the JSON form (then the read as written
    says why it fails, if it does)."""
    result = reply["results"][0]
    if result["type"] == "error":
        raise NotJsonRows
    rows = result["response"]["result"]["rows"]
    return [json_rows([row[0]["value"] if row[0]["type"] == "text" else None for row in rows])]


def _split(statements: Sequence[Statement], results: list[list[Row]]) -> list[list[Row]]:
    """Back to one entry per statement: an executemany's runs share one (its rows)."""
    out: list[list[Row]] = []
    position = 0
    for s in statements:
        runs = len(s.rows) if s.rows is not None else 1
        out.append([row for rows in results[position : position + runs] for row in rows])
        position += runs
    return out


def one_shot(
    statements: Sequence[Statement], *, write: bool, replication_index: int | None = None
) -> Exchange[list[list[Row]]]:
    """An autocommit call on a stream of its own, closed by the same request: a read as
    is, a write (or several statements) as one atomic batch that starts with BEGIN
    IMMEDIATE. A plain autocommit write would take the write lock only when it first
    writes, and fail at once with "database is locked" if another stream committed in
    between (SQLite's busy snapshot, which no busy timeout waits out); BEGIN IMMEDIATE
    waits for the lock instead, and a busy batch is retryable as a whole.

    With `replication_index`, a replica runs it only once it has applied the primary's
    log up to that index (sqld waits for it; a primary has every index).
    """
    wait = {} if replication_index is None else {"replication_index": str(replication_index)}
    only = statements[0] if len(statements) == 1 and statements[0].rows is None else None
    as_json = None if write or only is None else only.json_sql
    stmts = _stmts(statements) if as_json is None else [_stmt(as_json, statements[0].params)]
    if len(stmts) == 1 and not write:
        request = {"type": "execute", "stmt": {**stmts[0], **wait}}
        body = {"baton": None, "requests": [request, CLOSE]}
        if as_json is not None:  # a table's rows as JSON arrays (`_json_rows`)
            return body, _json_read
        return body, lambda reply: _split(statements, _execute_rows(reply["results"][0]))

    def read(reply: Body) -> list[list[Row]]:
        return _split(statements, _batch_rows(reply["results"][0], len(stmts), transaction="own"))

    batch = _batch(stmts, transaction="own")
    batch["batch"].update(wait)
    body = {"baton": None, "requests": [batch, CLOSE]}
    return body, read


def primary_read(statements: Sequence[Statement]) -> Exchange[list[list[Row]]]:
    """A read that runs on the primary even when sent to a replica, in one round trip.

    A sqld replica runs a read-only request itself unless it leaves a transaction open:
    then it rolls it back and forwards it, and the rest of that stream, to its primary.
    So a lone deferred BEGIN moves the stream to the primary; the statements and COMMIT
    follow it there. On the primary itself this is an ordinary read transaction (no
    write lock, unlike BEGIN IMMEDIATE).
    """
    stmts = _stmts(statements)
    begin = {"type": "execute", "stmt": _stmt("BEGIN", ())}
    commit = {"type": "execute", "stmt": _COMMIT}
    work = (
        {"type": "execute", "stmt": stmts[0]}
        if len(stmts) == 1
        else _batch(stmts, transaction="inside")
    )

    def read(reply: Body) -> list[list[Row]]:
        opened, result, _ = reply["results"][:3]
        if opened["type"] == "error":
            raise _fail(opened["error"])
        if len(stmts) == 1:
            return _split(statements, _execute_rows(result))
        return _split(statements, _batch_rows(result, len(stmts), transaction="inside"))

    return {"baton": None, "requests": [begin, work, commit, CLOSE]}, read


@dataclass(frozen=True, slots=True)
class ReplyFacts:
    """What a reply says besides rows: the highest replication index any of its results
    carried, and the rows its statements read and wrote, as the server counted them.

    sqld reports 0 rows read and written for a statement a replica forwarded to its
    primary; its changed rows (`affected_row_count`) are counted as written instead.
    """

    replication_index: int | None
    rows_read: int
    rows_written: int


def reply_facts(reply: Body) -> ReplyFacts:
    index: int | None = None
    rows_read = rows_written = 0
    for result in reply.get("results", ()):
        if result.get("type") != "ok":
            continue
        response = result["response"]
        if response["type"] == "execute":
            outcome, found = response["result"], [response["result"]]
        elif response["type"] == "batch":
            outcome = response["result"]
            found = [step for step in outcome["step_results"] if step is not None]
        else:
            continue
        for candidate in (outcome, *found):
            text = candidate.get("replication_index")
            if text is not None and (index is None or int(text) > index):
                index = int(text)
        for step in found:
            rows_read += int(step.get("rows_read") or 0)
            written = int(step.get("rows_written") or 0)
            rows_written += max(written, int(step.get("affected_row_count") or 0))
    return ReplyFacts(index, rows_read, rows_written)


CLOSE = {"type": "close"}
_FOREIGN_KEYS_OFF = {"type": "execute", "stmt": _stmt("PRAGMA foreign_keys = OFF", ())}


class StreamState:
    """One caller's Hrana stream (one server connection) between its requests.

    A stream stays open only for a transaction: the baton names it between requests;
    BEGIN waits to travel with the transaction's first statement and COMMIT closes it,
    so a transaction costs no extra round trip. A stream opened with foreign keys off
    starts with the PRAGMA (sqld enforces foreign keys on every new stream, and the
    PRAGMA does nothing inside a transaction). Each method returns the request to send
    and how to read its reply; the transports do the sending.
    """

    def __init__(self) -> None:
        self.baton: str | None = None
        self.begin_pending = False
        self.in_transaction = False
        self.foreign_keys = True

    def _body(self, requests: list[dict[str, Any]], *, close: bool) -> tuple[Body, int]:
        """The pipeline, opening the stream with the PRAGMA when foreign keys are off, and
        closing it at the end when nothing more will run on it."""
        prefix = [] if self.baton is not None or self.foreign_keys else [_FOREIGN_KEYS_OFF]
        suffix = [CLOSE] if close else []
        return {"baton": self.baton, "requests": [*prefix, *requests, *suffix]}, len(prefix)

    def _results(self, reply: Body, skip: int, count: int) -> list[dict[str, Any]]:
        self.baton = reply.get("baton")
        results: list[dict[str, Any]] = reply["results"]
        if skip and results[0]["type"] == "error":
            raise _fail(results[0]["error"])
        return results[skip : skip + count]

    def execute(self, statements: Sequence[Statement]) -> Exchange[list[list[Row]]]:
        """Run statements on this stream: inside the open transaction (the stream stays
        open), or (none open) one as is and several as one atomic batch, closing the
        stream with the same request."""
        stmts = _stmts(statements)
        if self.begin_pending:
            mode = "begin"
        elif self.in_transaction:
            mode = "inside"
        else:
            mode = "own" if len(stmts) > 1 else "single"
        self.begin_pending = False
        request = (
            {"type": "execute", "stmt": stmts[0]}
            if mode == "single"
            else _batch(stmts, transaction=mode)
        )
        body, skip = self._body([request], close=not self.in_transaction)

        def read(reply: Body) -> list[list[Row]]:
            (result,) = self._results(reply, skip, 1)
            if mode == "single":
                return _split(statements, _execute_rows(result))
            try:
                return _split(statements, _batch_rows(result, len(stmts), transaction=mode))
            except DriverError as failure:
                if mode == "begin" and failure.retryable:
                    self.begin_pending = True  # BEGIN travels again with the retry
                raise

        return body, read

    def begin(self) -> None:
        self.begin_pending = True
        self.in_transaction = True

    def set_foreign_keys(self, enabled: bool) -> None:
        """From the next stream on (outside a transaction no stream stays open): it
        opens with the PRAGMA when foreign keys are off."""
        self.foreign_keys = enabled

    def finish(self, sql: str) -> Exchange[None] | None:
        """COMMIT or ROLLBACK, or None when there is nothing to end: nothing was sent since
        BEGIN, or (ROLLBACK) the stream was lost, and the server drops a lost stream with
        its transaction; the caller's own error (Unavailable, Timeout) is the one to see."""
        self.in_transaction = False
        if self.begin_pending:
            self.begin_pending = False
            return None
        if self.baton is None and sql == "ROLLBACK":
            return None
        if self.baton is None:
            raise DriverError(
                f"{sql} without an open transaction (the stream was lost)", integrity=False
            )
        body, skip = self._body([{"type": "execute", "stmt": _stmt(sql, ())}], close=True)

        def read(reply: Body) -> None:
            (result,) = self._results(reply, skip, 1)
            if result["type"] == "error":
                raise _fail(result["error"])

        return body, read

    def close(self) -> Exchange[None] | None:
        """Close the stream on the server, if one is open."""
        if self.baton is None:
            return None
        body = {"baton": self.baton, "requests": [CLOSE]}
        self.baton = None
        return body, lambda reply: None

    def lost(self) -> None:
        """The transport failed: the server forgets a stream it got no answer for."""
        self.baton = None
