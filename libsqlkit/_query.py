"""A typed query builder in Drizzle's style: select/insert/update/delete, checked by mypy.

    rows = select(workflows).where(and_(workflows.user_id == uid, workflows.deleted_at.is_null()))
           .order_by(workflows.created_at.desc()).all(db)          # list[Workflow]

Tables are the generated `XxxTable` classes (a `TableRef`); their columns are typed
`Column[T, Model]`. Results are inferred: `select(table)` gives the table's models,
`select(col_a, col_b)` tuples of the columns' types, a left-joined side is optional.
Values are always bound parameters, encoded with the columns' Drizzle-compatible codecs.
Every builder is immutable: each method returns a new query, so a query can be shared
and extended. The SQL of a query shape is rendered once and cached.
"""

from __future__ import annotations

from collections.abc import (
    AsyncGenerator,
    Callable,
    Coroutine,
    Generator,
    Hashable,
    Sequence,
)
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, overload

from libsqlkit._database import Database
from libsqlkit._errors import DecodeError
from libsqlkit._expr import (
    Binary,
    Condition,
    Expr,
    Logical,
    Ordering,
    QueryError,
    Value,
    count,
)
from libsqlkit._keyset import Page, decode_cursor, encode_cursor, fingerprint, page_size
from libsqlkit._keyset import after as after_row
from libsqlkit._models import InsertModel, SelectModel, UpdateModel
from libsqlkit._plan import Plan, Reads, Scan, Statement, chunk_size, rows_plan
from libsqlkit._rows import Row, column_names, insert_params, rows_to_models, update_values
from libsqlkit._schema import Column, Table

if TYPE_CHECKING:
    from libsqlkit._async_database import AsyncDatabase
    from libsqlkit._compound import Compound
    from libsqlkit._derived import Derived
    from libsqlkit._relational import Relational
    from libsqlkit._relations import Load

__all__ = [
    "Columns",
    "Delete",
    "Insert",
    "QueryError",
    "RawQuery",
    "Select",
    "Source",
    "TableRef",
    "Update",
    "ViewRef",
    "count_rows",
    "delete",
    "insert",
    "select",
    "sql",
    "update",
]

M = TypeVar("M", bound=SelectModel)
M2 = TypeVar("M2", bound=SelectModel)
N = TypeVar("N", bound=InsertModel)
U = TypeVar("U", bound=UpdateModel)
R = TypeVar("R")
S = TypeVar("S")
# The tables of the other select of a union: a type variable, not Any, which mypy would
# also give an inline select(...) argument's model (and so accept any table).
Q1 = TypeVar("Q1")
T1 = TypeVar("T1")
T2 = TypeVar("T2")
T3 = TypeVar("T3")
T4 = TypeVar("T4")
T5 = TypeVar("T5")
T6 = TypeVar("T6")
X1 = TypeVar("X1")
X2 = TypeVar("X2")
X3 = TypeVar("X3")
X4 = TypeVar("X4")
X5 = TypeVar("X5")
X6 = TypeVar("X6")
# The rows of a select of whole tables: models, None for a left-joined side without a match.
W1 = TypeVar("W1", bound=SelectModel | None)
W2 = TypeVar("W2", bound=SelectModel | None)
W3 = TypeVar("W3", bound=SelectModel | None)
W4 = TypeVar("W4", bound=SelectModel | None)
W5 = TypeVar("W5", bound=SelectModel | None)
W6 = TypeVar("W6", bound=SelectModel | None)

_CACHE: dict[Hashable, str] = {}
_CACHE_LIMIT = 4096


class Source(Generic[M]):
    """What a select reads from: a table or a view, its rows `M` (the select model).
    `table` (metadata) and `model` are class attributes, the columns typed class
    attributes."""

    table: ClassVar[Table]
    model: ClassVar[type[SelectModel]]


class TableRef(Source[M], Generic[M, N, U]):
    """Base of the generated table classes: a `Source` that insert, update and delete
    also take, with its `insert_model` and `update_model`."""

    insert_model: ClassVar[type[InsertModel]]
    update_model: ClassVar[type[UpdateModel]]


class ViewRef(Source[M]):
    """Base of the generated view classes: selected from, never written."""


def _q(name: str) -> str:
    return f"`{name}`"


def _compiled(shape: Hashable, render: Any) -> str:
    text = _CACHE.get(shape)
    if text is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        text = _CACHE[shape] = render()
    return text


def _check_tables(where: str, used: set[str], present: set[str]) -> None:
    missing = used - present
    if missing:
        raise QueryError(
            f"{where} uses table {', '.join(sorted(missing))}, which is not in this query "
            f"(it has {', '.join(sorted(present))}): add a join"
        )


def _all_columns(table: Table) -> str:
    return ", ".join(f"{_q(table.name)}.{_q(c.name)}" for c in table.columns)


class ManyModels(tuple[Any, ...]):
    """How rows of more than six joined whole tables are typed: tuples of models (or None),
    not told apart by mypy. (A type only: the rows are plain tuples.)"""

    __slots__ = ()


def _conjunction(conditions: tuple[Condition[Any], ...]) -> Condition[Any]:
    """Several where() conditions as one: ANDed, parenthesised where precedence needs it."""
    return conditions[0] if len(conditions) == 1 else Logical("AND", conditions)


