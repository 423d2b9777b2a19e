# generated from schema.yaml — do not edit

"""Repositories of the view `prolific_authors`, sync and async: reads only, plus the queries declared in schema.yaml."""

from __future__ import annotations

from golden_views.models import ProlificAuthor
from golden_views.tables import PROLIFIC_AUTHORS
from libsqlkit import AsyncViewRepository, ViewRepository

__all__ = ["AsyncProlificAuthorRepository", "ProlificAuthorRepository"]


class ProlificAuthorRepository(ViewRepository[ProlificAuthor]):
    """Reads of the view `prolific_authors`."""

    table = PROLIFIC_AUTHORS
    select_model = ProlificAuthor


class AsyncProlificAuthorRepository(AsyncViewRepository[ProlificAuthor]):
    """`ProlificAuthorRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = PROLIFIC_AUTHORS
    select_model = ProlificAuthor
