# generated from schema.yaml — do not edit

"""Repositories of `orders`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `OrderRepository`
runs it on a `Database` and `AsyncOrderRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from typing import Final

from golden_composite_keys.models import NewOrder, Order, OrderUpdate
from golden_composite_keys.tables import ORDERS
from libsqlkit import AsyncRepository, Plan, Repository, fetch_all

__all__ = ["AsyncOrderRepository", "OrderRepository"]

_FIND_BY_REGION_SQL: Final = "SELECT `region`, `number`, `placed_at`, `note` FROM `orders` WHERE `region` = ?1 ORDER BY `number` ASC"


def _find_by_region_plan(region: str) -> Plan[list[Order]]:
    """Declared in schema.yaml as find_by_region."""
    return fetch_all(ORDERS, Order, _FIND_BY_REGION_SQL, (region,))


class OrderRepository(Repository[Order, NewOrder, OrderUpdate, tuple[str, int]]):
    """Typed access to `orders`."""

    table = ORDERS
    select_model = Order
    insert_model = NewOrder
    update_model = OrderUpdate

    def find_by_region(self, region: str) -> list[Order]:
        """Declared in schema.yaml as find_by_region."""
        return self.db.run(_find_by_region_plan(region))


class AsyncOrderRepository(AsyncRepository[Order, NewOrder, OrderUpdate, tuple[str, int]]):
    """`OrderRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = ORDERS
    select_model = Order
    insert_model = NewOrder
    update_model = OrderUpdate

    async def find_by_region(self, region: str) -> list[Order]:
        """Declared in schema.yaml as find_by_region."""
        return await self.db.run(_find_by_region_plan(region))
