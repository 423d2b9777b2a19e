"""Plan the SQL that turns one snapshot into another, within SQLite's ALTER limits.

Order: views that must go, table renames, column renames, dropped tables, then per
table either plain ALTER steps (add/drop column, indexes) or a rebuild (create the new
table, copy the surviving columns, drop the old one, rename, recreate its indexes and
sync triggers), then the views. Renames come first,
so a rebuild in the same migration copies columns under their new names and never
names a column that does not exist yet (drizzle-kit's #5822, #5587, #3653). The
migrator runs rebuilds with foreign keys off outside the transaction, so dropping a
parent table cascades nowhere (drizzle-kit's #5782), and checks them before commit.

What SQLite cannot ALTER is rebuilt: a composite primary key or a foreign key of several
columns added, dropped or changed; a STORED generated column added; any generated
column's expression changed; a column dropped that a generated column reads. A VIRTUAL
generated column is added, and any generated column dropped, with plain ALTER. A view
is never altered: it is dropped first and created again at the end when its SQL changed
or a table it reads is renamed, rebuilt, dropped or loses or renames a column (SQLite
checks every view when a table is renamed, so a view of a dropped table would fail the
rebuild's rename), together with the views that read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from libsqlkit._changelog import (
    ROWS,
    STATE,
    column_versions_ddl,
    downgrade_to_row_level,
    row_level,
    schema_version,
    schema_version_ddl,
    untrack_ddl,
    upgrade_from_row_level,
)
from libsqlkit._journal import LossKind
from libsqlkit._naming import enum_check_name, rebuild_table_name, unique_index_name
from libsqlkit._snapshot import ColumnFacts, IndexFacts, Snapshot, TableFacts, ViewFacts

from .ddl import change_log_once
from .sqltext import quote

__all__ = ["Loss", "Plan", "plan"]


@dataclass(frozen=True)
class Loss:
    """What a step may destroy: a table's rows, a column's values, or values that no
    longer fit a changed column type. Named as the database names them before the plan
    runs (before its renames), since that is where the rows at stake are counted."""

    kind: LossKind
    table: str
    column: str | None = None

    def describe(self) -> str:
        if self.kind == "table":
            return f"drops table {self.table} and its rows"
        if self.kind == "column":
            return f"drops column {self.table}.{self.column} and its values"
        return f"changes the type of {self.table}.{self.column} (values may not convert)"


@dataclass
class Plan:
    statements: list[str] = field(default_factory=list)
    losses: list[Loss] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)


def _stale_names(
    table: TableFacts, columns: set[str], old_table: str, old_names: dict[str, str]
) -> TableFacts:
    """After a rename, SQLite keeps the names of unique indexes and enum CHECKs, which
    embed the old table or column name: show them as the plain index and check they now
    are, so the diff recreates them under the new names."""
    indexes = list(table.indexes)
    checks = list(table.checks)
    renamed = []
    for column in table.columns:
        if column.name not in columns:
            renamed.append(column)
            continue
        was = old_names.get(column.name, column.name)
        if column.unique:
            indexes.append(IndexFacts(unique_index_name(old_table, was), (column.name,), True))
        if column.enum is not None:
            checks.append((enum_check_name(old_table, was), "enum"))
        renamed.append(replace(column, unique=False, enum=None))
    return replace(
        table,
        columns=tuple(renamed),
        indexes=tuple(sorted(indexes, key=lambda i: i.name)),
        checks=tuple(sorted(checks)),
    )


def _rename_table(table: TableFacts, name: str) -> TableFacts:
    return _stale_names(replace(table, name=name), {c.name for c in table.columns}, table.name, {})


def _rename_column(table: TableFacts, old: str, new: str) -> TableFacts:
    def renamed(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if name == old else name for name in names)

    columns = tuple(replace(c, name=new) if c.name == old else c for c in table.columns)
    indexes = tuple(replace(i, columns=renamed(i.columns)) for i in table.indexes)
    keys = tuple(replace(k, columns=renamed(k.columns)) for k in table.foreign_keys)
    return _stale_names(
        replace(
            table,
            columns=columns,
            indexes=indexes,
            composite_key=renamed(table.composite_key),
            foreign_keys=keys,
        ),
        {new},
        table.name,
        {new: old},
    )


def _column_line(table: TableFacts, column: str) -> str:
    """The column's definition, as written in the table's CREATE TABLE."""
    for line in table.ddl[0].splitlines():
        if line.strip().startswith(f"`{column}` "):
            return line.strip().rstrip(",")
    raise LookupError(f"{table.name}.{column} is not in its DDL")


def _mentions(expression: str, column: str) -> bool:
    return (
        re.search(
            rf"(?<![\w`\"]){re.escape(column)}(?![\w`\"])|[`\"]{re.escape(column)}[`\"]", expression
        )
        is not None
    )


def _droppable(table: TableFacts, column: ColumnFacts, old: Snapshot) -> bool:
    referenced = any(
        c.references is not None
        and c.references.table == table.name
        and c.references.column == column.name
        for t in old.tables
        for c in t.columns
    ) or any(
        k.table == table.name and column.name in k.references
        for t in old.tables
        for k in t.foreign_keys
    )
    return not (
        column.primary_key
        or column.unique
        or column.references is not None
        or column.enum is not None
        or referenced
        or any(column.name in k.columns for k in table.foreign_keys)
        or any(
            c.generated is not None and _mentions(c.generated, column.name)
            for c in table.columns
            if c.name != column.name
        )
        or any(
            column.name in i.columns or (i.where and _mentions(i.where, column.name))
            for i in table.indexes
        )
        or any(_mentions(expression, column.name) for _, expression in table.checks)
    )


def _addable(column: ColumnFacts) -> bool:
    if column.generated is not None:  # SQLite adds only VIRTUAL ones
        return not (column.stored or column.primary_key or column.enum is not None)
    return not (
        column.primary_key
        or column.references is not None
        or column.enum is not None
        or (column.not_null and column.default is None)
        or (column.default is not None and column.default.startswith("("))
    )


_INDEX = re.compile(r"CREATE (?:UNIQUE )?INDEX `(\w+)`")


def _index_statements(target: TableFacts) -> dict[str, str]:
    """Index name -> its CREATE statement, from the target's DDL (unique columns included)."""
    statements = {}
    for statement in target.ddl[1:]:
        match = _INDEX.match(statement)
        if match:
            statements[match.group(1)] = statement
    return statements


