"""Seeding: fill a database with deterministic fake rows from the schema, as drizzle-seed
does, through the generated repositories (so the insert models validate every value).

What the generated metadata does not say (unique indexes, foreign keys, CHECK text) is
read from the database's own catalog (PRAGMAs and sqlite_master), which is exactly the
schema as migrated; nothing here needs the code-generation tools.
"""

from __future__ import annotations

import graphlib
import importlib
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import Any

from pydantic import BaseModel, ValidationError

from libsqlkit._database import Database
from libsqlkit._errors import InvalidValue, LibsqlKitError
from libsqlkit._repository import Repository
from libsqlkit._schema import Column, Table
from libsqlkit._seed_values import choices_of, fake_time, fake_uuid, fake_value

__all__ = ["MAX_SEED_ROWS", "SeedError", "SeedOverride", "seed"]

SeedOverride = Callable[[random.Random, int], object]
"""A column's value for row `index` (0-based), drawn from the table's seeded random."""

MAX_SEED_ROWS = 100_000  # per table: far beyond a development data set, bounded
TRIES = 25  # fresh draws for a row that collides with a unique key or fails a CHECK
NULL_SHARE = 0.15  # of a nullable column's values
LIVE_SHARE = 0.9  # of rows whose soft-delete column stays NULL
CHECK_PARAMETERS = 30_000  # per CHECK evaluation query, under SQLite's 32,766


class SeedError(LibsqlKitError, ValueError):
    """The arguments, or the schema, cannot be seeded as asked; names the table, the
    column(s) and the constraint at fault. Nothing was written."""

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        columns: tuple[str, ...] = (),
        constraint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.columns = columns
        self.constraint = constraint


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]


@dataclass
class TablePlan:
    """One table to seed and what its rows must respect."""

    table: Table
    repository: type[Repository[Any, Any, Any, Any]]
    count: int
    foreign_keys: list[ForeignKey]
    unique: list[tuple[str, ...]]
    checks: dict[str, str]  # CHECK name -> its expression
    overrides: Mapping[str, SeedOverride]


def seed(
    db: Database,
    package: ModuleType | str,
    *,
    count: int = 10,
    counts: Mapping[str, int] | None = None,
    overrides: Mapping[str, Mapping[str, SeedOverride]] | None = None,
    seed: int = 0,
) -> dict[str, int]:
    """Insert `count` fake rows into every table of the generated `package` (`counts`
    per table wins; 0 leaves a table out), parents before children, in one transaction.
    The same `seed` gives the same rows. Returns the rows inserted per table.

    `overrides[table][column](rng, index)` gives a column's value instead of a fake one.
    The table named `sync_metadata` in the schema is seeded only if `counts` names it.
    """
    plans = _plans(db, _repositories(package), count, counts or {}, overrides or {})
    inserted: dict[str, int] = {}
    with db.transaction():
        stored: dict[str, list[Any]] = {}
        for plan in plans:
            rng = random.Random(f"{seed}:{plan.table.name}")
            models = _rows(db, plan, rng, stored)
            stored[plan.table.name] = plan.repository(db).create_many(models, returning=True)
            inserted[plan.table.name] = len(models)
    return inserted


def _repositories(package: ModuleType | str) -> dict[str, type[Repository[Any, Any, Any, Any]]]:
    """Table name -> its generated (sync) repository class."""
    name = package if isinstance(package, str) else package.__name__
    module = importlib.import_module(f"{name}.repositories")
    return {
        value.table.name: value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Repository) and "table" in vars(value)
    }


