"""The `libsqlkit` command: help on every command, `init` that never overwrites, and the
runtime's commands that never load the code generator."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from codegen.problems import SchemaError
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


# Whether `generate` makes models.py in a child on this machine (codegen/models_job.py).
IN_A_CHILD = sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1
# Records, per models job of the command, whether it made models.py in a child.
_RECORD_JOBS = (
    "import libsqlkit.codegen.models_job as job\n"
    "jobs = []\n"
    "def start(self, *args):\n"
    "    original(self, *args); jobs.append(self.in_child)\n"
    "original, job.ModelsJob.start = job.ModelsJob.start, start\n"
)


def _generate_recorded(
    out: Path, patch: str = "", schema: Path = ROOT / "schema.yaml"
) -> subprocess.CompletedProcess[str]:
    """`libsqlkit generate` of `schema` (the design's) into `out`, without a cache, in a
    fresh interpreter after `patch` (Python source); its last line of output is the exit
    code and the jobs' `in_child`, as in `0 [True]`."""
    argv = [
        "--schema", str(schema), "--out", str(out), "--package", "generated",
        "generate", "--no-cache",
    ]  # fmt: skip
    probe = f"{patch}{_RECORD_JOBS}from libsqlkit.__main__ import main\nprint(main({argv!r}), jobs)"
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=out.parent
    )


@functools.cache
def _design_package() -> dict[str, str]:
    """The design schema's package, rendered in this process."""
    return render_all(build_schema(load_source(ROOT / "schema.yaml")), "generated")


def test_generate_writes_what_render_all_renders_with_models_made_in_a_child(
    tmp_path: Path,
) -> None:
    """The CLI makes models.py in a forked child while it renders the rest
    (codegen/models_job.py): the package is the one rendered in one process."""
    ran = _generate_recorded(tmp_path / "out")
    assert ran.stdout.splitlines()[-1] == f"0 [{IN_A_CHILD}]", ran.stdout + ran.stderr
    expected = _design_package()
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


def test_generate_names_a_clash_in_the_second_childs_share_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """Without payload models the children check their own classes, and the command
    checks models.py itself only when one found a clash: a column named like its type
    in the last table, in the second child's share, is reported as `build_schema`
    reports it."""
    schema = _wide_schema(tmp_path / "schema.yaml", 6)
    before, _, after = schema.read_text("utf-8").rpartition("col_13: {type: integer}")
    schema.write_text(f"{before}int: {{type: integer}}{after}", encoding="utf-8")
    with pytest.raises(SchemaError) as expected:
        build_schema(load_source(schema))
    assert str(expected.value).count("'int'") == 1
    ran = _generate_recorded(tmp_path / "out", schema=schema)
    assert ran.stdout.splitlines()[-1] == f"2 [{IN_A_CHILD}]", ran.stdout + ran.stderr
    assert all(line in ran.stderr for line in str(expected.value).splitlines()), ran.stderr
    assert not (tmp_path / "out").exists()


def _wide_schema(path: Path, tables: int) -> Path:
    """A schema whose models take the generator a while (seconds for 80 tables)."""
    lines = ["version: 1", "tables:"]
    for t in range(tables):
        lines += [f"  table_{t:03d}:", "    columns:", "      id: {type: text, primary_key: true}"]
        lines += [f"      col_{c:02d}: {{type: integer}}" for c in range(14)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in found.split()]


def _running(pid: int) -> bool:
    """Alive and not a zombie (nobody may reap an orphan in a container)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux only")
def test_the_models_child_dies_with_a_killed_generate(tmp_path: Path) -> None:
    """`timeout`, a cancelled CI job or the OOM killer end `generate` without a word:
    its child goes with it instead of holding the caller's pipes open."""
    schema = _wide_schema(tmp_path / "schema.yaml", 80)
    command = [
        sys.executable, "-m", "libsqlkit", "--schema", str(schema), "--out",
        str(tmp_path / "out"), "--package", "generated", "generate", "--no-cache",
    ]  # fmt: skip
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE) as parent:
        deadline = time.monotonic() + 30
        while not (children := _children(parent.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert children, "no child was forked"
        parent.kill()
        try:  # ends only when no process holds the parent's stdout any more
            parent.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            for child in children:
                os.kill(child, signal.SIGKILL)
            pytest.fail("the child outlived its parent, holding the caller's pipe open")
    deadline = time.monotonic() + 10
    while any(map(_running, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [child for child in children if _running(child)]
    for child in left:  # not to leave them behind when this fails
        os.kill(child, signal.SIGKILL)
    assert not left
    assert not (tmp_path / "out").exists()


def test_a_child_that_fails_leaves_the_work_to_the_command(tmp_path: Path) -> None:
    """Whatever goes wrong in a child (here an error that cannot even be sent back, in
    one of the two), the command makes models.py itself: the same package, or the error
    it would raise."""
    ran = _generate_recorded(
        tmp_path / "out",
        "import libsqlkit.codegen.models_job as job\n"
        "real = job.models_share\n"
        "class Odd(Exception):\n"
        "    def __init__(self, a, b): super().__init__(a)\n"
        "def share(schema, header, cache, index, count):\n"
        "    if index == 1: raise Odd(1, 2)\n"
        "    return real(schema, header, cache, index, count)\n"
        "job.models_share = share\n",
    )
    assert ran.stdout.splitlines()[-1] == f"0 [{IN_A_CHILD}]", ran.stdout + ran.stderr
    expected = _design_package()
    assert (tmp_path / "out" / "models.py").read_text("utf-8") == expected["models.py"]


@pytest.mark.skipif(sys.platform != "linux", reason="the children are forked on Linux only")
def test_a_child_killed_with_a_large_schema_leaves_the_work_to_the_command(
    tmp_path: Path,
) -> None:
    """The OOM killer takes the first child mid-share. The other's reply is larger than
    a pipe holds, so it waits for the parent to read it: the parent must see the first
    child's end, which it would not if the second child had inherited that pipe."""
    schema = _wide_schema(tmp_path / "schema.yaml", 80)
    kill = (
        "import os, signal; import libsqlkit.codegen.models_job as job\n"
        "real = job.models_share\n"
        "def share(schema, header, cache, index, count):\n"
        "    if index == 0: os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(schema, header, cache, index, count)\n"
        "job.models_share = share\n"
    )
    outputs = []
    for name, patch in (("killed", kill), ("plain", "")):
        argv = [
            "--schema", str(schema), "--out", str(tmp_path / name), "--package",
            "generated", "generate", "--no-cache",
        ]  # fmt: skip
        probe = f"{patch}from libsqlkit.__main__ import main\nprint(main({argv!r}))"
        ran = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
        )
        assert ran.stdout.splitlines()[-1] == "0", ran.stdout + ran.stderr
        outputs.append(
            {
                path.relative_to(tmp_path / name): path.read_bytes()
                for path in (tmp_path / name).rglob("*")
                if path.is_file()
            }
        )
    assert outputs[0] == outputs[1]


def test_generate_without_a_fork_to_be_had_makes_models_itself(tmp_path: Path) -> None:
    """No process to be had (memory, process limits): the command works in one process."""
    ran = _generate_recorded(
        tmp_path / "out",
        "import errno, multiprocessing\n"
        "def refuse(self): raise OSError(errno.EAGAIN, 'Resource temporarily unavailable')\n"
        "multiprocessing.get_context('fork').Process.start = refuse\n",
    )
    assert ran.stdout.splitlines()[-1] == "0 [False]", ran.stdout + ran.stderr
    expected = _design_package()
    assert (tmp_path / "out" / "models.py").read_text("utf-8") == expected["models.py"]
