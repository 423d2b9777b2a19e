"""Relational queries: the newest 100 posts, each with its author and its comments.

The blog of the golden `relations` schema (tests/golden/relations), seeded with 20
users, 300 posts and 10 comments per post, on a WAL file. Contenders load the same tree:
libsqlkit's relational query (one statement), the same data loaded by hand with one
query per relation (posts, then their authors, then their comments, nested in Python:
with the query builder, and with raw sqlite3 + pydantic as the floor), and Drizzle's
relational query (`db.query.posts.findMany({with: ...})`, JSON built by SQLite) on
Node.js. Against sqld on loopback the relational query is one round trip, the
hand-loaded tree three. Every contender's tree is checked to be the same.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bench.harness import Report, timed
from bench.workloads import ROOT
from libsqlkit import codecs, select
from tests.node_project import NODE_PROJECT, node_with_packages
from tests.sqld import Sqld

# The blog's generated package, as the tests import it (pytest's pythonpath).
sys.path.insert(0, str(ROOT / "tests" / "golden" / "relations"))

from golden_relations.client import DbClient, create_db_client
from golden_relations.models import Comment, Post, User
from golden_relations.tables import comments, posts, users

WORKLOAD = "posts with author and comments"
USERS, POSTS, COMMENTS_PER_POST, LIMIT = 20, 300, 10, 100
START = datetime(2025, 1, 1, tzinfo=UTC)
Tree = list[tuple[Post, User, list[Comment]]]
Check = list[tuple[str, str, int]]


def seed(path: Path) -> None:
    with create_db_client(f"file:{path}") as db:
        db.create_schema()
    stamp = codecs.TIMESTAMP.encode
    assert stamp is not None
    conn = sqlite3.connect(path)
    user_ids = [str(uuid.UUID(int=i + 1, version=4)) for i in range(USERS)]
    conn.executemany(
        "INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)",
        [(u, f"user {i}", stamp(START)) for i, u in enumerate(user_ids)],
    )
    post_rows, comment_rows = [], []
    for p in range(POSTS):
        post_id = str(uuid.UUID(int=10_000 + p, version=4))
        at = stamp(START + timedelta(minutes=p))
        post_rows.append((post_id, user_ids[p % USERS], f"post {p}", 1, at))
        for c in range(COMMENTS_PER_POST):
            comment_rows.append(
                (
                    str(uuid.UUID(int=1_000_000 + p * COMMENTS_PER_POST + c, version=4)),
                    post_id,
                    user_ids[(p + c) % USERS],
                    f"comment {c} on post {p}",
                    1,
                    stamp(START + timedelta(minutes=p, seconds=c)),
                )
            )
    conn.executemany(
        "INSERT INTO posts (id, author_id, title, published, created_at) VALUES (?, ?, ?, ?, ?)",
        post_rows,
    )
    conn.executemany(
        "INSERT INTO comments (id, post_id, author_id, body, approved, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        comment_rows,
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def check(tree: Tree) -> Check:
    return [(post.id, author.name, len(thread)) for post, author, thread in tree]


def relational(db: DbClient) -> Tree:
    return (
        select(posts)
        .order_by(posts.created_at.desc(), posts.id)
        .limit(LIMIT)
        .with_(posts.author, posts.comments.order_by(comments.created_at, comments.id))
        .all(db)
    )


def by_hand_builder(db: DbClient) -> Tree:
    """One builder query per relation, nested in Python."""
    top = select(posts).order_by(posts.created_at.desc(), posts.id).limit(LIMIT).all(db)
    authors = {
        u.id: u
        for u in select(users)
        .include_deleted()
        .where(users.id.in_({p.author_id for p in top}))
        .all(db)
    }
    threads: dict[str, list[Comment]] = {p.id: [] for p in top}
    for comment in (
        select(comments)
        .where(comments.post_id.in_(list(threads)))
        .order_by(comments.created_at, comments.id)
        .all(db)
    ):
        threads[comment.post_id].append(comment)
    return [(p, authors[p.author_id], threads[p.id]) for p in top]


_POST = "id, author_id, title, published, created_at, deleted_at"
_USER = "id, name, manager_id, created_at, deleted_at"
_COMMENT = "id, post_id, author_id, body, approved, created_at"


def by_hand_raw(conn: sqlite3.Connection) -> Tree:
    """Hand-written SQL on sqlite3, one statement per relation, the same pydantic models."""
    decode = codecs.TIMESTAMP.decode
    assert decode is not None

    def at(value: int) -> datetime:
        moment: datetime = decode(value)
        return moment

    def when(value: int | None) -> datetime | None:
        return None if value is None else at(value)

    rows = conn.execute(
        f"SELECT {_POST} FROM posts WHERE deleted_at IS NULL ORDER BY created_at DESC, id LIMIT ?",
        (LIMIT,),
    ).fetchall()
    top = [
        Post(id=i, author_id=a, title=t, published=bool(p), created_at=at(c), deleted_at=when(d))
        for i, a, t, p, c, d in rows
    ]
    wanted = sorted({p.author_id for p in top})
    marks = ", ".join("?" for _ in wanted)
    authors = {
        i: User(id=i, name=n, manager_id=m, created_at=at(c), deleted_at=when(d))
        for i, n, m, c, d in conn.execute(
            f"SELECT {_USER} FROM users WHERE id IN ({marks})", wanted
        )
    }
    threads: dict[str, list[Comment]] = {p.id: [] for p in top}
    marks = ", ".join("?" for _ in threads)
    for i, post_id, a, b, ok, c in conn.execute(
        f"SELECT {_COMMENT} FROM comments WHERE post_id IN ({marks}) ORDER BY created_at, id",
        list(threads),
    ):
        threads[post_id].append(
            Comment(id=i, post_id=post_id, author_id=a, body=b, approved=bool(ok), created_at=at(c))
        )
    return [(p, authors[p.author_id], threads[p.id]) for p in top]


def _drizzle(path: Path, driver: str, calls: int) -> tuple[float, Check]:
    node = node_with_packages()
    result = subprocess.run(
        [node, "relational.js", str(path), driver, str(calls)],
        cwd=NODE_PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Drizzle + {driver} failed: {result.stderr[-2000:]}")
    found: dict[str, Any] = json.loads(result.stdout)
    return float(found[WORKLOAD]), [tuple(row) for row in found["rows"]]


def run(rounds: int, quick: bool) -> Report:
    calls = 5 if quick else 50
    report = Report(
        f"Relational query ({LIMIT} of {POSTS} posts, each with its author and "
        f"{COMMENTS_PER_POST} comments; WAL file)",
        baseline="by hand: raw sqlite3 + pydantic, one query per relation",
    )
    with tempfile.TemporaryDirectory() as folder:
        pristine = Path(folder) / "seed.db"
        seed(pristine)
        server = Sqld(Path(folder) / "sqld", auth=True).start()
        try:
            _run_rounds(report, pristine, server, rounds, calls)
        finally:
            server.stop()
    report.notes += [
        "The relational query is one statement (one round trip to a server); by hand is three.",
        "Every contender's tree (post, author, number of comments, in order) is checked to be the same.",
    ]
    return report


def _remote_copy(server: Sqld, pristine: Path) -> DbClient:
    """The seeded blog on sqld: its rows copied through the remote client."""
    db = create_db_client(server.url, auth_token=server.token())
    for kind in ("trigger", "view", "table"):
        for (name,) in db.execute(
            f"SELECT name FROM sqlite_schema WHERE type = '{kind}' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid DESC"
        ):
            db.execute(f'DROP {kind.upper()} "{name}"')
    db.create_schema()
    source = sqlite3.connect(pristine)
    for table in ("users", "posts", "comments"):
        rows = source.execute(f"SELECT * FROM {table}").fetchall()
        marks = ", ".join("?" for _ in rows[0])
        for start in range(0, len(rows), 500):
            db.batch(
                [
                    (f"INSERT INTO {table} VALUES ({marks})", row)
                    for row in rows[start : start + 500]
                ]
            )
    source.close()
    return db


def _run_rounds(report: Report, pristine: Path, server: Sqld, rounds: int, calls: int) -> None:
    remote = _remote_copy(server, pristine)
    expected: Check | None = None

    def record(name: str, seconds: float, found: Check, unit_calls: int = calls) -> None:
        nonlocal expected
        expected = expected or found
        if found != expected:
            raise RuntimeError(f"{name} loaded another tree than the others")
        report.figure(WORKLOAD, name, "µs").samples.append(seconds / unit_calls * 1e6)

    try:
        for _ in range(rounds):
            path = Path(pristine.parent) / "run.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            shutil.copy(pristine, path)
            conn = sqlite3.connect(path)
            record(
                "by hand: raw sqlite3 + pydantic, one query per relation",
                *_timed(partial(by_hand_raw, conn), calls),
            )
            conn.close()
            with create_db_client(f"file:{path}") as db:
                record(
                    "relational query, one statement (sqlite3)",
                    *_timed(partial(relational, db), calls),
                )
                record(
                    "by hand: query builder, one query per relation (sqlite3)",
                    *_timed(partial(by_hand_builder, db), calls),
                )
            for driver in ("better-sqlite3", "libsql"):
                seconds, found = _drizzle(path, driver, calls)
                record(f"Drizzle relational query + {driver} (Node)", seconds, found)
            trips = remote.round_trips
            record(
                "relational query, one statement (remote sqld)",
                *_timed(partial(relational, remote), calls),
            )
            one = (remote.round_trips - trips) / (calls + 1)
            trips = remote.round_trips
            record(
                "by hand: query builder, one query per relation (remote sqld)",
                *_timed(partial(by_hand_builder, remote), calls),
            )
            three = (remote.round_trips - trips) / (calls + 1)
            report.figure(
                f"{WORKLOAD}: round trips", "relational query, one statement (remote sqld)", ""
            ).samples.append(one)
            report.figure(
                f"{WORKLOAD}: round trips",
                "by hand: query builder, one query per relation (remote sqld)",
                "",
            ).samples.append(three)
    finally:
        remote.close()


def _timed(load: Callable[[], Tree], calls: int) -> tuple[float, Check]:
    """Seconds for `calls` loads (after one untimed load, whose tree is returned)."""
    tree = load()

    def repeat() -> None:
        for _ in range(calls):
            load()

    return timed(repeat), check(tree)
