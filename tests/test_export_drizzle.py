"""`libsqlkit export drizzle`: schema.yaml as a Drizzle schema, proved on the
pinned Node toolchain of tests/drizzle/ for three schemas (the design's, the golden
all_types with every column kind, and an edge case of names, defaults and JSON types):

- the exported file passes `tsc --strict`;
- `drizzle-kit generate` on it writes DDL whose schema facts (PRAGMA table_info,
  index_list, foreign_key_list, and the CHECKs, enum CHECKs included) equal this layer's;
- its `$inferSelect` / `$inferInsert` types (and the JSON payload types) agree with the
  pydantic models field by field, as the TypeScript compiler reads them;
- rows written through it by Drizzle are stored byte for byte as the generated
  repositories store them, and each side reads the other's rows identically.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pydantic
import pytest

from codegen.cli import main
from codegen.drizzle_export import drizzle_schema, json_type_name, property_names
from codegen.ir import SchemaIR, TableIR
from codegen.render import render_all
from codegen.snapshot import snapshot_of
from codegen.source import load_source
from codegen.validate import build_schema
from codegen.write import write_files
from libsqlkit._snapshot import Snapshot, introspect
from tests.drizzle_kit import (
    ROOT,
    create_database,
    drizzle_kit_statements,
    node,
    node_folder,
    pragma_facts,
    run,
)
from tests.node_project import NODE_PROJECT

__all__ = ["node"]

EDGE_SCHEMA = """\
version: 1
tables:
  text:
    description: "Names and values that need care */ in TypeScript"
    columns:
      id: {type: integer, primary_key: true}
      a_1: {type: text}
      a1: {type: text, description: "a comment's end */ inside"}
      ratio: {type: real, not_null: true, default: 100.0}
      tiny: {type: real, default: 1.0e-7}
      quoted: {type: text, not_null: true, default: "it's \\"quoted\\""}
      doc: {type: text, mode: json, not_null: true, default: {"it's": [1, 2.5, null]}}
      counter: {type: blob, mode: bigint, default: 9007199254740993}
      big: {type: numeric, mode: bigint, not_null: true, default: 9007199254740993}
      parent_id:
        type: integer
        references: {table: text, column: id, on_delete: set null, on_update: cascade}
      payload:
        type: text
        mode: json
        json_schema:
          type: object
          properties:
            tags: {type: array, items: {type: string}}
            kind: {enum: [a, b]}
            counts: {type: object, additionalProperties: {type: integer}}
            maybe: {type: [string, "null"]}
          required: [tags, maybe]
    indexes:
      idx_text_quoted: {columns: [quoted, a1], where: "quoted <> 'it''s'"}
    checks:
      text_ratio_positive: "ratio > 0"
  json:
    description: Its model is named Json, like the any-JSON type.
    columns:
      id: {type: integer, primary_key: true}
      doc: {type: blob, mode: json, not_null: true}
  function:
    columns:
      id: {type: text, primary_key: true, client_default: uuid4}
      text_id: {type: integer, not_null: true, references: {table: text, column: id}}
      stamp: {type: integer, mode: timestamp_ms, on_update: now}
      flag: {type: integer, mode: boolean, not_null: true, default: true}
