# generated from schema.yaml — do not edit

"""Repositories of `authors`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `AuthorRepository`
runs it on a `Database` and `AsyncAuthorRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_views.models import Author, AuthorUpdate, NewAuthor
from golden_views.tables import AUTHORS
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncAuthorRepository", "AuthorRepository"]


class AuthorRepository(Repository[Author, NewAuthor, AuthorUpdate, str]):
    """Typed access to `authors`."""

    table = AUTHORS
    select_model = Author
    insert_model = NewAuthor
    update_model = AuthorUpdate


class AsyncAuthorRepository(AsyncRepository[Author, NewAuthor, AuthorUpdate, str]):
    """`AuthorRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = AUTHORS
    select_model = Author
    insert_model = NewAuthor
    update_model = AuthorUpdate
