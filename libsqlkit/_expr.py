"""Typed SQL expressions: what the query builder's conditions and selections are made of.

`Expr[T, S]`: an expression whose values are `T`, needing the tables `S` (each table is
named by its select model, so `S` is a union of models). Comparing an expression with a
value of another type, or using a condition on a table the query does not have, is a
mypy error. Each node renders its SQL, its bound parameters, and a shape (the SQL's
identity without the values) that keys the compiled-SQL cache.

Conditions have no truth value (`if col == x:` raises), except that comparing two
columns is true only for the same column: lists and dicts of columns stay correct.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeAlias, TypeVar, cast, overload

from libsqlkit._codecs import BIGINT_BLOB
from libsqlkit._errors import LibsqlKitError

__all__ = [
    "Condition",
    "Expr",
    "Ordering",
    "QueryError",
    "Subquery",
    "Valued",
    "and_",
    "count",
    "exists",
    "max_",
    "min_",
    "not_",
    "or_",
    "sum_",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
V = TypeVar("V")
Number = TypeVar("Number", bound=float)
S = TypeVar("S", covariant=True)
S1 = TypeVar("S1")
S2 = TypeVar("S2")
S3 = TypeVar("S3")
S4 = TypeVar("S4")

# What in_/not_in take: a collection of values, never a bare str (itself a Sequence[str]).
Values: TypeAlias = list[V] | tuple[V, ...] | AbstractSet[V]

# How tightly a node binds, as SQLite parses it; an operand that binds less tightly than
# its operator is rendered in parentheses (every composite operand of a comparison is).
_ATOM = 9
_COMPARISON = 4
_NOT = 3
_AND = 2
_OR = 1
_LOGICAL_BINDING = {"NOT": _NOT, "AND": _AND, "OR": _OR}
_ORDERING_OPS = frozenset({"<", "<=", ">", ">="})
_NO_TRUTH = (
    "a condition has no truth value: pass it to where(), and_(), or_() or not_() "
    "(to find a column in a list, compare with `is`)"
)


class Valued(Protocol[T_co]):
    """An expression whose values are `T_co`: what an expression of `T_co | None` values
    may be compared with, so that a NOT NULL column compares with a nullable one."""

    def _values(self) -> T_co: ...


class Subquery(Protocol[T_co]):
    """A select (or a union of selects) used inside another query, its rows `T_co`:
    what in_()/not_in() take besides values."""

    def shape(self) -> Hashable: ...
    def render(self) -> str: ...
    def params(self, out: list[Any]) -> None: ...
    def width(self) -> int: ...

    if TYPE_CHECKING:

        def _rows(self) -> T_co: ...


class QueryError(LibsqlKitError):
    """A query that cannot be run as built (a column of a table not in it, ...)."""


def _operand(expr: Expr[Any, Any], binding: int) -> str:
    text = expr.render()
    return text if expr.precedence() >= binding else f"({text})"


def _refuse_unordered(expr: Expr[Any, Any], use: str) -> None:
    """Only equality is exact on a blob bigint column: Drizzle stores it as its decimal
    digits in bytes, which SQLite compares byte by byte (b"9" > b"10", b"-5" < b"-50")."""
    if getattr(expr, "codec", None) is BIGINT_BLOB:  # a Column (libsqlkit._schema) has one
        name = expr.render().replace("`", "")
        raise QueryError(
            f"{name} is a blob bigint column, stored as its decimal digits in bytes "
            f"(Drizzle's encoding), which SQLite orders byte by byte (9 after 10): {use} "
            "would give wrong results; only ==, != and in_/not_in are exact on it"
        )


class Expr(Generic[T, S]):
    """Base of every expression node."""

    __slots__ = ()

    # -- what subclasses provide -------------------------------------------------------

    def shape(self) -> Hashable:
        raise NotImplementedError

    def render(self) -> str:
        raise NotImplementedError

    def precedence(self) -> int:
        """How tightly the rendered SQL binds (a column, value or call: not at all loosely)."""
        return _ATOM

    def params(self, out: list[Any]) -> None:
        """Append this node's bound parameters, in the order render() places them."""

    def tables(self) -> set[str]:
        return set()

    def encode_value(self, value: Any) -> Any:
        """How a Python value compared with this expression is bound (its column's codec)."""
        return value

    def decode_value(self, value: Any) -> Any:
        """How a value this expression selects is read back."""
        return value

    def bound(self, op: str, value: Any) -> Any:
        """`value` as bound in `self op value`, so that `op` means on the stored values what
        it means on `value`.

        A datetime finer than its column's unit (timestamps are whole seconds or
        milliseconds, floored) lies strictly between two stored values n and n + 1:
        `>=`/`<` compare with n + 1, `<=`/`>` with n, and `=`/`<>`/IN with n + 0.5, which
        no stored whole number equals (a NULL still compares as unknown).
        """
        encoded = self.encode_value(value)
        if (
            not isinstance(value, datetime)
            or type(encoded) is not int
            or self.decode_value(encoded) == value
        ):
            return encoded
        if op in (">=", "<"):
            return encoded + 1
        if op in ("<=", ">"):
            return encoded
        return encoded + 0.5

    if TYPE_CHECKING:

        def _values(self) -> T:
            """Typing only: makes every Expr[T, ...] a Valued[T]."""

    # -- operators ------------------------------------------------------------------------

    def _compare(self, op: str, other: object) -> Condition[S]:
        if op in _ORDERING_OPS:
            _refuse_unordered(self, f"`{op}`")
            if isinstance(other, Expr):
                _refuse_unordered(other, f"`{op}`")
        right = other if isinstance(other, Expr) else Value(self.bound(op, other))
        return Binary(self, op, right)

    def __eq__(self, other: T | Valued[T | None]) -> Condition[S]:  # type: ignore[override]
        if other is None:
            return self.is_null()
        return self._compare("=", other)

    def __ne__(self, other: T | Valued[T | None]) -> Condition[S]:  # type: ignore[override]
        if other is None:
            return self.is_not_null()
        return self._compare("<>", other)

    def __lt__(self, other: T | Valued[T | None]) -> Condition[S]:
        return self._compare("<", other)

    def __le__(self, other: T | Valued[T | None]) -> Condition[S]:
        return self._compare("<=", other)

    def __gt__(self, other: T | Valued[T | None]) -> Condition[S]:
        return self._compare(">", other)

    def __ge__(self, other: T | Valued[T | None]) -> Condition[S]:
        return self._compare(">=", other)

    __hash__ = object.__hash__

    def is_null(self) -> Condition[S]:
        return Postfix(self, "IS NULL")

    def is_not_null(self) -> Condition[S]:
        return Postfix(self, "IS NOT NULL")

    def _members(self, method: str, values: Iterable[Any]) -> tuple[Value, ...]:
        if isinstance(values, str | bytes | bytearray):
            raise QueryError(
                f"{method}() takes a list, tuple or set of values, not a "
                f"{type(values).__name__} ({values!r:.40}): write {method}([value, ...])"
            )
        members = tuple(values)
        if any(member is None for member in members):
            raise QueryError(
                "in_() with None never matches a NULL (in SQL, NULL equals nothing): write "
                "or_(column.in_([...]), column.is_null())"
                if method == "in_"
                else "not_in() with None matches no row (x NOT IN (..., NULL) is never true): "
                "write and_(column.not_in([...]), column.is_not_null())"
            )
        return tuple(Value(self.bound("=", member)) for member in members)

    @overload
    def in_(
        self: Expr[V | None, S], values: Values[V] | Subquery[tuple[V | None]]
    ) -> Condition[S]: ...
    @overload
    def in_(self, values: Values[T] | Subquery[tuple[T | None]]) -> Condition[S]: ...
    def in_(self, values: Values[Any] | Subquery[Any]) -> Condition[S]:
        """IN (...) of values or of a one-column select; an empty collection matches
        nothing. None is refused: use is_null()."""
        if _is_subquery(values):
            return InSelect(self, _one_column(cast(Subquery[Any], values), "in_"), negated=False)
        return In(self, self._members("in_", cast(Iterable[Any], values)), negated=False)

    @overload
    def not_in(
        self: Expr[V | None, S], values: Values[V] | Subquery[tuple[V | None]]
    ) -> Condition[S]: ...
    @overload
    def not_in(self, values: Values[T] | Subquery[tuple[T | None]]) -> Condition[S]: ...
    def not_in(self, values: Values[Any] | Subquery[Any]) -> Condition[S]:
        """NOT IN (...) of values or of a one-column select; an empty collection matches
        every row, NULLs included. A select that returns a NULL makes NOT IN match no row
        (SQL's rule)."""
        if _is_subquery(values):
            return InSelect(self, _one_column(cast(Subquery[Any], values), "not_in"), negated=True)
        return In(self, self._members("not_in", cast(Iterable[Any], values)), negated=True)

    def like(self, pattern: str) -> Condition[S]:
        return Binary(self, "LIKE", Value(pattern))

    def between(self, low: T, high: T) -> Condition[S]:
        _refuse_unordered(self, "between()")
        return Between(self, Value(self.bound(">=", low)), Value(self.bound("<=", high)))

    def asc(self) -> Ordering[S]:
        return Ordering(self, "ASC")

    def desc(self) -> Ordering[S]:
        return Ordering(self, "DESC")


