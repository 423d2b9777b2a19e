# generated from schema.yaml — do not edit

"""Repositories of the view `author_stats`, sync and async: reads only, plus the queries declared in schema.yaml."""

from __future__ import annotations

from typing import Final

from golden_views.models import AuthorStat
from golden_views.tables import AUTHOR_STATS
from libsqlkit import AsyncViewRepository, Plan, ViewRepository, fetch_one

__all__ = ["AsyncAuthorStatRepository", "AuthorStatRepository"]

_FIND_BY_AUTHOR_ID_SQL: Final = (
    "SELECT `author_id`, `name`, `books` FROM `author_stats` WHERE `author_id` = ?1 LIMIT 1"
)


def _find_by_author_id_plan(author_id: str) -> Plan[AuthorStat | None]:
    """Declared in schema.yaml as find_by_author_id."""
    return fetch_one(AUTHOR_STATS, AuthorStat, _FIND_BY_AUTHOR_ID_SQL, (author_id,))


class AuthorStatRepository(ViewRepository[AuthorStat]):
    """Reads of the view `author_stats`."""

    table = AUTHOR_STATS
    select_model = AuthorStat

    def find_by_author_id(self, author_id: str) -> AuthorStat | None:
        """Declared in schema.yaml as find_by_author_id."""
        return self.db.run(_find_by_author_id_plan(author_id))


class AsyncAuthorStatRepository(AsyncViewRepository[AuthorStat]):
    """`AuthorStatRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = AUTHOR_STATS
    select_model = AuthorStat

    async def find_by_author_id(self, author_id: str) -> AuthorStat | None:
        """Declared in schema.yaml as find_by_author_id."""
        return await self.db.run(_find_by_author_id_plan(author_id))
