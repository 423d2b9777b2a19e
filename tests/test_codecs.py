"""Drizzle-compatible encodings, value by value."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libsqlkit import InvalidValue, _codecs, codecs, dump_json, js_number


def test_timestamp_is_unix_seconds_floored() -> None:
    encode = codecs.TIMESTAMP.encode
    assert encode is not None
    assert encode(datetime(2023, 11, 14, 22, 13, 20, 999_999, tzinfo=UTC)) == 1_700_000_000
    # Math.floor(ms / 1000): half a second before the epoch is -1, not 0.
    assert encode(datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC)) == -1
    east = timezone(timedelta(hours=9))
    assert encode(datetime(2023, 11, 15, 7, 13, 20, tzinfo=east)) == 1_700_000_000


def test_timestamp_ms_is_unix_milliseconds_floored() -> None:
    encode = codecs.TIMESTAMP_MS.encode
    assert encode is not None
    assert encode(datetime(2023, 11, 14, 22, 13, 20, 123_999, tzinfo=UTC)) == 1_700_000_000_123
    assert encode(datetime(1969, 12, 31, 23, 59, 59, 999_500, tzinfo=UTC)) == -1


def test_naive_datetimes_are_refused() -> None:
    encode = codecs.TIMESTAMP.encode
    assert encode is not None
    with pytest.raises(InvalidValue, match="timezone-aware"):
        encode(datetime(2024, 1, 1))


def test_decoded_timestamps_are_aware_utc() -> None:
    decode = codecs.TIMESTAMP.decode
    assert decode is not None
    assert decode(1_700_000_000) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert decode(-1).tzinfo is UTC


def test_boolean_is_one_or_zero() -> None:
    assert codecs.BOOLEAN.encode is not None and codecs.BOOLEAN.decode is not None
    assert (codecs.BOOLEAN.encode(True), codecs.BOOLEAN.encode(False)) == (1, 0)
    assert (codecs.BOOLEAN.decode(1), codecs.BOOLEAN.decode(0)) == (True, False)


def test_json_is_compact_keeps_order_and_non_ascii() -> None:
    assert (
        dump_json({"z": 1, "a": [True, None, "日本語"], "é": {}})
        == '{"z":1,"a":[true,null,"日本語"],"é":{}}'
    )
    assert dump_json("line\nbreak\t\x01") == '"line\\nbreak\\t\\u0001"'


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (-0.0, "0"),
        (0.5, "0.5"),
        (0.00001, "0.00001"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (1e16, "10000000000000000"),
        (1e21, "1e+21"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (5e-324, "5e-324"),
        (math.inf, "null"),
        (math.nan, "null"),
    ],
)
def test_numbers_are_laid_out_as_javascript_does(value: float, text: str) -> None:
    assert js_number(value) == text
    assert dump_json([value]) == f"[{text}]"


def test_lone_surrogates_are_escaped_as_json_stringify_does() -> None:
    assert dump_json("a\ud800b") == '"a\\ud800b"'


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_json_round_trips(value: object) -> None:
    """Read back, every value is equal; numbers are equal as JavaScript numbers.

    A float with an integral value is written without a fraction, as JSON.stringify does,
    so it reads back as a Python int with the same value as a double.
    """
    text = dump_json(value)
    assert _same(json.loads(text), value), text
    assert ", " not in text or any(", " in leaf for leaf in _leaves(value) if isinstance(leaf, str))


def _dumps_outcome(encode: Callable[[object], str], value: object) -> tuple[str, str]:
    try:
        return "text", encode(value)
    except (TypeError, ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


_JSON_DUMPS = functools.partial(json.dumps, separators=(",", ":"), ensure_ascii=False)
_circular: list[object] = []
_circular.append(_circular)


@given(
    st.recursive(
        json_values
        | st.floats()
        | st.sampled_from([b"x", {1, 2}, datetime(2024, 1, 1), object, 10**400, "\ud800"]),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.tuples(inner, inner)
            | st.dictionaries(
                st.text() | st.integers() | st.booleans() | st.none(), inner, max_size=4
            )
        ),
        max_leaves=20,
    )
)
def test_the_compact_encoder_writes_what_json_dumps_writes(value: object) -> None:
    """The C encoder called directly: the same text, or the same error, as json.dumps."""
    assert _dumps_outcome(_codecs._compact_json, value) == _dumps_outcome(_JSON_DUMPS, value)


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [_circular, {"a": [_circular]}, _nested(5000)],
    ids=["circular", "circular inside", "5000 deep"],
)
def test_the_compact_encoder_fails_as_json_dumps_fails(value: object) -> None:
    failed = _dumps_outcome(_codecs._compact_json, value)
    assert failed[0] != "text"
    assert failed == _dumps_outcome(_JSON_DUMPS, value)
    assert _codecs._compact_json({"after": [1]}) == '{"after":[1]}'  # no memo left behind


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_js_number_is_exact(value: float) -> None:
    assert float(js_number(value)) == value or value == 0


@given(
    st.datetimes(
        timezones=st.just(UTC), min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)
    )
)
def test_timestamps_round_trip_to_the_second(value: datetime) -> None:
    assert codecs.TIMESTAMP.encode is not None and codecs.TIMESTAMP.decode is not None
    assert codecs.TIMESTAMP_MS.encode is not None and codecs.TIMESTAMP_MS.decode is not None
    assert codecs.TIMESTAMP.decode(codecs.TIMESTAMP.encode(value)) == value.replace(microsecond=0)
    millis = value.replace(microsecond=value.microsecond // 1000 * 1000)
    assert codecs.TIMESTAMP_MS.decode(codecs.TIMESTAMP_MS.encode(value)) == millis


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [*value.keys(), *(leaf for v in value.values() for leaf in _leaves(v))]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _same(read: object, written: object) -> bool:
    if isinstance(written, float) and not isinstance(read, bool) and isinstance(read, int | float):
        return float(read) == written
    if isinstance(written, dict) and isinstance(read, dict):
        return list(read) == list(written) and all(_same(read[k], written[k]) for k in written)
    if isinstance(written, list) and isinstance(read, list):
        return len(read) == len(written) and all(map(_same, read, written))
    return type(read) is type(written) and read == written


def test_strings_that_look_like_floats_take_the_exact_path() -> None:
    assert (
        dump_json({"s": "a,1.5e3", "t": "NaN Infinity", "n": [1, -2]})
        == '{"s":"a,1.5e3","t":"NaN Infinity","n":[1,-2]}'
    )
