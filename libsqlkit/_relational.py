"""Relational queries: rows of one table with chosen relations nested, in one statement.

    feed = (
        select(posts).order_by(posts.created_at.desc()).limit(100)
        .with_(posts.author, posts.comments.order_by(comments.created_at).with_(comments.author),
               posts.comments.count())
        .all(db)
    )   # list[tuple[Post, User, list[tuple[Comment, User]], int]]

One statement builds the whole tree, whatever its depth: each level is a materialized
common table expression whose rows are found from its parent level's rows (`key IN
(SELECT ... FROM parent)`), numbered in the relation's order by a window function
(per parent row when a limit or offset cuts each list); the levels' rows come back
together (UNION ALL, padded to one width, tagged with their level and number) and are
nested here. So a query never
issues a statement per parent row, reads one snapshot of the database in every mode,
and costs one round trip to a server. Unlike a tree built with SQLite's JSON functions
(Drizzle's way), every value keeps its stored type (blobs, 64-bit integers, exact
floats) and goes through its column's codec as in any other read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from libsqlkit._errors import DecodeError
from libsqlkit._expr import Condition, Expr, Logical, Ordering, QueryError
from libsqlkit._plan import Plan, Reads, Statement
from libsqlkit._relations import Load, Relation, RelationCount
from libsqlkit._rows import Row, column_names, rows_to_models
from libsqlkit._schema import Table

if TYPE_CHECKING:
    from libsqlkit._query import Select

__all__ = ["Relational"]

R = TypeVar("R")
S = TypeVar("S")


def _q(name: str) -> str:
    return f"`{name}`"


def _conjunction(conditions: tuple[Condition[Any], ...]) -> Condition[Any]:
    return conditions[0] if len(conditions) == 1 else Logical("AND", conditions)


def _key_order(table: Table, terms: tuple[Ordering[Any], ...], params: list[Any]) -> str:
    """The ORDER BY of a level: the chosen terms, then the key (so ties never make two
    readings of the same rows differ)."""
    rendered = []
    for term in terms:
        rendered.append(term.render())
        term.expr.params(params)
    rendered += [f"{_q(table.name)}.{_q(c)}" for c in table.key]
    return ", ".join(rendered)


@dataclass
class _Level:
    """One level of the tree: the root, a relation, or a relation's count.

    `links` counts the extra columns (`_k0`, ...) that tie a row to its parent row: the
    join table's columns of a many-to-many relation, or a count's group. A direct
    relation's rows carry those values in their own columns (`tie`, their positions).
    """

    index: int
    parent: int
    load: Relation[Any, Any, Any] | RelationCount[Any] | None
    table: Table
    model: Any
    links: int = 0
    tie: tuple[int, ...] = ()
    children: list[_Level] = field(default_factory=list)

    @property
    def width(self) -> int:
        return 1 if isinstance(self.load, RelationCount) else len(self.table.columns)

    @property
    def cte(self) -> str:
        return f"_r{self.index}"


def _levels(root: Select[Any, Any], loads: tuple[Load[Any, Any], ...]) -> list[_Level]:
    """Every level in depth-first order (a parent before its children)."""
    ref = root._source
    assert isinstance(ref, type), "with_() takes a select of a whole table"
    levels = [_Level(0, -1, None, ref.table, ref.model)]

    def add(parent: _Level, node: Relation[Any, Any, Any] | RelationCount[Any]) -> None:
        relation = node.relation if isinstance(node, RelationCount) else node
        if relation.owner.table.name != parent.table.name:
            raise QueryError(
                f"{node!r} is a relation of {relation.owner.table.name}, not of {parent.table.name}"
            )
        level = _Level(len(levels), parent.index, node, relation.table, relation.target.model)
        if isinstance(node, RelationCount) or relation.through is not None:
            level.links = len(relation.on)
        else:
            names = column_names(relation.table)
            level.tie = tuple(names.index(theirs) for _, theirs in relation.on)
        levels.append(level)
        parent.children.append(level)
        if isinstance(node, Relation):
            for child in node.children:
                add(level, child)

    for load in loads:
        add(levels[0], load.node())
    return levels


def _root_cte(root: Select[Any, Any], level: _Level, params: list[Any]) -> str:
    """The top level: the select's rows (soft-deleted ones hidden unless asked for),
    numbered in its order."""
    table = level.table
    name = _q(table.name)
    columns = ", ".join(f"{name}.{_q(c.name)} AS {_q(c.name)}" for c in table.columns)
    order_params: list[Any] = []
    order = _key_order(table, root._order, order_params)
    # The window's ORDER BY and the query's are the same terms: their parameters twice.
    text = f"SELECT {columns}, row_number() OVER (ORDER BY {order}) AS `_o` FROM {name}"
    params += order_params
    conditions = root._live_conditions()
    if conditions:
        combined = _conjunction(conditions)
        text += " WHERE " + combined.render()
        combined.params(params)
    text += f" ORDER BY {order}"
    params += order_params
    if root._limit is not None or root._offset is not None:
        text += " LIMIT ?"
        params.append(-1 if root._limit is None else root._limit)
    if root._offset is not None:
        text += " OFFSET ?"
        params.append(root._offset)
    return text


class Relational(Reads[R], Generic[R, S]):
    """`select(table).with_(...)`: rows `R` of the table `S` with their relations, read
    in one statement. Immutable, like every builder."""

    __slots__ = ("_loads", "_select")

    def __init__(self, select: Select[Any, Any], loads: tuple[Load[Any, Any], ...]) -> None:
        if select._columns is not None or select._joins or select._group:
            raise QueryError(
                "with_() loads relations of whole rows of one table: select(table), "
                "without columns, joins or group_by"
            )
        self._select = select
        self._loads = tuple(load.node() for load in loads)
        _levels(select, self._loads)  # a relation of another table is refused here

    def _with(self, select: Select[Any, Any]) -> Relational[R, S]:
        return Relational(select, self._loads)

    def where(self, condition: Condition[S]) -> Relational[R, S]:
        """Filter the top rows; several where() calls are ANDed."""
        return self._with(self._select.where(condition))

    def order_by(self, *terms: Ordering[S] | Expr[Any, S]) -> Relational[R, S]:
        return self._with(self._select.order_by(*terms))

    def limit(self, count: int) -> Relational[R, S]:
        return self._with(self._select.limit(count))

    def offset(self, count: int) -> Relational[R, S]:
        return self._with(self._select.offset(count))

    def include_deleted(self) -> Relational[R, S]:
        """Also the top table's soft-deleted rows (a relation has its own opt-out)."""
        return self._with(self._select.include_deleted())

    # -- compiling ----------------------------------------------------------------------

    def compile(self) -> tuple[str, list[Any]]:
        """(SQL, parameters) of the one statement."""
        params: list[Any] = []
        text = self._render(params)
        return text, params

    def _render(self, params: list[Any]) -> str:
        levels = _levels(self._select, self._loads)
        ctes = []
        for level in levels:
            mine: list[Any] = []
            if level.load is None:
                body = _root_cte(self._select, level, mine)
            else:
                body, before = self._relation_body(level, levels[level.parent], mine)
                mine = [*before, *mine]
            ctes.append(f"{_q(level.cte)} AS MATERIALIZED ({body})")
            params += mine
        keys = max(level.links for level in levels)
        width = max(level.width for level in levels)
        arms = []
        for level in levels:
            links = [f"`_k{i}`" for i in range(level.links)] + ["NULL"] * (keys - level.links)
            if isinstance(level.load, RelationCount):
                values = ["`_c`"]
            else:
                values = [_q(c.name) for c in level.table.columns]
            values += ["NULL"] * (width - len(values))
            arms.append(
                f"SELECT {level.index}, `_o`, {', '.join([*links, *values])} FROM {_q(level.cte)}"
            )
        # Rows come back in no particular order: each level's `_o` orders them (sorting
        # here is cheaper than SQLite's sort of the compound select).
        return f"WITH {', '.join(ctes)} " + " UNION ALL ".join(arms)

    @staticmethod
    def _relation_body(level: _Level, parent: _Level, params: list[Any]) -> tuple[str, list[Any]]:
        """A relation level's SELECT; the parameters of its window come before `params`.

        Its rows are numbered (`_o`) in the relation's order: per parent row when a limit
        or offset cuts each parent's list, else across the level (cheaper for SQLite)."""
        node = level.load
        assert node is not None
        relation = node.relation if isinstance(node, RelationCount) else node
        source, matched, where = relation.link(parent.cte, params)
        keys = "".join(f", {m} AS `_k{i}`" for i, m in enumerate(matched[: level.links]))
        if isinstance(node, RelationCount):
            text = (
                f"SELECT count(*) AS `_c`{keys}, 1 AS `_o` FROM {source} WHERE {where} "
                f"GROUP BY {', '.join(matched)}"
            )
            return text, []
        table = level.table
        name = _q(table.name)
        columns = ", ".join(f"{name}.{_q(c.name)} AS {_q(c.name)}" for c in table.columns)
        if relation.kind != "many":
            return f"SELECT {columns}{keys}, 1 AS `_o` FROM {source} WHERE {where}", []
        window: list[Any] = []
        order = _key_order(table, relation.ordering, window)
        cut = relation.limit_count is not None or relation.offset_count is not None
        partition = f"PARTITION BY {', '.join(matched)} " if cut else ""
        text = (
            f"SELECT {columns}{keys}, row_number() OVER ({partition}ORDER BY {order}) "
            f"AS `_o` FROM {source} WHERE {where}"
        )
        bounds = []
        skip = relation.offset_count or 0
        if relation.offset_count is not None:
            bounds.append("`_o` > ?")
            params.append(skip)
        if relation.limit_count is not None:
            bounds.append("`_o` <= ?")
            params.append(skip + relation.limit_count)
        if bounds:
            text = f"SELECT * FROM ({text}) WHERE " + " AND ".join(bounds)
        return text, window

    # -- running ------------------------------------------------------------------------

    def plan(self) -> Plan[list[R]]:
        """The query as a plan of one statement: what `all` runs (and `db.run` takes)."""
        text, params = self.compile()
        levels = _levels(self._select, self._loads)
        statement = Statement(text, params, self._select._source.table.name)
        return Plan((statement,), lambda results: _assemble(levels, results[0]), write=False)

    def _first_plan(self) -> Plan[R | None]:
        query = self if self._select._limit is not None else self.limit(1)
        plan = query.plan()
        decode: Callable[[list[list[Row]]], list[R]] = plan.decode
        return Plan(plan.statements, lambda results: next(iter(decode(results)), None), write=False)


