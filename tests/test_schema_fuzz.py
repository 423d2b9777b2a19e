"""A fuzzer over schema.yaml: every input ends in a located error or in working code.

Inputs are drawn as a schema's structure (tables, columns, queries, indexes, json_schema)
from the names, text and values the adversarial sweep of issue 13 found hostile, mixed
with ordinary ones, written as YAML (sometimes sharing nodes through anchors and
aliases), and sometimes mutated as text: a NUL byte, nesting thousands deep, an alias
bomb, a stray character, a cut. Each must end in one of two ways:
- exit status 2 with only `schema.yaml:LINE:COL: message` lines, and nothing written;
- exit status 0 and a package that imports, creates its schema on a scratch database
  file and, checked with every other package of the run in one mypy call, passes
  mypy --strict; datamodel-code-generator may not have dropped a constraint on the way.

`make test` runs a short, fixed sample; `make fuzz` runs a long random one
(SCHEMA_FUZZ_EXAMPLES, default 2000, with hypothesis' example database).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.schema_kit import (
    assert_located,
    generate,
    import_and_create,
    mypy_strict,
    schema_path,
    time_limit,
    yaml_quoted,
)

LONG_RUN = "SCHEMA_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "60"))
MYPY_BATCH = 150  # packages per mypy call in long runs
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not LONG_RUN,  # the short run in `make test` is the same every time
    database=settings().database if LONG_RUN else None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- what documents are made of ---------------------------------------------------
#
# A wild document draws from everything the sweep found hostile and misuses keys and
# values; a tame one keeps to names and values that must generate (names that once broke
# the generated code among them), so that both outcomes occur often.

WILD_TABLES = [
    "items", "t1", "a", "schema", "final", "literal", "utc", "a_b", "a__b", "datetime",
    "codecs", "annotations", "list", "now", "self", "table", "order", "match", "type",
    "sqlite_x", "x" * 63, "x" * 64, "Items", "1a", "é", "builtins", "typing", "os",
]  # fmt: skip
TAME_TABLES = [
    "items", "t1", "a", "final", "literal", "utc", "datetime", "codecs", "list", "now",
    "str", "dict", "typing", "os", "pydantic", "libsqlkit",
]  # fmt: skip
WILD_MODELS = [
    "FooTable", "Repository", "SoftDeleteRepository", "Column", "Schema", "Final", "UTC",
    "JsonValue", "SelectModel", "InsertModel", "UpdateModel", "TableRef", "Table",
    "TableSql", "BaseModel", "Field", "Literal", "Annotated", "AwareDatetime", "ConfigDict",
    "Any", "SCHEMA", "ItemsTable", "NewItems", "ItemsUpdate", "lower", "None", "Item2",
]  # fmt: skip
TAME_MODELS = [
    "Repository", "SoftDeleteRepository", "Column", "Schema", "Final", "TableRef", "Table",
    "TableSql", "Item", "Datetime", "Codecs", "FooTable", "ItemsTable", "T1",
]  # fmt: skip
WILD_COLUMNS = [
    "id", "codecs", "datetime", "now", "self", "str", "int", "float", "bool", "bytes",
    "list", "type", "table", "model", "json", "schema", "copy", "model_config",
    "select_model", "get", "value", "final", "literal", "utc", "annotations", "_x", "Bad",
    "a" * 64, "dict", "field", "date", "db", "name", "deleted_at", "created_at",
]  # fmt: skip
TAME_COLUMNS = [
    "codecs", "datetime", "now", "value", "final", "literal", "utc", "annotations", "date",
    "field", "list", "name", "type", "created_at", "uuid", "any", "self_", "table_",
]  # fmt: skip
WILD_QUERIES = [
    "select_model", "get", "db", "create", "table", "find", "update", "list", "datetime",
    "now", "final", "utc", "str", "count", "restore", "soft_delete", "self", "by_id",
]  # fmt: skip
TAME_QUERIES = [
    "find",
    "by_id",
    "touch",
    "list",
    "datetime",
    "now",
    "final",
    "utc",
    "str",
    "codecs",
]
WILD_PROPERTIES = [
    "a", "x", "int", "str", "json", "model_config", "copy", "first-name", "_p", "class",
    "self", "datetime", "date", "list", "Any", "items", "type", "schema", "Field", "é",
]  # fmt: skip
TAME_PROPERTIES = ["a", "x", "datetime", "date", "list", "items", "type", "firstName", "Any"]
HOSTILE_TEXT = [
    'ends with a quote "', "ends with a backslash \\", "\\x4", "\\u12", '"""', "'''",
    "\r\n", "\x0c\x0b", "line\u2028separator", "{{ jinja }}", "{% raw %}", "%s",
    "'; DROP TABLE items; --", "*/", "\t", " ", "", "😀",
]  # fmt: skip
UNWRITABLE_TEXT = ["nul \x00 inside", "lone \ud800 surrogate"]
VALID_KINDS = [
    ("text", None), ("text", "json"), ("integer", None), ("integer", "timestamp"),
    ("integer", "timestamp_ms"), ("integer", "boolean"), ("real", None), ("blob", None),
    ("blob", "json"), ("blob", "bigint"), ("numeric", None), ("numeric", "number"),
    ("numeric", "bigint"),
]  # fmt: skip
WILD_KINDS = [*VALID_KINDS, ("text", "timestamp"), ("decimal", None), ("real", "json")]
DEFAULT_SQL = ["unixepoch()", "1 + 1", "'x'", "(1", "1; DROP TABLE x", "random()", "x + 1"]
INT64 = st.integers(-(2**63), 2**63 - 1)


