"""Result sets validated by pydantic-core in one call, JSON payloads parsed in Rust.

The select model's own validator, given a row at a time, parses each JSON payload in
Python (`json.loads`) and then checks `JsonValue` through a Python-level discriminator:
about half the time of a list read. Here the model's own field schema is used with one
change, each JSON column wrapped in pydantic-core's `json` schema, so the text is
parsed and checked in Rust, for the whole list at once; the instances are then made as
`model_construct` makes them (field values, fields set), without a second validation.

Nothing is trusted that the per-row path would check: same field schemas, same config.
One check pydantic-core skips in JSON mode is made here: `JsonValue` parsed from JSON
takes NaN and infinity (`1e400`), which the models refuse from Python, so a payload that
could hold one goes row by row. When anything fails here, the caller falls back to the
per-row path, which either reads the rows (a value only Python's JSON reader accepts)
or names the value that does not decode.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from typing import Any

from pydantic_core import SchemaValidator, core_schema

from libsqlkit._models import SelectModel

__all__ = ["BatchDecoder"]

Row = tuple[Any, ...]
_new = object.__new__
_set = object.__setattr__
# What in a JSON text may parse as a non-finite float: the NaN and Infinity literals,
# an exponent of three digits, or a run of 300 digits (more than any finite double).
# Also matches such text inside strings: the row path then reads them, only slower.
_EXPONENT = re.compile(r"[eE]\+?\d{3}")
_DIGITS = re.compile(r"\d{300}")


def _maybe_non_finite(text: str | bytes) -> bool:
    """Cheap tests first: most payloads have no N, I, three-digit exponent or 300 chars."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return (
        "NaN" in text
        or "Infinity" in text
        or (("e" in text or "E" in text) and _EXPONENT.search(text) is not None)
        or (len(text) >= 300 and _DIGITS.search(text) is not None)
    )


class _Deferred(ValueError):
    """A value the row path must judge."""


def _fields_schema(model: type[SelectModel]) -> tuple[dict[str, Any], Any, Any] | None:
    """(model-fields schema, definitions, config) of a model, or None if unlike ours."""
    schema = copy.deepcopy(model.__pydantic_core_schema__)
    definitions = None
    if schema["type"] == "definitions":
        definitions = schema["definitions"]
        schema = schema["schema"]
    if schema["type"] != "model" or schema["schema"]["type"] != "model-fields":
        return None
    return schema["schema"], definitions, schema.get("config")


class BatchDecoder:
    """One table's select model, validated a result set at a time."""

    def __init__(
        self,
        model: type[SelectModel],
        names: Sequence[str],
        decoders: Sequence[tuple[int, Callable[[Any], Any]]],
        json_columns: frozenset[str],
    ) -> None:
        found = _fields_schema(model)
        if found is None:
            raise TypeError(f"{model.__name__} is not a plain pydantic model")
        fields, definitions, config = found
        for name in json_columns:
            field = fields["fields"][name]
            inner = field["schema"]
            if inner["type"] == "nullable":
                inner["schema"] = core_schema.json_schema(inner["schema"])
            else:
                field["schema"] = core_schema.json_schema(inner)
        listed: core_schema.CoreSchema = core_schema.list_schema(fields)
        if definitions is not None:
            listed = core_schema.definitions_schema(listed, definitions)
        self._validate = SchemaValidator(listed, config=config).validate_python
        self._model = model
        self._names = tuple(names)
        # The other codecs still decode in Python (timestamps, booleans, numbers).
        self._decoders = tuple((i, d) for i, d in decoders if names[i] not in json_columns)
        self._json = tuple(i for i, name in enumerate(names) if name in json_columns)

    def decode(self, rows: Sequence[Row]) -> list[Any]:
        """The rows as models; raises whatever fails (the caller then goes row by row)."""
        names = self._names
        for index in self._json:
            for row in rows:
                text = row[index]
                if text is not None and _maybe_non_finite(text):
                    raise _Deferred(names[index])
        dicts = [dict(zip(names, row, strict=True)) for row in rows]
        for index, decode in self._decoders:
            name = names[index]
            for values in dicts:
                value = values[name]
                if value is not None:
                    values[name] = decode(value)
        model = self._model
        models = []
        for fields, extra, fields_set in self._validate(dicts):
            instance = _new(model)
            _set(instance, "__dict__", fields)
            _set(instance, "__pydantic_fields_set__", fields_set)
            _set(instance, "__pydantic_extra__", extra)
            _set(instance, "__pydantic_private__", None)
            models.append(instance)
        return models
