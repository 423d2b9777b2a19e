"""Keyset (cursor) pagination: the condition that starts a page after a row, and the
opaque cursor that names that row.

A page is ordered by the query's terms, then by the primary key (ties never split or
repeat rows). The cursor holds the stored values of those terms in the last row of the
page, so the next page is `WHERE (t1, t2, ..., key) comes after (v1, v2, ..., k)` in that
order: no OFFSET, and rows written meanwhile neither shift nor repeat a page.

NULLs sort as SQLite sorts them: first in an ascending term, last in a descending one;
the condition follows that (after NULL in an ascending term come the non-NULL values;
after a value in a descending term come the smaller values, then the NULLs).

A cursor is base64 of JSON: a version, a fingerprint of the table and order it was made
for, and the values. It is opaque, not secret nor signed: its values are only ever bound
parameters, so a forged one can move where a page starts and nothing else; a garbled one,
or one made for another order, is refused with a QueryError.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from libsqlkit._errors import InvalidValue
from libsqlkit._expr import Binary, Condition, Logical, Ordering, QueryError, Value

__all__ = ["MAX_PAGE", "Page", "after", "decode_cursor", "encode_cursor", "fingerprint"]

R = TypeVar("R")

MAX_PAGE = 10_000
_VERSION = 1


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    """One page of rows, and the cursor of the next one (None after the last page)."""

    rows: list[R]
    next: str | None


def page_size(size: int) -> int:
    if type(size) is not int or not 1 <= size <= MAX_PAGE:
        raise InvalidValue(
            f"page size must be a whole number of rows from 1 to {MAX_PAGE:,}, got {size!r:.40}"
        )
    return size


def fingerprint(table: str, terms: tuple[Ordering[Any], ...]) -> str:
    """What a cursor was made for: the table and the order (not the filters)."""
    shape: Hashable = (table, tuple(t.shape() for t in terms))
    return hashlib.blake2b(repr(shape).encode(), digest_size=8).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"b": base64.b64encode(value).decode("ascii")}
    return value


def encode_cursor(mark: str, values: tuple[Any, ...]) -> str:
    text = json.dumps([_VERSION, mark, [_plain(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


def _stored(value: Any) -> Any:
    if value is None or type(value) in (int, float, str):
        return value
    if isinstance(value, dict) and set(value) == {"b"} and isinstance(value["b"], str):
        return base64.b64decode(value["b"], validate=True)
    raise ValueError(f"a value of type {type(value).__name__}")


def decode_cursor(cursor: object, mark: str, width: int, keys: tuple[int, ...]) -> tuple[Any, ...]:
    """The values in `cursor`, checked: made for this table and order, `width` values,
    those at the positions `keys` (the primary key's) never NULL."""
    if not isinstance(cursor, str):
        raise QueryError(
            f"a cursor is the str a page returned as `next`, not {type(cursor).__name__}"
        )
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, made_for, raw = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        values = tuple(_stored(v) for v in raw)
    except (ValueError, TypeError, binascii.Error, UnicodeError) as exc:
        raise QueryError(
            f"the cursor {cursor!r:.60} is not one a page returned (garbled: {exc})"
        ) from None
    if version != _VERSION or made_for != mark:
        raise QueryError(
            "the cursor was made by a query with another table or order_by: pass it back to "
            "the same query that returned it"
        )
    if len(values) != width or any(values[at] is None for at in keys):
        raise QueryError(
            f"the cursor {cursor!r:.60} is not one a page returned (its values do not fit)"
        )
    return values


def _beyond(term: Ordering[Any], value: Any) -> Condition[Any] | None:
    """Rows strictly after `value` in this one term, or None if none can be."""
    expr = term.expr
    if term.direction == "ASC":
        return expr.is_not_null() if value is None else Binary(expr, ">", Value(value))
    if value is None:
        return None
    return Logical("OR", (Binary(expr, "<", Value(value)), expr.is_null()))


def _same(term: Ordering[Any], value: Any) -> Condition[Any]:
    return term.expr.is_null() if value is None else Binary(term.expr, "=", Value(value))


def after(terms: tuple[Ordering[Any], ...], values: tuple[Any, ...]) -> Condition[Any]:
    """The rows after `values` in the order of `terms` (the last terms are the key, never
    NULL, so at least one alternative exists): equal on every earlier term and beyond on
    this one, for each term in turn."""
    alternatives: list[Condition[Any]] = []
    equal: list[Condition[Any]] = []
    for term, value in zip(terms, values, strict=True):
        beyond = _beyond(term, value)
        if beyond is not None:
            alternatives.append(Logical("AND", (*equal, beyond)) if equal else beyond)
        equal.append(_same(term, value))
    return alternatives[0] if len(alternatives) == 1 else Logical("OR", tuple(alternatives))