def _names(pool: list[str], pattern: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(pool), st.from_regex(pattern, fullmatch=True))


def _texts(wild: bool) -> st.SearchStrategy[str]:
    if wild:
        return st.one_of(st.sampled_from(HOSTILE_TEXT + UNWRITABLE_TEXT), st.text(max_size=12))
    plain = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
    return st.one_of(st.sampled_from(HOSTILE_TEXT), plain)


def _json_values(wild: bool) -> st.SearchStrategy[Any]:
    numbers = st.floats() if wild else st.floats(allow_nan=False, allow_infinity=False)
    return st.recursive(
        st.one_of(st.none(), st.booleans(), INT64, numbers, _texts(wild)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(_texts(wild), inner, max_size=3)
        ),
        max_leaves=6,
    )


@dataclass(frozen=True)
class Pools:
    wild: bool
    tables: st.SearchStrategy[str]
    models: st.SearchStrategy[str]
    columns: st.SearchStrategy[str]
    queries: st.SearchStrategy[str]
    properties: st.SearchStrategy[str]
    texts: st.SearchStrategy[str]
    json_values: st.SearchStrategy[Any]
    kinds: list[tuple[str, str | None]]


WILD = Pools(
    True,
    _names(WILD_TABLES, r"[a-z][a-z0-9_]{0,6}"),
    _names(WILD_MODELS, r"[A-Z][A-Za-z0-9]{0,6}"),
    _names(WILD_COLUMNS, r"[a-z][a-z0-9_]{0,6}"),
    _names(WILD_QUERIES, r"[a-z][a-z0-9_]{0,6}"),
    _names(WILD_PROPERTIES, r"[a-z][a-zA-Z0-9_]{0,5}"),
    _texts(True),
    _json_values(True),
    WILD_KINDS,
)
TAME = Pools(
    False,
    _names(TAME_TABLES, r"t[a-z0-9]{0,5}"),
    _names(TAME_MODELS, r"M[A-Za-z0-9]{0,5}"),
    _names(TAME_COLUMNS, r"c[a-z0-9]{0,5}"),
    _names(TAME_QUERIES, r"q[a-z0-9]{0,5}"),
    _names(TAME_PROPERTIES, r"p[a-zA-Z0-9]{0,5}"),
    _texts(False),
    _json_values(False),
    VALID_KINDS,
)

