"""The runtime's own exceptions: drivers' errors are translated into these.

Constraint errors name the table and column(s), parsed from SQLite's message and the
schema's constraint names, so callers never need to match on driver message text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "AuthError",
    "Busy",
    "CheckViolation",
    "ConfigurationError",
    "ConstraintViolation",
    "Constraints",
    "DatabaseError",
    "DecodeError",
    "ForeignKeyViolation",
    "InvalidValue",
    "LibsqlKitError",
    "NotNullViolation",
    "SchemaStateError",
    "Timeout",
    "Unavailable",
    "UniqueViolation",
    "WouldBlock",
    "driver_failure",
]


class LibsqlKitError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigurationError(LibsqlKitError):
    """The client was configured wrongly (missing URL, unsupported scheme, ...)."""


class SchemaStateError(LibsqlKitError):
    """The database's schema is not in a state this operation can work with."""


class WouldBlock(ConfigurationError):
    """Waiting here would never end: the sync API, called from async code, waits for a
    transaction that another task of the same event loop holds open."""


class InvalidValue(LibsqlKitError, ValueError):
    """A value that cannot be stored exactly, or an argument out of range; refused before
    any SQL runs, so nothing was written.

    `table`, `column` and `key` say where, when known (a raw `sql()` parameter has only
    its position, in the message).
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        column: str | None = None,
        key: object = None,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.column = column
        self.key = key


class DecodeError(LibsqlKitError):
    """A stored value cannot be read as its column's type (another tool wrote it).

    Read the raw row (`Repository.get_raw(key)`) to repair it.
    """

    def __init__(self, message: str, *, table: str, column: str | None, key: object) -> None:
        super().__init__(message)
        self.table = table
        self.column = column
        self.key = key


class DatabaseError(LibsqlKitError):
    """A statement failed in the database; the message is the engine's, the SQL is attached."""

    def __init__(self, message: str, *, sql: str | None = None) -> None:
        super().__init__(message)
        self.sql = sql


class AuthError(DatabaseError):
    """The server refused the auth token: missing, invalid, expired, or read-only for a write."""


class Unavailable(DatabaseError):
    """The server cannot be reached (refused, reset, down), or answered with what is not
    HTTP or Hrana. Before the request was written nothing was done; after it, the message
    of a write says that it may have been applied."""


class Timeout(DatabaseError):
    """The server did not answer in time; the outcome of a write is unknown."""


class Busy(DatabaseError):
    """Another connection held the write lock longer than the busy timeout; nothing of
    this statement was done. A migration, or a long transaction, holds it."""


class ConstraintViolation(DatabaseError):
    """A write broke a constraint; nothing of that statement was stored."""

    kind = "constraint"

    def __init__(
        self,
        message: str,
        *,
        table: str | None,
        columns: tuple[str, ...] = (),
        constraint: str | None = None,
        sql: str | None = None,
    ) -> None:
        super().__init__(message, sql=sql)
        self.table = table
        self.columns = columns
        self.constraint = constraint


class UniqueViolation(ConstraintViolation):
    kind = "unique"


class NotNullViolation(ConstraintViolation):
    kind = "not null"


class CheckViolation(ConstraintViolation):
    kind = "check"


class ForeignKeyViolation(ConstraintViolation):
    kind = "foreign key"


_QUALIFIED = re.compile(r"(\w+)\.(\w+)")
# SQLite's message, possibly wrapped by a server ("SQLite error: UNIQUE constraint failed: t.c").
_CONSTRAINT = re.compile(
    r"(UNIQUE|NOT NULL|PRIMARY KEY|CHECK|FOREIGN KEY) constraint failed(?::\s*(.*))?", re.S
)


@dataclass(frozen=True)
class Constraints:
    """What the schema says about its constraints, to name them in errors: CHECK names
    (name -> table and columns) and foreign keys (table -> column -> parent table and
    column)."""

    checks: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    references: Mapping[str, Mapping[str, tuple[str, str]]] = field(default_factory=dict)

    def referencing(self, parent: str) -> list[tuple[str, str]]:
        """(child table, column) of every foreign key that points at `parent`."""
        return [
            (child, column)
            for child, keys in self.references.items()
            for column, (target, _) in keys.items()
            if target == parent
        ]


