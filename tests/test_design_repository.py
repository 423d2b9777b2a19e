"""The design's WorkflowRepository semantics (SPEC §6), on real files, with both drivers."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from generated.client import DbClient
from generated.models import NewWorkflow, Workflow
from generated.repositories import WorkflowRepository


def _new(user_id: str = "user-1", **fields: object) -> NewWorkflow:
    return NewWorkflow.model_validate({"type": "summarize", "user_id": user_id, **fields})


def _stored(db: DbClient, workflow_id: str) -> tuple[object, ...]:
    rows = db.execute("SELECT * FROM workflows WHERE id = ?", (workflow_id,))
    assert len(rows) == 1
    return rows[0]


def test_create_returns_the_stored_row_with_defaults(workflows: WorkflowRepository) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    created = workflows.create(_new(input_payload={"prompt": "hi", "n": 3}))
    after = datetime.now(UTC)
    assert isinstance(created, Workflow)
    assert str(uuid.UUID(created.id)) == created.id  # canonical lowercase UUID text
    assert uuid.UUID(created.id).version == 4
    assert created.status == "PENDING"
    assert created.retry_count == 0
    assert created.input_payload == {"prompt": "hi", "n": 3}
    assert created.output_payload is None and created.error_log is None
    assert created.completed_at is None and created.deleted_at is None
    assert before <= created.created_at <= after
    assert created.created_at == created.updated_at
    assert created.created_at.tzinfo is not None
    assert created.created_at.microsecond == 0  # timestamp mode keeps whole seconds


def test_create_keeps_given_values(workflows: WorkflowRepository) -> None:
    at = datetime(2024, 5, 6, 7, 8, 9, 999_999, tzinfo=UTC)
    created = workflows.create(_new(id="my-id", status="RETRYING", retry_count=2, created_at=at))
    assert (created.id, created.status, created.retry_count) == ("my-id", "RETRYING", 2)
    assert created.created_at == at.replace(microsecond=0)


def test_find_by_id(workflows: WorkflowRepository) -> None:
    created = workflows.create(_new())
    assert workflows.find_by_id(created.id) == created
    assert workflows.find_by_id("no-such-id") is None


def test_soft_deleted_rows_are_invisible(workflows: WorkflowRepository, db: DbClient) -> None:
    created = workflows.create(_new())
    workflows.soft_delete(created.id)
    assert workflows.find_by_id(created.id) is None
    assert workflows.find_by_user_id("user-1") == []
    assert workflows.update_status(created.id, "FAILED") is None
    # The row is still there, marked.
    hidden = workflows.get(created.id, include_deleted=True)
    assert hidden is not None and hidden.deleted_at is not None
    assert _stored(db, created.id)[3] == "PENDING"


def test_soft_delete_keeps_the_first_deletion_time(workflows: WorkflowRepository) -> None:
    created = workflows.create(_new())
    workflows.soft_delete(created.id)
    first = workflows.get(created.id, include_deleted=True)
    time.sleep(1.05)
    workflows.soft_delete(created.id)
    again = workflows.get(created.id, include_deleted=True)
    assert first is not None and again is not None
    assert again.deleted_at == first.deleted_at


def test_find_by_user_id_newest_first_with_stable_ties(workflows: WorkflowRepository) -> None:
    base = datetime(2025, 1, 1, tzinfo=UTC)
    ids = [str(uuid.uuid4()) for _ in range(6)]
    # Two rows per second: ties on created_at are broken by id.
    for i, workflow_id in enumerate(ids):
        workflows.create(_new(id=workflow_id, created_at=base + timedelta(seconds=i // 2)))
    workflows.create(_new(user_id="someone-else"))
    deleted = workflows.create(_new(created_at=base + timedelta(days=1)))
    workflows.soft_delete(deleted.id)

    found = workflows.find_by_user_id("user-1")
    expected = sorted(
        ids, key=lambda i: (-(ids.index(i) // 2), i)
    )  # newest second first, then id ascending
    assert [w.id for w in found] == expected
    assert all(w.user_id == "user-1" for w in found)
    assert workflows.find_by_user_id("user-1") == found  # same order every time
    assert workflows.find_by_user_id("nobody") == []


def test_update_status_to_completed_sets_completed_at(workflows: WorkflowRepository) -> None:
    created = workflows.create(
        _new(
            created_at=datetime(2020, 1, 1, tzinfo=UTC), updated_at=datetime(2020, 1, 1, tzinfo=UTC)
        )
    )
    done = workflows.update_status(created.id, "COMPLETED")
    assert done is not None
    assert done.status == "COMPLETED"
    assert done.completed_at is not None
    assert done.updated_at > created.updated_at
    assert done.updated_at == done.completed_at
    assert done.created_at == created.created_at
    assert workflows.find_by_id(created.id) == done


def test_update_status_other_than_completed(workflows: WorkflowRepository) -> None:
    created = workflows.create(_new(updated_at=datetime(2020, 1, 1, tzinfo=UTC)))
    failed = workflows.update_status(created.id, "FAILED", "boom")
    assert failed is not None
    assert (failed.status, failed.error_log, failed.completed_at) == ("FAILED", "boom", None)
    assert failed.updated_at > created.updated_at


def test_update_status_without_error_log_keeps_it(workflows: WorkflowRepository) -> None:
    """Drizzle leaves a column out of SET when its value is undefined: so do we for None."""
    created = workflows.create(_new())
    workflows.update_status(created.id, "FAILED", "first failure")
    retried = workflows.update_status(created.id, "RETRYING")
    assert retried is not None and retried.error_log == "first failure"


def test_completed_at_is_kept_after_leaving_completed(workflows: WorkflowRepository) -> None:
    created = workflows.create(_new())
    done = workflows.update_status(created.id, "COMPLETED")
    again = workflows.update_status(created.id, "PROCESSING")
    assert done is not None and again is not None
    assert again.completed_at == done.completed_at


def test_update_status_of_missing_row_is_none(workflows: WorkflowRepository) -> None:
    assert workflows.update_status("missing", "COMPLETED") is None


def test_update_status_rejects_a_value_outside_the_enum_before_sql(
    workflows: WorkflowRepository,
) -> None:
    created = workflows.create(_new())
    with pytest.raises(ValidationError, match="status"):
        workflows.update_status(created.id, "DONE")  # type: ignore[arg-type]
    assert workflows.find_by_id(created.id) == created


def test_timestamps_are_stored_as_unix_seconds(workflows: WorkflowRepository, db: DbClient) -> None:
    at = datetime(2023, 11, 14, 22, 13, 20, 750_000, tzinfo=UTC)
    created = workflows.create(_new(created_at=at, input_payload={"b": 1, "a": [True, None]}))
    row = db.execute(
        "SELECT created_at, typeof(created_at), input_payload, status FROM workflows WHERE id = ?",
        (created.id,),
    )
    assert row == [(1_700_000_000, "integer", '{"b":1,"a":[true,null]}', "PENDING")]
