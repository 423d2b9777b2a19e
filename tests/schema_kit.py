"""Running the generator on schema.yaml text, and proving what it made works.

A schema must end one of two ways: a located error (`schema.yaml:LINE:COL: message`,
exit status 2, nothing written) or a package that imports, creates its schema on a
scratch database file and passes mypy --strict. mypy takes seconds to start, so many
packages are checked in one run.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from codegen.cli import main

ROOT = Path(__file__).parent.parent
LOCATED = re.compile(r"(?P<file>[^:\n]+):(?P<line>\d+):(?P<column>\d+): .+")


@dataclass(frozen=True)
class Outcome:
    status: int
    stderr: str


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in this (main) thread if the block runs longer: a hang fails."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: any text, lone surrogates and NUL included."""
    return '"' + "".join(_escaped(character) for character in text) + '"'


def _escaped(character: str) -> str:
    if character in '"\\':
        return "\\" + character
    if character.isprintable() and not "\ud800" <= character <= "\udfff":
        return character
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def schema_path(folder: Path, package: str) -> Path:
    return folder / "schemas" / package / "schema.yaml"


def generate(schema: str | bytes, folder: Path, package: str) -> Outcome:
    """`python -m codegen --schema S --out folder/package generate` in this process (no
    interpreter start per schema); S, kept for the record, is `schema_path(...)`."""
    path = schema_path(folder, package)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(schema, bytes):
        path.write_bytes(schema)
    else:
        path.write_text(schema, encoding="utf-8", errors="surrogatepass")
    errors, output = io.StringIO(), io.StringIO()
    with redirect_stderr(errors), redirect_stdout(output):
        status = main(
            [
                "--schema",
                str(path),
                "--out",
                str(folder / package),
                "--package",
                package,
                "generate",
            ]
        )
    return Outcome(status, errors.getvalue())


def assert_located(outcome: Outcome, folder: Path, package: str) -> list[str]:
    """Exit status 2, every line `schema.yaml:LINE:COL: message`, nothing written."""
    assert outcome.status == 2, outcome
    assert "Traceback" not in outcome.stderr
    lines = outcome.stderr.splitlines()
    assert lines, "no problem reported"
    for line in lines:
        match = LOCATED.fullmatch(line)
        assert match is not None and match["file"] == "schema.yaml", line
    assert not (folder / package).exists()
    return lines


def import_and_create(folder: Path, package: str) -> None:
    """Import every generated module and create the schema in a new database file."""
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    for module in ("models", "tables", "repositories", "client"):
        importlib.import_module(f"{package}.{module}")
    client = importlib.import_module(f"{package}.client")
    database = folder / f"{package}.db"
    with client.create_db_client(f"file:{database}") as db:
        assert db.create_schema()


def mypy_strict(folder: Path, packages: list[str]) -> subprocess.CompletedProcess[str]:
    """One `mypy --strict` run over the generated packages in `folder`."""
    arguments = [argument for package in packages for argument in ("-p", package)]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "--follow-imports=silent",
            "--hide-error-context",
            "--no-error-summary",
            *arguments,
        ],
        capture_output=True,
        text=True,
        cwd=folder,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        check=False,
    )
