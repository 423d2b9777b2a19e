"""One live column as a schema.yaml column: type, mode, enum, default, keys.

Every choice is either exact (the generated DDL gives the database's own facts back) or
written down: a `guess` (a mode read from names or values, commented in the YAML and
printed) or a `note` (something schema.yaml writes differently from the database).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from libsqlkit import dump_json
from libsqlkit._snapshot import ColumnFacts, significant, sql_tokens, unquoted

from .pull_read import SAMPLE_ROWS, ColumnSample
from .sqltext import expression_problem, literal

__all__ = ["ColumnDraft", "draft_column", "enum_of_check", "sql_type_of"]

PLAIN_TYPES = ("text", "integer", "real", "blob", "numeric")
# Milliseconds since 1970 pass this in March 1973; seconds only in the year 5138.
MILLISECONDS_FROM = 10**11
_TIMESTAMP_NAME = re.compile(r"(^|_)(at|date|time|timestamp)$")
_BOOLEAN_NAME = re.compile(
    r"^(is|has|can|should|was|allow|allows)_|(^|_)(enabled|disabled|active|archived|deleted|visible|verified)$"
)
_INTEGER = re.compile(r"[-+]?\d+")
_FLOAT = re.compile(r"[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?")


@dataclass
class ColumnDraft:
    spec: dict[str, Any]
    readings: list[str] = field(default_factory=list)  # modes read from clear evidence
    guesses: list[str] = field(default_factory=list)  # modes guessed from names or values
    notes: list[str] = field(default_factory=list)  # where schema.yaml differs


def affinity(declared: str) -> str:
    """SQLite's column affinity of a declared type (datatype3.html, section 3.1)."""
    if "int" in declared:
        return "integer"
    if any(part in declared for part in ("char", "clob", "text")):
        return "text"
    if "blob" in declared or not declared:
        return "blob"
    if any(part in declared for part in ("real", "floa", "doub")):
        return "real"
    return "numeric"


def _timestamp_mode(sample: ColumnSample) -> str:
    largest = max(abs(sample.smallest or 0), abs(sample.largest or 0))
    return "timestamp_ms" if largest >= MILLISECONDS_FROM else "timestamp"


def _only_integers(sample: ColumnSample) -> bool:
    return sample.values == sample.integers


def _seen(sample: ColumnSample, what: str) -> str:
    if sample.values == 0:
        return "no values to check"
    counted = "1 value" if sample.values == 1 else f"{sample.values} values"
    return f"{counted} (of the first {SAMPLE_ROWS:,} rows) read, all {what}"


def sql_type_of(column: ColumnFacts, sample: ColumnSample) -> tuple[str, str | None, str | None]:
    """(schema.yaml type, mode, why the mode) from the declared type and, for the
    declared types that say more than their affinity (boolean, datetime, json), the values."""
    declared = column.type
    if declared in PLAIN_TYPES:
        return declared, None, None
    if declared in ("boolean", "bool") and sample.values == sample.zeros_and_ones:
        return "integer", "boolean", f"declared {declared}"
    if declared in ("timestamp", "datetime", "date", "time") and _only_integers(sample):
        mode = _timestamp_mode(sample)
        return "integer", mode, f"declared {declared}; {_seen(sample, 'whole numbers')}"
    if declared in ("json", "jsonb") and sample.values == sample.json_texts:
        return "text", "json", f"declared {declared}"
    return affinity(declared), None, None


def _sql_type_note(column: ColumnFacts, sql_type: str) -> str | None:
    if column.type == sql_type:
        return None
    shown = column.type.upper() or "no type"
    same = affinity(column.type) == affinity(sql_type)
    return f"declared type {shown} is written as {sql_type}" + (
        " (the same affinity)"
        if same
        else f" (affinity {affinity(column.type)} becomes {sql_type})"
    )


def _mode_from_convention(
    column: ColumnFacts, sql_type: str, sample: ColumnSample
) -> tuple[str | None, str | None, bool]:
    """(mode, evidence, guessed) for a column declared with a plain type: Drizzle's modes
    leave no trace in the DDL but in defaults (`DEFAULT true`, `DEFAULT (unixepoch())`),
    names and values."""
    default = (column.default or "").strip().lower()
    if sql_type == "integer" and not column.primary_key:
        if default in ("true", "false") and sample.values == sample.zeros_and_ones:
            return "boolean", f"its default is {default}, as Drizzle writes booleans", False
        if "unixepoch" in default and _only_integers(sample):
            mode = "timestamp_ms" if "1000" in default else "timestamp"
            return mode, f"its default {column.default} is the current time", False
        # A name is evidence only where the default (if any) is a number too: a
        # `DEFAULT CURRENT_TIMESTAMP` column holds text, whatever its name.
        numeric_default = not default or _INTEGER.fullmatch(default) is not None
        if (
            _BOOLEAN_NAME.search(column.name)
            and sample.values == sample.zeros_and_ones
            and default in ("", "0", "1")
        ):
            return "boolean", f"named like a flag; {_seen(sample, '0 or 1')}", True
        if _TIMESTAMP_NAME.search(column.name) and _only_integers(sample) and numeric_default:
            mode = _timestamp_mode(sample)
            unit = "milliseconds" if mode == "timestamp_ms" else "seconds"
            return mode, f"named like a time; {_seen(sample, f'whole {unit} since 1970')}", True
    if sql_type == "text" and column.enum is None:
        if default[:2] in ("'{", "'[") and _json_literal(column.default or "") is not None:
            return "json", "its default is a JSON object or array", False
        if sample.values and sample.values == sample.json_texts:
            return "json", _seen(sample, "JSON objects or arrays"), True
    if sql_type == "blob" and sample.values:
        if sample.values == sample.json_blobs:
            return "json", _seen(sample, "JSON objects or arrays"), True
        if sample.values == sample.digit_blobs:
            return "bigint", _seen(sample, "decimal digits, as Drizzle stores bigints"), True
    return None, None, False


