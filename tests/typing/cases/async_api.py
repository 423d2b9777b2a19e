from generated.client import AsyncDbClient, DbClient
from generated.models import NewWorkflow, Workflow
from generated.repositories import AsyncWorkflowRepository, WorkflowRepository
from generated.tables import workflows
from libsqlkit import select


async def forgotten_await(repo: AsyncWorkflowRepository) -> None:
    created = repo.create(NewWorkflow(type="t", user_id="u"))
    print(created.id)  # E: attr-defined
    found: Workflow | None = repo.find_by_id("x")  # E: assignment
    rows: list[Workflow] = select(workflows).all(repo.db)  # E: assignment
    print(found, rows)


async def awaited_results_are_typed(repo: AsyncWorkflowRepository) -> None:
    one: Workflow = await repo.find_by_id("x")  # E: assignment
    many: Workflow = await repo.find_by_user_id("u")  # E: assignment
    count: list[Workflow] = await repo.create_many([NewWorkflow(type="t", user_id="u")])  # E: assignment
    print(one, many, count)


def mixed_clients(db: DbClient, adb: AsyncDbClient) -> None:
    WorkflowRepository(adb)  # E: arg-type
    AsyncWorkflowRepository(db)  # E: arg-type


async def transactions(db: DbClient, adb: AsyncDbClient) -> None:
    with adb.transaction():  # E: attr-defined
        pass
    async with db.transaction():  # E: attr-defined
        pass


async def iteration_is_sync_or_async_as_the_client_is(
    repo: WorkflowRepository, arepo: AsyncWorkflowRepository, adb: AsyncDbClient
) -> None:
    for row in arepo.iter_many():  # E: attr-defined
        print(row)
    async for other in repo.iter_many():  # E: attr-defined
        print(other)
    async for model in arepo.iter_many(chunk=10):
        wrong: NewWorkflow = model  # E: assignment
        print(wrong)
    for picked in select(workflows).iter(adb):  # E: attr-defined
        print(picked)
    repo.iter_many(chunk="10")  # E: arg-type
