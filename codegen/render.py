"""Render every file of generated/ from the IR: one template per output file."""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from libsqlkit import codecs
from libsqlkit._connect import DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_POOL_SIZE, DEFAULT_TIMEOUT_S
from libsqlkit._rows import defaulted_per_row

from .cache import OutputCache, content_key
from .ddl import schema_ddl, schema_sql_file
from .ir import KINDS, ColumnIR, QueryIR, RelationIR, SchemaIR, TableIR, ViewIR
from .models import render_models
from .names import Scope
from .pynames import names_in
from .sql import render_query, table_sql, view_sql

__all__ = ["HEADER", "query_constant", "render_all"]

# ruff runs as its binary when files are formatted (`_ruff`); missing, it is named now,
# when the command loads, as the code-generation extra's other packages are.
if importlib.util.find_spec("ruff") is None:
    raise ModuleNotFoundError("No module named 'ruff'", name="ruff")

HEADER = "generated from schema.yaml — do not edit"
# The generated factories' defaults are the runtime's own.
CLIENT_DEFAULTS = {
    "timeout": DEFAULT_TIMEOUT_S,
    "busy_timeout_ms": DEFAULT_BUSY_TIMEOUT_MS,
    "pool_size": DEFAULT_POOL_SIZE,
}
FIRST_PARTY = ["libsqlkit", "generated", "codegen"]

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader(__package__ or "", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)
# A Python literal for a str/None/dict value: JSON text is valid Python for these.
_environment.filters["py"] = lambda value: (
    "None" if value is None else json.dumps(value, ensure_ascii=False)
)
# Sequences rendered without a trailing comma, so that ruff may keep them on one line.
_environment.filters["pylist"] = lambda items: "[" + ", ".join(items) + "]"
_environment.filters["pytuple"] = lambda items: (
    "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
)
_environment.filters["prefix"] = lambda value, prefix: f"{prefix}{value}"
_environment.filters["sum_with"] = lambda items, more: [*items, *more]
_environment.filters["pydict"] = lambda pairs: (
    "{"
    + ", ".join(
        f"{json.dumps(key)}: ({''.join(json.dumps(v) + ', ' for v in values).rstrip(' ')})"
        for key, values in pairs
    )
    + "}"
)


def _value_type(column: ColumnIR, scope: Scope) -> str:
    """The Python type of a non-null value, as the module of `scope` writes it."""
    if column.enum is not None:
        return f"{scope.helpers['Literal']}[" + ", ".join(repr(v) for v in column.enum) + "]"
    if column.json_model is not None:
        return scope.ref("models", column.json_model)
    return scope.helpers[KINDS[(column.sql_type, column.mode)][1]]


def _select_type(column: ColumnIR, scope: Scope) -> str:
    value = _value_type(column, scope)
    return value if column.not_null else f"{value} | None"


def _column_type(table: TableIR, column: ColumnIR, scope: Scope) -> str:
    model = scope.ref("models", table.model)
    return f"{scope.helpers['Column']}[{_select_type(column, scope)}, {model}]"


_environment.globals["column_type"] = _column_type


def _column_args(table: TableIR, column: ColumnIR, scope: Scope) -> str:
    """Arguments of libsqlkit.Column for this column, defaults left out."""
    codec = f"{scope.helpers['codecs']}.{column.codec}"
    args = [json.dumps(table.name), json.dumps(column.name), codec]
    flags = {
        "not_null": column.not_null,
        "primary_key": column.primary_key,
        "has_sql_default": defaulted_per_row(
            column.default_sql, column.client_default, column.on_update
        ),
        "generated": column.generated is not None,
    }
    args += [f"{name}=True" for name, value in flags.items() if value]
    for name in ("client_default", "on_update"):
        if getattr(column, name):
            args.append(f"{name}={json.dumps(getattr(column, name))}")
    return ", ".join(args)


_environment.globals["column_args"] = _column_args


