"""Any valid NewWorkflow, written and read back, is equal (timestamps to the second)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import JsonValue

from generated.client import DbClient
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from libsqlkit import DatabaseError, DriverName
from tests.conftest import MODES, open_client

JSON: st.SearchStrategy[JsonValue] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
MOMENTS = st.datetimes(
    min_value=datetime(1000, 1, 1), max_value=datetime(9000, 1, 1), timezones=st.just(UTC)
)
STATUS = st.sampled_from(["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"])


@pytest.fixture(scope="module", params=MODES)
def db(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[DbClient]:
    mode: DriverName = request.param
    client = open_client(mode, tmp_path_factory.mktemp(mode), request)
    client.create_schema()
    yield client
    client.close()


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    type_=st.text(max_size=30),
    user_id=st.text(max_size=30),
    status=STATUS,
    input_payload=JSON,
    output_payload=JSON,
    error_log=st.none() | st.text(),
    retry_count=st.integers(-(2**63), 2**63 - 1),
    created_at=MOMENTS,
    completed_at=st.none() | MOMENTS,
)
def test_any_workflow_round_trips(db: DbClient, type_: str, **values: object) -> None:
    workflows = WorkflowRepository(db)
    new = NewWorkflow.model_validate({"type": type_, **values})
    if db.driver in ("libsql", "replica") and any(
        "\x00" in v for v in (type_, values["user_id"], values["error_log"]) if isinstance(v, str)
    ):
        with pytest.raises(DatabaseError, match="NUL"):
            workflows.create(new)
        return
    stored = workflows.create(new)
    assert workflows.find_by_id(stored.id) == stored
    expected = new.model_dump(exclude={"id", "updated_at", "deleted_at"})
    for name in ("created_at", "completed_at"):
        moment = expected[name]
        expected[name] = moment and moment.replace(microsecond=0)
    assert stored.model_dump(exclude={"id", "updated_at", "deleted_at"}) == expected