class Condition(Expr[bool, S]):
    """A boolean expression: what where(), joins and and_/or_/not_ take."""

    __slots__ = ()

    def __bool__(self) -> bool:
        raise TypeError(_NO_TRUTH)


class Value(Expr[Any, Any]):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def shape(self) -> Hashable:
        return "?"

    def render(self) -> str:
        return "?"

    def params(self, out: list[Any]) -> None:
        out.append(self.value)


class Binary(Condition[S]):
    __slots__ = ("left", "op", "right")

    def __init__(self, left: Expr[Any, Any], op: str, right: Expr[Any, Any]) -> None:
        self.left, self.op, self.right = left, op, right

    def __bool__(self) -> bool:
        """`a == b` of two expressions is true only when they are the same one, so that
        `column in columns` and `columns.index(column)` find columns by identity."""
        if self.op in ("=", "<>") and not isinstance(self.right, Value):
            return (self.left is self.right) == (self.op == "=")
        raise TypeError(_NO_TRUTH)

    def shape(self) -> Hashable:
        return (self.op, self.left.shape(), self.right.shape())

    def precedence(self) -> int:
        return _COMPARISON

    def render(self) -> str:
        return f"{_operand(self.left, _ATOM)} {self.op} {_operand(self.right, _ATOM)}"

    def params(self, out: list[Any]) -> None:
        self.left.params(out)
        self.right.params(out)

    def tables(self) -> set[str]:
        return self.left.tables() | self.right.tables()