@dataclass(frozen=True, slots=True, eq=False)
class _Join:
    kind: str
    ref: type[Source[Any]]
    condition: Condition[Any]


@dataclass(frozen=True, slots=True, eq=False)
class Select(Reads[R], Generic[R, S]):
    """SELECT with rows of type `R`, over the tables `S` (a union of select models).

    Rows of whole tables are typed exactly for up to six tables (beyond: `ManyModels`).
    Selecting columns, a left join makes every selected value optional: mypy cannot tell
    which columns belong to the outer table, and None must not be a surprise.
    Immutable: each method returns a new query.
    """

    _source: type[Source[Any]] | Derived[Any]
    _columns: tuple[Expr[Any, Any], ...] | None
    _joins: tuple[_Join, ...] = ()
    _where: tuple[Condition[Any], ...] = ()
    _order: tuple[Ordering[Any], ...] = ()
    _group: tuple[Expr[Any, Any], ...] = ()
    _having: tuple[Condition[Any], ...] = ()
    _distinct: bool = False
    _limit: int | None = None
    _offset: int | None = None
    _deleted: bool = False  # soft-deleted rows included
    _aliased: bool = False  # values named c0, c1, ...: the inner select of a subquery()

    # -- building -----------------------------------------------------------------------

    def where(self, condition: Condition[S]) -> Select[R, S]:
        """Filter rows; several where() calls are ANDed."""
        return replace(self, _where=(*self._where, condition))

    def order_by(self, *terms: Ordering[S] | Expr[Any, S]) -> Select[R, S]:
        orderings = tuple(t if isinstance(t, Ordering) else Ordering(t, "ASC") for t in terms)
        return replace(self, _order=(*self._order, *orderings))

    def group_by(self, *exprs: Expr[Any, S]) -> Select[R, S]:
        return replace(self, _group=(*self._group, *exprs))

    def having(self, condition: Condition[S]) -> Select[R, S]:
        """Filter groups (after group_by), typically on aggregates; several are ANDed."""
        return replace(self, _having=(*self._having, condition))

    def distinct(self) -> Select[R, S]:
        """SELECT DISTINCT: equal rows once."""
        return replace(self, _distinct=True)

    def limit(self, count: int) -> Select[R, S]:
        return replace(self, _limit=_non_negative("limit", count))

    def offset(self, count: int) -> Select[R, S]:
        return replace(self, _offset=_non_negative("offset", count))

    def union(self, other: Select[R, Q1], /) -> Compound[R]:
        """UNION: the rows of both selects (same column types), duplicates once."""
        return _compound(self, "UNION", other)

    def union_all(self, other: Select[R, Q1], /) -> Compound[R]:
        """UNION ALL: the rows of both selects, duplicates kept."""
        return _compound(self, "UNION ALL", other)

    def intersect(self, other: Select[R, Q1], /) -> Compound[R]:
        """INTERSECT: the rows in both selects."""
        return _compound(self, "INTERSECT", other)

    def except_(self, other: Select[R, Q1], /) -> Compound[R]:
        """EXCEPT: the rows of this select that the other does not return."""
        return _compound(self, "EXCEPT", other)

    def subquery(self, name: str) -> Derived[R]:
        """This select of columns as a table to select from: `FROM (SELECT ...) AS name`,
        its columns typed (`.columns()`)."""
        from libsqlkit._derived import Derived

        return Derived(replace(self, _aliased=True), name)

    def width(self) -> int:
        """How many values each row has in SQL (a whole table: all its columns)."""
        if self._columns is None:
            return sum(len(ref.table.columns) for ref in self._tables())
        return len(self._columns)

    if TYPE_CHECKING:

        def _rows(self) -> R:
            """Typing only: makes a Select[R, ...] a Subquery[R] for in_()."""

    def include_deleted(self) -> Select[R, S]:
        """Also the soft-deleted rows of its tables, which are hidden by default (as in the
        repositories): where `deleted_at IS NULL` would otherwise be added."""
        return replace(self, _deleted=True)

    @overload
    def with_(self: Select[M, M], a: Load[M, X1], /) -> Relational[tuple[M, X1], M]: ...
    @overload
    def with_(
        self: Select[M, M], a: Load[M, X1], b: Load[M, X2], /
    ) -> Relational[tuple[M, X1, X2], M]: ...
    @overload
    def with_(
        self: Select[M, M], a: Load[M, X1], b: Load[M, X2], c: Load[M, X3], /
    ) -> Relational[tuple[M, X1, X2, X3], M]: ...
    @overload
    def with_(
        self: Select[M, M], a: Load[M, X1], b: Load[M, X2], c: Load[M, X3], d: Load[M, X4], /
    ) -> Relational[tuple[M, X1, X2, X3, X4], M]: ...
    @overload
    def with_(
        self: Select[M, M],
        a: Load[M, X1],
        b: Load[M, X2],
        c: Load[M, X3],
        d: Load[M, X4],
        e: Load[M, X5],
        /,
    ) -> Relational[tuple[M, X1, X2, X3, X4, X5], M]: ...
    @overload
    def with_(
        self: Select[M, M],
        a: Load[M, X1],
        b: Load[M, X2],
        c: Load[M, X3],
        d: Load[M, X4],
        e: Load[M, X5],
        f: Load[M, X6],
        /,
    ) -> Relational[tuple[M, X1, X2, X3, X4, X5, X6], M]: ...
    def with_(self, *loads: Load[Any, Any]) -> Any:
        """Load relations of each row (`posts.author`, `posts.comments.limit(3)`,
        `posts.comments.count()`), nested to any depth, in one statement: each row
        becomes (row, *what each relation holds for it)."""
        from libsqlkit._relational import Relational

        return Relational(self, loads)

    def _live_conditions(self) -> tuple[Condition[Any], ...]:
        """where() conditions, and the source table's soft-delete rule."""
        return (*self._where, *_alive(self._source, self._deleted))

    def _join_condition(self, join: _Join) -> Condition[Any]:
        """The ON condition, and the joined table's soft-delete rule (in ON: a left join
        keeps its row and gets None instead of a deleted row)."""
        alive = _alive(join.ref, self._deleted)
        return Logical("AND", (join.condition, *alive)) if alive else join.condition

    def _join(self, kind: str, table: type[Source[Any]], on: Condition[Any]) -> Any:
        return replace(self, _joins=(*self._joins, _Join(kind, table, on)))

    # Whole tables first (their rows grow by one model per join), then selected columns.
    # The tuple overloads of both overlap on paper; columns never hold select models.
    @overload
    def inner_join(
        self: Select[ManyModels, S], table: type[Source[M2]], on: Condition[S | M2]
    ) -> Select[ManyModels, S | M2]: ...
    @overload
    def inner_join(
        self: Select[M, M], table: type[Source[M2]], on: Condition[M | M2]
    ) -> Select[tuple[M, M2], M | M2]: ...
    @overload
    def inner_join(
        self: Select[tuple[W1, W2], S], table: type[Source[M2]], on: Condition[S | M2]
    ) -> Select[tuple[W1, W2, M2], S | M2]: ...
    @overload
    def inner_join(
        self: Select[tuple[W1, W2, W3], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[W1, W2, W3, M2], S | M2]: ...
    @overload
    def inner_join(
        self: Select[tuple[W1, W2, W3, W4], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[W1, W2, W3, W4, M2], S | M2]: ...
    @overload
    def inner_join(
        self: Select[tuple[W1, W2, W3, W4, W5], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[W1, W2, W3, W4, W5, M2], S | M2]: ...
    @overload
    def inner_join(
        self: Select[tuple[W1, W2, W3, W4, W5, W6], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[ManyModels, S | M2]: ...
    @overload
    def inner_join(self, table: type[Source[M2]], on: Condition[S | M2]) -> Select[R, S | M2]: ...
    def inner_join(self, table: type[Source[Any]], on: Condition[Any]) -> Any:
        """INNER JOIN; selecting whole tables adds the joined model to each row's tuple."""
        return self._join("INNER JOIN", table, on)

    @overload
    def left_join(
        self: Select[ManyModels, S], table: type[Source[M2]], on: Condition[S | M2]
    ) -> Select[ManyModels, S | M2]: ...
    @overload
    def left_join(
        self: Select[M, M], table: type[Source[M2]], on: Condition[M | M2]
    ) -> Select[tuple[M, M2 | None], M | M2]: ...
    @overload
    def left_join(  # type: ignore[overload-overlap]
        self: Select[tuple[W1, W2], S], table: type[Source[M2]], on: Condition[S | M2]
    ) -> Select[tuple[W1, W2, M2 | None], S | M2]: ...
    @overload
    def left_join(  # type: ignore[overload-overlap]
        self: Select[tuple[W1, W2, W3], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[W1, W2, W3, M2 | None], S | M2]: ...
    @overload
    def left_join(  # type: ignore[overload-overlap]
        self: Select[tuple[W1, W2, W3, W4], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[W1, W2, W3, W4, M2 | None], S | M2]: ...
    @overload
    def left_join(  # type: ignore[overload-overlap]
        self: Select[tuple[W1, W2, W3, W4, W5], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[W1, W2, W3, W4, W5, M2 | None], S | M2]: ...
    @overload
    def left_join(
        self: Select[tuple[W1, W2, W3, W4, W5, W6], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[ManyModels, S | M2]: ...
    @overload
    def left_join(
        self: Select[tuple[T1], S], table: type[Source[M2]], on: Condition[S | M2]
    ) -> Select[tuple[T1 | None], S | M2]: ...
    @overload
    def left_join(
        self: Select[tuple[T1, T2], S], table: type[Source[M2]], on: Condition[S | M2]
    ) -> Select[tuple[T1 | None, T2 | None], S | M2]: ...
    @overload
    def left_join(
        self: Select[tuple[T1, T2, T3], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[T1 | None, T2 | None, T3 | None], S | M2]: ...
    @overload
    def left_join(
        self: Select[tuple[T1, T2, T3, T4], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[T1 | None, T2 | None, T3 | None, T4 | None], S | M2]: ...
    @overload
    def left_join(
        self: Select[tuple[T1, T2, T3, T4, T5], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[tuple[T1 | None, T2 | None, T3 | None, T4 | None, T5 | None], S | M2]: ...
    @overload
    def left_join(
        self: Select[tuple[T1, T2, T3, T4, T5, T6], S],
        table: type[Source[M2]],
        on: Condition[S | M2],
    ) -> Select[
        tuple[T1 | None, T2 | None, T3 | None, T4 | None, T5 | None, T6 | None], S | M2
    ]: ...
    def left_join(self, table: type[Source[Any]], on: Condition[Any]) -> Any:
        """LEFT JOIN: the joined side is None where no row matches (its model, or every
        selected column: see the class docstring)."""
        return self._join("LEFT JOIN", table, on)

    # -- compiling ----------------------------------------------------------------------

    def _tables(self) -> list[type[Source[Any]] | Derived[Any]]:
        return [self._source, *(j.ref for j in self._joins)]

    def shape(self) -> Hashable:
        return (
            "select",
            _source_shape(self._source),
            self._aliased,
            None if self._columns is None else tuple(c.shape() for c in self._columns),
            tuple((j.kind, j.ref.table.name, j.condition.shape()) for j in self._joins),
            tuple(w.shape() for w in self._where),
            tuple(g.shape() for g in self._group),
            tuple(h.shape() for h in self._having),
            self._distinct,
            tuple(o.shape() for o in self._order),
            self._limit is not None,
            self._offset is not None,
            self._deleted,
        )

    def render(self) -> str:
        if self._columns is None:
            selected = ", ".join(_all_columns(ref.table) for ref in self._tables())
        elif self._aliased:
            selected = ", ".join(f"{c.render()} AS `c{i}`" for i, c in enumerate(self._columns))
        else:
            selected = ", ".join(c.render() for c in self._columns)
        head = "SELECT DISTINCT" if self._distinct else "SELECT"
        source = self._source
        origin = _q(source.table.name) if isinstance(source, type) else source.render()
        parts = [f"{head} {selected} FROM {origin}"]
        parts += [
            f"{j.kind} {_q(j.ref.table.name)} ON {self._join_condition(j).render()}"
            for j in self._joins
        ]
        conditions = self._live_conditions()
        if conditions:
            parts.append("WHERE " + _conjunction(conditions).render())
        if self._group:
            parts.append("GROUP BY " + ", ".join(g.render() for g in self._group))
        if self._having:
            parts.append("HAVING " + _conjunction(self._having).render())
        if self._order:
            parts.append("ORDER BY " + ", ".join(o.render() for o in self._order))
        if self._limit is not None or self._offset is not None:
            parts.append("LIMIT ?")
        if self._offset is not None:
            parts.append("OFFSET ?")
        return " ".join(parts)

    def params(self, out: list[Any]) -> None:
        for column in self._columns or ():
            column.params(out)
        if not isinstance(self._source, type):
            self._source.params(out)
        for join in self._joins:
            self._join_condition(join).params(out)
        for condition in self._live_conditions():
            condition.params(out)
        for expr in self._group:
            expr.params(out)
        for condition in self._having:
            condition.params(out)
        for ordering in self._order:
            ordering.expr.params(out)
        if self._limit is not None or self._offset is not None:
            out.append(-1 if self._limit is None else self._limit)
        if self._offset is not None:
            out.append(self._offset)

    def compile(self) -> tuple[str, list[Any]]:
        """(SQL, parameters): also what `db.batch([...])` takes."""
        if self._having and not self._group:
            raise QueryError("having() filters groups: call group_by() first (or use where())")
        if not isinstance(self._source, type):
            self._source.check()
        present = {ref.table.name for ref in self._tables()}
        for label, exprs in (
            ("select", self._columns or ()),
            ("where", self._where),
            ("order_by", tuple(o.expr for o in self._order)),
            ("group_by", self._group),
            ("having", self._having),
            ("join", tuple(j.condition for j in self._joins)),
        ):
            for expr in exprs:
                _check_tables(label, expr.tables(), present)
        params: list[Any] = []
        self.params(params)
        return _compiled(self.shape(), self.render), params

    def output(self) -> tuple[tuple[Expr[Any, Any], bool], ...]:
        """Each selected expression (a whole table: its columns), and whether a left join
        can make it NULL: what a view defined by this query holds."""
        outer = {j.ref.table.name for j in self._joins if j.kind == "LEFT JOIN"}
        if self._columns is None:
            return tuple(
                (column, ref.table.name in outer)
                for ref in self._tables()
                for column in ref.table.columns
            )
        return tuple((expr, bool(expr.tables() & outer)) for expr in self._columns)

    # -- running ------------------------------------------------------------------------

    def plan(self) -> Plan[list[R]]:
        """The query as a plan: what `all` runs (and what `db.run` takes)."""
        statement, params = self.compile()
        table = self._source.table.name
        return Plan(
            (Statement(statement, params, table),),
            lambda results: self._decode(results[0]),
            write=False,
        )

    def _first_plan(self) -> Plan[R | None]:
        query = self if self._limit is not None else self.limit(1)
        statement, params = query.compile()
        return Plan(
            (Statement(statement, params, self._source.table.name),),
            lambda results: next(iter(query._decode(results[0][:1])), None),
            write=False,
        )

    def _scan(self, chunk: int) -> Scan[R]:
        """The query in primary-key order of its table, `chunk` rows at a time: the key
        is selected too (last, when columns are chosen) to find the next keyset page."""
        size = chunk_size(chunk)
        table = self._source.table
        unsupported = [
            name
            for name, used in (
                ("join", self._joins),
                ("group_by", self._group),
                ("distinct", self._distinct),
                ("order_by", self._order),
                ("limit", self._limit is not None),
                ("offset", self._offset is not None),
            )
            if used
        ]
        if not isinstance(self._source, type):
            unsupported.append("a subquery (no key)")
        if unsupported:
            raise QueryError(
                f"iter() reads `{table.name}` in primary-key order a chunk at a time (keyset "
                f"pages remotely), so it takes where() only, not {', '.join(unsupported)}: "
                "use all() for this query"
            )
        key = table.column(table.primary_key)
        keyed = replace(self, _order=(Ordering(key, "ASC"),))
        if self._columns is None:
            at = column_names(table).index(table.primary_key)
            decode = self._decode
        else:
            keyed = replace(keyed, _columns=(*self._columns, key))
            at = len(self._columns)

            def decode(rows: list[Row]) -> list[Any]:
                return self._decode([row[:-1] for row in rows])

        def statement(query: Select[Any, Any]) -> Statement:
            sql, params = query.compile()
            return Statement(sql, params, table.name)

        return Scan(
            whole=statement(keyed),
            first=statement(keyed.limit(size)),
            after=lambda row: statement(keyed.where(Binary(key, ">", Value(row[at]))).limit(size)),
            decode=decode,
            size=size,
        )

    def _page_plan(self, after: str | None, size: int) -> Plan[Page[R]]:
        """This query ordered by its terms then the primary key, `size` rows after the
        cursor's row; the terms' values are selected too (last) to make the next cursor,
        and one row more than the page tells whether there is a next page."""
        size = page_size(size)
        table = self._source.table
        unsupported = [
            name
            for name, used in (
                ("join", self._joins),
                ("group_by", self._group),
                ("distinct", self._distinct),
                ("limit", self._limit is not None),
                ("offset", self._offset is not None),
            )
            if used
        ]
        if unsupported or table.view:
            raise QueryError(
                f"page() reads rows of one table in order, ties broken by its primary key: "
                f"it takes where() and order_by(), not "
                f"{', '.join(unsupported) or 'a view or a subquery (no key)'}"
            )
        keys = tuple(table.column(name) for name in table.key)
        ordered = {id(term.expr) for term in self._order}
        terms = (*self._order, *(Ordering(k, "ASC") for k in keys if id(k) not in ordered))
        mark = fingerprint(table.name, terms)
        width = self.width()
        query = replace(
            self,
            _columns=(*(self._columns or table.columns), *(t.expr for t in terms)),
            _order=terms,
        )
        if after is not None:
            key_at = tuple(i for i, t in enumerate(terms) if any(t.expr is k for k in keys))
            start = decode_cursor(after, mark, len(terms), key_at)
            query = query.where(after_row(terms, start))
        statement, params = query.limit(size + 1).compile()

        def decode(results: list[list[Row]]) -> Page[R]:
            rows = results[0]
            more = len(rows) > size
            rows = rows[:size]
            cursor = encode_cursor(mark, tuple(rows[-1][width:])) if more else None
            return Page(self._decode([row[:width] for row in rows]), cursor)

        return Plan((Statement(statement, params, table.name),), decode, write=False)

    @overload
    def page(self, db: Database, *, after: str | None = None, size: int = 50) -> Page[R]: ...
    @overload
    def page(
        self, db: AsyncDatabase, *, after: str | None = None, size: int = 50
    ) -> Coroutine[Any, Any, Page[R]]: ...
    def page(
        self, db: Database | AsyncDatabase, *, after: str | None = None, size: int = 50
    ) -> Page[R] | Coroutine[Any, Any, Page[R]]:
        """`size` rows (1 to 10,000) in order_by's order, ties broken by the primary key,
        after the row the cursor `after` names (from the start without one), and the
        cursor of the next page (None after the last). NULLs sort first ascending, last
        descending, as SQLite sorts them."""
        return db.run(self._page_plan(after, size))

    @overload
    def iter(self, db: Database, *, chunk: int = 1000) -> Generator[R]: ...
    @overload
    def iter(self, db: AsyncDatabase, *, chunk: int = 1000) -> AsyncGenerator[R]: ...
    def iter(
        self, db: Database | AsyncDatabase, *, chunk: int = 1000
    ) -> Generator[R] | AsyncGenerator[R]:
        """The rows in primary-key order, `chunk` at a time, in bounded memory (`async
        for` on an AsyncDatabase): locally one cursor, remotely keyset pages."""
        return db.iter(self._scan(chunk))

    def _decode(self, rows: list[Row]) -> list[Any]:
        if self._columns is not None:
            columns = self._columns
            try:
                return [
                    tuple(c.decode_value(v) for c, v in zip(columns, row, strict=True))
                    for row in rows
                ]
            except (ValueError, TypeError, ArithmeticError, RecursionError) as exc:
                raise _undecodable(columns, rows, exc) from exc
        source = self._source
        assert isinstance(source, type), "a subquery's select has columns"
        tables = [source, *(j.ref for j in self._joins)]
        if len(tables) == 1:
            return rows_to_models(tables[0].table, tables[0].model, rows)
        decoded: list[list[Any]] = []
        start = 0
        for index, ref in enumerate(tables):
            width = len(ref.table.columns)
            part = [row[start : start + width] for row in rows]
            outer = index > 0 and self._joins[index - 1].kind == "LEFT JOIN"
            # An unmatched side has a NULL key (a view has no key: every column is NULL).
            key = None if ref.table.view else column_names(ref.table).index(ref.table.primary_key)
            unmatched = [
                outer and (p[key] is None if key is not None else all(v is None for v in p))
                for p in part
            ]
            models = iter(
                rows_to_models(
                    ref.table,
                    ref.model,
                    [p for p, none in zip(part, unmatched, strict=True) if not none],
                )
            )
            decoded.append([None if none else next(models) for none in unmatched])
            start += width
        return [tuple(values) for values in zip(*decoded, strict=True)]


def _non_negative(what: str, count: int) -> int:
    if type(count) is not int or count < 0:
        raise QueryError(f"{what} must be a whole number >= 0, got {count!r:.40}")
    return count


def _compound(first: Select[Any, Any], op: str, other: Select[Any, Any]) -> Compound[Any]:
    from libsqlkit._compound import Compound

    return Compound.of(first).joined(op, other)


def _source_shape(source: type[Source[Any]] | Derived[Any]) -> Hashable:
    return source.table.name if isinstance(source, type) else source.shape()


def _alive(ref: type[Source[Any]] | Derived[Any], included: bool) -> tuple[Condition[Any], ...]:
    """`deleted_at IS NULL` for a table with a soft-delete column, unless included."""
    deleted = ref.table.soft_delete
    return () if included or deleted is None else (ref.table.column(deleted).is_null(),)


def _undecodable(
    columns: tuple[Expr[Any, Any], ...], rows: list[Row], exc: Exception
) -> DecodeError:
    """Find the selected value that does not decode, and name its column."""
    for row in rows:
        for expr, value in zip(columns, row, strict=True):
            try:
                expr.decode_value(value)
            except (ValueError, TypeError, ArithmeticError, RecursionError):
                table, column = (
                    (expr.table, expr.name) if isinstance(expr, Column) else ("?", expr.render())
                )
                return DecodeError(
                    f"{table}.{column}: the stored value {value!r:.80} cannot be read as its "
                    f"column's type ({type(exc).__name__}: {exc})",
                    table=table,
                    column=column,
                    key=None,
                )
    return DecodeError(f"a selected value cannot be read: {exc}", table="?", column=None, key=None)


class Columns(Generic[R]):
    """select(col, ...) before .from_(table)."""

    def __init__(self, columns: tuple[Expr[Any, Any], ...]) -> None:
        self._columns = columns

    @overload
    def from_(self, table: Derived[S]) -> Select[R, Derived[S]]: ...
    @overload
    def from_(self, table: type[Source[M]]) -> Select[R, M]: ...
    def from_(self, table: type[Source[Any]] | Derived[Any]) -> Select[R, Any]:
        """The table, view or subquery() the columns are selected from."""
        return Select(table, self._columns)


@overload
def select(table: type[Source[M]], /) -> Select[M, M]: ...
@overload
def select(subquery: Derived[R], /) -> Select[R, Derived[R]]: ...
@overload
def select(c1: Expr[T1, Any], /) -> Columns[tuple[T1]]: ...
@overload
def select(c1: Expr[T1, Any], c2: Expr[T2, Any], /) -> Columns[tuple[T1, T2]]: ...
@overload
def select(
    c1: Expr[T1, Any], c2: Expr[T2, Any], c3: Expr[T3, Any], /
) -> Columns[tuple[T1, T2, T3]]: ...
@overload
def select(
    c1: Expr[T1, Any], c2: Expr[T2, Any], c3: Expr[T3, Any], c4: Expr[T4, Any], /
) -> Columns[tuple[T1, T2, T3, T4]]: ...
@overload
def select(
    c1: Expr[T1, Any], c2: Expr[T2, Any], c3: Expr[T3, Any], c4: Expr[T4, Any], c5: Expr[T5, Any], /
) -> Columns[tuple[T1, T2, T3, T4, T5]]: ...
@overload
def select(
    c1: Expr[T1, Any],
    c2: Expr[T2, Any],
    c3: Expr[T3, Any],
    c4: Expr[T4, Any],
    c5: Expr[T5, Any],
    c6: Expr[T6, Any],
    /,
) -> Columns[tuple[T1, T2, T3, T4, T5, T6]]: ...
def select(*items: Any) -> Any:
    """select(table) for whole rows as models, select(col, ...).from_(table) for tuples,
    select(subquery) for a subquery()'s rows."""
    from libsqlkit._derived import Derived

    if len(items) == 1 and isinstance(items[0], type) and issubclass(items[0], Source):
        return Select(items[0], None)
    if len(items) == 1 and isinstance(items[0], Derived):
        return Select(items[0], items[0].columns())
    if not items or not all(isinstance(item, Expr) for item in items):
        raise QueryError("select() takes one table, or one to six columns/expressions")
    return Columns(tuple(items))


@overload
def count_rows(
    db: Database,
    table: type[Source[M]],
    where: Condition[M] | None = None,
    *,
    include_deleted: bool = False,
) -> int: ...
@overload
def count_rows(
    db: AsyncDatabase,
    table: type[Source[M]],
    where: Condition[M] | None = None,
    *,
    include_deleted: bool = False,
) -> Coroutine[Any, Any, int]: ...
def count_rows(
    db: Database | AsyncDatabase,
    table: type[Source[M]],
    where: Condition[M] | None = None,
    *,
    include_deleted: bool = False,
) -> int | Coroutine[Any, Any, int]:
    """How many rows of `table` match `where` (Drizzle's `db.$count`); soft-deleted rows
    are left out unless included, as in select()."""
    query: Select[tuple[int], M] = Select(table, (count(),), _deleted=include_deleted)
    if where is not None:
        query = query.where(where)
    statement, params = query.compile()
    return db.run(
        Plan(
            (Statement(statement, params, table.table.name),),
            lambda results: int(results[0][0][0]),
            write=False,
        )
    )


@dataclass(frozen=True, slots=True, eq=False)
class _Write(Generic[M]):
    """What insert/update/delete share: RETURNING, running, compiling. Immutable, like
    Select: each method returns a new statement."""

    _ref: type[TableRef[Any, Any, Any]]
    _returning: bool = False

    def returning(self) -> Self:
        """RETURNING every column: .all(db) gives the affected rows as models."""
        return replace(self, _returning=True)

    def _statements(self) -> list[tuple[str, list[Any]]]:
        raise NotImplementedError

    def compile(self) -> list[tuple[str, list[Any]]]:
        """The statements with their parameters (several for a multi-row insert)."""
        return self._statements()

    def _tail(self) -> str:
        table = self._ref.table
        return (
            f" RETURNING {_all_columns(table)}"
            if self._returning
            else f" RETURNING {_q(table.name)}.{_q(table.primary_key)}"
        )

    def _plan(self, decode: Callable[[list[Row]], R]) -> Plan[R]:
        """All statements, all or nothing (a multi-row insert is several statements),
        in one round trip remotely; `decode` gets every affected row."""
        table = self._ref.table.name
        statements = tuple(Statement(sql, params, table) for sql, params in self.compile())
        return Plan(
            statements,
            lambda results: decode([row for rows in results for row in rows]),
            write=True,
        )

    @overload
    def all(self, db: Database) -> list[M]: ...
    @overload
    def all(self, db: AsyncDatabase) -> Coroutine[Any, Any, list[M]]: ...
    def all(self, db: Database | AsyncDatabase) -> list[M] | Coroutine[Any, Any, list[M]]:
        """Run it and return the affected rows (call .returning() first)."""
        if not self._returning:
            raise QueryError("call .returning() to get the rows back, or .run(db) for a count")
        ref = self._ref
        return db.run(self._plan(lambda rows: rows_to_models(ref.table, ref.model, rows)))

    @overload
    def run(self, db: Database) -> int: ...
    @overload
    def run(self, db: AsyncDatabase) -> Coroutine[Any, Any, int]: ...
    def run(self, db: Database | AsyncDatabase) -> int | Coroutine[Any, Any, int]:
        """Run it; the number of rows affected."""
        return db.run(self._plan(len))


@dataclass(frozen=True, slots=True, eq=False)
class Insert(_Write[M], Generic[M, N, U]):
    _rows: tuple[N, ...] = ()
    _conflict: tuple[str, tuple[Column[Any, Any], ...], U | None] | None = None

    def values(self, rows: N | Sequence[N]) -> Insert[M, N, U]:
        items = tuple(rows) if isinstance(rows, Sequence) else (rows,)
        for item in items:
            if not isinstance(item, self._ref.insert_model):
                raise QueryError(
                    f"insert into {self._ref.table.name} takes {self._ref.insert_model.__name__}, not {type(item).__name__}"
                )
        return replace(self, _rows=items)

    def on_conflict_do_nothing(
        self, target: Column[Any, M] | Sequence[Column[Any, M]] = ()
    ) -> Insert[M, N, U]:
        return replace(self, _conflict=("nothing", _targets(target), None))

    def on_conflict_do_update(
        self, *, target: Column[Any, M] | Sequence[Column[Any, M]], set_: U
    ) -> Insert[M, N, U]:
        """Upsert: on a conflict on `target`, write the fields set in `set_` instead."""
        if not isinstance(set_, self._ref.update_model):
            raise QueryError(
                f"set_ takes {self._ref.update_model.__name__}, not {type(set_).__name__}"
            )
        return replace(self, _conflict=("update", _targets(target), set_))

    def _statements(self) -> list[tuple[str, list[Any]]]:
        if not self._rows:
            raise QueryError("insert(...) needs .values(...)")
        table = self._ref.table
        head = table.sql.insert.partition(" RETURNING ")[0]
        conflict: str = ""
        conflict_params: list[Any] = []
        if self._conflict is not None:
            kind, targets, changes = self._conflict
            on = f"({', '.join(_q(c.name) for c in targets)}) " if targets else ""
            if kind == "nothing":
                conflict = f" ON CONFLICT {on}DO NOTHING"
            else:
                assert changes is not None
                if not changes.__pydantic_fields_set__:
                    raise QueryError("on_conflict_do_update needs at least one field in set_")
                fields, conflict_params = update_values(table, changes)
                conflict = f" ON CONFLICT {on}DO UPDATE SET " + ", ".join(
                    f"{_q(c.name)} = ?" for c in fields
                )
        statement = head + conflict + self._tail()
        return [(statement, [*insert_params(table, row), *conflict_params]) for row in self._rows]


def _targets(target: Column[Any, Any] | Sequence[Column[Any, Any]]) -> tuple[Column[Any, Any], ...]:
    return (target,) if isinstance(target, Column) else tuple(target)


@dataclass(frozen=True, slots=True, eq=False)
class Update(_Write[M], Generic[M, U]):
    _changes: U | None = None
    _where: tuple[Condition[Any], ...] = ()

    def set(self, changes: U) -> Update[M, U]:
        """The fields set in `changes` are written (on-update columns too, unless set)."""
        if not isinstance(changes, self._ref.update_model):
            raise QueryError(
                f"update {self._ref.table.name} takes {self._ref.update_model.__name__}, not {type(changes).__name__}"
            )
        return replace(self, _changes=changes)

    def where(self, condition: Condition[M]) -> Update[M, U]:
        """Several where() calls are ANDed."""
        return replace(self, _where=(*self._where, condition))

    def _statements(self) -> list[tuple[str, list[Any]]]:
        if self._changes is None:
            raise QueryError("update(...) needs .set(...)")
        table = self._ref.table
        columns, params = update_values(table, self._changes)
        if not columns:
            raise QueryError("update(...).set(...) has nothing to write")
        assignments = ", ".join(f"{_q(c.name)} = ?" for c in columns)
        where, where_params = _where(self._where, table.name)
        return [
            (
                f"UPDATE {_q(table.name)} SET {assignments}{where}{self._tail()}",
                [*params, *where_params],
            )
        ]


@dataclass(frozen=True, slots=True, eq=False)
class Delete(_Write[M]):
    _where: tuple[Condition[Any], ...] = ()

    def where(self, condition: Condition[M]) -> Delete[M]:
        """Several where() calls are ANDed."""
        return replace(self, _where=(*self._where, condition))

    def _statements(self) -> list[tuple[str, list[Any]]]:
        where, params = _where(self._where, self._ref.table.name)
        return [(f"DELETE FROM {_q(self._ref.table.name)}{where}{self._tail()}", params)]


def _where(conditions: tuple[Condition[Any], ...], table: str) -> tuple[str, list[Any]]:
    if not conditions:
        return "", []
    combined = _conjunction(conditions)
    _check_tables("where", combined.tables(), {table})
    params: list[Any] = []
    combined.params(params)
    return " WHERE " + _compiled(("where", combined.shape()), combined.render), params


def _writable(table: type[Source[Any]], verb: str) -> None:
    """A view is read only: mypy refuses it here, and so does the run time."""
    if not (isinstance(table, type) and issubclass(table, TableRef)) or table.table.view:
        raise QueryError(f"{verb}() takes a table; {table.table.name} is a view, read only")


def insert(table: type[TableRef[M, N, U]]) -> Insert[M, N, U]:
    _writable(table, "insert")
    return Insert(table)


def update(table: type[TableRef[M, Any, U]]) -> Update[M, U]:
    _writable(table, "update")
    return Update(table)


def delete(table: type[TableRef[M, Any, Any]]) -> Delete[M]:
    _writable(table, "delete")
    return Delete(table)


class RawQuery:
    """The escape hatch: SQL text with `?` placeholders, values always bound."""

    def __init__(self, text: str, params: tuple[Any, ...]) -> None:
        self.text, self._params = text, list(params)

    def compile(self) -> tuple[str, list[Any]]:
        return self.text, self._params

    def plan(self) -> Plan[list[Row]]:
        return rows_plan(self.text, self._params)

    @overload
    def all(self, db: Database) -> list[Row]: ...
    @overload
    def all(self, db: AsyncDatabase) -> Coroutine[Any, Any, list[Row]]: ...
    def all(self, db: Database | AsyncDatabase) -> list[Row] | Coroutine[Any, Any, list[Row]]:
        return db.run(self.plan())

    @overload
    def run(self, db: Database) -> None: ...
    @overload
    def run(self, db: AsyncDatabase) -> Coroutine[Any, Any, None]: ...
    def run(self, db: Database | AsyncDatabase) -> Coroutine[Any, Any, None] | None:
        return db.run(Plan(self.plan().statements, lambda _: None, write=True))


def sql(text: str, *params: Any) -> RawQuery:
    """sql("SELECT ... WHERE x = ?", value): raw SQL; values are bound, never pasted in."""
    return RawQuery(text, params)
