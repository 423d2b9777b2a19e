"""The builder's additions (issue 17): having, distinct, compound selects, subqueries in
IN, count_rows and keyset pages, on real databases in every mode, sync and async."""

from __future__ import annotations

import base64
import functools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from golden_composite_keys.client import create_db_client as create_orders_client
from golden_composite_keys.models import NewOrder, NewRegion
from golden_composite_keys.repositories import OrderRepository, RegionRepository
from golden_composite_keys.tables import orders

from generated.client import AsyncDbClient, DbClient
from generated.models import NewUserSettings, NewWorkflow, Workflow
from generated.repositories import UserSettingsRepository, WorkflowRepository
from generated.tables import user_settings, workflows
from libsqlkit import (
    InvalidValue,
    Page,
    QueryError,
    count,
    count_rows,
    except_,
    intersect,
    max_,
    select,
    union,
    union_all,
)
from libsqlkit._expr import Ordering
from tests.modes_kit import MODES, Mode, open_in_mode

BASE = datetime(2025, 1, 1, tzinfo=UTC)
ROWS = 23  # not a multiple of the page sizes below


def new_rows() -> list[NewWorkflow]:
    """Ties in retry_count, NULLs in error_log: what keyset pages must get right."""
    return [
        NewWorkflow(
            type="a" if i % 2 else "b",
            user_id=f"u{i % 3}",
            status="COMPLETED" if i < 5 else "PENDING",
            retry_count=i % 4,
            error_log=None if i % 3 == 0 else f"e{i % 5}",
            created_at=BASE + timedelta(hours=i % 7),
        )
        for i in range(ROWS)
    ]


@pytest.fixture
def rows(db: DbClient) -> list[Workflow]:
    """The rows, one of them soft-deleted (every query here must leave it out)."""
    repo = WorkflowRepository(db)
    created = [repo.create(row) for row in new_rows()]
    assert repo.soft_delete(created[4].id)
    return [row for row in created if row.id != created[4].id]


def test_having_filters_groups(db: DbClient, rows: list[Workflow]) -> None:
    busy = (
        select(workflows.retry_count, count())
        .from_(workflows)
        .group_by(workflows.retry_count)
        .having(count() > 5)
        .order_by(workflows.retry_count)
        .all(db)
    )
    expected = {r: sum(w.retry_count == r for w in rows) for r in range(4)}
    assert busy == [(r, n) for r, n in sorted(expected.items()) if n > 5]
    assert len(busy) not in (0, 4)  # the filter kept some groups and dropped some
    two = (
        select(workflows.user_id)
        .from_(workflows)
        .group_by(workflows.user_id)
        .having(count() > 5)
        .having(workflows.user_id != "u0")
        .order_by(workflows.user_id)
        .all(db)
    )
    assert two == [("u1",), ("u2",)]
    with pytest.raises(QueryError, match="group_by"):
        select(workflows.user_id).from_(workflows).having(count() > 1).all(db)
    grouped = select(workflows.user_id).from_(workflows).group_by(workflows.user_id)
    with pytest.raises(QueryError, match="having uses table user_settings, which is not in"):
        grouped.having(user_settings.user_id == "u1").all(db)  # type: ignore[arg-type]


def test_distinct(db: DbClient, rows: list[Workflow]) -> None:
    pairs = (
        select(workflows.type, workflows.status)
        .from_(workflows)
        .distinct()
        .order_by(workflows.type, workflows.status)
        .all(db)
    )
    assert pairs == sorted({(w.type, w.status) for w in rows})
    assert len(select(workflows.type).from_(workflows).all(db)) == len(rows)


