"""The bodies the API accepts: what a client may send, not every column of a row.

Responses are the generated select models (`Workflow`, `UserSettings`) as they are.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from generated.models import NewUserSettings, NewWorkflow, UserSettings, Workflow

Status = Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class WorkflowIn(_Body):
    """A workflow to create. `id` is optional: a client that names its own id can retry a
    create safely (a second one is refused with 409)."""

    id: str | None = None
    type: str = Field(min_length=1)
    user_id: str = Field(min_length=1)
    input_payload: JsonValue | None = None

    def new(self) -> NewWorkflow:
        return NewWorkflow(
            id=self.id, type=self.type, user_id=self.user_id, input_payload=self.input_payload
        )


class StatusChange(_Body):
    status: Status
    error_log: str | None = None


class FirstWorkflow(_Body):
    id: str | None = None
    type: str = Field(min_length=1)
    input_payload: JsonValue | None = None


class Onboarding(_Body):
    """A new user's settings and first workflows, written in one transaction."""

    preferences: JsonValue | None = None
    workflows: list[FirstWorkflow] = Field(default_factory=list)

    def settings(self, user_id: str) -> NewUserSettings:
        return NewUserSettings(user_id=user_id, preferences=self.preferences)

    def new_workflows(self, user_id: str) -> list[NewWorkflow]:
        return [
            NewWorkflow(id=w.id, type=w.type, user_id=user_id, input_payload=w.input_payload)
            for w in self.workflows
        ]


class Onboarded(BaseModel):
    settings: UserSettings
    workflows: list[Workflow]
