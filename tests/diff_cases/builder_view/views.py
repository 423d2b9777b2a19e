"""The builder view of tests/diff_cases/builder_view/after.yaml."""

from typing import Any

from libsqlkit import Select, select


def published_titles(t: Any) -> Select[Any, Any]:
    books = t.books
    return select(books.id, books.title).from_(books).where(books.published == True)  # noqa: E712
