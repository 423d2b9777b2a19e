"""Repository SQL, rendered once at generation time into string constants.

Generic CRUD statements fill libsqlkit's TableSql; each query declared in schema.yaml
becomes one statement with numbered parameters plus the list of what binds to each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .ir import ColumnIR, QueryIR, TableIR
from .sqltext import literal, quote

__all__ = ["Param", "RenderedQuery", "most_parameters", "render_query", "table_sql"]


def _columns(table: TableIR) -> str:
    return ", ".join(quote(c.name) for c in table.columns)


def _alive(table: TableIR, prefix: str) -> str:
    return f"{prefix}{quote(table.soft_delete)} IS NULL" if table.soft_delete else ""


def _defaulted_per_row(column: ColumnIR) -> bool:
    """A column whose database default is chosen per row when no value is given."""
    return (
        column.default_sql is not None
        and column.client_default is None
        and column.on_update is None
    )


def _insert_value(column: ColumnIR) -> str:
    if _defaulted_per_row(column):
        # First parameter: 1 = "not given, use the database default".
        return f"CASE WHEN ? THEN ({column.default_sql}) ELSE ? END"
    return "?"


def most_parameters(table: TableIR) -> int:
    """The most parameters one of the table's generic statements binds: the INSERT (two
    for a column defaulted per row) or an UPDATE of every column by key."""
    insert = sum(2 if _defaulted_per_row(column) else 1 for column in table.columns)
    return max(insert, len(table.columns) + 1)


def table_sql(table: TableIR) -> dict[str, str | dict[str, str] | None]:
    """Keyword arguments of libsqlkit.TableSql for this table."""
    name = quote(table.name)
    cols = _columns(table)
    key = quote(table.primary_key.name)
    values = ", ".join(_insert_value(c) for c in table.columns)
    sql: dict[str, str | dict[str, str] | None] = {
        "insert": f"INSERT INTO {name} ({cols}) VALUES ({values}) RETURNING {cols}",
        "select_by_key": f"SELECT {cols} FROM {name} WHERE {key} = ?{_alive(table, ' AND ')}",
        "select_page": f"SELECT {cols} FROM {name}{_alive(table, ' WHERE ')} ORDER BY {key} LIMIT ? OFFSET ?",
        "select_after": f"SELECT {cols} FROM {name} WHERE {key} > ?{_alive(table, ' AND ')} ORDER BY {key} LIMIT ?",
        "count": f"SELECT count(*) FROM {name}{_alive(table, ' WHERE ')}",
        "delete": f"DELETE FROM {name} WHERE {key} = ? RETURNING {key}",
        "update_prefix": f"UPDATE {name} SET ",
        "update_suffix": f" WHERE {key} = ?{_alive(table, ' AND ')} RETURNING {cols}",
        "set_fragments": {c.name: f"{quote(c.name)} = ?" for c in table.columns},
    }
    if table.soft_delete:
        deleted = quote(table.soft_delete)
        touched = "".join(f", {quote(c.name)} = ?" for c in table.touched)
        sql.update(
            soft_delete=(
                f"UPDATE {name} SET {deleted} = ?{touched} WHERE {key} = ? AND {deleted} IS NULL "
                f"RETURNING {key}"
            ),
            restore=(
                f"UPDATE {name} SET {deleted} = NULL{touched} WHERE {key} = ? AND {deleted} IS NOT NULL "
                f"RETURNING {cols}"
            ),
            select_by_key_all=f"SELECT {cols} FROM {name} WHERE {key} = ?",
            select_page_all=f"SELECT {cols} FROM {name} ORDER BY {key} LIMIT ? OFFSET ?",
            select_after_all=f"SELECT {cols} FROM {name} WHERE {key} > ? ORDER BY {key} LIMIT ?",
            count_all=f"SELECT count(*) FROM {name}",
        )
    return sql


@dataclass(frozen=True)
class Param:
    """What binds to one numbered parameter: a method argument, or the current time."""

    source: Literal["arg", "now"]
    column: ColumnIR


@dataclass(frozen=True)
class RenderedQuery:
    sql: str
    params: tuple[Param, ...]


class _Params:
    def __init__(self) -> None:
        self.items: list[Param] = []
        self.numbers: dict[tuple[str, str], int] = {}

    def number(self, source: Literal["arg", "now"], column: ColumnIR) -> str:
        key = (source, column.name)
        if key not in self.numbers:
            self.items.append(Param(source, column))
            self.numbers[key] = len(self.items)
        return f"?{self.numbers[key]}"


def render_query(table: TableIR, query: QueryIR) -> RenderedQuery:
    params = _Params()
    cols = _columns(table)
    name = quote(table.name)
    assignments = []
    if query.kind == "update":
        for column_name in query.set:
            assignments.append(
                f"{quote(column_name)} = {params.number('arg', table.column(column_name))}"
            )
        for column_name in query.set_if_given:
            q = quote(column_name)
            assignments.append(
                f"{q} = COALESCE({params.number('arg', table.column(column_name))}, {q})"
            )
    where = [f"{quote(c)} = {params.number('arg', table.column(c))}" for c in query.where]
    if query.kind == "update":
        explicit = set(query.set) | set(query.set_if_given) | {t for t, _, _ in query.set_now_when}
        for column in table.touched:
            if column.name not in explicit:
                assignments.append(f"{quote(column.name)} = {params.number('now', column)}")
        for target, when, value in query.set_now_when:
            t = quote(target)
            condition = params.number("arg", table.column(when))
            assignments.append(
                f"{t} = CASE WHEN {condition} = {literal(value)} THEN "
                f"{params.number('now', table.column(target))} ELSE {t} END"
            )
    if not query.include_deleted and table.soft_delete:
        where.append(f"{quote(table.soft_delete)} IS NULL")
    condition = " AND ".join(where)
    if query.kind == "update":
        sql = f"UPDATE {name} SET {', '.join(assignments)} WHERE {condition} RETURNING {cols}"
    else:
        sql = f"SELECT {cols} FROM {name} WHERE {condition}"
        if query.order_by:
            sql += " ORDER BY " + ", ".join(f"{quote(c)} {d}" for c, d in query.order_by)
        limit = 1 if query.kind == "one" else query.limit
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
    return RenderedQuery(sql, tuple(params.items))
