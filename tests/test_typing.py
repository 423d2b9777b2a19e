"""Typing as data: the built wheel, installed in a fresh virtual environment, type-checks
downstream code with mypy --strict. tests/typing/ok.py must pass; each file in
tests/typing/cases/ marks the lines that must fail with `# E: <error code>`. The wheel
holds no generated package: the downstream folder carries this repository's generated/,
as a project carries its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TYPING = Path(__file__).parent / "typing"
CASES = sorted((TYPING / "cases").glob("*.py"))
# The golden packages the cases and ok.py use besides the wheel's `generated`.
GOLDEN = [
    Path(__file__).parent / "golden" / case / f"golden_{case}"
    for case in ("composite_keys", "generated_columns", "relations", "views")
]
MYPY = "mypy==2.4.1"
EXPECTED = re.compile(r"#\s*E:\s*([\w-]+)")
NOTE = re.compile(r"^[^:]+\.py:\d+: note: ")
REPORTED = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")


def _run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with only the project's wheel (and mypy) installed."""
    folder = tmp_path_factory.mktemp("downstream")
    built = _run(sys.executable, "-m", "build", "--wheel", "--outdir", folder / "dist", ROOT)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (folder / "dist").glob("libsqlkit-*.whl")
    venv.create(folder / "venv", with_pip=True)
    python = folder / "venv" / "bin" / "python"
    installed = _run(
        python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, MYPY
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return python


def _mypy(python: Path, *files: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """mypy --strict on copies of `files` in `cwd`, away from the source tree, next to
    copies of the golden packages they import and of the generated package (the wheel
    does not install it)."""
    for package in GOLDEN:
        if not (cwd / package.name).exists():
            shutil.copytree(package, cwd / package.name)
    shutil.copytree(ROOT / "generated", cwd / "generated", dirs_exist_ok=True)
    copies = []
    for file in files:
        copy = cwd / file.name
        copy.write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
        copies.append(copy.name)
    return _run(
        python,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--hide-error-context",
        "--no-error-summary",
        *copies,
        cwd=cwd,
    )


def test_correct_downstream_code_passes(fresh_python: Path, tmp_path: Path) -> None:
    result = _mypy(fresh_python, TYPING / "ok.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    ran = _run(fresh_python, "ok.py", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "PENDING" in ran.stdout


def test_mistakes_fail_with_the_expected_errors(fresh_python: Path, tmp_path: Path) -> None:
    expected = {
        (case.name, number, code)
        for case in CASES
        for number, line in enumerate(case.read_text().splitlines(), start=1)
        for code in EXPECTED.findall(line)
    }
    assert len(expected) >= len(CASES)
    result = _mypy(fresh_python, *CASES, cwd=tmp_path)
    reported = set()
    for line in result.stdout.splitlines():
        if NOTE.match(line):
            continue  # a hint attached to the error above it
        match = REPORTED.match(line)
        assert match, f"unexpected mypy output: {line}"
        reported.add((Path(match["file"]).name, int(match["line"]), match["code"]))
    assert reported == expected, result.stdout
