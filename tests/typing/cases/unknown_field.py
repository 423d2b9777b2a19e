from generated.models import NewWorkflow, Workflow


def read(workflow: Workflow) -> object:
    NewWorkflow(type="t", user_id="u", owner="me")  # E: call-arg
    return workflow.owner  # E: attr-defined
