"""The cache of generator outputs (codegen/cache.py, codegen/model_chunks.py).

A run from the cache writes exactly the bytes a run without it writes; an entry that
was cut short, edited or belongs to another key is ignored and written again; a changed
table is generated again and every other table's classes and files come from the cache.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from bench.generation import synthetic_schema
from codegen.cache import OutputCache, content_key
from codegen.cli import main
from codegen.models import SharePieces, model_clashes, models_of_shares, models_share
from codegen.problems import SchemaError
from codegen.render import HEADER, render_all
from codegen.source import load_source
from codegen.validate import build_schema, checked_schema
from tests.test_schema_fuzz import documents, to_yaml

ROOT = Path(__file__).parent.parent
GOLDEN = sorted((ROOT / "tests" / "golden").glob("*/schema.yaml"))


def _render(schema: Path, cache: OutputCache | None) -> dict[str, str]:
    return render_all(build_schema(load_source(schema), cache), "generated", cache)


def _synthetic(folder: Path, tables: int, changed: int | None = None) -> Path:
    text = synthetic_schema(tables, 15)
    if changed is not None:
        start = text.index(f"  table_{changed:03d}:")
        end = text.index(f"  table_{changed + 1:03d}:")
        edited = text[start:end].replace(
            "col_05: {type: real}", "col_05: {type: real, not_null: true}"
        )
        assert edited != text[start:end]
        text = text[:start] + edited + text[end:]
    path = folder / ("schema.yaml" if changed is None else "changed.yaml")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "schema", [ROOT / "schema.yaml", *GOLDEN], ids=lambda p: p.parent.name or "design"
)
def test_cold_and_warm_runs_write_the_same_bytes(schema: Path, tmp_path: Path) -> None:
    uncached = _render(schema, None)
    cache = OutputCache(tmp_path / "cache")
    assert _render(schema, cache) == uncached  # filling the cache
    warm = OutputCache(tmp_path / "cache")
    assert _render(schema, warm) == uncached
    assert warm.misses == 0 and warm.hits > 0


def test_a_changed_table_is_the_only_one_generated_again(tmp_path: Path) -> None:
    schema, changed = _synthetic(tmp_path, 12), _synthetic(tmp_path, 12, changed=7)
    _render(schema, OutputCache(tmp_path / "cache"))
    before, after = _render(schema, None), _render(changed, None)
    edited_python = [p for p in after if p.endswith(".py") and before.get(p) != after[p]]
    assert "models.py" in edited_python

    classes = tmp_path / "cache" / "model-classes"
    stored = set(classes.rglob("*.json"))
    assert len(stored) == 12
    cache = OutputCache(tmp_path / "cache")
    assert _render(changed, cache) == after
    # One miss for table_007's classes, one per Python file whose text changed; the
    # generator made table_007's classes alone, and no whole module was stored.
    assert cache.misses == 1 + len(edited_python)
    assert len(set(classes.rglob("*.json")) - stored) == 1
    assert not (tmp_path / "cache" / "models").exists()


def test_a_corrupt_or_foreign_entry_is_ignored_and_written_again(tmp_path: Path) -> None:
    schema = _synthetic(tmp_path, 4)
    expected = _render(schema, None)
    _render(schema, OutputCache(tmp_path / "cache"))
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    texts = {path: path.read_text(encoding="utf-8") for path in entries}
    cut, edited, foreign = entries[0], entries[1], entries[2]
    cut.write_text(texts[cut][: len(texts[cut]) // 2], encoding="utf-8")
    entry = json.loads(texts[edited])
    entry["text"] = entry["text"].replace("e", "x", 1)
    edited.write_text(json.dumps(entry), encoding="utf-8")
    foreign.write_text(texts[entries[3]], encoding="utf-8")  # another key's valid entry

    cache = OutputCache(tmp_path / "cache")
    assert _render(schema, cache) == expected
    assert cache.misses == 3
    assert {path: path.read_text(encoding="utf-8") for path in entries} == texts


def test_an_entry_that_cannot_be_stored_leaves_nothing_behind(tmp_path: Path) -> None:
    """Storing fails (here: a folder stands where the entry goes): no cache, no error,
    and no half-written scratch file left in the folder."""
    cache = OutputCache(tmp_path / "cache")
    key = content_key("test", "an entry")
    cache.put(key, "first")
    stored = next(
        path
        for path in (tmp_path / "cache").rglob("*")
        if path.is_file() and path.name != ".gitignore"
    )
    stored.unlink()
    stored.mkdir()
    cache.put(key, "second")
    assert OutputCache(tmp_path / "cache").get(key) is None
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]


def test_the_command_keeps_its_cache_beside_pyproject(tmp_path: Path) -> None:
    schema = _synthetic(tmp_path, 3)
    (tmp_path / "pyproject.toml").write_text("[tool.libsqlkit]\n", encoding="utf-8")
    args = ["--schema", str(schema), "--out", str(tmp_path / "out"), "generate"]
    assert main([*args[:-1], "generate", "--no-cache"]) == 0
    cold = {p: p.read_bytes() for p in sorted((tmp_path / "out").rglob("*")) if p.is_file()}
    assert not (tmp_path / ".libsqlkit-cache").exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        for _ in range(2):
            for path in cold:
                path.unlink()
            assert main(args) == 0
            assert {p: p.read_bytes() for p in cold} == cold
    assert any((tmp_path / ".libsqlkit-cache").rglob("*.json"))
    assert (tmp_path / ".libsqlkit-cache" / ".gitignore").read_text().splitlines()[-1] == "*"


@pytest.mark.parametrize("cache", ["a-file", "nested/under/a-file", "we\udcffird", "x" * 300])
def test_a_cache_that_cannot_be_a_folder_means_no_cache(tmp_path: Path, cache: str) -> None:
    """`--cache` naming a file, a path under one, an undecodable name or one too long
    for the file system: the package is written all the same, byte for byte, and the
    file is left as it was."""
    schema = _synthetic(tmp_path, 2)
    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    out = tmp_path / "out"
    base = ["--schema", str(schema), "--out", str(out), "generate"]
    assert main([*base, "--no-cache"]) == 0
    expected = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    for path in expected:
        path.unlink()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert main([*base, "--cache", cache]) == 0
    assert {p: p.read_bytes() for p in expected} == expected
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine"


def _outcome(schema: Path, cache: OutputCache | None) -> dict[str, str] | str:
    try:
        return _render(schema, cache)
    except SchemaError as error:
        return str(error)


def test_drawn_schemas_render_the_same_from_a_shared_cache(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Schemas drawn by the schema fuzzer, all through one cache: pieces one schema
    stored are used for another's tables; output and errors are those of no cache, and
    so are those of models.py made in two shares."""
    folder = tmp_path_factory.mktemp("drawn")
    cache = OutputCache(folder / "cache")
    numbers = itertools.count()

    @settings(max_examples=40, derandomize=True, database=None, deadline=None)
    @given(documents())
    def one(document: dict[str, Any]) -> None:
        schema = folder / f"schema{next(numbers)}.yaml"
        schema.write_text(to_yaml(document), encoding="utf-8", errors="surrogatepass")
        expected = _outcome(schema, None)
        assert _outcome(schema, cache) == expected
        assert _outcome_in_shares(schema, 2) == expected  # as the CLI's two children

    one()
    assert any((folder / "cache" / "model-classes").rglob("*.json"))


