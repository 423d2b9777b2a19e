# generated from schema.yaml — do not edit

"""Repositories of `products`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `ProductRepository`
runs it on a `Database` and `AsyncProductRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from typing import Final

from golden_generated_columns.models import NewProduct, Product, ProductUpdate
from golden_generated_columns.tables import PRODUCTS
from libsqlkit import AsyncRepository, Plan, Repository, fetch_all, fetch_one

__all__ = ["AsyncProductRepository", "ProductRepository"]

_FIND_BY_COLOR_SQL: Final = "SELECT `id`, `name`, `price_cents`, `quantity`, `total_cents`, `label`, `attributes`, `color` FROM `products` WHERE `color` = ?1 ORDER BY `id` ASC"
_SET_QUANTITY_SQL: Final = "UPDATE `products` SET `quantity` = ?1 WHERE `id` = ?2 RETURNING `id`, `name`, `price_cents`, `quantity`, `total_cents`, `label`, `attributes`, `color`"


def _find_by_color_plan(color: str) -> Plan[list[Product]]:
    """Declared in schema.yaml as find_by_color."""
    return fetch_all(PRODUCTS, Product, _FIND_BY_COLOR_SQL, (color,))


def _set_quantity_plan(id: int, quantity: int) -> Plan[Product | None]:
    """Declared in schema.yaml as set_quantity."""
    # pydantic rejects bad values before any SQL runs.
    ProductUpdate(quantity=quantity)
    return fetch_one(PRODUCTS, Product, _SET_QUANTITY_SQL, (quantity, id), write=True)


class ProductRepository(Repository[Product, NewProduct, ProductUpdate, int]):
    """Typed access to `products`."""

    table = PRODUCTS
    select_model = Product
    insert_model = NewProduct
    update_model = ProductUpdate

    def find_by_color(self, color: str) -> list[Product]:
        """Declared in schema.yaml as find_by_color."""
        return self.db.run(_find_by_color_plan(color))

    def set_quantity(self, id: int, quantity: int) -> Product | None:
        """Declared in schema.yaml as set_quantity."""
        return self.db.run(_set_quantity_plan(id, quantity))


class AsyncProductRepository(AsyncRepository[Product, NewProduct, ProductUpdate, int]):
    """`ProductRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = PRODUCTS
    select_model = Product
    insert_model = NewProduct
    update_model = ProductUpdate

    async def find_by_color(self, color: str) -> list[Product]:
        """Declared in schema.yaml as find_by_color."""
        return await self.db.run(_find_by_color_plan(color))

    async def set_quantity(self, id: int, quantity: int) -> Product | None:
        """Declared in schema.yaml as set_quantity."""
        return await self.db.run(_set_quantity_plan(id, quantity))