def test_compound_selects(db: DbClient, rows: list[Workflow]) -> None:
    low = select(workflows.retry_count).from_(workflows).where(workflows.retry_count <= 1)
    odd = select(workflows.retry_count).from_(workflows).where(workflows.type == "a")
    odd_counts = [w.retry_count for w in rows if w.type == "a"]
    low_counts = [w.retry_count for w in rows if w.retry_count <= 1]
    by_count = workflows.retry_count
    assert low.union(odd).order_by(by_count).all(db) == [
        (r,) for r in sorted({*low_counts, *odd_counts})
    ]
    assert low.union_all(odd).order_by(by_count.desc()).all(db) == [
        (r,) for r in sorted([*low_counts, *odd_counts], reverse=True)
    ]
    assert low.intersect(odd).order_by(by_count).all(db) == [
        (r,) for r in sorted(set(low_counts) & set(odd_counts))
    ]
    assert odd.except_(low).order_by(by_count).all(db) == [
        (r,) for r in sorted(set(odd_counts) - set(low_counts))
    ]
    # Left to right, as the chain reads; limit and offset on the whole.
    assert union_all(low, odd, low).order_by(by_count).limit(3).offset(1).all(db) == [
        (r,) for r in sorted([*low_counts, *odd_counts, *low_counts])[1:4]
    ]
    assert intersect(low, odd).first(db) is not None
    assert except_(low, low).all(db) == []
    # Whole rows of one table, and selects of two tables' columns.
    settings = UserSettingsRepository(db)
    settings.create(NewUserSettings(user_id="u9"))
    a_rows = select(workflows).where(workflows.type == "a")
    assert sorted(w.id for w in a_rows.union(a_rows).all(db)) == sorted(
        w.id for w in rows if w.type == "a"
    )
    users = (
        union(
            select(workflows.user_id).from_(workflows),
            select(user_settings.user_id).from_(user_settings),
        )
        .order_by(workflows.user_id.desc())
        .all(db)
    )
    assert users == [("u9",), ("u2",), ("u1",), ("u0",)]


def test_compound_refusals() -> None:
    ids = select(workflows.id).from_(workflows)
    loose: Any = select(workflows.id, workflows.type).from_(workflows)
    with pytest.raises(QueryError, match="union_all\\(\\) needs at least two selects, got 0"):
        union_all()  # type: ignore[call-overload]
    with pytest.raises(QueryError, match="at least two selects, got 1"):
        union(ids)  # type: ignore[call-overload]
    with pytest.raises(QueryError, match="different widths: the first selects 1 values per row"):
        ids.union(loose)
    with pytest.raises(QueryError, match="whole-table select with a select of columns"):
        select(workflows).union(loose)
    with pytest.raises(QueryError, match="different tables \\(workflows and user_settings\\)"):
        select(workflows).union(select(user_settings))  # type: ignore[arg-type]
    with pytest.raises(
        QueryError, match=r"workflows\.id in the first select and workflows\.created"
    ):
        ids.union(select(workflows.created_at).from_(workflows))  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="cannot have its own order_by, limit"):
        ids.union(ids.order_by(workflows.id).limit(2))
    with pytest.raises(QueryError, match=r"workflows\.type is not one of them"):
        ids.union(ids).order_by(workflows.type)
    with pytest.raises(QueryError, match="join every select first"):
        ids.union(ids).limit(1).union(ids)
    with pytest.raises(QueryError, match="limit must be a whole number >= 0"):
        ids.union(ids).limit(-1)


def test_in_a_subquery(db: DbClient, rows: list[Workflow]) -> None:
    UserSettingsRepository(db).create_many(
        [NewUserSettings(user_id="u1"), NewUserSettings(user_id="u9")]
    )
    with_settings = select(user_settings.user_id).from_(user_settings)
    found = select(workflows).where(workflows.user_id.in_(with_settings)).all(db)
    assert sorted(w.id for w in found) == sorted(w.id for w in rows if w.user_id == "u1")
    others = select(workflows).where(workflows.user_id.not_in(with_settings)).all(db)
    assert len(others) == len(rows) - len(found)
    # The subquery's values are bound parameters, in order with the outer query's.
    query = (
        select(workflows.id)
        .from_(workflows)
        .where(workflows.type == "a")
        .where(
            workflows.user_id.in_(
                select(user_settings.user_id)
                .from_(user_settings)
                .where(user_settings.user_id == "u1'; DROP TABLE workflows; --")
            )
        )
    )
    statement, params = query.compile()
    assert "DROP" not in statement and params[-1] == "u1'; DROP TABLE workflows; --"
    assert query.all(db) == []
    # A compound select is a subquery too.
    either = union(
        select(user_settings.user_id).from_(user_settings),
        select(workflows.user_id).from_(workflows).where(workflows.user_id == "u2"),
    )
    assert {w.user_id for w in select(workflows).where(workflows.user_id.in_(either)).all(db)} == {
        "u1",
        "u2",
    }
    loose: Any = select(user_settings.user_id, user_settings.id).from_(user_settings)
    with pytest.raises(QueryError, match="exactly one column; this one selects 2"):
        workflows.user_id.in_(loose)


