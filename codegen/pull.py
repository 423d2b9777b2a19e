"""`pull`: an existing database's schema written as schema.yaml, with a baseline migration.

Nothing is written to the database: pull reads its schema (the facts migrations compare)
and a sample of values. The schema.yaml it writes is built so that the generated DDL
gives the same facts back; wherever schema.yaml cannot say what the database has, the
file and the report say so (a `note`), and whatever it cannot hold at all (triggers,
virtual tables, tables without a primary key, indexes on expressions, views it cannot
read or whose CREATE VIEW names their columns) is listed, never dropped silently.
Composite keys, foreign keys of several columns, generated columns and SQL views are
written as schema.yaml has them. Modes (timestamps, booleans, JSON) leave no trace in SQLite's DDL: they are
read from declared types and Drizzle's defaults, or guessed from names and values, and
every guess is commented.

When the facts agree, the first migration is written from the pulled schema: its
snapshot equals the live database, so `libsqlkit migrate` records it as
applied without running it (a baseline).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from libsqlkit import Database, Schema, connect
from libsqlkit._changelog import trigger_names, unique_clash_policy
from libsqlkit._migrate import MigrationFolder, describe_differences
from libsqlkit._naming import enum_check_name, unique_index_name
from libsqlkit._snapshot import (
    ColumnFacts,
    ForeignKeyFacts,
    Snapshot,
    TableFacts,
)
from libsqlkit._url import file_path, url_scheme

from .ir import SchemaIR
from .migrations import new_migration
from .problems import SchemaError
from .pull_columns import ColumnDraft, draft_column, enum_of_check
from .pull_read import LiveDatabase, read_database
from .pull_views import ViewDraft, draft_view
from .snapshot import snapshot_of
from .source import load_source
from .sqltext import expression_problem, identifier_problem
from .validate import build_schema

__all__ = ["PullError", "Pulled", "open_database", "pull", "pulled_schema"]

BASELINE = "baseline"


class PullError(Exception):
    """Pull cannot start (a file it would overwrite, an empty database); nothing written."""


@dataclass
class Pulled:
    text: str  # the schema.yaml
    schema: SchemaIR
    guesses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # written differently from the database
    left_out: list[str] = field(default_factory=list)  # not in schema.yaml at all
    differences: list[str] = field(default_factory=list)  # facts that differ: no baseline


@dataclass
class _Table:
    name: str
    columns: dict[str, ColumnDraft]
    indexes: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    sync: bool = False
    on_unique_clash: str = "fail"
    notes: list[str] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)  # a composite key's columns
    foreign_keys: list[dict[str, Any]] = field(default_factory=list)  # of several columns


class _Names:
    """Names of tables and indexes (one namespace in SQLite), so renamed ones stay unique."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)

    def fresh(self, wanted: str) -> str:
        name, n = wanted[:63], 2
        while name in self.taken or identifier_problem(name, "name"):
            name = f"{wanted[:58]}_{n}"
            n += 1
        self.taken.add(name)
        return name


def _plain_name(name: str) -> str:
    """A lowercase SQL name close to `name`."""
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", name.lower())).strip("_") or "unnamed"


def _why_left_out(table: TableFacts, live: LiveDatabase) -> str | None:
    kind = live.kinds.get(table.name, "table")
    if kind == "virtual":
        sql = table.ddl[0] if table.ddl else ""
        return f"virtual table {table.name} ({sql}): schema.yaml has no virtual tables"
    if kind == "shadow":
        return f"table {table.name}: kept by a virtual table for its own use"
    problem = identifier_problem(table.name, "table name")
    if problem:
        return f"table {table.name}: {problem}"
    if not any(c.primary_key for c in table.columns):
        return f"table {table.name}: it has no primary key; schema.yaml needs one"
    for column in table.columns:
        problem = identifier_problem(column.name, "column name", python_name=True)
        if problem:
            return f"table {table.name}: {problem}"
        if column.name in live.generated.get(table.name, ()) and column.generated is None:
            return (
                f"table {table.name}: the expression of its generated column {column.name} "
                "cannot be read from its CREATE TABLE"
            )
    return None


def _enums_from_checks(
    table: TableFacts, drafts: dict[str, ColumnDraft]
) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """column -> (check name, expression, members) for the CHECKs `column IN (...)` that
    are not named as this layer names enum CHECKs, on plain text columns."""
    found: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for name, expression in table.checks:
        parsed = enum_of_check(expression)
        if parsed is None:
            continue
        column, members = parsed
        draft = drafts.get(column)
        if (
            draft is not None
            and column not in found
            and draft.spec["type"] == "text"
            and "mode" not in draft.spec
            and "enum" not in draft.spec
        ):
            found[column] = (name, expression, members)
    return found


