"""The fast load of schema.yaml (codegen/plain_yaml.py) against ruamel's round-trip load.

Whenever the fast path builds a document, ruamel must build the same values (types
included), and ruamel must not refuse the text; every problem must still be located.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from codegen.plain_yaml import plain_document
from codegen.problems import SchemaError
from codegen.source import _plain, load_source
from codegen.validate import build_schema

DIFFERENTIAL = settings(
    max_examples=400,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Plain scalars whose meaning differs between YAML 1.1 (libyaml) and 1.2 (ruamel), or
# that ruamel reads as something other than text.
TRICKY_SCALARS = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "true", "False", "TRUE", "null",
    "Null", "~", "", "017", "0o17", "0x1F", "0b101", "1_000", "+1", "-0", "00", "1.",
    ".5", "1e3", "1.0e+3", "-.inf", ".NaN", "1:20", "2020-01-01", "2020-01-01 10:00:00",
    "=", "<<", "3.", "0.", "1__0", "0xZ", "12e", "+.5", "- 1", "a b", "a: b", "#x", "x #y",
]  # fmt: skip
PIECES = [
    "a", "b", "x", "1", "0", ".", "-", "+", "e", "_", ":", ": ", "- ", "  ", "\n", "\t",
    "{", "}", "[", "]", ",", "'", '"', "#", "|", ">", "?", "&a ", "*a", "!", "!!str ",
    "%YAML 1.1\n", "---\n", "...\n", "\\", "\\u00e9", "\\x", "\x85", "\u2028", "\ufeff",
    "\x00", "\x07", "<<: ", "true", "~", "0x1", "1_0",
]  # fmt: skip


def _ruamel(text: str) -> Any:
    document = YAML(typ="rt").load(text)
    problems: list[Any] = []
    _plain(document, 1, 1, problems)
    return document, problems


def _typed(value: Any) -> Any:
    """`value` with the type of every scalar, so that 1, 1.0 and True differ (ruamel
    keeps a folded or literal block scalar as its own subclass of str)."""
    if isinstance(value, dict):
        return [(_typed(k), _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_typed(item) for item in value]
    if value is None:
        return ("NoneType", "None")
    kind = next(t for t in (bool, int, float, str) if isinstance(value, t))
    return (kind.__name__, repr(kind(value)))


def _fast(text: str) -> dict[str, Any] | None:
    try:
        events = list(pyyaml.parse(text, Loader=pyyaml.CSafeLoader))
    except pyyaml.YAMLError:
        return None
    return plain_document(text, events)


def assert_agrees(text: str) -> None:
    fast = _fast(text)
    if fast is None:
        return
    try:
        document, problems = _ruamel(text)
    except Exception as error:  # any refusal by ruamel is the finding
        pytest.fail(f"the fast path took {text!r}, which ruamel refuses: {error!r}")
    assert problems == [], text
    assert _typed(fast) == _typed(dict(document)), text


@pytest.mark.parametrize("scalar", TRICKY_SCALARS)
@pytest.mark.parametrize("form", ["k: {}\n", "k: [{}]\n", "k: {{a: {}}}\n", "{}: 1\n"])
def test_tricky_scalars_agree(scalar: str, form: str) -> None:
    assert_agrees(form.format(scalar))


def test_the_fast_path_is_taken_for_an_ordinary_schema() -> None:
    text = Path("schema.yaml").read_text(encoding="utf-8")
    assert _fast(text) is not None
    assert_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # tags
        "a: 1\na: 2\n",  # a duplicate key
        "1: a\n",  # a key that is not text
        "%YAML 1.1\n---\na: yes\n",  # a directive
        "a: 1\n---\nb: 2\n",  # two documents
        "- a\n",  # not a mapping
        "a: 0x10\n",  # a number ruamel writes its own way
        "a: 2020-01-01\n",  # a date, which schema.yaml refuses
        'a: "\\ud800"\n',  # a lone surrogate
        "a: b\x85c\n",  # a YAML 1.1 line break
    ],
)
def test_what_only_ruamel_decides(text: str) -> None:
    assert _fast(text) is None


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(),
        st.text(max_size=8),
        st.sampled_from(TRICKY_SCALARS),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


def _dumped(value: Any, flow: bool | None, width: int) -> str:
    stream = io.StringIO()
    yaml = YAML(typ="rt")
    yaml.default_flow_style = flow
    yaml.width = width
    yaml.dump({"k": value}, stream)
    return stream.getvalue()


@DIFFERENTIAL
@given(json_values, st.sampled_from([None, True, False]), st.sampled_from([8, 80]))
def test_dumped_documents_agree(value: Any, flow: bool | None, width: int) -> None:
    assert_agrees(_dumped(value, flow, width))
    assert_agrees(pyyaml.safe_dump({"k": value}, default_flow_style=flow, width=width))


@DIFFERENTIAL
@given(st.lists(st.sampled_from(PIECES + TRICKY_SCALARS), max_size=24))
def test_scrambled_text_agrees(pieces: list[str]) -> None:
    assert_agrees("".join(pieces))
    assert_agrees("k:\n  " + "".join(pieces).replace("\n", "\n  "))


def test_a_problem_found_after_the_fast_load_is_located(tmp_path: Path) -> None:
    schema = tmp_path / "schema.yaml"
    schema.write_text(
        "version: 1\ntables:\n  t:\n    columns:\n      id: {type: text, primary_key: true}\n"
        "      n: {type: integr}\n",
        encoding="utf-8",
    )
    source = load_source(schema)
    assert isinstance(source.document, dict)
    with pytest.raises(SchemaError) as caught:
        build_schema(source)
    assert [(p.line, p.column) for p in caught.value.problems] == [(6, 17)]
