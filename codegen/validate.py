"""schema.yaml -> SchemaIR, or a SchemaError listing every problem with its position.

Every independent problem is reported in one run: each table's structure is checked on
its own, the tables that pass are checked for meaning, and the checks across tables run
on those. Only a schema without problems is handed to datamodel-code-generator, whose
module is then read for names it had to change.
"""

from __future__ import annotations

import difflib
import keyword
import math
import re
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import ValidationError

from libsqlkit._naming import unique_index_name

from .cache import OutputCache
from .ddl import table_ddl
from .ir import (
    ColumnIR,
    ForeignKeyIR,
    GeneratedIR,
    IndexIR,
    QueryIR,
    QueryKind,
    ReferenceIR,
    SchemaIR,
    TableIR,
    ViewIR,
)
from .limits import sqlite_limits
from .models import model_clashes, render_models
from .names import TABLES_MODULE_NAMES, column_attributes, query_attributes
from .payloads import json_schema_problems, json_value_problem
from .problems import Loc, Problem, SchemaError
from .relations import check_foreign_keys, with_relations
from .render import HEADER
from .source import SchemaSource
from .spec import (
    ColumnSpec,
    ForeignKeySpec,
    GeneratedSpec,
    IndexSpec,
    JsonSchemaSpec,
    ManyToManySpec,
    QuerySpec,
    ReferenceSpec,
    SchemaSpec,
    TableSpec,
    ViewColumnSpec,
    ViewSpec,
)
from .sql import most_parameters
from .sqltext import expression_problem, identifier_problem
from .views import ViewCompiler, ViewProblem, view_column

__all__ = ["build_schema"]

SpecT = TypeVar("SpecT", SchemaSpec, TableSpec, ViewSpec)
MODEL_NAME = re.compile(r"[A-Z][A-Za-z0-9]{0,62}")
ORDER_TERM = re.compile(r"(?P<column>\S+)(?:\s+(?P<direction>asc|desc))?", re.IGNORECASE)
ALLOWED_MODES = {
    "text": ("json",),
    "integer": ("timestamp", "timestamp_ms", "boolean"),
    "real": (),
    "blob": ("json", "bigint"),
    "numeric": ("number", "bigint"),
}


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _shown(value: object) -> str:
    """` (got 'x')` for a short scalar, else nothing: a message stays one readable line."""
    if isinstance(value, str | int | float | bool) and len(repr(value)) <= 60:
        return f" (got {value!r})"
    return ""


def _in_document(source: SchemaSource, loc: Loc) -> tuple[Loc, bool]:
    """`loc` without the steps that are not in the document, and whether there were any:
    pydantic puts the member of a union (`bool`, `list[...]`) into the location."""
    node: Any = source.document
    kept: list[str | int] = []
    for step in loc:
        present = (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        )
        if present:
            node = node[step]
            kept.append(step)
    return tuple(kept), len(kept) != len(loc)


def _name(loc: Loc) -> str:
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), "value")


def _spec_problems(source: SchemaSource, error: ValidationError, prefix: Loc) -> list[Problem]:
    problems = []
    unions: dict[Loc, list[Any]] = {}
    for item in error.errors():
        loc: Loc = (*prefix, *item["loc"])
        kind = item["type"]
        if kind == "extra_forbidden":
            known = _known_keys(loc[:-1])
            hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
            suggestion = (
                f"; did you mean {hint[0]!r}?" if hint else f"; known keys: {', '.join(known)}"
            )
            problems.append(
                source.problem(loc, f"unknown key {loc[-1]!r}{suggestion}", at_key=True)
            )
            continue
        if kind == "missing":
            problems.append(source.problem(loc[:-1], f"missing required key {loc[-1]!r}"))
            continue
        where, member = _in_document(source, loc)
        if member:
            unions.setdefault(where, []).append(item)
        elif kind == "literal_error":
            name = f" for {loc[-1]!r}" if isinstance(loc[-1], str) else ""
            problems.append(
                source.problem(loc, f"unknown value {item['input']!r}{name}: {item['msg'].lower()}")
            )
        elif kind in ("model_type", "dict_type"):
            problems.append(source.problem(loc, f"{_name(loc)}: should be a mapping"))
        else:
            message = f"{_name(loc)}: {item['msg'].lower()}{_shown(item['input'])}"
            problems.append(source.problem(loc, message))
    for where, items in unions.items():
        wanted = []
        for item in items:
            if item["type"] in ("model_type", "dict_type"):
                wanted.append("a mapping")
            else:
                wanted.append(item["msg"].lower().removeprefix("input should be "))
        message = f"{_name(where)}: input should be {' or '.join(dict.fromkeys(wanted))}"
        problems.append(source.problem(where, message + _shown(items[0]["input"])))
    return problems


