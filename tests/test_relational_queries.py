"""Relational queries: rows with their relations nested, in one statement, in every mode.

The golden relations package (a blog: users with managers and profiles, posts, comments,
tags through a join table) on both local drivers, sqld, an embedded replica and an
offline-sync device, sync and async. Each test also counts what reached the database:
one plan of one statement per query, whatever the number of rows and the depth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from golden_relations.client import DbClient, create_async_db_client, create_db_client
from golden_relations.models import (
    Comment,
    NewComment,
    NewPost,
    NewPostTag,
    NewProfile,
    NewTag,
    NewUser,
    Post,
    Tag,
    User,
)
from golden_relations.repositories import (
    CommentRepository,
    PostRepository,
    PostTagRepository,
    ProfileRepository,
    TagRepository,
    UserRepository,
)
from golden_relations.tables import comments, posts, tags, users

from libsqlkit import DecodeError, Plan, QueryError, and_, select
from tests.modes_kit import ASYNC_MODES, MODES, Mode, open_async_in_mode, open_in_mode

START = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class Blog:
    ann: str
    bob: str
    carl: str
    hello: str  # ann's, published, three comments (one not approved), two tags
    draft: str  # ann's, no comments
    gone: str  # ann's, soft-deleted, one comment
    news: str  # bob's, one comment, one tag
    red: str
    blue: str


def write_blog(db: DbClient) -> Blog:
    people = UserRepository(db)
    ann = people.create(NewUser(name="ann", created_at=START)).id
    bob = people.create(NewUser(name="bob", manager_id=ann, created_at=START)).id
    carl = people.create(NewUser(name="carl", manager_id=ann, created_at=START)).id
    ProfileRepository(db).create(NewProfile(user_id=ann, bio="writes"))
    writing = PostRepository(db)

    def post(author: str, title: str, minutes: int, *, published: bool = False) -> str:
        at = START + timedelta(minutes=minutes)
        return writing.create(
            NewPost(author_id=author, title=title, published=published, created_at=at)
        ).id

    hello = post(ann, "hello", 1, published=True)
    draft = post(ann, "draft", 2)
    gone = post(ann, "gone", 3)
    news = post(bob, "news", 4, published=True)
    talk = CommentRepository(db)
    for minutes, (on, by, body, approved) in enumerate(
        [
            (hello, bob, "nice", True),
            (hello, carl, "spam", False),
            (hello, ann, "thanks", True),
            (news, ann, "good", True),
            (gone, bob, "lost", True),
        ]
    ):
        talk.create(
            NewComment(
                post_id=on,
                author_id=by,
                body=body,
                approved=approved,
                created_at=START + timedelta(hours=1, minutes=minutes),
            )
        )
    writing.soft_delete(gone)
    red = TagRepository(db).create(NewTag(name="red")).id
    blue = TagRepository(db).create(NewTag(name="blue")).id
    PostTagRepository(db).create_many(
        [
            NewPostTag(post_id=hello, tag_id=red),
            NewPostTag(post_id=hello, tag_id=blue),
            NewPostTag(post_id=news, tag_id=red),
        ]
    )
    return Blog(ann, bob, carl, hello, draft, gone, news, red, blue)


class Counted:
    """What reached the database: the statements of every plan `db.run` was given."""

    def __init__(self, db: DbClient) -> None:
        self.plans: list[int] = []
        run = db.run

        def counting(plan: Plan[Any]) -> Any:
            self.plans.append(len(plan.statements))
            return run(plan)

        setattr(db, "run", counting)  # noqa: B010 (the instance's, for this test only)


@pytest.fixture(params=[*MODES, "offline"])
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    mode: Mode = request.param
    client = open_in_mode(create_db_client, mode, tmp_path, request)
    yield client
    client.close()


@pytest.fixture
def blog(db: DbClient) -> Blog:
    return write_blog(db)


def _names(items: list[User]) -> list[str]:
    return [user.name for user in items]


def test_posts_with_author_comments_and_their_authors_tags_and_a_count(
    db: DbClient, blog: Blog
) -> None:
    counted = Counted(db)
    trips = db.round_trips
    feed = (
        select(posts)
        .order_by(posts.created_at)
        .with_(
            posts.author,
            posts.comments.order_by(comments.created_at).with_(comments.author),
            posts.tags.order_by(tags.name),
            posts.comments.count(),
        )
        .all(db)
    )
    assert counted.plans == [1]  # one statement for four relations, two levels deep
    assert db.round_trips - trips <= 1  # remote: one request; local and replica: none
    summary = [
        (
            post.title,
            author.name,
            [(c.body, who.name) for c, who in thread],
            [t.name for t in labels],
            n,
        )
        for post, author, thread, labels, n in feed
    ]
    assert summary == [
        (
            "hello",
            "ann",
            [("nice", "bob"), ("spam", "carl"), ("thanks", "ann")],
            ["blue", "red"],
            3,
        ),
        ("draft", "ann", [], [], 0),
        ("news", "bob", [("good", "ann")], ["red"], 1),
    ]  # "gone" is soft-deleted: hidden, as in the repositories
    first: Post = feed[0][0]
    assert isinstance(first, Post) and isinstance(feed[0][1], User)
    assert isinstance(feed[0][2][0][0], Comment) and isinstance(feed[0][3][0], Tag)


def test_filter_order_limit_and_offset_inside_a_relation(db: DbClient, blog: Blog) -> None:
    approved = posts.comments.where(comments.approved == True)  # noqa: E712
    rows = (
        select(posts)
        .where(posts.id == blog.hello)
        .with_(
            approved.order_by(comments.body.desc()),
            approved.order_by(comments.created_at).limit(1),
            approved.order_by(comments.created_at).offset(1),
            approved.order_by(comments.created_at).limit(1).offset(1),
            approved.count(),
            posts.comments.limit(0),
        )
        .all(db)
    )
    ((_, by_body, first, rest, second, n, none),) = rows
    assert [c.body for c in by_body] == ["thanks", "nice"]
    assert [c.body for c in first] == ["nice"]
    assert [c.body for c in rest] == ["thanks"]
    assert [c.body for c in second] == ["thanks"]
    assert (n, none) == (2, [])


def test_limit_is_per_parent_row(db: DbClient, blog: Blog) -> None:
    """The latest comment of each post, not the latest comment overall."""
    latest = posts.comments.order_by(comments.created_at.desc()).limit(1)
    rows = select(posts).order_by(posts.title).with_(latest).all(db)
    assert [(p.title, [c.body for c in cs]) for p, cs in rows] == [
        ("draft", []),
        ("hello", ["thanks"]),
        ("news", ["good"]),
    ]


def test_many_to_many_both_ways_and_the_join_table(db: DbClient, blog: Blog) -> None:
    tagged = select(tags).order_by(tags.name).with_(tags.posts.order_by(posts.title)).all(db)
    assert [(t.name, [p.title for p in ps]) for t, ps in tagged] == [
        ("blue", ["hello"]),
        ("red", ["hello", "news"]),
    ]
    counts = select(tags).order_by(tags.name).with_(tags.posts.count()).all(db)
    assert [(t.name, n) for t, n in counts] == [("blue", 1), ("red", 2)]


def test_a_table_related_to_itself_and_one_to_one(db: DbClient, blog: Blog) -> None:
    rows = (
        select(users)
        .order_by(users.name)
        .with_(users.manager, users.reports.order_by(users.name), users.profile)
        .all(db)
    )
    shown = [
        (u.name, m.name if m else None, _names(r), p.bio if p else None) for u, m, r, p in rows
    ]
    assert shown == [
        ("ann", None, ["bob", "carl"], "writes"),
        ("bob", "ann", [], None),
        ("carl", "ann", [], None),
    ]


def test_nested_to_any_depth(db: DbClient, blog: Blog) -> None:
    """users -> posts -> comments -> author -> profile, and the author's manager."""
    counted = Counted(db)
    deep = (
        select(users)
        .where(users.id == blog.bob)
        .with_(
            users.posts.with_(
                posts.comments.with_(
                    comments.author.with_(users.profile, users.manager),
                    comments.post.with_(posts.author),
                )
            )
        )
        .first(db)
    )
    assert counted.plans == [1]
    assert deep is not None
    bob, bobs_posts = deep
    ((news, thread),) = bobs_posts
    ((comment, (author, profile, manager), (post, post_author)),) = thread
    assert (bob.name, news.title, comment.body) == ("bob", "news", "good")
    assert (author.name, profile.bio if profile else None, manager) == ("ann", "writes", None)
    assert (post.id, post_author.name) == (news.id, "bob")


