"""Hostile schema.yaml files found by the adversarial sweep (issue 13, items 10 to 16).

Each must end in working code (imports, creates its schema, mypy --strict) or in a
located error with exit status 2; never a traceback, a hang, or code that runs wrong.
The error messages themselves are pinned in tests/schema_errors/.
"""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from codegen.limits import LIBSQL_MAX_COLUMN, LIBSQL_MAX_VARIABLE_NUMBER, sqlite_limits
from codegen.source import load_source
from codegen.sql import most_parameters
from codegen.validate import build_schema
from libsqlkit import DatabaseError, Schema, connect
from tests.schema_kit import (
    ROOT,
    Outcome,
    assert_located,
    generate,
    import_and_create,
    mypy_strict,
    schema_path,
    yaml_quoted,
)
from tests.sqld import Sqld

# Names that once made code that did not import or type-check, each now immune.
IMMUNE = """\
version: 1
tables:
  final:
    description: the model is Final, next to typing.Final
    columns:
      id: {type: text, primary_key: true}
      codecs: {type: integer, mode: timestamp}
      datetime: {type: integer, mode: timestamp, on_update: now}
      list: {type: text}
      literal_id: {type: text, references: {table: literal, column: id}}
    queries:
      touch: {update: [codecs], where: [datetime]}
      list: {select: many, where: [list]}
      by_codecs: {select: many, where: [codecs]}
  literal:
    description: model Literal (models.py has no enum to import typing.Literal for), in a cycle
    columns:
      id: {type: text, primary_key: true}
      final_id: {type: text, references: {table: final, column: id}}
  utc:
    columns:
      id: {type: text, primary_key: true}
      at: {type: integer, mode: timestamp, on_update: now}
    queries:
      utc: {update: [at], where: [id]}
  columns: {model: Column, columns: {id: {type: text, primary_key: true}}}
  schemas: {model: Schema, columns: {id: {type: text, primary_key: true}}}
  payloads: {model: JsonValue, columns: {id: {type: text, primary_key: true}}}
  repositories: {model: Repository, columns: {id: {type: text, primary_key: true}}}
  soft: {model: SoftDeleteRepository, soft_delete: gone, columns: {id: {type: text, primary_key: true}, gone: {type: integer, mode: timestamp}}}
  refs: {model: TableRef, columns: {id: {type: text, primary_key: true}}}
  foo: {model: FooTable, columns: {id: {type: text, primary_key: true}}}
  t1: {columns: {id: {type: text, primary_key: true}, n: {type: integer, mode: timestamp}}, queries: {by_n: {select: many, where: [n]}}}
  a: {columns: {id: {type: text, primary_key: true}}}
"""
# A model named UTC cannot sit next to the table `utc` (both would be `UTC`).
IMMUNE_UTC = """\
version: 1
tables:
  zones:
    model: UTC
    columns:
      id: {type: text, primary_key: true}
      at: {type: integer, mode: timestamp, on_update: now}
    queries:
      stamp: {update: [at], where: [id]}
"""


def test_ordinary_names_give_code_that_imports_creates_and_type_checks(tmp_path: Path) -> None:
    for package, schema in [("immune", IMMUNE), ("immune_utc", IMMUNE_UTC)]:
        assert generate(schema, tmp_path, package) == Outcome(0, "")
        import_and_create(tmp_path, package)
    checked = mypy_strict(tmp_path, ["immune", "immune_utc"])
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_reference_cycle_holds_rows_both_ways(tmp_path: Path) -> None:
    assert generate(IMMUNE, tmp_path, "cycle").status == 0
    import_and_create(tmp_path, "cycle")
    models = importlib.import_module("cycle.models")
    repositories = importlib.import_module("cycle.repositories")
    client = importlib.import_module("cycle.client")
    with client.create_db_client(f"file:{tmp_path / 'cycle.db'}") as db:
        finals = repositories.FinalRepository(db)
        literals = repositories.LiteralRepository(db)
        finals.create(models.NewFinal(id="f"))
        literals.create(models.NewLiteral(id="l", final_id="f"))
        finals.update("f", models.FinalUpdate(literal_id="l"))
        assert finals.get("f").literal_id == "l"
        with pytest.raises(DatabaseError):
            literals.create(models.NewLiteral(id="m", final_id="missing"))


def test_an_update_filtered_by_a_column_named_now_changes_the_row(tmp_path: Path) -> None:
    schema = """\
version: 1
tables:
  events:
    columns:
      id: {type: text, primary_key: true}
      now: {type: integer, not_null: true}
      label: {type: text}
      touched_at: {type: integer, mode: timestamp, on_update: now}
    queries:
      relabel: {update: [label], where: [now]}
"""
    assert generate(schema, tmp_path, "nowcol").status == 0
    import_and_create(tmp_path, "nowcol")
    models = importlib.import_module("nowcol.models")
    repositories = importlib.import_module("nowcol.repositories")
    client = importlib.import_module("nowcol.client")
    with client.create_db_client(f"file:{tmp_path / 'nowcol.db'}") as db:
        events = repositories.EventsRepository(db)
        events.create(models.NewEvents(id="e", now=7))
        changed = events.relabel(7, "seen")
        assert changed is not None and changed.label == "seen"
        assert events.get("e").label == "seen"


