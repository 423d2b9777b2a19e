# generated from schema.yaml — do not edit

"""Repositories of `post_tags`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `PostTagRepository`
runs it on a `Database` and `AsyncPostTagRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_relations.models import NewPostTag, PostTag, PostTagUpdate
from golden_relations.tables import POST_TAGS
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncPostTagRepository", "PostTagRepository"]


class PostTagRepository(Repository[PostTag, NewPostTag, PostTagUpdate, tuple[str, str]]):
    """Typed access to `post_tags`."""

    table = POST_TAGS
    select_model = PostTag
    insert_model = NewPostTag
    update_model = PostTagUpdate


class AsyncPostTagRepository(AsyncRepository[PostTag, NewPostTag, PostTagUpdate, tuple[str, str]]):
    """`PostTagRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = POST_TAGS
    select_model = PostTag
    insert_model = NewPostTag
    update_model = PostTagUpdate
