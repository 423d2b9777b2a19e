"""Positional placeholders (`?`, `?NNN`) in SQL text: counting them, and rewriting some of
them so that a driver that would bind a value inexactly gets it in an exact form.

Two drivers need that: libsql_experimental binds ints beyond 32 bits as REAL, and sqld
parses JSON float arguments inexactly (about a third of random doubles came back one ulp
off). Each rewrites the placeholders of those values into an SQL expression of exact
parts; which expression is the driver's business, the rewriting is this module's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

__all__ = ["PlaceholderError", "parameter_count", "rewrite"]

_PLACEHOLDER = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|--[^\n]*|/\*.*?\*/|\?(\d*)|[:@$][A-Za-z_]\w*""",
    re.S,
)


class PlaceholderError(ValueError):
    """Named parameters, which this layer does not bind."""


def _numbers(sql: str) -> list[tuple[re.Match[str], int]]:
    """Each positional placeholder with the parameter number SQLite gives it: `?NNN` is
    NNN, a plain `?` is one past the largest number so far."""
    found = []
    largest = 0
    for match in _PLACEHOLDER.finditer(sql):
        token = match.group(0)
        if token[0] in ":@$":
            raise PlaceholderError(f"named parameters are not supported: {token}")
        if token[0] == "?":
            number = int(match.group(1)) if match.group(1) else largest + 1
            largest = max(largest, number)
            found.append((match, number))
    return found


@functools.lru_cache(maxsize=1024)
def parameter_count(sql: str) -> int:
    """How many positional parameters `sql` takes."""
    return max((number for _, number in _numbers(sql)), default=0)


def rewrite(sql: str, templates: Mapping[int, str]) -> str:
    """`sql` with every placeholder numbered explicitly (`?N`), and those whose number is
    in `templates` replaced by its template, formatted with `n` (their number).

    Explicit numbers keep the binding of plain `?`s after an inserted higher number."""
    return _rewrite(sql, tuple(sorted(templates.items())))


@functools.lru_cache(maxsize=1024)
def _rewrite(sql: str, templates: tuple[tuple[int, str], ...]) -> str:
    chosen = dict(templates)
    parts: list[str] = []
    last = 0
    for match, number in _numbers(sql):
        template = chosen.get(number, "?{n}")
        parts += [sql[last : match.start()], template.format(n=number)]
        last = match.end()
    return "".join(parts) + sql[last:]
