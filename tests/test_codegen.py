"""The generator: golden outputs (sqlc-style folders), determinism, and schema errors.

Golden cases live in tests/golden/<case>/: schema.yaml and the expected package
golden_<case>/. Run `UPDATE_GOLDEN=1 pytest tests/test_codegen.py` to rewrite them after
an intended change, then review the diff. Error cases live in tests/schema_errors/:
<case>.yaml and the exact stderr expected in <case>.err.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.render import HEADER, render_all
from codegen.source import load_source
from codegen.validate import build_schema
from codegen.write import stale_files, write_files

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
ERRORS = Path(__file__).parent / "schema_errors"
CASES = sorted(path.parent for path in GOLDEN.glob("*/schema.yaml"))
ERROR_CASES = sorted(ERRORS.glob("*.yaml"))


def _render(schema: Path, package: str) -> dict[str, str]:
    return render_all(build_schema(load_source(schema)), package)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_golden_output(case: Path) -> None:
    package = f"golden_{case.name}"
    files = _render(case / "schema.yaml", package)
    if os.environ.get("UPDATE_GOLDEN"):
        write_files(case / package, files)
    assert stale_files(case / package, files) == []


def test_the_committed_generated_package_is_current() -> None:
    assert stale_files(ROOT / "generated", _render(ROOT / "schema.yaml", "generated")) == []


def test_generation_is_deterministic() -> None:
    first = _render(ROOT / "schema.yaml", "generated")
    second = _render(ROOT / "schema.yaml", "generated")
    assert first == second


def test_every_generated_file_has_the_header() -> None:
    for case, package in [
        (ROOT / "schema.yaml", "generated"),
        *((c / "schema.yaml", f"golden_{c.name}") for c in CASES),
    ]:
        for path, text in _render(case, package).items():
            assert text.splitlines()[0] in (f"# {HEADER}", f"-- {HEADER}"), path


def test_unchanged_schema_rewrites_nothing(tmp_path: Path) -> None:
    files = _render(ROOT / "schema.yaml", "generated")
    assert write_files(tmp_path, files) == sorted(files)
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    assert write_files(tmp_path, files) == []
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == stamps


def test_files_no_longer_generated_are_removed(tmp_path: Path) -> None:
    files = _render(ROOT / "schema.yaml", "generated")
    write_files(tmp_path, files)
    (tmp_path / "repositories" / "dropped_table.py").write_text("# stale\n")
    assert write_files(tmp_path, files) == ["repositories/dropped_table.py"]
    assert not (tmp_path / "repositories" / "dropped_table.py").exists()


def test_check_reports_stale_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(tmp_path, _render(ROOT / "schema.yaml", "generated"))
    (tmp_path / "models.py").write_text("# edited by hand\n")
    status = main(
        [
            "--schema",
            str(ROOT / "schema.yaml"),
            "--out",
            str(tmp_path),
            "--package",
            "generated",
            "check",
        ]
    )
    assert status == 1
    assert "models.py: differs" in capsys.readouterr().err


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda path: path.stem)
def test_schema_errors(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--schema", str(case), "--out", str(tmp_path / "out"), "generate"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == case.with_suffix(".err").read_text(encoding="utf-8")
    assert not (tmp_path / "out").exists()  # nothing written


def test_cli_exit_status_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "schema.yaml"
    bad.write_text((ERRORS / "unknown_type.yaml").read_text())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen",
            "--schema",
            str(bad),
            "--out",
            str(tmp_path / "g"),
            "generate",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("schema.yaml:6:22: unknown value 'decimal' for 'type'")
    assert "Traceback" not in result.stderr


def test_missing_schema_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--schema", str(tmp_path / "nope.yaml"), "check"]) == 2
    assert capsys.readouterr().err.startswith("nope.yaml:1:1: cannot read the schema")
