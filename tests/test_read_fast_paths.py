"""The read path's shortcuts each keep the guard that makes them exact: what the batch
decoder leaves out (a datetime's own check, the extra-key check, JSON numbers Python's
reader takes) is left out only where the result cannot differ from the row path's."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import AwareDatetime, Field, NaiveDatetime, create_model

from generated.client import DbClient, create_db_client
from generated.models import NewWorkflow, Workflow
from generated.repositories import WorkflowRepository
from generated.tables import WORKFLOWS
from libsqlkit import DecodeError
from libsqlkit._batch_decode import BULK_ROWS, _Memo, maybe_non_finite
from libsqlkit._codecs import TIMESTAMP, decode_timestamps
from libsqlkit._models import SelectModel
from libsqlkit._rows import _batch, row_by_row, rows_to_models

COLUMNS = ", ".join(column.name for column in WORKFLOWS.columns)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "w.db"


@pytest.fixture
def db(path: Path) -> Iterator[DbClient]:
    with create_db_client(f"file:{path}") as client:
        client.create_schema()
        yield client


def _rows(path: Path, count: int, **stored: Any) -> list[tuple[Any, ...]]:
    """`count` workflows, with `stored` written over them as another tool would write it."""
    with create_db_client(f"file:{path}") as client:
        repository = WorkflowRepository(client)
        for i in range(count):
            repository.create(NewWorkflow(type="t", user_id="u", input_payload={"i": i}))
    with sqlite3.connect(path) as other:
        for column, value in stored.items():
            other.execute(f"UPDATE workflows SET {column} = ?", (value,))
        return other.execute(f"SELECT {COLUMNS} FROM workflows ORDER BY id").fetchall()


def _variant(name: str, **changes: Any) -> type[SelectModel]:
    """Workflow's fields with some changed (a type) or left out (None)."""
    fields: dict[str, Any] = {
        field: (info.annotation, ...) for field, info in Workflow.model_fields.items()
    }
    for field, annotation in changes.items():
        if annotation is None:
            del fields[field]
        else:
            fields[field] = (annotation, ...)
    model: type[SelectModel] = create_model(name, __base__=SelectModel, **fields)
    return model


@pytest.mark.parametrize("count", [1, BULK_ROWS + 2])
@pytest.mark.parametrize(
    "annotation",
    [
        Annotated[AwareDatetime, Field(lt=datetime(2000, 1, 1, tzinfo=UTC))],
        NaiveDatetime,
    ],
    ids=["bounded", "naive"],
)
def test_a_timestamp_field_with_checks_of_its_own_is_still_checked(
    path: Path, db: DbClient, count: int, annotation: Any
) -> None:
    """Only a plain datetime field skips its check of the codec's aware UTC datetime."""
    model = _variant("CheckedWorkflow", created_at=annotation)
    rows = _rows(path, count)
    with pytest.raises(DecodeError, match=r"workflows\.created_at"):
        row_by_row(WORKFLOWS, model, rows)
    with pytest.raises(DecodeError, match=r"workflows\.created_at"):
        rows_to_models(WORKFLOWS, model, rows)


def test_a_column_the_model_lacks_is_still_refused(path: Path, db: DbClient) -> None:
    """The extra-key check is left out only when every column is a field of the model."""
    model = _variant("ShortWorkflow", error_log=None)
    rows = _rows(path, BULK_ROWS + 2)
    with pytest.raises(DecodeError, match="error_log"):
        rows_to_models(WORKFLOWS, model, rows)


@pytest.mark.parametrize(
    "number",
    [
        "1e400",
        "1E+400",
        "1e0309",
        "1" + "0" * 210 + "e99",
        "-" + "9" * 400 + ".5",
        "NaN",
        "-Infinity",
    ],
)
@pytest.mark.parametrize("count", [1, BULK_ROWS + 2])
def test_a_payload_number_past_the_largest_double_is_refused(
    path: Path, db: DbClient, number: str, count: int
) -> None:
    """Python's reader and pydantic-core's both read these as NaN or infinity, which the
    models refuse: such a result set goes row by row, which names the value."""
    rows = _rows(path, count, output_payload=f'{{"n": [{number}]}}')
    assert maybe_non_finite([row[5] for row in rows])
    with pytest.raises(DecodeError, match=r"workflows\.output_payload"):
        rows_to_models(WORKFLOWS, Workflow, rows)


@pytest.mark.parametrize(
    "text",
    [
        '{"n": 1e99, "m": 1e-400, "k": 123456789}',
        '{"exp": "e000 in a string is not a number", "big": 1' + "0" * 150 + "}",
        b'{"blob": [1.5e10]}',
    ],
)
def test_a_payload_without_such_numbers_passes_the_scan(text: str | bytes) -> None:
    assert not maybe_non_finite([text, None])


