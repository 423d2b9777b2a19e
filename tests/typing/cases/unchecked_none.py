from generated.repositories import WorkflowRepository


def status_of(repo: WorkflowRepository, workflow_id: str) -> str:
    found = repo.find_by_id(workflow_id)
    return found.status  # E: union-attr
