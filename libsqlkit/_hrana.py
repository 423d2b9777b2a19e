"""Remote libSQL (sqld, Turso) over HTTP: the Hrana v2 pipeline protocol, standard library only.

Why not libsql_experimental for remote calls: it binds ints as 32-bit, holds the GIL
while a hung server never answers (no timeout possible), and reports every failure as a
ValueError. Over plain HTTP every call has a socket timeout, integers travel as decimal
text (exact 64-bit), HTTP status codes tell authentication errors apart, and a batch of
statements is one round trip.
"""

from __future__ import annotations

import base64
import http.client
import json
import math
import ssl
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from libsqlkit._drivers import DriverError, DriverName, Row
from libsqlkit._errors import AuthError, ConfigurationError, Timeout, Unavailable
from libsqlkit._placeholders import PlaceholderError, parameter_count, rewrite

__all__ = ["HranaDriver", "http_base_url"]

PIPELINE = "/v2/pipeline"


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
    port = f":{parts.port}" if parts.port else ""
    return f"{scheme}://{parts.hostname}{port}"


def _value(value: object) -> dict[str, Any]:
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "integer", "value": "1" if value else "0"}
    # Values that cannot travel exactly (beyond 64 bits, NaN, infinity) never get here:
    # the Database refuses them first (libsqlkit._values).
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


class _NonFinite:
    """A REAL the server holds but cannot send (±infinity, written by another tool)."""

    def __repr__(self) -> str:
        return "<±infinity: the server cannot send this REAL value>"


NON_FINITE = _NonFinite()


def _stmt(sql: str, params: Sequence[Any]) -> dict[str, Any]:
    if any(isinstance(p, float) for p in params):
        sql, params = _exact_floats(sql, params)
    return {"sql": sql, "args": [_value(p) for p in params], "want_rows": True}


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


def _rows(result: dict[str, Any]) -> list[Row]:
    return [tuple(_python(v) for v in row) for row in result["rows"]]


def _fail(error: dict[str, Any]) -> DriverError:
    message = str(error.get("message", "unknown error"))
    return DriverError(message, integrity=" constraint failed" in message)


