"""Generated columns, VIRTUAL and STORED: computed by SQLite, read back by every read,
absent from the insert and update models. The golden generated_columns package in
every mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from golden_generated_columns.client import DbClient, create_db_client
from golden_generated_columns.models import NewProduct, Product, ProductUpdate
from golden_generated_columns.repositories import ProductRepository
from golden_generated_columns.tables import products
from pydantic import ValidationError

from libsqlkit import DatabaseError, insert, select, update
from tests.modes_kit import MODES, Mode, open_in_mode


@pytest.fixture(params=MODES)
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    mode: Mode = request.param
    client = open_in_mode(create_db_client, mode, tmp_path, request)
    yield client
    client.close()


def test_generated_values_come_back_from_every_write_and_read(db: DbClient) -> None:
    repo = ProductRepository(db)
    mug = repo.create(
        NewProduct(name="mug", price_cents=250, quantity=3, attributes={"color": "red"})
    )
    assert (mug.total_cents, mug.label, mug.color) == (750, "MUG", "red")
    more = repo.update(mug.id, ProductUpdate(quantity=4))
    assert more is not None and more.total_cents == 1000  # STORED: recomputed on update
    renamed = repo.update(mug.id, ProductUpdate(name="cup", attributes={"color": "blue"}))
    assert renamed is not None and (renamed.label, renamed.color) == ("CUP", "blue")  # VIRTUAL
    assert repo.set_quantity(mug.id, 5) == repo.get(mug.id)
    assert [p.total_cents for p in repo.find_by_color("blue")] == [1250]  # queried, indexed


def test_the_builder_reads_and_filters_generated_columns(db: DbClient) -> None:
    insert(products).values(
        [NewProduct(name=n, price_cents=100, quantity=q) for n, q in (("a", 1), ("b", 5))]
    ).run(db)
    rows = (
        select(products.name, products.total_cents)
        .from_(products)
        .where(products.total_cents > 200)
        .all(db)
    )
    assert rows == [("b", 500)]
    changed = (
        update(products)
        .set(ProductUpdate(quantity=7))
        .where(products.name == "a")
        .returning()
        .all(db)
    )
    assert [p.total_cents for p in changed] == [700]


def test_generated_columns_are_not_fields_of_the_insert_and_update_models() -> None:
    assert "total_cents" in Product.model_fields and "color" in Product.model_fields
    for model in (NewProduct, ProductUpdate):
        assert not {"total_cents", "label", "color"} & set(model.model_fields)
    with pytest.raises(ValidationError, match="total_cents"):
        NewProduct(name="x", price_cents=1, total_cents=3)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="label"):
        ProductUpdate(label="X")  # type: ignore[call-arg]


def test_sqlite_refuses_writing_a_generated_column_with_raw_sql(db: DbClient) -> None:
    with pytest.raises(DatabaseError, match="generated column"):
        db.execute("INSERT INTO products (name, price_cents, total_cents) VALUES ('x', 1, 99)")