def _plans(
    db: Database,
    repositories: Mapping[str, type[Repository[Any, Any, Any, Any]]],
    count: int,
    counts: Mapping[str, int],
    overrides: Mapping[str, Mapping[str, SeedOverride]],
) -> list[TablePlan]:
    """The tables in insertion order (parents first), with their counts checked."""
    _require_count(count, "count")
    for name in (*counts, *overrides):
        if name not in repositories:
            known = ", ".join(sorted(repositories))
            raise SeedError(f"no table {name!r} to seed (tables: {known})", table=name)
    for name, value in counts.items():
        _require_count(value, f"counts[{name!r}]")
    skipped = db.schema.sync_metadata
    plans: dict[str, TablePlan] = {}
    for name, repository in repositories.items():
        rows = counts.get(name, 0 if name == skipped else count)
        plans[name] = _plan(db, repository, rows, overrides.get(name, {}))
    ordered = _order(plans)
    for plan in ordered:
        _require_parents(plan, plans)
        _require_unique_room(plan, plans)
    return [plan for plan in ordered if plan.count]


def _require_count(value: object, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SeedError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= MAX_SEED_ROWS:
        raise SeedError(f"{what} must be between 0 and {MAX_SEED_ROWS}, not {value}")


def _plan(
    db: Database,
    repository: type[Repository[Any, Any, Any, Any]],
    count: int,
    overrides: Mapping[str, SeedOverride],
) -> TablePlan:
    table = repository.table
    names = {column.name: column for column in table.columns}
    for name in overrides:
        if name not in names:
            raise SeedError(f"{table.name} has no column {name!r} to override", table=table.name)
        if names[name].generated:
            raise SeedError(
                f"{table.name}.{name} is a generated column: SQLite computes it, it is never written",
                table=table.name,
                columns=(name,),
            )
    keys: dict[int, list[Sequence[Any]]] = {}
    for row in db.execute(
        'SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq',
        (table.name,),
    ):
        keys.setdefault(row[0], []).append(row)
    foreign_keys = [
        ForeignKey(tuple(r[2] for r in rows), rows[0][1], tuple(r[3] for r in rows))
        for rows in keys.values()
    ]
    unique = []
    for name, is_unique in db.execute(
        'SELECT name, "unique" FROM pragma_index_list(?) ORDER BY name', (table.name,)
    ):
        parts = db.execute("SELECT name FROM pragma_index_info(?) ORDER BY seqno", (name,))
        if is_unique and parts and all(part[0] in names for part in parts):
            unique.append(tuple(part[0] for part in parts))
    unique = list(dict.fromkeys((*unique, table.key)))
    return TablePlan(
        table, repository, count, foreign_keys, unique, _checks(db, table, repository), overrides
    )


def _checks(
    db: Database, table: Table, repository: type[Repository[Any, Any, Any, Any]]
) -> dict[str, str]:
    """The named CHECKs of `table` on written columns, with their SQL as stored."""
    found = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)
    )
    ddl = str(found[0][0]) if found else ""
    checks = {}
    fields = repository.insert_model.model_fields
    for name, columns in table.checks.items():
        if any(table.column(column).generated for column in columns):
            continue
        if columns and all(choices_of(fields[column].annotation) for column in columns):
            continue  # an enum's CHECK: the insert model's Literal already holds to it
        match = re.search(rf"CONSTRAINT\s+[`\"]?{re.escape(name)}[`\"]?\s+CHECK\s*\(", ddl, re.I)
        expression = _balanced(ddl, match.end()) if match else None
        if expression is not None:
            checks[name] = expression
    return checks


def _balanced(text: str, start: int) -> str | None:
    """The text from `start` to its closing parenthesis (quotes respected), or None."""
    depth, quote = 1, ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0:
                return text[start:index]
    return None