def test_timestamps_stored_as_other_tools_write_them_read_as_row_by_row(
    path: Path, db: DbClient
) -> None:
    """Whole seconds in bulk, fractions and out-of-range values through the codec: the
    same models, or the same refusal, as the row path."""
    rows = _rows(path, BULK_ROWS + 2)
    mixed = [
        (*row[:8], stored, stored if i % 2 else row[9], *row[10:])
        for i, (row, stored) in enumerate(
            zip(rows, [1.5, -0.25, 2**31, 0, 1_700_000_000.999999, *range(7)], strict=False)
        )
    ]
    batch = _batch(WORKFLOWS, Workflow)
    assert batch is not None
    assert batch.decode(mixed) == row_by_row(WORKFLOWS, Workflow, mixed)  # not deferred
    stamps = [m.created_at for m in batch.decode(mixed)]
    assert all(stamp.tzinfo is UTC for stamp in stamps)
    broken = [(*mixed[0][:8], 10**15, *mixed[0][9:]), *mixed[1:]]
    with pytest.raises(DecodeError, match=r"workflows\.created_at"):
        rows_to_models(WORKFLOWS, Workflow, broken)


def test_a_memo_emptied_by_another_call_still_decodes() -> None:
    """Concurrent reads of one table share its timestamp memo: a value another call has
    already cleared away is decoded again, not missed."""
    assert TIMESTAMP.decode is not None
    memo = _Memo(TIMESTAMP.decode)
    memo.columns.append(0)
    memo.fill([(5,), (6,)] * BULK_ROWS)
    assert memo[5] == datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC)
    memo.clear()
    assert memo[6] == datetime(1970, 1, 1, 0, 0, 6, tzinfo=UTC)
    assert memo[6.5] == datetime(1970, 1, 1, 0, 0, 6, 500000, tzinfo=UTC)


def test_the_batch_validator_is_the_changed_schema_and_the_model_stays_complete(
    path: Path, db: DbClient
) -> None:
    """pydantic-core would reuse the model's own validator (which takes the JSON text as
    a string) if the model looked complete while the batch validator is built; the model
    is left complete."""
    batch = _batch(WORKFLOWS, Workflow)
    assert batch is not None
    assert Workflow.__pydantic_complete__ is True
    (model,) = batch.decode(_rows(path, 1))
    assert model.input_payload == {"i": 0}
    assert type(model) is Workflow


def test_a_reader_given_back_wakes_a_caller_waiting_for_one(path: Path) -> None:
    """Readers are taken and given back without a lock; a caller waiting for the only
    reader still gets it as soon as it is free, not after the busy timeout."""
    with create_db_client(f"file:{path}", pool_size=1, busy_timeout_ms=4000) as client:
        client.create_schema()
        repository = WorkflowRepository(client)
        for _ in range(3):
            repository.create(NewWorkflow(type="t", user_id="u"))
        scan = repository.iter_many(chunk=1)
        next(scan)  # holds the only reader while it is open
        counted: list[float] = []

        def count() -> None:
            start = time.perf_counter()
            repository.count()
            counted.append(time.perf_counter() - start)

        waiter = threading.Thread(target=count)
        waiter.start()
        time.sleep(0.3)
        assert not counted  # waiting for the reader
        scan.close()
        waiter.join(timeout=10)
        assert counted and counted[0] < 2.0


def test_whole_seconds_decode_as_the_codec_does() -> None:
    values = {0, 1, -1, 2**31, 1_735_689_600}
    decoded = TIMESTAMP.decode
    assert decoded is not None
    assert decode_timestamps(values) == {v: decoded(v) for v in values}
    assert all(d.tzinfo is UTC for d in decode_timestamps(values).values())
    assert decode_timestamps({1.5}) == {
        1.5: datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=1.5)
    }


def test_millisecond_timestamps_in_bulk_read_as_row_by_row(tmp_path: Path) -> None:
    """A timestamp_ms column goes through its codec once per distinct value: the same
    models as the row path, fractions and NULLs included."""
    from golden_all_types.client import create_db_client as all_types_client
    from golden_all_types.models import NewProject, Project
    from golden_all_types.repositories import ProjectRepository
    from golden_all_types.tables import PROJECTS

    path = tmp_path / "all.db"
    with all_types_client(f"file:{path}") as client:
        client.create_schema()
        projects = ProjectRepository(client)
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for i in range(BULK_ROWS + 4):
            projects.create(
                NewProject(
                    slug=f"p{i}", title=f"t{i}", started_at=start + timedelta(milliseconds=i % 3)
                )
            )
    names = ", ".join(column.name for column in PROJECTS.columns)
    with sqlite3.connect(path) as other:
        other.execute("UPDATE projects SET started_at = started_at + 0.5 WHERE id % 4 = 1")
        other.execute("UPDATE projects SET started_at = NULL WHERE id % 4 = 2")
        rows = other.execute(f"SELECT {names} FROM projects ORDER BY id").fetchall()
    assert {type(row[names.split(", ").index("started_at")]) for row in rows} == {
        int,
        float,
        type(None),
    }
    batch = _batch(PROJECTS, Project)
    assert batch is not None
    assert batch.decode(rows) == row_by_row(PROJECTS, Project, rows)  # not deferred


@pytest.mark.parametrize("count", [1, BULK_ROWS + 2])
@pytest.mark.parametrize("seconds", [67_768_036_191_676_800, 2**63 - 1, -(2**63)])
def test_a_timestamp_past_the_last_datetime_is_named_not_an_os_error(
    path: Path, db: DbClient, count: int, seconds: int
) -> None:
    """datetime.fromtimestamp raises OSError (EOVERFLOW) for some of these, which no
    reader caught: the read crashed instead of naming the value."""
    rows = _rows(path, count, completed_at=seconds)
    with pytest.raises(DecodeError, match=r"workflows\.completed_at"):
        rows_to_models(WORKFLOWS, Workflow, rows)