def _index_facts(table: TableFacts) -> dict[str, object]:
    facts: dict[str, object] = {i.name: i for i in table.indexes}
    facts.update(
        {
            unique_index_name(table.name, c.name): ("unique", c.name)
            for c in table.columns
            if c.unique
        }
    )
    return facts


def _generation(snapshot: Snapshot) -> int:
    """The change log the synced tables use: 0 none, 1 row-level versions (the first
    generation), 2 field-level versions."""
    triggers = [sql for table in snapshot.tables for _, sql in table.triggers]
    if not triggers:
        return 0
    return 1 if any(row_level(sql) for sql in triggers) else 2


@dataclass(frozen=True)
class _Sync:
    """How this plan treats the change log: which generation the database has while the
    plan runs (an upgrade comes first, a downgrade last)."""

    before: int
    after: int

    @property
    def upgrade(self) -> bool:
        return self.before == 1 and self.after == 2

    @property
    def field_level(self) -> bool:
        return self.before == 2 or self.upgrade

    def untrack(self, table: str) -> list[str]:
        if self.field_level:
            return list(untrack_ddl(table))
        return [f"DELETE FROM `{ROWS}` WHERE `tbl` = '{table}'"]

    def rename(self, old: str, new: str) -> list[str]:
        moved = [f"UPDATE `{ROWS}` SET `tbl` = '{new}' WHERE `tbl` = '{old}'"]
        if self.field_level:  # the new name's policy is set when its triggers are made
            moved.append(
                f"UPDATE `{STATE}` SET `tables` = json_remove(`tables`, '$.{old}') WHERE `id` = 1"
            )
        return moved


def _column_versions(current: TableFacts, target: TableFacts, renamed: dict[str, str]) -> list[str]:
    """A synced table whose columns change keeps each row's column versions in step."""
    key = [c.name for c in target.columns if c.primary_key]
    columns = [c.name for c in target.columns if c.name not in key]
    if not (current.triggers and target.triggers) or [c.name for c in current.columns] == [
        c.name for c in target.columns
    ]:
        return []
    added = [c for c in columns if not current.has(c)]
    return [column_versions_ddl(target.name, columns, added=added, renamed=renamed)]


