"""Checks of a json column's `json_schema` beyond its structure (which spec.py checks).

Each accepted schema must become a pydantic model that imports, type-checks and stores
exactly what it validates. So a keyword needs the type it constrains (otherwise
datamodel-code-generator drops it, or writes a call mypy refuses), enum values fit the
type, patterns compile in pydantic's own regex engine, and property names are field
names as they are (a renamed field would be stored under its new name).
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Iterator
from typing import Annotated

import pydantic_core
from pydantic import Field, TypeAdapter

from .names import property_attributes
from .problems import Loc
from .spec import JSON_KEYWORDS_BY_TYPE, JsonSchemaSpec

__all__ = ["json_schema_problems", "json_value_problem"]

PROPERTY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_FITS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _aliases(spec: JsonSchemaSpec) -> list[str]:
    """The keywords given in `spec`, spelled as in schema.yaml."""
    fields = type(spec).model_fields
    return [fields[name].alias or name for name in spec.model_fields_set]


def _property_problem(name: str) -> str | None:
    if not PROPERTY_NAME.fullmatch(name) or keyword.iskeyword(name):
        return (
            f"property {name!r} must be a Python field name (a letter, then letters, digits "
            "or underscores; not a keyword)"
        )
    if name in property_attributes():
        return f"property {name!r} would shadow an attribute of the generated model"
    return None


def _fits(value: object, type_name: str) -> bool:
    return isinstance(value, _FITS[type_name]) and (
        type_name == "boolean" or not isinstance(value, bool)
    )


def json_schema_problems(spec: JsonSchemaSpec, loc: Loc) -> Iterator[tuple[Loc, str, bool]]:
    """(where, message, at_key) for every problem in `spec` and the schemas inside it."""
    types = [spec.type] if isinstance(spec.type, str) else list(spec.type or ())
    if len(set(types)) != len(types):
        yield (*loc, "type"), "type lists a type twice", False
    for word in _aliases(spec):
        wanted = [t for t, words in JSON_KEYWORDS_BY_TYPE.items() if word in words]
        if wanted and not (len(types) == 1 and types[0] in wanted):
            yield (
                (*loc, word),
                f"{word} needs type: {' or '.join(wanted)} (a single type)",
                True,
            )
    if spec.format is not None:
        # The value becomes a date, time or UUID: constraints on text would be dropped.
        for word in ("minLength", "maxLength", "pattern", "enum"):
            if word in _aliases(spec):
                yield (*loc, word), f"{word} cannot be combined with format: {spec.format}", True
    if spec.enum is not None and types:
        if len(types) != 1 or types[0] not in _FITS:
            yield (
                (*loc, "enum"),
                "enum needs a single type: string, integer, number, boolean or null",
                True,
            )
        else:
            for i, value in enumerate(spec.enum):
                if not _fits(value, types[0]):
                    yield (
                        (*loc, "enum", i),
                        f"enum value {value!r} is not of type {types[0]}",
                        False,
                    )
    if spec.pattern is not None:
        try:
            TypeAdapter(Annotated[str, Field(pattern=spec.pattern)])
        except pydantic_core.SchemaError as error:
            reason = str(error).strip().splitlines()[-1].strip()
            yield (
                (*loc, "pattern"),
                f"pattern is not a regular expression pydantic accepts: {reason}",
                False,
            )
    properties = spec.properties or {}
    for i, name in enumerate(spec.required or ()):
        if name not in properties:
            yield (
                (*loc, "required", i),
                f"required names {name!r}, which is not in properties",
                False,
            )
    for name, nested in properties.items():
        problem = _property_problem(name)
        if problem:
            yield (*loc, "properties", name), problem, True
        yield from json_schema_problems(nested, (*loc, "properties", name))
    if spec.items is not None:
        yield from json_schema_problems(spec.items, (*loc, "items"))
    if isinstance(spec.additional_properties, JsonSchemaSpec):
        yield from json_schema_problems(spec.additional_properties, (*loc, "additionalProperties"))


def json_value_problem(value: object) -> str | None:
    """Why `value` (a json column's default) is not JSON, or None. schema.yaml has only
    JSON-like values by the time it gets here (see source.py), except NaN and infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        return "JSON has no NaN or infinity"
    if isinstance(value, dict):
        return next(filter(None, map(json_value_problem, value.values())), None)
    if isinstance(value, list):
        return next(filter(None, map(json_value_problem, value)), None)
    return None
