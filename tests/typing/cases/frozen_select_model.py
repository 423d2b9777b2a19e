from generated.models import Workflow


def rename(workflow: Workflow) -> None:
    workflow.status = "FAILED"  # E: misc
