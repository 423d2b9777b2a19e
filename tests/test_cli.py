"""The `libsqlkit` command: help on every command, `init` that never overwrites, and the
runtime's commands that never load the code generator."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from codegen.render import render_all
from codegen.source import load_source
from codegen.validate import build_schema
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


def test_generate_writes_what_render_all_renders_with_models_made_in_a_child(
    tmp_path: Path,
) -> None:
    """The CLI makes models.py in a forked child while it renders the rest
    (codegen/models_job.py): the package is the one rendered in one process."""
    argv = [
        "--schema", str(ROOT / "schema.yaml"), "--out", str(tmp_path / "out"),
        "--package", "generated", "generate", "--no-cache",
    ]  # fmt: skip
    probe = (
        "import libsqlkit.codegen.models_job as job; from libsqlkit.__main__ import main\n"
        "started = []\n"
        "def start(self, *args):\n"
        "    original(self, *args); started.append(self._future is not None)\n"
        "original, job.ModelsJob.start = job.ModelsJob.start, start\n"
        f"print(main({argv!r}), started)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path
    )
    in_a_child = sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1
    assert ran.stdout.splitlines()[-1] == f"0 [{in_a_child}]", ran.stdout + ran.stderr
    expected = render_all(build_schema(load_source(ROOT / "schema.yaml")), "generated")
    written = {
        path.relative_to(tmp_path / "out").as_posix(): path.read_text("utf-8")
        for path in (tmp_path / "out").rglob("*")
        if path.is_file()
    }
    assert written == expected


def test_generate_names_the_models_clashes_found_in_the_child_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """Names the generator had to change are found once the child's models.py is back;
    they are reported as `build_schema` reports them, and no file is written."""
    schema = ROOT / "tests" / "schema_errors" / "models_module_names.yaml"
    done = _run(
        "--schema", str(schema), "--out", str(tmp_path / "out"), "generate", "--no-cache",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode != 0
    expected = (schema.with_suffix(".err")).read_text("utf-8").strip().splitlines()
    reported = [line.strip() for line in done.stderr.splitlines()]
    assert all(any(line.endswith(problem) for line in reported) for problem in expected), (
        done.stderr
    )
    assert not (tmp_path / "out").exists()
