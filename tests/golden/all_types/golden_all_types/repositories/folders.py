# generated from schema.yaml — do not edit

"""Repositories of `folders`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `FolderRepository`
runs it on a `Database` and `AsyncFolderRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_all_types.models import Folder, FolderUpdate, NewFolder
from golden_all_types.tables import FOLDERS
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncFolderRepository", "FolderRepository"]


class FolderRepository(Repository[Folder, NewFolder, FolderUpdate, str]):
    """Typed access to `folders`."""

    table = FOLDERS
    select_model = Folder
    insert_model = NewFolder
    update_model = FolderUpdate


class AsyncFolderRepository(AsyncRepository[Folder, NewFolder, FolderUpdate, str]):
    """`FolderRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = FOLDERS
    select_model = Folder
    insert_model = NewFolder
    update_model = FolderUpdate
