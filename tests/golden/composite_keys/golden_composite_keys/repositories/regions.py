# generated from schema.yaml — do not edit

"""Repositories of `regions`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `RegionRepository`
runs it on a `Database` and `AsyncRegionRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_composite_keys.models import NewRegion, Region, RegionUpdate
from golden_composite_keys.tables import REGIONS
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncRegionRepository", "RegionRepository"]


class RegionRepository(Repository[Region, NewRegion, RegionUpdate, str]):
    """Typed access to `regions`."""

    table = REGIONS
    select_model = Region
    insert_model = NewRegion
    update_model = RegionUpdate


class AsyncRegionRepository(AsyncRepository[Region, NewRegion, RegionUpdate, str]):
    """`RegionRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = REGIONS
    select_model = Region
    insert_model = NewRegion
    update_model = RegionUpdate