def _order(plans: dict[str, TablePlan]) -> list[TablePlan]:
    """Parents before children. A cycle is broken at a nullable foreign key, which is
    left NULL; a cycle of NOT NULL foreign keys cannot be seeded."""
    graph: dict[str, set[str]] = {name: set() for name in plans}
    for name, plan in plans.items():
        for key in plan.foreign_keys:
            if key.parent != name and key.parent in plans:
                graph[name].add(key.parent)
    try:
        return [plans[name] for name in graphlib.TopologicalSorter(graph).static_order()]
    except graphlib.CycleError:
        pass
    strict = {
        name: {
            key.parent
            for key in plan.foreign_keys
            if key.parent != name and key.parent in plans and not _nullable(plan.table, key)
        }
        for name, plan in plans.items()
    }
    try:
        order = list(graphlib.TopologicalSorter(strict).static_order())
    except graphlib.CycleError as error:
        cycle = " -> ".join(error.args[1])
        raise SeedError(
            f"foreign keys form a cycle of NOT NULL columns ({cycle}): no table can be "
            "seeded first; make one of them nullable or seed these tables by hand"
        ) from None
    return [plans[name] for name in order]


def _nullable(table: Table, key: ForeignKey) -> bool:
    return not any(table.column(name).not_null for name in key.columns)


def _require_parents(plan: TablePlan, plans: Mapping[str, TablePlan]) -> None:
    for key in plan.foreign_keys:
        parent = plans.get(key.parent)
        empty = parent is None or parent.count == 0
        if plan.count and empty and not _nullable(plan.table, key) and not _overridden(plan, key):
            raise SeedError(
                f"{plan.table.name}.{', '.join(key.columns)} references {key.parent}, "
                f"which gets no rows: give counts[{key.parent!r}] > 0",
                table=plan.table.name,
                columns=key.columns,
            )
        own = key.parent == plan.table.name
        if own and plan.count and not _nullable(plan.table, key) and not _overridden(plan, key):
            raise SeedError(
                f"{plan.table.name}.{', '.join(key.columns)} references its own table "
                "and is NOT NULL: the first row has nothing to reference; override it",
                table=plan.table.name,
                columns=key.columns,
            )


def _overridden(plan: TablePlan, key: ForeignKey) -> bool:
    return all(name in plan.overrides for name in key.columns)


def _require_unique_room(plan: TablePlan, plans: Mapping[str, TablePlan]) -> None:
    """Refuse up front a unique key that cannot take `count` distinct values (a boolean,
    an enum, a one-to-one foreign key to a smaller table)."""
    for columns in plan.unique:
        if any(name in plan.overrides for name in columns):
            continue
        room = _room(plan, columns, plans)
        if room < plan.count:
            raise SeedError(
                f"{plan.table.name} ({', '.join(columns)}) is unique but can take only "
                f"{room:.0f} distinct values, fewer than the {plan.count} rows asked",
                table=plan.table.name,
                columns=columns,
            )


def _room(plan: TablePlan, columns: tuple[str, ...], plans: Mapping[str, TablePlan]) -> float:
    """How many distinct values the column set can take (infinite when open)."""
    room = 1.0
    covered: set[str] = set()
    for key in plan.foreign_keys:
        if set(key.columns) <= set(columns) and key.parent != plan.table.name:
            parent = plans.get(key.parent)
            room *= parent.count if parent is not None else math.inf
            covered.update(key.columns)
    for name in columns:
        if name in covered:
            continue
        column = plan.table.column(name)
        allowed = choices_of(plan.repository.insert_model.model_fields[name].annotation)
        if allowed is not None:
            room *= len(allowed)
        elif column.codec.name == "boolean":
            room *= 2
        else:
            return math.inf
    return room


