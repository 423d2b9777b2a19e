# generated from schema.yaml — do not edit

"""Repository of `folders`: generic CRUD plus the queries declared in schema.yaml."""

from __future__ import annotations

from golden_all_types.models import Folder, FolderUpdate, NewFolder
from golden_all_types.tables import FOLDERS
from libsqlkit import Repository

__all__ = ["FolderRepository"]


class FolderRepository(Repository[Folder, NewFolder, FolderUpdate, str]):
    """Typed access to `folders`."""

    table = FOLDERS
    select_model = Folder
    insert_model = NewFolder
    update_model = FolderUpdate