def _docstring(text: str) -> str:
    """`text` as the inside of a triple-quoted docstring that reads back as `text`.

    Backslashes and characters that are not printable are escaped; quotes only where
    they could end the docstring (those followed by a quote, and one at the very end).
    """
    escaped = "".join(
        character
        if character == "\n" or character.isprintable()
        else character.encode("unicode_escape").decode("ascii")
        for character in text.replace("\\", "\\\\")
    )
    return re.sub(r'"(?="|\Z)', r'\\"', escaped)


def _encoded(
    owner: str, column: ColumnIR, expression: str, scope: Scope, *, optional: bool = False
) -> str:
    """`expression` as stored, by the column of the class `owner` (of tables.py);
    `optional`: it may be None though the column is NOT NULL (an update_if_given
    argument), which the column's encode() is not typed to take."""
    if getattr(codecs, column.codec).encode is None:
        return expression
    encoded = f"{scope.ref('tables', owner)}.{column.name}.encode({expression})"
    if optional and column.not_null:
        return f"(None if {expression} is None else {encoded})"
    return encoded


# The one local variable of a generated query method: the underscore keeps it apart
# from the parameters, which are column names.
_NOW = "_now"


def _query_context(
    table: TableIR, query: QueryIR, scope: Scope, owner: str | None = None
) -> dict[str, Any]:
    """What the templates need of a declared query; `owner` is the class of tables.py
    whose columns encode its arguments (the table's class, or a view's)."""
    owner = owner or table.table_class
    rendered = render_query(table, query)
    arguments = [f"{c}: {_value_type(table.column(c), scope)}" for c in query.where]
    arguments += [f"{c}: {_select_type(table.column(c), scope)}" for c in query.set]
    arguments += [
        f"{c}: {_value_type(table.column(c), scope)} | None = None" for c in query.set_if_given
    ]
    values = [
        _encoded(owner, p.column, _NOW, scope)
        if p.source == "now"
        else _encoded(
            owner, p.column, p.column.name, scope, optional=p.column.name in query.set_if_given
        )
        for p in rendered.params
    ]
    model = scope.ref("models", table.model)
    if query.kind == "many":
        returns, fetch = f"{scope.helpers['list']}[{model}]", scope.helpers["fetch_all"]
    else:
        returns, fetch = f"{model} | None", scope.helpers["fetch_one"]
    validated = [*query.set, *query.set_if_given]
    names = [*query.where, *query.set, *query.set_if_given]
    return {
        "ir": query,
        "constant": query_constant(query),
        "plan": query_plan(query),
        "rendered": rendered,
        "signature": ", ".join(arguments),
        "call": ", ".join(names),
        "returns": returns,
        "fetch": fetch,
        "write": query.kind == "update",
        "args": ", ".join(values) + ("," if len(values) == 1 else ""),
        "validate": ", ".join(f"{c}={c}" for c in validated),
        "now": _NOW if any(p.source == "now" for p in rendered.params) else None,
        "doc": _docstring(query.description or f"Declared in schema.yaml as {query.name}."),
    }


def query_constant(query: QueryIR) -> str:
    """The module constant holding a query's SQL (private, so it never meets a schema name)."""
    return f"_{query.name.upper()}_SQL"


def query_plan(query: QueryIR) -> str:
    """The module function building a query's plan, which both repositories run (private,
    and with a suffix no helper alias `_<name>` has)."""
    return f"_{query.name}_plan"


_IMPORTS = "#@imports@#"


def _with_imports(template: str, scope: Scope, **context: Any) -> str:
    """Render once, then put in the imports of exactly the names the text uses."""
    text = _environment.get_template(template).render(
        imports=[_IMPORTS], n=scope.helpers, ref=scope.ref, scope=scope, **context
    )
    before, _, after = text.partition(_IMPORTS + "\n")
    body = before + after
    used = names_in(ast.parse(body))
    return before + "".join(f"{line}\n" for line in scope.imports(used)) + after


def _class_names(table: TableIR) -> list[str]:
    json_models = [c.json_model for c in table.columns if c.json_model]
    return [table.model, table.insert_model, table.update_model, *json_models]