class Postfix(Condition[S]):
    __slots__ = ("expr", "op")

    def __init__(self, expr: Expr[Any, Any], op: str) -> None:
        self.expr, self.op = expr, op

    def shape(self) -> Hashable:
        return (self.op, self.expr.shape())

    def precedence(self) -> int:
        return _COMPARISON

    def render(self) -> str:
        return f"{_operand(self.expr, _ATOM)} {self.op}"

    def params(self, out: list[Any]) -> None:
        self.expr.params(out)

    def tables(self) -> set[str]:
        return self.expr.tables()


class In(Condition[S]):
    __slots__ = ("expr", "negated", "values")

    def __init__(self, expr: Expr[Any, Any], values: tuple[Value, ...], *, negated: bool) -> None:
        self.expr, self.values, self.negated = expr, values, negated

    def shape(self) -> Hashable:
        return ("NOT IN" if self.negated else "IN", self.expr.shape(), len(self.values))

    def precedence(self) -> int:
        return _COMPARISON if self.values else _ATOM

    def render(self) -> str:
        if not self.values:  # x IN () is always false, x NOT IN () always true (NULL too)
            return "1" if self.negated else "0"
        marks = ", ".join("?" for _ in self.values)
        return f"{_operand(self.expr, _ATOM)} {'NOT IN' if self.negated else 'IN'} ({marks})"

    def params(self, out: list[Any]) -> None:
        if self.values:
            self.expr.params(out)
            out.extend(v.value for v in self.values)

    def tables(self) -> set[str]:
        return self.expr.tables()


