"""Generic CRUD every repository has, transactions, and all-or-nothing writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from generated.client import DbClient
from generated.models import (
    NewSyncMetadata,
    NewUserSettings,
    NewWorkflow,
    SyncMetadataUpdate,
    UserSettingsUpdate,
    WorkflowUpdate,
)
from generated.repositories import (
    SyncMetadataRepository,
    UserSettingsRepository,
    WorkflowRepository,
)
from libsqlkit import (
    CheckViolation,
    DatabaseError,
    InvalidValue,
    NotNullViolation,
    UniqueViolation,
)


def _new(n: int, user: str = "u") -> NewWorkflow:
    return NewWorkflow(type="t", user_id=f"{user}{n % 3}")


def _count(db: DbClient, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}")[0][0])


def test_get_find_many_and_count(workflows: WorkflowRepository) -> None:
    created = [workflows.create(_new(i)) for i in range(7)]
    by_key = sorted(created, key=lambda w: w.id)
    assert workflows.get(created[3].id) == created[3]
    assert workflows.get("missing") is None
    assert workflows.count() == 7
    assert workflows.find_many() == by_key
    assert workflows.find_many(limit=3) == by_key[:3]
    assert workflows.find_many(limit=3, offset=5) == by_key[5:]
    assert workflows.find_many(limit=0) == []
    with pytest.raises(InvalidValue, match="limit"):
        workflows.find_many(limit=-1)
    workflows.soft_delete(created[0].id)
    assert workflows.count() == 6
    assert workflows.count(include_deleted=True) == 7
    assert len(workflows.find_many(include_deleted=True)) == 7


def test_update_writes_only_the_fields_set(workflows: WorkflowRepository) -> None:
    created = workflows.create(
        NewWorkflow(
            type="t", user_id="u", error_log="e", updated_at=datetime(2020, 1, 1, tzinfo=UTC)
        )
    )
    updated = workflows.update(
        created.id, WorkflowUpdate(retry_count=4, output_payload={"ok": True})
    )
    assert updated is not None
    assert updated.retry_count == 4 and updated.output_payload == {"ok": True}
    assert updated.error_log == "e" and updated.type == "t"
    assert updated.updated_at > created.updated_at  # on_update: now


def test_update_none_on_nullable_clears_and_on_not_null_keeps(
    workflows: WorkflowRepository,
) -> None:
    created = workflows.create(NewWorkflow(type="t", user_id="u", error_log="e"))
    updated = workflows.update(created.id, WorkflowUpdate(error_log=None, type=None))
    assert updated is not None
    assert updated.error_log is None
    assert updated.type == "t"


def test_update_with_explicit_updated_at(workflows: WorkflowRepository) -> None:
    created = workflows.create(NewWorkflow(type="t", user_id="u"))
    at = datetime(2030, 1, 1, tzinfo=UTC)
    updated = workflows.update(created.id, WorkflowUpdate(updated_at=at))
    assert updated is not None and updated.updated_at == at


def test_update_of_missing_or_deleted_row_is_none(workflows: WorkflowRepository) -> None:
    assert workflows.update("missing", WorkflowUpdate(retry_count=1)) is None
    created = workflows.create(NewWorkflow(type="t", user_id="u"))
    workflows.soft_delete(created.id)
    assert workflows.update(created.id, WorkflowUpdate(retry_count=1)) is None


def test_update_without_changes_returns_the_row(sync_rows: SyncMetadataRepository) -> None:
    created = sync_rows.create(NewSyncMetadata(table_name="workflows"))
    assert sync_rows.update(created.id, SyncMetadataUpdate()) == created


def test_delete_and_restore(workflows: WorkflowRepository) -> None:
    created = workflows.create(NewWorkflow(type="t", user_id="u"))
    workflows.soft_delete(created.id)
    restored = workflows.restore(created.id)
    assert restored is not None and restored.deleted_at is None
    assert workflows.restore(created.id) is None  # not deleted any more
    assert workflows.delete(created.id) is True
    assert workflows.delete(created.id) is False
    assert workflows.get(created.id, include_deleted=True) is None


def test_create_many_inserts_in_one_transaction(workflows: WorkflowRepository) -> None:
    assert workflows.create_many(_new(i) for i in range(50)) == 50
    assert workflows.count() == 50
    rows = workflows.create_many([_new(i, user="r") for i in range(3)], returning=True)
    assert [r.user_id for r in rows] == ["r0", "r1", "r2"]
    assert all(workflows.get(r.id) == r for r in rows)


@pytest.mark.parametrize("returning", [False, True])
def test_failing_create_many_leaves_no_rows(
    settings: UserSettingsRepository, db: DbClient, returning: bool
) -> None:
    rows = [NewUserSettings(user_id=f"user-{i}") for i in range(10)]
    rows.append(NewUserSettings(user_id="user-3"))  # duplicate at the end
    with pytest.raises(UniqueViolation) as caught:
        settings.create_many(rows, returning=returning)  # type: ignore[call-overload]
    assert caught.value.table == "user_settings"
    assert caught.value.columns == ("user_id",)
    assert _count(db, "user_settings") == 0


def test_unique_violation_names_table_and_column(settings: UserSettingsRepository) -> None:
    settings.create(NewUserSettings(user_id="same"))
    with pytest.raises(UniqueViolation, match=r"user_settings\.user_id must be unique") as caught:
        settings.create(NewUserSettings(user_id="same"))
    assert (caught.value.table, caught.value.columns) == ("user_settings", ("user_id",))
    assert caught.value.sql is not None and "INSERT INTO `user_settings`" in caught.value.sql


def test_duplicate_primary_key_is_a_unique_violation(workflows: WorkflowRepository) -> None:
    workflows.create(NewWorkflow(id="x", type="t", user_id="u"))
    with pytest.raises(UniqueViolation) as caught:
        workflows.create(NewWorkflow(id="x", type="t", user_id="u"))
    assert (caught.value.table, caught.value.columns) == ("workflows", ("id",))


def test_update_into_a_duplicate_is_refused(settings: UserSettingsRepository) -> None:
    settings.create(NewUserSettings(user_id="a"))
    second = settings.create(NewUserSettings(user_id="b"))
    with pytest.raises(UniqueViolation):
        settings.update(second.id, UserSettingsUpdate(user_id="a"))
    assert settings.get(second.id) == second


def test_enum_is_enforced_by_the_database_too(db: DbClient, workflows: WorkflowRepository) -> None:
    created = workflows.create(NewWorkflow(type="t", user_id="u"))
    with pytest.raises(CheckViolation) as caught:
        db.execute("UPDATE workflows SET status = 'DONE' WHERE id = ?", (created.id,))
    assert caught.value.table == "workflows"
    assert caught.value.columns == ("status",)
    assert caught.value.constraint == "workflows_status_enum"
    assert workflows.get(created.id) == created


def test_check_violation_of_an_unknown_constraint_names_it(tmp_path: Path) -> None:
    from libsqlkit import Schema, connect

    with connect(Schema((), ()), f"file:{tmp_path}/bare.db") as bare:
        bare.execute("CREATE TABLE t (x integer CONSTRAINT positive CHECK (x > 0))")
        with pytest.raises(CheckViolation, match=r"^CHECK constraint positive failed$"):
            bare.execute("INSERT INTO t VALUES (-1)")


def test_not_null_violation_from_raw_sql(db: DbClient) -> None:
    with pytest.raises(NotNullViolation) as caught:
        db.execute(
            "INSERT INTO workflows (id, type, user_id, created_at, updated_at) VALUES ('a', NULL, 'u', 0, 0)"
        )
    assert (caught.value.table, caught.value.columns) == ("workflows", ("type",))


def test_bad_values_are_rejected_before_any_sql(db: DbClient) -> None:
    with pytest.raises(ValidationError):
        NewWorkflow(type="t", user_id=42)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        NewWorkflow(type="t", user_id="u", status="DONE")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        NewWorkflow(type="t", user_id="u", created_at=datetime(2024, 1, 1))  # naive
    with pytest.raises(ValidationError):
        NewWorkflow(type="t", user_id="u", surprise=1)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        NewWorkflow(type="t")  # type: ignore[call-arg]
    assert _count(db, "workflows") == 0


def test_repository_refuses_the_wrong_model(workflows: WorkflowRepository) -> None:
    with pytest.raises(InvalidValue, match="create takes NewWorkflow, not NewUserSettings"):
        workflows.create(NewUserSettings(user_id="u"))  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="takes WorkflowUpdate"):
        workflows.update("x", UserSettingsUpdate())  # type: ignore[arg-type]


def test_transaction_commits(db: DbClient, workflows: WorkflowRepository) -> None:
    with db.transaction():
        workflows.create(_new(1))
        workflows.create(_new(2))
        assert db.in_transaction
    assert not db.in_transaction
    assert workflows.count() == 2


def test_transaction_rolls_back_on_exception(db: DbClient, workflows: WorkflowRepository) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        workflows.create(_new(1))
        raise RuntimeError("boom")
    assert workflows.count() == 0


def test_nested_transaction_rolls_back_only_the_inner_part(
    db: DbClient, workflows: WorkflowRepository, settings: UserSettingsRepository
) -> None:
    with db.transaction():
        workflows.create(_new(1))
        with pytest.raises(UniqueViolation), db.transaction():
            settings.create(NewUserSettings(user_id="a"))
            settings.create(NewUserSettings(user_id="a"))
        workflows.create(_new(2))
    assert workflows.count() == 2
    assert settings.count() == 0


def test_repr_names_the_table_client(workflows: WorkflowRepository, db: DbClient) -> None:
    assert repr(workflows) == f"WorkflowRepository({db!r})"
    assert repr(db) == f"Database(url={db.url!r}, driver={db.driver!r})"


def test_text_with_nul_characters(db: DbClient, workflows: WorkflowRepository) -> None:
    """sqlite3 and HTTP keep it; libsql_experimental would cut it when reading: refused."""
    if db.driver in ("sqlite3", "remote"):
        created = workflows.create(NewWorkflow(type="a\x00b", user_id="u"))
        assert workflows.get(created.id) == created and created.type == "a\x00b"
    else:
        with pytest.raises(DatabaseError, match="NUL character"):
            workflows.create(NewWorkflow(type="a\x00b", user_id="u"))
        assert _count(db, "workflows") == 0


def test_create_many_in_multi_row_chunks_keeps_order_and_all_or_nothing(
    workflows: WorkflowRepository,
) -> None:
    """1,201 rows travel as multi-row INSERTs (500 rows each at most): returned in the
    order given, and a bad row in the last chunk leaves none of them."""
    rows = [NewWorkflow(id=f"w{i:05d}", type="t", user_id=f"u{i % 7}") for i in range(1201)]
    stored = workflows.create_many(rows, returning=True)
    assert [w.id for w in stored] == [row.id for row in rows]
    assert workflows.count() == 1201
    again = [NewWorkflow(id=f"x{i:05d}", type="t", user_id="u") for i in range(1100)]
    again.append(NewWorkflow(id="w00000", type="t", user_id="u"))  # a duplicate key, last
    with pytest.raises(UniqueViolation):
        workflows.create_many(again)
    assert workflows.count() == 1201
