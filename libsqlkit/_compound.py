"""Compound selects: UNION, UNION ALL, INTERSECT and EXCEPT of selects with the same rows.

    ids = select(a.user_id).from_(a).union(select(b.user_id).from_(b)).order_by(a.user_id)

mypy refuses two selects whose rows differ (`Select[R, ...]` is invariant in `R`); at
run time the selects must have the same width, both whole tables (the same ones) or both
columns, and a column must not meet a column of another codec. The rows are decoded as
the first select's. SQLite takes ORDER BY and LIMIT only on the compound, and evaluates
the operators left to right with equal precedence, as the method chain reads.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar, overload

from libsqlkit._expr import Expr, Ordering, QueryError
from libsqlkit._plan import Plan, Reads, Statement
from libsqlkit._query import Select, _compiled, _non_negative
from libsqlkit._schema import Column

if TYPE_CHECKING:
    pass

__all__ = ["Compound", "except_", "intersect", "union", "union_all"]

R = TypeVar("R")
# The tables of the other selects of a union: each its own type variable, never Any, which
# mypy would also give an inline select(...) argument's model (and so accept any table).
Q1 = TypeVar("Q1")
Q2 = TypeVar("Q2")
Q3 = TypeVar("Q3")


def _refuse_own_tail(part: Select[Any, Any]) -> None:
    tail = [
        name
        for name, used in (
            ("order_by", part._order),
            ("limit", part._limit is not None),
            ("offset", part._offset is not None),
        )
        if used
    ]
    if tail:
        raise QueryError(
            f"a select inside a union cannot have its own {', '.join(tail)} (SQLite takes "
            "them only once, after the last select): call them on the union"
        )


def _refuse_other_shape(first: Select[Any, Any], other: Select[Any, Any], op: str) -> None:
    """The run-time twin of mypy's check, for code typed with Any."""
    if (first._columns is None) != (other._columns is None):
        raise QueryError(f"{op} of a whole-table select with a select of columns")
    if first._columns is None:
        mine = [ref.table.name for ref in first._tables()]
        theirs = [ref.table.name for ref in other._tables()]
        if mine != theirs:
            raise QueryError(
                f"{op} of whole-table selects of different tables ({', '.join(mine)} "
                f"and {', '.join(theirs)}): select the same columns of each instead"
            )
        return
    if first.width() != other.width():
        raise QueryError(
            f"{op} of selects of different widths: the first selects {first.width()} "
            f"values per row, this one {other.width()}"
        )
    assert other._columns is not None
    for position, (a, b) in enumerate(zip(first._columns, other._columns, strict=True), 1):
        if isinstance(a, Column) and isinstance(b, Column) and a.codec is not b.codec:
            raise QueryError(
                f"{op}: value {position} is {a.table}.{a.name} in the first select and "
                f"{b.table}.{b.name} in this one, stored differently"
            )


def _position(first: Select[Any, Any], expr: Expr[Any, Any]) -> int:
    """Which selected value (from 1) an ORDER BY term of the compound names."""
    wanted = expr.shape()
    for position, (selected, _) in enumerate(first.output(), 1):
        if selected.shape() == wanted:
            return position
    raise QueryError(
        f"order_by on a union takes the values its first select selects; "
        f"{expr.render().replace('`', '')} is not one of them"
    )