def _known_keys(parent: Loc) -> list[str]:
    """The keys allowed at `parent` (for 'did you mean' hints)."""
    depth = len(parent)
    section = parent[0] if parent else None
    kind = parent[2] if depth > 2 else None
    model: type[Any] | None = None
    if depth > 4 and kind == "columns" and parent[4] == "json_schema":
        model = JsonSchemaSpec
    elif depth == 0:
        model = SchemaSpec
    elif depth == 2:
        model = ViewSpec if section == "views" else TableSpec
    elif depth == 4 and kind == "columns":
        model = ViewColumnSpec if section == "views" else ColumnSpec
    elif depth == 4:
        model = {
            "queries": QuerySpec,
            "indexes": IndexSpec,
            "foreign_keys": ForeignKeySpec,
            "many_to_many": ManyToManySpec,
        }.get(str(kind))
    elif depth == 5 and kind == "columns":
        model = {"references": ReferenceSpec, "generated": GeneratedSpec}.get(str(parent[4]))
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


class _Builder:
    """The IR of the tables whose structure is valid, and the problems of their meaning.

    `broken` names the tables left out for structural problems: the checks across
    tables say nothing about them, as those problems are reported already.
    """

    def __init__(
        self,
        source: SchemaSource,
        tables: dict[str, TableSpec],
        broken: set[str],
        sync_metadata: str | None,
        views: dict[str, ViewSpec],
    ) -> None:
        self.source = source
        self.tables = tables
        self.broken = broken
        self.views = views
        self.sync_metadata_name = sync_metadata
        self.problems: list[Problem] = []
        # What tables.py, models.py and the repositories package define, and for what.
        self.defined: tuple[dict[str, str], dict[str, str], dict[str, str]] = (
            dict.fromkeys(TABLES_MODULE_NAMES, "a name tables.py defines"),
            {},
            {},
        )

    def fail(self, loc: Loc, message: str, *, at_key: bool = False) -> None:
        self.problems.append(self.source.problem(loc, message, at_key=at_key))

    def name(self, loc: Loc, name: str, what: str, *, python_name: bool = False) -> None:
        problem = identifier_problem(name, what, python_name=python_name)
        if problem:
            self.fail(loc, problem, at_key=True)

    def build(self) -> SchemaIR:
        tables = tuple(self.table(name, spec) for name, spec in self.tables.items())
        self.cross_checks(tables)
        tables = with_relations(tables, self.tables, self.broken, self.fail)
        self.sync_metadata(tables)
        schema = SchemaIR(tables=tables, sync_metadata=self.sync_metadata_name)
        return replace(schema, views=self.build_views(schema))

    # -- views -----------------------------------------------------------------------

    def build_views(self, schema: SchemaIR) -> tuple[ViewIR, ...]:
        """Each view, compiled by SQLite on the schema's tables and the views before it
        (only when the tables have no problem: else their errors would echo here)."""
        if not self.views:
            return ()
        compiler = (
            ViewCompiler(schema, self.source.folder)
            if not self.problems and not self.broken
            else None
        )
        taken = {t.name for t in schema.tables} | {
            name for t in schema.tables for name in _index_names(t)
        }
        views = []
        try:
            for name, spec in self.views.items():
                view = self.view(name, spec, compiler, taken)
                if view is not None:
                    views.append(view)
                    taken.add(name)
        finally:
            if compiler is not None:
                compiler.close()
        return tuple(views)

    def view(
        self, name: str, spec: ViewSpec, compiler: ViewCompiler | None, taken: set[str]
    ) -> ViewIR | None:
        loc: Loc = ("views", name)
        self.name(loc, name, "view name")
        if name in taken:
            self.fail(
                loc, f"the name {name!r} is already used by a table, index or view", at_key=True
            )
            return None
        model = spec.model or _pascal(name)
        if spec.model is not None and (not MODEL_NAME.fullmatch(model) or keyword.iskeyword(model)):
            self.fail((*loc, "model"), f"model {model!r} must be a PascalCase Python class name")
        declared = tuple(
            self.column(
                name,
                model,
                column_name,
                ColumnSpec(**{key: getattr(column, key) for key in column.model_fields_set}),
                (*loc, "columns", column_name),
            )
            for column_name, column in spec.columns.items()
        )
        if (spec.sql is None) == (spec.query is None):
            self.fail(
                loc, "a view needs exactly one of 'sql' (a SELECT) or 'query' (file.py:function)"
            )
            return None
        key = "sql" if spec.sql is not None else "query"
        columns, select, named = declared, spec.sql or "", False
        if compiler is not None:
            try:
                if spec.sql is not None:
                    columns = self.sql_view_columns(name, spec.sql, declared, compiler, loc)
                else:
                    select, columns = self.query_view(
                        name, spec.query or "", declared, compiler, loc
                    )
                    named = True
                    compiler.columns_of(name, select, tuple(c.name for c in columns))
            except ViewProblem as problem:
                self.fail((*loc, key), str(problem))
                return None
        if not columns:
            return None
        view = ViewIR(name, model, columns, select, named, (), spec.description)
        if compiler is not None:
            compiler.add(view)
        readable = view.readable
        queries = []
        for query_name, query in spec.queries.items():
            qloc: Loc = (*loc, "queries", query_name)
            if query.update is not None:
                self.fail(
                    (*qloc, "update"), "a view is read only: its queries are select: one|many"
                )
                continue
            queries.append(self.query(readable, query_name, query, qloc))
        self.names_taken(
            "views",
            name,
            view.constant,
            view.table_class,
            [(model, "the model")],
            [
                (c.json_model, f"{name}.{c.name}")
                for c in columns
                if c.json_model and c.table == name
            ],
            view.repository,
        )
        return replace(view, queries=tuple(queries))

    def sql_view_columns(
        self, name: str, sql: str, declared: tuple[ColumnIR, ...], compiler: ViewCompiler, loc: Loc
    ) -> tuple[ColumnIR, ...]:
        found = compiler.columns_of(name, sql)
        listed = [c.name for c in declared]
        if listed != found:
            what = f"columns: lists {', '.join(listed)}" if listed else "it declares no columns:"
            self.fail(
                (*loc, "columns") if listed else loc,
                f"the view's columns are {', '.join(found)} (as SQLite names them), but {what}; "
                "declare each with its type, in that order",
                at_key=not listed,
            )
            return ()
        return declared

    def query_view(
        self,
        name: str,
        reference: str,
        declared: tuple[ColumnIR, ...],
        compiler: ViewCompiler,
        loc: Loc,
    ) -> tuple[str, tuple[ColumnIR, ...]]:
        select, outputs = compiler.builder(name, reference)
        if declared:
            if len(declared) != len(outputs):
                raise ViewProblem(
                    f"the query selects {len(outputs)} values but columns: declares {len(declared)}"
                )
            return select, declared
        columns = []
        for i, (column, optional) in enumerate(outputs):
            if column is None:
                raise ViewProblem(
                    f"selected value {i + 1} is not a table column: declare the view's columns: "
                    "(names and types, in order)"
                )
            columns.append(view_column(name, column, optional=optional))
        names = [c.name for c in columns]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ViewProblem(
                f"the query selects two columns named {twice[0]!r}: select them one by one, or "
                "declare the view's columns: with names of their own"
            )
        return select, tuple(columns)

    def sync_metadata(self, tables: tuple[TableIR, ...]) -> None:
        """The metadata table gets one row per synced table, written by the runtime."""
        name = self.sync_metadata_name
        if name is None or name in self.broken:
            return
        loc: Loc = ("sync_metadata",)
        table = next((t for t in tables if t.name == name), None)
        if table is None:
            self.fail(loc, f"sync_metadata names {name!r}, which the schema does not define")
            return
        if table.sync:
            self.fail(
                ("tables", name, "sync"),
                f"the sync_metadata table {name!r} is per device; it cannot be synced",
            )
        if not any(t.sync for t in tables) and not self.broken:
            self.fail(loc, "sync_metadata needs at least one table with sync: true")
        wanted = {
            "table_name": "a text column",
            "last_sync_at": "a nullable timestamp column",
            "sync_status": "a text enum with SYNCING, COMPLETED and FAILED",
        }
        present = {c.name: c for c in table.columns}
        for column, what in wanted.items():
            found = present.get(column)
            fits = found is not None and (
                (column == "table_name" and found.sql_type == "text" and found.mode is None)
                or (column == "last_sync_at" and found.is_timestamp and not found.not_null)
                or (
                    column == "sync_status"
                    and found.enum is not None
                    and {"SYNCING", "COMPLETED", "FAILED"} <= set(found.enum)
                )
            )
            if not fits:
                where: Loc = ("tables", name, "columns") + ((column,) if found else ())
                self.fail(where, f"the sync_metadata table {name!r} needs {column!r}: {what}")
        for other in table.columns:
            if other.name in wanted:
                continue
            fillable = (
                not other.not_null
                or other.has_default
                or other.default_sql is not None
                or other.client_default is not None
            )
            if not fillable:
                self.fail(
                    ("tables", name, "columns", other.name),
                    f"{name}.{other.name} must be nullable or have a default: "
                    "the runtime fills in only the sync columns",
                )

    # -- columns ---------------------------------------------------------------------

    def column(
        self, table: str, model: str, name: str, spec: ColumnSpec, loc: Loc, *, in_key: bool = False
    ) -> ColumnIR:
        self.name(loc, name, "column name", python_name=True)
        if identifier_problem(name, "column name") is None and (
            name in column_attributes() or name.startswith("model_")
        ):
            self.fail(
                loc,
                f"column name {name!r} would shadow an attribute of the generated table class "
                "or models; choose another name",
                at_key=True,
            )
        if spec.renamed_from is not None:
            self.name((*loc, "renamed_from"), spec.renamed_from, "renamed_from")
        if spec.mode is not None and spec.mode not in ALLOWED_MODES[spec.type]:
            allowed = ", ".join(ALLOWED_MODES[spec.type]) or "none"
            self.fail(
                (*loc, "mode"),
                f"mode {spec.mode!r} does not apply to {spec.type} columns (allowed: {allowed})",
            )
        enum = tuple(spec.enum) if spec.enum is not None else None
        if enum is not None:
            if spec.type != "text" or spec.mode is not None:
                self.fail((*loc, "enum"), "enum applies only to plain text columns")
            if not enum:
                self.fail((*loc, "enum"), "enum needs at least one value")
            if len(set(enum)) != len(enum):
                self.fail((*loc, "enum"), "enum values must be distinct")
            if any("\x00" in v for v in enum):
                self.fail((*loc, "enum"), "enum values may not contain NUL characters")
        json_model = json_schema = None
        if spec.json_schema is not None:
            where: Loc = (*loc, "json_schema")
            fine = True
            for problem_loc, message, at_key in json_schema_problems(spec.json_schema, where):
                self.fail(problem_loc, message, at_key=at_key)
                fine = False
            if spec.mode != "json":
                self.fail(where, "json_schema needs mode: json")
            elif spec.json_schema.type != "object":
                self.fail(where, "json_schema must describe an object (type: object)")
            elif "default" in spec.model_fields_set:
                # datamodel-code-generator writes it as a dict where the model is expected.
                self.fail(
                    (*loc, "default"),
                    "a column with json_schema cannot have a literal default (the generated "
                    "model's default would not type-check); use default_sql or leave it out",
                )
            elif fine:
                json_model = model + _pascal(name)
                json_schema = spec.json_schema.model_dump(by_alias=True, exclude_unset=True)
        not_null = spec.not_null or spec.primary_key or in_key
        generated = self.generated_checks(spec, loc)
        if spec.autoincrement and not (
            spec.primary_key and spec.type == "integer" and spec.mode is None
        ):
            self.fail((*loc, "autoincrement"), "autoincrement needs a plain integer primary key")
        has_default = "default" in spec.model_fields_set
        self.default_checks(spec, loc, has_default)
        if spec.client_default == "uuid4" and not (
            spec.type == "text" and spec.mode is None and enum is None
        ):
            self.fail((*loc, "client_default"), "client_default uuid4 needs a plain text column")
        if spec.client_default == "now" and spec.mode not in ("timestamp", "timestamp_ms"):
            self.fail(
                (*loc, "client_default"),
                "client_default now needs a timestamp or timestamp_ms column",
            )
        if spec.on_update == "now" and spec.mode not in ("timestamp", "timestamp_ms"):
            self.fail((*loc, "on_update"), "on_update now needs a timestamp or timestamp_ms column")
        reference = None
        if spec.references is not None:
            r = spec.references
            reference = ReferenceIR(r.table, r.column, r.on_delete, r.on_update)
        return ColumnIR(
            table=table,
            name=name,
            sql_type=spec.type,
            mode=spec.mode,
            enum=enum,
            json_schema=json_schema,
            json_model=json_model,
            primary_key=spec.primary_key,
            autoincrement=spec.autoincrement,
            not_null=not_null,
            unique=spec.unique,
            has_default=has_default,
            default=spec.default,
            default_sql=spec.default_sql,
            client_default=spec.client_default,
            on_update=spec.on_update,
            references=reference,
            generated=generated,
            renamed_from=spec.renamed_from,
            description=spec.description,
        )

    def generated_checks(self, spec: ColumnSpec, loc: Loc) -> GeneratedIR | None:
        """A generated column is computed by SQLite: nothing may write or default it.
        Its expression is compiled once the table's columns are known (`table`)."""
        if spec.generated is None:
            return None
        clashing = [
            key
            for key in (
                "primary_key",
                "autoincrement",
                "default",
                "default_sql",
                "client_default",
                "on_update",
                "references",
            )
            if key in spec.model_fields_set
        ]
        for key in clashing:
            self.fail(
                (*loc, key),
                f"a generated column is computed by SQLite: it cannot have {key}",
                at_key=True,
            )
        return GeneratedIR(spec.generated.as_, spec.generated.mode == "stored")

    def default_checks(self, spec: ColumnSpec, loc: Loc, has_default: bool) -> None:
        given = [
            k for k in ("default", "default_sql", "client_default") if k in spec.model_fields_set
        ]
        if len(given) > 1:
            self.fail((*loc, given[1]), f"use only one of {', '.join(given)}")
        if spec.default_sql is not None:
            problem = expression_problem(spec.default_sql, columns={}, kind="default_sql")
            if problem:
                self.fail((*loc, "default_sql"), problem)
        if not has_default:
            return
        value = spec.default
        where = (*loc, "default")
        if value is None:
            self.fail(where, "default: null is the same as no default; remove it")
            return
        kind = (spec.type, spec.mode)
        if spec.mode == "json":
            problem = json_value_problem(value)
            if problem:
                self.fail(where, f"default is not JSON: {problem}")
            return
        if spec.enum is not None:
            if value not in spec.enum:
                self.fail(
                    where, f"default {value!r} is not one of the enum values {list(spec.enum)}"
                )
            return
        expected = {
            ("text", None): (str,),
            ("integer", None): (int,),
            ("integer", "boolean"): (bool,),
            ("real", None): (int, float),
            ("numeric", None): (str,),  # its Python type is str: write '1.5'
            ("numeric", "number"): (int, float),
            ("numeric", "bigint"): (int,),
            ("blob", "bigint"): (int,),
        }.get(kind)
        if expected is None:
            self.fail(
                where,
                f"a literal default does not fit {_kind(spec)}; "
                "use default_sql (e.g. '(unixepoch())') or client_default",
            )
        elif isinstance(value, bool) != (bool in expected) or not isinstance(value, expected):
            hint = f": its values are text, write {str(value)!r}" if expected == (str,) else ""
            self.fail(where, f"default {value!r} does not fit {_kind(spec)}{hint}")
        elif isinstance(value, float) and not math.isfinite(value):
            self.fail(where, "default must be a finite number")
        elif isinstance(value, str) and "\x00" in value:
            self.fail(where, "default may not contain NUL characters")

    # -- tables ----------------------------------------------------------------------

    def table(self, name: str, spec: TableSpec) -> TableIR:
        loc: Loc = ("tables", name)
        known = len(self.problems)  # what was found before this table
        self.name(loc, name, "table name")
        if spec.renamed_from is not None:
            self.name((*loc, "renamed_from"), spec.renamed_from, "renamed_from")
        model = spec.model or _pascal(name)
        checked = spec.model is not None or identifier_problem(name, "table name") is None
        if checked and (not MODEL_NAME.fullmatch(model) or keyword.iskeyword(model)):
            self.fail((*loc, "model"), f"model {model!r} must be a PascalCase Python class name")
        composite = tuple(spec.primary_key or ())
        columns = tuple(
            self.column(
                name,
                model,
                column_name,
                column_spec,
                (*loc, "columns", column_name),
                in_key=column_name in composite,
            )
            for column_name, column_spec in spec.columns.items()
        )
        names = {c.name: c for c in columns}
        keys = self.key_checks(name, spec, columns, loc)
        if spec.sync and composite:
            self.fail(
                (*loc, "sync"),
                "sync: true needs a single text primary key (client_default: uuid4), not a "
                "composite one",
            )
        if spec.sync and len(keys) == 1 and keys[0].sql_type != "text":
            self.fail(
                (*loc, "sync"),
                "sync: true needs a text primary key that devices create without clashing "
                f"(client_default: uuid4); {name}.{keys[0].name} is {keys[0].sql_type}"
                + (
                    ", which each database numbers on its own"
                    if keys[0].sql_type == "integer"
                    else ""
                ),
            )
        types = {c.name: c.sql_type for c in columns}
        indexes = []
        for index_name, index in spec.indexes.items():
            iloc: Loc = (*loc, "indexes", index_name)
            self.name(iloc, index_name, "index name")
            for i, column in enumerate(index.columns):
                if column not in names:
                    self.fail(
                        (*iloc, "columns", i),
                        f"index {index_name!r} is on column {column!r}, which {name!r} does not have",
                    )
            if len(set(index.columns)) != len(index.columns):
                self.fail((*iloc, "columns"), f"index {index_name!r} names a column twice")
            if index.where is not None:
                problem = expression_problem(index.where, columns=types, kind="index where")
                if problem:
                    self.fail((*iloc, "where"), problem)
            indexes.append(
                IndexIR(index_name, name, tuple(index.columns), index.unique, index.where)
            )
        checks = []
        for check_name, expression in spec.checks.items():
            cloc: Loc = (*loc, "checks", check_name)
            self.name(cloc, check_name, "check name")
            problem = expression_problem(expression, columns=types, kind="check")
            if problem:
                self.fail(cloc, problem)
            checks.append((check_name, expression))
        if spec.soft_delete is not None:
            deleted = names.get(spec.soft_delete)
            if deleted is None:
                self.fail(
                    (*loc, "soft_delete"),
                    f"soft_delete names {spec.soft_delete!r}, which {name!r} does not have",
                )
            elif deleted.not_null or not deleted.is_timestamp or deleted.on_update:
                self.fail(
                    (*loc, "soft_delete"),
                    "the soft_delete column must be a nullable timestamp without on_update",
                )
        self.unique_clash_policy(name, spec, columns, indexes)
        for computed in columns:
            if computed.generated is not None:
                problem = expression_problem(
                    computed.generated.expression, columns=types, kind="generated"
                )
                if problem:
                    self.fail((*loc, "columns", computed.name, "generated", "as"), problem)
        table = TableIR(
            name=name,
            model=model,
            columns=columns,
            indexes=tuple(indexes),
            checks=tuple(checks),
            soft_delete=spec.soft_delete,
            sync=spec.sync,
            on_unique_clash=spec.on_unique_clash or "fail",
            renamed_from=spec.renamed_from,
            description=spec.description,
            composite_key=tuple(c.name for c in keys) if composite and len(keys) > 1 else (),
            foreign_keys=self.foreign_keys(name, spec, names, loc),
        )
        self.limits(table, loc)
        if any(c.generated for c in columns) and len(self.problems) == known:
            problem = _compile_problem(table)
            if problem:
                self.fail((*loc, "columns"), f"table {name!r} is not valid SQL: {problem}")
        queries = tuple(
            self.query(table, qname, q, (*loc, "queries", qname))
            for qname, q in spec.queries.items()
        )
        return TableIR(**{**table.__dict__, "queries": queries})

    def key_checks(
        self, name: str, spec: TableSpec, columns: tuple[ColumnIR, ...], loc: Loc
    ) -> list[ColumnIR]:
        """One primary_key column, or a table-level `primary_key: [a, b]`: the key."""
        names = {c.name: c for c in columns}
        marked = [c for c in columns if c.primary_key]
        if spec.primary_key is None:
            if len(marked) != 1:
                self.fail(
                    (*loc, "columns"),
                    f"table {name!r} needs exactly one primary_key column, has {len(marked)}"
                    + (
                        " (for a composite key, list them under the table's primary_key: [a, b])"
                        if marked
                        else ""
                    ),
                )
            return marked
        where: Loc = (*loc, "primary_key")
        if len(spec.primary_key) == 1:
            self.fail(
                where,
                "a one-column primary key is written on the column (primary_key: true); "
                "the table's primary_key lists the columns of a composite key",
            )
        for column in marked:
            self.fail(
                (*loc, "columns", column.name, "primary_key"),
                f"{name!r} has a composite primary_key; a column cannot also be one on its own",
                at_key=True,
            )
        keys = []
        for i, column_name in enumerate(spec.primary_key):
            found = names.get(column_name)
            if found is None:
                self.fail(
                    (*where, i), f"primary_key names {column_name!r}, which {name!r} does not have"
                )
            elif found.generated is not None:
                self.fail(
                    (*where, i), f"{name}.{column_name} is generated: it cannot be in the key"
                )
            else:
                keys.append(found)
        if len(set(spec.primary_key)) != len(spec.primary_key):
            self.fail(where, "primary_key names a column twice")
        return keys

    def foreign_keys(
        self, name: str, spec: TableSpec, columns: dict[str, ColumnIR], loc: Loc
    ) -> tuple[ForeignKeyIR, ...]:
        """Every foreign key of the table: the columns' `references`, then the table's
        `foreign_keys` (checked against their target tables in `cross_checks`)."""
        found = [
            ForeignKeyIR(
                name,
                (column.name,),
                column.references.table,
                (column.references.column,),
                column.references.on_delete,
                column.references.on_update,
                reference.relation,
                reference.inverse,
            )
            for column in columns.values()
            if column.references is not None
            and (reference := spec.columns[column.name].references) is not None
        ]
        for i, key in enumerate(spec.foreign_keys):
            kloc: Loc = (*loc, "foreign_keys", i)
            fine = True
            for j, column_name in enumerate(key.columns):
                if column_name not in columns:
                    self.fail(
                        (*kloc, "columns", j),
                        f"the foreign key names {column_name!r}, which {name!r} does not have",
                    )
                    fine = False
            if len(set(key.columns)) != len(key.columns):
                self.fail((*kloc, "columns"), "the foreign key names a column twice")
                fine = False
            if len(key.references) != len(key.columns):
                self.fail(
                    (*kloc, "references"),
                    f"the foreign key has {len(key.columns)} columns but references "
                    f"{len(key.references)}",
                )
                fine = False
            if fine:
                found.append(
                    ForeignKeyIR(
                        name,
                        tuple(key.columns),
                        key.table,
                        tuple(key.references),
                        key.on_delete,
                        key.on_update,
                        key.relation,
                        key.inverse,
                        composite=True,
                    )
                )
        return tuple(found)

    def limits(self, table: TableIR, loc: Loc) -> None:
        """SQLite's limits, so that create_schema and every statement work at run time.

        Declared queries bind at most two parameters per column (a value and the time),
        as the generic INSERT does, so the generic statements bound them too.
        """
        limits = sqlite_limits()
        if len(table.columns) > limits.columns:
            self.fail(
                (*loc, "columns"),
                f"table {table.name!r} has {len(table.columns)} columns; SQLite allows at most "
                f"{limits.columns}",
                at_key=True,
            )
        elif most_parameters(table) > limits.variables:
            self.fail(
                (*loc, "columns"),
                f"table {table.name!r} needs {most_parameters(table)} parameters in one "
                f"statement; SQLite allows at most {limits.variables}",
                at_key=True,
            )

    def unique_clash_policy(
        self, name: str, spec: TableSpec, columns: tuple[ColumnIR, ...], indexes: list[IndexIR]
    ) -> None:
        """`on_unique_clash` decides between devices' rows, so it needs a synced table with
        unique values to clash on; partial unique indexes are not supported by
        `keep_latest` (a clash would depend on each row's other columns)."""
        if spec.on_unique_clash is None:
            return
        loc: Loc = ("tables", name, "on_unique_clash")
        if not spec.sync:
            self.fail(loc, "on_unique_clash needs sync: true (it decides clashes between devices)")
            return
        if spec.on_unique_clash != "keep_latest":
            return
        partial = [index.name for index in indexes if index.unique and index.where]
        if partial:
            self.fail(
                loc,
                f"keep_latest does not support partial unique indexes ({', '.join(partial)}); "
                "use fail, or make the index whole",
            )
        elif not any(c.unique for c in columns) and not any(i.unique for i in indexes):
            self.fail(loc, f"keep_latest needs a unique column or index, and {name!r} has none")

    def query(self, table: TableIR, name: str, spec: QuerySpec, loc: Loc) -> QueryIR:
        self.name(loc, name, "query name", python_name=True)
        if identifier_problem(name, "query name") is None and name in query_attributes():
            self.fail(
                loc,
                f"query {name!r} would hide the repository attribute of that name",
                at_key=True,
            )
        names = {c.name for c in table.columns}
        if (spec.select is None) == (spec.update is None):
            self.fail(loc, "a query needs exactly one of 'select: one|many' or 'update: [columns]'")
        for key in ("where", "update", "update_if_given"):
            for i, column in enumerate(getattr(spec, key) or ()):
                if column not in names:
                    self.fail((*loc, key, i), f"{column!r} is not a column of {table.name!r}")
                elif key != "where" and not table.column(column).writable:
                    self.fail(
                        (*loc, key, i),
                        f"{table.name}.{column} is generated (computed by SQLite): it cannot be updated",
                    )
        params = [*spec.where, *(spec.update or ()), *spec.update_if_given]
        if "self" in params:
            self.fail(loc, "a column named 'self' cannot be an argument of a method")
        if len(set(params)) != len(params):
            self.fail(
                loc, f"query {name!r} names a column twice among where/update/update_if_given"
            )
        order_by = []
        for i, term in enumerate(spec.order_by):
            match = ORDER_TERM.fullmatch(term.strip())
            if not match or match["column"] not in names:
                self.fail(
                    (*loc, "order_by", i),
                    f"order_by term {term!r} must be '<column> [asc|desc]' with a column of {table.name!r}",
                )
                continue
            order_by.append((match["column"], (match["direction"] or "asc").upper()))
        stamps = []
        for target, condition in spec.set_now_when.items():
            tloc: Loc = (*loc, "set_now_when", target)
            if target not in names or not table.column(target).is_timestamp:
                self.fail(
                    tloc,
                    f"set_now_when target {target!r} must be a timestamp column of {table.name!r}",
                    at_key=True,
                )
                continue
            if len(condition) != 1:
                self.fail(tloc, "set_now_when needs exactly one {column: value} condition")
                continue
            ((when, value),) = condition.items()
            if when not in (spec.update or ()):
                self.fail(
                    (*tloc, when),
                    f"the condition column {when!r} must be one of this query's update columns",
                    at_key=True,
                )
            elif table.column(when).enum is not None and value not in (
                table.column(when).enum or ()
            ):
                self.fail((*tloc, when), f"{value!r} is not one of {when}'s enum values")
            elif not isinstance(value, str | int) or isinstance(value, bool):
                self.fail((*tloc, when), "the condition value must be a string or an integer")
            stamps.append((target, when, value))
        if spec.select is not None and (spec.update_if_given or spec.set_now_when):
            self.fail(loc, "update_if_given and set_now_when apply only to update queries")
        if spec.update is not None and (spec.order_by or spec.limit):
            self.fail(loc, "order_by and limit apply only to select queries")
        kind: QueryKind = spec.select or "update"
        return QueryIR(
            name=name,
            kind=kind,
            where=tuple(spec.where),
            order_by=tuple(order_by),
            limit=spec.limit,
            set=tuple(spec.update or ()),
            set_if_given=tuple(spec.update_if_given),
            set_now_when=tuple(stamps),
            include_deleted=spec.include_deleted or table.soft_delete is None,
            description=spec.description,
        )

    # -- across tables ---------------------------------------------------------------

    def cross_checks(self, tables: tuple[TableIR, ...]) -> None:
        # SQLite keeps tables and indexes in one namespace.
        seen: dict[str, Loc] = {t.name: ("tables", t.name) for t in tables}
        for table in tables:
            implicit = [
                (
                    unique_index_name(table.name, c.name),
                    ("tables", table.name, "columns", c.name, "unique"),
                )
                for c in table.columns
                if c.unique
            ]
            explicit = [(i.name, ("tables", table.name, "indexes", i.name)) for i in table.indexes]
            for name, loc in implicit + explicit:
                if name in seen:
                    self.fail(
                        loc,
                        f"the name {name!r} is already used by another table or index",
                        at_key=True,
                    )
                seen[name] = loc
        check_foreign_keys(tables, self.tables, self.broken, self.fail)
        self.generated_names(tables)

    def generated_names(self, tables: tuple[TableIR, ...]) -> None:
        """What one generated module defines for the schema must be distinct: tables.py
        its table aliases, constants and table classes (next to SCHEMA), models.py its
        models, the repositories package its repositories. A name a module imports from
        another may match one it defines (model T1 and constant T1): see names.Scope."""
        for table in tables:
            json_models = [
                (c.json_model, f"{table.name}.{c.name}") for c in table.columns if c.json_model
            ]
            classes = [
                (table.model, "the model"),
                (table.insert_model, "the insert model"),
                (table.update_model, "the update model"),
            ]
            self.names_taken(
                "tables",
                table.name,
                table.constant,
                table.table_class,
                classes,
                json_models,
                table.repository,
            )

    def names_taken(
        self,
        section: str,
        name: str,
        constant: str,
        table_class: str,
        classes: list[tuple[str, str]],
        json_models: list[tuple[str, str]],
        repository: str,
    ) -> None:
        """Record the generated names of one table or view; the first clash is a problem."""
        tables_py, models_py, repositories = self.defined
        what_kind = "table" if section == "tables" else "view"
        of = f"of {what_kind} {name!r}"
        by_name = f"rename the {what_kind}"
        by_model = "set 'model:' to another name"
        named = [
            (tables_py, name, f"the query-builder alias {of}", by_name),
            (tables_py, constant, f"the metadata constant {of}", by_name),
            (tables_py, table_class, f"the {what_kind} class {of}", by_name),
            *((models_py, cls, f"{what} {of}", by_model) for cls, what in classes),
            (repositories, repository, f"the repository {of}", by_model),
            *((models_py, m, f"the JSON model of {where}", by_model) for m, where in json_models),
        ]
        specs: dict[str, Any] = self.tables if section == "tables" else self.views
        for module, generated, what, fix in named:
            if generated in module:
                loc: Loc = (section, name)
                at_model = fix == by_model and specs[name].model is not None
                self.fail(
                    (*loc, "model") if at_model else loc,
                    f"the generated name {generated!r} is {what} and {module[generated]}; {fix}",
                    at_key=not at_model,
                )
                break
            module[generated] = what


