# generated from schema.yaml — do not edit

"""Repositories of `posts`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `PostRepository`
runs it on a `Database` and `AsyncPostRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_relations.models import NewPost, Post, PostUpdate
from golden_relations.tables import POSTS
from libsqlkit import AsyncSoftDeleteRepository, SoftDeleteRepository

__all__ = ["AsyncPostRepository", "PostRepository"]


class PostRepository(SoftDeleteRepository[Post, NewPost, PostUpdate, str]):
    """Typed access to `posts`; soft-deleted rows (`deleted_at` set) are hidden."""

    table = POSTS
    select_model = Post
    insert_model = NewPost
    update_model = PostUpdate


class AsyncPostRepository(AsyncSoftDeleteRepository[Post, NewPost, PostUpdate, str]):
    """`PostRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = POSTS
    select_model = Post
    insert_model = NewPost
    update_model = PostUpdate