def _rows(
    db: Database, plan: TablePlan, rng: random.Random, stored: Mapping[str, list[Any]]
) -> list[Any]:
    """The insert models of `plan`, every unique key distinct and every CHECK met."""
    table = plan.table
    model = plan.repository.insert_model
    fields = model.model_fields
    written = [c for c in table.columns if not c.generated and c.name in fields]
    one_to_one = {
        key for key in plan.foreign_keys if any(set(u) <= set(key.columns) for u in plan.unique)
    }
    orders = {
        key: rng.sample(range(len(stored[key.parent])), len(stored[key.parent]))
        for key in one_to_one
        if key.parent in stored
    }
    seen: dict[tuple[str, ...], set[tuple[Any, ...]]] = {columns: set() for columns in plan.unique}
    rows: list[dict[str, Any]] = []
    for index in range(plan.count):
        clash: tuple[str, ...] = ()
        for _ in range(TRIES):
            values = _row(plan, written, rng, index, rows, stored, orders)
            clash = _clash(plan, values, seen)
            if not clash:
                break
        else:
            raise SeedError(
                f"{table.name} ({', '.join(clash)}) is unique, and {TRIES} draws for row "
                f"{index} all collided; lower the count or override the column",
                table=table.name,
                columns=clash,
            )
        for columns, keys in seen.items():
            keys.add(tuple(values[name] for name in columns))
        rows.append(values)
    for failed in _failing_checks(db, plan, written, rows):
        rows[failed] = _retry_check(db, plan, written, rng, failed, rows, stored, orders, seen)
    return [_validated(model, table.name, values) for values in rows]


def _row(
    plan: TablePlan,
    written: list[Column[Any, Any]],
    rng: random.Random,
    index: int,
    earlier: list[dict[str, Any]],
    stored: Mapping[str, list[Any]],
    orders: Mapping[ForeignKey, list[int]],
) -> dict[str, Any]:
    """One row's values: foreign keys from parent rows, the rest fake, then overrides."""
    table = plan.table
    fields = plan.repository.insert_model.model_fields
    values: dict[str, Any] = {}
    instant = fake_time(rng)  # the `now` columns of one row share one instant, as on insert
    for column in written:
        annotation = fields[column.name].annotation
        values[column.name] = _column_value(plan, column, annotation, rng, index, instant)
    for key in plan.foreign_keys:
        parent = _parent_row(plan, key, rng, index, earlier, stored, orders)
        for name, parent_name in zip(key.columns, key.parent_columns, strict=True):
            if name in values:
                values[name] = None if parent is None else _get(parent, parent_name)
    for name, override in plan.overrides.items():
        values[name] = override(rng, index)
    if table.soft_delete and table.soft_delete not in plan.overrides:
        values[table.soft_delete] = None if rng.random() < LIVE_SHARE else fake_time(rng)
    return values


def _column_value(
    plan: TablePlan,
    column: Column[Any, Any],
    annotation: Any,
    rng: random.Random,
    index: int,
    instant: datetime,
) -> Any:
    if column.client_default == "now":
        return instant
    if column.client_default == "uuid4":
        return fake_uuid(rng)
    if _rowid_alias(plan.table, column):
        return None  # SQLite numbers the rows, as for any insert without a key
    in_key = column.name in plan.table.key
    if not column.not_null and not in_key and rng.random() < NULL_SHARE:
        return None
    return fake_value(rng, column, annotation, index)


def _rowid_alias(table: Table, column: Column[Any, Any]) -> bool:
    return table.key == (column.name,) and column.codec.name == "integer"


def _parent_row(
    plan: TablePlan,
    key: ForeignKey,
    rng: random.Random,
    index: int,
    earlier: list[dict[str, Any]],
    stored: Mapping[str, list[Any]],
    orders: Mapping[ForeignKey, list[int]],
) -> object | None:
    """The row a foreign key points at: a stored parent row, an earlier row of the same
    table for a self-reference, or None (NULL) when the key is nullable and left empty."""
    nullable = _nullable(plan.table, key)
    if nullable and rng.random() < NULL_SHARE:
        return None
    if key.parent == plan.table.name:
        known = [row for row in earlier if all(row[c] is not None for c in key.parent_columns)]
        return rng.choice(known) if known else None
    parents = stored.get(key.parent, [])
    if not parents:
        return None  # a parent seeded later (a cycle broken here) or not at all
    order = orders.get(key)
    if order is not None:
        return parents[order[index]] if index < len(order) else None
    chosen: object = rng.choice(parents)
    return chosen