def _draft_indexes(
    table: TableFacts, draft: _Table, types: dict[str, str], names: _Names, left_out: list[str]
) -> None:
    for index in table.indexes:
        if any(c is None for c in index.columns):
            left_out.append(f"index {index.name} on {table.name}: it indexes expressions")
            continue
        if index.where and expression_problem(index.where, columns=types, kind="index where"):
            left_out.append(
                f"index {index.name} on {table.name}: its WHERE is not a plain expression"
            )
            continue
        columns = list(index.columns)
        automatic = index.name.startswith("sqlite_autoindex_")  # a UNIQUE constraint's
        if automatic and len(columns) == 1:
            draft.columns[columns[0]].spec["unique"] = True
            draft.columns[columns[0]].notes.append(
                f"its UNIQUE constraint is written as the unique index {unique_index_name(table.name, columns[0])}"
            )
            continue
        name = index.name
        if automatic or identifier_problem(name, "index name"):
            wanted = unique_index_name(table.name, *columns) if automatic else _plain_name(name)
            name = names.fresh(wanted)
            what = "its UNIQUE constraint" if automatic else f"index {index.name}"
            draft.notes.append(f"{what} is written as the index {name}")
        entry: dict[str, Any] = {"columns": columns}
        if index.unique:
            entry["unique"] = True
        if index.where:
            entry["where"] = index.where
        draft.indexes[name] = entry


def _draft_checks(
    table: TableFacts, draft: _Table, types: dict[str, str], left_out: list[str]
) -> None:
    for check_name, expression in table.checks:
        shown = check_name or "(unnamed)"
        problem = expression_problem(expression, columns=types, kind="check")
        if problem:
            left_out.append(f"CHECK {shown} on {table.name}: {problem}")
            continue
        name = check_name
        if not name or identifier_problem(name, "check name") or name in draft.checks:
            base = _plain_name(check_name) if check_name else f"{table.name}_check"
            name, n = base, 2
            while name in draft.checks or identifier_problem(name, "check name"):
                name, n = f"{base}_{n}", n + 1
            draft.notes.append(f"CHECK {shown} is written as {name}")
        draft.checks[name] = expression


def _draft_table(
    table: TableFacts, live: LiveDatabase, names: _Names, left_out: list[str]
) -> _Table:
    samples = {c.name: live.samples[table.name, c.name] for c in table.columns}
    in_key = set(table.composite_key)
    draft = _Table(
        table.name,
        {
            c.name: draft_column(c, samples[c.name], c.enum, in_composite_key=c.name in in_key)
            for c in table.columns
        },
        primary_key=list(table.composite_key),
    )
    as_enums = _enums_from_checks(table, draft.columns)
    for column in table.columns:
        if column.name in as_enums:
            check, _, members = as_enums[column.name]
            draft.columns[column.name] = draft_column(
                column, samples[column.name], members, in_composite_key=column.name in in_key
            )
            draft.columns[column.name].notes.append(
                f"its CHECK {check or '(unnamed)'} is read as an enum; schema.yaml names that "
                f"CHECK {enum_check_name(table.name, column.name)}"
            )
    types = {name: d.spec["type"] for name, d in draft.columns.items()}
    _draft_indexes(table, draft, types, names, left_out)
    enum_checks = {(name, expression) for name, expression, _ in as_enums.values()}
    _draft_checks(
        replace(table, checks=tuple(c for c in table.checks if c not in enum_checks)),
        draft,
        types,
        left_out,
    )
    tracked = {t for t, _ in table.triggers}
    keys = [c.name for c in table.columns if c.primary_key]
    if tracked == set(trigger_names(table.name)) and len(keys) == 1 and types[keys[0]] == "text":
        draft.sync = True
        insert = dict(table.triggers)[trigger_names(table.name)[0]]
        draft.on_unique_clash = unique_clash_policy(insert)
    else:
        left_out += [f"trigger {t} on {table.name}" for t in sorted(tracked)]
    for option, tables in (("STRICT", live.strict), ("WITHOUT ROWID", live.without_rowid)):
        if table.name in tables:
            draft.notes.append(f"the table is {option}; schema.yaml's tables are not")
    return draft