@dataclass(frozen=True, slots=True, eq=False)
class Compound(Reads[R]):
    """Selects joined by UNION / UNION ALL / INTERSECT / EXCEPT, rows `R`. Immutable."""

    _first: Select[R, Any]
    _rest: tuple[tuple[str, Select[Any, Any]], ...] = ()
    _order: tuple[tuple[int, str], ...] = ()
    _limit: int | None = None
    _offset: int | None = None

    @staticmethod
    def of(first: Select[R, Any]) -> Compound[R]:
        _refuse_own_tail(first)
        return Compound(first)

    def joined(self, op: str, other: Select[Any, Any]) -> Compound[R]:
        if self._order or self._limit is not None or self._offset is not None:
            raise QueryError(
                f"{op} after order_by/limit/offset: join every select first, then order"
            )
        _refuse_own_tail(other)
        _refuse_other_shape(self._first, other, op)
        return replace(self, _rest=(*self._rest, (op, other)))

    def union(self, other: Select[R, Q1], /) -> Compound[R]:
        return self.joined("UNION", other)

    def union_all(self, other: Select[R, Q1], /) -> Compound[R]:
        return self.joined("UNION ALL", other)

    def intersect(self, other: Select[R, Q1], /) -> Compound[R]:
        return self.joined("INTERSECT", other)

    def except_(self, other: Select[R, Q1], /) -> Compound[R]:
        return self.joined("EXCEPT", other)

    def order_by(self, *terms: Ordering[Any] | Expr[Any, Any]) -> Compound[R]:
        """Order by values of the first select (its columns, or a whole table's)."""
        resolved = tuple(
            (_position(self._first, t.expr), t.direction)
            if isinstance(t, Ordering)
            else (_position(self._first, t), "ASC")
            for t in terms
        )
        return replace(self, _order=(*self._order, *resolved))

    def limit(self, count: int) -> Compound[R]:
        return replace(self, _limit=_non_negative("limit", count))

    def offset(self, count: int) -> Compound[R]:
        return replace(self, _offset=_non_negative("offset", count))

    # -- compiling ----------------------------------------------------------------------

    def width(self) -> int:
        return self._first.width()

    if TYPE_CHECKING:

        def _rows(self) -> R:
            """Typing only: makes a Compound[R] a Subquery[R] for in_()."""

    def shape(self) -> Hashable:
        return (
            "compound",
            self._first.shape(),
            tuple((op, part.shape()) for op, part in self._rest),
            self._order,
            self._limit is not None,
            self._offset is not None,
        )

    def render(self) -> str:
        parts = [self._first.render()]
        for op, part in self._rest:
            parts += [op, part.render()]
        if self._order:
            parts.append("ORDER BY " + ", ".join(f"{at} {way}" for at, way in self._order))
        if self._limit is not None or self._offset is not None:
            parts.append("LIMIT ?")
        if self._offset is not None:
            parts.append("OFFSET ?")
        return " ".join(parts)

    def params(self, out: list[Any]) -> None:
        self._first.params(out)
        for _, part in self._rest:
            part.params(out)
        if self._limit is not None or self._offset is not None:
            out.append(-1 if self._limit is None else self._limit)
        if self._offset is not None:
            out.append(self._offset)

    def compile(self) -> tuple[str, list[Any]]:
        """(SQL, parameters), each select checked as select().compile() checks it."""
        if not self._rest:
            raise QueryError("a union needs at least two selects")
        for part in (self._first, *(part for _, part in self._rest)):
            part.compile()
        params: list[Any] = []
        self.params(params)
        return _compiled(self.shape(), self.render), params

    # -- running ------------------------------------------------------------------------

    def plan(self) -> Plan[list[R]]:
        statement, params = self.compile()
        table = self._first._source.table.name
        return Plan(
            (Statement(statement, params, table),),
            lambda results: self._first._decode(results[0]),
            write=False,
        )

    def _first_plan(self) -> Plan[R | None]:
        query = self if self._limit is not None else self.limit(1)
        plan = query.plan()
        return Plan(plan.statements, lambda rs: next(iter(plan.decode(rs)), None), write=False)


def _chain(op: str, selects: tuple[Select[Any, Any], ...]) -> Compound[Any]:
    if len(selects) < 2:
        raise QueryError(
            f"{op.lower().replace(' ', '_')}() needs at least two selects, got {len(selects)}"
        )
    compound = Compound.of(selects[0])
    for other in selects[1:]:
        compound = compound.joined(op, other)
    return compound


@overload
def union(a: Select[R, Q1], b: Select[R, Q2], /) -> Compound[R]: ...
@overload
def union(
    a: Select[R, Q1], b: Select[R, Q2], c: Select[R, Q3], /, *more: Select[R, Any]
) -> Compound[R]: ...
def union(*selects: Select[Any, Any]) -> Compound[Any]:
    """union(a, b, ...): the same as a.union(b).union(...)."""
    return _chain("UNION", selects)


@overload
def union_all(a: Select[R, Q1], b: Select[R, Q2], /) -> Compound[R]: ...
@overload
def union_all(
    a: Select[R, Q1], b: Select[R, Q2], c: Select[R, Q3], /, *more: Select[R, Any]
) -> Compound[R]: ...
def union_all(*selects: Select[Any, Any]) -> Compound[Any]:
    return _chain("UNION ALL", selects)


@overload
def intersect(a: Select[R, Q1], b: Select[R, Q2], /) -> Compound[R]: ...
@overload
def intersect(
    a: Select[R, Q1], b: Select[R, Q2], c: Select[R, Q3], /, *more: Select[R, Any]
) -> Compound[R]: ...
def intersect(*selects: Select[Any, Any]) -> Compound[Any]:
    return _chain("INTERSECT", selects)


@overload
def except_(a: Select[R, Q1], b: Select[R, Q2], /) -> Compound[R]: ...
@overload
def except_(
    a: Select[R, Q1], b: Select[R, Q2], c: Select[R, Q3], /, *more: Select[R, Any]
) -> Compound[R]: ...
def except_(*selects: Select[Any, Any]) -> Compound[Any]:
    return _chain("EXCEPT", selects)
