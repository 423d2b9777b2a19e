"""Large results a chunk at a time: `iter_many` on repositories and `.iter()` on queries.

In every mode, sync and async, iterating gives exactly the rows `find_many` / `all()`
give, in primary-key order, whatever the chunk size (a local cursor, or keyset pages
remotely, on a replica, on a device and inside a transaction). A caller that stops early
gives its reader back with no snapshot left open; bad chunk sizes and queries keyset
pages cannot follow are refused before anything runs.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from pydantic import JsonValue

from generated.client import AsyncDbClient, DbClient, create_db_client
from generated.models import NewWorkflow, Workflow, WorkflowUpdate
from generated.repositories import AsyncWorkflowRepository, WorkflowRepository
from generated.tables import user_settings, workflows
from libsqlkit import DatabaseError, DecodeError, InvalidValue, QueryError, select
from tests.conftest import reset_server
from tests.sqld import Sqld

# Keys that sort in byte order, not in any human order: empty, case, accents, astral
# characters, a lone combining mark, what looks like a number. Keyset pages compare them
# with `>` exactly as ORDER BY sorts them, so none is skipped or repeated.
ODD_KEYS = ["", "A", "a", "Z", "é", "e\u0301", "\u0301", "10", "9", "😀", "\U0010fffd", "a b"]


def _rows(count: int) -> list[NewWorkflow]:
    users = itertools.cycle(["u1", "u2", "u3"])
    return [
        NewWorkflow(id=f"w{i:05}", type="t", user_id=next(users), input_payload={"i": i})
        for i in range(count)
    ] + [NewWorkflow(id=key, type="odd", user_id="u1") for key in ODD_KEYS]


def _ids(rows: list[Workflow]) -> list[str]:
    return [row.id for row in rows]


@pytest.mark.parametrize("chunk", [1, 7, 100, 10_000])
def test_iter_many_gives_what_find_many_gives_in_every_mode(sync_db: DbClient, chunk: int) -> None:
    repo = WorkflowRepository(sync_db)
    repo.create_many(_rows(250))
    repo.soft_delete("w00003")
    everything = repo.find_many()
    assert list(repo.iter_many(chunk=chunk)) == everything
    assert _ids(everything) == sorted(_ids(everything), key=lambda key: key.encode())
    with_deleted = list(repo.iter_many(chunk=chunk, include_deleted=True))
    assert with_deleted == repo.find_many(include_deleted=True)
    assert len(with_deleted) == len(everything) + 1


@pytest.mark.parametrize("chunk", [1, 13, 1000])
def test_query_iter_gives_what_all_gives_in_every_mode(sync_db: DbClient, chunk: int) -> None:
    WorkflowRepository(sync_db).create_many(_rows(120))
    mine = select(workflows).where(workflows.user_id == "u1")
    assert list(mine.iter(sync_db, chunk=chunk)) == mine.order_by(workflows.id).all(sync_db)
    # Selected columns come back as chosen: the key that pages them is not among them.
    columns = select(workflows.type, workflows.input_payload).from_(workflows)
    assert list(columns.iter(sync_db, chunk=chunk)) == columns.order_by(workflows.id).all(sync_db)
    assert list(select(user_settings).iter(sync_db, chunk=chunk)) == []


@pytest.mark.parametrize("chunk", [1, 9, 1000])
async def test_async_iteration_gives_the_same_rows_in_every_mode(
    async_db: AsyncDbClient, chunk: int
) -> None:
    repo = AsyncWorkflowRepository(async_db)
    await repo.create_many(_rows(150))
    everything = await repo.find_many()
    assert [row async for row in repo.iter_many(chunk=chunk)] == everything
    mine = select(workflows).where(workflows.user_id == "u2")
    expected = await mine.order_by(workflows.id).all(async_db)
    assert [row async for row in mine.iter(async_db, chunk=chunk)] == expected


def test_a_transaction_iterates_its_own_uncommitted_rows(sync_db: DbClient) -> None:
    repo = WorkflowRepository(sync_db)
    repo.create_many(_rows(30))
    with sync_db.transaction():
        repo.create(NewWorkflow(id="w99999", type="t", user_id="u9"))
        repo.delete("w00000")
        inside = _ids(list(repo.iter_many(chunk=4)))
        assert "w99999" in inside and "w00000" not in inside
    assert _ids(list(repo.iter_many(chunk=4))) == inside


def test_stopping_early_gives_the_reader_back_without_a_stale_snapshot(
    sync_db: DbClient,
) -> None:
    """A reader handed back with its statement still open would keep answering from the
    snapshot it took; one never handed back would leave the next caller waiting once the
    pool is used up."""
    repo = WorkflowRepository(sync_db)
    repo.create_many(_rows(50))
    for round_ in range(12):  # more rounds than the pool has readers
        rows = repo.iter_many(chunk=5)
        assert next(rows).id == ""
        rows.close()  # as a `break` out of a for loop does
        repo.create(NewWorkflow(id=f"x{round_:02}", type="t", user_id="u1"))
        assert repo.count() == len(_rows(50)) + round_ + 1
        assert repo.get(f"x{round_:02}") is not None


def test_rows_written_while_iterating_do_not_disturb_the_iteration(sync_db: DbClient) -> None:
    """Writing between chunks (a migration-style loop: read a row, update it) neither
    blocks nor loses or repeats a row."""
    repo = WorkflowRepository(sync_db)
    repo.create_many(_rows(40))
    seen = []
    for row in repo.iter_many(chunk=6):
        seen.append(row.id)
        repo.update(row.id, WorkflowUpdate(retry_count=row.retry_count + 1))
    assert seen == _ids(repo.find_many())
    assert {row.retry_count for row in repo.find_many()} == {1}


async def test_an_abandoned_async_iteration_gives_its_reader_back(
    async_db: AsyncDbClient,
) -> None:
    repo = AsyncWorkflowRepository(async_db)
    await repo.create_many(_rows(20))
    for round_ in range(12):
        rows = repo.iter_many(chunk=3)
        assert (await anext(rows)).id == ""
        await rows.aclose()
        await repo.create(NewWorkflow(id=f"x{round_:02}", type="t", user_id="u1"))
        assert await repo.count() == len(_rows(20)) + round_ + 1


@pytest.mark.parametrize("chunk", [0, -1, True, 2.5, "10", None, 1_000_001, 2**70])
def test_a_chunk_size_that_is_not_a_whole_number_in_range_is_refused(
    sync_db: DbClient, chunk: object
) -> None:
    repo = WorkflowRepository(sync_db)
    with pytest.raises(InvalidValue, match="chunk must be a whole number of rows from 1 to"):
        repo.iter_many(chunk=chunk)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="chunk must be"):
        select(workflows).iter(sync_db, chunk=chunk)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        (select(workflows).order_by(workflows.created_at), "order_by"),
        (select(workflows).limit(5), "limit"),
        (select(workflows).offset(5), "offset"),
        (select(workflows.user_id).from_(workflows).group_by(workflows.user_id), "group_by"),
        (select(workflows).inner_join(workflows, workflows.id == workflows.id), "join"),
    ],
)
def test_a_query_keyset_pages_cannot_follow_is_refused_by_name(
    sync_db: DbClient, query: object, named: str
) -> None:
    with pytest.raises(QueryError, match=f"where\\(\\) only, not {named}"):
        query.iter(sync_db)  # type: ignore[attr-defined]


def test_a_stored_value_that_does_not_decode_names_its_row_mid_iteration(
    sync_db: DbClient,
) -> None:
    repo = WorkflowRepository(sync_db)
    repo.create_many(_rows(25))
    sync_db.execute("UPDATE workflows SET created_at = 'not a time' WHERE id = 'w00017'")
    ids = sorted(r.id or "" for r in _rows(25))
    seen = []
    with pytest.raises(DecodeError, match=r"workflows\.created_at") as caught:
        for row in repo.iter_many(chunk=5):
            seen.append(row.id)
    assert caught.value.key == "w00017"
    # Whole chunks before the one holding the bad row were given; none after it.
    assert seen == ids[: ids.index("w00017") // 5 * 5]


def test_iteration_reads_rows_written_after_it_was_built(sync_db: DbClient) -> None:
    """A scan is lazy: nothing runs until the first row is asked for."""
    repo = WorkflowRepository(sync_db)
    rows = repo.iter_many()
    repo.create(
        NewWorkflow(id="late", type="t", user_id="u1", created_at=datetime(2026, 1, 1, tzinfo=UTC))
    )
    assert _ids(list(rows)) == ["late"]


def test_a_result_larger_than_the_server_answers_names_iter_many(sqld_server: Sqld) -> None:
    """sqld answers at most 10 MB: all at once, the error says how to read it; a chunk
    at a time, every row comes."""
    reset_server(sqld_server)
    with create_db_client(sqld_server.url, auth_token=sqld_server.token()) as db:
        db.create_schema()
        repo = WorkflowRepository(db)
        big: dict[str, JsonValue] = {"text": "x" * 600_000}
        repo.create_many([NewWorkflow(type="t", user_id="u", input_payload=big)] * 20)
        with pytest.raises(DatabaseError, match=r"Response is too large: .*iter_many\(\)"):
            repo.find_many()
        assert sum(1 for _ in repo.iter_many(chunk=5)) == 20