def _is_key(table: TableFacts, columns: tuple[str, ...]) -> bool:
    """Whether `columns` are the table's primary key, or a unique index without WHERE on
    exactly them: what a foreign key may reference."""
    wanted = set(columns)
    key = set(table.composite_key) or {c.name for c in table.columns if c.primary_key}
    if wanted == key:
        return True
    if len(columns) == 1 and table.has(columns[0]) and table.column(columns[0]).unique:
        return True
    return any(
        i.unique
        and i.where is None
        and set(i.columns) == wanted
        and all(c is not None for c in i.columns)
        for i in table.indexes
    )


def _reference_problem(
    drafts: dict[str, _Table],
    kept: dict[str, TableFacts],
    table: str,
    columns: tuple[str, ...],
    target_name: str,
    targets: tuple[str, ...],
) -> str | None:
    """Why schema.yaml cannot write this foreign key, if it cannot."""
    target = kept.get(target_name)
    if target is None:
        return f"{target_name} is not in schema.yaml"
    missing = [c for c in targets if not target.has(c)]
    if missing:
        return f"{target_name} has no column {missing[0]}"
    if not _is_key(target, targets):
        return (
            "the columns it references are not a key"
            if len(targets) > 1
            else ("the column it references is not a key")
        )
    for mine, theirs in zip(columns, targets, strict=True):
        if (
            drafts[target_name].columns[theirs].spec["type"]
            != drafts[table].columns[mine].spec["type"]
        ):
            return (
                "the two columns have different types"
                if len(targets) == 1
                else (f"{mine} and {target_name}.{theirs} have different types")
            )
    return None


def _actions(key: Any) -> dict[str, str]:
    return {
        action: getattr(key, action)
        for action in ("on_delete", "on_update")
        if getattr(key, action) != "no action"
    }


def _references(
    table: TableFacts, drafts: dict[str, _Table], kept: dict[str, TableFacts], left_out: list[str]
) -> None:
    """Each foreign key, one column's (`references:`) or several (`foreign_keys:`), when
    schema.yaml can reference its target."""
    draft = drafts[table.name]
    for column in table.columns:
        ref = column.references
        if ref is None:
            continue
        shown = f"foreign key {table.name}.{column.name} -> {ref.table}({ref.column or ''})"
        target = kept.get(ref.table)
        target_key = [c.name for c in target.columns if c.primary_key] if target else []
        if ref.column is None and len(target_key) > 1:
            left_out.append(
                f"{shown}: one column cannot reference the composite key of {ref.table}"
            )
            continue
        target_column = ref.column or (target_key[0] if target_key else "")
        problem = _reference_problem(
            drafts, kept, table.name, (column.name,), ref.table, (target_column,)
        )
        if problem:
            left_out.append(f"{shown}: {problem}")
            continue
        if ref.column is None:
            draft.columns[column.name].notes.append(
                f"its foreign key names the key it references: {target_column}"
            )
        entry: dict[str, Any] = {"table": ref.table, "column": target_column, **_actions(ref)}
        draft.columns[column.name].spec["references"] = entry
    for key in table.foreign_keys:
        _composite_reference(table.name, key, drafts, kept, left_out)


def _composite_reference(
    table: str,
    key: ForeignKeyFacts,
    drafts: dict[str, _Table],
    kept: dict[str, TableFacts],
    left_out: list[str],
) -> None:
    """A foreign key of several columns, as a `foreign_keys:` entry of its table."""
    named = all(key.references)  # `REFERENCES parent` alone: its primary key
    pointing = f"({', '.join(key.columns)}) -> {key.table}"
    if named:
        pointing += f"({', '.join(key.references)})"
    shown = f"foreign key {pointing} of {table}"
    targets = key.references
    target = kept.get(key.table)
    if not named and target is not None:
        targets = target.composite_key
        if len(targets) != len(key.columns):
            left_out.append(f"{shown}: {key.table} has no key of {len(key.columns)} columns")
            return
    problem = _reference_problem(drafts, kept, table, key.columns, key.table, targets)
    if problem:
        left_out.append(f"{shown}: {problem}")
        return
    if not named:
        drafts[table].notes.append(
            f"its foreign key {pointing} names the key it references: ({', '.join(targets)})"
        )
    drafts[table].foreign_keys.append(
        {
            "columns": list(key.columns),
            "table": key.table,
            "references": list(targets),
            **_actions(key),
        }
    )


