"""Writing migrations: diff schema.yaml against the latest snapshot, never guessing renames.

Each migration is a folder NNNN_name/ with up.sql, down.sql and snapshot.json (the
schema after it), listed with its sha256 in journal.json. A reverse that would lose data
(dropping a table or a column, changing a type) is recorded as `down_loses`, which
rollback refuses without --force.
"""

from __future__ import annotations

import re
from pathlib import Path

from libsqlkit._journal import JournalEntry, LossRecord, MigrationKind, append_to_journal
from libsqlkit._migrate import BREAKPOINT, MigrationFolder, files_sha256
from libsqlkit._snapshot import Snapshot

from .diff import Loss, Plan, plan
from .ir import SchemaIR
from .render import HEADER
from .snapshot import snapshot_of

__all__ = [
    "MigrationNameError",
    "new_data_migration",
    "new_migration",
    "pending_change",
    "push_plan",
]

NAME = re.compile(r"[a-z0-9][a-z0-9_]{0,62}")


class MigrationNameError(ValueError):
    pass


def _renames(schema: SchemaIR) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    tables = {t.name: t.renamed_from for t in schema.tables if t.renamed_from}
    columns = {
        (t.name, c.name): c.renamed_from for t in schema.tables for c in t.columns if c.renamed_from
    }
    return tables, columns


def _inverse(schema: SchemaIR) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    tables, columns = _renames(schema)
    back_tables = {old: new for new, old in tables.items()}
    back_columns = {(tables.get(t, t), old): new for (t, new), old in columns.items()}
    # After a table rename is reversed, its columns are looked up under the old table name.
    return back_tables, {
        (back_tables.get(t, t) if t in back_tables.values() else t, c): n
        for (t, c), n in back_columns.items()
    }


def pending_change(folder: Path, schema: SchemaIR) -> tuple[Plan, Plan, Snapshot]:
    """(forward, reverse, new snapshot) from the latest snapshot to schema.yaml."""
    old = MigrationFolder.load(folder).latest_snapshot()
    new = snapshot_of(schema)
    table_renames, column_renames = _renames(schema)
    forward = plan(old, new, table_renames=table_renames, column_renames=column_renames)
    back_tables, back_columns = _inverse(schema)
    reverse = plan(new, old, table_renames=back_tables, column_renames=back_columns)
    return forward, reverse, new


def _sql_file(title: str, statements: list[str]) -> str:
    body = f"\n{BREAKPOINT}\n".join(f"{s};" for s in statements)
    return f"-- {HEADER}\n-- {title}\n{body}\n"


def _write_entry(
    folder: Path, name: str, kind: MigrationKind, files: dict[str, str], loses: tuple[Loss, ...]
) -> Path:
    target = folder / name
    target.mkdir(parents=True)
    for file_name, text in files.items():
        (target / file_name).write_text(text, encoding="utf-8")
    # Generated files must stay as generated; data migrations are written by hand.
    sha256 = files_sha256({n: t.encode() for n, t in files.items()}) if kind == "schema" else None
    records = tuple(LossRecord(loss.kind, loss.table, loss.column) for loss in loses)
    append_to_journal(folder, JournalEntry(name, kind, sha256, records))
    return target


def _next_name(folder: Path, name: str) -> str:
    if not NAME.fullmatch(name):
        raise MigrationNameError(
            f"migration name {name!r} must be lowercase letters, digits and underscores"
        )
    existing = MigrationFolder.load(folder)
    problems = existing.problems()
    if problems:
        raise MigrationNameError(
            "the migrations folder is inconsistent; fix it first:\n  " + "\n  ".join(problems)
        )
    return f"{len(existing.entries):04d}_{name}"


def new_migration(folder: Path, schema: SchemaIR, name: str) -> tuple[Path, Plan] | None:
    """Write the migration from the latest snapshot to schema.yaml; None if nothing changed."""
    forward, reverse, snapshot = pending_change(folder, schema)
    if not forward.statements:
        return None
    full = _next_name(folder, name)
    files = {
        "up.sql": _sql_file(f"{full}: forward", forward.statements),
        "down.sql": _sql_file(f"{full}: reverse", reverse.statements),
        "snapshot.json": snapshot.to_json(),
    }
    return _write_entry(folder, full, "schema", files, tuple(reverse.losses)), forward


def new_data_migration(folder: Path, name: str, *, python: bool) -> Path:
    """Scaffold a data migration (never generated from a diff): fill in up and down."""
    full = _next_name(folder, name)
    if python:
        files = {
            "migration.py": (
                f'"""Data migration {full}: runs in one transaction with the schema migrations."""\n\n'
                "from libsqlkit import Database\n\n\n"
                "def up(db: Database) -> None:\n"
                '    raise NotImplementedError("write the data change")\n\n\n'
                "def down(db: Database) -> None:\n"
                '    raise NotImplementedError("write its reverse")\n'
            )
        }
    else:
        files = {
            "up.sql": f"-- Data migration {full}: statements separated by lines '{BREAKPOINT}'\n",
            "down.sql": f"-- Reverse of {full}\n",
        }
    return _write_entry(folder, full, "data", files, ())


def push_plan(live: Snapshot, schema: SchemaIR) -> Plan:
    """SQL from a live database's schema straight to schema.yaml (development only)."""
    table_renames, column_renames = _renames(schema)
    return plan(
        live, snapshot_of(schema), table_renames=table_renames, column_renames=column_renames
    )
