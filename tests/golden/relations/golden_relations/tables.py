# generated from schema.yaml — do not edit

"""Typed table and column metadata of schema.yaml, with the SQL the repositories run."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Final, Literal

from golden_relations.models import (
    Comment,
    CommentUpdate,
    NewComment,
    NewPost,
    NewPostTag,
    NewProfile,
    NewSyncState,
    NewTag,
    NewUser,
    Post,
    PostTag,
    PostTagUpdate,
    PostUpdate,
    Profile,
    ProfileUpdate,
    SyncState,
    SyncStateUpdate,
    Tag,
    TagUpdate,
    User,
    UserUpdate,
)
from libsqlkit import Column, Many, MaybeOne, One, Schema, Table, TableRef, TableSql, codecs

__all__ = [
    "COMMENTS",
    "POSTS",
    "POST_TAGS",
    "PROFILES",
    "SCHEMA",
    "SYNC_STATE",
    "TAGS",
    "USERS",
    "CommentsTable",
    "PostTagsTable",
    "PostsTable",
    "ProfilesTable",
    "SyncStateTable",
    "TagsTable",
    "UsersTable",
    "comments",
    "post_tags",
    "posts",
    "profiles",
    "sync_state",
    "tags",
    "users",
]


class UsersTable(TableRef[User, NewUser, UserUpdate]):
    """Table `users`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, User]] = Column(
        "users", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    name: Final[Column[str, User]] = Column("users", "name", codecs.TEXT, not_null=True)
    manager_id: Final[Column[str | None, User]] = Column("users", "manager_id", codecs.TEXT)
    created_at: Final[Column[datetime, User]] = Column(
        "users", "created_at", codecs.TIMESTAMP, not_null=True, client_default="now"
    )
    deleted_at: Final[Column[datetime | None, User]] = Column(
        "users", "deleted_at", codecs.TIMESTAMP
    )
    # Relations (set below, once every table class exists)
    manager: ClassVar[MaybeOne[User, User, User]]
    reports: ClassVar[Many[User, User, User]]
    profile: ClassVar[MaybeOne[User, Profile, Profile]]
    posts: ClassVar[Many[User, Post, Post]]
    comments: ClassVar[Many[User, Comment, Comment]]

    table = Table(
        name="users",
        columns=(id, name, manager_id, created_at, deleted_at),
        primary_key="id",
        soft_delete="deleted_at",
        checks={},
        sync=True,
        references={"manager_id": ("users", "id")},
        sql=TableSql(
            insert="INSERT INTO `users` (`id`, `name`, `manager_id`, `created_at`, `deleted_at`) VALUES (?, ?, ?, ?, ?) RETURNING `id`, `name`, `manager_id`, `created_at`, `deleted_at`",
            select_by_key="SELECT `id`, `name`, `manager_id`, `created_at`, `deleted_at` FROM `users` WHERE `id` = ? AND `deleted_at` IS NULL",
            select_page="SELECT `id`, `name`, `manager_id`, `created_at`, `deleted_at` FROM `users` WHERE `deleted_at` IS NULL ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `name`, `manager_id`, `created_at`, `deleted_at` FROM `users` WHERE `id` > ? AND `deleted_at` IS NULL ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `users` WHERE `deleted_at` IS NULL",
            delete="DELETE FROM `users` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `users` SET ",
            update_suffix=" WHERE `id` = ? AND `deleted_at` IS NULL RETURNING `id`, `name`, `manager_id`, `created_at`, `deleted_at`",
            set_fragments={
                "id": "`id` = ?",
                "name": "`name` = ?",
                "manager_id": "`manager_id` = ?",
                "created_at": "`created_at` = ?",
                "deleted_at": "`deleted_at` = ?",
            },
            soft_delete="UPDATE `users` SET `deleted_at` = ? WHERE `id` = ? AND `deleted_at` IS NULL RETURNING `id`",
            restore="UPDATE `users` SET `deleted_at` = NULL WHERE `id` = ? AND `deleted_at` IS NOT NULL RETURNING `id`, `name`, `manager_id`, `created_at`, `deleted_at`",
            select_by_key_all="SELECT `id`, `name`, `manager_id`, `created_at`, `deleted_at` FROM `users` WHERE `id` = ?",
            select_page_all="SELECT `id`, `name`, `manager_id`, `created_at`, `deleted_at` FROM `users` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after_all="SELECT `id`, `name`, `manager_id`, `created_at`, `deleted_at` FROM `users` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count_all="SELECT count(*) FROM `users`",
        ),
    )
    model = User
    insert_model = NewUser
    update_model = UserUpdate


USERS: Final = UsersTable.table
users: Final = UsersTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class ProfilesTable(TableRef[Profile, NewProfile, ProfileUpdate]):
    """Table `profiles`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Profile]] = Column(
        "profiles", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    user_id: Final[Column[str, Profile]] = Column("profiles", "user_id", codecs.TEXT, not_null=True)
    bio: Final[Column[str, Profile]] = Column("profiles", "bio", codecs.TEXT, not_null=True)
    # Relations (set below, once every table class exists)
    user: ClassVar[One[Profile, User, User]]

    table = Table(
        name="profiles",
        columns=(id, user_id, bio),
        primary_key="id",
        soft_delete=None,
        checks={},
        sync=True,
        references={"user_id": ("users", "id")},
        sql=TableSql(
            insert="INSERT INTO `profiles` (`id`, `user_id`, `bio`) VALUES (?, ?, ?) RETURNING `id`, `user_id`, `bio`",
            select_by_key="SELECT `id`, `user_id`, `bio` FROM `profiles` WHERE `id` = ?",
            select_page="SELECT `id`, `user_id`, `bio` FROM `profiles` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `user_id`, `bio` FROM `profiles` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `profiles`",
            delete="DELETE FROM `profiles` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `profiles` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `user_id`, `bio`",
            set_fragments={"id": "`id` = ?", "user_id": "`user_id` = ?", "bio": "`bio` = ?"},
        ),
    )
    model = Profile
    insert_model = NewProfile
    update_model = ProfileUpdate


PROFILES: Final = ProfilesTable.table
profiles: Final = ProfilesTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class PostsTable(TableRef[Post, NewPost, PostUpdate]):
    """Table `posts`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Post]] = Column(
        "posts", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    author_id: Final[Column[str, Post]] = Column("posts", "author_id", codecs.TEXT, not_null=True)
    title: Final[Column[str, Post]] = Column("posts", "title", codecs.TEXT, not_null=True)
    published: Final[Column[bool, Post]] = Column(
        "posts", "published", codecs.BOOLEAN, not_null=True
    )
    created_at: Final[Column[datetime, Post]] = Column(
        "posts", "created_at", codecs.TIMESTAMP, not_null=True, client_default="now"
    )
    deleted_at: Final[Column[datetime | None, Post]] = Column(
        "posts", "deleted_at", codecs.TIMESTAMP
    )
    # Relations (set below, once every table class exists)
    author: ClassVar[One[Post, User, User]]
    comments: ClassVar[Many[Post, Comment, Comment]]
    tags: ClassVar[Many[Post, Tag, Tag]]

    table = Table(
        name="posts",
        columns=(id, author_id, title, published, created_at, deleted_at),
        primary_key="id",
        soft_delete="deleted_at",
        checks={},
        sync=True,
        references={"author_id": ("users", "id")},
        sql=TableSql(
            insert="INSERT INTO `posts` (`id`, `author_id`, `title`, `published`, `created_at`, `deleted_at`) VALUES (?, ?, ?, ?, ?, ?) RETURNING `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at`",
            select_by_key="SELECT `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at` FROM `posts` WHERE `id` = ? AND `deleted_at` IS NULL",
            select_page="SELECT `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at` FROM `posts` WHERE `deleted_at` IS NULL ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at` FROM `posts` WHERE `id` > ? AND `deleted_at` IS NULL ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `posts` WHERE `deleted_at` IS NULL",
            delete="DELETE FROM `posts` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `posts` SET ",
            update_suffix=" WHERE `id` = ? AND `deleted_at` IS NULL RETURNING `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at`",
            set_fragments={
                "id": "`id` = ?",
                "author_id": "`author_id` = ?",
                "title": "`title` = ?",
                "published": "`published` = ?",
                "created_at": "`created_at` = ?",
                "deleted_at": "`deleted_at` = ?",
            },
            soft_delete="UPDATE `posts` SET `deleted_at` = ? WHERE `id` = ? AND `deleted_at` IS NULL RETURNING `id`",
            restore="UPDATE `posts` SET `deleted_at` = NULL WHERE `id` = ? AND `deleted_at` IS NOT NULL RETURNING `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at`",
            select_by_key_all="SELECT `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at` FROM `posts` WHERE `id` = ?",
            select_page_all="SELECT `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at` FROM `posts` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after_all="SELECT `id`, `author_id`, `title`, `published`, `created_at`, `deleted_at` FROM `posts` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count_all="SELECT count(*) FROM `posts`",
        ),
    )
    model = Post
    insert_model = NewPost
    update_model = PostUpdate


POSTS: Final = PostsTable.table
posts: Final = PostsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class CommentsTable(TableRef[Comment, NewComment, CommentUpdate]):
    """Table `comments`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Comment]] = Column(
        "comments", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    post_id: Final[Column[str, Comment]] = Column("comments", "post_id", codecs.TEXT, not_null=True)
    author_id: Final[Column[str, Comment]] = Column(
        "comments", "author_id", codecs.TEXT, not_null=True
    )
    body: Final[Column[str, Comment]] = Column("comments", "body", codecs.TEXT, not_null=True)
    approved: Final[Column[bool, Comment]] = Column(
        "comments", "approved", codecs.BOOLEAN, not_null=True
    )
    created_at: Final[Column[datetime, Comment]] = Column(
        "comments", "created_at", codecs.TIMESTAMP, not_null=True, client_default="now"
    )
    # Relations (set below, once every table class exists)
    post: ClassVar[One[Comment, Post, Post]]
    author: ClassVar[One[Comment, User, User]]

    table = Table(
        name="comments",
        columns=(id, post_id, author_id, body, approved, created_at),
        primary_key="id",
        soft_delete=None,
        checks={},
        sync=True,
        references={"post_id": ("posts", "id"), "author_id": ("users", "id")},
        sql=TableSql(
            insert="INSERT INTO `comments` (`id`, `post_id`, `author_id`, `body`, `approved`, `created_at`) VALUES (?, ?, ?, ?, ?, ?) RETURNING `id`, `post_id`, `author_id`, `body`, `approved`, `created_at`",
            select_by_key="SELECT `id`, `post_id`, `author_id`, `body`, `approved`, `created_at` FROM `comments` WHERE `id` = ?",
            select_page="SELECT `id`, `post_id`, `author_id`, `body`, `approved`, `created_at` FROM `comments` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `post_id`, `author_id`, `body`, `approved`, `created_at` FROM `comments` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `comments`",
            delete="DELETE FROM `comments` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `comments` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `post_id`, `author_id`, `body`, `approved`, `created_at`",
            set_fragments={
                "id": "`id` = ?",
                "post_id": "`post_id` = ?",
                "author_id": "`author_id` = ?",
                "body": "`body` = ?",
                "approved": "`approved` = ?",
                "created_at": "`created_at` = ?",
            },
        ),
    )
    model = Comment
    insert_model = NewComment
    update_model = CommentUpdate


COMMENTS: Final = CommentsTable.table
comments: Final = CommentsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class TagsTable(TableRef[Tag, NewTag, TagUpdate]):
    """Table `tags`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Tag]] = Column(
        "tags", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    name: Final[Column[str, Tag]] = Column("tags", "name", codecs.TEXT, not_null=True)
    # Relations (set below, once every table class exists)
    posts: ClassVar[Many[Tag, Post, Post]]

    table = Table(
        name="tags",
        columns=(id, name),
        primary_key="id",
        soft_delete=None,
        checks={},
        sync=True,
        sql=TableSql(
            insert="INSERT INTO `tags` (`id`, `name`) VALUES (?, ?) RETURNING `id`, `name`",
            select_by_key="SELECT `id`, `name` FROM `tags` WHERE `id` = ?",
            select_page="SELECT `id`, `name` FROM `tags` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `name` FROM `tags` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `tags`",
            delete="DELETE FROM `tags` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `tags` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `name`",
            set_fragments={"id": "`id` = ?", "name": "`name` = ?"},
        ),
    )
    model = Tag
    insert_model = NewTag
    update_model = TagUpdate


TAGS: Final = TagsTable.table
tags: Final = TagsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class PostTagsTable(TableRef[PostTag, NewPostTag, PostTagUpdate]):
    """Table `post_tags`: its typed columns, for the query builder and the repository."""

    post_id: Final[Column[str, PostTag]] = Column(
        "post_tags", "post_id", codecs.TEXT, not_null=True
    )
    tag_id: Final[Column[str, PostTag]] = Column("post_tags", "tag_id", codecs.TEXT, not_null=True)
    # Relations (set below, once every table class exists)
    post: ClassVar[One[PostTag, Post, Post]]
    tag: ClassVar[One[PostTag, Tag, Tag]]

    table = Table(
        name="post_tags",
        columns=(post_id, tag_id),
        primary_key="post_id",
        soft_delete=None,
        checks={},
        composite_key=("post_id", "tag_id"),
        references={"post_id": ("posts", "id"), "tag_id": ("tags", "id")},
        sql=TableSql(
            insert="INSERT INTO `post_tags` (`post_id`, `tag_id`) VALUES (?, ?) RETURNING `post_id`, `tag_id`",
            select_by_key="SELECT `post_id`, `tag_id` FROM `post_tags` WHERE `post_id` = ? AND `tag_id` = ?",
            select_page="SELECT `post_id`, `tag_id` FROM `post_tags` ORDER BY `post_id`, `tag_id` LIMIT ? OFFSET ?",
            select_after="SELECT `post_id`, `tag_id` FROM `post_tags` WHERE (`post_id`, `tag_id`) > (?, ?) ORDER BY `post_id`, `tag_id` LIMIT ?",
            count="SELECT count(*) FROM `post_tags`",
            delete="DELETE FROM `post_tags` WHERE `post_id` = ? AND `tag_id` = ? RETURNING `post_id`, `tag_id`",
            update_prefix="UPDATE `post_tags` SET ",
            update_suffix=" WHERE `post_id` = ? AND `tag_id` = ? RETURNING `post_id`, `tag_id`",
            set_fragments={"post_id": "`post_id` = ?", "tag_id": "`tag_id` = ?"},
        ),
    )
    model = PostTag
    insert_model = NewPostTag
    update_model = PostTagUpdate


POST_TAGS: Final = PostTagsTable.table
post_tags: Final = PostTagsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class SyncStateTable(TableRef[SyncState, NewSyncState, SyncStateUpdate]):
    """Table `sync_state`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, SyncState]] = Column(
        "sync_state", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    table_name: Final[Column[str, SyncState]] = Column(
        "sync_state", "table_name", codecs.TEXT, not_null=True
    )
    last_sync_at: Final[Column[datetime | None, SyncState]] = Column(
        "sync_state", "last_sync_at", codecs.TIMESTAMP
    )
    sync_status: Final[Column[Literal["SYNCING", "COMPLETED", "FAILED"], SyncState]] = Column(
        "sync_state", "sync_status", codecs.TEXT, not_null=True
    )

    table = Table(
        name="sync_state",
        columns=(id, table_name, last_sync_at, sync_status),
        primary_key="id",
        soft_delete=None,
        checks={"sync_state_sync_status_enum": ("sync_status",)},
        sql=TableSql(
            insert="INSERT INTO `sync_state` (`id`, `table_name`, `last_sync_at`, `sync_status`) VALUES (?, ?, ?, ?) RETURNING `id`, `table_name`, `last_sync_at`, `sync_status`",
            select_by_key="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_state` WHERE `id` = ?",
            select_page="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_state` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_state` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `sync_state`",
            delete="DELETE FROM `sync_state` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `sync_state` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `table_name`, `last_sync_at`, `sync_status`",
            set_fragments={
                "id": "`id` = ?",
                "table_name": "`table_name` = ?",
                "last_sync_at": "`last_sync_at` = ?",
                "sync_status": "`sync_status` = ?",
            },
        ),
    )
    model = SyncState
    insert_model = NewSyncState
    update_model = SyncStateUpdate


SYNC_STATE: Final = SyncStateTable.table
sync_state: Final = (
    SyncStateTable  # Drizzle-style: select(workflows).where(workflows.status == ...)
)


UsersTable.manager = MaybeOne(UsersTable, "manager", UsersTable, (("manager_id", "id"),))
UsersTable.reports = Many(UsersTable, "reports", UsersTable, (("id", "manager_id"),))
UsersTable.profile = MaybeOne(UsersTable, "profile", ProfilesTable, (("id", "user_id"),))
UsersTable.posts = Many(UsersTable, "posts", PostsTable, (("id", "author_id"),))
UsersTable.comments = Many(UsersTable, "comments", CommentsTable, (("id", "author_id"),))
ProfilesTable.user = One(ProfilesTable, "user", UsersTable, (("user_id", "id"),))
PostsTable.author = One(PostsTable, "author", UsersTable, (("author_id", "id"),))
PostsTable.comments = Many(PostsTable, "comments", CommentsTable, (("id", "post_id"),))
PostsTable.tags = Many(
    PostsTable,
    "tags",
    TagsTable,
    (("id", "post_id"),),
    through=PostTagsTable,
    through_on=(("tag_id", "id"),),
)
CommentsTable.post = One(CommentsTable, "post", PostsTable, (("post_id", "id"),))
CommentsTable.author = One(CommentsTable, "author", UsersTable, (("author_id", "id"),))
TagsTable.posts = Many(
    TagsTable,
    "posts",
    PostsTable,
    (("id", "tag_id"),),
    through=PostTagsTable,
    through_on=(("post_id", "id"),),
)
PostTagsTable.post = One(PostTagsTable, "post", PostsTable, (("post_id", "id"),))
PostTagsTable.tag = One(PostTagsTable, "tag", TagsTable, (("tag_id", "id"),))

SCHEMA: Final = Schema(
    tables=(USERS, PROFILES, POSTS, COMMENTS, TAGS, POST_TAGS, SYNC_STATE),
    ddl=(
        "CREATE TABLE `users` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL,\n\t`manager_id` text,\n\t`created_at` integer NOT NULL,\n\t`deleted_at` integer,\n\tFOREIGN KEY (`manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null\n)",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync` (\n\t`id` integer PRIMARY KEY NOT NULL CHECK(`id` = 1),\n\t`device` text NOT NULL,\n\t`wall` integer NOT NULL,\n\t`counter` integer NOT NULL,\n\t`seq` integer NOT NULL,\n\t`applying` integer NOT NULL,\n\t`pushed_seq` integer NOT NULL,\n\t`pulled_seq` integer NOT NULL,\n\t`pulled_tbl` text NOT NULL,\n\t`pulled_pk` NOT NULL,\n\t`pushed_tbl` text NOT NULL DEFAULT '',\n\t`pushed_pk` NOT NULL DEFAULT '',\n\t`schema` text NOT NULL DEFAULT '',\n\t`epoch` text NOT NULL DEFAULT '',\n\t`server_epoch` text NOT NULL DEFAULT '',\n\t`tables` text NOT NULL DEFAULT '{}',\n\t`resync` integer NOT NULL DEFAULT 0,\n\t`acked_seq` integer NOT NULL DEFAULT 0,\n\t`held` text NOT NULL DEFAULT '[]',\n\t`horizon_ms` integer NOT NULL DEFAULT 2592000000,\n\t`pruned_seq` integer NOT NULL DEFAULT 0\n)",
        "INSERT OR IGNORE INTO `__libsqlkit_sync` (`id`, `device`, `wall`, `counter`, `seq`, `applying`, `pushed_seq`, `pulled_seq`, `pulled_tbl`, `pulled_pk`) VALUES (1, lower(hex(randomblob(8))), 0, 0, 0, 0, 0, 0, '', '')",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_rows` (\n\t`tbl` text NOT NULL,\n\t`pk` NOT NULL,\n\t`hlc` text NOT NULL,\n\t`deleted` integer NOT NULL,\n\t`seq` integer,\n\t`born` text NOT NULL DEFAULT '000000000000000:0000000000:',\n\t`cols` text NOT NULL DEFAULT '{}',\n\t`base` text,\n\t`origin` text,\n\t`moved` text,\n\tPRIMARY KEY(`tbl`, `pk`)\n) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_seq` ON `__libsqlkit_sync_rows` (`seq`) WHERE `seq` IS NOT NULL",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_devices` (\n\t`device` text PRIMARY KEY NOT NULL,\n\t`pulled_seq` integer NOT NULL,\n\t`seen_ms` integer NOT NULL\n) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_conflicts` (\n\t`tbl` text NOT NULL,\n\t`pk` NOT NULL,\n\t`born` text NOT NULL,\n\t`winner` NOT NULL,\n\t`columns` text NOT NULL,\n\t`row` text NOT NULL,\n\t`loser_version` text NOT NULL,\n\t`winner_version` text NOT NULL,\n\t`moved_ms` integer NOT NULL,\n\tPRIMARY KEY(`tbl`, `pk`, `born`)\n) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_tombstones` ON `__libsqlkit_sync_rows` (`seq`) WHERE `deleted` = 1",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.users', 'fail') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'users', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `users` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'users' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_users_insert` AFTER INSERT ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: fail\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'users', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_users_update` AFTER UPDATE ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'users', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`name` IS NOT OLD.`name` THEN '$.name' END, excluded.`hlc`, CASE WHEN NEW.`manager_id` IS NOT OLD.`manager_id` THEN '$.manager_id' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`, CASE WHEN NEW.`deleted_at` IS NOT OLD.`deleted_at` THEN '$.deleted_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'users' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_users_delete` AFTER DELETE ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'users', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `profiles` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`user_id` text NOT NULL,\n\t`bio` text DEFAULT '' NOT NULL,\n\tFOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade\n)",
        "CREATE UNIQUE INDEX `profiles_user_id_unique` ON `profiles` (`user_id`)",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.profiles', 'fail') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'profiles', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `profiles` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'profiles' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_profiles_insert` AFTER INSERT ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: fail\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'profiles', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_profiles_update` AFTER UPDATE ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'profiles', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`user_id` IS NOT OLD.`user_id` THEN '$.user_id' END, excluded.`hlc`, CASE WHEN NEW.`bio` IS NOT OLD.`bio` THEN '$.bio' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'profiles' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_profiles_delete` AFTER DELETE ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'profiles', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `posts` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`author_id` text NOT NULL,\n\t`title` text NOT NULL,\n\t`published` integer DEFAULT false NOT NULL,\n\t`created_at` integer NOT NULL,\n\t`deleted_at` integer,\n\tFOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action\n)",
        "CREATE INDEX `idx_posts_author_id` ON `posts` (`author_id`)",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.posts', 'fail') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'posts', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `posts` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'posts' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_posts_insert` AFTER INSERT ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: fail\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'posts', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_posts_update` AFTER UPDATE ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'posts', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`author_id` IS NOT OLD.`author_id` THEN '$.author_id' END, excluded.`hlc`, CASE WHEN NEW.`title` IS NOT OLD.`title` THEN '$.title' END, excluded.`hlc`, CASE WHEN NEW.`published` IS NOT OLD.`published` THEN '$.published' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`, CASE WHEN NEW.`deleted_at` IS NOT OLD.`deleted_at` THEN '$.deleted_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'posts' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_posts_delete` AFTER DELETE ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'posts', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `comments` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`post_id` text NOT NULL,\n\t`author_id` text NOT NULL,\n\t`body` text NOT NULL,\n\t`approved` integer DEFAULT true NOT NULL,\n\t`created_at` integer NOT NULL,\n\tFOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,\n\tFOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action\n)",
        "CREATE INDEX `idx_comments_post_id` ON `comments` (`post_id`)",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.comments', 'fail') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'comments', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `comments` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'comments' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_comments_insert` AFTER INSERT ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: fail\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'comments', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_comments_update` AFTER UPDATE ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'comments', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`post_id` IS NOT OLD.`post_id` THEN '$.post_id' END, excluded.`hlc`, CASE WHEN NEW.`author_id` IS NOT OLD.`author_id` THEN '$.author_id' END, excluded.`hlc`, CASE WHEN NEW.`body` IS NOT OLD.`body` THEN '$.body' END, excluded.`hlc`, CASE WHEN NEW.`approved` IS NOT OLD.`approved` THEN '$.approved' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'comments' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_comments_delete` AFTER DELETE ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'comments', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `tags` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL\n)",
        "CREATE UNIQUE INDEX `tags_name_unique` ON `tags` (`name`)",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.tags', 'fail') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'tags', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `tags` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'tags' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_tags_insert` AFTER INSERT ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: fail\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'tags', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_tags_update` AFTER UPDATE ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'tags', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`name` IS NOT OLD.`name` THEN '$.name' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'tags' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_tags_delete` AFTER DELETE ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'tags', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `post_tags` (\n\t`post_id` text NOT NULL,\n\t`tag_id` text NOT NULL,\n\tPRIMARY KEY(`post_id`, `tag_id`),\n\tFOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,\n\tFOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade\n)",
        "CREATE TABLE `sync_state` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`table_name` text NOT NULL,\n\t`last_sync_at` integer,\n\t`sync_status` text DEFAULT 'COMPLETED' NOT NULL,\n\tCONSTRAINT `sync_state_sync_status_enum` CHECK(`sync_status` IN ('SYNCING', 'COMPLETED', 'FAILED'))\n)",
        "UPDATE `__libsqlkit_sync` SET `schema` = '2b741fc194ce4da8', `epoch` = lower(hex(randomblob(8))), `resync` = 1 WHERE `id` = 1",
    ),
    sync_metadata="sync_state",
)
