# generated from schema.yaml — do not edit

"""Repository of `user_settings`: generic CRUD plus the queries declared in schema.yaml."""

from __future__ import annotations

from typing import Final

from generated.models import NewUserSettings, UserSettings, UserSettingsUpdate
from generated.tables import USER_SETTINGS
from libsqlkit import Repository

__all__ = ["UserSettingsRepository"]

_FIND_BY_USER_ID_SQL: Final = "SELECT `id`, `user_id`, `preferences`, `created_at`, `updated_at` FROM `user_settings` WHERE `user_id` = ?1 LIMIT 1"


class UserSettingsRepository(Repository[UserSettings, NewUserSettings, UserSettingsUpdate, str]):
    """Typed access to `user_settings`."""

    table = USER_SETTINGS
    select_model = UserSettings
    insert_model = NewUserSettings
    update_model = UserSettingsUpdate

    def find_by_user_id(self, user_id: str) -> UserSettings | None:
        """The settings of this user, if any."""
        return self._fetch_one(_FIND_BY_USER_ID_SQL, (user_id,))
