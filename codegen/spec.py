"""The shape of schema.yaml, as strict pydantic models.

Only the structure is checked here (known keys, value types); cross-references and SQL
rules are checked in `validate`. Strict mode: `not_null: "yes"` is an error, not True.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, NonNegativeInt

__all__ = [
    "JSON_KEYWORDS_BY_TYPE",
    "ColumnSpec",
    "IndexSpec",
    "JsonSchemaSpec",
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


JsonType = Literal["object", "array", "string", "integer", "number", "boolean", "null"]
JsonScalar = str | int | FiniteFloat | bool | None
Number = int | FiniteFloat


class JsonSchemaSpec(_Spec):
    """The JSON Schema a json column's `json_schema` may use: the keywords that become
    pydantic types and constraints. Anything else is refused, in particular
    datamodel-code-generator's own extensions (`customTypePath`, `customBasePath`), which
    would write imports of any module into models.py.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)

    type: JsonType | list[JsonType] | None = Field(default=None, min_length=1)
    description: str | None = None
    enum: list[JsonScalar] | None = Field(default=None, min_length=1)
    properties: dict[str, JsonSchemaSpec] | None = None
    required: list[str] | None = None
    additional_properties: bool | JsonSchemaSpec | None = Field(
        default=None, alias="additionalProperties"
    )
    items: JsonSchemaSpec | None = None
    min_items: NonNegativeInt | None = Field(default=None, alias="minItems")
    max_items: NonNegativeInt | None = Field(default=None, alias="maxItems")
    min_length: NonNegativeInt | None = Field(default=None, alias="minLength")
    max_length: NonNegativeInt | None = Field(default=None, alias="maxLength")
    pattern: str | None = None
    format: Literal["date-time", "date", "time", "uuid"] | None = None
    minimum: Number | None = None
    maximum: Number | None = None
    exclusive_minimum: Number | None = Field(default=None, alias="exclusiveMinimum")
    exclusive_maximum: Number | None = Field(default=None, alias="exclusiveMaximum")
    multiple_of: Number | None = Field(default=None, alias="multipleOf", gt=0)


# The keywords that constrain one type of value: they need `type:` to be exactly it
# (datamodel-code-generator drops a constraint that does not fit, or writes a call mypy
# refuses for a list of types).
JSON_KEYWORDS_BY_TYPE: dict[str, frozenset[str]] = {
    "object": frozenset({"properties", "required", "additionalProperties"}),
    "array": frozenset({"items", "minItems", "maxItems"}),
    "string": frozenset({"minLength", "maxLength", "pattern", "format"}),
    "integer": frozenset(
        {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
    ),
    "number": frozenset(
        {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
    ),
}


class ReferenceSpec(_Spec):
    table: str
    column: str
    on_delete: Action = "no action"
    on_update: Action = "no action"


class ColumnSpec(_Spec):
    type: SqlType
    mode: Mode | None = None
    enum: list[str] | None = None
    json_schema: JsonSchemaSpec | None = None
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
    # Each table is validated as a TableSpec on its own, so that one table's mistakes
    # do not hide another's (validate.build_schema).
    tables: dict[str, Any] = Field(min_length=1)
