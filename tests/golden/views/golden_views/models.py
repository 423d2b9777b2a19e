# generated from schema.yaml — do not edit

from __future__ import annotations

from pydantic import AwareDatetime

from libsqlkit import InsertModel, SelectModel, UpdateModel


class Author(SelectModel):
    """
    A row of `authors` as stored.
    """

    id: str
    name: str


class NewAuthor(InsertModel):
    """
    A new row of `authors`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    name: str


class AuthorUpdate(UpdateModel):
    """
    Changes to a row of `authors`: only the fields set are written.
    """

    id: str | None = None
    name: str | None = None


class Book(SelectModel):
    """
    A row of `books` as stored.
    """

    id: str
    author_id: str
    title: str
    published: bool
    published_at: AwareDatetime | None
    deleted_at: AwareDatetime | None


class NewBook(InsertModel):
    """
    A new row of `books`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    author_id: str
    title: str
    published: bool = False
    published_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class BookUpdate(UpdateModel):
    """
    Changes to a row of `books`: only the fields set are written.
    """

    id: str | None = None
    author_id: str | None = None
    title: str | None = None
    published: bool | None = None
    published_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class AuthorStat(SelectModel):
    """
    Live books per author.

    A row of the view `author_stats`.
    """

    author_id: str
    name: str
    books: int


class PublishedBook(SelectModel):
    """
    Books that are published.

    A row of the view `published_books`.
    """

    id: str
    author_id: str
    title: str
    published_at: AwareDatetime | None


class CatalogEntry(SelectModel):
    """
    A row of the view `catalog`.
    """

    title: str
    name: str | None


class ProlificAuthor(SelectModel):
    """
    Authors of two live books or more (a view of a view).

    A row of the view `prolific_authors`.
    """

    author_id: str
    name: str
    books: int
