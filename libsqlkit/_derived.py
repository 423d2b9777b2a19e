"""Subqueries in FROM: a select of columns used as a table, its columns typed.

    per_user = (
        select(workflows.user_id, count()).from_(workflows)
        .group_by(workflows.user_id).subquery("per_user")
    )
    user, runs = per_user.columns()          # Expr[str, ...], Expr[int, ...]
    select(user, runs).from_(per_user).where(runs > 2).order_by(runs.desc()).all(db)

The inner select's values are named c0, c1, ... inside it; each derived column reads
back and binds values as the expression it selects (its column's codec), so a derived
timestamp compares and decodes as the timestamp column does. The derived table is named
by its row types for mypy: two subqueries with the same row types are not told apart.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any, Generic, TypeVar, overload

from libsqlkit._expr import Expr, QueryError
from libsqlkit._schema import Table, TableSql

__all__ = ["Derived", "DerivedColumn"]

R = TypeVar("R")
T = TypeVar("T")
T1 = TypeVar("T1")
T2 = TypeVar("T2")
T3 = TypeVar("T3")
T4 = TypeVar("T4")
T5 = TypeVar("T5")
T6 = TypeVar("T6")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class DerivedColumn(Expr[T, Any]):
    """`alias`.`cN`: value N of a derived table, read and bound as its inner expression."""

    __slots__ = ("alias", "codec", "inner", "position")

    def __init__(self, alias: str, position: int, inner: Expr[Any, Any]) -> None:
        self.alias, self.position, self.inner = alias, position, inner
        self.codec = getattr(inner, "codec", None)  # a blob bigint stays unordered

    def shape(self) -> Hashable:
        return ("derived", self.alias, self.position)

    def render(self) -> str:
        return f"`{self.alias}`.`c{self.position}`"

    def tables(self) -> set[str]:
        return {self.alias}

    def encode_value(self, value: Any) -> Any:
        return self.inner.encode_value(value)

    def decode_value(self, value: Any) -> Any:
        return self.inner.decode_value(value)


class Derived(Generic[R]):
    """A select of columns named as a table (`FROM (SELECT ...) AS name`), rows `R`."""

    def __init__(self, query: Any, name: str) -> None:
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise QueryError(
                f"a subquery's name is a letter or _ then letters, digits or _ (at most 64), "
                f"got {name!r:.40}"
            )
        if query._columns is None:
            raise QueryError(
                "subquery() takes a select of columns: select(table.a, table.b).from_(table)"
            )
        self.query = query
        self.table = Table(name, (), "", TableSql("", ""), view=True)
        self._columns: tuple[DerivedColumn[Any], ...] = tuple(
            DerivedColumn(name, i, expr) for i, expr in enumerate(query._columns)
        )

    @overload
    def columns(self: Derived[tuple[T1]]) -> tuple[Expr[T1, Derived[tuple[T1]]]]: ...
    @overload
    def columns(
        self: Derived[tuple[T1, T2]],
    ) -> tuple[Expr[T1, Derived[tuple[T1, T2]]], Expr[T2, Derived[tuple[T1, T2]]]]: ...
    @overload
    def columns(
        self: Derived[tuple[T1, T2, T3]],
    ) -> tuple[
        Expr[T1, Derived[tuple[T1, T2, T3]]],
        Expr[T2, Derived[tuple[T1, T2, T3]]],
        Expr[T3, Derived[tuple[T1, T2, T3]]],
    ]: ...
    @overload
    def columns(
        self: Derived[tuple[T1, T2, T3, T4]],
    ) -> tuple[
        Expr[T1, Derived[tuple[T1, T2, T3, T4]]],
        Expr[T2, Derived[tuple[T1, T2, T3, T4]]],
        Expr[T3, Derived[tuple[T1, T2, T3, T4]]],
        Expr[T4, Derived[tuple[T1, T2, T3, T4]]],
    ]: ...
    @overload
    def columns(
        self: Derived[tuple[T1, T2, T3, T4, T5]],
    ) -> tuple[
        Expr[T1, Derived[tuple[T1, T2, T3, T4, T5]]],
        Expr[T2, Derived[tuple[T1, T2, T3, T4, T5]]],
        Expr[T3, Derived[tuple[T1, T2, T3, T4, T5]]],
        Expr[T4, Derived[tuple[T1, T2, T3, T4, T5]]],
        Expr[T5, Derived[tuple[T1, T2, T3, T4, T5]]],
    ]: ...
    @overload
    def columns(
        self: Derived[tuple[T1, T2, T3, T4, T5, T6]],
    ) -> tuple[
        Expr[T1, Derived[tuple[T1, T2, T3, T4, T5, T6]]],
        Expr[T2, Derived[tuple[T1, T2, T3, T4, T5, T6]]],
        Expr[T3, Derived[tuple[T1, T2, T3, T4, T5, T6]]],
        Expr[T4, Derived[tuple[T1, T2, T3, T4, T5, T6]]],
        Expr[T5, Derived[tuple[T1, T2, T3, T4, T5, T6]]],
        Expr[T6, Derived[tuple[T1, T2, T3, T4, T5, T6]]],
    ]: ...
    def columns(self) -> tuple[Expr[Any, Any], ...]:
        """Its columns, in the inner select's order, typed as the inner select's values."""
        return self._columns

    # -- what an outer select asks of its source --------------------------------------

    def shape(self) -> Hashable:
        return ("derived", self.table.name, self.query.shape())

    def render(self) -> str:
        return f"({self.query.render()}) AS `{self.table.name}`"

    def params(self, out: list[Any]) -> None:
        self.query.params(out)

    def check(self) -> None:
        """The inner select's own checks (a table not in it, ...)."""
        self.query.compile()
