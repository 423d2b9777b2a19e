"""The typed query builder on real databases, in every mode (local, remote, replica)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from golden_all_types.client import DbClient as GoldenClient
from golden_all_types.client import create_db_client as create_golden_client
from golden_all_types.models import NewProject
from golden_all_types.tables import projects

from generated.client import DbClient
from generated.models import (
    NewUserSettings,
    NewWorkflow,
    UserSettings,
    UserSettingsUpdate,
    Workflow,
    WorkflowUpdate,
)
from generated.repositories import UserSettingsRepository, WorkflowRepository
from generated.tables import (
    USER_SETTINGS,
    SyncMetadataTable,
    UserSettingsTable,
    WorkflowsTable,
    user_settings,
    workflows,
)
from libsqlkit import (
    LocalDriverName,
    QueryError,
    TableRef,
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
from libsqlkit._schema import Table

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


# -- defects found by differential testing (issue 17) --------------------------------------


def _retry_counts(db: DbClient, condition: Any) -> set[int]:
    query = select(workflows.retry_count).from_(workflows).where(condition)
    return {r for (r,) in query.all(db)}


def test_conditions_compared_with_conditions_are_parenthesised(
    db: DbClient, seeded: list[Workflow]
) -> None:
    """`(a == x) == (b == y)` is true when both or neither hold; unparenthesised it was
    `a = ? = b = ?`, which SQLite reads as `((a = ?) = b) = ?`."""
    is_a, is_u1 = workflows.type == "a", workflows.user_id == "u1"
    both_or_neither = {w.retry_count for w in seeded if (w.type == "a") == (w.user_id == "u1")}
    assert _retry_counts(db, is_a == is_u1) == both_or_neither
    assert _retry_counts(db, is_a != is_u1) == set(range(6)) - both_or_neither
    assert _retry_counts(db, not_(is_a) == is_u1) == set(range(6)) - both_or_neither
    either = or_(is_a, is_u1)
    assert _retry_counts(db, either == (workflows.retry_count < 3)) == {
        w.retry_count for w in seeded if (w.type == "a" or w.user_id == "u1") == (w.retry_count < 3)
    }
    assert _retry_counts(db, not_(and_(is_a, is_u1))) == {
        w.retry_count for w in seeded if not (w.type == "a" and w.user_id == "u1")
    }
    text, _ = select(workflows).where(is_a == is_u1).include_deleted().compile()
    assert text.endswith("WHERE (`workflows`.`type` = ?) = (`workflows`.`user_id` = ?)")


class _SettingsKeyNotFirst(TableRef[UserSettings, NewUserSettings, UserSettingsUpdate]):
    """user_settings with its columns listed nullable-first: the primary key is third."""

    table: ClassVar[Table] = dataclasses.replace(
        USER_SETTINGS,
        columns=(
            UserSettingsTable.preferences,
            UserSettingsTable.user_id,
            UserSettingsTable.id,
            UserSettingsTable.created_at,
            UserSettingsTable.updated_at,
        ),
    )
    model = UserSettings
    insert_model = NewUserSettings
    update_model = UserSettingsUpdate


def test_a_left_joined_row_whose_key_is_not_its_first_column(
    db: DbClient, seeded: list[Workflow]
) -> None:
    """The decoder found the key with columns.index(), where `==` builds a (truthy)
    condition: it always took the first column, here a NULL `preferences`."""
    settings = UserSettingsRepository(db).create(NewUserSettings(user_id="u1"))
    joined = (
        select(workflows)
        .left_join(_SettingsKeyNotFirst, on=UserSettingsTable.user_id == workflows.user_id)
        .order_by(workflows.retry_count)
        .all(db)
    )
    assert [s for _, s in joined] == [None, settings, None, None, settings, None]


def test_conditions_have_no_truth_value_but_columns_compare_by_identity() -> None:
    """So that no list or dict lookup can mistake one column for another."""
    listed = (workflows.type, workflows.user_id, workflows.id)
    assert listed.index(workflows.id) == 2
    assert workflows.id not in listed[:2]
    assert workflows.id in listed
    with pytest.raises(TypeError, match="no truth value"):
        bool(workflows.status == "PENDING")
    with pytest.raises(TypeError, match="no truth value"):
        bool(workflows.retry_count < workflows.retry_count)


def test_sub_second_datetimes_keep_each_operator_exact(db: DbClient) -> None:
    """Timestamps are stored as whole seconds: a bound with a fraction lies between two
    stored values, and each operator keeps its meaning (NULLs stay unknown)."""
    for offset in (-1, 0, 1):
        insert(workflows).values(
            NewWorkflow(
                type=str(offset), user_id="t", completed_at=BASE + timedelta(seconds=offset)
            )
        ).run(db)
    insert(workflows).values(NewWorkflow(type="null", user_id="t")).run(db)
    t = BASE + timedelta(milliseconds=500)
    half = timedelta(milliseconds=500)
    done = workflows.completed_at

    def offsets(condition: Any) -> set[str]:
        return {r for (r,) in select(workflows.type).from_(workflows).where(condition).all(db)}

    assert offsets(done >= t) == {"1"}
    assert offsets(done > t) == {"1"}
    assert offsets(done <= t) == {"-1", "0"}
    assert offsets(done < t) == {"-1", "0"}
    assert offsets(done == t) == set()
    assert offsets(done != t) == {"-1", "0", "1"}
    assert offsets(not_(done == t)) == {"-1", "0", "1"}  # NULL stays unknown
    assert offsets(not_(done != t)) == set()
    assert offsets(done.between(BASE - half, t)) == {"0"}
    assert offsets(done.between(BASE + timedelta(milliseconds=100), t)) == set()
    assert offsets(done.in_([t, BASE + timedelta(seconds=1)])) == {"1"}
    assert offsets(done.not_in([t])) == {"-1", "0", "1"}
    before_epoch = datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC)  # -0.5 s
    assert offsets(done >= before_epoch) == {"-1", "0", "1"}
    assert offsets(done >= BASE) == {"0", "1"}  # whole seconds: as before
    assert offsets(done == BASE) == {"0"}


@pytest.fixture(params=["sqlite3", "libsql"])
def golden(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[GoldenClient]:
    driver: LocalDriverName = request.param
    client = create_golden_client(f"file:{tmp_path / 'golden.db'}", driver=driver)
    client.create_schema()
    yield client
    client.close()


def test_sub_millisecond_datetimes_keep_each_operator_exact(golden: GoldenClient) -> None:
    base = datetime(2025, 1, 1, tzinfo=UTC)
    for offset in (-1, 0, 1):
        insert(projects).values(
            NewProject(
                slug=str(offset),
                title=str(offset),
                started_at=base + timedelta(milliseconds=offset),
            )
        ).run(golden)
    t = base + timedelta(microseconds=300)
    started = projects.started_at

    def slugs(condition: Any) -> set[str]:
        return {r for (r,) in select(projects.slug).from_(projects).where(condition).all(golden)}

    assert slugs(started >= t) == slugs(started > t) == {"1"}
    assert slugs(started <= t) == slugs(started < t) == {"-1", "0"}
    assert slugs(started == t) == set()
    assert slugs(started != t) == {"-1", "0", "1"}
    assert slugs(started.between(base - timedelta(microseconds=1), t)) == {"0"}


def test_a_count_compared_with_a_number_is_not_encoded_as_its_column() -> None:
    text, params = select(count(workflows.created_at) >= 2).from_(workflows).compile()
    assert params == [2] and "count(`workflows`.`created_at`) >= ?" in text


def test_every_builder_is_immutable(db: DbClient) -> None:
    """Each call returns a new query; the one it was called on is unchanged, so a base
    query can be extended in several ways."""
    ids = [
        insert(workflows).values(NewWorkflow(type="t", user_id="x")).returning().all(db)[0].id
        for _ in range(3)
    ]

    def sql_of(statement: Any) -> str:
        text: str = statement.compile()[0][0]
        return text

    base = update(workflows).set(WorkflowUpdate(status="FAILED"))
    first, second = base.where(workflows.id == ids[0]), base.where(workflows.id == ids[1])
    assert first.returning() is not first
    assert "WHERE" not in sql_of(base) and sql_of(first).endswith("RETURNING `workflows`.`id`")
    assert first.compile()[0][1][-1] == ids[0] and second.compile()[0][1][-1] == ids[1]
    assert first.run(db) == 1 and second.run(db) == 1
    assert base.set(WorkflowUpdate(retry_count=7)).where(workflows.id == ids[2]).run(db) == 1
    assert "retry_count" not in sql_of(base)

    gone = delete(workflows)
    one = gone.where(workflows.id == ids[0])
    assert gone.where(workflows.id == ids[1]).run(db) == 1
    assert [w.id for w in one.returning().all(db)] == [ids[0]]
    assert sql_of(gone) == sql_of(delete(workflows))
    assert sql_of(one).endswith("RETURNING `workflows`.`id`")

    adding = insert(user_settings).values(NewUserSettings(user_id="same"))
    quiet = adding.on_conflict_do_nothing()
    loud = adding.returning()
    assert sql_of(adding) == sql_of(insert(user_settings).values(NewUserSettings(user_id="s")))
    assert "ON CONFLICT" not in sql_of(loud)
    assert adding.run(db) == 1 and quiet.run(db) == 0
    with pytest.raises(UniqueViolation):
        loud.all(db)
    other = adding.values(NewUserSettings(user_id="other"))
    assert other.run(db) == 1 and adding.compile()[0][1][1] == "same"


def test_in_refuses_a_bare_string_and_none(db: DbClient) -> None:
    with pytest.raises(QueryError, match="not a str"):
        workflows.user_id.in_("uv")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="not a str"):
        workflows.user_id.not_in("uv")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"or_\(column.in_\(\[...\]\), column.is_null\(\)\)"):
        workflows.error_log.in_(["x", None])
    with pytest.raises(QueryError, match=r"and_\(column.not_in\(\[...\]\), column.is_not_null"):
        workflows.error_log.not_in([None])
    assert workflows.user_id.in_(("u", "v")) is not None  # a tuple or a set is fine
    assert workflows.user_id.in_({"u"}) is not None


def test_blob_bigint_is_compared_only_for_equality(golden: GoldenClient) -> None:
    """Stored as its decimal digits in bytes (Drizzle's encoding), so b"9" > b"10":
    ordering would be wrong, equality is exact."""
    for i, serial in enumerate((-5, 9, 10, 100, None)):
        insert(projects).values(NewProject(slug=f"s{i}", title=f"s{i}", serial=serial)).run(golden)
    serial_ = projects.serial
    refusals: list[Any] = [
        lambda: serial_ < 10,
        lambda: serial_ <= 10,
        lambda: serial_ > 10,
        lambda: serial_ >= 10,
        lambda: serial_.between(1, 10),
        lambda: projects.big_counter < serial_,
        lambda: serial_.asc(),
        lambda: serial_.desc(),
        lambda: select(projects).order_by(serial_),
        lambda: min_(serial_),
        lambda: max_(serial_),
        lambda: sum_(serial_),
    ]
    for refused in refusals:
        with pytest.raises(QueryError, match=r"projects\.serial is a blob bigint"):
            refused()

    def serials(condition: Any) -> set[int | None]:
        return {r for (r,) in select(serial_).from_(projects).where(condition).all(golden)}

    assert serials(serial_ == 10) == {10}
    assert serials(serial_ != 10) == {-5, 9, 100}
    assert serials(serial_.in_([9, 100])) == {9, 100}
    assert serials(serial_.not_in([9])) == {-5, 10, 100}
    assert select(count(serial_)).from_(projects).all(golden) == [(4,)]


def test_select_hides_soft_deleted_rows_unless_asked_for(
    db: DbClient, seeded: list[Workflow], workflows_repo: WorkflowRepository
) -> None:
    """As the repositories do: in FROM (WHERE), in a join (ON: a left join keeps its row
    and gets None), in aggregates; include_deleted() shows them."""
    gone = seeded[1]  # retry_count 1, user u1
    assert workflows_repo.soft_delete(gone.id)
    live = [w.retry_count for w in select(workflows).order_by(workflows.retry_count).all(db)]
    assert live == [0, 2, 3, 4, 5]
    every = select(workflows).include_deleted().order_by(workflows.retry_count).all(db)
    assert [w.retry_count for w in every] == [0, 1, 2, 3, 4, 5]
    assert select(count()).from_(workflows).all(db) == [(5,)]
    assert select(count()).from_(workflows).include_deleted().all(db) == [(6,)]
    only = workflows_repo.create(NewWorkflow(type="a", user_id="u7", retry_count=7))
    workflows_repo.soft_delete(only.id)
    settings = UserSettingsRepository(db)
    settings.create_many([NewUserSettings(user_id="u1"), NewUserSettings(user_id="u7")])
    joined = (
        select(user_settings.user_id, workflows.retry_count)
        .from_(user_settings)
        .left_join(workflows, on=workflows.user_id == user_settings.user_id)
        .order_by(user_settings.user_id, workflows.retry_count)
    )
    # u1's other workflow and u7's only one are soft-deleted: u7 keeps its row.
    assert joined.all(db) == [("u1", 4), ("u7", None)]
    assert joined.include_deleted().all(db) == [("u1", 1), ("u1", 4), ("u7", 7)]
