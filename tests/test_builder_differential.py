"""Random builder queries against two independent oracles, on both local drivers.

Each example stores a few random rows, then runs random queries built with the query
builder: where-trees with NULLs (comparisons, IN with empty lists, LIKE with % and _,
BETWEEN, conditions compared with conditions, sub-second datetimes), joins, aggregates,
group by, order/limit/offset, and writes (update, delete, insert, upserts) inside
transactions that are rolled back. The results must equal

- evaluation in Python with SQL's three-valued logic over the rows stored, and
- for where-trees, hand-written SQL on a separate plain sqlite3 connection.

`make test` runs a short round; BUILDER_DIFFERENTIAL_EXAMPLES=2000 runs a long one.
"""

from __future__ import annotations

import operator
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generated.client import DbClient, create_db_client
from generated.models import NewUserSettings, NewWorkflow, UserSettingsUpdate, WorkflowUpdate
from generated.repositories import UserSettingsRepository, WorkflowRepository
from generated.tables import user_settings, workflows
from libsqlkit import (
    LocalDriverName,
    QueryError,
    and_,
    count,
    delete,
    insert,
    max_,
    min_,
    not_,
    or_,
    select,
    sum_,
    update,
)

EXAMPLES = int(os.environ.get("BUILDER_DIFFERENTIAL_EXAMPLES", "60"))
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
BASE = datetime(2025, 1, 1, tzinfo=UTC)
USERS = ("u0", "u1", "u2", "u3")
STATUSES = ("PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING")
TEXT = st.text(alphabet="aAb%_", max_size=3)
SECONDS = st.integers(-3, 3).map(lambda s: BASE + timedelta(seconds=s))
MOMENTS = SECONDS | st.integers(-3500, 3500).map(lambda ms: BASE + timedelta(milliseconds=ms))
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
Row = dict[str, Any]
Truth = bool | None  # SQL's three values: None is unknown


# -- three-valued logic -----------------------------------------------------------------


def _and(values: list[Truth]) -> Truth:
    return False if False in values else None if None in values else True


def _or(values: list[Truth]) -> Truth:
    return True if True in values else None if None in values else False


def _compare(left: Any, op: str, right: Any) -> Truth:
    return None if left is None or right is None else COMPARISONS[op](left, right)


def _like(value: str | None, pattern: str) -> Truth:
    """SQLite's LIKE: % any run, _ one character, ASCII letters in either case."""
    if value is None:
        return None
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL) is not None


def _literal(value: Any) -> Any:
    """A value as the hand-written SQL binds it: a datetime as exact (fractional) seconds."""
    return (value - EPOCH) / timedelta(seconds=1) if isinstance(value, datetime) else value


# -- where-trees: built with the builder, evaluated in Python, written as plain SQL ----------


@dataclass(frozen=True)
class Col:
    key: str  # "w.type": the oracle's row key, and the hand-written SQL
    column: Any
    kind: str

    def sql(self) -> str:
        alias, _, name = self.key.partition(".")
        return f'{alias}."{name}"'


W_COLS = (
    Col("w.type", workflows.type, "text"),
    Col("w.user_id", workflows.user_id, "text"),
    Col("w.status", workflows.status, "status"),
    Col("w.error_log", workflows.error_log, "text"),
    Col("w.retry_count", workflows.retry_count, "int"),
    Col("w.created_at", workflows.created_at, "time"),
    Col("w.completed_at", workflows.completed_at, "time"),
)
S_COLS = (
    Col("s.user_id", user_settings.user_id, "text"),
    Col("s.created_at", user_settings.created_at, "time"),
)
LITERALS: dict[str, st.SearchStrategy[Any]] = {
    "text": TEXT | st.sampled_from(USERS),
    "status": st.sampled_from(STATUSES),
    "int": st.integers(-3, 6),
    "time": MOMENTS,
}


class Node:
    def build(self) -> Any:
        raise NotImplementedError

    def truth(self, row: Row) -> Truth:
        raise NotImplementedError

    def sql(self, params: list[Any]) -> str:
        raise NotImplementedError

    def refused(self) -> bool:
        """Whether the builder refuses it (None in in_/not_in)."""
        return False


@dataclass(frozen=True)
class Compare(Node):
    col: Col
    op: str
    value: Any

    def build(self) -> Any:
        return COMPARISONS[self.op](self.col.column, self.value)

    def truth(self, row: Row) -> Truth:
        return _compare(row[self.col.key], self.op, self.value)

    def sql(self, params: list[Any]) -> str:
        params.append(_literal(self.value))
        return f"({self.col.sql()} {self.op} ?)"


