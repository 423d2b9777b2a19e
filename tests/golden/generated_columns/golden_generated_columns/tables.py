# generated from schema.yaml — do not edit

"""Typed table and column metadata of schema.yaml, with the SQL the repositories run."""

from __future__ import annotations

from typing import Final

from pydantic import JsonValue

from golden_generated_columns.models import NewProduct, Product, ProductUpdate
from libsqlkit import Column, Schema, Table, TableRef, TableSql, codecs

__all__ = ["PRODUCTS", "SCHEMA", "ProductsTable", "products"]


class ProductsTable(TableRef[Product, NewProduct, ProductUpdate]):
    """Table `products`: its typed columns, for the query builder and the repository."""

    id: Final[Column[int, Product]] = Column(
        "products", "id", codecs.INTEGER, not_null=True, primary_key=True
    )
    name: Final[Column[str, Product]] = Column("products", "name", codecs.TEXT, not_null=True)
    price_cents: Final[Column[int, Product]] = Column(
        "products", "price_cents", codecs.INTEGER, not_null=True
    )
    quantity: Final[Column[int, Product]] = Column(
        "products", "quantity", codecs.INTEGER, not_null=True
    )
    total_cents: Final[Column[int, Product]] = Column(
        "products", "total_cents", codecs.INTEGER, not_null=True, generated=True
    )
    label: Final[Column[str, Product]] = Column(
        "products", "label", codecs.TEXT, not_null=True, generated=True
    )
    attributes: Final[Column[JsonValue | None, Product]] = Column(
        "products", "attributes", codecs.JSON_TEXT
    )
    color: Final[Column[str | None, Product]] = Column(
        "products", "color", codecs.TEXT, generated=True
    )

    table = Table(
        name="products",
        columns=(id, name, price_cents, quantity, total_cents, label, attributes, color),
        primary_key="id",
        soft_delete=None,
        checks={},
        sql=TableSql(
            insert="INSERT INTO `products` (`id`, `name`, `price_cents`, `quantity`, `attributes`) VALUES (?, ?, ?, ?, ?) RETURNING `id`, `name`, `price_cents`, `quantity`, `total_cents`, `label`, `attributes`, `color`",
            select_by_key="SELECT `id`, `name`, `price_cents`, `quantity`, `total_cents`, `label`, `attributes`, `color` FROM `products` WHERE `id` = ?",
            select_page="SELECT `id`, `name`, `price_cents`, `quantity`, `total_cents`, `label`, `attributes`, `color` FROM `products` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `name`, `price_cents`, `quantity`, `total_cents`, `label`, `attributes`, `color` FROM `products` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `products`",
            delete="DELETE FROM `products` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `products` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `name`, `price_cents`, `quantity`, `total_cents`, `label`, `attributes`, `color`",
            set_fragments={
                "id": "`id` = ?",
                "name": "`name` = ?",
                "price_cents": "`price_cents` = ?",
                "quantity": "`quantity` = ?",
                "attributes": "`attributes` = ?",
            },
        ),
    )
    model = Product
    insert_model = NewProduct
    update_model = ProductUpdate


PRODUCTS: Final = ProductsTable.table
products: Final = ProductsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)

SCHEMA: Final = Schema(
    tables=(PRODUCTS,),
    ddl=(
        "CREATE TABLE `products` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL,\n\t`price_cents` integer NOT NULL,\n\t`quantity` integer DEFAULT 0 NOT NULL,\n\t`total_cents` integer GENERATED ALWAYS AS (price_cents * quantity) STORED NOT NULL,\n\t`label` text GENERATED ALWAYS AS (upper(name)) VIRTUAL NOT NULL,\n\t`attributes` text,\n\t`color` text GENERATED ALWAYS AS (json_extract(attributes, '$.color')) VIRTUAL\n)",
        "CREATE INDEX `idx_products_color` ON `products` (`color`)",
    ),
)
