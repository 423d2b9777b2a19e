"""The `libsqlkit` command: help on every command, `init` that never overwrites, and the
runtime's commands that never load the code generator."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from libsqlkit._cli import COMMANDS

ROOT = Path(__file__).parent.parent
LIBSQLKIT = Path(sys.executable).with_name("libsqlkit")


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("TURSO_")}
    return subprocess.run([str(LIBSQLKIT), *argv], capture_output=True, text=True, cwd=cwd, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_has_help(command: str, tmp_path: Path) -> None:
    shown = _run(command, "--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"usage: libsqlkit {command}")
    assert COMMANDS[command] in " ".join(shown.stdout.split())


def test_the_overview_lists_every_command(tmp_path: Path) -> None:
    shown = _run("--help", cwd=tmp_path).stdout
    assert all(f"    {command} " in shown for command in COMMANDS)
    assert "[tool.libsqlkit]" in shown


def test_init_scaffolds_a_project_and_keeps_what_is_there(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "shop"\n', "utf-8")
    (project / ".gitignore").write_text("*.pyc", "utf-8")  # no final newline
    done = _run("--package", "shop.db", "init", "--makefile", cwd=project)
    assert done.returncode == 0, done.stderr
    config = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    assert config["project"] == {"name": "shop"}
    assert config["tool"]["libsqlkit"] == {
        "schema": "schema.yaml",
        "package": "shop.db",
        "migrations": "migrations",
        "database_url": "file:./data/local.db",
    }
    assert (project / ".gitignore").read_text("utf-8").splitlines()[0] == "*.pyc"
    assert "/data/" in (project / ".gitignore").read_text("utf-8").splitlines()
    assert "\tlibsqlkit generate" in (project / "Makefile").read_text("utf-8")
    assert "next: libsqlkit generate && libsqlkit migration init" in done.stdout

    (project / "schema.yaml").write_text("# mine\n", "utf-8")
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    again = _run("init", "--makefile", cwd=project)
    assert again.returncode == 0, again.stderr
    assert {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()} == before
    assert "kept the [tool.libsqlkit] table of pyproject.toml" in again.stdout


def test_init_refuses_a_bad_package_and_writes_nothing(project: Path) -> None:
    refused = _run("--package", "my-app", "init", cwd=project)
    assert refused.returncode == 1
    assert refused.stderr.startswith("init failed: --package 'my-app' is not a dotted Python")
    assert [p.name for p in project.iterdir()] == [".git"]


def test_runtime_commands_never_load_the_code_generator(project: Path) -> None:
    (project / "migrations").mkdir()
    probe = (
        "import sys; from libsqlkit.__main__ import main; "
        "code = main(['--url', 'file:app.db', 'status']); "
        "print(code, 'libsqlkit.codegen' in sys.modules, 'jinja2' in sys.modules)"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=project)
    assert ran.stdout.splitlines()[-1] == "1 False False", ran.stdout + ran.stderr
    assert "has no journal.json" in ran.stderr
