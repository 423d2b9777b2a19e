# generated from schema.yaml — do not edit

"""Repositories of `books`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `BookRepository`
runs it on a `Database` and `AsyncBookRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_views.models import Book, BookUpdate, NewBook
from golden_views.tables import BOOKS
from libsqlkit import AsyncSoftDeleteRepository, SoftDeleteRepository

__all__ = ["AsyncBookRepository", "BookRepository"]


class BookRepository(SoftDeleteRepository[Book, NewBook, BookUpdate, str]):
    """Typed access to `books`; soft-deleted rows (`deleted_at` set) are hidden."""

    table = BOOKS
    select_model = Book
    insert_model = NewBook
    update_model = BookUpdate


class AsyncBookRepository(AsyncSoftDeleteRepository[Book, NewBook, BookUpdate, str]):
    """`BookRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = BOOKS
    select_model = Book
    insert_model = NewBook
    update_model = BookUpdate
