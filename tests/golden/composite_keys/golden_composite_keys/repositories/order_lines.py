# generated from schema.yaml — do not edit

"""Repositories of `order_lines`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `OrderLineRepository`
runs it on a `Database` and `AsyncOrderLineRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_composite_keys.models import NewOrderLine, OrderLine, OrderLineUpdate
from golden_composite_keys.tables import ORDER_LINES
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncOrderLineRepository", "OrderLineRepository"]


class OrderLineRepository(
    Repository[OrderLine, NewOrderLine, OrderLineUpdate, tuple[str, int, int]]
):
    """Typed access to `order_lines`."""

    table = ORDER_LINES
    select_model = OrderLine
    insert_model = NewOrderLine
    update_model = OrderLineUpdate


class AsyncOrderLineRepository(
    AsyncRepository[OrderLine, NewOrderLine, OrderLineUpdate, tuple[str, int, int]]
):
    """`OrderLineRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = ORDER_LINES
    select_model = OrderLine
    insert_model = NewOrderLine
    update_model = OrderLineUpdate