def _assemble(levels: list[_Level], rows: list[Row]) -> list[Any]:
    """Nest the levels' rows: each level's items (its row, or (row, *relations)), grouped
    by the parent key they belong to, children before parents."""
    keys = max(level.links for level in levels)
    by_level: list[list[Row]] = [[] for _ in levels]
    for row in sorted(rows, key=itemgetter(0, 1)):
        by_level[row[0]].append(row)
    grouped: list[dict[tuple[Any, ...], Any]] = [{} for _ in levels]
    top: list[Any] = []
    start = 2 + keys
    for level in reversed(levels):
        found = by_level[level.index]
        end = start + level.width
        values = [row[start:end] for row in found]
        ties = _ties(level, found, values)
        if isinstance(level.load, RelationCount):
            grouped[level.index] = {
                tuple(tie): value[0] for tie, value in zip(ties, values, strict=True)
            }
            continue
        items: list[Any] = rows_to_models(level.table, level.model, values)
        if level.children:
            names = column_names(level.table)
            nested = []
            for model, raw in zip(items, values, strict=True):
                item = [model]
                for child in level.children:
                    load = child.load
                    relation = load.relation if isinstance(load, RelationCount) else load
                    assert relation is not None
                    key = tuple(raw[names.index(c)] for c in relation.own_columns())
                    item.append(_lookup(child, grouped[child.index], key, relation))
                nested.append(tuple(item))
            items = nested
        if level.load is None:
            top = items
        elif level.load.kind == "many":
            lists: dict[tuple[Any, ...], list[Any]] = {}
            for tie, item in zip(ties, items, strict=True):
                lists.setdefault(tuple(tie), []).append(item)
            grouped[level.index] = lists
        else:
            grouped[level.index] = {tuple(tie): item for tie, item in zip(ties, items, strict=True)}
    return top


