"""Fake values for one column, drawn from one `random.Random` so that a seed gives the
same values every time: shaped by the column's codec (how it is stored), its insert
model's annotation (an enum's `Literal`, a JSON column's payload model) and its name
(an email looks like one). The insert model still validates every value.
"""

from __future__ import annotations

import functools
import types
import uuid
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from libsqlkit._schema import Column

__all__ = ["choices_of", "fake_uuid", "fake_value", "from_json_schema"]

WORDS = (
    "amber", "birch", "cedar", "delta", "ember", "fjord", "glade", "harbor", "iris", "juniper",
    "kestrel", "lagoon", "maple", "nectar", "orchid", "pebble", "quartz", "raven", "summit",
    "tundra", "umber", "violet", "willow", "yarrow", "zephyr",
)  # fmt: skip
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
YEAR_SECONDS = 365 * 86_400
MAX_JSON_DEPTH = 4


def fake_uuid(rng: Random) -> str:
    """A version-4 UUID as the repositories write one, but from `rng`."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def fake_time(rng: Random, *, milliseconds: bool = False) -> datetime:
    """An instant in 2025, whole seconds (or milliseconds) as the column stores it."""
    moment = EPOCH + timedelta(seconds=rng.randrange(YEAR_SECONDS))
    return moment + timedelta(milliseconds=rng.randrange(1000)) if milliseconds else moment


def choices_of(annotation: Any) -> tuple[Any, ...] | None:
    """The values a `Literal` (an enum column) allows, or None for an open type."""
    target = _without_none(annotation)
    return get_args(target) if get_origin(target) is Literal else None


def payload_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic payload model of a JSON column with a JSON Schema, else None."""
    target = _without_none(annotation)
    return target if isinstance(target, type) and issubclass(target, BaseModel) else None


def fake_value(rng: Random, column: Column[Any, Any], annotation: Any, index: int) -> Any:
    """A value for `column` in row `index` (the index makes text distinct, so a unique
    text column never collides)."""
    allowed = choices_of(annotation)
    if allowed is not None:
        return rng.choice(allowed)
    kind = column.codec.name
    if kind == "boolean":
        return rng.random() < 0.5
    if kind in ("timestamp", "timestamp_ms"):
        return fake_time(rng, milliseconds=kind == "timestamp_ms")
    if kind in ("json", "json_blob"):
        model = payload_model(annotation)
        if model is None:
            return {"word": rng.choice(WORDS), "n": rng.randrange(100)}
        schema = _json_schema(model)
        return from_json_schema(rng, schema, schema.get("$defs", {}), 0)
    if kind == "blob":
        return rng.randbytes(8)
    if kind in ("integer", "numeric_bigint", "bigint_blob"):
        return rng.randrange(1_000_000_000)
    if kind in ("real", "numeric_number"):
        return rng.randrange(100_000) / 100
    if kind == "numeric":
        return str(rng.randrange(100_000))
    if column.client_default == "uuid4":
        return fake_uuid(rng)
    return _text(rng, column.name, index)


@functools.lru_cache(maxsize=64)
def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The payload model's JSON Schema, built once (pydantic takes a millisecond)."""
    return model.model_json_schema()


def _text(rng: Random, name: str, index: int) -> str:
    first, second = rng.choice(WORDS), rng.choice(WORDS)
    if "email" in name:
        return f"{first}.{second}{index}@example.com"
    if "slug" in name:
        return f"{first}-{second}-{index}"
    if "url" in name:
        return f"https://example.com/{first}/{index}"
    return f"{first.title()} {second} {index}"


def from_json_schema(rng: Random, schema: dict[str, Any], defs: dict[str, Any], depth: int) -> Any:
    """A value valid against the subset of JSON Schema that pydantic writes for payload
    models (objects, arrays, scalars, enums, bounds, `$ref`, `anyOf`)."""
    if "$ref" in schema:
        return from_json_schema(rng, defs[schema["$ref"].rpartition("/")[2]], defs, depth)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        concrete = [o for o in options if o.get("type") != "null"] or options
        return from_json_schema(rng, rng.choice(concrete), defs, depth)
    kind = schema.get("type")
    if kind == "object":
        required = set(schema.get("required", ()))
        return {
            name: from_json_schema(rng, sub, defs, depth + 1)
            for name, sub in schema.get("properties", {}).items()
            if name in required or (depth < MAX_JSON_DEPTH and rng.random() < 0.7)
        }
    if kind == "array":
        low = schema.get("minItems", 0)
        high = max(low, min(schema.get("maxItems", 3), low + 3))
        items = schema.get("items", {"type": "string"})
        return [
            from_json_schema(rng, items, defs, depth + 1) for _ in range(rng.randint(low, high))
        ]
    if kind in ("integer", "number"):
        return _number(rng, schema, integer=kind == "integer")
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    text = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    text = text.ljust(low, "x")
    return text if high is None else text[:high]


def _number(rng: Random, schema: dict[str, Any], *, integer: bool) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
    high = schema.get("maximum", schema.get("exclusiveMaximum", low + 1000))
    if "exclusiveMinimum" in schema and "minimum" not in schema:
        low += 1
    if "exclusiveMaximum" in schema and "maximum" not in schema:
        high -= 1
    if integer:
        return rng.randint(int(low), max(int(low), int(high)))
    return round(rng.uniform(low, high), 2) if high > low else float(low)


def _without_none(annotation: Any) -> Any:
    """`T` of `T | None` (and of `Annotated[T, ...]`)."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return _without_none(rest[0])
    return annotation
