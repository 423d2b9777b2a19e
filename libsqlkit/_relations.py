"""Relations between tables, as schema.yaml names them on foreign keys.

Each generated table class carries its relations as class attributes (`posts.author`,
`users.posts`, `posts.tags`), typed by the rows they hold for one row of their table:

- `One[P, M, I]`: the parent row a NOT NULL foreign key names (`I`, the row's model `M`);
- `MaybeOne[P, M, I]`: the parent of a nullable foreign key, or the one child of a unique
  one (`I | None`);
- `Many[P, M, I]`: the children of a foreign key, or rows through a join table
  (`list[I]`).

`I` is `M` until `.with_(...)` nests relations of `M`: then each item is a tuple, the row
first (`tuple[Comment, User]`), and the relation is a `OneWith`, `MaybeOneWith` or
`ManyWith` (no second `with_()`). A `Many` takes `where`, `order_by`, `limit`, `offset`
and `include_deleted()`; `.count()` counts it and `.exists()` filters its owner's rows
by it. Everything is immutable. `select(posts).with_(...)` (libsqlkit._relational) loads
them.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload

from libsqlkit._expr import _AND, _COMPARISON, Condition, Expr, Ordering, QueryError, _operand

if TYPE_CHECKING:
    from libsqlkit._models import SelectModel
    from libsqlkit._query import TableRef
    from libsqlkit._schema import Table

__all__ = [
    "Load",
    "Many",
    "ManyWith",
    "MaybeOne",
    "MaybeOneWith",
    "One",
    "OneWith",
    "Relation",
    "RelationCount",
]

P = TypeVar("P", bound="SelectModel")
M = TypeVar("M", bound="SelectModel")
I = TypeVar("I")  # noqa: E741 (the item type, as in the docstring)
X = TypeVar("X", covariant=True)
X1 = TypeVar("X1")
X2 = TypeVar("X2")
X3 = TypeVar("X3")
X4 = TypeVar("X4")
X5 = TypeVar("X5")
X6 = TypeVar("X6")

Pairs = tuple[tuple[str, str], ...]


class Load(Generic[P, X]):
    """What a relational query loads for each row of `P`: a relation's rows (`X`), or a
    count (`int`). What `with_(...)` takes."""

    __slots__ = ()

    def node(self) -> Relation[Any, Any, Any] | RelationCount[Any]:
        raise NotImplementedError


class Relation(Load[P, X], Generic[P, M, X]):
    """A relation of `owner` to `target`: target rows whose `on` columns equal the
    owner's, directly or through a join table (`through`, matched by `through_on`).

    `on` pairs (owner column, target column), or (owner column, join-table column)
    with `through`, then `through_on` pairs (join-table column, target column).
    """

    __slots__ = (
        "children",
        "include_deleted_rows",
        "limit_count",
        "name",
        "offset_count",
        "on",
        "ordering",
        "owner",
        "target",
        "through",
        "through_on",
        "where_conditions",
    )
    kind = "many"

    def __init__(
        self,
        owner: type[TableRef[P, Any, Any]],
        name: str,
        target: type[TableRef[M, Any, Any]],
        on: Pairs,
        *,
        through: type[TableRef[Any, Any, Any]] | None = None,
        through_on: Pairs = (),
    ) -> None:
        self.owner, self.name, self.target, self.on = owner, name, target, on
        self.through, self.through_on = through, through_on
        self.children: tuple[Relation[Any, Any, Any] | RelationCount[Any], ...] = ()
        self.where_conditions: tuple[Condition[Any], ...] = ()
        self.ordering: tuple[Ordering[Any], ...] = ()
        self.limit_count: int | None = None
        self.offset_count: int | None = None
        self.include_deleted_rows = False

    def __repr__(self) -> str:
        return f"{self.owner.table.name}.{self.name}"

    def node(self) -> Relation[Any, Any, Any]:
        return self

    def _copy(self, **changes: Any) -> Any:
        return self._as(type(self), **changes)

    def _as(self, kind: type[Relation[Any, Any, Any]], **changes: Any) -> Any:
        """A copy of this relation as an instance of `kind`, with `changes`."""
        copy = object.__new__(kind)
        for slot in Relation.__slots__:
            setattr(copy, slot, changes.get(slot, getattr(self, slot)))
        return copy

    def _nested(
        self, kind: type[Relation[Any, Any, Any]], loads: tuple[Load[Any, Any], ...]
    ) -> Any:
        """The relation as `kind` (its class once nested, which has no with_()),
        loading `loads` for each of its rows."""
        nodes = tuple(load.node() for load in loads)
        for node in nodes:
            owner = node.relation.owner if isinstance(node, RelationCount) else node.owner
            if owner.table.name != self.target.table.name:
                raise QueryError(
                    f"{node!r} is a relation of {owner.table.name}, not of {self.target.table.name}"
                )
        return self._as(kind, children=nodes)

    # -- what a query needs ----------------------------------------------------------

    @property
    def table(self) -> Table:
        return self.target.table

    def own_columns(self) -> tuple[str, ...]:
        """The owner's columns that find this relation's rows."""
        return tuple(mine for mine, _ in self.on)

    def shape(self) -> Hashable:
        return (
            type(self).__name__,
            self.owner.table.name,
            self.name,
            tuple(w.shape() for w in self.where_conditions),
            tuple(o.shape() for o in self.ordering),
            self.limit_count is not None,
            self.offset_count is not None,
            self.include_deleted_rows,
            tuple(child.shape() for child in self.children),
        )

    def link(self, parent: str, params: list[Any]) -> tuple[str, list[str], str]:
        """(FROM, the columns matching the owner's, WHERE) finding this relation's rows of
        the owner rows in the CTE `parent`, with the filter and the hidden soft-deleted
        rows; the WHERE's parameters go to `params`."""
        target = self.table.name
        if self.through is None:
            source = f"`{target}`"
            matched = [f"`{target}`.`{theirs}`" for _, theirs in self.on]
        else:
            join = self.through.table.name
            source = f"`{join}` JOIN `{target}` ON " + " AND ".join(
                f"`{target}`.`{theirs}` = `{join}`.`{mine}`" for mine, theirs in self.through_on
            )
            matched = [f"`{join}`.`{theirs}`" for _, theirs in self.on]
        mine = ", ".join(f"`{parent}`.`{column}`" for column in self.own_columns())
        wanted = f"({', '.join(matched)})" if len(matched) > 1 else matched[0]
        where = [f"{wanted} IN (SELECT {mine} FROM `{parent}`)"]
        where += self.filters(params)
        return source, matched, " AND ".join(where)

    def filters(self, params: list[Any]) -> list[str]:
        """The relation's own conditions and the soft-delete rule, rendered."""
        parts = []
        for condition in self.where_conditions:
            used = condition.tables() - {self.table.name}
            if used:
                raise QueryError(
                    f"{self!r}.where() uses table {', '.join(sorted(used))}: a relation's "
                    f"filter is on {self.table.name} only"
                )
            parts.append(_operand(condition, _AND))
            condition.params(params)
        if self.hides_deleted():
            parts.append(f"`{self.table.name}`.`{self.table.soft_delete}` IS NULL")
        return parts

    def hides_deleted(self) -> bool:
        """Soft-deleted rows are hidden, as in the repositories, unless asked for; a
        foreign key's parent row (`One`) is always the row it names."""
        return (
            self.kind != "one"
            and self.table.soft_delete is not None
            and not self.include_deleted_rows
        )


class OneWith(Relation[P, M, I]):
    """The row a NOT NULL foreign key names, with relations of its own: `I` for every
    owner row."""

    __slots__ = ()
    kind = "one"


class One(OneWith[P, M, I]):
    """The row a NOT NULL foreign key names: loaded as `I` for every owner row."""

    __slots__ = ()

    if TYPE_CHECKING:

        def __init__(
            self: One[P, M, M],
            owner: type[TableRef[P, Any, Any]],
            name: str,
            target: type[TableRef[M, Any, Any]],
            on: Pairs,
        ) -> None: ...

    @overload
    def with_(self: One[P, M, M], a: Load[M, X1], /) -> OneWith[P, M, tuple[M, X1]]: ...
    @overload
    def with_(
        self: One[P, M, M], a: Load[M, X1], b: Load[M, X2], /
    ) -> OneWith[P, M, tuple[M, X1, X2]]: ...
    @overload
    def with_(
        self: One[P, M, M], a: Load[M, X1], b: Load[M, X2], c: Load[M, X3], /
    ) -> OneWith[P, M, tuple[M, X1, X2, X3]]: ...
    @overload
    def with_(
        self: One[P, M, M], a: Load[M, X1], b: Load[M, X2], c: Load[M, X3], d: Load[M, X4], /
    ) -> OneWith[P, M, tuple[M, X1, X2, X3, X4]]: ...
    def with_(self, *loads: Load[Any, Any]) -> Any:
        """Load relations of the parent row too: each item becomes (row, *theirs)."""
        return self._nested(OneWith, loads)


class MaybeOneWith(Relation[P, M, I | None]):
    """A row that may be absent (a nullable foreign key's parent, or the one child of a
    unique foreign key), with relations of its own: `I | None`."""

    __slots__ = ()
    kind = "maybe"

    def include_deleted(self) -> Self:
        """Also load a soft-deleted row (hidden by default: None)."""
        return self._copy(include_deleted_rows=True)  # type: ignore[no-any-return]


class MaybeOne(MaybeOneWith[P, M, I]):
    """A row that may be absent: a nullable foreign key's parent, or the one child of a
    unique foreign key. Loaded as `I | None`."""

    __slots__ = ()

    if TYPE_CHECKING:

        def __init__(
            self: MaybeOne[P, M, M],
            owner: type[TableRef[P, Any, Any]],
            name: str,
            target: type[TableRef[M, Any, Any]],
            on: Pairs,
        ) -> None: ...

    @overload
    def with_(self: MaybeOne[P, M, M], a: Load[M, X1], /) -> MaybeOneWith[P, M, tuple[M, X1]]: ...
    @overload
    def with_(
        self: MaybeOne[P, M, M], a: Load[M, X1], b: Load[M, X2], /
    ) -> MaybeOneWith[P, M, tuple[M, X1, X2]]: ...
    @overload
    def with_(
        self: MaybeOne[P, M, M], a: Load[M, X1], b: Load[M, X2], c: Load[M, X3], /
    ) -> MaybeOneWith[P, M, tuple[M, X1, X2, X3]]: ...
    @overload
    def with_(
        self: MaybeOne[P, M, M],
        a: Load[M, X1],
        b: Load[M, X2],
        c: Load[M, X3],
        d: Load[M, X4],
        /,
    ) -> MaybeOneWith[P, M, tuple[M, X1, X2, X3, X4]]: ...
    def with_(self, *loads: Load[Any, Any]) -> Any:
        """Load relations of the row too: the item becomes (row, *theirs)."""
        return self._nested(MaybeOneWith, loads)


class ManyWith(Relation[P, M, list[I]]):
    """Rows of another table for each owner row (`list[I]`), with relations of their
    own; filtered, ordered and cut per owner row."""

    __slots__ = ()
    kind = "many"

    def where(self, condition: Condition[M]) -> Self:
        """Only the rows matching `condition` (several where() calls are ANDed)."""
        return self._copy(where_conditions=(*self.where_conditions, condition))  # type: ignore[no-any-return]

    def order_by(self, *terms: Ordering[M] | Expr[Any, M]) -> Self:
        """The order of each owner row's list (the key breaks ties)."""
        orderings = tuple(t if isinstance(t, Ordering) else Ordering(t, "ASC") for t in terms)
        return self._copy(ordering=(*self.ordering, *orderings))  # type: ignore[no-any-return]

    def limit(self, count: int) -> Self:
        """At most `count` rows per owner row."""
        if count < 0:
            raise QueryError(f"limit must be >= 0, got {count}")
        return self._copy(limit_count=count)  # type: ignore[no-any-return]

    def offset(self, count: int) -> Self:
        """Skip the first `count` rows of each owner row."""
        if count < 0:
            raise QueryError(f"offset must be >= 0, got {count}")
        return self._copy(offset_count=count)  # type: ignore[no-any-return]

    def include_deleted(self) -> Self:
        """Also load soft-deleted rows (hidden by default, as in the repositories)."""
        return self._copy(include_deleted_rows=True)  # type: ignore[no-any-return]


class Many(ManyWith[P, M, I]):
    """Rows of another table for each owner row: the children of a foreign key, or rows
    through a join table. Loaded as `list[I]`; filtered, ordered and cut per owner row;
    counted; a filter of the owner's rows."""

    __slots__ = ()

    if TYPE_CHECKING:

        def __init__(
            self: Many[P, M, M],
            owner: type[TableRef[P, Any, Any]],
            name: str,
            target: type[TableRef[M, Any, Any]],
            on: Pairs,
            *,
            through: type[TableRef[Any, Any, Any]] | None = None,
            through_on: Pairs = (),
        ) -> None: ...

    def count(self) -> RelationCount[P]:
        """How many rows each owner row has (after where(); order and limit aside)."""
        return RelationCount(self)

    def exists(self) -> Condition[P]:
        """A condition on the owner's rows: that they have at least one such row (after
        where()). For where() of a query on the owner table."""
        return RelationExists(self)

    @overload
    def with_(self: Many[P, M, M], a: Load[M, X1], /) -> ManyWith[P, M, tuple[M, X1]]: ...
    @overload
    def with_(
        self: Many[P, M, M], a: Load[M, X1], b: Load[M, X2], /
    ) -> ManyWith[P, M, tuple[M, X1, X2]]: ...
    @overload
    def with_(
        self: Many[P, M, M], a: Load[M, X1], b: Load[M, X2], c: Load[M, X3], /
    ) -> ManyWith[P, M, tuple[M, X1, X2, X3]]: ...
    @overload
    def with_(
        self: Many[P, M, M], a: Load[M, X1], b: Load[M, X2], c: Load[M, X3], d: Load[M, X4], /
    ) -> ManyWith[P, M, tuple[M, X1, X2, X3, X4]]: ...
    def with_(self, *loads: Load[Any, Any]) -> Any:
        """Load relations of each row too: each item becomes (row, *theirs)."""
        return self._nested(ManyWith, loads)


class RelationCount(Load[P, int]):
    """The number of rows of a `Many` relation for each owner row."""

    __slots__ = ("relation",)

    def __init__(self, relation: Many[P, Any, Any]) -> None:
        self.relation = relation

    def __repr__(self) -> str:
        return f"{self.relation!r}.count()"

    def node(self) -> RelationCount[P]:
        return self

    def shape(self) -> Hashable:
        return ("count", self.relation.shape())


class RelationExists(Condition[P]):
    """EXISTS (the relation's rows of the outer row): a relation filter."""

    __slots__ = ("relation",)

    def __init__(self, relation: Many[P, Any, Any]) -> None:
        if relation.owner.table.name in (relation.table.name, _through_name(relation)):
            raise QueryError(
                f"exists() of {relation!r}: a relation of a table to itself cannot tell its "
                "two rows apart in SQL; write the subquery with exists(select(...))"
            )
        self.relation = relation

    def shape(self) -> Hashable:
        return ("EXISTS", self.relation.shape())

    def precedence(self) -> int:
        return _COMPARISON  # parenthesised as an operand, like every EXISTS

    def render(self) -> str:
        relation = self.relation
        owner = relation.owner.table.name
        source, where = _correlated(relation, owner)
        return f"EXISTS (SELECT 1 FROM {source} WHERE {where})"

    def params(self, out: list[Any]) -> None:
        self.relation.filters(out)

    def tables(self) -> set[str]:
        return {self.relation.owner.table.name}


def _through_name(relation: Relation[Any, Any, Any]) -> str | None:
    return None if relation.through is None else relation.through.table.name


def _correlated(relation: Relation[Any, Any, Any], owner: str) -> tuple[str, str]:
    """(FROM, WHERE) of the relation's rows of the outer `owner` row."""
    target = relation.table.name
    if relation.through is None:
        source = f"`{target}`"
        pairs = [(f"`{target}`.`{theirs}`", mine) for mine, theirs in relation.on]
    else:
        join = relation.through.table.name
        source = f"`{join}` JOIN `{target}` ON " + " AND ".join(
            f"`{target}`.`{theirs}` = `{join}`.`{mine}`" for mine, theirs in relation.through_on
        )
        pairs = [(f"`{join}`.`{theirs}`", mine) for mine, theirs in relation.on]
    where = [f"{theirs} = `{owner}`.`{mine}`" for theirs, mine in pairs]
    where += relation.filters([])
    return source, " AND ".join(where)
