from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository


def make(repo: WorkflowRepository, workflow_id: str) -> None:
    NewWorkflow(type="t", user_id="u", status="DONE")  # E: arg-type
    repo.update_status(workflow_id, "CANCELLED")  # E: arg-type
