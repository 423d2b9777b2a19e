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
    "ForeignKeySpec",
    "GeneratedSpec",
    "IndexSpec",
    "JsonSchemaSpec",
    "ManyToManySpec",
    "QuerySpec",
    "ReferenceSpec",
    "SchemaSpec",
    "TableSpec",
    "ViewColumnSpec",
    "ViewSpec",
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
    # Relations named on this foreign key: `relation` on this table (many-to-one: the
    # parent row), `inverse` on the referenced table (its rows of this table).
    relation: str | None = None
    inverse: str | None = None


class GeneratedSpec(_Spec):
    """`GENERATED ALWAYS AS (as) VIRTUAL|STORED` (Drizzle's generatedAlwaysAs)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)

    as_: str = Field(alias="as")
    mode: Literal["virtual", "stored"] = "virtual"


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
    generated: GeneratedSpec | None = None
    renamed_from: str | None = None
    description: str | None = None


class ForeignKeySpec(_Spec):
    """A table-level foreign key: several columns (a composite key), or one."""

    columns: list[str] = Field(min_length=1)
    table: str
    references: list[str] = Field(min_length=1)
    on_delete: Action = "no action"
    on_update: Action = "no action"
    relation: str | None = None
    inverse: str | None = None


class ManyToManySpec(_Spec):
    """A many-to-many relation through this (join) table: `source` and `target` are two
    of its foreign keys, named by their columns; `name` is the relation on the source's
    table, `inverse` the one on the target's table."""

    source: str | list[str]
    target: str | list[str]
    name: str
    inverse: str | None = None


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
    primary_key: list[str] | None = Field(default=None, min_length=1)
    foreign_keys: list[ForeignKeySpec] = []
    many_to_many: list[ManyToManySpec] = []
    indexes: dict[str, IndexSpec] = {}
    checks: dict[str, str] = {}
    queries: dict[str, QuerySpec] = {}


class ViewColumnSpec(_Spec):
    """A column of a view: its type as the select model holds it."""

    type: SqlType
    mode: Mode | None = None
    enum: list[str] | None = None
    json_schema: JsonSchemaSpec | None = None
    not_null: bool = False
    description: str | None = None


class ViewSpec(_Spec):
    """A view: `sql` (one SELECT), or `query` (`file.py:function`, a function that takes
    the schema's tables and returns a query-builder select)."""

    model: str | None = None
    description: str | None = None
    sql: str | None = None
    query: str | None = None
    columns: dict[str, ViewColumnSpec] = {}
    queries: dict[str, QuerySpec] = {}


class SchemaSpec(_Spec):
    version: Literal[1]
    sync_metadata: str | None = None
    # Each table (and view) is validated on its own, so that one's mistakes do not
    # hide another's (validate.build_schema).
    tables: dict[str, Any] = Field(min_length=1)
    views: dict[str, Any] = {}
