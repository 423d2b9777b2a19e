"""Foreign keys across tables, and the relations named on them.

A foreign key (a column's `references`, or a table's `foreign_keys` entry for several
columns) must name columns of its target that are its primary key or unique, with the
same types. A relation is named on a foreign key, for either direction: `relation` on
the table that holds the key (its parent row: `one`, or `maybe` when a key column is
nullable) and `inverse` on the table it references (its rows: `many`, or `maybe` when
the key's columns are unique, a one-to-one). A join table's `many_to_many` entry pairs
two of its foreign keys into a relation between their targets, named for both sides.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from dataclasses import replace

from .ir import ForeignKeyIR, RelationIR, TableIR
from .names import column_attributes
from .problems import Loc
from .spec import TableSpec
from .sqltext import IDENTIFIER

__all__ = ["check_foreign_keys", "with_relations"]

Fail = Callable[..., None]  # (loc, message, *, at_key=False)


def is_unique(table: TableIR, columns: tuple[str, ...]) -> bool:
    """Whether no two rows of `table` share these columns' values: they are its key, one
    unique column, or the columns of a unique index without a WHERE."""
    wanted = set(columns)
    if wanted == {c.name for c in table.key}:
        return True
    if len(columns) == 1 and any(c.name == columns[0] and c.unique for c in table.columns):
        return True
    return any(i.unique and i.where is None and set(i.columns) == wanted for i in table.indexes)


def key_loc(key: ForeignKeyIR, spec: TableSpec) -> Loc:
    """Where `key` is declared: the column's `references`, or its `foreign_keys` entry."""
    table: Loc = ("tables", key.table)
    if not key.composite:
        return (*table, "columns", key.columns[0], "references")
    for i, declared in enumerate(spec.foreign_keys):
        if tuple(declared.columns) == key.columns and declared.table == key.target:
            return (*table, "foreign_keys", i)
    return table


def check_foreign_keys(
    tables: tuple[TableIR, ...], specs: Mapping[str, TableSpec], broken: set[str], fail: Fail
) -> None:
    """Each foreign key names existing, unique columns of a defined table, of equal types."""
    by_name = {t.name: t for t in tables}
    for table in tables:
        for key in table.foreign_keys:
            loc = key_loc(key, specs[table.name])
            one = not key.composite
            if key.target in broken:
                continue  # its own problems are reported
            target = by_name.get(key.target)
            if target is None:
                fail(
                    (*loc, "table"),
                    f"references table {key.target!r}, which the schema does not define",
                )
                continue
            names = {c.name for c in target.columns}
            missing = [c for c in key.target_columns if c not in names]
            if missing:
                where = (*loc, "column") if one else (*loc, "references")
                fail(where, f"references {key.target}.{missing[0]}, which does not exist")
                continue
            if not is_unique(target, key.target_columns):
                listed = ", ".join(key.target_columns)
                fail(
                    (*loc, "column") if one else (*loc, "references"),
                    f"{key.target}.{listed} must be a primary key or unique to be referenced"
                    if one
                    else f"{key.target}({listed}) must be its primary key or a unique index "
                    "(without where) to be referenced",
                )
            for mine, theirs in zip(key.columns, key.target_columns, strict=True):
                column, referenced = table.column(mine), target.column(theirs)
                if referenced.sql_type != column.sql_type:
                    fail(
                        (*loc, "column") if one else (*loc, "references"),
                        f"{column.name} is {column.sql_type} but {key.target}.{theirs} is "
                        f"{referenced.sql_type}",
                    )
            if key.on_delete == "set null" and any(table.column(c).not_null for c in key.columns):
                fail((*loc, "on_delete"), "on_delete 'set null' needs a nullable column")