def test_soft_deleted_rows_are_hidden_unless_asked_for(db: DbClient, blog: Blog) -> None:
    mine = users.posts.order_by(posts.title)
    ann = select(users).where(users.id == blog.ann)
    ((_, live),) = ann.with_(mine).all(db)
    ((_, every),) = ann.with_(mine.include_deleted()).all(db)
    assert [p.title for p in live] == ["draft", "hello"]
    assert [p.title for p in every] == ["draft", "gone", "hello"]
    top = select(posts).include_deleted().order_by(posts.title).with_(posts.comments.count())
    assert [(p.title, n) for p, n in top.all(db)] == [
        ("draft", 0),
        ("gone", 1),
        ("hello", 3),
        ("news", 1),
    ]
    UserRepository(db).soft_delete(blog.bob)
    # A post's author is the row its NOT NULL key names, soft-deleted or not.
    ((_, author),) = select(posts).where(posts.id == blog.news).with_(posts.author).all(db)
    assert author.name == "bob" and author.deleted_at is not None
    ((_, reports),) = ann.with_(users.reports.order_by(users.name)).all(db)
    assert _names(reports) == ["carl"]
    # A nullable relation gives None for a soft-deleted row, unless asked for.
    UserRepository(db).soft_delete(blog.ann)
    carl = select(users).where(users.id == blog.carl)
    assert carl.with_(users.manager).all(db)[0][1] is None
    manager = carl.with_(users.manager.include_deleted()).all(db)[0][1]
    assert manager is not None and manager.name == "ann"


