"""What SQLite, and a libSQL server, store exactly: every bound value is checked here, in
every mode, before any SQL runs.

The drivers disagree on the rest: sqlite3 binds NaN as NULL and raises OverflowError or
UnicodeEncodeError; libsql_experimental clamps integers beyond 64 bits; the server
cannot send ±infinity back (Hrana's JSON has no such number). One rule for all modes
refuses such values with `InvalidValue`, so a value is either stored and read back equal
or not written at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from libsqlkit._errors import InvalidValue

__all__ = ["INT64_MAX", "INT64_MIN", "check_params", "refusal"]

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _integer_refusal(value: int) -> str | None:
    if INT64_MIN <= value <= INT64_MAX:
        return None
    size = f"{value}" if value.bit_length() <= 128 else f"a {value.bit_length()}-bit integer"
    return f"{size} does not fit SQLite's 64-bit INTEGER (-2**63 to 2**63-1)"


def _float_refusal(value: float) -> str | None:
    if math.isfinite(value):
        return None
    if value != value:
        return "NaN cannot be stored: SQLite has no NaN (it would become NULL)"
    return (
        f"{value} cannot be stored: a libSQL server cannot send infinity back "
        "(refused in every mode, so that every copy of a database holds the same values)"
    )


def _text_refusal(value: str) -> str | None:
    surrogate = _LONE_SURROGATE.search(value)
    if surrogate is None:
        return None
    return (
        f"text with a lone surrogate (U+{ord(surrogate.group()):04X} at position "
        f"{surrogate.start()}) cannot be stored: UTF-8 has no encoding for it"
    )


def refusal(value: object) -> str | None:
    """Why `value` cannot be bound and read back equal, or None if it can."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return _integer_refusal(value)
    if isinstance(value, float):
        return _float_refusal(value)
    if isinstance(value, str):
        return None if value.isascii() else _text_refusal(value)
    return None  # bytes as is; other types are refused by the driver, by name


def check_params(
    params: Sequence[Any],
    *,
    table: str | None = None,
    labels: Sequence[str] | None = None,
) -> None:
    """Raise InvalidValue for the first value that cannot be stored exactly.

    `labels` names each parameter (a column) when the caller knows them; otherwise the
    message gives the parameter's position. The hot path is one type test and one comparison per value.
    """
    for index, value in enumerate(params):
        kind = type(value)
        if kind is str:
            if value.isascii():
                continue
        elif kind is int:
            if INT64_MIN <= value <= INT64_MAX:
                continue
        elif kind is float and value - value == 0.0:  # finite: inf-inf and NaN-NaN are NaN
            continue
        problem = refusal(value)
        if problem is not None:
            label = labels[index] if labels is not None and index < len(labels) else None
            where = label or (
                f"{table} parameter {index + 1}" if table else f"parameter {index + 1}"
            )
            column = label.rpartition(".")[2] if label else None
            raise InvalidValue(f"{where}: {problem}", table=table, column=column)
