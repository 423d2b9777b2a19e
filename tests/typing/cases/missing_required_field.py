from generated.models import NewUserSettings, NewWorkflow


def make() -> None:
    NewWorkflow(type="t")  # E: call-arg
    NewUserSettings()  # E: call-arg
