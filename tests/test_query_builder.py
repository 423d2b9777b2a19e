"""The typed query builder on real databases, in every mode (local, remote, replica)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from generated.client import DbClient
from generated.models import (
    NewUserSettings,
    NewWorkflow,
    UserSettingsUpdate,
    Workflow,
    WorkflowUpdate,
)
from generated.repositories import UserSettingsRepository, WorkflowRepository
from generated.tables import (
    SyncMetadataTable,
    UserSettingsTable,
    WorkflowsTable,
    user_settings,
    workflows,
)
from libsqlkit import (
    QueryError,
    UniqueViolation,
    and_,
    count,
    delete,
    exists,
    insert,
    max_,
    min_,
    not_,
    or_,
    select,
    sql,
    sum_,
    update,
)
from libsqlkit._query import _CACHE

BASE = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def seeded(workflows_repo: WorkflowRepository) -> list[Workflow]:
    rows = []
    for i in range(6):
        rows.append(
            workflows_repo.create(
                NewWorkflow(
                    type="a" if i % 2 else "b",
                    user_id=f"u{i % 3}",
                    status="COMPLETED" if i < 2 else "PENDING",
                    retry_count=i,
                    created_at=BASE + timedelta(hours=i),
                )
            )
        )
    return rows


@pytest.fixture
def workflows_repo(db: DbClient) -> WorkflowRepository:
    return WorkflowRepository(db)


def test_find_by_id_written_with_the_builder(db: DbClient, seeded: list[Workflow]) -> None:
    target = seeded[3]
    found = (
        select(workflows)
        .where(and_(workflows.id == target.id, workflows.deleted_at.is_null()))
        .limit(1)
        .first(db)
    )
    assert found == target == WorkflowRepository(db).find_by_id(target.id)


def test_find_by_user_id_matches_the_repository(
    db: DbClient, seeded: list[Workflow], workflows_repo: WorkflowRepository
) -> None:
    built = (
        select(workflows)
        .where(workflows.user_id == "u1")
        .where(workflows.deleted_at.is_null())
        .order_by(workflows.created_at.desc(), workflows.id)
        .all(db)
    )
    assert built == workflows_repo.find_by_user_id("u1")


def test_operators(db: DbClient, seeded: list[Workflow]) -> None:
    def ids(*conditions: object) -> set[int]:
        query = select(workflows.retry_count).from_(workflows)
        for condition in conditions:
            query = query.where(condition)  # type: ignore[arg-type]
        return {r for (r,) in query.all(db)}

    assert ids(workflows.retry_count != 0) == {1, 2, 3, 4, 5}
    assert ids(workflows.retry_count < 2) == {0, 1}
    assert ids(workflows.retry_count <= 2, workflows.retry_count >= 1) == {1, 2}
    assert ids(workflows.retry_count > 4) == {5}
    assert ids(or_(workflows.retry_count == 0, workflows.user_id == "u2")) == {0, 2, 5}
    assert ids(not_(workflows.type == "a")) == {0, 2, 4}
    assert ids(workflows.status.in_(["COMPLETED"])) == {0, 1}
    assert ids(workflows.status.not_in(["COMPLETED"])) == {2, 3, 4, 5}
    assert ids(workflows.status.in_([])) == set()
    assert ids(workflows.user_id.like("u_")) == set(range(6))
    assert ids(workflows.retry_count.between(2, 3)) == {2, 3}
    assert ids(workflows.error_log.is_null()) == set(range(6))
    assert ids(workflows.completed_at.is_not_null()) == set()
    # A datetime compared with a timestamp column is bound as unix seconds.
    assert ids(workflows.created_at >= BASE + timedelta(hours=4)) == {4, 5}


def test_selected_columns_are_decoded(db: DbClient, seeded: list[Workflow]) -> None:
    rows = (
        select(workflows.id, workflows.created_at, workflows.status)
        .from_(workflows)
        .order_by(workflows.retry_count)
        .all(db)
    )
    assert rows[0] == (seeded[0].id, BASE, "COMPLETED")
    assert isinstance(rows[0][1], datetime) and rows[0][1].tzinfo is not None


def test_group_by_and_aggregates(db: DbClient, seeded: list[Workflow]) -> None:
    per_status = (
        select(
            workflows.status,
            count(),
            sum_(workflows.retry_count),
            min_(workflows.created_at),
            max_(workflows.created_at),
        )
        .from_(workflows)
        .group_by(workflows.status)
        .order_by(workflows.status)
        .all(db)
    )
    assert per_status == [
        ("COMPLETED", 2, 1, BASE, BASE + timedelta(hours=1)),
        ("PENDING", 4, 14, BASE + timedelta(hours=2), BASE + timedelta(hours=5)),
    ]


def test_offset_and_limit(db: DbClient, seeded: list[Workflow]) -> None:
    page = (
        select(workflows.retry_count)
        .from_(workflows)
        .order_by(workflows.retry_count)
        .limit(2)
        .offset(3)
        .all(db)
    )
    assert page == [(3,), (4,)]
    assert select(workflows.retry_count).from_(workflows).order_by(workflows.retry_count).offset(
        4
    ).all(db) == [(4,), (5,)]


def test_joins(db: DbClient, seeded: list[Workflow]) -> None:
    UserSettingsRepository(db).create(NewUserSettings(user_id="u1", preferences={"theme": "dark"}))
    inner = (
        select(workflows)
        .inner_join(UserSettingsTable, on=UserSettingsTable.user_id == workflows.user_id)
        .order_by(workflows.retry_count)
        .all(db)
    )
    assert [(w.retry_count, s.preferences) for w, s in inner] == [
        (1, {"theme": "dark"}),
        (4, {"theme": "dark"}),
    ]
    left = (
        select(workflows)
        .left_join(user_settings, on=user_settings.user_id == workflows.user_id)
        .order_by(workflows.retry_count)
        .all(db)
    )
    assert [s is not None for _, s in left] == [False, True, False, False, True, False]
    columns = (
        select(workflows.id, UserSettingsTable.preferences)
        .from_(workflows)
        .inner_join(UserSettingsTable, on=UserSettingsTable.user_id == workflows.user_id)
        .all(db)
    )
    assert len(columns) == 2


def test_exists(db: DbClient, seeded: list[Workflow]) -> None:
    UserSettingsRepository(db).create(NewUserSettings(user_id="u2"))
    with_settings = (
        select(workflows.retry_count)
        .from_(workflows)
        .where(
            exists(
                select(user_settings.id).from_(user_settings).where(user_settings.user_id == "u2")
            )
        )
        .all(db)
    )
    assert len(with_settings) == 6


def test_a_table_not_in_the_query_is_refused_when_built(db: DbClient) -> None:
    query = select(workflows).where(UserSettingsTable.user_id == "u")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="uses table user_settings, which is not in this query"):
        query.all(db)
    with pytest.raises(QueryError, match="not in this query"):
        select(workflows.id, SyncMetadataTable.id).from_(workflows).all(db)


def test_insert_update_delete_returning(db: DbClient) -> None:
    created = insert(workflows).values(NewWorkflow(type="t", user_id="x")).returning().all(db)
    assert len(created) == 1 and created[0].status == "PENDING"
    assert (
        insert(workflows).values([NewWorkflow(type="t", user_id="x") for _ in range(3)]).run(db)
        == 3
    )
    changed = (
        update(workflows)
        .set(WorkflowUpdate(status="FAILED"))
        .where(workflows.user_id == "x")
        .returning()
        .all(db)
    )
    assert len(changed) == 4 and all(w.status == "FAILED" for w in changed)
    assert all(w.updated_at >= created[0].updated_at for w in changed)  # on_update refreshed
    assert (
        update(workflows)
        .set(WorkflowUpdate(retry_count=9))
        .where(workflows.id == created[0].id)
        .run(db)
        == 1
    )
    removed = delete(workflows).where(workflows.retry_count == 9).returning().all(db)
    assert [w.id for w in removed] == [created[0].id]
    assert delete(workflows).where(workflows.user_id == "x").run(db) == 3


def test_builder_updates_follow_the_repository_rule(db: DbClient) -> None:
    """None for a NOT NULL column leaves it unchanged; on-update columns are refreshed,
    by update() and by upserts alike (one shared rule)."""
    (created,) = (
        insert(workflows)
        .values(NewWorkflow(type="t", user_id="x", updated_at=BASE))
        .returning()
        .all(db)
    )
    (changed,) = (
        update(workflows)
        .set(WorkflowUpdate(type=None, error_log="e"))
        .where(workflows.id == created.id)
        .returning()
        .all(db)
    )
    assert (changed.type, changed.error_log) == ("t", "e") and changed.updated_at > BASE
    insert(user_settings).values(NewUserSettings(user_id="same", updated_at=BASE)).run(db)
    (upserted,) = (
        insert(user_settings)
        .values(NewUserSettings(user_id="same"))
        .on_conflict_do_update(
            target=user_settings.user_id, set_=UserSettingsUpdate(preferences={"v": 3})
        )
        .returning()
        .all(db)
    )
    assert upserted.preferences == {"v": 3} and upserted.updated_at > BASE
    with pytest.raises(QueryError, match="at least one field"):
        insert(user_settings).values(NewUserSettings(user_id="same")).on_conflict_do_update(
            target=user_settings.user_id, set_=UserSettingsUpdate()
        ).run(db)


def test_a_failing_multi_row_insert_leaves_no_rows(db: DbClient) -> None:
    rows = [
        NewUserSettings(user_id="a"),
        NewUserSettings(user_id="b"),
        NewUserSettings(user_id="a"),
    ]
    with pytest.raises(UniqueViolation):
        insert(user_settings).values(rows).run(db)
    assert select(count()).from_(user_settings).all(db) == [(0,)]


def test_upserts(db: DbClient) -> None:
    first = NewUserSettings(user_id="same", preferences={"v": 1})
    insert(user_settings).values(first).run(db)
    with pytest.raises(UniqueViolation):
        insert(user_settings).values(NewUserSettings(user_id="same")).run(db)
    assert (
        insert(user_settings)
        .values(NewUserSettings(user_id="same"))
        .on_conflict_do_nothing()
        .run(db)
        == 0
    )
    upserted = (
        insert(user_settings)
        .values(NewUserSettings(user_id="same", preferences={"v": 2}))
        .on_conflict_do_update(
            target=user_settings.user_id, set_=UserSettingsUpdate(preferences={"v": 2})
        )
        .returning()
        .all(db)
    )
    assert [s.preferences for s in upserted] == [{"v": 2}]
    assert select(count()).from_(user_settings).all(db) == [(1,)]


def test_raw_sql_binds_values(db: DbClient, seeded: list[Workflow]) -> None:
    hostile = "u1' OR '1'='1"
    assert sql("SELECT count(*) FROM workflows WHERE user_id = ?", hostile).all(db) == [(0,)]
    assert sql("SELECT count(*) FROM workflows WHERE user_id = ?", "u1").all(db) == [(2,)]


def test_batch_and_transaction_with_built_queries(db: DbClient) -> None:
    statements = [
        *insert(workflows)
        .values([NewWorkflow(id=f"w{i}", type="t", user_id="b") for i in range(3)])
        .compile(),
        select(count()).from_(workflows).compile(),
    ]
    results = db.batch(statements)
    assert results[-1] == [(3,)]
    with pytest.raises(RuntimeError), db.transaction():
        insert(workflows).values(NewWorkflow(type="t", user_id="b")).run(db)
        raise RuntimeError("boom")
    assert select(count()).from_(workflows).all(db) == [(3,)]


def test_compiled_sql_is_cached_per_shape() -> None:
    _CACHE.clear()
    first = select(workflows).where(workflows.user_id == "a").compile()
    second = select(workflows).where(workflows.user_id == "b").compile()
    assert first[0] is second[0]  # the same string object: rendered once
    assert (first[1], second[1]) == (["a"], ["b"])
    assert len(_CACHE) == 1
    select(workflows).where(workflows.user_id.in_(["a", "b"])).compile()
    assert len(_CACHE) == 2


def test_values_are_never_in_the_sql() -> None:
    text, params = (
        select(workflows).where(workflows.type == "'; DROP TABLE workflows; --").compile()
    )
    assert "DROP" not in text and params == ["'; DROP TABLE workflows; --"]
    assert WorkflowsTable.table.name == "workflows"