def plan(
    old: Snapshot,
    new: Snapshot,
    *,
    table_renames: dict[str, str],
    column_renames: dict[tuple[str, str], str],
) -> Plan:
    """SQL from `old` to `new`. Renames map new names to old: {new_table: old_table},
    {(new_table, new_column): old_column}.

    Synced tables: the change log follows renames and drops, keeps column versions in
    step, and the synced schema's version is recorded when it changes; a first-generation
    log is upgraded first (or, going back, downgraded last).
    """
    result = Plan()
    sync = _Sync(_generation(old), _generation(new))
    if sync.upgrade:
        result.statements += upgrade_from_row_level()
    work = {t.name: t for t in old.tables}
    wanted = {t.name for t in new.tables}
    was_table: dict[str, str] = {}  # renames applied, new name -> old
    was_column: dict[tuple[str, str], str] = {}
    touched: set[str] = set()  # tables whose views must be created again
    for new_name, old_name in table_renames.items():
        if (
            old_name in work
            and new_name not in work
            and new_name in wanted
            and old_name not in wanted
        ):
            result.statements.append(f"ALTER TABLE {quote(old_name)} RENAME TO {quote(new_name)}")
            if work[old_name].triggers:
                result.statements += sync.rename(old_name, new_name)
            work[new_name] = _rename_table(work.pop(old_name), new_name)
            was_table[new_name] = old_name
            touched |= {old_name, new_name}
    for name in [n for n in work if n not in wanted]:
        touched.add(name)
        result.statements.append(f"DROP TABLE {quote(name)}")
        if work[name].triggers:
            result.statements += sync.untrack(name)
        result.losses.append(Loss("table", name))
        del work[name]
    for target in new.tables:
        current = work.get(target.name)
        if current is None:
            result.statements.extend(target.ddl)
            continue
        for (table, new_column), old_column in column_renames.items():
            if (
                table == target.name
                and current.has(old_column)
                and not current.has(new_column)
                and target.has(new_column)
            ):
                result.statements.append(
                    f"ALTER TABLE {quote(table)} RENAME COLUMN {quote(old_column)} TO {quote(new_column)}"
                )
                current = _rename_column(current, old_column, new_column)
                was_column[table, new_column] = old_column
                touched.add(table)
        if replace(current, ddl=()) != replace(target, ddl=()):
            _alter_or_rebuild(current, target, old, result, sync)
            if target.name in result.rebuilt or any(
                not target.has(c.name) for c in current.columns
            ):
                touched.add(target.name)
            if sync.before == sync.after == 2:
                renamed = {n: o for (t, n), o in was_column.items() if t == target.name}
                result.statements += _column_versions(current, target, renamed)
    if sync.after == 1 and sync.before == 2:
        result.statements += downgrade_to_row_level()
    elif sync.field_level or sync.after == 2:
        version = schema_version(new.tables)
        if sync.upgrade or schema_version(old.tables) != version:
            result.statements.append(schema_version_ddl(version))
    dropped_views, created_views = _views(old.views, new.views, touched)
    result.statements = change_log_once([*dropped_views, *result.statements, *created_views])
    result.losses = [_before_renames(loss, was_table, was_column) for loss in result.losses]
    return result


def _views(
    old: tuple[ViewFacts, ...], new: tuple[ViewFacts, ...], touched: set[str]
) -> tuple[list[str], list[str]]:
    """DROP VIEW statements to run first and CREATE VIEW statements to run last: for views
    removed, changed, reading a touched table, or reading a view that is dropped."""
    wanted = {v.name: v for v in new}
    dropped = {
        v.name
        for v in old
        if wanted.get(v.name) != v or any(_mentions(v.sql, table) for table in touched)
    }
    while True:  # views of views
        more = {v.name for v in old if any(_mentions(v.sql, d) for d in dropped)} - dropped
        if not more:
            break
        dropped |= more
    kept = {v.name for v in old} - dropped
    drops = [f"DROP VIEW {quote(v.name)}" for v in old if v.name in dropped]
    creates = [v.sql for v in new if v.name not in kept]
    return drops, creates