def _tables_py(schema: SchemaIR, header: str, package: str) -> str:
    owners: list[TableIR | ViewIR] = [*schema.tables, *schema.views]
    defined = [name for t in owners for name in (t.name, t.constant, t.table_class)]
    exports = sorted([*defined, "SCHEMA"])
    models = [name for t in schema.tables for name in _class_names(t)]
    models += [name for v in schema.views for name in _view_class_names(v)]
    scope = Scope(
        package,
        {"models": list(dict.fromkeys(models))},
        [*defined, *(c.name for t in owners for c in t.columns)],
    )
    tables = []
    for table in schema.tables:
        checks: list[tuple[str, tuple[str, ...]]] = [
            (name, (column.name,)) for name, column in table.enum_checks
        ]
        checks += [(name, ()) for name, _ in table.checks]
        references = {
            column: (key.target, target)
            for key in table.foreign_keys
            for column, target in zip(key.columns, key.target_columns, strict=True)
        }
        tables.append(
            {
                "ir": table,
                "sql": table_sql(table),
                "relations": [_relation(schema, relation, scope) for relation in table.relations],
                "checks": checks,
                "references": json.dumps(references).replace("[", "(").replace("]", ")")
                if references
                else "",
            }
        )
    views = [{"ir": v, "readable": v.readable, "sql": view_sql(v)} for v in schema.views]
    return _with_imports(
        "tables.py.jinja",
        scope,
        header=header,
        tables=tables,
        views=views,
        ddl=schema_ddl(schema),
        sync_metadata=schema.sync_metadata,
        exports=exports,
    )


_RELATION_CLASSES = {"one": "One", "maybe": "MaybeOne", "many": "Many"}


def _pairs(left: tuple[str, ...], right: tuple[str, ...]) -> str:
    """Column pairs as a Python tuple literal: (("a", "x"), ("b", "y"))."""
    items = [f"({json.dumps(a)}, {json.dumps(b)})" for a, b in zip(left, right, strict=True)]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _relation(schema: SchemaIR, relation: RelationIR, scope: Scope) -> dict[str, str]:
    """A relation's annotation in its table class and the statement that sets it."""
    owner, target = schema.table(relation.table), schema.table(relation.target)
    kind = scope.helpers[_RELATION_CLASSES[relation.kind]]
    mine, theirs = scope.ref("models", owner.model), scope.ref("models", target.model)
    args = [owner.table_class, json.dumps(relation.name), target.table_class]
    if relation.through is None:
        args.append(_pairs(relation.columns, relation.target_columns))
    else:
        args.append(_pairs(relation.columns, relation.through_columns))
        args.append(f"through={schema.table(relation.through).table_class}")
        args.append(
            f"through_on={_pairs(relation.through_target_columns, relation.target_columns)}"
        )
    return {
        "name": relation.name,
        "type": f"{scope.helpers['ClassVar']}[{kind}[{mine}, {theirs}, {theirs}]]",
        "value": f"{owner.table_class}.{relation.name} = {kind}({', '.join(args)})",
    }


def _view_class_names(view: ViewIR) -> list[str]:
    return [view.model, *(c.json_model for c in view.columns if c.json_model)]


def _view_repository_py(view: ViewIR, header: str, package: str) -> str:
    readable = view.readable
    scope = Scope(
        package,
        {"models": _view_class_names(view), "tables": [view.constant, view.table_class]},
        [
            view.repository,
            view.async_repository,
            *(c.name for c in view.columns),
            *(q.name for q in view.queries),
        ],
    )
    queries = [_query_context(readable, query, scope, view.table_class) for query in view.queries]
    return _with_imports("view_repository.py.jinja", scope, header=header, v=view, queries=queries)


