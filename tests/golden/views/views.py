"""The query-builder views of the golden `views` schema: each function takes the
schema's tables (by name) and returns the select the view runs."""

from typing import Any

from libsqlkit import Select, select


def published_books(t: Any) -> Select[Any, Any]:
    books = t.books
    return (
        select(books.id, books.author_id, books.title, books.published_at)
        .from_(books)
        .where(books.published == True)  # noqa: E712 (a condition, not a comparison)
    )


def catalog(t: Any) -> Select[Any, Any]:
    books, authors = t.books, t.authors
    return (
        select(books.title, authors.name)
        .from_(books)
        .left_join(authors, on=authors.id == books.author_id)
    )
