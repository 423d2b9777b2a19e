"""Plan the SQL that turns one snapshot into another, within SQLite's ALTER limits.

Order: table renames, column renames, dropped tables, then per table either plain
ALTER steps (add/drop column, indexes) or a rebuild (create the new table, copy the
surviving columns, drop the old one, rename, recreate its indexes and sync triggers). Renames come first,
so a rebuild in the same migration copies columns under their new names and never
names a column that does not exist yet (drizzle-kit's #5822, #5587, #3653). The
migrator runs rebuilds with foreign keys off outside the transaction, so dropping a
parent table cascades nowhere (drizzle-kit's #5782), and checks them before commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from libsqlkit._changelog import ROWS
from libsqlkit._journal import LossKind
from libsqlkit._snapshot import ColumnFacts, IndexFacts, Snapshot, TableFacts

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
            indexes.append(IndexFacts(f"{old_table}_{was}_unique", (column.name,), True))
        if column.enum is not None:
            checks.append((f"{old_table}_{was}_enum", "enum"))
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
    columns = tuple(replace(c, name=new) if c.name == old else c for c in table.columns)
    indexes = tuple(
        replace(i, columns=tuple(new if c == old else c for c in i.columns)) for i in table.indexes
    )
    return _stale_names(
        replace(table, columns=columns, indexes=indexes), {new}, table.name, {new: old}
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
    )
    return not (
        column.primary_key
        or column.unique
        or column.references is not None
        or column.enum is not None
        or referenced
        or any(
            column.name in i.columns or (i.where and _mentions(i.where, column.name))
            for i in table.indexes
        )
        or any(_mentions(expression, column.name) for _, expression in table.checks)
    )


def _addable(column: ColumnFacts) -> bool:
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
        {f"{table.name}_{c.name}_unique": ("unique", c.name) for c in table.columns if c.unique}
    )
    return facts


def plan(
    old: Snapshot,
    new: Snapshot,
    *,
    table_renames: dict[str, str],
    column_renames: dict[tuple[str, str], str],
) -> Plan:
    """SQL from `old` to `new`. Renames map new names to old: {new_table: old_table},
    {(new_table, new_column): old_column}."""
    result = Plan()
    work = {t.name: t for t in old.tables}
    wanted = {t.name for t in new.tables}
    was_table: dict[str, str] = {}  # renames applied, new name -> old
    was_column: dict[tuple[str, str], str] = {}
    for new_name, old_name in table_renames.items():
        if (
            old_name in work
            and new_name not in work
            and new_name in wanted
            and old_name not in wanted
        ):
            result.statements.append(f"ALTER TABLE {quote(old_name)} RENAME TO {quote(new_name)}")
            if work[old_name].triggers:
                result.statements.append(
                    f"UPDATE `{ROWS}` SET `tbl` = '{new_name}' WHERE `tbl` = '{old_name}'"
                )
            work[new_name] = _rename_table(work.pop(old_name), new_name)
            was_table[new_name] = old_name
    for name in [n for n in work if n not in wanted]:
        result.statements.append(f"DROP TABLE {quote(name)}")
        if work[name].triggers:
            result.statements.append(f"DELETE FROM `{ROWS}` WHERE `tbl` = '{name}'")
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
        if replace(current, ddl=()) != replace(target, ddl=()):
            _alter_or_rebuild(current, target, old, result)
    result.statements = change_log_once(result.statements)
    result.losses = [_before_renames(loss, was_table, was_column) for loss in result.losses]
    return result


def _before_renames(
    loss: Loss, was_table: dict[str, str], was_column: dict[tuple[str, str], str]
) -> Loss:
    column = None if loss.column is None else was_column.get((loss.table, loss.column), loss.column)
    return Loss(loss.kind, was_table.get(loss.table, loss.table), column)


def _alter_or_rebuild(current: TableFacts, target: TableFacts, old: Snapshot, result: Plan) -> None:
    name = target.name
    dropped = [c for c in current.columns if not target.has(c.name)]
    added = [c for c in target.columns if not current.has(c.name)]
    changed = [c for c in target.columns if current.has(c.name) and current.column(c.name) != c]
    kept_order = [c.name for c in current.columns if target.has(c.name)]
    in_place = (
        not changed
        and [c.name for c in target.columns][: len(kept_order)] == kept_order
        and current.checks == target.checks
        and all(_droppable(current, c, old) for c in dropped)
        and all(_addable(c) for c in added)
    )
    if not in_place:
        _rebuild(current, target, result)
        return
    before, after = _index_facts(current), _index_facts(target)
    creates = _index_statements(target)
    for index in sorted(before):
        if before[index] != after.get(index):
            result.statements.append(f"DROP INDEX {quote(index)}")
    for column in dropped:
        result.statements.append(f"ALTER TABLE {quote(name)} DROP COLUMN {quote(column.name)}")
        result.losses.append(Loss("column", name, column.name))
    for column in added:
        result.statements.append(
            f"ALTER TABLE {quote(name)} ADD COLUMN {_column_line(target, column.name)}"
        )
    for index in sorted(after):
        if before.get(index) != after[index]:
            result.statements.append(creates[index])
    if current.triggers != target.triggers:
        _retrack(current, target, result)


def _retrack(current: TableFacts, target: TableFacts, result: Plan) -> None:
    """Replace the change-log triggers: start syncing a table, stop, or follow a rename."""
    result.statements += [f"DROP TRIGGER {quote(name)}" for name, _ in current.triggers]
    if target.triggers:
        result.statements += [s for s in target.ddl[1:] if not _INDEX.match(s)]
    else:
        result.statements.append(f"DELETE FROM `{ROWS}` WHERE `tbl` = '{target.name}'")


def _rebuild(current: TableFacts, target: TableFacts, result: Plan) -> None:
    name = target.name
    temporary = f"__new_{name}"
    create = target.ddl[0].replace(
        f"CREATE TABLE {quote(name)} (", f"CREATE TABLE {quote(temporary)} (", 1
    )
    kept = [c.name for c in target.columns if current.has(c.name)]
    columns = ", ".join(quote(c) for c in kept)
    result.statements += [
        create,
        f"INSERT INTO {quote(temporary)} ({columns}) SELECT {columns} FROM {quote(name)}",
        f"DROP TABLE {quote(name)}",
        f"ALTER TABLE {quote(temporary)} RENAME TO {quote(name)}",
        *target.ddl[1:],
    ]
    result.rebuilt.append(name)
    for column in current.columns:
        if not target.has(column.name):
            result.losses.append(Loss("column", name, column.name))
        elif target.column(column.name).type != column.type:
            result.losses.append(Loss("type", name, column.name))