def _flow_list(values: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _flow(mapping: dict[str, Any]) -> CommentedMap:
    node = CommentedMap()
    for key, value in mapping.items():
        if isinstance(value, dict):
            node[key] = _flow(value)
        elif isinstance(value, list):
            node[key] = _flow_list(value)
        else:
            node[key] = value
    node.fa.set_flow_style()
    return node


def _columns(drafts: dict[str, ColumnDraft]) -> CommentedMap:
    columns = CommentedMap()
    for name, draft in drafts.items():
        columns[name] = _flow(draft.spec)
        lines = [f"guessed: {g}" for g in draft.guesses]
        lines += [f"read as {r}" for r in draft.readings]
        lines += [f"note: {n}" for n in draft.notes]
        if lines:
            columns.yaml_set_comment_before_after_key(name, before="\n".join(lines), indent=6)
    return columns


def _yaml(
    label: str,
    tables: list[_Table],
    views: list[ViewDraft],
    sync_metadata: str | None,
    left_out: list[str],
) -> str:
    document = CommentedMap()
    document["version"] = 1
    if sync_metadata is not None:
        document["sync_metadata"] = sync_metadata
    document["tables"] = CommentedMap()
    for table in tables:
        node = CommentedMap()
        if table.primary_key:
            node["primary_key"] = _flow_list(table.primary_key)
        node["columns"] = _columns(table.columns)
        if table.foreign_keys:
            node["foreign_keys"] = [_flow(key) for key in table.foreign_keys]
        if table.indexes:
            node["indexes"] = CommentedMap((n, _flow(i)) for n, i in table.indexes.items())
        if table.checks:
            node["checks"] = CommentedMap(table.checks)
        if table.sync:
            node["sync"] = True
        if table.on_unique_clash != "fail":
            node["on_unique_clash"] = table.on_unique_clash
        document["tables"][table.name] = node
        if table.notes:
            document["tables"].yaml_set_comment_before_after_key(
                table.name, before="\n".join(f"note: {n}" for n in table.notes), indent=2
            )
    if views:
        document["views"] = CommentedMap()
        for view in views:
            document["views"][view.name] = CommentedMap(
                sql=view.select, columns=_columns(view.columns)
            )
            if view.notes:
                document["views"].yaml_set_comment_before_after_key(
                    view.name, before="\n".join(f"note: {n}" for n in view.notes), indent=2
                )
    header = [
        f"Pulled from {label} by `libsqlkit pull`. Review the comments:",
        "  guessed: a mode read from a column's name or values, not from the database's DDL",
        "  note: where this file says something differently from the database",
        "Give tables a model name, queries, soft_delete as you need (README, schema.yaml).",
    ]
    if left_out:
        header.append("Not in this file (schema.yaml cannot describe them):")
        header += [f"  - {item}" for item in left_out]
    document.yaml_set_start_comment("\n".join(header))
    out = StringIO()
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.dump(document, out)
    return out.getvalue()


def _validated(text: str, file_name: str) -> tuple[SchemaIR | None, SchemaError | None, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / file_name
        path.write_text(text, encoding="utf-8")
        source = load_source(path)
        try:
            return build_schema(source), None, source.document
        except SchemaError as error:
            return None, error, source.located


def _owners(error: SchemaError, document: CommentedMap) -> dict[str | None, str]:
    """table or view (None: the top level) -> the first problem found in it."""
    sections: list[CommentedMap] = [document["tables"]]
    if document.get("views"):
        sections.append(document["views"])
    starts = sorted((section.lc.key(name)[0] + 1, name) for section in sections for name in section)
    owners: dict[str | None, str] = {}
    for problem in error.problems:
        owner = None
        for line, name in starts:
            if line <= problem.line:
                owner = name
        owners.setdefault(owner, problem.message)
    return owners


def _column_change(ours: ColumnFacts, theirs: ColumnFacts) -> str:
    return ", ".join(
        f"{f.name} is {getattr(theirs, f.name)!r} in the database, "
        f"{getattr(ours, f.name)!r} by schema.yaml"
        for f in fields(ours)
        if getattr(theirs, f.name) != getattr(ours, f.name)
    )


def _differences(ours: Snapshot, live: Snapshot) -> list[str]:
    """How the facts differ, as `migrate` compares them (`describe_differences`), with
    each differing column shown by the facts that differ."""
    changed = {}
    for table in ours.tables:
        found = live.table(table.name)
        for column in table.columns:
            if found is not None and found.has(column.name) and found.column(column.name) != column:
                changed[f"{table.name}.{column.name}"] = _column_change(
                    column, found.column(column.name)
                )
    lines = []
    for line in describe_differences(ours, live):
        where, differs, _ = line.partition(" differs: ")
        lines.append(f"{where}: {changed[where]}" if differs and where in changed else line)
    return lines


def pulled_schema(live: LiveDatabase, label: str, file_name: str = "schema.yaml") -> Pulled:
    """schema.yaml for the live database, and how it compares with it."""
    excluded: dict[str, str] = {}
    drop_sync_metadata: str | None = None  # why the sync status table is not named
    while True:
        left_out = [f"trigger {t}" for t in live.orphan_triggers]
        kept: dict[str, TableFacts] = {}
        for table in live.facts.tables:
            why = (
                f"table {table.name}: {excluded[table.name]}"
                if table.name in excluded
                else _why_left_out(table, live)
            )
            if why:
                left_out.append(why)
            else:
                kept[table.name] = table
        names = _Names(
            [*live.kinds, *(i.name for t in live.facts.tables for i in t.indexes)]
            + [
                unique_index_name(t.name, c.name)
                for t in live.facts.tables
                for c in t.columns
                if c.unique
            ]
        )
        drafts = {name: _draft_table(t, live, names, left_out) for name, t in kept.items()}
        for table in kept.values():
            _references(table, drafts, kept, left_out)
        views = []
        for view in live.views:
            drafted = (
                f"view {view.name}: {excluded[view.name]}"
                if view.name in excluded
                else draft_view(view)
            )
            if isinstance(drafted, str):
                left_out.append(drafted)
            else:
                views.append(drafted)
        synced = any(d.sync for d in drafts.values())
        sync_metadata = (
            "sync_metadata"
            if synced and "sync_metadata" in drafts and drop_sync_metadata is None
            else None
        )
        text = _yaml(label, list(drafts.values()), views, sync_metadata, left_out)
        schema, error, document = _validated(text, file_name)
        if error is None and schema is not None:
            break
        assert error is not None
        owners = _owners(error, document)
        if sync_metadata is not None and (None in owners or sync_metadata in owners):
            # The guess of the sync status table goes first: its table stays in.
            drop_sync_metadata = owners.get(None) or owners[sync_metadata]
            continue
        fresh = {
            name: why for name, why in owners.items() if name is not None and name not in excluded
        }
        if not fresh:
            raise PullError(f"the pulled schema.yaml does not validate:\n{error}")
        excluded.update(fresh)
    pulled = Pulled(text, schema, left_out=left_out)
    if drop_sync_metadata is not None:
        pulled.notes.append(
            "sync_metadata: the table is not named as the sync status table (top-level "
            f"`sync_metadata:`), which schema.yaml refuses: {drop_sync_metadata}"
        )
    for draft in drafts.values():
        pulled.notes += [f"{draft.name}: {n}" for n in draft.notes]
        for name, column in draft.columns.items():
            pulled.guesses += [f"{draft.name}.{name}: {g}" for g in column.guesses]
            pulled.notes += [f"{draft.name}.{name}: {n}" for n in column.notes]
    for written in views:
        pulled.notes += [f"{written.name}: {n}" for n in written.notes]
        for name, column in written.columns.items():
            pulled.guesses += [f"{written.name}.{name}: {g}" for g in column.guesses]
    pulled.differences = _differences(snapshot_of(schema), live.facts)
    return pulled


def open_database(url: str) -> Database:
    """The database at `url`, opened without changing it: a local file keeps its journal
    mode, and one that does not exist is not created."""
    if url_scheme(url) == "file" and not os.environ.get("TURSO_SYNC_URL"):
        path = Path(file_path(url))
        if not path.is_file():
            raise PullError(f"there is no database file at {path}")
    return connect(Schema((), ()), url, wal=False)


def pull(
    db: Database, label: str, schema_path: Path, migrations: Path
) -> tuple[Pulled, Path | None]:
    """Write schema.yaml (and the baseline migration when the facts agree) for `db`.

    Refuses, before reading anything, to overwrite a schema file or to add a baseline to
    a migrations folder that already has migrations.
    """
    if schema_path.exists():
        raise PullError(
            f"{schema_path} exists; pull writes a new schema file: move it away, or give "
            "another path with --schema"
        )
    folder = MigrationFolder.load(migrations)
    if folder.entries:
        raise PullError(
            f"{migrations} already has migrations ({folder.entries[-1].name} last): a baseline "
            "starts an empty folder; give another one with --migrations"
        )
    live = read_database(lambda sql, params: db.execute(sql, params))
    if not live.facts.tables and not live.views:
        raise PullError(f"{label} has no tables: there is nothing to pull")
    pulled = pulled_schema(live, label, schema_path.name)
    schema_path.parent.mkdir(parents=True, exist_ok=True)
    partial = schema_path.with_name(f".{schema_path.name}.{os.getpid()}.tmp")
    partial.write_text(pulled.text, encoding="utf-8")
    partial.replace(schema_path)
    if pulled.differences:
        return pulled, None
    written = new_migration(migrations, pulled.schema, BASELINE)
    return pulled, None if written is None else written[0]
