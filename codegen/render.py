"""Render every file of generated/ from the IR: one template per output file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jinja2

from codegen.ddl import schema_ddl, schema_sql_file
from codegen.ir import ColumnIR, QueryIR, SchemaIR, TableIR
from codegen.models import render_models
from codegen.sql import render_query, table_sql
from libsqlkit import codecs

__all__ = ["HEADER", "render_all"]

HEADER = "generated from schema.yaml — do not edit"
FIRST_PARTY = ["libsqlkit", "generated", "codegen"]

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("codegen", "templates"),
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
_environment.filters["pydict"] = lambda pairs: (
    "{"
    + ", ".join(
        f"{json.dumps(key)}: ({''.join(json.dumps(v) + ', ' for v in values).rstrip(' ')})"
        for key, values in pairs
    )
    + "}"
)


def _column_type(table: TableIR, column: ColumnIR) -> str:
    return f"Column[{column.select_type}, {table.model}]"


_environment.globals["column_type"] = _column_type


def _column_args(table: TableIR, column: ColumnIR) -> str:
    """Arguments of libsqlkit.Column for this column, defaults left out."""
    args = [json.dumps(table.name), json.dumps(column.name), f"codecs.{column.codec}"]
    flags = {
        "not_null": column.not_null,
        "primary_key": column.primary_key,
        "has_sql_default": column.default_sql is not None
        and not column.client_default
        and not column.on_update,
    }
    args += [f"{name}=True" for name, value in flags.items() if value]
    for name in ("client_default", "on_update"):
        if getattr(column, name):
            args.append(f"{name}={json.dumps(getattr(column, name))}")
    return ", ".join(args)


_environment.globals["column_args"] = _column_args


def _encoded(table: TableIR, column: ColumnIR, expression: str) -> str:
    if getattr(codecs, column.codec).encode is None:
        return expression
    return f"{table.table_class}.{column.name}.encode({expression})"


def _query_context(table: TableIR, query: QueryIR) -> dict[str, Any]:
    rendered = render_query(table, query)
    arguments = [f"{c}: {table.column(c).py_type}" for c in query.where]
    arguments += [f"{c}: {table.column(c).select_type}" for c in query.set]
    arguments += [f"{c}: {table.column(c).py_type} | None = None" for c in query.set_if_given]
    values = [
        _encoded(table, p.column, p.column.name if p.source == "arg" else "now")
        for p in rendered.params
    ]
    if query.kind == "many":
        returns, fetch = f"list[{table.model}]", "_fetch_all"
    else:
        returns, fetch = f"{table.model} | None", "_fetch_one"
    validated = [*query.set, *query.set_if_given]
    return {
        "ir": query,
        "rendered": rendered,
        "signature": ", ".join(arguments),
        "returns": returns,
        "fetch": fetch,
        "args": ", ".join(values) + ("," if len(values) == 1 else ""),
        "validate": ", ".join(f"{c}={c}" for c in validated),
        "uses_now": any(p.source == "now" for p in rendered.params),
        "doc": (query.description or f"Declared in schema.yaml as {query.name}.").replace(
            '"""', "'''"
        ),
    }


def _imports(body: str, candidates: list[tuple[str, str, str]]) -> list[str]:
    """`from M import a, b` lines for the names that `body` uses, grouped as isort wants."""
    groups: dict[str, dict[str, set[str]]] = {"std": {}, "third": {}, "first": {}}
    used = set(re.findall(r"(?<![\w.])[A-Za-z_]\w*", body))  # names not after a dot
    for group, module, name in candidates:
        if name in used:
            groups[group].setdefault(module, set()).add(name)
    lines: list[str] = []
    for group in ("std", "third", "first"):
        if groups[group]:
            lines += [
                f"from {module} import {', '.join(sorted(names, key=lambda n: (not n.isupper(), n.lower())))}"
                for module, names in sorted(groups[group].items())
            ]
            lines.append("")
    return lines


_COMMON = [
    ("std", "datetime", "UTC"),
    ("std", "datetime", "datetime"),
    ("std", "typing", "Final"),
    ("std", "typing", "Literal"),
    ("third", "pydantic", "JsonValue"),
]


_IMPORTS = "#@imports@#"