@dataclass(frozen=True)
class ColumnsCompared(Node):
    left: Col
    op: str
    right: Col

    def build(self) -> Any:
        return COMPARISONS[self.op](self.left.column, self.right.column)

    def truth(self, row: Row) -> Truth:
        return _compare(row[self.left.key], self.op, row[self.right.key])

    def sql(self, params: list[Any]) -> str:
        return f"({self.left.sql()} {self.op} {self.right.sql()})"


@dataclass(frozen=True)
class Member(Node):
    col: Col
    values: tuple[Any, ...]
    negated: bool

    def build(self) -> Any:
        column = self.col.column
        return column.not_in(list(self.values)) if self.negated else column.in_(self.values)

    def truth(self, row: Row) -> Truth:
        if not self.values:  # x IN () is false, x NOT IN () true, even for NULL
            return self.negated
        value = row[self.col.key]
        return None if value is None else (value in self.values) != self.negated

    def sql(self, params: list[Any]) -> str:
        params += [_literal(v) for v in self.values]
        marks = ", ".join("?" for _ in self.values)
        return f"({self.col.sql()} {'NOT IN' if self.negated else 'IN'} ({marks}))"

    def refused(self) -> bool:
        return None in self.values


@dataclass(frozen=True)
class Like(Node):
    col: Col
    pattern: str

    def build(self) -> Any:
        return self.col.column.like(self.pattern)

    def truth(self, row: Row) -> Truth:
        return _like(row[self.col.key], self.pattern)

    def sql(self, params: list[Any]) -> str:
        params.append(self.pattern)
        return f"({self.col.sql()} LIKE ?)"


@dataclass(frozen=True)
class Between(Node):
    col: Col
    low: Any
    high: Any

    def build(self) -> Any:
        return self.col.column.between(self.low, self.high)

    def truth(self, row: Row) -> Truth:
        value = row[self.col.key]
        return _and([_compare(value, ">=", self.low), _compare(value, "<=", self.high)])

    def sql(self, params: list[Any]) -> str:
        params += (_literal(self.low), _literal(self.high))
        return f"({self.col.sql()} BETWEEN ? AND ?)"


@dataclass(frozen=True)
class IsNull(Node):
    col: Col
    negated: bool

    def build(self) -> Any:
        return self.col.column.is_not_null() if self.negated else self.col.column.is_null()

    def truth(self, row: Row) -> Truth:
        return (row[self.col.key] is None) != self.negated

    def sql(self, params: list[Any]) -> str:
        return f"({self.col.sql()} IS {'NOT ' if self.negated else ''}NULL)"


@dataclass(frozen=True)
class Logic(Node):
    op: str  # AND, OR, NOT, or = / <> between two conditions
    parts: tuple[Node, ...]

    def build(self) -> Any:
        built = [p.build() for p in self.parts]
        if self.op == "NOT":
            return not_(built[0])
        if self.op in ("=", "<>"):
            return built[0] == built[1] if self.op == "=" else built[0] != built[1]
        return (and_ if self.op == "AND" else or_)(*built)

    def truth(self, row: Row) -> Truth:
        values = [p.truth(row) for p in self.parts]
        if self.op == "NOT":
            return None if values[0] is None else not values[0]
        if self.op in ("=", "<>"):
            return _compare(values[0], self.op, values[1])
        return _and(values) if self.op == "AND" else _or(values)

    def sql(self, params: list[Any]) -> str:
        texts = [p.sql(params) for p in self.parts]
        if self.op == "NOT":
            return f"(NOT {texts[0]})"
        return "(" + f" {self.op} ".join(texts) + ")"

    def refused(self) -> bool:
        return any(p.refused() for p in self.parts)