def _foreign_key_error(
    constraints: Constraints,
    table: str | None,
    sql: str,
    written: Sequence[str] | None,
) -> ForeignKeyViolation:
    """Which foreign key a statement broke, from the schema: a written column naming no
    parent row (insert, update), or a parent row still referenced (delete, key update)."""
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    own = constraints.references.get(table or "", {})
    candidates = [c for c in own if written is None or c in written]
    if table and candidates and verb in ("INSERT", "UPDATE", "REPLACE"):
        links = [f"{table}.{c} -> {own[c][0]}.{own[c][1]}" for c in candidates]
        text = (
            f"{table}.{candidates[0]} names no existing {own[candidates[0]][0]} row "
            f"({links[0]}, foreign key)"
            if len(candidates) == 1
            else f"one of {', '.join(links)} names no existing row (foreign keys)"
        )
        return ForeignKeyViolation(text, table=table, columns=tuple(candidates), sql=sql)
    children = constraints.referencing(table) if table else []
    if children:
        users = ", ".join(f"{child}.{column}" for child, column in children)
        referenced = (constraints.references[child][column][1] for child, column in children)
        return ForeignKeyViolation(
            f"the {table} row is still referenced by {users} (foreign key): delete or "
            "change those rows first, or declare on_delete",
            table=table,
            columns=tuple(dict.fromkeys(referenced)),
            sql=sql,
        )
    where = f" on {table}" if table else ""
    return ForeignKeyViolation(
        f"foreign key constraint failed{where}: the referenced row does not exist "
        "or is still referenced",
        table=table,
        sql=sql,
    )


def constraint_error(
    message: str,
    *,
    constraints: Constraints,
    table: str | None = None,
    sql: str | None = None,
    written: Sequence[str] | None = None,
) -> DatabaseError:
    """Build the typed error for an engine message such as 'UNIQUE constraint failed: t.c'.

    `table` is the statement's table when the caller knows it (foreign key messages name
    no table); `written`, the columns it wrote, when known.
    """
    match = _CONSTRAINT.search(message)
    if match is None:
        return DatabaseError(message, sql=sql)
    head, detail = match.group(1), (match.group(2) or "").strip()
    if head in ("UNIQUE", "NOT NULL", "PRIMARY KEY"):
        pairs = _QUALIFIED.findall(detail)
        found_table = pairs[0][0] if pairs else table
        columns = tuple(column for _, column in pairs)
        cls: type[ConstraintViolation] = NotNullViolation if head == "NOT NULL" else UniqueViolation
        what = ", ".join(f"{found_table}.{c}" for c in columns) or detail
        text = (
            f"{what} must not be null"
            if cls is NotNullViolation
            else f"{what} must be unique: a row with the same value already exists"
        )
        return cls(text, table=found_table, columns=columns, sql=sql)
    if head == "CHECK":
        owner, columns = constraints.checks.get(detail, (table, ()))
        what = ", ".join(f"{owner}.{c}" for c in columns) or owner
        return CheckViolation(
            f"{what} violates CHECK constraint {detail}"
            if what
            else f"CHECK constraint {detail} failed",
            table=owner,
            columns=columns,
            constraint=detail,
            sql=sql,
        )
    if head == "FOREIGN KEY":
        return _foreign_key_error(constraints, table, sql or "", written)
    return DatabaseError(message, sql=sql)


def driver_failure(
    message: str,
    *,
    integrity: bool,
    constraints: Constraints,
    table: str | None,
    sql: str,
    written: Sequence[str] | None = None,
) -> DatabaseError:
    """The typed error for a statement the database refused, from the engine's message:
    a constraint violation, a lock wait that ran out, or the engine's own words."""
    if integrity or " constraint failed" in message:
        return constraint_error(
            message, constraints=constraints, table=table, sql=sql, written=written
        )
    if "database is locked" in message or "database table is locked" in message:
        return Busy(
            f"{message}: another connection (a migration, or a long transaction) held the "
            "write lock for longer than the busy timeout; nothing was done. Retry, or "
            "open the client with a longer busy_timeout_ms",
            sql=sql,
        )
    return DatabaseError(message, sql=sql)
