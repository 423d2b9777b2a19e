# generated from schema.yaml — do not edit

"""Repositories of `user_settings`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `UserSettingsRepository`
runs it on a `Database` and `AsyncUserSettingsRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from typing import Final

from generated.models import NewUserSettings, UserSettings, UserSettingsUpdate
from generated.tables import USER_SETTINGS
from libsqlkit import AsyncRepository, Plan, Repository, fetch_one

__all__ = ["AsyncUserSettingsRepository", "UserSettingsRepository"]

_FIND_BY_USER_ID_SQL: Final = "SELECT `id`, `user_id`, `preferences`, `created_at`, `updated_at` FROM `user_settings` WHERE `user_id` = ?1 LIMIT 1"


def _find_by_user_id_plan(user_id: str) -> Plan[UserSettings | None]:
    """The settings of this user, if any."""
    return fetch_one(USER_SETTINGS, UserSettings, _FIND_BY_USER_ID_SQL, (user_id,))


class UserSettingsRepository(Repository[UserSettings, NewUserSettings, UserSettingsUpdate, str]):
    """Typed access to `user_settings`."""

    table = USER_SETTINGS
    select_model = UserSettings
    insert_model = NewUserSettings
    update_model = UserSettingsUpdate

    def find_by_user_id(self, user_id: str) -> UserSettings | None:
        """The settings of this user, if any."""
        return self.db.run(_find_by_user_id_plan(user_id))


class AsyncUserSettingsRepository(
    AsyncRepository[UserSettings, NewUserSettings, UserSettingsUpdate, str]
):
    """`UserSettingsRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = USER_SETTINGS
    select_model = UserSettings
    insert_model = NewUserSettings
    update_model = UserSettingsUpdate

    async def find_by_user_id(self, user_id: str) -> UserSettings | None:
        """The settings of this user, if any."""
        return await self.db.run(_find_by_user_id_plan(user_id))
