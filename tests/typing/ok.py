"""Downstream code using the generated layer correctly: must pass mypy --strict."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from golden_composite_keys.client import DbClient as OrdersClient
from golden_composite_keys.models import Order
from golden_composite_keys.repositories import OrderRepository
from golden_generated_columns.client import DbClient as ProductsClient
from golden_generated_columns.models import NewProduct, Product
from golden_generated_columns.repositories import ProductRepository
from golden_relations.client import DbClient as BlogClient
from golden_relations.models import Tag, User
from golden_relations.tables import comments, posts, users
from golden_views.client import DbClient as BooksClient
from golden_views.models import AuthorStat, PublishedBook
from golden_views.repositories import AuthorStatRepository
from golden_views.tables import published_books

from generated.client import AsyncDbClient, DbClient, create_async_db_client, create_db_client
from generated.models import NewUserSettings, NewWorkflow, Workflow, WorkflowUpdate
from generated.repositories import (
    AsyncWorkflowRepository,
    UserSettingsRepository,
    WorkflowRepository,
)
from generated.tables import SyncMetadataTable, UserSettingsTable, WorkflowsTable, workflows
from libsqlkit import (
    Column,
    Compound,
    Conflict,
    Page,
    SyncReport,
    UniqueViolation,
    and_,
    count,
    count_rows,
    except_,
    max_,
    min_,
    select,
    sum_,
    union,
    union_all,
    update,
)


def stream(db: DbClient) -> int:
    """Rows a chunk at a time: models from a repository, typed tuples from a query."""
    total = 0
    for row in WorkflowRepository(db).iter_many(chunk=200, include_deleted=True):
        done: datetime | None = row.completed_at
        total += done is None
    for user, retries in select(workflows.user_id, workflows.retry_count).from_(workflows).iter(db):
        total += len(user) + retries
    return total


def run(db: DbClient) -> list[str]:
    repo = WorkflowRepository(db)
    created: Workflow = repo.create(NewWorkflow(type="summarize", user_id="u1"))
    found = repo.find_by_id(created.id)
    if found is not None:
        status: Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"] = found.status
        print(status, found.created_at.isoformat())
    done = repo.update_status(created.id, "COMPLETED")
    finished: datetime | None = done.completed_at if done else None
    repo.update_status(created.id, "FAILED", "boom")
    repo.update(created.id, WorkflowUpdate(retry_count=1))
    repo.soft_delete(created.id)
    inserted: int = repo.create_many([NewWorkflow(type="t", user_id="u2")])
    rows: list[Workflow] = repo.create_many([NewWorkflow(type="t", user_id="u3")], returning=True)
    settings = UserSettingsRepository(db)
    try:
        settings.create(NewUserSettings(user_id="u1", preferences={"theme": "dark"}))
    except UniqueViolation as exc:
        print(exc.table, exc.columns)
    with db.transaction():
        repo.create(NewWorkflow(type="t", user_id="u4", created_at=datetime.now(UTC)))
    column: Column[datetime | None, Workflow] = WorkflowsTable.completed_at
    built: list[Workflow] = (
        select(workflows)
        .where(and_(workflows.user_id == "u1", workflows.deleted_at.is_null()))
        .order_by(workflows.created_at.desc())
        .all(db)
    )
    pairs: list[tuple[str, datetime]] = (
        select(workflows.id, workflows.created_at).from_(workflows).all(db)
    )
    per_status: Sequence[tuple[str, int]] = (
        select(workflows.status, count()).from_(workflows).group_by(workflows.status).all(db)
    )
    joined = (
        select(workflows)
        .left_join(UserSettingsTable, on=UserSettingsTable.user_id == workflows.user_id)
        .all(db)
    )
    for workflow, settings_row in joined:
        print(workflow.id, settings_row.user_id if settings_row is not None else None)
    print(built, pairs, per_status)
    print(builder_queries(db))
    print(builder_additions(db))
    print(finished, inserted, rows, column)
    return [w.id for w in repo.find_by_user_id("u1")]


def builder_queries(db: DbClient) -> list[object]:
    """Aggregates of nullable columns, joins of three tables, left-joined columns, in_ with
    any collection, conditions compared, a NOT NULL column compared with a nullable one,
    and a base query extended twice."""
    on = UserSettingsTable.user_id == workflows.user_id
    first_done: list[tuple[datetime | None]] = (
        select(min_(workflows.completed_at)).from_(workflows).all(db)
    )
    spans: list[tuple[str, datetime | None, int | None]] = (
        select(workflows.user_id, max_(workflows.completed_at), sum_(workflows.retry_count))
        .from_(workflows)
        .group_by(workflows.user_id)
        .all(db)
    )
    three = (
        select(workflows)
        .left_join(UserSettingsTable, on=on)
        .inner_join(SyncMetadataTable, on=SyncMetadataTable.id == workflows.id)
        .all(db)
    )
    for workflow, settings_row, meta in three:
        print(workflow.id, settings_row and settings_row.user_id, meta.table_name)
    outer: list[tuple[str | None, str | None]] = (
        select(workflows.id, UserSettingsTable.user_id)
        .from_(workflows)
        .left_join(UserSettingsTable, on=on)
        .all(db)
    )
    wanted: list[str] = ["u1", "u2"]
    chosen = (
        select(workflows)
        .where(workflows.error_log.in_(wanted))
        .where(workflows.status.not_in(("FAILED",)))
        .where(workflows.user_id.in_({"u1"}))
        .where((workflows.type == "t") == (workflows.retry_count > 0))
        .where(workflows.completed_at >= workflows.created_at)
        .where(workflows.created_at <= workflows.completed_at)
        .all(db)
    )
    base = update(workflows).set(WorkflowUpdate(retry_count=0))
    reset: int = base.where(workflows.user_id == "u1").run(db)
    reset += base.where(workflows.user_id == "u2").run(db)
    return [first_done, spans, outer, chosen, reset]


def builder_additions(db: DbClient) -> list[object]:
    """having, distinct, compound selects, subqueries in in_, count_rows, keyset pages."""
    busy: list[tuple[str, int]] = (
        select(workflows.user_id, count())
        .from_(workflows)
        .group_by(workflows.user_id)
        .having(count() > 1)
        .all(db)
    )
    kinds: list[tuple[str]] = select(workflows.type).from_(workflows).distinct().all(db)
    ids = select(workflows.user_id).from_(workflows)
    others = select(UserSettingsTable.user_id).from_(UserSettingsTable)
    users: Compound[tuple[str]] = ids.union(others).order_by(workflows.user_id.desc()).limit(5)
    every: list[tuple[str]] = union_all(ids, others, ids).all(db)
    both: tuple[str] | None = ids.intersect(others).first(db)
    only: list[tuple[str]] = except_(ids, others).all(db)
    with_settings: list[Workflow] = (
        select(workflows)
        .where(workflows.user_id.in_(others))
        .where(workflows.error_log.not_in(select(workflows.type).from_(workflows)))
        .all(db)
    )
    live: int = count_rows(db, workflows, workflows.status == "PENDING")
    page: Page[Workflow] = select(workflows).order_by(workflows.created_at.desc()).page(db, size=2)
    cursor: str | None = page.next
    if cursor is not None:
        page = select(workflows).order_by(workflows.created_at.desc()).page(db, after=cursor)
    tuples: Page[tuple[str, int]] = (
        select(workflows.id, workflows.retry_count).from_(workflows).page(db, size=10)
    )
    per_user = (
        select(workflows.user_id, count())
        .from_(workflows)
        .group_by(workflows.user_id)
        .subquery("per_user")
    )
    user, runs = per_user.columns()
    ranked: list[tuple[str, int]] = (
        select(user, runs).from_(per_user).where(runs > 1).order_by(runs.desc()).all(db)
    )
    whole: list[tuple[str, int]] = select(per_user).all(db)
    with_prefs = (
        select(user, UserSettingsTable.preferences)
        .from_(per_user)
        .left_join(UserSettingsTable, on=UserSettingsTable.user_id == user)
        .all(db)
    )
    return [
        *(busy, kinds, users.all(db), every, both, only, with_settings, live, page, tuples),
        *(ranked, whole, with_prefs),
    ]


def sync_summary(db: DbClient) -> str:
    """What an app shows after an offline-mode sync (type-checked only: run() has no server)."""
    report: SyncReport = db.sync()
    lost: list[Conflict] = [c for c in report.conflicts if c.winner == "remote"]
    pulled: int | None = report.pulled
    return f"sent {report.pushed}, received {pulled}, {len(lost)} local edits superseded"


def relational(db: BlogClient) -> list[str]:
    """Relational queries: nested results typed to the last level."""
    feed = (
        select(posts)
        .where(posts.published == True)  # noqa: E712
        .order_by(posts.created_at.desc())
        .limit(100)
        .with_(
            posts.author,
            posts.comments.where(comments.approved == True)  # noqa: E712
            .order_by(comments.created_at)
            .limit(5)
            .with_(comments.author.with_(users.profile)),
            posts.tags,
            posts.comments.count(),
        )
        .all(db)
    )
    lines = []
    for post, author, thread, labels, replies in feed:
        title: str = post.title
        name: str = author.name
        for comment, (commenter, profile) in thread:
            bio: str | None = profile.bio if profile is not None else None
            lines.append(f"{title} {name} {comment.body} {commenter.name} {bio}")
        tagged: list[Tag] = labels
        total: int = replies
        print(tagged, total)
    managers: list[tuple[User, User | None]] = select(users).with_(users.manager).all(db)
    busy = select(posts.title).from_(posts).where(posts.comments.exists()).all(db)
    print(managers, busy)
    return lines


def schema_features(
    orders_db: OrdersClient, products_db: ProductsClient, books_db: BooksClient
) -> None:
    """Composite keys, generated columns, views."""
    order: Order | None = OrderRepository(orders_db).get(("eu", 1))
    product: Product = ProductRepository(products_db).create(NewProduct(name="mug", price_cents=1))
    total: int = product.total_cents
    stats: list[AuthorStat] = AuthorStatRepository(books_db).find_many(limit=10)
    published: list[PublishedBook] = select(published_books).all(books_db)
    print(order, total, stats, published)


if __name__ == "__main__":
    with create_db_client("file::memory:") as client:
        client.create_schema()
        print(run(client))


async def serve(db: AsyncDbClient) -> list[str]:
    """The async API: the same surface, awaited, with the same types."""
    repo = AsyncWorkflowRepository(db)
    async with db.transaction():
        created: Workflow = await repo.create(NewWorkflow(type="summarize", user_id="u1"))
        found: Workflow | None = await repo.find_by_id(created.id)
        changed: Workflow | None = await repo.update_status(created.id, "COMPLETED")
    mine: list[Workflow] = await repo.find_by_user_id("u1")
    rows: list[Workflow] = await select(workflows).where(workflows.user_id == "u1").all(db)
    first: Workflow | None = await select(workflows).first(db)
    deleted: bool = await repo.soft_delete(created.id)
    every: list[Workflow] = [row async for row in repo.iter_many(chunk=500)]
    how_many: int = await count_rows(db, workflows)
    page: Page[Workflow] = await select(workflows).order_by(workflows.type).page(db, size=5)
    merged: list[tuple[str]] = await union(
        select(workflows.type).from_(workflows), select(workflows.user_id).from_(workflows)
    ).all(db)
    print(how_many, page.rows, page.next, merged)
    types: list[tuple[str]] = [
        picked async for picked in select(workflows.type).from_(workflows).iter(db)
    ]
    print(every, types)
    report: SyncReport = await db.sync()
    print(found, changed, first, deleted, report.pushed)
    return [w.id for w in [*mine, *rows]]


async def open_async() -> None:
    async with create_async_db_client("file:./data/app.db") as db:
        await serve(db)
