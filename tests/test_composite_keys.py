"""Composite primary keys, also as the target of a foreign key of several columns: the
golden composite_keys package in every mode (both local drivers, sqld, a replica)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from golden_composite_keys.client import DbClient, create_db_client
from golden_composite_keys.models import NewOrder, NewOrderLine, NewRegion, OrderUpdate
from golden_composite_keys.repositories import (
    OrderLineRepository,
    OrderRepository,
    RegionRepository,
)
from golden_composite_keys.tables import order_lines, orders

from libsqlkit import ForeignKeyViolation, InvalidValue, UniqueViolation, and_, select
from tests.modes_kit import MODES, Mode, open_in_mode


@pytest.fixture(params=MODES)
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    mode: Mode = request.param
    client = open_in_mode(create_db_client, mode, tmp_path, request)
    RegionRepository(client).create_many(
        [NewRegion(code="eu", name="Europe"), NewRegion(code="us", name="US")]
    )
    yield client
    client.close()


def test_rows_are_found_updated_and_deleted_by_their_whole_key(db: DbClient) -> None:
    repo = OrderRepository(db)
    repo.create_many([NewOrder(region=r, number=n) for r in ("eu", "us") for n in (1, 2)])
    assert repo.get(("eu", 2)) is not None
    assert repo.get(("eu", 3)) is None
    updated = repo.update(("us", 1), OrderUpdate(note="rush"))
    assert updated is not None and (updated.region, updated.number, updated.note) == (
        "us",
        1,
        "rush",
    )
    assert [o.note for o in repo.find_many()] == [None, None, "rush", None]  # key order
    assert [(o.region, o.number) for o in repo.find_many(limit=2, offset=1)] == [
        ("eu", 2),
        ("us", 1),
    ]
    assert repo.delete(("eu", 1)) is True
    assert repo.delete(("eu", 1)) is False
    assert repo.count() == 3
    assert [o.number for o in repo.find_by_region("us")] == [1, 2]


def test_iter_many_pages_by_the_whole_key(db: DbClient) -> None:
    """Keyset pages compare the key as a row value, `(region, number) > (?, ?)`: pages
    that broke between two regions, or inside one, lose and repeat nothing (remotely,
    and locally inside a transaction, where it pages instead of streaming)."""
    repo = OrderRepository(db)
    keys = [(r, n) for r in ("eu", "us") for n in (1, 2, 3, 10)]
    repo.create_many([NewOrder(region=r, number=n) for r, n in keys])
    assert [(o.region, o.number) for o in repo.iter_many(chunk=3)] == keys
    with db.transaction():
        assert [(o.region, o.number) for o in repo.iter_many(chunk=3)] == keys


def test_the_same_number_in_two_regions_is_two_rows_but_a_repeat_is_refused(db: DbClient) -> None:
    repo = OrderRepository(db)
    repo.create(NewOrder(region="eu", number=1))
    repo.create(NewOrder(region="us", number=1))
    with pytest.raises(UniqueViolation) as caught:
        repo.create(NewOrder(region="eu", number=1))
    assert caught.value.table == "orders"
    assert set(caught.value.columns) == {"region", "number"}


def test_a_key_that_is_not_a_tuple_of_the_right_length_is_refused(db: DbClient) -> None:
    repo = OrderRepository(db)
    for wrong in ("eu", ("eu",), ("eu", 1, 2)):
        with pytest.raises(InvalidValue, match=r"composite key \(region, number\)"):
            repo.get(wrong)  # type: ignore[arg-type]


def test_a_foreign_key_of_two_columns_is_enforced_and_cascades(db: DbClient) -> None:
    OrderRepository(db).create(NewOrder(region="eu", number=7))
    lines = OrderLineRepository(db)
    lines.create_many(
        [NewOrderLine(region="eu", number=7, line=i, product=f"p{i}") for i in (1, 2)]
    )
    with pytest.raises(ForeignKeyViolation) as caught:
        lines.create(NewOrderLine(region="us", number=7, line=1, product="x"))  # no such order
    assert caught.value.table == "order_lines"
    assert lines.get(("eu", 7, 2)) is not None
    OrderRepository(db).delete(("eu", 7))
    assert lines.count() == 0  # on_delete: cascade, over both columns


def test_query_builder_and_left_join_on_a_composite_key(db: DbClient) -> None:
    OrderRepository(db).create_many(
        [NewOrder(region="eu", number=1), NewOrder(region="eu", number=2)]
    )
    OrderLineRepository(db).create(NewOrderLine(region="eu", number=1, line=1, product="a"))
    rows = (
        select(orders)
        .left_join(
            order_lines,
            on=and_(order_lines.region == orders.region, order_lines.number == orders.number),
        )
        .order_by(orders.number)
        .all(db)
    )
    assert [(o.number, line.product if line else None) for o, line in rows] == [(1, "a"), (2, None)]


def test_relations_on_a_foreign_key_of_two_columns(db: DbClient) -> None:
    """Rows are tied to their parent by both columns: the same order number in two
    regions keeps its own lines, and a line finds its own order."""
    OrderRepository(db).create_many(
        [NewOrder(region=r, number=1, note=r) for r in ("eu", "us")]
        + [NewOrder(region="eu", number=2)]
    )
    OrderLineRepository(db).create_many(
        [
            NewOrderLine(region="eu", number=1, line=1, product="eu-a"),
            NewOrderLine(region="eu", number=1, line=2, product="eu-b"),
            NewOrderLine(region="us", number=1, line=1, product="us-a"),
        ]
    )
    rows = (
        select(orders)
        .order_by(orders.region, orders.number)
        .with_(orders.lines.order_by(order_lines.line.desc()), orders.lines.count())
        .all(db)
    )
    assert [(o.region, o.number, [x.product for x in lines], n) for o, lines, n in rows] == [
        ("eu", 1, ["eu-b", "eu-a"], 2),
        ("eu", 2, [], 0),
        ("us", 1, ["us-a"], 1),
    ]
    found = select(order_lines).order_by(order_lines.product).with_(order_lines.order).all(db)
    assert [(x.product, order.note) for x, order in found] == [
        ("eu-a", "eu"),
        ("eu-b", "eu"),
        ("us-a", "us"),
    ]
