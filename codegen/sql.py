"""Repository SQL, rendered once at generation time into string constants.

Generic CRUD statements fill libsqlkit's TableSql; each query declared in schema.yaml
becomes one statement with numbered parameters plus the list of what binds to each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from libsqlkit._rows import defaulted_per_row, insert_value_sql

from .ir import ColumnIR, QueryIR, TableIR, ViewIR
from .sqltext import literal, quote

__all__ = ["Param", "RenderedQuery", "most_parameters", "render_query", "table_sql", "view_sql"]


def _columns(table: TableIR) -> str:
    return ", ".join(quote(c.name) for c in table.columns)


def _alive(table: TableIR, prefix: str) -> str:
    return f"{prefix}{quote(table.soft_delete)} IS NULL" if table.soft_delete else ""


def _defaulted_per_row(column: ColumnIR) -> bool:
    return defaulted_per_row(column.default_sql, column.client_default, column.on_update)


def _insert_value(column: ColumnIR) -> str:
    return insert_value_sql(column.default_sql, _defaulted_per_row(column))


def most_parameters(table: TableIR) -> int:
    """The most parameters one of the table's generic statements binds: the INSERT (two
    for a column defaulted per row) or an UPDATE of every column by key."""
    insert = sum(2 if _defaulted_per_row(column) else 1 for column in table.writable)
    return max(insert, len(table.writable) + len(table.key))


def table_sql(table: TableIR) -> dict[str, str | dict[str, str] | None]:
    """Keyword arguments of libsqlkit.TableSql for this table. Generated columns are read,
    never written; a composite key is matched column by column (`a = ? AND b = ?`)."""
    name = quote(table.name)
    cols = _columns(table)
    written = ", ".join(quote(c.name) for c in table.writable)
    by_key = " AND ".join(f"{quote(c.name)} = ?" for c in table.key)
    key = ", ".join(quote(c.name) for c in table.key)
    # Keyset pages: a composite key compares as a row value, `(a, b) > (?, ?)`.
    after = (
        f"({key}) > ({', '.join('?' for _ in table.key)})" if len(table.key) > 1 else f"{key} > ?"
    )
    values = ", ".join(_insert_value(c) for c in table.writable)
    sql: dict[str, str | dict[str, str] | None] = {
        "insert": f"INSERT INTO {name} ({written}) VALUES ({values}) RETURNING {cols}",
        "select_by_key": f"SELECT {cols} FROM {name} WHERE {by_key}{_alive(table, ' AND ')}",
        "select_page": f"SELECT {cols} FROM {name}{_alive(table, ' WHERE ')} ORDER BY {key} LIMIT ? OFFSET ?",
        "select_after": f"SELECT {cols} FROM {name} WHERE {after}{_alive(table, ' AND ')} ORDER BY {key} LIMIT ?",
        "count": f"SELECT count(*) FROM {name}{_alive(table, ' WHERE ')}",
        "delete": f"DELETE FROM {name} WHERE {by_key} RETURNING {key}",
        "update_prefix": f"UPDATE {name} SET ",
        "update_suffix": f" WHERE {by_key}{_alive(table, ' AND ')} RETURNING {cols}",
        "set_fragments": {c.name: f"{quote(c.name)} = ?" for c in table.writable},
    }
    if table.soft_delete:
        deleted = quote(table.soft_delete)
        touched = "".join(f", {quote(c.name)} = ?" for c in table.touched)
        sql.update(
            soft_delete=(
                f"UPDATE {name} SET {deleted} = ?{touched} WHERE {by_key} AND {deleted} IS NULL "
                f"RETURNING {key}"
            ),
            restore=(
                f"UPDATE {name} SET {deleted} = NULL{touched} WHERE {by_key} AND {deleted} IS NOT NULL "
                f"RETURNING {cols}"
            ),
            select_by_key_all=f"SELECT {cols} FROM {name} WHERE {by_key}",
            select_page_all=f"SELECT {cols} FROM {name} ORDER BY {key} LIMIT ? OFFSET ?",
            select_after_all=f"SELECT {cols} FROM {name} WHERE {after} ORDER BY {key} LIMIT ?",
            count_all=f"SELECT count(*) FROM {name}",
        )
    return sql


def view_sql(view: ViewIR) -> dict[str, str]:
    """Keyword arguments of libsqlkit.TableSql for a view: its reads. A view has no key,
    so pages are in the order of every column in turn."""
    cols = ", ".join(quote(c.name) for c in view.columns)
    order = ", ".join(str(i) for i in range(1, len(view.columns) + 1))
    name = quote(view.name)
    return {
        "select_page": f"SELECT {cols} FROM {name} ORDER BY {order} LIMIT ? OFFSET ?",
        "count": f"SELECT count(*) FROM {name}",
    }


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
