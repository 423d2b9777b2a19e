"""Column encodings identical to Drizzle's sqlite-core, so both can share one database file.

Each codec turns a Python value into what SQLite stores and back. `None` never reaches
a codec: NULL stays NULL in both directions.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import repeat
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from pydantic import BaseModel

from libsqlkit._errors import InvalidValue
from libsqlkit._values import INT64_MAX, INT64_MIN, refusal

__all__ = [
    "BIGINT_BLOB",
    "BLOB",
    "BOOLEAN",
    "INTEGER",
    "JSON_BLOB",
    "JSON_TEXT",
    "NUMERIC_BIGINT",
    "NUMERIC_NUMBER",
    "NUMERIC_TEXT",
    "REAL",
    "TEXT",
    "TIMESTAMP",
    "TIMESTAMP_MS",
    "Codec",
    "decode_timestamps",
    "dump_json",
    "js_number",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
_WHOLE = frozenset({int})
_MILLISECOND = timedelta(milliseconds=1)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Where Python's float layout could show in json.dumps output: a number token with a
# fraction or exponent, or NaN/Infinity. Also matches such text inside strings: then the
# exact slow path runs, which is only slower, never wrong.
_FLOAT_TOKEN = re.compile(r"(?:^|[\[:,])-?\d+[.eE]|NaN|Infinity")


@dataclass(frozen=True, slots=True)
class Codec:
    """How one column mode is stored; `encode`/`decode` of None mean "stored as is"."""

    name: str
    encode: Callable[[Any], Any] | None = None
    decode: Callable[[Any], Any] | None = None


def js_number(value: float) -> str:
    """Format a float as JavaScript's Number#toString does (what JSON.stringify writes).

    Python and JavaScript both print the shortest digits that round-trip; they differ
    only in layout (`1.0` vs `1`, `1e-05` vs `0.00001`, `1e+16` vs `10000000000000000`).
    """
    if value != value or value in (float("inf"), float("-inf")):
        return "null"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    significant = digits.lstrip("0")
    # n: where the decimal point sits, counted from the first significant digit.
    n = len(whole) + int(exponent or 0) - (len(digits) - len(significant))
    digits = significant.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + f"e{'+' if e > 0 else '-'}{abs(e)}"
    return sign + text


def _encode_js(value: object) -> str:
    """Slow path of dump_json, used only when a float is present."""
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(
                json.dumps(str(k), ensure_ascii=False) + ":" + _encode_js(v)
                for k, v in value.items()
            )
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode_js(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _compact_json(value: object) -> str:
    """`json.dumps(value, separators=(",", ":"), ensure_ascii=False)`, without the Python
    layers around the C encoder it ends in (a third of its time for a small payload);
    the encoder is made per call, as json.dumps makes it, for its circular-reference memo."""
    if _C_ENCODER is None or isinstance(value, str):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    encode = _C_ENCODER({}, _NOT_JSON, encode_basestring, None, ":", ",", False, False, True)
    return "".join(encode(value, 0))


_C_ENCODER = c_make_encoder
_NOT_JSON = json.JSONEncoder().default  # the TypeError json.dumps raises


def dump_json(value: object) -> str:
    """`JSON.stringify(value)`: compact, non-ASCII kept, key order kept, JS number layout."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_unset=True)
    try:
        text = _compact_json(value)
        if _FLOAT_TOKEN.search(text):
            text = _encode_js(value)
    except RecursionError:
        raise InvalidValue("JSON value nested too deeply to store") from None
    except (TypeError, ValueError) as exc:
        raise InvalidValue(f"not a JSON value: {exc}") from exc
    if not text.isascii() and _LONE_SURROGATE.search(text):
        # JSON.stringify escapes lone surrogates; raw ones cannot even be stored as UTF-8.
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


_NAIVE = "timestamps must be timezone-aware (a naive datetime is ambiguous)"


def _encode_timestamp(value: datetime) -> int:
    if value.tzinfo is None:
        raise InvalidValue(_NAIVE)
    return (value - EPOCH) // _SECOND


def _encode_timestamp_ms(value: datetime) -> int:
    if value.tzinfo is None:
        raise InvalidValue(_NAIVE)
    return (value - EPOCH) // _MILLISECOND


def _decode_timestamp(value: float) -> datetime:
    if type(value) is int:
        try:
            return datetime.fromtimestamp(value, UTC)  # exact for whole seconds, and fast
        except OSError:  # EOVERFLOW, far outside; nearer, fromtimestamp raises ValueError
            raise ValueError(f"{value} s is outside the datetimes (years 1 to 9999)") from None
    return EPOCH + timedelta(seconds=value)