def _outcome_in_shares(schema_path: Path, count: int) -> dict[str, str] | str:
    """As `_outcome` without a cache, models.py made in `count` shares and joined, as
    the CLI's children make it (codegen/models_job.py)."""
    try:
        schema, check_models = checked_schema(load_source(schema_path))
        header = f"# {HEADER}\n"

        def models() -> str:
            shares = [models_share(schema, header, None, i, count) for i in range(count)]
            made = models_of_shares(header, shares)
            assert made is not None, "the shares did not make models.py"
            text, checked = made
            if checked:  # as the CLI, which then skips the check: sound only if so
                assert model_clashes(schema, text) == []
            else:
                check_models(text)
            return text

        return render_all(schema, "generated", None, models)
    except SchemaError as error:
        return str(error)


@pytest.mark.parametrize(
    "schema", [ROOT / "schema.yaml", *GOLDEN], ids=lambda p: p.parent.name or "design"
)
def test_models_made_in_shares_are_the_bytes_made_whole(schema: Path) -> None:
    assert _outcome_in_shares(schema, 2) == _outcome(schema, None)
    assert _outcome_in_shares(schema, 3) == _outcome(schema, None)


# Columns named like the type of their field, which the generator renames, and one it
# keeps; no payload model, so that models.py is still made in shares.
_COLUMNS = [
    ("str", "text"),
    ("int", "integer"),
    ("float", "real"),
    ("bytes", "blob"),
    ("bool", "integer, mode: boolean"),
    ("datetime", "integer, mode: timestamp"),
]


