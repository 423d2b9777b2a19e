"""Result sets validated and built as models by pydantic-core in one call.

The select model's own validator, given a row at a time, needs each stored value decoded
in Python first (`json.loads` of a payload, then `JsonValue` checked through a Python
discriminator; a datetime from each timestamp), then a dict per row: most of the time of
a list read. Here the model's own schema is used with each decoded column's field
schema changed, so that the decoding happens inside the one pydantic-core call:

- a JSON column's schema is wrapped in pydantic-core's `json` schema: the text is parsed
  and checked in Rust;
- any other codec becomes the first step of a chain (the codec's decode, then the
  field's own schema); a timestamp's decode is memoized within a result set (rows often
  hold one instant twice, as created_at and updated_at), and the field's own check is left out
  only where it is a plain datetime schema, which the codec's aware UTC datetime always
  passes;
- the instances are built by pydantic-core from the model schema, as `model_validate`
  builds them.

Nothing is trusted that the per-row path would check: same field schemas, same config.
One check pydantic-core skips in JSON mode is made here: `JsonValue` parsed from JSON
takes NaN and infinity (`1e400`), which the models refuse from Python, so a result set
whose payloads could hold one goes row by row. When anything fails here, the caller
falls back to the per-row path, which either reads the rows (a value only Python's JSON
reader accepts) or names the value that does not decode.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable, Collection, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from pydantic_core import SchemaValidator, core_schema

from libsqlkit._codecs import TIMESTAMP, TIMESTAMP_MS, decode_timestamps
from libsqlkit._models import SelectModel

__all__ = [
    "BatchDecoder",
    "json_mode",
    "maybe_non_finite",
    "model_schema",
    "plain_datetime",
]

Row = tuple[Any, ...]
# What in JSON text may parse as a non-finite float, looked for in a copy where every
# digit reads as 0, every E as e, I and f as N, n as a, plus signs are dropped and every
# other byte reads as a space: NaN (the NaN and Infinity literals both read so), a digit
# followed by an exponent of three digits or more, or a run of 200 digits (210 digits
# with an exponent of 99 are past the largest double already). Found inside strings
# too: such a result set then goes row by row, only slower.


def _sketch_table() -> bytes:
    table = bytearray(b" " * 256)
    for sources, target in (b"0123456789", b"0"), (b"eE", b"e"), (b"NIf", b"N"), (b"an", b"a"):
        for byte in sources:
            table[byte] = target[0]
    return bytes(table)


_SKETCH = _sketch_table()
_DIGIT_RUN = b"0" * 200
# From this many rows on, a result set's timestamps are decoded in bulk before validation.
BULK_ROWS = 8
# Codecs whose decode is a pure function of the stored number, decoded once per distinct
# value of a result set (before validation, in bulk where the codec can).
_MEMOIZED: dict[Any, Callable[[Collection[Any]], dict[Any, Any]] | None] = {
    TIMESTAMP.decode: decode_timestamps,
    TIMESTAMP_MS.decode: None,  # through the codec, once per value
}
# Field schema keys that do not change what a Python datetime validates to.
_DATETIME_NEUTRAL = frozenset({"type", "microseconds_precision", "metadata", "ref"})


def maybe_non_finite(texts: Sequence[object]) -> bool:
    """Whether any of these JSON texts could hold NaN or infinity: one scan of them all,
    since most result sets have no such number. (Values that are not text are left to
    pydantic-core's `json` schema, which refuses them.)"""
    try:
        joined = "\n".join(filter(None, texts)).encode()  # type: ignore[arg-type]
    except TypeError:  # bytes (a blob column), or a value pydantic-core will refuse
        joined = b"\n".join(
            text.encode() if type(text) is str else text if type(text) is bytes else b""
            for text in texts
        )
    sketch = joined.translate(_SKETCH, b"+")
    return (
        b"NaN" in sketch
        or b"0e000" in sketch
        or (len(sketch) >= len(_DIGIT_RUN) and _DIGIT_RUN in sketch)
    )


def _dicts_of(names: Sequence[str]) -> Callable[[Sequence[Row]], list[dict[str, Any]]]:
    """Rows to dicts of the column names, compiled once per table (as dataclasses compile
    `__init__`): a dict display per unpacked row takes half the time of dict(zip(...)).
    Names appear only as string literals (repr); a row of another length raises
    ValueError, and the row path reads it."""
    variables = [f"c{index}" for index in range(len(names))]
    display = ", ".join(f"{name!r}: c{index}" for index, name in enumerate(names))
    source = f"lambda rows: [{{{display}}} for ({', '.join(variables)},) in rows]"
    dicts: Callable[[Sequence[Row]], list[dict[str, Any]]] = eval(source, {})
    return dicts


def _column(get: itemgetter[Any], rows: Sequence[Row]) -> list[Any]:
    return [*map(get, rows)]


def _columns(get: itemgetter[Any], rows: Sequence[Row]) -> list[Any]:
    return [*chain.from_iterable(map(get, rows))]


class _Deferred(ValueError):
    """A value the row path must judge."""


class _Memo(dict[Any, Any]):
    """A codec's decoded values by stored value, filled for a result set's columns of
    that codec before validation and emptied after it. Shared by concurrent calls: a
    value another call emptied meanwhile is decoded again (`__missing__`)."""

    def __init__(self, decode: Callable[[Any], Any]) -> None:
        super().__init__()
        self._decode = decode
        self._bulk = _MEMOIZED[decode]
        self.columns: list[int] = []

    def __missing__(self, value: Any) -> Any:
        decoded = self[value] = self._decode(value)
        return decoded

    def fill(self, rows: Sequence[Row]) -> None:
        values: set[Any] = set()
        for index in self.columns:
            values.update(map(itemgetter(index), rows))
        values.discard(None)
        bulk = self._bulk
        self.update(bulk(values) if bulk else {value: self._decode(value) for value in values})


def plain_datetime(schema: dict[str, Any]) -> bool:
    """A datetime schema that any aware datetime passes unchanged (AwareDatetime or
    datetime, no bounds): the timestamp codecs' UTC datetimes need no second look."""
    return (
        schema["type"] == "datetime"
        and schema.get("tz_constraint") in (None, "aware")
        and set(schema) - {"tz_constraint"} <= _DATETIME_NEUTRAL
    )


def _decoded(
    decode: Callable[[Any], Any], schema: Any, memos: dict[Any, _Memo]
) -> core_schema.CoreSchema:
    """A field's schema with a codec's decode run first, in the same pydantic-core call
    (a timestamp's through the memo its columns share)."""
    if decode not in _MEMOIZED:
        return core_schema.chain_schema(
            [core_schema.no_info_plain_validator_function(decode), schema]
        )
    memo = memos.get(decode)
    if memo is None:
        memo = memos[decode] = _Memo(decode)
    step = core_schema.no_info_plain_validator_function(memo.__getitem__)
    if plain_datetime(schema):
        return step
    return core_schema.chain_schema([step, schema])


def json_mode(schema: dict[str, Any], definitions: list[Any] | None) -> Any:
    """What a field's schema checks in JSON mode: a reference to a json-or-python schema
    (`JsonValue`) is its JSON side (for JsonValue, any parsed JSON value), looked up once
    here rather than for every value."""
    if schema["type"] == "definition-ref" and definitions is not None:
        for definition in definitions:
            if definition.get("ref") == schema["schema_ref"]:
                if definition["type"] == "json-or-python":
                    return definition["json_schema"]
                break
    return schema


def model_schema(model: type[SelectModel]) -> tuple[Any, Any] | None:
    """(model schema, definitions) of a model, copied, or None if unlike ours."""
    schema: Any = copy.deepcopy(model.__pydantic_core_schema__)
    definitions = None
    if schema["type"] == "definitions":
        definitions = schema["definitions"]
        schema = schema["schema"]
    if (
        schema["type"] != "model"
        or schema["schema"]["type"] != "model-fields"
        or schema.get("custom_init")
        or schema.get("root_model")
        or schema.get("post_init")
    ):
        return None
    return schema, definitions


# pydantic-core reuses a complete model's own validator for any schema naming the class
# (`__pydantic_complete__` in its __dict__), which would drop the changed field schemas:
# the flag is lowered while this one is built (it only selects that reuse), one at a time.
_BUILDING = threading.Lock()


def _validator(model: type[SelectModel], schema: core_schema.CoreSchema) -> SchemaValidator:
    with _BUILDING:
        if not model.__dict__.get("__pydantic_complete__"):
            return SchemaValidator(schema)
        model.__pydantic_complete__ = False
        try:
            return SchemaValidator(schema)
        finally:
            model.__pydantic_complete__ = True


class BatchDecoder:
    """One table's select model, validated a result set at a time."""

    def __init__(
        self,
        model: type[SelectModel],
        names: Sequence[str],
        decoders: Sequence[tuple[int, Callable[[Any], Any]]],
        json_columns: frozenset[str],
        build: Callable[[list[Row]], list[Any] | None] | None = None,
    ) -> None:
        """`build`: a faster way to the same models (`_row_builder`), tried first."""
        self._build = build
        found = model_schema(model)
        if found is None:
            raise TypeError(f"{model.__name__} is not a plain pydantic model")
        schema, definitions = found
        fields = schema["schema"]["fields"]
        memos: dict[Callable[[Any], Any], _Memo] = {}
        for index, decode in decoders:
            name = names[index]
            field = fields[name]
            outer = field["schema"]
            nullable = outer["type"] == "nullable"
            inner = outer["schema"] if nullable else outer
            changed: core_schema.CoreSchema
            if name in json_columns:
                changed = core_schema.json_schema(json_mode(inner, definitions))
            else:
                changed = _decoded(decode, inner, memos)
                if decode in memos:
                    memos[decode].columns.append(index)
            if nullable:
                outer["schema"] = changed
            else:
                field["schema"] = changed
        if fields.keys() >= set(names):
            # The dicts hold the fields' names only (`_dicts_of`): no extra key to look for.
            schema["schema"]["extra_behavior"] = "ignore"
        listed: core_schema.CoreSchema = core_schema.list_schema(schema)
        if definitions is not None:
            listed = core_schema.definitions_schema(listed, definitions)
        self._memos = tuple(memos.values())
        self._validate = _validator(model, listed).validate_python
        self._dicts = _dicts_of(names)
        json_indexes = [i for i, name in enumerate(names) if name in json_columns]
        # The JSON texts of a result set, all columns in one flat list.
        self._json_texts: Callable[[Sequence[Row]], list[Any]] | None = None
        if len(json_indexes) == 1:
            self._json_texts = functools.partial(_column, itemgetter(json_indexes[0]))
        elif json_indexes:
            self._json_texts = functools.partial(_columns, itemgetter(*json_indexes))

    def decode(self, rows: list[Row]) -> list[Any]:
        """The rows as models; raises whatever fails (the caller then goes row by row)."""
        if self._build is not None:
            built = self._build(rows)
            if built is not None:
                return built
        if self._json_texts is not None and maybe_non_finite(self._json_texts(rows)):
            raise _Deferred("a JSON text that may hold NaN or infinity")
        try:
            if len(rows) >= BULK_ROWS:
                for memo in self._memos:
                    memo.fill(rows)
            models: list[Any] = self._validate(self._dicts(rows))
        finally:
            for memo in self._memos:
                memo.clear()
        return models