def test_relation_filters_on_the_parent_rows(db: DbClient, blog: Blog) -> None:
    commented = select(posts.title).from_(posts).where(posts.comments.exists())
    assert sorted(t for (t,) in commented.all(db)) == ["hello", "news"]
    by_carl = posts.comments.where(comments.author_id == blog.carl).exists()
    assert select(posts.title).from_(posts).where(by_carl).all(db) == [("hello",)]
    tagged_blue = posts.tags.where(tags.name == "blue").exists()
    both = and_(tagged_blue, posts.published == True)  # noqa: E712
    assert select(posts.title).from_(posts).where(both).all(db) == [("hello",)]


def test_a_broken_required_relation_is_named(tmp_path: Path) -> None:
    """A NOT NULL key that names no row (the database did not enforce it) is an error
    naming the relation and the key, not a None the type does not allow."""
    db = create_db_client(f"file:{tmp_path / 'app.db'}")
    db.create_schema()
    write_blog(db)
    db.execute("PRAGMA foreign_keys = OFF")  # another tool's connection, say
    db.execute("UPDATE comments SET author_id = 'nobody' WHERE body = 'good'")
    db.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(DecodeError, match=r"comments.author: no users row has id = \('nobody',\)"):
        select(comments).with_(comments.author).all(db)
    db.close()


