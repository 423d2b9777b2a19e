"""The shape of schema.yaml, as strict pydantic models.

Only the structure is checked here (known keys, value types); cross-references and SQL
rules are checked in `validate`. Strict mode: `not_null: "yes"` is an error, not True.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ColumnSpec",
    "IndexSpec",
    "QuerySpec",
    "ReferenceSpec",
    "SchemaSpec",
    "TableSpec",
]

SqlType = Literal["text", "integer", "real", "blob", "numeric"]
Mode = Literal["json", "timestamp", "timestamp_ms", "boolean", "bigint", "number"]
Action = Literal["cascade", "restrict", "set null", "set default", "no action"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ReferenceSpec(_Spec):
    table: str
    column: str
    on_delete: Action = "no action"
    on_update: Action = "no action"


class ColumnSpec(_Spec):
    type: SqlType
    mode: Mode | None = None
    enum: list[str] | None = None
    json_schema: dict[str, Any] | None = None
    primary_key: bool = False
    autoincrement: bool = False
    not_null: bool = False
    unique: bool = False
    default: Any = None
    default_sql: str | None = None
    client_default: Literal["uuid4", "now"] | None = None
    on_update: Literal["now"] | None = None
    references: ReferenceSpec | None = None
    renamed_from: str | None = None
    description: str | None = None


class IndexSpec(_Spec):
    columns: list[str] = Field(min_length=1)
    unique: bool = False
    where: str | None = None


class QuerySpec(_Spec):
    select: Literal["one", "many"] | None = None
    update: list[str] | None = None
    update_if_given: list[str] = []
    set_now_when: dict[str, dict[str, Any]] = {}
    where: list[str] = Field(min_length=1)
    order_by: list[str] = []
    limit: int | None = Field(default=None, ge=1)
    include_deleted: bool = False
    description: str | None = None


class TableSpec(_Spec):
    model: str | None = None
    renamed_from: str | None = None
    description: str | None = None
    soft_delete: str | None = None
    sync: bool = False
    on_unique_clash: Literal["fail", "keep_latest"] | None = None
    columns: dict[str, ColumnSpec] = Field(min_length=1)
    indexes: dict[str, IndexSpec] = {}
    checks: dict[str, str] = {}
    queries: dict[str, QuerySpec] = {}


class SchemaSpec(_Spec):
    version: Literal[1]
    sync_metadata: str | None = None
    tables: dict[str, TableSpec] = Field(min_length=1)