def with_relations(
    tables: tuple[TableIR, ...], specs: Mapping[str, TableSpec], broken: set[str], fail: Fail
) -> tuple[TableIR, ...]:
    """The tables with the relations named on their foreign keys and join tables."""
    by_name = {t.name: t for t in tables}
    found: dict[str, list[tuple[RelationIR, Loc]]] = {t.name: [] for t in tables}

    def usable(key: ForeignKeyIR) -> bool:
        target = by_name.get(key.target)
        return target is not None and all(
            any(c.name == name for c in target.columns) for name in key.target_columns
        )

    for table in tables:
        spec = specs[table.name]
        for key in table.foreign_keys:
            if not usable(key):
                continue
            loc = key_loc(key, spec)
            if key.relation is not None:
                nullable = any(not table.column(c).not_null for c in key.columns)
                found[table.name].append(
                    (
                        RelationIR(
                            key.relation,
                            table.name,
                            key.target,
                            "maybe" if nullable else "one",
                            key.columns,
                            key.target_columns,
                        ),
                        (*loc, "relation"),
                    )
                )
            if key.inverse is not None:
                found[key.target].append(
                    (
                        RelationIR(
                            key.inverse,
                            key.target,
                            table.name,
                            "maybe" if is_unique(table, key.columns) else "many",
                            key.target_columns,
                            key.columns,
                        ),
                        (*loc, "inverse"),
                    )
                )
        for i, link in enumerate(spec.many_to_many):
            loc = ("tables", table.name, "many_to_many", i)
            ends = []
            for end in ("source", "target"):
                named = getattr(link, end)
                columns = (named,) if isinstance(named, str) else tuple(named)
                chosen = next((k for k in table.foreign_keys if k.columns == columns), None)
                if chosen is None:
                    fail(
                        (*loc, end),
                        f"{end} names no foreign key of {table.name!r}: give the columns of "
                        f"one (has: {', '.join('/'.join(k.columns) for k in table.foreign_keys) or 'none'})",
                    )
                elif usable(chosen):
                    ends.append(chosen)
            if len(ends) != 2:
                continue
            source, target = ends
            found[source.target].append(
                (
                    RelationIR(
                        link.name,
                        source.target,
                        target.target,
                        "many",
                        source.target_columns,
                        target.target_columns,
                        table.name,
                        source.columns,
                        target.columns,
                    ),
                    (*loc, "name"),
                )
            )
            if link.inverse is not None:
                found[target.target].append(
                    (
                        RelationIR(
                            link.inverse,
                            target.target,
                            source.target,
                            "many",
                            target.target_columns,
                            source.target_columns,
                            table.name,
                            target.columns,
                            source.columns,
                        ),
                        (*loc, "inverse"),
                    )
                )
    result = []
    for table in tables:
        kept = _named(table, found[table.name], fail)
        result.append(replace(table, relations=tuple(kept)) if kept else table)
    return tuple(result)


def _name_problem(name: str) -> str | None:
    """A relation is a Python attribute, never SQL: any plain lowercase Python name."""
    if not IDENTIFIER.fullmatch(name):
        return (
            f"relation name {name!r} is not a plain name: use lowercase letters, digits and "
            "underscores, starting with a letter, at most 63 characters"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"relation name {name!r} is a Python keyword"
    return None


def _named(table: TableIR, relations: list[tuple[RelationIR, Loc]], fail: Fail) -> list[RelationIR]:
    """The relations whose names can be attributes of the table's generated class."""
    columns = {c.name for c in table.columns}
    kept: dict[str, RelationIR] = {}
    for relation, loc in relations:
        name = relation.name
        problem = _name_problem(name)
        if problem is None and name in columns:
            problem = f"relation name {name!r} is a column of {table.name!r}; choose another name"
        elif problem is None and (name in column_attributes() or name.startswith("model_")):
            problem = (
                f"relation name {name!r} would shadow an attribute of the generated table "
                "class; choose another name"
            )
        elif problem is None and name in kept:
            problem = f"{table.name!r} already has a relation named {name!r}"
        if problem:
            fail(loc, problem)
            continue
        kept[name] = relation
    return list(kept.values())
