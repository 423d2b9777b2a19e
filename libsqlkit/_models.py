"""Base classes of the generated pydantic models.

Select models are frozen: a row read from the database is a value, and mypy reports an
assignment to one of its fields (the `dataclass_transform` below tells mypy so without
the pydantic plugin). Insert and update models are ordinary mutable models.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from typing_extensions import dataclass_transform

__all__ = ["InsertModel", "SelectModel", "UpdateModel"]


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(Field, PrivateAttr)
)
class SelectModel(BaseModel, frozen=True):
    """A row as stored: every column present, nullable ones typed `X | None`."""

    model_config = ConfigDict(extra="forbid")


class InsertModel(BaseModel):
    """A row to insert: columns with a default, or nullable, may be left out."""

    model_config = ConfigDict(extra="forbid")


class UpdateModel(BaseModel):
    """Changes to a row: only the fields that are set are written."""

    model_config = ConfigDict(extra="forbid")
