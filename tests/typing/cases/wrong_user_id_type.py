from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository


def make(repo: WorkflowRepository) -> None:
    NewWorkflow(type="t", user_id=42)  # E: arg-type
    repo.find_by_user_id(7)  # E: arg-type