class HranaDriver:
    """One remote database; not thread-safe by itself (the Database serializes calls)."""

    name: DriverName = "remote"

    def __init__(self, url: str, *, auth_token: str | None, timeout: float) -> None:
        parts = urlsplit(http_base_url(url))
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._headers = {"Content-Type": "application/json"}
        if auth_token:
            self._headers["Authorization"] = f"Bearer {auth_token}"
        self._timeout = timeout
        self._connection: http.client.HTTPConnection | None = None
        self._baton: str | None = None  # the open stream of a transaction
        self._foreign_keys = True  # sqld enforces them on every new stream
        self._begin_pending = False
        self.round_trips = 0

    def __repr__(self) -> str:
        return f"HranaDriver({'https' if self._https else 'http'}://{self._host})"

    # -- transport -------------------------------------------------------------------

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            if self._https:
                self._connection = http.client.HTTPSConnection(
                    self._host,
                    self._port,
                    timeout=self._timeout,
                    context=ssl.create_default_context(),
                )
            else:
                self._connection = http.client.HTTPConnection(
                    self._host, self._port, timeout=self._timeout
                )
        return self._connection

    def _drop_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        where = f"{self._host}:{self._port or (443 if self._https else 80)}"
        self.round_trips += 1
        for attempt in (1, 2):
            reused = self._connection is not None
            connection = self._connect()
            try:
                connection.request("POST", PIPELINE, body=payload, headers=self._headers)
                response = connection.getresponse()
                text = response.read()
            except TimeoutError:
                self._drop_connection()
                raise Timeout(f"{where} did not answer within {self._timeout:g} s") from None
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self._drop_connection()
                # Most often a kept-alive connection the server closed while idle, before it
                # read this request: sent once more on a new connection. (A server dying
                # after running it would look the same; its retry then fails as Unavailable,
                # or as a unique violation for an insert that did land.)
                if reused and attempt == 1:
                    continue
                raise Unavailable(f"{where} closed the connection: {exc}") from None
            except OSError as exc:
                self._drop_connection()
                raise Unavailable(f"cannot reach {where}: {exc.strerror or exc}") from None
            return self._decode(response.status, text)
        raise AssertionError("unreachable")

    def _decode(self, status: int, text: bytes) -> dict[str, Any]:
        if status == 200:
            decoded: dict[str, Any] = json.loads(text)
            return decoded
        self._baton = None
        detail = _error_text(text)
        if status == 401:
            problem = (
                "the auth token is missing"
                if "Authorization" not in self._headers
                else "the auth token is invalid or expired"
            )
            raise AuthError(f"{problem} (server said: {detail})")
        if status == 403:
            raise AuthError(
                f"the auth token does not allow this (read-only token?) (server said: {detail})"
            )
        raise DriverError(f"server error {status}: {detail}", integrity=False)

    def _pipeline(self, requests: list[dict[str, Any]], *, keep: bool) -> list[dict[str, Any]]:
        """Send requests on the current stream (or a new one); close it unless `keep`.

        A new stream starts with foreign keys on; when they are switched off, the PRAGMA
        opens the stream, before any BEGIN (inside a transaction it would do nothing).
        """
        off = {"type": "execute", "stmt": _stmt("PRAGMA foreign_keys = OFF", ())}
        prefix = [] if self._baton is not None or self._foreign_keys else [off]
        body = {
            "baton": self._baton,
            "requests": [*prefix, *requests] + ([] if keep else [{"type": "close"}]),
        }
        reply = self._post(body)
        self._baton = reply.get("baton") if keep else None
        results: list[dict[str, Any]] = reply["results"]
        if prefix and results[0]["type"] == "error":
            raise _fail(results[0]["error"])
        return results[len(prefix) : len(prefix) + len(requests)]

    # -- the Driver protocol ---------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        stmt = _stmt(sql, params)
        if self._begin_pending:
            # BEGIN travels with the transaction's first statement, in one round trip.
            self._begin_pending = False
            (result,) = self._pipeline([_batch([stmt], transaction="begin")], keep=True)
            return _batch_rows(result, [stmt], transaction="begin")[0]
        (result,) = self._pipeline(
            [{"type": "execute", "stmt": stmt}], keep=self._baton is not None
        )
        if result["type"] == "error":
            raise _fail(result["error"])
        return _rows(result["response"]["result"])

    def execute_many(
        self, sql: str, rows: Iterable[Sequence[Any]], *, own_transaction: bool
    ) -> None:
        self.batch([(sql, params) for params in rows], own_transaction=own_transaction)

    def batch(
        self, statements: Sequence[tuple[str, Sequence[Any]]], *, own_transaction: bool
    ) -> list[list[Row]]:
        """All statements in one round trip; atomic (its own transaction, or the open one)."""
        stmts = [_stmt(sql, params) for sql, params in statements]
        if not stmts:
            return []
        if not own_transaction:
            mode = "begin" if self._begin_pending else "inside"
            self._begin_pending = False
            (result,) = self._pipeline([_batch(stmts, transaction=mode)], keep=True)
        else:
            mode = "own"
            (result,) = self._pipeline([_batch(stmts, transaction=mode)], keep=False)
        return _batch_rows(result, stmts, transaction=mode)

    def begin(self) -> None:
        self._begin_pending = True

    def commit(self) -> None:
        self._finish("COMMIT")

    def rollback(self) -> None:
        try:
            self._finish("ROLLBACK")
        except DriverError as exc:
            # BEGIN itself failed: there is nothing to roll back, and the caller's
            # original error is the one worth reporting.
            if "no transaction is active" not in str(exc):
                raise

    def _finish(self, sql: str) -> None:
        if self._begin_pending:  # nothing was sent: nothing to end
            self._begin_pending = False
            return
        if self._baton is None:
            raise DriverError(
                f"{sql} without an open transaction (the stream was lost)", integrity=False
            )
        (result,) = self._pipeline([{"type": "execute", "stmt": _stmt(sql, ())}], keep=False)
        if result["type"] == "error":
            raise _fail(result["error"])

    def set_foreign_keys(self, enabled: bool) -> None:
        self._foreign_keys = enabled

    def check(self) -> None:
        """One bounded round trip: raises AuthError, Unavailable or Timeout if it fails."""
        (result,) = self._pipeline([{"type": "execute", "stmt": _stmt("SELECT 1", ())}], keep=False)
        if result["type"] == "error":
            raise _fail(result["error"])

    def close(self) -> None:
        self._drop_connection()


def _batch(stmts: list[dict[str, Any]], *, transaction: str) -> dict[str, Any]:
    """A conditional batch: each step runs only if the previous one succeeded.

    `own`: wrapped in BEGIN ... COMMIT, with ROLLBACK if anything failed;
    `begin`: opens the caller's transaction with BEGIN IMMEDIATE first;
    `inside`: runs inside the caller's already open transaction.
    """
    steps: list[dict[str, Any]] = []
    if transaction in ("own", "begin"):
        steps.append({"stmt": _stmt("BEGIN IMMEDIATE", ())})
    for stmt in stmts:
        condition = {"type": "ok", "step": len(steps) - 1} if steps else None
        steps.append({"condition": condition, "stmt": stmt})
    if transaction == "own":
        last = len(steps) - 1
        steps.append({"condition": {"type": "ok", "step": last}, "stmt": _stmt("COMMIT", ())})
        commit = len(steps) - 1
        steps.append(
            {
                "condition": {"type": "not", "cond": {"type": "ok", "step": commit}},
                "stmt": _stmt("ROLLBACK", ()),
            }
        )
    return {"type": "batch", "batch": {"steps": steps}}


def _batch_rows(
    result: dict[str, Any], stmts: list[dict[str, Any]], *, transaction: str
) -> list[list[Row]]:
    """Rows of the caller's statements; raise the first error any step produced."""
    if result["type"] == "error":
        raise _fail(result["error"])
    batch = result["response"]["result"]
    for error in batch["step_errors"]:
        if error is not None:
            raise _fail(error)
    first = 0 if transaction == "inside" else 1  # after BEGIN
    return [_rows(r) for r in batch["step_results"][first : first + len(stmts)]]


def _error_text(text: bytes) -> str:
    body = text.decode(errors="replace").strip()
    try:
        parsed = json.loads(body)
    except ValueError:
        return body[:300]
    if isinstance(parsed, dict) and isinstance(parsed.get("message") or parsed.get("error"), str):
        return str(parsed.get("message") or parsed.get("error"))
    return body[:300]
