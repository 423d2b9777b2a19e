"""Typed SQL expressions: what the query builder's conditions and selections are made of.

`Expr[T, S]`: an expression whose values are `T`, needing the tables `S` (each table is
named by its select model, so `S` is a union of models). Comparing an expression with a
value of another type, or using a condition on a table the query does not have, is a
mypy error. Each node renders its SQL, its bound parameters, and a shape (the SQL's
identity without the values) that keys the compiled-SQL cache.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

__all__ = [
    "Condition",
    "Expr",
    "Ordering",
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
S = TypeVar("S", covariant=True)
S1 = TypeVar("S1")
S2 = TypeVar("S2")
S3 = TypeVar("S3")
S4 = TypeVar("S4")


class Expr(Generic[T, S]):
    """Base of every expression node."""

    __slots__ = ()

    # -- what subclasses provide -------------------------------------------------------

    def shape(self) -> Hashable:
        raise NotImplementedError

    def render(self) -> str:
        raise NotImplementedError

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

    # -- operators ------------------------------------------------------------------------

    def _compare(self, op: str, other: object) -> Condition[S]:
        right = other if isinstance(other, Expr) else Value(self.encode_value(other))
        return Binary(self, op, right)

    def __eq__(self, other: T | Expr[T, Any]) -> Condition[S]:  # type: ignore[override]
        if other is None:
            return self.is_null()
        return self._compare("=", other)

    def __ne__(self, other: T | Expr[T, Any]) -> Condition[S]:  # type: ignore[override]
        if other is None:
            return self.is_not_null()
        return self._compare("<>", other)

    def __lt__(self, other: T | Expr[T, Any]) -> Condition[S]:
        return self._compare("<", other)

    def __le__(self, other: T | Expr[T, Any]) -> Condition[S]:
        return self._compare("<=", other)

    def __gt__(self, other: T | Expr[T, Any]) -> Condition[S]:
        return self._compare(">", other)

    def __ge__(self, other: T | Expr[T, Any]) -> Condition[S]:
        return self._compare(">=", other)

    __hash__ = object.__hash__

    def is_null(self) -> Condition[S]:
        return Postfix(self, "IS NULL")

    def is_not_null(self) -> Condition[S]:
        return Postfix(self, "IS NOT NULL")

    def in_(self, values: Iterable[T]) -> Condition[S]:
        return In(self, tuple(Value(self.encode_value(v)) for v in values), negated=False)

    def not_in(self, values: Iterable[T]) -> Condition[S]:
        return In(self, tuple(Value(self.encode_value(v)) for v in values), negated=True)

    def like(self, pattern: str) -> Condition[S]:
        return Binary(self, "LIKE", Value(pattern))

    def between(self, low: T, high: T) -> Condition[S]:
        return Between(self, Value(self.encode_value(low)), Value(self.encode_value(high)))

    def asc(self) -> Ordering[S]:
        return Ordering(self, "ASC")

    def desc(self) -> Ordering[S]:
        return Ordering(self, "DESC")


class Condition(Expr[bool, S]):
    """A boolean expression: what where(), joins and and_/or_/not_ take."""

    __slots__ = ()


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

    def shape(self) -> Hashable:
        return (self.op, self.left.shape(), self.right.shape())

    def render(self) -> str:
        return f"{self.left.render()} {self.op} {self.right.render()}"

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

    def render(self) -> str:
        return f"{self.expr.render()} {self.op}"

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

    def render(self) -> str:
        if not self.values:  # x IN () is always false, x NOT IN () always true
            return "1" if self.negated else "0"
        marks = ", ".join("?" for _ in self.values)
        return f"{self.expr.render()} {'NOT IN' if self.negated else 'IN'} ({marks})"

    def params(self, out: list[Any]) -> None:
        if self.values:
            self.expr.params(out)
            out.extend(v.value for v in self.values)

    def tables(self) -> set[str]:
        return self.expr.tables()


class Between(Condition[S]):
    __slots__ = ("expr", "high", "low")

    def __init__(self, expr: Expr[Any, Any], low: Value, high: Value) -> None:
        self.expr, self.low, self.high = expr, low, high

    def shape(self) -> Hashable:
        return ("BETWEEN", self.expr.shape())

    def render(self) -> str:
        return f"{self.expr.render()} BETWEEN ? AND ?"

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

    def render(self) -> str:
        if self.op == "NOT":
            return f"NOT ({self.parts[0].render()})"
        return "(" + f" {self.op} ".join(p.render() for p in self.parts) + ")"

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
        self.expr, self.direction = expr, direction

    def shape(self) -> Hashable:
        return (self.direction, self.expr.shape())

    def render(self) -> str:
        return f"{self.expr.render()} {self.direction}"


class Aggregate(Expr[T, S]):
    __slots__ = ("arg", "decode", "function")

    def __init__(
        self, function: str, arg: Expr[Any, Any] | None, decode: Callable[[Any], Any] | None = None
    ) -> None:
        self.function, self.arg, self.decode = function, arg, decode

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
        return value if self.arg is None else self.arg.encode_value(value)

    def decode_value(self, value: Any) -> Any:
        return value if value is None or self.decode is None else self.decode(value)


def count(expr: Expr[Any, S1] | None = None) -> Aggregate[int, S1]:
    """count(*) or count(expr)."""
    return Aggregate("count", expr)


def sum_(expr: Expr[T, S1]) -> Aggregate[T | None, S1]:
    return Aggregate("sum", expr)


def min_(expr: Expr[T, S1]) -> Aggregate[T | None, S1]:
    return Aggregate("min", expr, expr.decode_value)


def max_(expr: Expr[T, S1]) -> Aggregate[T | None, S1]:
    return Aggregate("max", expr, expr.decode_value)


class Exists(Condition[S]):
    __slots__ = ("query",)

    def __init__(self, query: Any) -> None:
        self.query = query

    def shape(self) -> Hashable:
        return ("EXISTS", self.query.shape())

    def render(self) -> str:
        return f"EXISTS ({self.query.render()})"

    def params(self, out: list[Any]) -> None:
        self.query.params(out)

    def tables(self) -> set[str]:
        return set()  # a subquery brings its own tables


def exists(query: Any) -> Condition[Any]:
    """EXISTS (subquery): the subquery may refer to the outer query's tables."""
    return Exists(query)
