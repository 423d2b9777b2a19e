# generated from schema.yaml — do not edit

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime

from libsqlkit import InsertModel, SelectModel, UpdateModel


class User(SelectModel):
    """
    A row of `users` as stored.
    """

    id: str
    name: str
    manager_id: str | None
    created_at: AwareDatetime
    deleted_at: AwareDatetime | None


class NewUser(InsertModel):
    """
    A new row of `users`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    name: str
    manager_id: str | None = None
    created_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class UserUpdate(UpdateModel):
    """
    Changes to a row of `users`: only the fields set are written.
    """

    id: str | None = None
    name: str | None = None
    manager_id: str | None = None
    created_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class Profile(SelectModel):
    """
    A row of `profiles` as stored.
    """

    id: str
    user_id: str
    bio: str


class NewProfile(InsertModel):
    """
    A new row of `profiles`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    user_id: str
    bio: str = ""


class ProfileUpdate(UpdateModel):
    """
    Changes to a row of `profiles`: only the fields set are written.
    """

    id: str | None = None
    user_id: str | None = None
    bio: str | None = None


class Post(SelectModel):
    """
    A row of `posts` as stored.
    """

    id: str
    author_id: str
    title: str
    published: bool
    created_at: AwareDatetime
    deleted_at: AwareDatetime | None


class NewPost(InsertModel):
    """
    A new row of `posts`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    author_id: str
    title: str
    published: bool = False
    created_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class PostUpdate(UpdateModel):
    """
    Changes to a row of `posts`: only the fields set are written.
    """

    id: str | None = None
    author_id: str | None = None
    title: str | None = None
    published: bool | None = None
    created_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class Comment(SelectModel):
    """
    A row of `comments` as stored.
    """

    id: str
    post_id: str
    author_id: str
    body: str
    approved: bool
    created_at: AwareDatetime


class NewComment(InsertModel):
    """
    A new row of `comments`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    post_id: str
    author_id: str
    body: str
    approved: bool = True
    created_at: AwareDatetime | None = None


class CommentUpdate(UpdateModel):
    """
    Changes to a row of `comments`: only the fields set are written.
    """

    id: str | None = None
    post_id: str | None = None
    author_id: str | None = None
    body: str | None = None
    approved: bool | None = None
    created_at: AwareDatetime | None = None


class Tag(SelectModel):
    """
    A row of `tags` as stored.
    """

    id: str
    name: str


class NewTag(InsertModel):
    """
    A new row of `tags`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    name: str


class TagUpdate(UpdateModel):
    """
    Changes to a row of `tags`: only the fields set are written.
    """

    id: str | None = None
    name: str | None = None


class PostTag(SelectModel):
    """
    A row of `post_tags` as stored.
    """

    post_id: str
    tag_id: str


class NewPostTag(InsertModel):
    """
    A new row of `post_tags`: fields with a default or that are nullable may be left out.
    """

    post_id: str
    tag_id: str


class PostTagUpdate(UpdateModel):
    """
    Changes to a row of `post_tags`: only the fields set are written.
    """

    post_id: str | None = None
    tag_id: str | None = None


class SyncState(SelectModel):
    """
    A row of `sync_state` as stored.
    """

    id: str
    table_name: str
    last_sync_at: AwareDatetime | None
    sync_status: Literal["SYNCING", "COMPLETED", "FAILED"]


class NewSyncState(InsertModel):
    """
    A new row of `sync_state`: fields with a default or that are nullable may be left out.
    """

    id: str | None = None
    table_name: str
    last_sync_at: AwareDatetime | None = None
    sync_status: Literal["SYNCING", "COMPLETED", "FAILED"] = "COMPLETED"


class SyncStateUpdate(UpdateModel):
    """
    Changes to a row of `sync_state`: only the fields set are written.
    """

    id: str | None = None
    table_name: str | None = None
    last_sync_at: AwareDatetime | None = None
    sync_status: Literal["SYNCING", "COMPLETED", "FAILED"] | None = None
