"""Views written in SQL and defined with the query builder: typed select models,
read-only repositories (sync and async), the builder over a view. The golden views
package in every mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from golden_views.client import DbClient, create_async_db_client, create_db_client
from golden_views.models import AuthorStat, CatalogEntry, NewAuthor, NewBook, PublishedBook
from golden_views.repositories import (
    AsyncAuthorRepository,
    AsyncAuthorStatRepository,
    AsyncBookRepository,
    AsyncPublishedBookRepository,
    AuthorRepository,
    AuthorStatRepository,
    BookRepository,
    CatalogEntryRepository,
    ProlificAuthorRepository,
    PublishedBookRepository,
)
from golden_views.tables import SCHEMA, author_stats, books, published_books

from libsqlkit import QueryError, delete, insert, select
from tests.modes_kit import ASYNC_MODES, MODES, Mode, open_async_in_mode, open_in_mode


@pytest.fixture(params=MODES)
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    mode: Mode = request.param
    client = open_in_mode(create_db_client, mode, tmp_path, request)
    yield client
    client.close()


def _library(db: DbClient) -> tuple[str, str]:
    """Ann with three books (two published, one of them soft-deleted later), Bob with one."""
    ann = AuthorRepository(db).create(NewAuthor(name="Ann")).id
    bob = AuthorRepository(db).create(NewAuthor(name="Bob")).id
    repo = BookRepository(db)
    first = repo.create(NewBook(author_id=ann, title="a1", published=True))
    repo.create(NewBook(author_id=ann, title="a2", published=True))
    repo.create(NewBook(author_id=ann, title="a3"))
    repo.create(NewBook(author_id=bob, title="b1"))
    repo.soft_delete(first.id)
    return ann, bob


def test_a_sql_view_with_aggregates_and_a_view_of_it(db: DbClient) -> None:
    ann, bob = _library(db)
    stats = AuthorStatRepository(db)
    assert sorted((s.name, s.books) for s in stats.find_many()) == [("Ann", 2), ("Bob", 1)]
    assert stats.find_by_author_id(bob) == AuthorStat(author_id=bob, name="Bob", books=1)
    assert stats.count() == 2
    assert [(p.author_id, p.books) for p in ProlificAuthorRepository(db).find_many()] == [(ann, 2)]


def test_builder_views_have_the_columns_and_rows_of_their_query(db: DbClient) -> None:
    ann, _ = _library(db)
    published = PublishedBookRepository(db)
    # published == True, and the soft-deleted a1 hidden: select() hides it by default.
    assert [b.title for b in published.by_author(ann)] == ["a2"]
    assert list(PublishedBook.model_fields) == ["id", "author_id", "title", "published_at"]
    catalog = CatalogEntryRepository(db).find_many()
    assert {(c.title, c.name) for c in catalog} == {("a2", "Ann"), ("a3", "Ann"), ("b1", "Bob")}
    assert CatalogEntry.model_fields["name"].annotation == (str | None)  # a left join


def test_pages_of_a_view_are_in_a_stable_order(db: DbClient) -> None:
    _library(db)
    repo = CatalogEntryRepository(db)
    every = repo.find_many()
    assert repo.find_many(limit=2) + repo.find_many(offset=2) == every


def test_the_query_builder_reads_a_view_and_joins_it(db: DbClient) -> None:
    ann, _ = _library(db)
    rows = select(author_stats).where(author_stats.books >= 2).all(db)
    assert [r.author_id for r in rows] == [ann]
    titles = (
        select(books.title, published_books.title)
        .from_(books)
        .left_join(published_books, on=published_books.id == books.id)
        .order_by(books.title)
        .all(db)
    )
    assert titles == [("a2", "a2"), ("a3", None), ("b1", None)]
    joined = (
        select(books)
        .left_join(published_books, on=published_books.id == books.id)
        .order_by(books.title)
        .all(db)
    )
    assert [(b.title, p.title if p else None) for b, p in joined] == titles


def test_a_view_cannot_be_written(db: DbClient) -> None:
    for write in (insert, delete):
        with pytest.raises(QueryError, match="published_books is a view"):
            write(published_books)  # type: ignore[arg-type]
    assert [v.name for v in SCHEMA.views] == [
        "author_stats",
        "published_books",
        "catalog",
        "prolific_authors",
    ]


@pytest.mark.parametrize("mode", ASYNC_MODES)
async def test_async_view_repositories(
    mode: Mode, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    adb = await open_async_in_mode(
        create_async_db_client, create_db_client, mode, tmp_path, request
    )
    async with adb:
        ann = (await AsyncAuthorRepository(adb).create(NewAuthor(name="Ann"))).id
        await AsyncBookRepository(adb).create(NewBook(author_id=ann, title="t", published=True))
        stats = AsyncAuthorStatRepository(adb)
        assert await stats.find_by_author_id(ann) == AuthorStat(author_id=ann, name="Ann", books=1)
        assert await stats.count() == 1
        published = AsyncPublishedBookRepository(adb)
        assert [b.title for b in await published.by_author(ann)] == ["t"]
        assert [b.title for b in await select(published_books).all(adb)] == ["t"]
