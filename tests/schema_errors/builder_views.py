"""Query-builder views that cannot be made (tests/schema_errors/builder_views.yaml)."""

from typing import Any

from libsqlkit import count, select


def raises(t: Any) -> Any:
    return select(t.books.id).from_(t.missing)


def not_a_select(t: Any) -> Any:
    return "SELECT 1"


def an_aggregate(t: Any) -> Any:
    return select(t.books.author, count()).from_(t.books).group_by(t.books.author)


def twice(t: Any) -> Any:
    return (
        select(t.books.id, t.authors.id)
        .from_(t.books)
        .inner_join(t.authors, on=t.authors.id == t.books.author)
    )


def fine(t: Any) -> Any:
    return select(t.books.author, count()).from_(t.books).group_by(t.books.author)