def _compile_problem(table: TableIR) -> str | None:
    """What SQLite says of the table's CREATE TABLE as a whole (generated columns that
    read each other in a loop), or None."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(table_ddl(table)[0])
        connection.execute(f"SELECT * FROM `{table.name}`").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        connection.close()
    return None


def _index_names(table: TableIR) -> list[str]:
    """The indexes SQLite will have for the table (its unique columns' and its own)."""
    return [unique_index_name(table.name, c.name) for c in table.columns if c.unique] + [
        i.name for i in table.indexes
    ]


def _kind(spec: ColumnSpec) -> str:
    return f"type {spec.type}" + (f", mode {spec.mode}" if spec.mode else "")


def _validated(
    source: SchemaSource, model: type[SpecT], value: object, loc: Loc, problems: list[Problem]
) -> SpecT | None:
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problems.extend(_spec_problems(source, error, loc))
        return None


def build_schema(source: SchemaSource, cache: OutputCache | None = None) -> SchemaIR:
    """The IR of a schema.yaml; SchemaError lists every problem, the names the model
    generator had to change (models.py) among them."""
    schema, check_models = checked_schema(source)
    check_models(render_models(schema, f"# {HEADER}\n", cache))
    return schema


def checked_schema(source: SchemaSource) -> tuple[SchemaIR, Callable[[str], None]]:
    """`build_schema` but for the last check, returned: it raises SchemaError for the
    names the model generator changed, given models.py's text, which the caller can
    have made meanwhile (the CLI, in a process of its own: codegen/models_job.py)."""
    problems: list[Problem] = []
    spec = _validated(source, SchemaSpec, source.document, (), problems)
    raw_tables = source.document.get("tables")
    tables: dict[str, TableSpec] = {}
    broken: set[str] = set()
    if isinstance(raw_tables, dict):
        for name, raw in raw_tables.items():
            table = _validated(source, TableSpec, raw, ("tables", name), problems)
            if table is None:
                broken.add(name)
            else:
                tables[name] = table
    views: dict[str, ViewSpec] = {}
    raw_views = source.document.get("views")
    if isinstance(raw_views, dict):
        for name, raw in raw_views.items():
            view = _validated(source, ViewSpec, raw, ("views", name), problems)
            if view is not None:
                views[name] = view
    builder = _Builder(source, tables, broken, spec.sync_metadata if spec else None, views)
    schema = builder.build()
    problems += builder.problems
    if problems:
        raise SchemaError(source.file_name, problems)

    def check_models(models_py: str) -> None:
        found = _model_problems(source, schema, tables, views, models_py)
        if found:
            raise SchemaError(source.file_name, found)

    return schema, check_models


def _model_problems(
    source: SchemaSource,
    schema: SchemaIR,
    tables: dict[str, TableSpec],
    views: dict[str, ViewSpec],
    models_py: str,
) -> list[Problem]:
    """Names datamodel-code-generator had to change in models.py, located in schema.yaml."""
    problems = []
    for clash in model_clashes(schema, models_py):
        if clash.view:
            at: Loc = ("views", clash.table)
            if clash.column is not None and clash.column in views[clash.table].columns:
                at = (*at, "columns", clash.column)
            problems.append(source.problem(at, clash.message, at_key=True))
            continue
        loc: Loc = ("tables", clash.table)
        if clash.column is None:
            at_key = tables[clash.table].model is None
            loc = loc if at_key else (*loc, "model")
        else:
            at_key = True
            loc = (*loc, "columns", clash.column)
            if clash.json_property is not None:
                column = tables[clash.table].columns[clash.column].json_schema
                loc = (*loc, "json_schema", *_property_path(column, clash.json_property))
        problems.append(source.problem(loc, clash.message, at_key=at_key))
    return problems


def _property_path(spec: JsonSchemaSpec | None, name: str) -> Loc:
    """Where in `spec` a property called `name` is defined (empty if nowhere)."""
    if spec is None:
        return ()
    if spec.properties and name in spec.properties:
        return ("properties", name)
    nested: list[tuple[Loc, JsonSchemaSpec | None]] = [
        *((("properties", key), value) for key, value in (spec.properties or {}).items()),
        (("items",), spec.items),
    ]
    if isinstance(spec.additional_properties, JsonSchemaSpec):
        nested.append((("additionalProperties",), spec.additional_properties))
    for prefix, child in nested:
        found = _property_path(child, name)
        if found:
            return (*prefix, *found)
    return ()
