# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml, sync and async."""

from golden_composite_keys.repositories.order_lines import (
    AsyncOrderLineRepository,
    OrderLineRepository,
)
from golden_composite_keys.repositories.orders import AsyncOrderRepository, OrderRepository
from golden_composite_keys.repositories.regions import AsyncRegionRepository, RegionRepository

__all__ = [
    "AsyncOrderLineRepository",
    "AsyncOrderRepository",
    "AsyncRegionRepository",
    "OrderLineRepository",
    "OrderRepository",
    "RegionRepository",
]