def test_count_rows(db: DbClient, rows: list[Workflow]) -> None:
    assert count_rows(db, workflows) == len(rows)
    assert count_rows(db, workflows, workflows.type == "a") == sum(w.type == "a" for w in rows)
    assert count_rows(db, workflows, include_deleted=True) == ROWS
    assert count_rows(db, user_settings) == 0


def _sorted(rows: list[Workflow], terms: list[tuple[str, str]]) -> list[Workflow]:
    """The oracle: SQLite's order (NULLs first ascending, last descending), then the key."""

    def compare(a: Workflow, b: Workflow) -> int:
        for field, direction in [*terms, ("id", "ASC")]:
            x, y = getattr(a, field), getattr(b, field)
            if x == y:
                continue
            before = x is None if x is None or y is None else x < y  # NULL: the smallest
            return (-1 if before else 1) * (1 if direction == "ASC" else -1)
        return 0

    return sorted(rows, key=functools.cmp_to_key(compare))


ORDERS: list[list[tuple[str, str]]] = [
    [],
    [("id", "DESC")],
    [("retry_count", "ASC")],
    [("retry_count", "DESC")],
    [("error_log", "ASC")],
    [("error_log", "DESC"), ("created_at", "ASC")],
    [("retry_count", "DESC"), ("error_log", "ASC"), ("created_at", "DESC")],
]


def _orderings(terms: list[tuple[str, str]]) -> list[Ordering[Workflow]]:
    columns = {c.name: c for c in workflows.table.columns}
    return [Ordering(columns[field], direction) for field, direction in terms]


