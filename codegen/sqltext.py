"""Turning validated names and values into SQL text, and vetting SQL expressions.

Identifiers are checked against a strict pattern before they get here; values from
schema.yaml that end up in DDL (defaults, enum members) are rendered as escaped literals;
raw SQL expressions (`default_sql`, `checks`, index `where`, `generated`) must pass
`expression_problem`.
"""

from __future__ import annotations

import keyword
import re
import sqlite3
from functools import cache
from importlib import resources

__all__ = [
    "expression_problem",
    "identifier_problem",
    "literal",
    "quote",
    "statement_problem",
]

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,62}")


@cache
def sqlite_keywords() -> frozenset[str]:
    text = (
        resources.files(__package__ or "")
        .joinpath("sqlite_keywords.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def identifier_problem(name: object, what: str, *, python_name: bool = False) -> str | None:
    """Why `name` cannot be a table/column/index name, or None if it can.

    Names that would clash with the generated classes' own attributes are refused in
    `validate`, from the sets `codegen.names` derives.
    """
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        return (
            f"{what} {name!r} is not a plain SQL name: use lowercase letters, digits and "
            "underscores, starting with a letter, at most 63 characters"
        )
    if name in sqlite_keywords():
        return f"{what} {name!r} is an SQLite keyword; choose another name"
    if name.startswith("sqlite_"):
        return f"{what} {name!r}: names starting with 'sqlite_' are reserved by SQLite"
    if python_name and (keyword.iskeyword(name) or keyword.issoftkeyword(name)):
        return f"{what} {name!r} is a Python keyword and cannot be a field or argument name"
    if what == "table name" and (keyword.iskeyword(name) or keyword.issoftkeyword(name)):
        return f"table name {name!r} cannot be a Python name in the generated code; choose another name"
    return None


def quote(name: str) -> str:
    """Quote an identifier the way drizzle-kit does (names are validated beforehand)."""
    return f"`{name}`"


def literal(value: object) -> str:
    """An SQL literal for a default or enum member, escaped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|--|/\*|;|\(|\)|[^'"`\[\-/;()]+|.""", re.S
)


def _one_piece(text: str, kind: str, what: str) -> str | None:
    """Why `text` is not one piece of SQL: it may not end the statement, comment out the
    rest, or close a parenthesis it did not open."""
    if not text.strip():
        return f"{kind} is empty"
    if "\x00" in text:
        return f"{kind} contains a NUL character"
    depth = 0
    for token in _TOKEN.findall(text):
        if token in (";", "--", "/*"):
            return f"{kind} may not contain {token!r}: it must be {what}"
        if token[0] in "'\"`[" and token[-1:] not in "'\"`]":
            return f"{kind} has an unterminated quoted string or name"
        depth += {"(": 1, ")": -1}.get(token, 0)
        if depth < 0:
            return f"{kind} closes a parenthesis it did not open"
    if depth:
        return f"{kind} has unbalanced parentheses"
    return None


def statement_problem(select: str, *, kind: str) -> str | None:
    """Why `select` is not one SELECT statement (a view's), or None; SQLite compiles it
    afterwards (`codegen.views`)."""
    problem = _one_piece(select, kind, "one SELECT statement")
    if problem:
        return problem
    if select.split(None, 1)[0].upper() not in ("SELECT", "WITH", "VALUES"):
        return f"{kind} must be a SELECT (or WITH ... SELECT) statement"
    return None


def expression_problem(expression: str, *, columns: dict[str, str], kind: str) -> str | None:
    """Why `expression` is not one safe SQL expression for `kind`, or None.

    It must be one piece of SQL (`_one_piece`); SQLite itself then compiles it in a
    scratch in-memory table with the same column names and types, so typos and
    non-constant defaults are caught here.
    """
    problem = _one_piece(expression, kind, "one SQL expression")
    if problem:
        return problem
    body = ", ".join(f"{quote(n)} {t}" for n, t in columns.items()) or "`_` text"
    if kind.startswith("default"):
        probe = [f"CREATE TABLE `_probe` (`_x` DEFAULT ({expression}))"]
    elif kind.startswith("generated"):
        # A generated column may use only deterministic functions: SQLite says so here.
        probe = [
            f"CREATE TABLE `_probe` ({body}, `_generated` ANY GENERATED ALWAYS AS ({expression}))",
            "INSERT INTO `_probe` DEFAULT VALUES",
        ]
    elif kind.startswith("index"):
        first = quote(next(iter(columns), "_"))
        probe = [
            f"CREATE TABLE `_probe` ({body})",
            f"CREATE INDEX `_i` ON `_probe` ({first}) WHERE {expression}",
        ]
    else:
        probe = [f"CREATE TABLE `_probe` ({body}, CHECK ({expression}))"]
    connection = sqlite3.connect(":memory:")
    try:
        for statement in probe:
            connection.execute(statement)
    except sqlite3.Error as exc:
        return f"{kind} is not valid SQL here: {exc}"
    finally:
        connection.close()
    return None
