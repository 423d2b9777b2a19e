"""Result rows as JSON arrays built by SQLite: how a remote read asks for a table's rows.

A Hrana reply spells every value as an object (`{"type": "text", "value": ...}`), and
parsing those in Python, then turning them into row tuples, took most of a remote read's
own time. Asked for `json_array(...)` per row instead, the reply holds one short text per
row, and the result set's texts are parsed as one document in Rust
(`pydantic_core.from_json`) into the very tuples a read as written gives: the same
decoders then read them (the compiled row builder first).

Exactness: text, integers and NULL come through JSON unchanged, whatever the column
(text in an INTEGER column stays text). SQLite's JSON spells a REAL with 15 digits and
takes a BLOB that reads as JSONB for JSON, so only a table whose columns all store text
or integers is asked so, a row holding anything else (another tool's REAL or BLOB) comes
as NULL, and the read is then sent again as written (`NotJsonRows`): the same values as
ever, one round trip more. A float or a nested value in a row (a JSON value a view's
column carried whole, through a subtype) is refused the same way. So is a read whose
JSON form the server refuses: a JSON column's text is escaped twice in it, so text full
of quotes can pass sqld's response limit where the read as written does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import chain
from typing import TYPE_CHECKING, Any

from pydantic_core import from_json

if TYPE_CHECKING:
    from libsqlkit._plan import Statement

__all__ = [
    "NotJsonRows",
    "as_written",
    "json_rows",
    "json_select",
    "refused",
    "unless_refused",
]

# SQLite's default limit on a function's arguments (SQLITE_MAX_FUNCTION_ARG before 3.48).
_MOST_ARGUMENTS = 127
# The codecs that store text or integers; a codec not here (REAL, BLOB, numeric) keeps
# its table's reads as written.
_TEXT_OR_INTEGER = frozenset({"text", "json", "integer", "timestamp", "timestamp_ms", "boolean"})


def json_select(columns: Sequence[tuple[str, str]], sql: str) -> str | None:
    """`sql` answering one JSON array per row, or None: `columns` are (name, codec name)
    in order, and `sql` must list exactly them as the generated SELECTs do (`SELECT `a`,
    `b` FROM ...`). The read stays whole, as a subquery, so that its ORDER BY (positional
    in a view's), LIMIT or UNION mean what they did; SQLite keeps a subquery's order
    where the outer query has none."""
    if not columns or len(columns) > _MOST_ARGUMENTS:
        return None
    if any(codec not in _TEXT_OR_INTEGER for _, codec in columns):
        return None
    listed = ", ".join(f"`{name}`" for name, _ in columns)
    if not sql.startswith(f"SELECT {listed} FROM ") or any("`" in name for name, _ in columns):
        return None
    # A BLOB is not always refused by json_array: since SQLite 3.45 one that reads as
    # JSONB (`x'1761'`) is taken for JSON (`"a"`). Such a row comes as NULL instead.
    carried = " AND ".join(
        f"typeof(`{name}`) IN ('text', 'integer', 'null')" for name, _ in columns
    )
    # A final `;` or `-- comment` would end the subquery early; `AS r`: Hrana names each
    # column in the reply, by default with its whole expression.
    read = sql.rstrip().rstrip(";")
    return f"SELECT CASE WHEN {carried} THEN json_array({listed}) END AS r FROM ({read}\n)"


# After the JSON form of a read did not do, that read goes as written this many times
# before its JSON form is tried again: a view whose column computes REALs (`x / 2.0`),
# or a table of REAL timestamps, would otherwise cost two round trips on every call.
_SKIPS = 100
_KEPT = 1024  # JSON forms remembered so at most (SQL made per call: no more)
_skipping: dict[str, int] = {}


def refused(statements: Sequence[Statement]) -> None:
    """The JSON form of these statements did not do (`NotJsonRows`)."""
    for statement in statements:
        if statement.json_sql is not None and len(_skipping) < _KEPT:
            _skipping[statement.json_sql] = _SKIPS


def unless_refused(json_sql: str | None) -> str | None:
    """`json_sql`, or None while its read goes as written after a refusal."""
    if json_sql is None or not _skipping:
        return json_sql
    left = _skipping.get(json_sql)
    if left is None:
        return json_sql
    if left > 1:
        _skipping[json_sql] = left - 1
    else:
        _skipping.pop(json_sql, None)
    return None


class NotJsonRows(Exception):
    """The JSON form did not do: a row holds a value its JSON cannot carry exactly (it
    came as NULL), or the server refused the statement."""


def json_rows(texts: list[Any]) -> list[tuple[Any, ...]]:
    """The texts of a `json_select`'s rows as the rows of the read as written, parsed as
    one document. NotJsonRows if a row is NULL (it holds a REAL or a BLOB), or is not an
    array of text, integers and nulls: a float or an array or object is a value SQLite
    embedded whole (a column of a view holding `json(...)`'s result, through a subtype)."""
    if not texts:
        return []
    try:
        parsed = from_json(f"[{','.join(texts)}]", cache_strings=False)
    except (TypeError, ValueError):  # not texts, or not JSON: not SQLite's json_array
        raise NotJsonRows from None
    if (
        len(parsed) != len(texts)
        or set(map(type, parsed)) != _ARRAY
        or not set(map(type, chain.from_iterable(parsed))) <= _SCALARS
    ):
        raise NotJsonRows
    return [*map(tuple, parsed)]


_ARRAY = {list}
_SCALARS = frozenset({str, int, type(None)})


def as_written(statements: Sequence[Statement]) -> tuple[Statement, ...]:
    """The statements without their JSON form."""
    return tuple(replace(s, json_sql=None) if s.json_sql else s for s in statements)