@pytest.mark.parametrize("size", [1, 4, 23])
def test_keyset_pages_walk_every_order(db: DbClient, rows: list[Workflow], size: int) -> None:
    """Every order (ascending, descending, ties, NULLs) read a page at a time gives each row
    once, in the oracle's order, and no empty last page."""
    for terms in ORDERS:
        query = select(workflows).order_by(*_orderings(terms))
        seen: list[Workflow] = []
        cursor: str | None = None
        pages = 0
        while True:
            page = query.page(db, after=cursor, size=size)
            pages += 1
            seen += page.rows
            assert len(page.rows) == size or page.next is None
            if page.next is None:
                break
            cursor = page.next
        assert seen == _sorted(rows, terms), terms
        assert pages == -(-len(rows) // size)


def test_keyset_pages_of_columns_with_a_filter(db: DbClient, rows: list[Workflow]) -> None:
    query = (
        select(workflows.id, workflows.error_log)
        .from_(workflows)
        .where(workflows.type == "a")
        .order_by(workflows.error_log.desc())
    )
    first = query.page(db, size=5)
    assert isinstance(first, Page) and first.next is not None
    rest = query.page(db, after=first.next, size=100)
    assert rest.next is None
    expected = _sorted([w for w in rows if w.type == "a"], [("error_log", "DESC")])
    assert first.rows + rest.rows == [(w.id, w.error_log) for w in expected]


def test_rows_written_between_pages_do_not_shift_them(db: DbClient, rows: list[Workflow]) -> None:
    query = select(workflows).order_by(workflows.created_at)
    first = query.page(db, size=10)
    assert first.next is not None
    WorkflowRepository(db).create(
        NewWorkflow(type="a", user_id="late", created_at=BASE - timedelta(days=1))
    )
    second = query.page(db, after=first.next, size=10)
    assert {w.id for w in first.rows}.isdisjoint(w.id for w in second.rows)
    assert second.rows == _sorted(rows, [("created_at", "ASC")])[10:20]


def _unpadded(cursor: str | None) -> bytes:
    assert cursor is not None
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def _cursor(*parts: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode()


def test_forged_and_garbled_cursors_and_sizes_are_refused(
    db: DbClient, rows: list[Workflow]
) -> None:
    query = select(workflows).order_by(workflows.retry_count)
    good = query.page(db, size=2).next
    assert good is not None
    mark = json.loads(_unpadded(good))[1]
    garbled = [
        "not a cursor!",
        good[:-3],
        _cursor(1, mark),
        _cursor(1, mark, [1, {"x": 1}]),
        _cursor(1, mark, [1, [2]]),
        _cursor(1, mark, [1, {"b": "***"}]),
    ]
    for cursor in garbled:
        with pytest.raises(QueryError, match="is not one a page returned"):
            query.page(db, after=cursor)
    with pytest.raises(QueryError, match="values do not fit"):
        query.page(db, after=_cursor(1, mark, [1]))
    with pytest.raises(QueryError, match="values do not fit"):
        query.page(db, after=_cursor(1, mark, [1, None]))  # a NULL primary key
    by_key = select(workflows).order_by(workflows.id.desc())
    key_mark = json.loads(_unpadded(by_key.page(db, size=1).next))[1]
    with pytest.raises(QueryError, match="values do not fit"):
        by_key.page(db, after=_cursor(1, key_mark, [None]))  # the key, ordered descending
    with pytest.raises(QueryError, match="made by a query with another table or order_by"):
        select(workflows).order_by(workflows.created_at).page(db, after=good)
    with pytest.raises(QueryError, match="another table or order_by"):
        query.page(db, after=_cursor(2, mark, [1, "x"]))
    with pytest.raises(QueryError, match="not int"):
        query.page(db, after=7)  # type: ignore[call-overload]
    # A forged cursor with values that fit only moves where the page starts: bound values.
    forged = query.page(db, after=_cursor(1, mark, [2, "'; DROP TABLE workflows; --"]), size=2)
    assert [w.retry_count for w in forged.rows] == [2, 2]
    assert count_rows(db, workflows) == len(rows)
    for size in (0, -1, 10_001, 10**12, True, 2.5):
        with pytest.raises(InvalidValue, match="page size must be a whole number of rows"):
            query.page(db, size=size)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="not join"):
        query.inner_join(user_settings, on=user_settings.user_id == workflows.user_id).page(db)
    with pytest.raises(QueryError, match="not limit"):
        query.limit(3).page(db)


async def test_async_additions(async_db: AsyncDbClient) -> None:
    """Each addition awaited, in every mode (offline included)."""
    repo_rows = await _create_async(async_db)
    assert await count_rows(async_db, workflows) == len(repo_rows)
    assert await count_rows(async_db, workflows, workflows.retry_count == 0) == sum(
        w.retry_count == 0 for w in repo_rows
    )
    query = select(workflows).order_by(workflows.error_log.desc())
    seen: list[Workflow] = []
    cursor: str | None = None
    while True:
        page = await query.page(async_db, after=cursor, size=6)
        seen += page.rows
        if page.next is None:
            break
        cursor = page.next
    assert seen == _sorted(repo_rows, [("error_log", "DESC")])
    low = select(workflows.retry_count).from_(workflows).where(workflows.retry_count < 2)
    assert await low.union(low).order_by(workflows.retry_count).all(async_db) == [(0,), (1,)]
    assert await low.intersect(low).first(async_db) is not None
    busy = (
        select(workflows.user_id)
        .from_(workflows)
        .where(workflows.user_id.in_(select(workflows.user_id).from_(workflows).distinct()))
        .group_by(workflows.user_id)
        .having(count() > 7)
        .all(async_db)
    )
    assert sorted(await busy) == [("u0",), ("u1",)]
    per_type = select(workflows.type, count()).from_(workflows).group_by(workflows.type)
    kind, runs = per_type.subquery("per_type").columns()
    assert await select(kind).from_(per_type.subquery("per_type")).where(runs > 11).all(
        async_db
    ) == [("b",)]


async def _create_async(adb: AsyncDbClient) -> list[Workflow]:
    from generated.repositories import AsyncWorkflowRepository

    repo = AsyncWorkflowRepository(adb)
    return [await repo.create(row) for row in new_rows()]


def test_a_subquery_in_from(db: DbClient, rows: list[Workflow]) -> None:
    per_user = (
        select(workflows.user_id, count(), max_(workflows.created_at))
        .from_(workflows)
        .where(workflows.type == "a")
        .group_by(workflows.user_id)
        .subquery("per_user")
    )
    user, runs, latest = per_user.columns()
    expected = {
        u: (
            sum(w.user_id == u and w.type == "a" for w in rows),
            max(w.created_at for w in rows if w.user_id == u and w.type == "a"),
        )
        for u in {w.user_id for w in rows}
    }
    # The inner where's value and the outer's are bound, in order; values decode as the
    # inner expressions' (a datetime), and compare through their codec.
    busy = (
        select(user, runs, latest)
        .from_(per_user)
        .where(runs >= 3)
        .where(latest > BASE)
        .order_by(runs.desc(), user)
        .all(db)
    )
    assert busy == sorted(
        ((u, n, t) for u, (n, t) in expected.items() if n >= 3 and t > BASE),
        key=lambda r: (-r[1], r[0]),
    )
    assert busy and isinstance(busy[0][2], datetime)
    assert sorted(select(per_user).all(db)) == sorted((u, n, t) for u, (n, t) in expected.items())
    UserSettingsRepository(db).create(NewUserSettings(user_id="u1", preferences={"x": 1}))
    joined = (
        select(user, user_settings.preferences)
        .from_(per_user)
        .left_join(user_settings, on=user_settings.user_id == user)
        .order_by(user)
        .all(db)
    )
    assert joined == [("u0", None), ("u1", {"x": 1}), ("u2", None)]
    # A subquery's column in IN, through another subquery.
    active = select(user).from_(per_user).where(runs > 3)
    found = select(workflows.user_id).from_(workflows).where(workflows.user_id.in_(active))
    assert {u for (u,) in found.distinct().all(db)} == {
        u for u, (n, _) in expected.items() if n > 3
    }
    statement, _ = found.compile()
    assert "AS `per_user`" in statement and "AS `c0`" in statement


def test_subquery_refusals(db: DbClient) -> None:
    ids = select(workflows.id).from_(workflows)
    for name in ("x; DROP TABLE workflows", "", "1x", "a" * 65, "`q`"):
        with pytest.raises(QueryError, match="a subquery's name is a letter"):
            ids.subquery(name)
    with pytest.raises(QueryError, match="subquery\\(\\) takes a select of columns"):
        select(workflows).subquery("w")
    sub = ids.subquery("sub")
    with pytest.raises(QueryError, match="a view or a subquery \\(no key\\)"):
        select(sub).page(db)
    with pytest.raises(QueryError, match="not a subquery \\(no key\\)"):
        list(select(sub).iter(db))
    (sub_id,) = sub.columns()
    with pytest.raises(QueryError, match="uses table workflows, which is not in this query"):
        select(sub_id).from_(sub).where(workflows.type == "a").all(db)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", MODES)
def test_keyset_pages_break_ties_by_a_composite_key(
    mode: Mode, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Ties in the order (most notes are NULL) are broken by the whole key, (region, number):
    pages that end inside a region or between two lose and repeat nothing."""
    client = open_in_mode(create_orders_client, mode, tmp_path, request)
    with client:
        RegionRepository(client).create_many(
            [NewRegion(code="eu", name="Europe"), NewRegion(code="us", name="US")]
        )
        keys = [(r, n) for r in ("us", "eu") for n in (10, 2, 1, 3)]
        OrderRepository(client).create_many(
            [NewOrder(region=r, number=n, note="rush" if n == 2 else None) for r, n in keys]
        )
        query = select(orders).order_by(orders.note.desc())
        walked: list[tuple[str, int]] = []
        cursor: str | None = None
        while True:
            page = query.page(client, after=cursor, size=3)
            walked += [(o.region, o.number) for o in page.rows]
            if page.next is None:
                break
            cursor = page.next
        rush = [("eu", 2), ("us", 2)]
        assert walked == rush + sorted(k for k in keys if k not in rush)
