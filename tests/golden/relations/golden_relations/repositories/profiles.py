# generated from schema.yaml — do not edit

"""Repositories of `profiles`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `ProfileRepository`
runs it on a `Database` and `AsyncProfileRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_relations.models import NewProfile, Profile, ProfileUpdate
from golden_relations.tables import PROFILES
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncProfileRepository", "ProfileRepository"]


class ProfileRepository(Repository[Profile, NewProfile, ProfileUpdate, str]):
    """Typed access to `profiles`."""

    table = PROFILES
    select_model = Profile
    insert_model = NewProfile
    update_model = ProfileUpdate


class AsyncProfileRepository(AsyncRepository[Profile, NewProfile, ProfileUpdate, str]):
    """`ProfileRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = PROFILES
    select_model = Profile
    insert_model = NewProfile
    update_model = ProfileUpdate
