"""Rows as select models with each value checked in C (`_rowbuild.c`), where a column's
check can be the whole of what its field accepts.

pydantic-core spends about 1 µs per row building a model from a dict: for a 100-row read
that is more than SQLite takes to produce the rows. Most columns need no more than one
test of the stored value: a text column's field takes an exact str as it is, an integer
column's an exact int, an enum's a str among its values. Such a test is a column's kind,
chosen here from the field's own core schema, only where the schema has nothing else to
say (no constraint, no strictness, no alias, no validator, a plain model config). Then:

- a timestamp is made in C from 1970 to 9998 as the codec makes it (outside, by the
  codec), and its datetime field must be one the codec's aware UTC datetime always passes;
- a JSON column's text is parsed by pydantic-core's JSON reader, as the field's own JSON
  schema parses it (the field must take any JSON value, `JsonValue`), and the result is
  checked for NaN and infinity, which that field refuses from Python;
- the instance is made as pydantic-core makes it: `__dict__` in field order, every field
  set, no extra, no private attributes.

Any value that fails its kind makes the build return None, and the result set is
validated by pydantic-core (`_batch_decode`) as before, which converts it, refuses it, or
names it. Without the compiled module (no compiler at install time), every read takes that
path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import from_json

from libsqlkit._batch_decode import Row, json_mode, model_schema, plain_datetime
from libsqlkit._codecs import BOOLEAN, TIMESTAMP, TIMESTAMP_MS

try:
    from libsqlkit import _rowbuild
except ImportError:  # installed without a C compiler: pydantic-core validates every read
    _rowbuild = None  # type: ignore[assignment]

__all__ = ["COMPILED", "RowBuilder", "row_builder"]

COMPILED = _rowbuild is not None
# One table's rows as its select model, or None when a value needs pydantic-core's judgement.
RowBuilder = Callable[[list[Row]], list[Any] | None]
# A timestamp codec's kind: its datetimes from 1970 to 9998 are made in C.
_TIMESTAMP_KINDS = {TIMESTAMP.decode: b"t", TIMESTAMP_MS.decode: b"m"}
_PLAIN_KINDS = {"str": b"s", "int": b"i", "bool": b"b"}
# Keys of a schema, field or config that change nothing a kind's value would validate to.
_NEUTRAL = frozenset({"type", "metadata", "ref"})
_FIELD_KEYS = frozenset({"type", "schema", "metadata"})
_CONFIG_KEYS = frozenset({"title", "extra_fields_behavior", "allow_inf_nan"})
_MODEL_KEYS = frozenset(
    {"type", "cls", "schema", "config", "ref", "metadata", "custom_init", "root_model"}
)
# What pydantic-core sets on each instance it makes.
_INSTANCE_PARTS = (
    "__dict__",
    "__pydantic_fields_set__",
    "__pydantic_extra__",
    "__pydantic_private__",
)
_FIELDS_KEYS = frozenset({"type", "fields", "model_name", "computed_fields", "extra_behavior"})


def _kind(schema: dict[str, Any]) -> tuple[bytes, Any] | None:
    """A field's kind and its lookup (a Literal's values), None if it has no kind."""
    kind = _PLAIN_KINDS.get(schema["type"])
    if kind is not None and schema.keys() <= _NEUTRAL:
        return kind, None
    if (
        schema["type"] == "literal"
        and schema.keys() <= _NEUTRAL | {"expected"}
        and all(type(value) is str for value in schema["expected"])
    ):
        return b"e", frozenset(schema["expected"])
    return None


def _column_kind(
    schema: dict[str, Any],
    is_json: bool,
    decode: Callable[[Any], Any] | None,
    definitions: list[Any] | None,
) -> tuple[bytes, Any, Any] | None:
    """(kind, lookup, decoder) of one column's field schema and codec, or None."""
    nullable = schema["type"] == "nullable"
    if nullable and not schema.keys() <= _NEUTRAL | {"schema"}:
        return None
    inner = schema["schema"] if nullable else schema
    found: tuple[bytes, Any, Any] | None = None
    if is_json:
        mode = json_mode(inner, definitions)
        if mode["type"] == "any" and mode.keys() <= _NEUTRAL:
            found = b"j", None, from_json
    elif decode in _TIMESTAMP_KINDS:
        if plain_datetime(inner):
            found = _TIMESTAMP_KINDS[decode], None, decode
    elif decode is None or decode is BOOLEAN.decode:
        kind = _kind(inner)
        # The boolean codec's 1 or 0 is the `b` kind's; a bool field on another codec
        # would take more than 1 or 0 (pydantic's lax bool), as would a codec on another field.
        if kind is not None and (kind[0] == b"b") == (decode is BOOLEAN.decode):
            found = kind[0], kind[1], None
    if found is None:
        return None
    kind_letter, lookup, decoder = found
    return (kind_letter.upper() if nullable else kind_letter), lookup, decoder


def _made_as_pydantic_makes_it(model: type[Any]) -> bool:
    """Whether an instance of the model is made by object.__new__ and filled through
    BaseModel's own `__dict__` and slots: no `__new__` of its own, no metaclass of its
    own, no class attribute in their place (the C side then sets them as pydantic does)."""
    return (
        type(model) is type(BaseModel)
        and model.__new__ is object.__new__
        and all(
            next(owner for owner in model.__mro__ if name in vars(owner)) is BaseModel
            for name in _INSTANCE_PARTS
        )
    )


def row_builder(
    model: type[Any],
    names: Sequence[str],
    decoders: Sequence[tuple[int, Callable[[Any], Any]]],
    json_columns: frozenset[str],
) -> RowBuilder | None:
    """A builder of a table's rows (its column names and codec decodes by index, as
    `BatchDecoder` takes them, and its columns of JSON stored as text) as a model, or None
    where a column has no kind."""
    found = model_schema(model) if COMPILED else None
    if found is None:
        return None
    schema, definitions = found
    fields_schema = schema["schema"]
    config = schema.get("config") or {}
    fields: dict[str, Any] = fields_schema["fields"]
    if (
        not schema.keys() <= _MODEL_KEYS
        or schema.get("cls") is not model
        or not fields_schema.keys() <= _FIELDS_KEYS
        or fields_schema.get("extra_behavior") == "allow"
        or not config.keys() <= _CONFIG_KEYS
        or config.get("extra_fields_behavior") == "allow"
        or not _made_as_pydantic_makes_it(model)
        or tuple(fields) != tuple(names)
    ):
        return None
    decode_at = dict(decoders)
    kinds = bytearray()
    lookups: list[Any] = []
    column_decoders: list[Any] = []
    for index, name in enumerate(names):
        field = fields[name]
        if not field.keys() <= _FIELD_KEYS:
            return None
        kind = _column_kind(
            field["schema"], name in json_columns, decode_at.get(index), definitions
        )
        if kind is None:
            return None
        kinds += kind[0]
        lookups.append(kind[1])
        column_decoders.append(kind[2])
    return functools.partial(
        _rowbuild.build,
        model,
        tuple(names),
        bytes(kinds),
        tuple(lookups),
        tuple(column_decoders),
    )