def _with_imports(template: str, candidates: list[tuple[str, str, str]], **context: Any) -> str:
    """Render once, then put in the imports of exactly the names the text uses."""
    text = _environment.get_template(template).render(imports=[_IMPORTS], **context)
    before, _, after = text.partition(_IMPORTS + "\n")
    return before + "".join(f"{line}\n" for line in _imports(before + after, candidates)) + after


def _tables_py(schema: SchemaIR, header: str, package: str) -> str:
    tables = []
    for table in schema.tables:
        checks: list[tuple[str, tuple[str, ...]]] = [
            (name, (column.name,)) for name, column in table.enum_checks
        ]
        checks += [(name, ()) for name, _ in table.checks]
        tables.append({"ir": table, "sql": table_sql(table), "checks": checks})
    json_models = [c.json_model for t in schema.tables for c in t.columns if c.json_model]
    candidates = [
        *_COMMON,
        ("first", "libsqlkit", "Column"),
        ("first", "libsqlkit", "Schema"),
        ("first", "libsqlkit", "Table"),
        ("first", "libsqlkit", "TableSql"),
        ("first", "libsqlkit", "TableRef"),
        ("first", "libsqlkit", "codecs"),
        *[("first", f"{package}.models", name) for name in json_models],
    ]
    models = [name for t in schema.tables for name in (t.model, t.insert_model, t.update_model)]
    candidates += [("first", f"{package}.models", name) for name in models]
    exports = sorted(
        [t.constant for t in schema.tables]
        + [t.table_class for t in schema.tables]
        + [t.name for t in schema.tables]
        + ["SCHEMA"]
    )
    return _with_imports(
        "tables.py.jinja",
        candidates,
        header=header,
        tables=tables,
        ddl=schema_ddl(schema),
        sync_metadata=schema.sync_metadata,
        exports=exports,
    )


def _repository_py(table: TableIR, header: str, package: str) -> str:
    queries = [_query_context(table, query) for query in table.queries]
    base = "SoftDeleteRepository" if table.soft_delete else "Repository"
    json_models = [c.json_model for c in table.columns if c.json_model]
    candidates = [
        *_COMMON,
        ("first", "libsqlkit", base),
        *[
            ("first", f"{package}.models", name)
            for name in [table.insert_model, table.model, table.update_model, *json_models]
        ],
        ("first", f"{package}.tables", table.constant),
        ("first", f"{package}.tables", table.table_class),
    ]
    return _with_imports(
        "repository.py.jinja", candidates, header=header, t=table, queries=queries, base=base
    )


def _format(files: dict[str, str], package: str) -> dict[str, str]:
    """Sort imports and format the Python files with ruff, as `make test` lints them."""
    settings = [
        "--isolated",
        "--line-length=100",
        "--target-version=py311",
        f"--config=lint.isort.known-first-party={json.dumps([*FIRST_PARTY, package])}",
    ]
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for path, text in python.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        for command in (
            ["check", "--select=I,RUF022", "--fix", "--quiet", "--exit-zero"],
            ["format", "--quiet"],
        ):
            subprocess.run(
                [sys.executable, "-m", "ruff", *command, *settings, str(root)], check=True
            )
        return {
            path: (root / path).read_text(encoding="utf-8") if path in python else text
            for path, text in files.items()
        }


def render_all(schema: SchemaIR, package: str = "generated") -> dict[str, str]:
    """Every generated file, keyed by its path inside the output package `package`."""
    py_header = f"# {HEADER}\n"
    files = {
        "__init__.py": _environment.get_template("package_init.py.jinja").render(
            header=py_header, package=package
        ),
        "py.typed": py_header,
        "schema.sql": schema_sql_file(schema, f"-- {HEADER}\n"),
        "models.py": render_models(schema, py_header),
        "tables.py": _tables_py(schema, py_header, package),
        "client.py": _environment.get_template("client.py.jinja").render(
            header=py_header, package=package
        ),
        "repositories/__init__.py": _environment.get_template("repositories_init.py.jinja").render(
            header=py_header, tables=schema.tables, package=package
        ),
    }
    for table in schema.tables:
        files[f"repositories/{table.name}.py"] = _repository_py(table, py_header, package)
    return _format(files, package)
