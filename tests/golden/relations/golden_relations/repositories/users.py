# generated from schema.yaml — do not edit

"""Repositories of `users`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `UserRepository`
runs it on a `Database` and `AsyncUserRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_relations.models import NewUser, User, UserUpdate
from golden_relations.tables import USERS
from libsqlkit import AsyncSoftDeleteRepository, SoftDeleteRepository

__all__ = ["AsyncUserRepository", "UserRepository"]


class UserRepository(SoftDeleteRepository[User, NewUser, UserUpdate, str]):
    """Typed access to `users`; soft-deleted rows (`deleted_at` set) are hidden."""

    table = USERS
    select_model = User
    insert_model = NewUser
    update_model = UserUpdate


class AsyncUserRepository(AsyncSoftDeleteRepository[User, NewUser, UserUpdate, str]):
    """`UserRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = USERS
    select_model = User
    insert_model = NewUser
    update_model = UserUpdate
