# generated from schema.yaml — do not edit

"""Repositories of `comments`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `CommentRepository`
runs it on a `Database` and `AsyncCommentRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_relations.models import Comment, CommentUpdate, NewComment
from golden_relations.tables import COMMENTS
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncCommentRepository", "CommentRepository"]


class CommentRepository(Repository[Comment, NewComment, CommentUpdate, str]):
    """Typed access to `comments`."""

    table = COMMENTS
    select_model = Comment
    insert_model = NewComment
    update_model = CommentUpdate


class AsyncCommentRepository(AsyncRepository[Comment, NewComment, CommentUpdate, str]):
    """`CommentRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = COMMENTS
    select_model = Comment
    insert_model = NewComment
    update_model = CommentUpdate