def test_update_if_given_on_not_null_columns_with_a_codec(tmp_path: Path) -> None:
    """None means "leave unchanged": encoding it must type-check and store nothing."""
    schema = """\
version: 1
tables:
  accounts:
    columns:
      id: {type: text, primary_key: true}
      label: {type: text}
      amount: {type: numeric, not_null: true, default: "0"}
      seen_at: {type: integer, mode: timestamp, not_null: true, default_sql: unixepoch()}
    queries:
      adjust: {update: [label], update_if_given: [amount, seen_at], where: [id]}
"""
    assert generate(schema, tmp_path, "given") == Outcome(0, "")
    import_and_create(tmp_path, "given")
    checked = mypy_strict(tmp_path, ["given"])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    models = importlib.import_module("given.models")
    client = importlib.import_module("given.client")
    with client.create_db_client(f"file:{tmp_path / 'given.db'}") as db:
        accounts = importlib.import_module("given.repositories").AccountsRepository(db)
        before = accounts.create(models.NewAccounts(id="a"))
        kept = accounts.adjust("a", "kept")
        assert (kept.amount, kept.seen_at) == (before.amount, before.seen_at)
        moment = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
        changed = accounts.adjust("a", "changed", "12.5", moment)
        assert (changed.label, changed.amount, changed.seen_at) == ("changed", "12.5", moment)


DESCRIPTIONS = [
    'ends with a quote "',
    "ends with a backslash \\",
    'escapes read literally: \\x4 \\u12 \\n and """ three quotes',
    "control characters: tab\tbell\a next-line\x85 line-separator\u2028",
    "several\nlines\n  indented",
    '"""',
    'four quotes """" then one "',
]


def test_query_descriptions_become_docstrings_that_read_back_as_written(tmp_path: Path) -> None:
    queries = "\n".join(
        f"      q{i}: {{select: one, where: [id], description: {yaml_quoted(text)}}}"
        for i, text in enumerate(DESCRIPTIONS)
    )
    schema = (
        "version: 1\ntables:\n  notes:\n    columns:\n      id: {type: text, primary_key: true}\n"
        f"    queries:\n{queries}\n"
    )
    assert generate(schema, tmp_path, "docs").status == 0
    import_and_create(tmp_path, "docs")
    repository = importlib.import_module("docs.repositories").NotesRepository
    for i, text in enumerate(DESCRIPTIONS):
        assert inspect.getdoc(getattr(repository, f"q{i}")) == inspect.cleandoc(text)


MINIMAL = "version: 1\ntables:\n  items:\n    columns:\n      id: {type: text, primary_key: true}\n"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (
            MINIMAL.replace("items:", "it\x00ems:").encode(),
            "3:5: the character U+0000 is not allowed",
        ),
        (
            MINIMAL + '    description: "a lone \\ud800 surrogate"\n',
            "6:18: text may not contain a lone surrogate (U+D800)",
        ),
        (
            MINIMAL + "    description: !!binary aGVsbG8=\n",
            "6:18: binary data (!!binary) cannot be used",
        ),
        (
            MINIMAL.replace(
                "primary_key: true}",
                "primary_key: true}\n      j: {type: text, mode: json, default: 2001-01-01}",
            ),
            "6:44: a date cannot be used",
        ),
        (
            MINIMAL.replace(
                "primary_key: true}",
                "primary_key: true}\n      j: {type: text, mode: json, default: .nan}",
            ),
            "6:44: default is not JSON: JSON has no NaN or infinity",
        ),
        (
            MINIMAL.replace(
                "primary_key: true}",
                "primary_key: true}\n      j: {type: text, mode: json, json_schema: [object]}",
            ),
            "6:48: json_schema: should be a mapping",
        ),
        (
            MINIMAL + "    description: " + "[" * 3000 + "]" * 3000 + "\n",
            "6:79: nesting deeper than 64 levels",
        ),
        (
            MINIMAL + "    description: " + "[" * 5000 + "]" * 5000 + "\n",
            "6:79: nesting deeper than 64 levels",
        ),
        (
            MINIMAL + "    description: &a [*a]\n",
            "6:22: alias *a refers to a node that contains it",
        ),
        ("%YAML 1.3\n---\n" + MINIMAL, "1:1: invalid YAML: the %YAML directive names version 1.3"),
    ],
    ids=[
        "nul-byte",
        "lone-surrogate",
        "binary",
        "date-default",
        "nan-default",
        "malformed-json-schema",
        "nesting-3000",
        "nesting-5000",
        "recursive-alias",
        "yaml-version",
    ],
)
def test_hostile_yaml_gives_a_located_error(
    tmp_path: Path, schema: str | bytes, expected: str
) -> None:
    lines = assert_located(generate(schema, tmp_path, "hostile"), tmp_path, "hostile")
    assert any(line.startswith(f"schema.yaml:{expected}") for line in lines), lines


BOMB = """\
version: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
tables:
  items:
    columns:
      id: {type: text, primary_key: true}
      payload: {type: text, mode: json, default: *i}
"""