def _ties(level: _Level, found: list[Row], values: list[Row]) -> list[Any]:
    """What ties each row of a level to its parent row: its link columns, or its own
    columns the relation matches (none for the top level)."""
    if level.links:
        return [row[2 : 2 + level.links] for row in found]
    if len(level.tie) == 1:
        (column,) = level.tie
        return [(value[column],) for value in values]
    if level.tie:
        tie = itemgetter(*level.tie)
        return [tie(value) for value in values]
    return [() for _ in values]


def _lookup(
    child: _Level,
    rows: dict[tuple[Any, ...], Any],
    key: tuple[Any, ...],
    relation: Relation[Any, Any, Any],
) -> Any:
    """What one parent row holds of a child level: a count, a list, a row or None."""
    if isinstance(child.load, RelationCount):
        return rows.get(key, 0)
    if relation.kind == "many":
        return rows.get(key, [])
    found = rows.get(key)
    if found is None and relation.kind == "one":
        raise DecodeError(
            f"{relation!r}: no {relation.table.name} row has "
            f"{', '.join(t for _, t in relation.on)} = {key!r}, which a NOT NULL foreign key "
            "names (the database does not enforce it)",
            table=relation.table.name,
            column=None,
            key=key[0] if len(key) == 1 else key,
        )
    return found
