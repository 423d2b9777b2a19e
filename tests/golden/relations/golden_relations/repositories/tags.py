# generated from schema.yaml — do not edit

"""Repositories of `tags`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `TagRepository`
runs it on a `Database` and `AsyncTagRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_relations.models import NewTag, Tag, TagUpdate
from golden_relations.tables import TAGS
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncTagRepository", "TagRepository"]


class TagRepository(Repository[Tag, NewTag, TagUpdate, str]):
    """Typed access to `tags`."""

    table = TAGS
    select_model = Tag
    insert_model = NewTag
    update_model = TagUpdate


class AsyncTagRepository(AsyncRepository[Tag, NewTag, TagUpdate, str]):
    """`TagRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = TAGS
    select_model = Tag
    insert_model = NewTag
    update_model = TagUpdate