def _is_subquery(values: object) -> bool:
    return hasattr(values, "width") and hasattr(values, "render")


def _one_column(query: Subquery[Any], method: str) -> Subquery[Any]:
    if query.width() != 1:
        raise QueryError(
            f"{method}() takes a select of exactly one column; this one selects "
            f"{query.width()}: write select(table.column).from_(table)"
        )
    return query


class InSelect(Condition[S]):
    """expr IN (SELECT ...): the subquery's values stay bound parameters."""

    __slots__ = ("expr", "negated", "query")

    def __init__(self, expr: Expr[Any, Any], query: Subquery[Any], *, negated: bool) -> None:
        self.expr, self.query, self.negated = expr, query, negated

    def shape(self) -> Hashable:
        return ("NOT IN" if self.negated else "IN", self.expr.shape(), self.query.shape())

    def precedence(self) -> int:
        return _COMPARISON

    def render(self) -> str:
        op = "NOT IN" if self.negated else "IN"
        return f"{_operand(self.expr, _ATOM)} {op} ({self.query.render()})"

    def params(self, out: list[Any]) -> None:
        self.expr.params(out)
        self.query.params(out)

    def tables(self) -> set[str]:
        return self.expr.tables()  # the subquery brings its own tables


class Between(Condition[S]):
    __slots__ = ("expr", "high", "low")

    def __init__(self, expr: Expr[Any, Any], low: Value, high: Value) -> None:
        self.expr, self.low, self.high = expr, low, high

    def shape(self) -> Hashable:
        return ("BETWEEN", self.expr.shape())

    def precedence(self) -> int:
        return _COMPARISON

    def render(self) -> str:
        return f"{_operand(self.expr, _ATOM)} BETWEEN ? AND ?"

    def params(self, out: list[Any]) -> None:
        self.expr.params(out)
        out += (self.low.value, self.high.value)

    def tables(self) -> set[str]:
        return self.expr.tables()


class Logical(Condition[S]):
    __slots__ = ("op", "parts")

    def __init__(self, op: str, parts: tuple[Condition[Any], ...]) -> None:
        self.op, self.parts = op, parts

    def shape(self) -> Hashable:
        return (self.op, tuple(p.shape() for p in self.parts))

    def precedence(self) -> int:
        return _LOGICAL_BINDING[self.op]

    def render(self) -> str:
        binding = self.precedence()
        if self.op == "NOT":
            return f"NOT {_operand(self.parts[0], binding)}"
        return f" {self.op} ".join(_operand(p, binding) for p in self.parts)

    def params(self, out: list[Any]) -> None:
        for part in self.parts:
            part.params(out)

    def tables(self) -> set[str]:
        return set().union(*(p.tables() for p in self.parts))


def and_(
    a: Condition[S1],
    b: Condition[S2],
    c: Condition[S3] | None = None,
    d: Condition[S4] | None = None,
) -> Condition[S1 | S2 | S3 | S4]:
    """All of the conditions (two to four; nest for more)."""
    return Logical("AND", tuple(p for p in (a, b, c, d) if p is not None))


def or_(
    a: Condition[S1],
    b: Condition[S2],
    c: Condition[S3] | None = None,
    d: Condition[S4] | None = None,
) -> Condition[S1 | S2 | S3 | S4]:
    """Any of the conditions (two to four; nest for more)."""
    return Logical("OR", tuple(p for p in (a, b, c, d) if p is not None))


