# generated from schema.yaml — do not edit

"""Repositories of the view `catalog`, sync and async: reads only, plus the queries declared in schema.yaml."""

from __future__ import annotations

from golden_views.models import CatalogEntry
from golden_views.tables import CATALOG
from libsqlkit import AsyncViewRepository, ViewRepository

__all__ = ["AsyncCatalogEntryRepository", "CatalogEntryRepository"]


class CatalogEntryRepository(ViewRepository[CatalogEntry]):
    """Reads of the view `catalog`."""

    table = CATALOG
    select_model = CatalogEntry


class AsyncCatalogEntryRepository(AsyncViewRepository[CatalogEntry]):
    """`CatalogEntryRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = CATALOG
    select_model = CatalogEntry