def _before_renames(
    loss: Loss, was_table: dict[str, str], was_column: dict[tuple[str, str], str]
) -> Loss:
    column = None if loss.column is None else was_column.get((loss.table, loss.column), loss.column)
    return Loss(loss.kind, was_table.get(loss.table, loss.table), column)


def _alter_or_rebuild(
    current: TableFacts, target: TableFacts, old: Snapshot, result: Plan, sync: _Sync
) -> None:
    name = target.name
    dropped = [c for c in current.columns if not target.has(c.name)]
    added = [c for c in target.columns if not current.has(c.name)]
    changed = [c for c in target.columns if current.has(c.name) and current.column(c.name) != c]
    kept_order = [c.name for c in current.columns if target.has(c.name)]
    in_place = (
        not changed
        and [c.name for c in target.columns][: len(kept_order)] == kept_order
        and current.checks == target.checks
        and current.composite_key == target.composite_key
        and current.foreign_keys == target.foreign_keys
        and all(_droppable(current, c, old) for c in dropped)
        and all(_addable(c) for c in added)
    )
    if not in_place:
        _rebuild(current, target, result)
        if current.triggers and not target.triggers:
            result.statements += sync.untrack(name)
        return
    retrack = current.triggers != target.triggers
    if retrack:  # first: a trigger naming a dropped column would make the drop fail
        result.statements += [f"DROP TRIGGER {quote(n)}" for n, _ in current.triggers]
    before, after = _index_facts(current), _index_facts(target)
    creates = _index_statements(target)
    for index in sorted(before):
        if before[index] != after.get(index):
            result.statements.append(f"DROP INDEX {quote(index)}")
    for column in dropped:
        result.statements.append(f"ALTER TABLE {quote(name)} DROP COLUMN {quote(column.name)}")
        if column.generated is None:  # a generated one's values are computed, not kept
            result.losses.append(Loss("column", name, column.name))
    for column in added:
        result.statements.append(
            f"ALTER TABLE {quote(name)} ADD COLUMN {_column_line(target, column.name)}"
        )
    for index in sorted(after):
        if before.get(index) != after[index]:
            result.statements.append(creates[index])
    if retrack:
        _track(target, result, sync)


def _track(target: TableFacts, result: Plan, sync: _Sync) -> None:
    """The change-log triggers again (their old ones are dropped): start syncing a table,
    stop, follow a rename or a change of columns or policy."""
    if target.triggers:
        result.statements += [s for s in target.ddl[1:] if not _INDEX.match(s)]
    else:
        result.statements += sync.untrack(target.name)


def _copied(was: ColumnFacts, becomes: ColumnFacts) -> str:
    """A column's value as a rebuild copies it: a column made NOT NULL with a default
    takes the default where it held NULL (what adding it with that default would do)."""
    if becomes.not_null and becomes.default is not None and not was.not_null:
        return f"coalesce({quote(was.name)}, {becomes.default})"
    return quote(was.name)


def _rebuild(current: TableFacts, target: TableFacts, result: Plan) -> None:
    name = target.name
    temporary = rebuild_table_name(name)
    create = target.ddl[0].replace(
        f"CREATE TABLE {quote(name)} (", f"CREATE TABLE {quote(temporary)} (", 1
    )
    # A generated column is computed by the new table; it cannot be written.
    kept = [c.name for c in target.columns if current.has(c.name) and c.generated is None]
    columns = ", ".join(quote(c) for c in kept)
    copied = ", ".join(_copied(current.column(c), target.column(c)) for c in kept)
    result.statements += [
        create,
        f"INSERT INTO {quote(temporary)} ({columns}) SELECT {copied} FROM {quote(name)}",
        f"DROP TABLE {quote(name)}",
        f"ALTER TABLE {quote(temporary)} RENAME TO {quote(name)}",
        *target.ddl[1:],
    ]
    result.rebuilt.append(name)
    for column in current.columns:
        if column.generated is not None:
            continue  # computed: nothing stored is lost
        if not target.has(column.name) or target.column(column.name).generated is not None:
            result.losses.append(Loss("column", name, column.name))
        elif target.column(column.name).type != column.type:
            result.losses.append(Loss("type", name, column.name))
