from generated.client import DbClient
from generated.models import NewWorkflow, Workflow
from generated.repositories import WorkflowRepository


def results(repo: WorkflowRepository) -> None:
    count: list[Workflow] = repo.create_many([NewWorkflow(type="t", user_id="u")])  # E: assignment
    one: Workflow = repo.find_by_id("x")  # E: assignment
    many: Workflow = repo.find_by_user_id("u")  # E: assignment
    print(count, one, many)


def sync_results(db: DbClient) -> None:
    pulled: int = db.sync().pulled  # E: assignment
    winner: bool = db.sync().conflicts[0].winner  # E: assignment
    print(pulled, winner)
