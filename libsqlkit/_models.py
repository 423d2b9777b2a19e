"""Base classes of the generated pydantic models.

Select models are frozen: a row read from the database is a value, and mypy reports an
assignment to one of its fields (the `dataclass_transform` below tells mypy so without
the pydantic plugin). Insert and update models are mutable, and validate every assignment,
so a model handed to a repository always holds valid values.

No model takes NaN or ±infinity: SQLite stores NaN as NULL, and a libSQL server cannot
send infinity back (JSON payloads included, where JSON.stringify would write null).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from typing_extensions import dataclass_transform

__all__ = ["InsertModel", "PayloadModel", "SelectModel", "UpdateModel"]


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(Field, PrivateAttr)
)
class SelectModel(BaseModel, frozen=True):
    """A row as stored: every column present, nullable ones typed `X | None`."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class InsertModel(BaseModel):
    """A row to insert: columns with a default, or nullable, may be left out."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_assignment=True)


class UpdateModel(BaseModel):
    """Changes to a row: only the fields that are set are written."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_assignment=True)


class PayloadModel(BaseModel):
    """A JSON payload typed by a column's `json_schema` (and each object inside it)."""

    model_config = ConfigDict(allow_inf_nan=False)