"""


@dataclass(frozen=True)
class Case:
    name: str
    schema_file: Path
    package: str  # the generated Python package of the schema


def _edge_case(folder: Path) -> Case:
    schema_file = folder / "edge.yaml"
    schema_file.write_text(EDGE_SCHEMA, encoding="utf-8")
    package = "drizzle_edge"
    write_files(folder / package, render_all(build_schema(load_source(schema_file)), package))
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return Case("edge", schema_file, package)


@dataclass(frozen=True)
class Exported:
    case: Case
    schema: SchemaIR
    folder: Path
    ts: Path  # the exported schema.ts
    js: Path  # tsc's JavaScript of it
    tsc_output: str

    def module(self, name: str) -> Any:
        return importlib.import_module(f"{self.case.package}.{name}")


def _export(name: str, node: str, folder: Path) -> Exported:
    """The case's schema exported through the CLI, then compiled by `tsc --strict`."""
    case = {
        "design": lambda: Case("design", ROOT / "schema.yaml", "generated"),
        "all_types": lambda: Case(
            "all_types", ROOT / "tests/golden/all_types/schema.yaml", "golden_all_types"
        ),
        "edge": lambda: _edge_case(folder),
    }[name]()
    ts = folder / "schema.ts"
    assert main(["--schema", str(case.schema_file), "export", "drizzle", "--out", str(ts)]) == 0
    (folder / "tsconfig.json").write_text(
        json.dumps(
            {
                "extends": str(NODE_PROJECT / "tsconfig.json"),
                "files": ["schema.ts"],
                "compilerOptions": {"outDir": "js"},
            }
        )
    )
    output = run(
        [node, str(NODE_PROJECT / "node_modules/typescript/bin/tsc"), "-p", str(folder)],
        cwd=folder,
    )
    schema = build_schema(load_source(case.schema_file))
    return Exported(case, schema, folder, ts, folder / "js" / "schema.js", output)


@pytest.fixture(scope="module")
def exports(node: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Exported]:
    """Each case exported and compiled once for the module."""
    done: dict[str, Exported] = {}

    def get(name: str) -> Exported:
        if name not in done:
            folder = node_folder(tmp_path_factory.mktemp(f"export-{name}"))
            done[name] = _export(name, node, folder)
        return done[name]

    return get


@pytest.fixture(params=["design", "all_types", "edge"])
def exported(request: pytest.FixtureRequest, exports: Callable[[str], Exported]) -> Exported:
    return exports(request.param)


def test_the_export_passes_tsc_strict(exported: Exported) -> None:
    config = json.loads((NODE_PROJECT / "tsconfig.json").read_text(encoding="utf-8"))
    assert config["compilerOptions"]["strict"] is True
    assert exported.tsc_output == ""  # no diagnostic (tsc exited 0, see the fixture)
    assert exported.js.is_file()


def test_the_export_is_deterministic(exported: Exported) -> None:
    assert drizzle_schema(exported.schema) == drizzle_schema(exported.schema)
    assert exported.ts.read_text(encoding="utf-8") == drizzle_schema(
        exported.schema, source=exported.case.schema_file.name
    )


def _without_triggers(snapshot: Snapshot) -> Snapshot:
    return Snapshot(tuple(replace(t, triggers=()) for t in snapshot.tables))


def test_drizzle_kit_writes_the_same_schema_facts(exported: Exported, node: str) -> None:
    """Every fact this layer compares schemas by: columns, indexes, foreign keys and
    CHECKs, the enum CHECKs included. Only the sync change-log triggers are not in a
    Drizzle schema (migrations create them)."""
    statements = drizzle_kit_statements(node, exported.ts, exported.folder / "drizzle-kit")
    theirs = create_database(exported.folder / "drizzle-kit.db", statements)
    ours = exported.folder / "ours.db"
    with exported.module("client").create_db_client(f"file:{ours}") as db:
        db.create_schema()
    assert pragma_facts(theirs) == pragma_facts(ours)
    with sqlite3.connect(theirs) as raw:
        facts = introspect(lambda sql, params: raw.execute(sql, params).fetchall())
    expected = snapshot_of(exported.schema)
    assert [t.name for t in facts.tables] == sorted(t.name for t in exported.schema.tables)
    assert sorted(_without_triggers(facts).tables, key=lambda t: t.name) == sorted(
        _without_triggers(expected).tables, key=lambda t: t.name
    )
    assert any(c.enum for t in facts.tables for c in t.columns) == any(
        c.enum for t in exported.schema.tables for c in t.columns
    )


# -- the row types, as TypeScript and pydantic see them --------------------------------