def _repository_py(table: TableIR, header: str, package: str) -> str:
    scope = Scope(
        package,
        {"models": _class_names(table), "tables": [table.constant, table.table_class]},
        [
            table.repository,
            table.async_repository,
            *(c.name for c in table.columns),
            *(q.name for q in table.queries),
        ],
    )
    queries = [_query_context(table, query, scope) for query in table.queries]
    base = "SoftDeleteRepository" if table.soft_delete else "Repository"
    return _with_imports(
        "repository.py.jinja",
        scope,
        header=header,
        t=table,
        queries=queries,
        base=scope.helpers[base],
        async_base=scope.helpers[f"Async{base}"],
        key_type=_key_type(table, scope),
    )


def _key_type(table: TableIR, scope: Scope) -> str:
    """What `get(key)` takes: the key column's type, or a tuple for a composite key."""
    types = [_value_type(column, scope) for column in table.key]
    return types[0] if len(types) == 1 else f"{scope.helpers['tuple']}[{', '.join(types)}]"


@functools.cache
def _ruff() -> str:
    """ruff's binary, run as `python -m ruff` runs it, without that interpreter's start
    (≈30 ms a call; two calls wait on models.py at the end of a large `generate`)."""
    from ruff import find_ruff_bin

    return str(find_ruff_bin())


def _format(files: dict[str, str], package: str, cache: OutputCache | None) -> dict[str, str]:
    """Sort imports and format the Python files with ruff, as `make test` lints them: one
    ruff call for every file not found in the cache, none when all are."""
    settings = [
        "--isolated",
        "--line-length=100",
        "--target-version=py311",
        f"--config=lint.isort.known-first-party={json.dumps([*FIRST_PARTY, package])}",
    ]
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    keys = {path: content_key("ruff", *settings, path, text) for path, text in python.items()}
    formatted = {}
    if cache is not None:
        found = {path: cache.get(key) for path, key in keys.items()}
        formatted = {path: text for path, text in found.items() if text is not None}
    todo = {path: text for path, text in python.items() if path not in formatted}
    if todo:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            for path, text in todo.items():
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_text(text, encoding="utf-8")
            for command in (
                ["check", "--select=I,RUF022", "--fix", "--quiet", "--exit-zero"],
                ["format", "--quiet"],
            ):
                subprocess.run([_ruff(), *command, *settings, str(root)], check=True)
            for path in todo:
                formatted[path] = (root / path).read_text(encoding="utf-8")
                if cache is not None:
                    cache.put(keys[path], formatted[path])
    return {path: formatted.get(path, text) for path, text in files.items()}


def render_all(
    schema: SchemaIR,
    package: str = "generated",
    cache: OutputCache | None = None,
    models: Callable[[], str] | None = None,
) -> dict[str, str]:
    """Every generated file, keyed by its path inside the output package `package`;
    `cache` keeps the generator's and ruff's outputs between runs (codegen/cache.py).
    `models` gives models.py's text where it is made elsewhere: it is asked for last,
    once every other file is rendered (the CLI makes it meanwhile, models_job.py)."""
    py_header = f"# {HEADER}\n"
    files = {
        "__init__.py": _environment.get_template("package_init.py.jinja").render(
            header=py_header, package=package
        ),
        "py.typed": py_header,
        "schema.sql": schema_sql_file(schema, f"-- {HEADER}\n"),
        "models.py": "",  # below, last
        "tables.py": _tables_py(schema, py_header, package),
        "client.py": _environment.get_template("client.py.jinja").render(
            header=py_header, package=package, defaults=CLIENT_DEFAULTS
        ),
        "repositories/__init__.py": _environment.get_template("repositories_init.py.jinja").render(
            header=py_header, tables=[*schema.tables, *schema.views], package=package
        ),
    }
    for table in schema.tables:
        files[f"repositories/{table.name}.py"] = _repository_py(table, py_header, package)
    for view in schema.views:
        files[f"repositories/{view.name}.py"] = _view_repository_py(view, py_header, package)
    if models is None:
        files["models.py"] = render_models(schema, py_header, cache)
        return _format(files, package, cache)
    # The rest is formatted while models.py is being made elsewhere, then models.py.
    rest = _format({p: t for p, t in files.items() if p != "models.py"}, package, cache)
    rest.update(_format({"models.py": models()}, package, cache))
    return {path: rest[path] for path in files}
