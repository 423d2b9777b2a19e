"""Result rows as JSON objects built by SQLite: how a remote read asks for a table's rows.

A Hrana reply spells every value as an object (`{"type": "text", "value": ...}`), and
parsing those in Python, then turning them into row tuples, took most of a remote read's
own time. Asked for `json_object(...)` per row instead, the reply holds one text per row,
and the result set is parsed and validated as models in one pydantic-core call
(`BatchDecoder.decode_json`).

Exactness: only a table whose columns all store text or integers is asked so, since
SQLite's JSON spells a REAL with 15 digits. A row holding anything else in a column
(another tool's REAL in an INTEGER column, a BLOB in a TEXT one) comes as NULL, and the
read is sent again as written (`NotJsonRows`): the same values as ever, one round trip
more. So is a read whose JSON form the server refuses: a JSON column's text is escaped
twice in it, so text full of quotes can pass sqld's response limit where the read as
written does not.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from libsqlkit._plan import Statement

__all__ = [
    "JsonRows",
    "NotJsonRows",
    "as_written",
    "json_rows",
    "json_select",
    "refused",
    "unless_refused",
]

# SQLite's default limit on a function's arguments (SQLITE_MAX_FUNCTION_ARG): json_object
# takes two per column.
_MOST_ARGUMENTS = 127
# What each codec stores, as SQLite's typeof() names it; a codec not here (REAL, BLOB,
# numeric) keeps its table's reads as written.
_STORED = {
    "text": "text",
    "json": "text",
    "integer": "integer",
    "timestamp": "integer",
    "timestamp_ms": "integer",
    "boolean": "integer",
}


def json_select(columns: Sequence[tuple[str, str]], sql: str) -> str | None:
    """`sql` answering one JSON object per row (NULL for a row it cannot carry exactly),
    or None: `columns` are (name, codec name) in order, and `sql` must list exactly them
    as the generated SELECTs do (`SELECT `a`, `b` FROM ...`). The read stays whole, as a
    subquery, so that its ORDER BY (positional in a view's), LIMIT or UNION mean what
    they did; SQLite keeps a subquery's order where the outer query has none."""
    stored = [_STORED.get(codec) for _, codec in columns]
    if not columns or None in stored or 2 * len(columns) > _MOST_ARGUMENTS:
        return None
    head = "SELECT " + ", ".join(f"`{name}`" for name, _ in columns) + " FROM "
    if not sql.startswith(head) or any("`" in name or "'" in name for name, _ in columns):
        return None
    exact = " AND ".join(
        f"typeof(`{name}`) IN ('{kind}', 'null')"
        for (name, _), kind in zip(columns, stored, strict=True)
    )
    fields = ", ".join(f"'{name}', `{name}`" for name, _ in columns)
    # A final `;` or `-- comment` would end the subquery early; `AS r`: Hrana names each
    # column in the reply, by default with its whole expression.
    read = sql.rstrip().rstrip(";")
    return f"SELECT CASE WHEN {exact} THEN json_object({fields}) END AS r FROM ({read}\n)"


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
    """The JSON form did not do: a row came as NULL (it holds a value its JSON cannot
    carry exactly), or the server refused the statement."""


class JsonRows(list[tuple[Any, ...]]):
    """A result set as one JSON object text per row, in 1-tuples (what a row is). Only a
    plan whose statement has a `json_sql` gets one, and its decoder (`model_reader`)
    reads it; `plain()` gives the rows as a read as written would."""

    def texts(self) -> list[str]:
        return [row[0] for row in self]

    def plain(self) -> list[tuple[Any, ...]]:
        """The rows as tuples of their values, as a reply in Hrana's values gives them:
        a text stays text (a JSON column's too), an integer an int."""
        return [tuple(json.loads(text).values()) for text in self.texts()]


def json_rows(rows: list[tuple[Any, ...]]) -> JsonRows:
    """A reply's rows of a `json_select`; NotJsonRows if any is NULL."""
    if any(row[0] is None for row in rows):
        raise NotJsonRows
    return JsonRows(rows)


def as_written(statements: Sequence[Statement]) -> tuple[Statement, ...]:
    """The statements without their JSON form."""
    return tuple(replace(s, json_sql=None) if s.json_sql else s for s in statements)