def _python_kind(annotation: Any, *, bigint: bool, json_type: str) -> dict[str, Any]:
    """A pydantic field type in the terms types.js describes TypeScript types in."""
    members = []
    pending = [annotation]
    while pending:
        current = pending.pop(0)
        origin = typing.get_origin(current)
        if origin in (typing.Union, types.UnionType):
            pending = list(typing.get_args(current)) + pending
        elif origin is typing.Annotated:
            pending.insert(0, typing.get_args(current)[0])
        else:
            members.append(current)
    nullable = type(None) in members or pydantic.JsonValue in members
    rest = [m for m in members if m is not type(None)]
    if len(rest) != 1:
        return {"nullable": nullable, "kind": repr(rest)}
    (only,) = rest
    if typing.get_origin(only) is typing.Literal:
        return {"nullable": nullable, "kind": "literals", "values": sorted(typing.get_args(only))}
    if only is pydantic.JsonValue:
        return {"nullable": True, "kind": json_type}
    if typing.get_origin(only) is list:
        (item,) = typing.get_args(only)
        return {
            "nullable": nullable,
            "kind": "array",
            "items": _python_kind(item, bigint=False, json_type=json_type),
        }
    if typing.get_origin(only) is dict:
        _, value = typing.get_args(only)
        return {
            "nullable": nullable,
            "kind": "record",
            "value": _python_kind(value, bigint=False, json_type=json_type),
        }
    if isinstance(only, type) and issubclass(only, pydantic.BaseModel):
        return {
            "nullable": nullable,
            "kind": "object",
            "properties": _python_fields(only, {}, json_type=json_type),
        }
    simple = {str: "string", float: "number", bool: "boolean", bytes: "Buffer"}
    if only is int:
        return {"nullable": nullable, "kind": "bigint" if bigint else "number"}
    if only is pydantic.AwareDatetime:
        return {"nullable": nullable, "kind": "Date"}
    return {"nullable": nullable, "kind": simple.get(only, repr(only))}


def _python_fields(
    model: type[pydantic.BaseModel],
    names: dict[str, str],
    *,
    bigints: frozenset[str] = frozenset(),
    json_type: str,
) -> dict[str, Any]:
    """Field -> description; `names` maps row fields to the TypeScript property names
    (JSON payload models keep their JSON names)."""
    fields = {}
    for name, info in model.model_fields.items():
        fields[names.get(name, info.alias or name)] = {
            "optional": not info.is_required(),
            **_python_kind(info.annotation, bigint=name in bigints, json_type=json_type),
        }
    return fields