def decode_timestamps(values: Collection[Any]) -> dict[Any, datetime]:
    """Stored timestamps (seconds) decoded as `TIMESTAMP.decode` does, each once, as a
    map from stored to decoded value: whole seconds in one C loop, no frame per value."""
    if {*map(type, values)} <= _WHOLE:
        try:
            return dict(zip(values, map(datetime.fromtimestamp, values, repeat(UTC)), strict=True))
        except OSError:
            pass  # one past year 9999: the loop below names it (ValueError)
    return {value: _decode_timestamp(value) for value in values}


def _decode_timestamp_ms(value: float) -> datetime:
    return EPOCH + timedelta(milliseconds=value)


def _decode_json_text(value: str | bytes) -> Any:
    return json.loads(value)


def _encode_json_blob(value: object) -> bytes:
    return dump_json(value).encode()


def _encode_bigint_blob(value: int) -> bytes:
    return str(value).encode()


def _decode_bigint_blob(value: bytes | str) -> int:
    return int(value)


def _decode_numeric_text(value: object) -> str:
    return js_number(value) if isinstance(value, float) else str(value)


def _decode_boolean(value: object) -> bool:
    """1 or 0, as Drizzle writes them; anything else is not silently False."""
    if value == 1 or value == 0:
        return value == 1
    raise ValueError(f"a boolean column holds 1 or 0, not {value!r:.40}")


_probe = threading.local()


def _numeric_affinity(text: str) -> object:
    """What SQLite stores for `text` in a NUMERIC column, asked of SQLite itself (its text
    to number conversion is its own, and only SQLite says exactly what it keeps)."""
    connection: sqlite3.Connection | None = getattr(_probe, "connection", None)
    if connection is None:
        connection = _probe.connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.execute("CREATE TABLE n (v NUMERIC)")
    [(stored,)] = connection.execute("REPLACE INTO n (rowid, v) VALUES (1, ?) RETURNING v", (text,))
    return stored


def _encode_numeric_text(value: str) -> str:
    """NUMERIC affinity turns number-like text into a number, which may read back as other
    text ('1.10' as '1.1', '007' as '7', '1e999' as infinity): refused, not changed."""
    if not isinstance(value, str):
        raise InvalidValue(f"a numeric column in text mode takes str, not {type(value).__name__}")
    problem = refusal(value)
    if problem is not None:
        raise InvalidValue(problem)
    stored = _numeric_affinity(value)
    if isinstance(stored, float) and stored - stored != 0.0:
        raise InvalidValue(f"{value!r} is a number beyond SQLite's REAL range")
    read = _decode_numeric_text(stored)
    if read != value:
        raise InvalidValue(
            f"{value!r} would read back as {read!r} (NUMERIC affinity stores number-like text "
            "as a number): give its canonical form, or use a text column"
        )
    return value


def _encode_numeric_bigint(value: int) -> str:
    """Beyond 64 bits, NUMERIC affinity keeps only a REAL approximation: refused."""
    if not INT64_MIN <= value <= INT64_MAX:
        raise InvalidValue(
            "a numeric bigint column holds 64-bit integers (beyond that SQLite keeps a "
            "rounded REAL); use a blob bigint column for larger ones"
        )
    return str(value)


TEXT = Codec("text")
INTEGER = Codec("integer")
REAL = Codec("real", decode=float)
BLOB = Codec("blob")
NUMERIC_TEXT = Codec("numeric", encode=_encode_numeric_text, decode=_decode_numeric_text)
NUMERIC_NUMBER = Codec("numeric_number", decode=float)
NUMERIC_BIGINT = Codec("numeric_bigint", encode=_encode_numeric_bigint, decode=int)
TIMESTAMP = Codec("timestamp", _encode_timestamp, _decode_timestamp)
TIMESTAMP_MS = Codec("timestamp_ms", _encode_timestamp_ms, _decode_timestamp_ms)
BOOLEAN = Codec("boolean", lambda v: 1 if v else 0, _decode_boolean)
JSON_TEXT = Codec("json", dump_json, _decode_json_text)
JSON_BLOB = Codec("json_blob", _encode_json_blob, _decode_json_text)
BIGINT_BLOB = Codec("bigint_blob", _encode_bigint_blob, _decode_bigint_blob)