def _members(values: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    """Up to three values, empty too; now and then with a None, which in_ refuses."""
    return st.tuples(st.lists(values, max_size=3), st.integers(0, 7)).map(
        lambda drawn: (*drawn[0], None) if drawn[1] == 0 else tuple(drawn[0])
    )


def _leaves(cols: tuple[Col, ...]) -> st.SearchStrategy[Node]:
    col = st.sampled_from(cols)
    same_kind = st.sampled_from([(a, b) for a in cols for b in cols if a.kind == b.kind])
    return st.one_of(
        col.flatmap(
            lambda c: st.builds(
                Compare, st.just(c), st.sampled_from(list(COMPARISONS)), LITERALS[c.kind]
            )
        ),
        st.builds(
            lambda pair, op: ColumnsCompared(pair[0], op, pair[1]),
            same_kind,
            st.sampled_from(list(COMPARISONS)),
        ),
        col.flatmap(
            lambda c: st.builds(
                Member,
                st.just(c),
                _members(LITERALS[c.kind]),
                st.booleans(),
            )
        ),
        st.sampled_from([c for c in cols if c.kind == "text"]).flatmap(
            lambda c: st.builds(Like, st.just(c), st.text(alphabet="aAb%_", max_size=4))
        ),
        col.flatmap(lambda c: st.builds(Between, st.just(c), LITERALS[c.kind], LITERALS[c.kind])),
        st.builds(IsNull, col, st.booleans()),
    )


def conditions(cols: tuple[Col, ...]) -> st.SearchStrategy[Node]:
    return st.recursive(
        _leaves(cols),
        lambda inner: st.one_of(
            st.builds(lambda p: Logic("NOT", (p,)), inner),
            st.builds(lambda ps: Logic("AND", tuple(ps)), st.lists(inner, min_size=2, max_size=3)),
            st.builds(lambda ps: Logic("OR", tuple(ps)), st.lists(inner, min_size=2, max_size=3)),
            st.builds(
                lambda a, b, op: Logic(op, (a, b)), inner, inner, st.sampled_from(["=", "<>"])
            ),
        ),
        max_leaves=6,
    )


# -- stored rows ---------------------------------------------------------------------------


WORKFLOW = st.fixed_dictionaries(
    {
        "type": TEXT,
        "user_id": st.sampled_from(USERS),
        "status": st.sampled_from(STATUSES),
        "error_log": st.none() | TEXT,
        "retry_count": st.integers(-2, 5),
        "created_at": SECONDS,
        "completed_at": st.none() | SECONDS,
    }
)
SETTINGS = st.fixed_dictionaries(
    {
        "user_id": st.sampled_from(USERS),
        "preferences": st.none() | st.integers(0, 3).map(lambda v: {"v": v}),
        "created_at": SECONDS,
    }
)


@dataclass
class Stored:
    """The rows as the oracle knows them: dicts keyed like Col.key."""

    workflows: list[Row]
    settings: list[Row]


def _store(db: DbClient, rows: list[Row], settings_rows: list[Row]) -> Stored:
    db.execute("DELETE FROM workflows")
    db.execute("DELETE FROM user_settings")
    unique = {s["user_id"]: s for s in settings_rows}.values()
    kept = [{"id": f"w{i}", **r} for i, r in enumerate(rows)]
    settings_kept = [{"id": f"s{i}", **s} for i, s in enumerate(unique)]
    WorkflowRepository(db).create_many(NewWorkflow(**r, updated_at=BASE) for r in kept)
    UserSettingsRepository(db).create_many(
        NewUserSettings(**s, updated_at=BASE) for s in settings_kept
    )
    return Stored(
        [{f"w.{k}": v for k, v in r.items()} for r in kept],
        [{f"s.{k}": v for k, v in s.items()} for s in settings_kept],
    )


@pytest.fixture(params=["sqlite3", "libsql"])
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    driver: LocalDriverName = request.param
    client = create_db_client(f"file:{tmp_path / 'diff.db'}", driver=driver)
    client.create_schema()
    yield client
    client.close()


@pytest.fixture
def plain(db: DbClient) -> Iterator[sqlite3.Connection]:
    """A separate plain sqlite3 connection to the same file: the hand-written SQL oracle."""
    path = db.url.removeprefix("file:")
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


RUN = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DATASET = st.tuples(st.lists(WORKFLOW, min_size=1, max_size=8), st.lists(SETTINGS, max_size=4))


def _where(query: Any, tree: Node) -> Any:
    """The builder query filtered by `tree`, or None if the builder refuses `tree`."""
    if tree.refused():
        event("refused: None in in_/not_in")
        with pytest.raises(QueryError, match="None"):
            tree.build()
        return None
    return query.where(tree.build())


def _share(matching: list[Row], rows: list[Row]) -> str:
    """How many rows a where-tree kept, for hypothesis' statistics (-s --hypothesis-show-statistics)."""
    return "no rows" if not matching else "all rows" if len(matching) == len(rows) else "some rows"


def _ordered_by(key: str) -> Callable[[Row], tuple[bool, Any]]:
    return lambda row: (row[key] is not None, row[key])  # SQLite sorts NULL first


# -- selects ------------------------------------------------------------------------------


ORDER = st.lists(st.tuples(st.sampled_from(W_COLS), st.booleans()), max_size=2)
PAGE = st.tuples(st.none() | st.integers(0, 5), st.none() | st.integers(0, 4))


@RUN
@given(
    data=DATASET,
    trees=st.lists(
        st.tuples(conditions(W_COLS), ORDER, PAGE, st.sampled_from(["rows", "columns", "groups"])),
        min_size=1,
        max_size=4,
    ),
)
def test_selects_agree_with_both_oracles(
    db: DbClient,
    plain: sqlite3.Connection,
    data: tuple[list[Row], list[Row]],
    trees: list[tuple[Node, list[tuple[Col, bool]], tuple[int | None, int | None], str]],
) -> None:
    stored = _store(db, *data)
    for tree, order, (limit, offset), shape in trees:
        matching = [r for r in stored.workflows if tree.truth(r) is True]
        event(_share(matching, stored.workflows))
        if shape == "rows":
            query = _where(select(workflows), tree)
            if query is None:
                continue
            for col, descending in order:
                query = query.order_by(col.column.desc() if descending else col.column)
            query = query.order_by(workflows.id)
            expected = sorted(matching, key=lambda r: r["w.id"])
            for col, descending in reversed(order):
                expected.sort(key=_ordered_by(col.key), reverse=descending)
            if limit is not None:
                query = query.limit(limit)
            if offset is not None:
                query = query.offset(offset)
            start = offset or 0
            expected = expected[start : None if limit is None else start + limit]
            assert [w.id for w in query.all(db)] == [r["w.id"] for r in expected], tree
            params: list[Any] = []
            where = tree.sql(params)
            by_hand = plain.execute(f"SELECT w.id FROM workflows AS w WHERE {where}", params)
            assert sorted(i for (i,) in by_hand) == sorted(r["w.id"] for r in matching), tree
        elif shape == "columns":
            query = _where(
                select(workflows.id, workflows.error_log, workflows.completed_at).from_(workflows),
                tree,
            )
            if query is not None:
                assert sorted(query.all(db), key=repr) == sorted(
                    ((r["w.id"], r["w.error_log"], r["w.completed_at"]) for r in matching), key=repr
                ), tree
        else:
            _check_aggregates(db, tree, matching)


def _check_aggregates(db: DbClient, tree: Node, matching: list[Row]) -> None:
    grouped = _where(
        select(
            workflows.user_id,
            count(),
            count(workflows.error_log),
            sum_(workflows.retry_count),
            min_(workflows.created_at),
            max_(workflows.completed_at),
        ).from_(workflows),
        tree,
    )
    if grouped is None:
        return
    expected = []
    for user in sorted({r["w.user_id"] for r in matching}):
        rows = [r for r in matching if r["w.user_id"] == user]
        done = [r["w.completed_at"] for r in rows if r["w.completed_at"] is not None]
        expected.append(
            (
                user,
                len(rows),
                sum(r["w.error_log"] is not None for r in rows),
                sum(r["w.retry_count"] for r in rows),
                min(r["w.created_at"] for r in rows),
                max(done) if done else None,
            )
        )
    assert grouped.group_by(workflows.user_id).order_by(workflows.user_id).all(db) == expected
    total = _where(
        select(count(), sum_(workflows.retry_count), max_(workflows.completed_at)).from_(workflows),
        tree,
    )
    done = [r["w.completed_at"] for r in matching if r["w.completed_at"] is not None]
    assert total.all(db) == [
        (
            len(matching),
            sum(r["w.retry_count"] for r in matching) if matching else None,
            max(done) if done else None,
        )
    ]


# -- distinct, having, compound selects, keyset pages ---------------------------------------

COMPOUNDS: dict[str, Callable[[list[tuple[Any, ...]], list[tuple[Any, ...]]], list[Any]]] = {
    "union": lambda a, b: list({*a, *b}),
    "union_all": lambda a, b: a + b,
    "intersect": lambda a, b: list(set(a) & set(b)),
    "except_": lambda a, b: list(set(a) - set(b)),
}


@RUN
@given(
    data=DATASET,
    first=conditions(W_COLS),
    second=conditions(W_COLS),
    op=st.sampled_from(sorted(COMPOUNDS)),
    least=st.integers(0, 3),
    order=ORDER,
    size=st.integers(1, 4),
)
def test_distinct_having_compounds_and_pages_agree_with_the_oracle(
    db: DbClient,
    data: tuple[list[Row], list[Row]],
    first: Node,
    second: Node,
    op: str,
    least: int,
    order: list[tuple[Col, bool]],
    size: int,
) -> None:
    stored = _store(db, *data)
    a, b = (
        _where(select(workflows.user_id, workflows.error_log).from_(workflows), tree)
        for tree in (first, second)
    )
    if a is None or b is None:
        return
    kept_a, kept_b = (
        [(r["w.user_id"], r["w.error_log"]) for r in stored.workflows if tree.truth(r) is True]
        for tree in (first, second)
    )
    assert sorted(a.distinct().all(db), key=repr) == sorted(set(kept_a), key=repr), first
    compound = getattr(a, op)(b).all(db)
    assert sorted(compound, key=repr) == sorted(COMPOUNDS[op](kept_a, kept_b), key=repr), op
    having = (
        a.group_by(workflows.user_id).having(count() > least).order_by(workflows.user_id).all(db)
    )
    users = sorted({user for user, _ in kept_a})
    assert [u for u, _ in having] == [u for u in users if sum(k[0] == u for k in kept_a) > least]
    # Keyset pages walk the rows `first` keeps in the oracle's order, ties by the key.
    query = _where(select(workflows), first)
    for col, descending in order:
        query = query.order_by(col.column.desc() if descending else col.column)
    expected = sorted(
        (r for r in stored.workflows if first.truth(r) is True), key=lambda r: r["w.id"]
    )
    for col, descending in reversed(order):
        expected.sort(key=_ordered_by(col.key), reverse=descending)
    walked: list[str] = []
    cursor: str | None = None
    while True:
        page = query.page(db, after=cursor, size=size)
        walked += [w.id for w in page.rows]
        if page.next is None:
            break
        cursor = page.next
    assert walked == [r["w.id"] for r in expected], (first, order)


# -- joins --------------------------------------------------------------------------------


@RUN
@given(
    data=DATASET,
    joins=st.lists(
        st.tuples(st.sampled_from(["LEFT", "INNER"]), conditions(W_COLS + S_COLS), st.booleans()),
        min_size=1,
        max_size=4,
    ),
)
def test_joins_agree_with_both_oracles(
    db: DbClient,
    plain: sqlite3.Connection,
    data: tuple[list[Row], list[Row]],
    joins: list[tuple[str, Node, bool]],
) -> None:
    stored = _store(db, *data)
    unmatched = {"s.id": None, "s.user_id": None, "s.created_at": None, "s.preferences": None}
    on = user_settings.user_id == workflows.user_id
    for kind, tree, whole in joins:
        joined: list[Row] = []
        for w in stored.workflows:
            found = [s for s in stored.settings if s["s.user_id"] == w["w.user_id"]]
            joined += [{**w, **s} for s in found] or (
                [{**w, **unmatched}] if kind == "LEFT" else []
            )
        kept = [r for r in joined if tree.truth(r) is True]
        event(f"{kind} JOIN, {_share(kept, joined)}")
        event(
            f"{kind} JOIN, {'some' if any(r['s.id'] is None for r in kept) else 'no'} unmatched kept"
        )
        expected = sorted(((r["w.id"], r["s.id"]) for r in kept), key=repr)
        if whole:
            base: Any = select(workflows)
            base = (
                base.left_join(user_settings, on=on)
                if kind == "LEFT"
                else base.inner_join(user_settings, on=on)
            )
            query = _where(base, tree)
            if query is None:
                continue
            got = [(w.id, s and s.id) for w, s in query.all(db)]
        else:
            columns: Any = select(workflows.id, user_settings.id).from_(workflows)
            columns = (
                columns.left_join(user_settings, on=on)
                if kind == "LEFT"
                else columns.inner_join(user_settings, on=on)
            )
            query = _where(columns, tree)
            if query is None:
                continue
            got = query.all(db)
        assert sorted(got, key=repr) == expected, tree
        params: list[Any] = []
        where = tree.sql(params)
        by_hand = plain.execute(
            f"SELECT w.id, s.id FROM workflows AS w {kind} JOIN user_settings AS s "
            f"ON s.user_id = w.user_id WHERE {where}",
            params,
        )
        assert sorted(by_hand, key=repr) == expected, tree


# -- writes, rolled back --------------------------------------------------------------------


class _RollBack(Exception):
    """Ends the transaction of one write with a rollback."""


FIELDS = (
    "id",
    "type",
    "user_id",
    "status",
    "error_log",
    "retry_count",
    "created_at",
    "completed_at",
)
State = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _state(db: DbClient) -> State:
    """Both tables, read by the repositories (not the builder): every field but updated_at."""
    return (
        sorted(tuple(getattr(w, f) for f in FIELDS) for w in WorkflowRepository(db).find_many()),
        sorted((s.user_id, s.preferences) for s in UserSettingsRepository(db).find_many()),
    )


def _expected_state(stored: Stored) -> State:
    return (
        sorted(tuple(r[f"w.{f}"] for f in FIELDS) for r in stored.workflows),
        sorted((s["s.user_id"], s["s.preferences"]) for s in stored.settings),
    )


WRITE = st.one_of(
    st.tuples(st.just("update"), conditions(W_COLS), st.none() | TEXT, st.integers(0, 9)),
    st.tuples(st.just("delete"), conditions(W_COLS)),
    st.tuples(
        st.just("upsert"),
        st.lists(st.tuples(st.sampled_from((*USERS, "u9")), st.integers(0, 3)), max_size=3),
        st.booleans(),
    ),
    st.tuples(st.just("insert"), st.lists(WORKFLOW, min_size=1, max_size=3)),
)


@RUN
@given(data=DATASET, writes=st.lists(WRITE, min_size=1, max_size=3))
def test_writes_agree_with_the_oracle_and_roll_back(
    db: DbClient, data: tuple[list[Row], list[Row]], writes: list[tuple[Any, ...]]
) -> None:
    stored = _store(db, *data)
    before = _state(db)
    assert before == _expected_state(stored)
    for write in writes:
        after = Stored([dict(r) for r in stored.workflows], [dict(s) for s in stored.settings])
        with pytest.raises(_RollBack), db.transaction():
            count_ = _write(db, write, after)
            if count_ is not None:
                assert _state(db) == _expected_state(after), write
            raise _RollBack
        assert _state(db) == before, write


def _write(db: DbClient, write: tuple[Any, ...], after: Stored) -> int | None:
    """Run one write with the builder and apply it to `after`; None if refused."""
    kind = write[0]
    event(f"write: {kind}")
    if kind in ("update", "delete"):
        tree: Node = write[1]
        matched = [r for r in after.workflows if tree.truth(r) is True]
        event(f"{kind}: {_share(matched, after.workflows)}")
        if kind == "update":
            changes = WorkflowUpdate(error_log=write[2], retry_count=write[3])
            query = _where(update(workflows).set(changes), tree)
            if query is None:
                return None
            returned = query.returning().all(db)
            for r in matched:
                r["w.error_log"], r["w.retry_count"] = write[2], write[3]
        else:
            query = _where(delete(workflows), tree)
            if query is None:
                return None
            returned = query.returning().all(db)
            after.workflows[:] = [r for r in after.workflows if r not in matched]
        assert sorted(w.id for w in returned) == sorted(r["w.id"] for r in matched), write
        return len(returned)
    if kind == "upsert":
        rows, do_update = write[1], write[2]
        new = [NewUserSettings(user_id=u, preferences={"v": v}, created_at=BASE) for u, v in rows]
        statement = insert(user_settings).values(new)
        statement = (
            statement.on_conflict_do_update(
                target=user_settings.user_id, set_=UserSettingsUpdate(preferences={"v": -1})
            )
            if do_update
            else statement.on_conflict_do_nothing()
        )
        written = 0
        for user, v in rows:
            existing = [s for s in after.settings if s["s.user_id"] == user]
            if not existing:
                after.settings.append({"s.user_id": user, "s.preferences": {"v": v}})
                written += 1
            elif do_update:
                existing[0]["s.preferences"] = {"v": -1}
                written += 1
        if not rows:
            with pytest.raises(QueryError, match=r"needs \.values"):
                statement.run(db)
            return None
        assert statement.run(db) == written, write
        return written
    rows = write[1]
    added = [{"w.id": f"n{i}", **{f"w.{k}": v for k, v in r.items()}} for i, r in enumerate(rows)]
    created = (
        insert(workflows)
        .values([NewWorkflow(id=f"n{i}", **r) for i, r in enumerate(rows)])
        .returning()
        .all(db)
    )
    assert [(w.id, w.created_at, w.completed_at) for w in created] == [
        (r["w.id"], r["w.created_at"], r["w.completed_at"]) for r in added
    ]
    after.workflows += added
    return len(created)