@pytest.mark.parametrize(("column", "kind"), _COLUMNS)
def test_a_share_checks_its_classes_and_reports_a_clash_it_finds(
    column: str, kind: str, tmp_path: Path
) -> None:
    """Each share says whether its classes keep the schema's names: the share with a
    clashing column says no, the others yes, so the caller checks models.py and reports
    what `build_schema` reports."""
    schema_path = tmp_path / "schema.yaml"
    lines = ["version: 1", "tables:"]
    for t in range(4):
        lines += [f"  t{t}:", "    columns:", "      id: {type: text, primary_key: true}"]
        lines += [f"      {column}: {{type: {kind}}}"] if t == 3 else ["      c: {type: text}"]
    schema_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    schema, _ = checked_schema(load_source(schema_path))
    header = f"# {HEADER}\n"
    shares = [models_share(schema, header, None, i, 2) for i in range(2)]
    assert all(isinstance(share, SharePieces) for share in shares)
    checked = [isinstance(share, SharePieces) and share.checked for share in shares]
    made = models_of_shares(header, shares)
    assert made is not None
    clashes = model_clashes(schema, made[0])
    assert bool(clashes) == (column != "datetime")
    assert checked == [True, not clashes]
    assert made[1] == (not clashes)
    assert _outcome_in_shares(schema_path, 2) == _outcome(schema_path, None)


def test_pieces_from_the_cache_leave_the_check_to_the_caller(tmp_path: Path) -> None:
    """A share with pieces from the cache has no one module of its own to check."""
    schema_path = _synthetic(tmp_path, 4)
    schema, _ = checked_schema(load_source(schema_path))
    header = f"# {HEADER}\n"
    cache = OutputCache(tmp_path / "cache")
    fresh = [models_share(schema, header, cache, i, 2) for i in range(2)]
    again = [models_share(schema, header, cache, i, 2) for i in range(2)]
    assert [isinstance(s, SharePieces) and s.checked for s in fresh] == [True, True]
    assert [isinstance(s, SharePieces) and s.checked for s in again] == [False, False]
    made_fresh, made_again = models_of_shares(header, fresh), models_of_shares(header, again)
    assert made_fresh is not None and made_again is not None
    assert made_fresh == (made_again[0], True) and made_again[1] is False


@pytest.mark.parametrize("count", [2, 3])
def test_a_view_in_a_share_reports_its_renamed_columns_as_the_whole_module_does(
    count: int,
) -> None:
    """A view's class is checked in the share that makes it, and its renamed columns are
    located at the view's columns, in shares as in one piece."""
    schema = ROOT / "tests" / "schema_errors" / "view_column_names.yaml"
    outcome = _outcome(schema, None)
    assert isinstance(outcome, str)
    assert outcome.count("cannot be a field of the generated model") == 2
    assert _outcome_in_shares(schema, count) == outcome