def _json_literal(text: str) -> Any:
    value = _sql_literal(text)
    if not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _sql_literal(text: str) -> Any:
    """The value of an SQL literal (text, number, true/false); None for anything else."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'" and "'" not in text[1:-1].replace("''", ""):
        return text[1:-1].replace("''", "'")
    if _INTEGER.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) else None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return None


# The Python types of the literal defaults schema.yaml takes, by (type, mode).
_LITERAL_TYPES: dict[tuple[str, str | None], tuple[type, ...]] = {
    ("text", None): (str,),
    ("integer", None): (int,),
    ("integer", "boolean"): (bool,),
    ("real", None): (int, float),
    ("numeric", None): (str,),
    ("numeric", "number"): (int, float),
    ("numeric", "bigint"): (int,),
    ("blob", "bigint"): (int,),
}


def _default(
    column: ColumnFacts, sql_type: str, mode: str | None, enum: tuple[str, ...] | None
) -> tuple[str, Any] | None:
    """("default", value) when the literal renders back to the same DDL text, else
    ("default_sql", the database's own text), which always does."""
    text = column.default
    if text is None:
        return None
    value = _json_literal(text) if mode == "json" else _sql_literal(text)
    fits = _LITERAL_TYPES.get((sql_type, mode), ())
    if mode == "json" and value is not None:
        if literal(dump_json(value)) == text:
            return "default", value
    elif (
        isinstance(value, fits)
        and isinstance(value, bool) == (bool in fits)
        and (enum is None or value in enum)
        and literal(value) == text
    ):
        return "default", value
    return "default_sql", text


def enum_of_check(expression: str) -> tuple[str, tuple[str, ...]] | None:
    """(column, members) when a CHECK is `column IN ('a', 'b', ...)`, else None."""
    tokens = [t for t in sql_tokens(expression) if significant(t)]
    while len(tokens) > 2 and tokens[0] == "(" and tokens[-1] == ")":
        tokens = tokens[1:-1]
    if len(tokens) < 5 or tokens[1].upper() != "IN" or tokens[2] != "(" or tokens[-1] != ")":
        return None
    column = unquoted(tokens[0])
    members = tokens[3:-1]
    values = members[0::2]
    if column is None or any(sep != "," for sep in members[1::2]) or len(members) % 2 == 0:
        return None
    if not all(v[:1] == v[-1:] == "'" and len(v) >= 2 for v in values):
        return None
    decoded = tuple(v[1:-1].replace("''", "'") for v in values)
    if len(set(decoded)) != len(decoded) or any("\x00" in v for v in decoded):
        return None
    return column, decoded


def draft_column(
    column: ColumnFacts,
    sample: ColumnSample,
    enum: tuple[str, ...] | None,
    *,
    in_composite_key: bool = False,
) -> ColumnDraft:
    """The column's schema.yaml entry; `enum` is the column's enum CHECK, if any, named
    as this layer names it (`column.enum`) or otherwise (then noted by the caller). A
    column of a composite key is a plain column here: the table lists its key."""
    sql_type, mode, evidence = sql_type_of(column, sample)
    draft = ColumnDraft({"type": sql_type})
    note = _sql_type_note(column, sql_type)
    if note:
        draft.notes.append(note)
    guessed = False
    if mode is None and column.type in PLAIN_TYPES:
        mode, evidence, guessed = _mode_from_convention(column, sql_type, sample)
    if mode is not None:
        draft.spec["mode"] = mode
        (draft.guesses if guessed else draft.readings).append(f"mode {mode}: {evidence}")
    if enum is not None and sql_type == "text" and mode is None:
        draft.spec["enum"] = list(enum)
    else:
        enum = None
    if in_composite_key:
        if not column.not_null:
            draft.notes.append(
                "it is in the primary key but not declared NOT NULL; schema.yaml's key columns are"
            )
    elif column.primary_key:
        draft.spec["primary_key"] = True
        if column.autoincrement and sql_type == "integer" and mode is None:
            draft.spec["autoincrement"] = True
        if not column.not_null:
            draft.notes.append(
                "its primary key is not declared NOT NULL; schema.yaml's primary keys are"
            )
        if (
            sql_type == "text"
            and mode is None
            and enum is None
            and sample.values == sample.uuids > 0
        ):
            draft.spec["client_default"] = "uuid4"
            draft.guesses.append(
                f"client_default uuid4: {_seen(sample, 'UUIDs')}, as Drizzle's "
                "$defaultFn(() => crypto.randomUUID()) makes them"
            )
    elif column.not_null:
        draft.spec["not_null"] = True
    if column.unique:
        draft.spec["unique"] = True
    if column.generated is not None:
        draft.spec["generated"] = {
            "as": column.generated,
            "mode": "stored" if column.stored else "virtual",
        }
    default = _default(column, sql_type, mode, enum)
    if default is not None:
        key, value = default
        if key == "default_sql" and expression_problem(value, columns={}, kind="default_sql"):
            draft.notes.append(f"its default {value} is not a constant expression; left out")
        else:
            draft.spec[key] = value
    return draft