def _unnamed(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields without the TypeScript alias names of their object types (pydantic names
    its classes its own way)."""

    def kind(description: dict[str, Any]) -> dict[str, Any]:
        out = dict(description)
        if out.get("kind") == "object":
            del out["name"]
            out["properties"] = _unnamed(out["properties"])
        for key in ("items", "value"):
            if key in out:
                out[key] = kind(out[key])
        return out

    return {name: kind(description) for name, description in fields.items()}


def _insert_rule(python: dict[str, Any], typescript: dict[str, Any]) -> dict[str, Any]:
    """An insert model takes None for a NOT NULL column it may leave out: there None
    means "not given" (the default applies), as a missing property does in TypeScript."""
    ruled = {}
    for name, field in python.items():
        ts = typescript.get(name, {})
        if field["optional"] and ts.get("optional") and not ts.get("nullable"):
            field = {**field, "nullable": False}
        ruled[name] = field
    return ruled


def test_row_types_agree_with_the_pydantic_models(exported: Exported, node: str) -> None:
    json_type = json_type_name(exported.schema)
    described = json.loads(run([node, "types.js", str(exported.ts), json_type]))
    typescript = {name: _unnamed(fields) for name, fields in described.items()}
    models = exported.module("models")
    expected: dict[str, Any] = {}
    for table in exported.schema.tables:
        names = property_names(table)
        bigints = frozenset(
            c.name
            for c in table.columns
            if c.mode == "bigint" and c.sql_type in ("blob", "numeric")
        )
        select = getattr(models, table.model)
        insert = getattr(models, table.insert_model)
        expected[table.model] = _python_fields(select, names, bigints=bigints, json_type=json_type)
        expected[table.insert_model] = _insert_rule(
            _python_fields(insert, names, bigints=bigints, json_type=json_type),
            typescript[table.insert_model],
        )
        for column in table.columns:
            if column.json_model is not None:
                model = getattr(models, column.json_model)
                expected[column.json_model] = _python_fields(model, {}, json_type=json_type)
    assert typescript == expected


def test_names_that_would_clash_in_typescript(exports: Callable[[str], Exported]) -> None:
    exported = exports("edge")
    text = exported.ts.read_text(encoding="utf-8")
    assert 'export const textTable = sqliteTable(\n  "text",' in text
    assert 'export const functionTable = sqliteTable(\n  "function",' in text
    assert "export type Json = typeof json.$inferSelect;" in text
    assert "export type JsonValue = string | number | boolean | null | JsonValue[]" in text
    assert 'doc: blob("doc", { mode: "json" }).$type<JsonValue>().notNull(),' in text
    table = next(t for t in exported.schema.tables if t.name == "text")
    names = property_names(table)
    assert (names["a_1"], names["a1"], names["parent_id"]) == ("a_1", "a1", "parent_id")
    assert "*\\/" in text and "comment's end *\\/ inside" in text
    assert 'real("ratio").notNull().default(sql.raw("100.0"))' in text
    assert 'default(sql.raw("9007199254740993"))' in text


# -- rows both ways ---------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def _all_types_rows() -> dict[str, list[dict[str, Any]]]:
    """Every column kind of all_types, with values that need care (floors, floats, bytes,
    64-bit integers, JSON number layout, non-ASCII text)."""
    return {
        "projects": [
            {
                "slug": "p1",
                "archived": True,
                "budget": 0.1,
                "price": "12.5",
                "ratio": 0.25,
                "big_counter": 2**62,
                "logo": b"\x00\xffpng",
                "settings": {"theme": "dark", "size": 1.0, "ja": "日本語 ✓", "tiny": 1e-7},
                "serial": 2**63 - 1,
                "tags": ["a", {"b": [1, 2.5, None]}],
                "started_at": _moment(1_700_000_000_123),
                "imported_at": _moment(-500),
            },
            {"slug": "p2", "imported_at": None},
        ],
        "tasks": [
            {
                "id": "t1",
                "project_id": 1,
                "state": "won't do",
                "spec": {"prompt": "p", "steps": 3, "options": {"temperature": 0.5}},
                "notes": 'it\'s "quoted"\nsecond line',
                "done_at": _moment(1_709_208_000_999),
                "created_at": _moment(0),
                "updated_at": _moment(86_400_500),
                "removed_at": None,
            },
            {
                "id": "t2",
                "project_id": 2,
                "spec": {"prompt": "only"},
                "created_at": _moment(1_000),
                "updated_at": _moment(2_000),
            },
        ],
        "folders": [{"id": "f1", "name": "F"}],
        "documents": [{"id": "d1", "folder_id": "f1", "body": None}],
        "sync_state": [
            {
                "id": "s1",
                "table_name": "folders",
                "last_sync_at": _moment(1_700_000_000_123),
                "sync_status": "COMPLETED",
            }
        ],
    }


def _design_rows() -> dict[str, list[dict[str, Any]]]:
    """The interop fixture (tests/drizzle/sample.json), with ids, in Python terms."""
    sample = json.loads((NODE_PROJECT / "sample.json").read_text(encoding="utf-8"))
    stamps = {"created_at", "updated_at", "completed_at", "deleted_at", "last_sync_at"}

    def python(row: dict[str, Any]) -> dict[str, Any]:
        snake = {
            "".join(f"_{c.lower()}" if c.isupper() else c for c in k): v for k, v in row.items()
        }
        return {k: _moment(v) if k in stamps and v is not None else v for k, v in snake.items()}

    return {
        "workflows": [{"id": "w1", **python(sample["workflow"])}],
        "user_settings": [{"id": "u1", **python(sample["userSettings"])}],
        "sync_metadata": [{"id": "m1", **python(sample["syncMetadata"])}],
    }


def _as_json(table: TableIR, row: dict[str, Any]) -> dict[str, Any]:
    """A row in the terms rows.js reads and writes: property names, Dates as epoch
    milliseconds (floored), bigints as decimal text, Buffers as hex."""
    names = property_names(table)
    out = {}
    for name, value in row.items():
        column = table.column(name)
        if isinstance(value, datetime):
            value = (value - _EPOCH) // timedelta(milliseconds=1)
        elif isinstance(value, bytes):
            value = value.hex()
        elif isinstance(value, pydantic.BaseModel):
            value = value.model_dump(mode="json", exclude_unset=True)
        elif column.mode == "bigint" and value is not None:
            value = str(value)
        out[names[name]] = value
    return out


def _python_write(
    exported: Exported, database: Path, rows: dict[str, list[dict[str, Any]]]
) -> None:
    models, repositories = exported.module("models"), exported.module("repositories")
    tables = {t.name: t for t in exported.schema.tables}
    with exported.module("client").create_db_client(f"file:{database}") as db:
        for name, table_rows in rows.items():
            table = tables[name]
            insert = getattr(models, table.insert_model)
            repository = getattr(repositories, table.repository)(db)
            for row in table_rows:
                repository.create(insert.model_validate(row))


def _python_read(exported: Exported, database: Path) -> dict[str, list[dict[str, Any]]]:
    repositories = exported.module("repositories")
    out = {}
    with exported.module("client").create_db_client(f"file:{database}") as db:
        for table in exported.schema.tables:
            repository = getattr(repositories, table.repository)(db)
            found = repository.find_many(**({"include_deleted": True} if table.soft_delete else {}))
            out[table.name] = [_as_json(table, dict(row)) for row in found]
    return out


def _stored(database: Path, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored value as SQLite's own literal (type and bytes), in rowid order."""
    with sqlite3.connect(database) as raw:
        out = {}
        for table in tables:
            columns = [row[1] for row in raw.execute(f"PRAGMA table_info(`{table}`)")]
            select = ", ".join(f"quote(`{c}`)" for c in columns)
            out[table] = raw.execute(f"SELECT {select} FROM `{table}` ORDER BY rowid").fetchall()
        return out


@pytest.mark.parametrize("name", ["design", "all_types"])
def test_rows_cross_between_drizzle_and_the_repositories(
    name: str, exports: Callable[[str], Exported], node: str
) -> None:
    """The edge schema is for names and DDL; rows cross in the other two."""
    exported = exports(name)
    rows = {"design": _design_rows, "all_types": _all_types_rows}[name]
    tables = {t.name: t for t in exported.schema.tables}
    by_drizzle, by_python = exported.folder / "drizzle.db", exported.folder / "python.db"
    for database in (by_drizzle, by_python):
        with exported.module("client").create_db_client(f"file:{database}") as db:
            db.create_schema()
    rows_file = exported.folder / "rows.json"
    rows_file.write_text(
        json.dumps({n: [_as_json(tables[n], r) for r in rs] for n, rs in rows().items()}),
        encoding="utf-8",
    )
    run([node, "rows.js", "write", str(exported.js), str(by_drizzle), str(rows_file)])
    _python_write(exported, by_python, rows())

    assert _stored(by_drizzle, list(tables)) == _stored(by_python, list(tables))
    drizzle_reads = json.loads(run([node, "rows.js", "read", str(exported.js), str(by_drizzle)]))
    assert drizzle_reads == json.loads(
        run([node, "rows.js", "read", str(exported.js), str(by_python)])
    )
    assert _python_read(exported, by_drizzle) == drizzle_reads
    assert all(drizzle_reads[name] for name in rows())