# -- json_schema: the supported keywords (misused in wild documents), and unknown ones --


def _with(
    base: dict[str, Any], words: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(base, optional=words)


def json_schemas(pools: Pools) -> st.SearchStrategy[dict[str, Any]]:
    wild = pools.wild
    string_words = {
        "minLength": st.integers(-1 if wild else 0, 4),
        "maxLength": st.integers(0, 4),
        "pattern": st.sampled_from(
            ["^a+$", r"\d+", "[a-z]", '"', "\\\\", *(["(", "(?=x)"] if wild else [])]
        ),
        "format": st.sampled_from(
            ["date-time", "date", "time", "uuid", *(["email"] if wild else [])]
        ),
        "enum": st.lists(pools.texts, min_size=1, max_size=3),
        "description": pools.texts,
    }
    number_words = {
        "minimum": st.integers(-5, 5),
        "maximum": st.floats(allow_nan=wild, allow_infinity=wild),
        "exclusiveMinimum": st.integers(-5, 5),
        "exclusiveMaximum": st.integers(-5, 5),
        "multipleOf": st.sampled_from([0.5, 2, *([0] if wild else [])]),
    }
    leaves = [
        _with({"type": st.just("string")}, string_words),
        _with({"type": st.sampled_from(["integer", "number"])}, number_words),
        st.fixed_dictionaries({"type": st.sampled_from(["boolean", "null"])}),
        st.just({}),
        st.fixed_dictionaries(
            {
                "type": st.lists(
                    st.sampled_from(["string", "integer", "null"]),
                    min_size=1,
                    max_size=3,
                    unique=not wild,
                )
            }
        ),
    ]
    if wild:
        unknown = {
            "customTypePath": st.just("os.system"),
            "customBasePath": st.just("os.system"),
            "title": pools.texts,
            "$ref": st.just("#/components/schemas/X"),
            "default": pools.json_values,
        }
        leaves += [
            _with({}, {**string_words, **number_words}),
            _with({"type": st.just("string")}, unknown),
        ]
    return st.recursive(
        st.one_of(leaves),
        lambda inner: st.one_of(
            objects(pools, inner),
            _with(
                {"type": st.just("array"), "items": inner},
                {"minItems": st.integers(0, 2), "maxItems": st.integers(0, 3)},
            ),
        ),
        max_leaves=8,
    )


def objects(
    pools: Pools, inner: st.SearchStrategy[dict[str, Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        properties = draw(st.dictionaries(pools.properties, inner, max_size=3))
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        with_required = draw(st.booleans())
        if properties and with_required:
            names = [*properties, *(["missing"] if pools.wild else [])]
            schema["required"] = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
        if draw(st.integers(0, 3)) == 0:
            schema["additionalProperties"] = draw(st.one_of(st.booleans(), inner))
        if draw(st.integers(0, 4)) == 0:
            schema["description"] = draw(pools.texts)
        return schema

    return build()


# -- tables ------------------------------------------------------------------------


def _defaults(pools: Pools, sql_type: str, mode: str | None) -> st.SearchStrategy[Any]:
    if pools.wild:
        return st.one_of(
            st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), pools.texts
        )
    if mode == "json":
        return pools.json_values
    if mode == "boolean":
        return st.booleans()
    if sql_type == "text" or (sql_type == "numeric" and mode is None):
        return pools.texts
    if sql_type == "real" or mode == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    return INT64


@st.composite
def column_specs(draw: st.DrawFn, pools: Pools, tables: list[str]) -> dict[str, Any]:
    sql_type, mode = draw(st.sampled_from(pools.kinds))
    spec: dict[str, Any] = {"type": sql_type}
    if mode is not None:
        spec["mode"] = mode
    optional: dict[str, st.SearchStrategy[Any]] = {
        "not_null": st.booleans(),
        "unique": st.booleans(),
        "description": pools.texts,
    }
    if mode == "json":
        optional["json_schema"] = (
            objects(pools, json_schemas(pools))
            if not pools.wild
            else st.one_of(objects(pools, json_schemas(pools)), json_schemas(pools))
        )
    if mode in ("timestamp", "timestamp_ms"):
        optional["client_default"] = st.just("now")
        optional["on_update"] = st.just("now")
        if pools.wild:
            optional["default_sql"] = st.just("unixepoch()")
    elif sql_type == "text" and mode is None and draw(st.integers(0, 3)) == 0:
        members = draw(
            st.lists(
                pools.texts, min_size=1 if not pools.wild else 0, max_size=3, unique=not pools.wild
            )
        )
        spec["enum"] = members
        with_default = draw(st.booleans())
        if members and with_default:
            spec["default"] = draw(st.sampled_from(members))
    elif pools.wild or (sql_type, mode) != ("blob", None):  # tame: defaults that fit
        optional["default"] = _defaults(pools, sql_type, mode)
    extra = draw(st.fixed_dictionaries({}, optional=optional))
    spec.update(dict(itertools.islice(extra.items(), 3)))
    if not pools.wild and "json_schema" in spec:
        spec.pop("default", None)
    if spec.get("client_default") and "default" in spec:
        del spec["default"]
    if pools.wild and draw(st.integers(0, 9)) == 0:
        spec["default_sql"] = draw(st.sampled_from(DEFAULT_SQL))
    if pools.wild and draw(st.integers(0, 5)) == 0:
        spec["references"] = {"table": draw(st.sampled_from([*tables, "nowhere"])), "column": "id"}
    if pools.wild and draw(st.integers(0, 19)) == 0:
        spec[draw(st.sampled_from(["nullable", "primary", "Type", "mode "]))] = True
    return spec


@st.composite
def tables(draw: st.DrawFn, pools: Pools, name: str, names: list[str]) -> dict[str, Any]:
    wild = pools.wild
    key_type = draw(st.sampled_from(["text", "integer"])) if wild else "text"
    key_name = draw(st.one_of(st.just("id"), pools.columns)) if wild else "id"
    columns: dict[str, Any] = {key_name: {"type": key_type, "primary_key": True}}
    if key_type == "text" and draw(st.booleans()):
        columns[key_name]["client_default"] = "uuid4"
    for column in draw(st.lists(pools.columns, max_size=4, unique=True)):
        columns.setdefault(column, draw(column_specs(pools, names)))
    if not wild and len(names) > 1 and draw(st.booleans()):  # a reference, maybe a cycle
        other = draw(st.sampled_from(names))
        columns[f"{other}_ref"] = {"type": "text", "references": {"table": other, "column": "id"}}
    table: dict[str, Any] = {"columns": columns}
    if draw(st.integers(0, 2)) == 0:
        table["model"] = draw(pools.models)
        if not wild:  # tame: one model name per table
            table["model"] += name.capitalize().replace("_", "")
    if draw(st.integers(0, 3)) == 0:
        table["description"] = draw(pools.texts)
    if draw(st.integers(0, 4)) == 0:
        columns["deleted_at"] = {"type": "integer", "mode": "timestamp"}
        table["soft_delete"] = "deleted_at"
    if draw(st.integers(0, 9)) == 0 and (wild or key_type == "text"):
        table["sync"] = True
    table["queries"] = draw(queries(pools, list(columns)))
    if draw(st.integers(0, 4)) == 0:
        on = draw(
            st.lists(
                st.sampled_from([*columns, *(["missing"] if wild else [])]),
                min_size=1,
                max_size=2,
                unique=not wild,
            )
        )
        table["indexes"] = {f"idx_{name}_{draw(st.integers(0, 9))}": {"columns": on}}
    if draw(st.integers(0, 6)) == 0:
        checks = [f"{key_name} IS NOT NULL", "1 = 1", *(["(", "x > 0"] if wild else [])]
        table["checks"] = {f"{name}_check": draw(st.sampled_from(checks))}
    return table


@st.composite
def queries(draw: st.DrawFn, pools: Pools, columns: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for query in draw(st.lists(pools.queries, max_size=3, unique=True)):
        pool = [*columns, *(["missing"] if pools.wild else [])]
        chosen = draw(
            st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=not pools.wild)
        )
        spec: dict[str, Any] = {"where": chosen[:1]}
        if draw(st.booleans()):
            spec["select"] = draw(st.sampled_from(["one", "many"]))
            if draw(st.booleans()):
                direction = draw(st.sampled_from([" asc", " desc", ""]))
                spec["order_by"] = [draw(st.sampled_from(columns)) + direction]
        else:
            spec["update"] = chosen[1:] or chosen[:1] if pools.wild else chosen[1:2] or None
            if spec["update"] is None:
                spec = {"where": spec["where"], "select": "one"}
            elif chosen[2:]:
                spec["update_if_given"] = chosen[2:]
        if draw(st.booleans()):
            spec["description"] = draw(pools.texts)
        found[query] = spec
    return found


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    pools = draw(st.sampled_from([WILD, TAME, TAME, TAME]))
    names = draw(st.lists(pools.tables, min_size=1, max_size=3, unique=True))
    version = draw(st.sampled_from([1, 1, 1, 1, 2, "1"])) if pools.wild else 1
    document: dict[str, Any] = {"version": version}
    document["tables"] = {name: draw(tables(pools, name, names)) for name in names}
    if len(names) > 1 and draw(st.integers(0, 3)) == 0:
        first, second = list(document["tables"].values())[:2]
        shared = next(iter(first["columns"]))
        second["columns"][shared] = first["columns"][shared]  # one node, written as an alias
    if pools.wild and draw(st.integers(0, 19)) == 0:
        document[draw(st.sampled_from(["tabels", "sync_metadata"]))] = draw(st.sampled_from(names))
    return document


# -- writing YAML (every text a double-quoted scalar can hold, aliases for shared nodes)


PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            ".nan"
            if math.isnan(value)
            else (".inf" if value > 0 else "-.inf")
            if math.isinf(value)
            else repr(value)
        )
    text = str(value)
    if PLAIN.fullmatch(text) and text.lower() not in YAML_WORDS:
        return text
    return yaml_quoted(text)


class _Writer:
    """Block mappings, flow lists; a dict met a second time is written as an alias."""

    def __init__(self) -> None:
        self.anchors: dict[int, str] = {}

    def anchor(self, value: object) -> tuple[str, bool]:
        """(`&a1 ` or `*a1`, already written)."""
        key = id(value)
        if key in self.anchors:
            return f"*{self.anchors[key]}", True
        self.anchors[key] = f"a{len(self.anchors)}"
        return f"&{self.anchors[key]} ", False

    def flow(self, value: object) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{_scalar(k)}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(item) for item in value) + "]"
        return _scalar(value)

    def block(self, mapping: dict[str, Any], indent: int, shared: set[int]) -> list[str]:
        lines = []
        for key, value in mapping.items():
            head = " " * indent + _scalar(key) + ":"
            if isinstance(value, dict) and id(value) in shared:
                mark, written = self.anchor(value)
                lines.append(f"{head} {mark}" + ("" if written else self.flow(value)))
            elif isinstance(value, dict) and value:
                lines.append(head)
                lines += self.block(value, indent + 2, shared)
            else:
                lines.append(f"{head} {self.flow(value)}")
        return lines


def to_yaml(document: dict[str, Any]) -> str:
    seen: set[int] = set()
    shared: set[int] = set()

    def visit(value: object) -> None:
        if isinstance(value, dict):
            if id(value) in seen:
                shared.add(id(value))
                return
            seen.add(id(value))
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(document)
    return "\n".join(_Writer().block(document, 0, shared)) + "\n"


# -- text mutations ----------------------------------------------------------------

BOMB = "".join(
    f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9 if previous else ['"lol"'] * 9) + "]\n"
    for previous, name in itertools.pairwise(["", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8"])
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str | bytes:
    kind = draw(st.sampled_from(["none"] * 9 + ["nul", "deep", "bomb", "insert", "delete", "cut"]))
    at = draw(st.integers(0, len(text)))
    if kind == "nul":
        return (text[:at] + "\x00" + text[at:]).encode("utf-8", "surrogatepass")
    if kind == "deep":
        depth = draw(st.integers(3000, 5000))
        return text + "deep: " + "[" * depth + "]" * depth + "\n"
    if kind == "bomb":
        return text.replace("tables:", BOMB + "tables:", 1).replace("type: text", "type: *b8", 1)
    if kind == "insert":
        stray = draw(
            st.sampled_from(
                [
                    ":",
                    "{",
                    "}",
                    "[",
                    '"',
                    "\\",
                    "\t",
                    "&x ",
                    "*x",
                    "!!binary ",
                    "!!timestamp ",
                    "\n",
                    "- ",
                    "? ",
                    "%",
                ]
            )
        )
        return text[:at] + stray + text[at:]
    if kind == "delete":
        return text[:at] + text[at + draw(st.integers(1, 8)) :]
    if kind == "cut":
        return text[:at]
    return text


@st.composite
def schema_files(draw: st.DrawFn) -> str | bytes:
    return draw(mutated(to_yaml(draw(documents()))))


def test_the_writer_writes_what_the_strategy_drew(tmp_path: Path) -> None:
    """The fuzzer's YAML is read back as the document it was made from (else the fuzzer
    would test its writer rather than the generator)."""
    from ruamel.yaml import YAML

    shared = {"type": "text", "description": 'a "quote" \\ \x00 \ud800 \u2028 é 😀'}
    document = {
        "version": 1,
        "tables": {
            "a": {"columns": {"id": shared}},
            "b": {"columns": {"id": shared, "n": [1, 2.5, None, True, "yes"]}},
        },
    }
    text = to_yaml(document)
    assert "&a0" in text and "*a0" in text
    loaded = YAML(typ="rt").load(text)
    assert json.loads(json.dumps(loaded)) == document


def test_every_schema_ends_in_a_located_error_or_working_code(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    numbers = itertools.count()
    built: list[str] = []
    refused: list[str] = []

    @FUZZ
    @given(schema_files())
    def one(schema: str | bytes) -> None:
        package = f"fz{next(numbers)}"
        with time_limit(60), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outcome = generate(schema, folder, package)
            # datamodel-code-generator warns when it drops a constraint it cannot express:
            # the model would then accept what the schema refuses.
            assert not [w for w in caught if "generated without" in str(w.message)], caught
            if outcome.status == 0:
                import_and_create(folder, package)
                built.append(package)
            else:
                assert_located(outcome, folder, package)
                refused.append(package)

    one()
    assert built and refused, f"{len(built)} generated, {len(refused)} refused: both must occur"
    failed = []
    for start in range(0, len(built), MYPY_BATCH):
        checked = mypy_strict(folder, built[start : start + MYPY_BATCH])
        if checked.returncode != 0:
            failed.append(checked.stdout + checked.stderr)
    assert not failed, "\n".join(failed) + _schemas(folder, "".join(failed))


def _schemas(folder: Path, report: str) -> str:
    """The schema.yaml of each package mypy complained about, to reproduce it."""
    packages = sorted(set(re.findall(r"^(fz\d+)/", report, re.MULTILINE)))
    return "".join(
        f"\n--- {schema_path(folder, p)}\n" + schema_path(folder, p).read_text(errors="replace")
        for p in packages
    )