@pytest.mark.parametrize(
    ("text", "where"),
    # libyaml, which makes the fast first pass, refuses an anchor ending in a colon that
    # ruamel accepts: the bounds are then counted on ruamel's own events.
    [(BOMB, "7:8"), (BOMB.replace("version: 1\n", "version: 1\nextra: &anchor: 1\n"), "8:8")],
    ids=["libyaml-pass", "ruamel-pass"],
)
def test_an_alias_bomb_is_refused_at_once(tmp_path: Path, text: str, where: str) -> None:
    """9^9 (387 million) nodes once expanded; refused in well under the 20 s allowed."""
    path = schema_path(tmp_path, "bomb")
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen",
            "--schema",
            str(path),
            "--out",
            str(tmp_path / "g"),
            "generate",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=20,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == f"schema.yaml:{where}: aliases expand to more than 100,000 nodes; write the values out\n"
    )


def test_aliases_within_the_budget_still_work(tmp_path: Path) -> None:
    schema = """\
version: 1
tables:
  items:
    columns:
      id: &key {type: text, primary_key: true}
      flag: &flag {type: integer, mode: boolean, not_null: true, default: false}
  tags:
    columns:
      id: *key
      flag: *flag
"""
    assert generate(schema, tmp_path, "aliased").status == 0
    import_and_create(tmp_path, "aliased")


def _columns(count: int) -> str:
    columns = "".join(f"      c{i}: {{type: integer}}\n" for i in range(count - 1))
    return f"version: 1\ntables:\n  wide:\n    columns:\n      id: {{type: text, primary_key: true}}\n{columns}"


def test_more_columns_than_sqlite_allows_are_refused(tmp_path: Path) -> None:
    limit = sqlite_limits().columns
    lines = assert_located(generate(_columns(limit + 1), tmp_path, "wide"), tmp_path, "wide")
    assert lines == [
        f"schema.yaml:4:5: table 'wide' has {limit + 1} columns; SQLite allows at most {limit}"
    ]


def test_the_most_columns_sqlite_allows_are_created(tmp_path: Path) -> None:
    assert generate(_columns(sqlite_limits().columns), tmp_path, "widest") == Outcome(0, "")
    import_and_create(tmp_path, "widest")


def test_an_insert_binds_two_parameters_per_column_defaulted_in_sql(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    path.write_text(
        MINIMAL
        + "".join(f"      c{i}: {{type: integer, default_sql: '1 + {i}'}}\n" for i in range(5)),
        encoding="utf-8",
    )
    (table,) = build_schema(load_source(path)).tables
    assert most_parameters(table) == 1 + 2 * 5  # the INSERT: more than an UPDATE of all (7)


def _probe_limits(execute: Any) -> tuple[str, str]:
    """What a database says past LIBSQL_MAX_VARIABLE_NUMBER and LIBSQL_MAX_COLUMN."""
    execute(f"SELECT ?{LIBSQL_MAX_VARIABLE_NUMBER}", (None,) * LIBSQL_MAX_VARIABLE_NUMBER)
    execute("CREATE TABLE t (" + ", ".join(f"c{i}" for i in range(LIBSQL_MAX_COLUMN)) + ")")
    errors = []
    for statement, params in [
        (f"SELECT ?{LIBSQL_MAX_VARIABLE_NUMBER + 1}", (None,) * (LIBSQL_MAX_VARIABLE_NUMBER + 1)),
        ("CREATE TABLE u (" + ", ".join(f"c{i}" for i in range(LIBSQL_MAX_COLUMN + 1)) + ")", ()),
    ]:
        with pytest.raises(Exception) as caught:
            execute(statement, params)
        errors.append(str(caught.value))
    return errors[0], errors[1]


def test_the_libsql_limits_are_those_of_libsql_experimental(tmp_path: Path) -> None:
    import libsql_experimental

    connection = libsql_experimental.connect(str(tmp_path / "limits.db"))
    variables, columns = _probe_limits(connection.execute)
    assert f"?{LIBSQL_MAX_VARIABLE_NUMBER}" in variables and "too many columns" in columns


def test_the_libsql_limits_are_those_of_sqld(tmp_path: Path) -> None:
    server = Sqld(tmp_path / "sqld", auth=False).start()
    try:
        with connect(Schema((), ()), server.url) as db:
            variables, columns = _probe_limits(db.execute)
        assert f"?{LIBSQL_MAX_VARIABLE_NUMBER}" in variables and "too many columns" in columns
    finally:
        server.stop()


def test_json_schema_cannot_write_imports(tmp_path: Path) -> None:
    schema = MINIMAL.replace(
        "primary_key: true}",
        "primary_key: true}\n      j: {type: text, mode: json, json_schema: {type: object, "
        "customTypePath: os.system, properties: {x: {customBasePath: os.system}}}}",
    )
    lines = assert_located(generate(schema, tmp_path, "imports"), tmp_path, "imports")
    assert [line.split(": ", 1)[1].split(";")[0] for line in lines] == [
        "unknown key 'customTypePath'",
        "unknown key 'customBasePath'",
    ]