def _get(row: object, name: str) -> object:
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _clash(
    plan: TablePlan, values: dict[str, Any], seen: Mapping[tuple[str, ...], set[tuple[Any, ...]]]
) -> tuple[str, ...]:
    """The unique column set this row repeats, else () (NULLs never clash, as in SQL)."""
    for columns, keys in seen.items():
        value = tuple(values.get(name) for name in columns)
        if None not in value and value in keys:
            return columns
    return ()


def _failing_checks(
    db: Database, plan: TablePlan, written: list[Column[Any, Any]], rows: list[dict[str, Any]]
) -> Iterator[int]:
    """The indexes of rows a CHECK refuses, asked of SQLite itself: the CHECK's own SQL
    over the rows as a VALUES list (NULL passes a CHECK, as it does in a table)."""
    if not plan.checks:
        return
    names = ", ".join(f"`{column.name}`" for column in written)
    size = CHECK_PARAMETERS // (len(written) + 1)
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        marks = ", ".join("(" + ", ".join("?" * (len(written) + 1)) + ")" for _ in chunk)
        params = [
            value
            for offset, row in enumerate(chunk)
            for value in (start + offset, *(_encoded(column, row) for column in written))
        ]
        refused = " OR ".join(f"NOT coalesce(({sql}), 1)" for sql in plan.checks.values())
        sql = f"WITH __seed(__row, {names}) AS (VALUES {marks}) SELECT __row FROM __seed WHERE {refused}"
        for (row,) in db.execute(sql, params):
            yield int(row)


def _retry_check(
    db: Database,
    plan: TablePlan,
    written: list[Column[Any, Any]],
    rng: random.Random,
    index: int,
    rows: list[dict[str, Any]],
    stored: Mapping[str, list[Any]],
    orders: Mapping[ForeignKey, list[int]],
    seen: dict[tuple[str, ...], set[tuple[Any, ...]]],
) -> dict[str, Any]:
    """Fresh draws for row `index` until every CHECK passes and no unique key clashes;
    else the error names the CHECK that refused the most draws."""
    refusals: Counter[str] = Counter()
    for _ in range(TRIES):
        values = _row(plan, written, rng, index, rows[:index], stored, orders)
        refused = [
            name for name, sql in plan.checks.items() if _refuses(db, plan, written, sql, values)
        ]
        refusals.update(refused)
        if not refused and not _clash(plan, values, seen):
            for columns, keys in seen.items():
                keys.add(tuple(values[name] for name in columns))
            return values
    name, _ = refusals.most_common(1)[0] if refusals else ("", 0)
    columns = plan.table.checks.get(name) or tuple(
        column.name
        for column in written
        if re.search(rf"\b{column.name}\b", plan.checks.get(name, ""))
    )
    raise SeedError(
        f"{plan.table.name}: CHECK {name} ({', '.join(columns)}) refused {refusals[name]} of "
        f"{TRIES} draws for row {index}; override {', '.join(columns)} with values it accepts",
        table=plan.table.name,
        columns=columns,
        constraint=name or None,
    )


def _refuses(
    db: Database, plan: TablePlan, written: list[Column[Any, Any]], sql: str, values: dict[str, Any]
) -> bool:
    alone = TablePlan(plan.table, plan.repository, 1, [], [], {"check": sql}, {})
    return bool(list(_failing_checks(db, alone, written, [values])))


def _encoded(column: Column[Any, Any], row: dict[str, Any]) -> Any:
    try:
        return column.encode(row[column.name])
    except InvalidValue:
        return None  # the insert model refuses it, naming the column, just after


def _validated(model: type[BaseModel], table: str, values: dict[str, Any]) -> Any:
    """The insert model of one row; a value it refuses (an override's) names its column."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        problem = error.errors()[0]
        column = str(problem["loc"][0]) if problem["loc"] else "?"
        raise InvalidValue(
            f"{table}.{column}: the seed value {values.get(column)!r:.60} is refused: {problem['msg']}",
            table=table,
            column=column,
        ) from None
