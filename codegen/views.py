"""Views: one SELECT written in schema.yaml, or a query-builder select compiled here.

Both are compiled by SQLite at generation time, on a scratch database with the schema's
tables and the views declared before them, so a view that does not run is a located
error, never a failed migration. The columns of a SQL view are declared in schema.yaml
and must be the ones SQLite reports, in order. A builder view is a function in a Python
file next to schema.yaml (`query: views.py:published_posts`) that takes the schema's
tables and returns `select(...)`: its columns take the types of the table columns it
selects (optional after a left join), and other expressions need declared `columns:`.
Values the query binds are written into the view as SQL literals (a view has no
parameters).
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from libsqlkit import Column, SelectModel, Table, TableRef, TableSql, codecs
from libsqlkit._query import Select

from .ddl import schema_ddl, view_ddl
from .ir import ColumnIR, SchemaIR, ViewIR
from .sql import table_sql
from .sqltext import quote, statement_problem

__all__ = ["ViewCompiler", "ViewProblem", "inline_literals"]


class ViewProblem(Exception):
    """Why a view cannot be made; the caller locates it at the view's `sql` or `query`."""


def inline_literals(text: str, params: list[Any]) -> str:
    """`text` with each `?` replaced by its parameter as an SQL literal. The query builder
    renders no `?` but its placeholders (names are plain, values are all bound)."""
    pieces = text.split("?")
    if len(pieces) != len(params) + 1:
        raise ViewProblem("the query's SQL does not match its parameters")
    out = [pieces[0]]
    for value, piece in zip(params, pieces[1:], strict=True):
        out += [_literal(value), piece]
    return "".join(out)


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ViewProblem(f"the query binds {value!r}, which SQL cannot write as a literal")
        return repr(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise ViewProblem("the query binds text with a NUL character")
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bytes | bytearray):
        return f"X'{bytes(value).hex()}'"
    raise ViewProblem(f"the query binds a {type(value).__name__}, which a view cannot hold")


class Tables(SimpleNamespace):
    """The schema's tables by name; another name says so."""

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"the schema has no table {name!r}")


def table_refs(schema: SchemaIR) -> Tables:
    """The schema's tables as the query builder's table classes, made from the IR (no
    generated code needed): what a builder view's function receives, by table name."""
    refs: dict[str, type[TableRef[Any, Any, Any]]] = {}
    for table in schema.tables:
        columns: dict[str, Column[Any, Any]] = {
            c.name: Column(
                table.name,
                c.name,
                getattr(codecs, c.codec),
                not_null=c.not_null,
                primary_key=c.primary_key,
                generated=c.generated is not None,
            )
            for c in table.columns
        }
        sql = table_sql(table)
        meta = Table(
            name=table.name,
            columns=tuple(columns.values()),
            primary_key=table.primary_key.name,
            sql=TableSql(**sql),  # type: ignore[arg-type]
            soft_delete=table.soft_delete,
            composite_key=table.composite_key,
        )
        namespace = {**columns, "table": meta, "model": SelectModel}
        refs[table.name] = type(table.table_class, (TableRef,), namespace)
    return Tables(**refs)


@contextmanager
def _imported(folder: Path, file_name: str) -> Iterator[Any]:
    """The module in `folder/file_name`, loaded under a name of its own, its folder on
    the import path while it runs (so it may import its neighbours)."""
    path = (folder / file_name).resolve()
    if Path(file_name).is_absolute() or not path.is_relative_to(folder.resolve()):
        raise ViewProblem(f"{file_name!r} must be a file in the schema's folder")
    if path.suffix != ".py" or not path.is_file():
        raise ViewProblem(f"there is no Python file {file_name!r} next to the schema")
    name = "_libsqlkit_views_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ViewProblem(f"{file_name!r} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
        yield module
    except ViewProblem:
        raise
    except Exception as exc:
        raise ViewProblem(f"importing {file_name} failed: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.remove(str(path.parent))


class ViewCompiler:
    """A scratch database with the schema's tables, to which each checked view is added
    (a view may read the views declared before it)."""

    def __init__(self, schema: SchemaIR, folder: Path | None) -> None:
        self.schema = schema
        self.folder = folder
        self.db = sqlite3.connect(":memory:")
        for statement in schema_ddl(schema):
            self.db.execute(statement)

    def close(self) -> None:
        self.db.close()

    def columns_of(self, name: str, select: str, names: tuple[str, ...] = ()) -> list[str]:
        """The column names SQLite gives the view (`names` when given)."""
        problem = statement_problem(select, kind="sql")
        if problem:
            raise ViewProblem(problem)
        listed = f"({', '.join(quote(n) for n in names)})" if names else ""
        try:
            self.db.execute(f"CREATE VIEW `_probe`{listed} AS {select}")
            self.db.execute("SELECT * FROM `_probe` LIMIT 0").fetchall()
            found = [row[1] for row in self.db.execute("PRAGMA table_info(`_probe`)")]
        except sqlite3.Error as exc:
            raise ViewProblem(f"the view is not valid SQL here: {exc}") from None
        finally:
            self.db.execute("DROP VIEW IF EXISTS `_probe`")
        return found

    def builder(self, name: str, reference: str) -> tuple[str, list[tuple[ColumnIR | None, bool]]]:
        """The SQL of `file.py:function`'s select, and per selected expression its table
        column (None for another expression) and whether a left join makes it optional."""
        file_name, _, function = reference.partition(":")
        if not function.isidentifier():
            raise ViewProblem(
                f"query {reference!r} must be 'file.py:function' (a function in a file next "
                "to schema.yaml that takes the tables and returns select(...))"
            )
        if self.folder is None:
            raise ViewProblem("a query view needs the schema file's folder")
        with _imported(self.folder, file_name) as module:
            make = getattr(module, function, None)
            if not callable(make):
                raise ViewProblem(f"{file_name} has no function {function!r}")
            try:
                query = make(table_refs(self.schema))
                if not isinstance(query, Select):
                    raise ViewProblem(
                        f"{function}() returned {type(query).__name__}, not a select(...) query"
                    )
                text, params = query.compile()
                output = query.output()
            except ViewProblem:
                raise
            except Exception as exc:
                raise ViewProblem(f"{function}() failed: {type(exc).__name__}: {exc}") from None
        columns: list[tuple[ColumnIR | None, bool]] = []
        for expr, optional in output:
            found = None
            if isinstance(expr, Column):
                owner = self.schema.table(expr.table)
                found = owner.column(expr.name)
            columns.append((found, optional))
        return inline_literals(text, params), columns

    def add(self, view: ViewIR) -> None:
        """Create the checked view, for the views declared after it."""
        self.db.execute(view_ddl(view))


def view_column(view: str, column: ColumnIR, *, optional: bool) -> ColumnIR:
    """A table column as a column of a view's select model: its type, no key or default."""
    return ColumnIR(
        table=view,
        name=column.name,
        sql_type=column.sql_type,
        mode=column.mode,
        enum=column.enum,
        json_schema=column.json_schema,
        json_model=column.json_model,
        not_null=column.not_null and not optional,
        description=column.description,
    )