def not_(condition: Condition[S1]) -> Condition[S1]:
    return Logical("NOT", (condition,))


class Ordering(Generic[S]):
    __slots__ = ("direction", "expr")

    def __init__(self, expr: Expr[Any, Any], direction: str) -> None:
        _refuse_unordered(expr, "ordering by it")
        self.expr, self.direction = expr, direction

    def shape(self) -> Hashable:
        return (self.direction, self.expr.shape())

    def render(self) -> str:
        return f"{self.expr.render()} {self.direction}"


class Aggregate(Expr[T, S]):
    """count(), sum_(), min_(), max_(). min and max return stored values of their argument:
    compared and read back with its codec; a count or a sum is a plain number."""

    __slots__ = ("arg", "function", "own_values")

    def __init__(self, function: str, arg: Expr[Any, Any] | None, *, own_values: bool) -> None:
        self.function, self.arg, self.own_values = function, arg, own_values

    def shape(self) -> Hashable:
        return (self.function, None if self.arg is None else self.arg.shape())

    def render(self) -> str:
        return f"{self.function}({'*' if self.arg is None else self.arg.render()})"

    def params(self, out: list[Any]) -> None:
        if self.arg is not None:
            self.arg.params(out)

    def tables(self) -> set[str]:
        return set() if self.arg is None else self.arg.tables()

    def encode_value(self, value: Any) -> Any:
        return self.arg.encode_value(value) if self.own_values and self.arg else value

    def decode_value(self, value: Any) -> Any:
        return self.arg.decode_value(value) if self.own_values and self.arg else value


def count(expr: Expr[Any, S1] | None = None) -> Aggregate[int, S1]:
    """count(*) or count(expr)."""
    return Aggregate("count", expr, own_values=False)


# Each aggregate has an overload for nullable arguments first: without it, mypy infers
# `T` from the `T | None` of the result in select(min_(nullable_column)) and refuses it.


@overload
def sum_(expr: Expr[Number | None, S1]) -> Aggregate[Number | None, S1]: ...
@overload
def sum_(expr: Expr[Number, S1]) -> Aggregate[Number | None, S1]: ...
def sum_(expr: Expr[Any, S1]) -> Aggregate[Any, S1]:
    """sum(expr) of a numeric column: None over no rows (or only NULLs)."""
    _refuse_unordered(expr, "sum_()")
    return Aggregate("sum", expr, own_values=False)


@overload
def min_(expr: Expr[T | None, S1]) -> Aggregate[T | None, S1]: ...
@overload
def min_(expr: Expr[T, S1]) -> Aggregate[T | None, S1]: ...
def min_(expr: Expr[Any, S1]) -> Aggregate[Any, S1]:
    _refuse_unordered(expr, "min_()")
    return Aggregate("min", expr, own_values=True)


@overload
def max_(expr: Expr[T | None, S1]) -> Aggregate[T | None, S1]: ...
@overload
def max_(expr: Expr[T, S1]) -> Aggregate[T | None, S1]: ...
def max_(expr: Expr[Any, S1]) -> Aggregate[Any, S1]:
    _refuse_unordered(expr, "max_()")
    return Aggregate("max", expr, own_values=True)


class Exists(Condition[S]):
    __slots__ = ("query",)

    def __init__(self, query: Any) -> None:
        self.query = query

    def shape(self) -> Hashable:
        return ("EXISTS", self.query.shape())

    def precedence(self) -> int:
        return _COMPARISON  # parenthesised as an operand, to be safe with any operator

    def render(self) -> str:
        return f"EXISTS ({self.query.render()})"

    def params(self, out: list[Any]) -> None:
        self.query.params(out)

    def tables(self) -> set[str]:
        return set()  # a subquery brings its own tables


def exists(query: Any) -> Condition[Any]:
    """EXISTS (subquery): the subquery may refer to the outer query's tables."""
    return Exists(query)
