"""JSON Schema of every model, derived from the IR, as input for datamodel-code-generator.

All models go into one OpenAPI `components/schemas` document, so one generator call
produces generated/models.py for the whole schema.
"""

from __future__ import annotations

from typing import Any

from .ir import ColumnIR, SchemaIR, TableIR

__all__ = ["document_of", "models_document", "models_parts"]

REF = "#/components/schemas/"
RUNTIME = "libsqlkit"

_TYPES: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "bytes": {"type": "string", "format": "binary"},
    "datetime": {"type": "string", "format": "date-time"},
    "JsonValue": {"customTypePath": "pydantic.JsonValue"},
}


def _value_schema(column: ColumnIR) -> dict[str, Any]:
    if column.enum is not None:
        return {"type": "string", "enum": list(column.enum)}
    if column.json_model is not None:
        return {"$ref": REF + column.json_model}
    base = column.py_type
    return dict(_TYPES[base])


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` or null. A value of one JSON type says so with a type list: the generator
    writes the same `X | None` as for an `anyOf`, and takes a third less time over it."""
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _field(column: ColumnIR, *, nullable: bool, default: bool) -> dict[str, Any]:
    schema = _value_schema(column)
    if nullable:
        schema = _nullable(schema)
    if column.description:
        schema["description"] = column.description
    if default and column.has_default:
        schema["default"] = column.default
    return schema


def _model(table: TableIR, title: str, base: str, description: str, *, kind: str) -> dict[str, Any]:
    properties = {}
    required = []
    for column in table.columns:
        if kind != "select" and not column.writable:
            continue  # generated: computed by SQLite, read only
        if kind == "select":
            properties[column.name] = _field(column, nullable=not column.not_null, default=False)
            required.append(column.name)
        elif kind == "insert":
            optional = column.insert_optional
            # A NOT NULL column with a literal default keeps its type: only nullable ones take None.
            nullable = not column.not_null or (optional and not column.has_default)
            properties[column.name] = _field(column, nullable=nullable, default=True)
            if not optional:
                required.append(column.name)
        else:
            properties[column.name] = _field(column, nullable=True, default=False)
    return {
        "type": "object",
        "title": title,
        "description": description,
        "customBasePath": f"{RUNTIME}.{base}",
        "properties": properties,
        "required": required,
    }


def _payload(schema: Any) -> Any:
    """A JSON payload's schema with every object a `PayloadModel`, which refuses NaN and
    infinity like the row models (JSON has neither: they would be written as null)."""
    if isinstance(schema, list):
        return [_payload(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copied = {key: _payload(value) for key, value in schema.items()}
    if copied.get("type") == "object":
        copied["customBasePath"] = f"{RUNTIME}.PayloadModel"
    return copied


def models_parts(schema: SchemaIR) -> list[dict[str, Any]]:
    """The components of each table, then of each view, in the order of the document
    (a view's payload model is its own only where no earlier part has that name)."""
    parts: list[dict[str, Any]] = []
    for table in schema.tables:
        components: dict[str, Any] = {}
        stored = f"A row of `{table.name}` as stored."
        components[table.model] = _model(
            table,
            table.model,
            "SelectModel",
            f"{table.description}\n\n{stored}" if table.description else stored,
            kind="select",
        )
        components[table.insert_model] = _model(
            table,
            table.insert_model,
            "InsertModel",
            f"A new row of `{table.name}`: fields with a default or that are nullable may be left out.",
            kind="insert",
        )
        components[table.update_model] = _model(
            table,
            table.update_model,
            "UpdateModel",
            f"Changes to a row of `{table.name}`: only the fields set are written.",
            kind="update",
        )
        for column in table.columns:
            if column.json_model is not None and column.json_schema is not None:
                nested = _payload(column.json_schema)
                nested.setdefault("title", column.json_model)
                nested.setdefault("description", f"The JSON stored in {table.name}.{column.name}.")
                components[column.json_model] = nested
        parts.append(components)
    for view in schema.views:
        stored = f"A row of the view `{view.name}`."
        components = {
            view.model: _model(
                view.readable,
                view.model,
                "SelectModel",
                f"{view.description}\n\n{stored}" if view.description else stored,
                kind="select",
            )
        }
        for column in view.columns:
            if column.json_model is not None and column.json_schema is not None:
                nested = dict(column.json_schema)
                nested.setdefault("title", column.json_model)
                nested.setdefault("description", f"The JSON in {view.name}.{column.name}.")
                if not any(column.json_model in part for part in parts):
                    components.setdefault(column.json_model, nested)
        parts.append(components)
    return parts


def models_document(schema: SchemaIR) -> dict[str, Any]:
    return document_of(models_parts(schema))


def document_of(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The OpenAPI document of these parts' components, a later part's name replacing
    an earlier one's in its place."""
    components: dict[str, Any] = {}
    for part in parts:
        components.update(part)
    return {
        "openapi": "3.1.0",
        "info": {"title": "schema.yaml", "version": "1"},
        "paths": {},
        "components": {"schemas": components},
    }