def test_relations_of_another_table_are_refused(db: DbClient) -> None:
    wrong: Any = users.posts
    with pytest.raises(QueryError, match=r"users\.posts is a relation of users, not of posts"):
        select(posts).with_(wrong)
    with pytest.raises(QueryError, match="whole rows of one table"):
        select(posts).left_join(users, on=users.id == posts.author_id).with_(wrong)


def test_the_statement_count_does_not_grow_with_the_rows(db: DbClient) -> None:
    people = UserRepository(db)
    author = people.create(NewUser(name="a")).id
    created = PostRepository(db).create_many(
        [NewPost(author_id=author, title=f"p{i}") for i in range(100)], returning=True
    )
    CommentRepository(db).create_many(
        [NewComment(post_id=p.id, author_id=author, body=str(i)) for i, p in enumerate(created)]
    )
    counted = Counted(db)
    rows = select(posts).with_(posts.author, posts.comments.with_(comments.author)).all(db)
    assert len(rows) == 100 and all(len(thread) == 1 for _, _, thread in rows)
    assert counted.plans == [1]


def test_one_plan_runs_on_every_client(db: DbClient, blog: Blog) -> None:
    query = select(posts).order_by(posts.title).with_(posts.author)
    plan = query.plan()
    assert len(plan.statements) == 1
    assert [(p.title, a.name) for p, a in db.run(plan)] == [
        ("draft", "ann"),
        ("hello", "ann"),
        ("news", "bob"),
    ]


@pytest.mark.parametrize("mode", ASYNC_MODES)
async def test_async_relational_queries(
    mode: Mode, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    adb = await open_async_in_mode(
        create_async_db_client, create_db_client, mode, tmp_path, request
    )
    sync = (
        create_db_client(f"file:{tmp_path / 'app.db'}")
        if mode == "sqlite3"
        else create_db_client(
            request.getfixturevalue("sqld_server").url,
            auth_token=request.getfixturevalue("sqld_server").token(),
        )
    )
    blog = write_blog(sync)
    sync.close()
    async with adb:
        if mode == "replica":
            await adb.sync()  # the rows were written through the primary by another client
        query = (
            select(posts)
            .order_by(posts.title)
            .with_(
                posts.author, posts.comments.order_by(comments.created_at).with_(comments.author)
            )
        )
        rows = await query.all(adb)
        assert [(p.title, a.name, [c.body for c, _ in cs]) for p, a, cs in rows] == [
            ("draft", "ann", []),
            ("hello", "ann", ["nice", "spam", "thanks"]),
            ("news", "bob", ["good"]),
        ]
        first = await query.first(adb)
        assert first is not None and first[0].id == blog.draft


def test_the_offline_device_reads_what_another_device_wrote(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Two offline devices: one writes the blog and syncs, the other syncs and reads the
    same tree from its own file."""
    writer = open_in_mode(create_db_client, "offline", tmp_path / "a", request)
    (tmp_path / "b").mkdir()
    server = request.getfixturevalue("sqld_server")
    reader = create_db_client(
        f"file:{tmp_path / 'b' / 'device.db'}",
        sync_url=server.url,
        auth_token=server.token(),
        sync_mode="offline",
        sync_interval=0,
    )
    reader.create_schema()
    try:
        write_blog(writer)
        writer.sync()
        reader.sync()
        query = (
            select(users)
            .order_by(users.name)
            .with_(users.posts.order_by(posts.title).with_(posts.comments.count()), users.profile)
        )

        def seen(db: DbClient) -> list[Any]:
            return [
                (u.name, [(p.title, n) for p, n in ps], pr.bio if pr else None)
                for u, ps, pr in query.all(db)
            ]

        assert (
            seen(reader)
            == seen(writer)
            == [
                ("ann", [("draft", 0), ("hello", 3)], "writes"),
                ("bob", [("news", 1)], None),
                ("carl", [], None),
            ]
        )
    finally:
        writer.close()
        reader.close()
