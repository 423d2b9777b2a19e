"""[tool.libsqlkit] in pyproject.toml: found by walking up like ruff and mypy, overridden by
flags, and every bad value refused by a typed error that names file:line:col (or the key)
before any command writes anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from libsqlkit import ConfigurationError, LibsqlKitError
from libsqlkit._config import ConfigFileError, load_config

ROOT = Path(__file__).parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, the current folder, bounded by its own .git (so that no
    configuration above the temporary folder is ever read)."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TURSO_DATABASE_URL", raising=False)
    return tmp_path


def _write(project: Path, table: str) -> Path:
    file = project / "pyproject.toml"
    file.write_text(f'[project]\nname = "app"\n\n[tool.libsqlkit]\n{table}', "utf-8")
    return file


def test_defaults_without_a_configuration(project: Path) -> None:
    config = load_config()
    assert config.file is None
    assert (config.schema, config.package, config.out, config.migrations) == (
        Path("schema.yaml"),
        "generated",
        Path("generated"),
        Path("migrations"),
    )
    assert config.url(None) is None


def test_found_from_a_subfolder_and_relative_to_its_own_folder(project: Path) -> None:
    _write(project, 'schema = "db/schema.yaml"\npackage = "myapp.db"\nmigrations = "db/mig"\n')
    below = project / "myapp" / "views"
    below.mkdir(parents=True)
    config = load_config(below)
    assert config.file == Path("pyproject.toml")  # shown relative to the current folder
    assert config.schema == Path("db/schema.yaml") and config.migrations == Path("db/mig")
    assert config.package == "myapp.db" and config.out == Path("myapp/db")
    assert config.root == Path(".")


def test_a_nearer_pyproject_without_the_table_is_passed_over(project: Path) -> None:
    _write(project, 'package = "outer"\n')
    inner = project / "tools"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n", "utf-8")
    assert load_config(inner).package == "outer"


def test_the_walk_stops_at_the_repository_root(project: Path) -> None:
    _write(project, 'package = "outer"\n')
    nested = project / "vendor" / "other"
    (nested / ".git").mkdir(parents=True)
    config = load_config(nested)
    assert config.file is None and config.package == "generated"
    assert config.out.resolve() == (nested / "generated").resolve()


def test_flags_override_the_configuration(project: Path) -> None:
    _write(project, 'package = "myapp.db"\nschema = "s.yaml"\n')
    config = load_config()
    assert config.overridden(out=Path("build/pkg")).package == "pkg"
    assert config.overridden(out=Path("build/pkg")).out == Path("build/pkg")
    assert config.overridden(package="other.gen").out == Path("other/gen")
    assert config.overridden(schema=Path("x.yaml")).schema == Path("x.yaml")
    assert config.overridden().schema == Path("s.yaml")
    with pytest.raises(ConfigurationError, match=r"--package 'my-app' is not a dotted"):
        config.overridden(package="my-app")


def test_database_url_the_environment_wins_and_file_paths_follow_the_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(project, 'database_url = "file:./data/dev.db"\n')
    below = project / "app"
    below.mkdir()
    monkeypatch.chdir(below)
    config = load_config()
    assert config.url(None) == f"file:{project.resolve() / 'data' / 'dev.db'}"
    monkeypatch.setenv("TURSO_DATABASE_URL", "file:env.db")
    assert config.url(None) == "file:env.db"
    assert config.url("file:flag.db") == "file:flag.db"


def test_unicode_paths_are_kept(project: Path) -> None:
    _write(project, 'schema = "схема/データ.yaml"\n')
    assert load_config().schema == Path("схема/データ.yaml")


HOSTILE = [
    ("schema = 3\n", r"pyproject\.toml:5:10: schema must be a string, not an integer"),
    ("package = true\n", r"pyproject\.toml:5:11: package must be a string, not a boolean"),
    ('migrations = ["m"]\n', r"pyproject\.toml:5:14: migrations must be a string, not an array"),
    ("database_url = {a = 1}\n", r":5:16: database_url must be a string, not a table"),
    (
        'shema = "s.yaml"\n',
        r":5:1: unknown key 'shema' in \[tool\.libsqlkit\] \(did you mean 'schema'\?\)",
    ),
    (
        '"out" = "x"\n',
        r":5:1: unknown key 'out' .*the keys are schema, package, migrations, database_url",
    ),
    ('schema = ""\n', r":5:10: schema is empty"),
    ('schema = "/etc/passwd"\n', r":5:10: schema = '/etc/passwd' is absolute"),
    ('schema = "C:\\\\x\\\\s.yaml"\n', r":5:10: schema = .* is absolute"),
    ('migrations = "../elsewhere"\n', r":5:14: migrations = '\.\./elsewhere' leaves the project's"),
    ('schema = "a/../../b.yaml"\n', r":5:10: schema = 'a/\.\./\.\./b\.yaml' leaves the project's"),
    ('package = "my-app"\n', r":5:11: package = 'my-app' is not a dotted Python import name"),
    ('package = "a..b"\n', r"package = 'a\.\.b' is not a dotted .*\(\'\' is not"),
    ('package = "myapp.class"\n', r"'class' is not an ASCII identifier"),
    ('package = "données"\n', r"package = 'données' is not a dotted .*ASCII"),
    ('package = "json"\n', r":5:11: package = 'json' would shadow the module 'json'"),
    ('package = "libsqlkit.gen"\n', r"would shadow the module 'libsqlkit'"),
    (
        'database_url = "file:a\\u0000b"\n',
        r":5:16: database_url has the control character U\+0000 at position 7",
    ),
    ('schema = "s\\u202e.yaml"\n', r"schema has the control character U\+202E"),
    (f'schema = "{"a" * 5000}"\n', r":5:10: schema is 5,000 characters long \(at most 1024\)"),
]


@pytest.mark.parametrize(("table", "message"), HOSTILE, ids=[m for _, m in HOSTILE])
def test_a_bad_table_is_refused_by_position(project: Path, table: str, message: str) -> None:
    _write(project, table)
    with pytest.raises(ConfigFileError, match=message) as caught:
        load_config()
    assert str(caught.value).startswith("pyproject.toml:")
    assert isinstance(caught.value, LibsqlKitError)


def test_a_table_written_with_dotted_keys_is_named_by_its_key(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool]\nlibsqlkit.schema = 3\n", "utf-8")
    with pytest.raises(ConfigFileError, match=r"^pyproject\.toml: \[tool\.libsqlkit\] schema: "):
        load_config()


def test_not_a_table(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool]\nlibsqlkit = "yes"\n', "utf-8")
    with pytest.raises(ConfigFileError, match=r"\[tool\.libsqlkit\] must be a table, not str"):
        load_config()


def test_invalid_toml_is_named_by_line_and_column(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.libsqlkit]\nschema = "s.yaml\n', "utf-8")
    with pytest.raises(ConfigFileError, match=r"^pyproject\.toml:2:\d+: invalid TOML: "):
        load_config()


def test_not_utf8(project: Path) -> None:
    (project / "pyproject.toml").write_bytes(b'[tool.libsqlkit]\nschema = "\xff.yaml"\n')
    with pytest.raises(
        ConfigFileError, match=r"^pyproject\.toml:2:11: not UTF-8 text \(the byte 0xff\)"
    ):
        load_config()


def test_a_huge_file_is_refused_unparsed(project: Path) -> None:
    (project / "pyproject.toml").write_text("# padding\n" * 200_000, "utf-8")
    with pytest.raises(ConfigFileError, match=r"2,000,000 bytes is larger than a pyproject"):
        load_config()


def test_the_command_exits_2_and_writes_nothing(project: Path) -> None:
    _write(project, 'package = "my-app"\n')
    (project / "schema.yaml").write_text("version: 1\ntables: {}\n", "utf-8")
    ran = subprocess.run(
        [sys.executable, "-m", "libsqlkit", "generate"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.startswith("pyproject.toml:5:11: package = 'my-app' is not a dotted")
    assert sorted(p.name for p in project.iterdir()) == [".git", "pyproject.toml", "schema.yaml"]
