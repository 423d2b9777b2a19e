# generated from schema.yaml — do not edit

"""Repositories of the view `published_books`, sync and async: reads only, plus the queries declared in schema.yaml."""

from __future__ import annotations

from typing import Final

from golden_views.models import PublishedBook
from golden_views.tables import PUBLISHED_BOOKS
from libsqlkit import AsyncViewRepository, Plan, ViewRepository, fetch_all

__all__ = ["AsyncPublishedBookRepository", "PublishedBookRepository"]

_BY_AUTHOR_SQL: Final = "SELECT `id`, `author_id`, `title`, `published_at` FROM `published_books` WHERE `author_id` = ?1 ORDER BY `published_at` DESC, `id` ASC"


def _by_author_plan(author_id: str) -> Plan[list[PublishedBook]]:
    """Declared in schema.yaml as by_author."""
    return fetch_all(PUBLISHED_BOOKS, PublishedBook, _BY_AUTHOR_SQL, (author_id,))


class PublishedBookRepository(ViewRepository[PublishedBook]):
    """Reads of the view `published_books`."""

    table = PUBLISHED_BOOKS
    select_model = PublishedBook

    def by_author(self, author_id: str) -> list[PublishedBook]:
        """Declared in schema.yaml as by_author."""
        return self.db.run(_by_author_plan(author_id))


class AsyncPublishedBookRepository(AsyncViewRepository[PublishedBook]):
    """`PublishedBookRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = PUBLISHED_BOOKS
    select_model = PublishedBook

    async def by_author(self, author_id: str) -> list[PublishedBook]:
        """Declared in schema.yaml as by_author."""
        return await self.db.run(_by_author_plan(author_id))
