from generated.models import NewUserSettings, WorkflowUpdate
from generated.repositories import UserSettingsRepository, WorkflowRepository


def mix(workflows: WorkflowRepository, settings: UserSettingsRepository) -> None:
    workflows.create(NewUserSettings(user_id="u"))  # E: arg-type
    settings.update("id", WorkflowUpdate())  # E: arg-type
