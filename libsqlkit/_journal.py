"""migrations/journal.json, the one owner of its format: the runtime reads it to migrate
and roll back, the code generator appends to it when it writes a migration.

It lists the migrations in order: each with its kind, the sha256 of its generated files
(None for a hand-written data migration) and what running its reverse may destroy
(`down_loses`), which rollback refuses without --force.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

__all__ = [
    "JOURNAL",
    "JournalEntry",
    "JournalError",
    "LossKind",
    "LossRecord",
    "MigrationKind",
    "append_to_journal",
    "read_journal",
]

JOURNAL = "journal.json"
VERSION = 1
LossKind = Literal["table", "column", "type"]
MigrationKind = Literal["schema", "data"]


class JournalError(ValueError):
    """The file is not a migrations journal; the message says where it is wrong."""


@dataclass(frozen=True)
class LossRecord:
    """What a reverse may destroy: a table's rows, a column's values, or values that no
    longer fit a changed column type (`column` is None for a table)."""

    kind: LossKind
    table: str
    column: str | None = None


@dataclass(frozen=True)
class JournalEntry:
    name: str
    kind: MigrationKind
    sha256: str | None
    down_loses: tuple[LossRecord, ...] = ()


def read_journal(folder: Path) -> list[JournalEntry] | None:
    """The entries of `folder`'s journal, in order; None when it has no journal."""
    path = folder / JOURNAL
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        raise JournalError(f"{type(error).__name__}: {error}") from None
    migrations = _field(data, "migrations", list, "the journal")
    return [_entry(raw, f"migrations[{number}]") for number, raw in enumerate(migrations)]


def append_to_journal(folder: Path, entry: JournalEntry) -> None:
    """Add `entry` at the end of `folder`'s journal (created when missing)."""
    entries = read_journal(folder) or []
    document = {"version": VERSION, "migrations": [_json(e) for e in [*entries, entry]]}
    (folder / JOURNAL).write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _entry(raw: object, where: str) -> JournalEntry:
    name = _field(raw, "name", str, where)
    where = f"{where} ({name})"
    kind = _field(raw, "kind", str, where)
    if kind not in get_args(MigrationKind):
        raise JournalError(f"{where}: kind {kind!r} is not schema or data")
    sha256 = _field(raw, "sha256", (str, type(None)), where)
    loses = _field(raw, "down_loses", list, where, default=[])
    return JournalEntry(
        name,
        kind,
        sha256,
        tuple(_loss(loss, f"{where}: down_loses[{i}]") for i, loss in enumerate(loses)),
    )


def _loss(raw: object, where: str) -> LossRecord:
    kind = _field(raw, "kind", str, where)
    if kind not in get_args(LossKind):
        raise JournalError(f"{where}: kind {kind!r} is not table, column or type")
    column = _field(raw, "column", (str, type(None)), where, default=None)
    return LossRecord(kind, _field(raw, "table", str, where), column)


def _field(
    raw: object, key: str, kinds: type | tuple[type, ...], where: str, **default: Any
) -> Any:
    """`raw[key]` when `raw` is an object and the value has one of `kinds`."""
    if not isinstance(raw, dict):
        raise JournalError(f"{where} is {type(raw).__name__}, not an object")
    if key not in raw:
        if "default" in default:
            return default["default"]
        raise JournalError(f"{where} has no {key!r}")
    value = raw[key]
    if not isinstance(value, kinds):
        raise JournalError(f"{where}: {key} is {type(value).__name__}")
    return value


def _json(entry: JournalEntry) -> dict[str, object]:
    return {
        "name": entry.name,
        "kind": entry.kind,
        "sha256": entry.sha256,
        "down_loses": [
            {"kind": loss.kind, "table": loss.table, "column": loss.column}
            for loss in entry.down_loses
        ],
    }
