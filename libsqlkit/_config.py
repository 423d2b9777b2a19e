"""`[tool.libsqlkit]` in pyproject.toml: where a project keeps its schema, its generated
package and its migrations, so that no command needs path flags.

It is found as ruff and mypy find theirs: the nearest pyproject.toml with the table,
walking up from the current folder, and no further than the folder holding `.git` (a
project never picks up a stranger's configuration above it). Paths in it are relative to
that file's folder and may not leave it. Part of the runtime (standard library only), as
`libsqlkit migrate` reads it in production images too.
"""

from __future__ import annotations

import difflib
import keyword
import os
import re
import sys
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from libsqlkit._errors import ConfigurationError

__all__ = [
    "CONFIG_FILE",
    "LOCAL_DATABASE_URL",
    "ConfigFileError",
    "ProjectConfig",
    "find_config",
    "load_config",
]

CONFIG_FILE = "pyproject.toml"
TABLE = "tool.libsqlkit"
KEYS = ("schema", "package", "migrations", "database_url")
DEFAULT_SCHEMA = "schema.yaml"
DEFAULT_PACKAGE = "generated"
DEFAULT_MIGRATIONS = "migrations"
LOCAL_DATABASE_URL = "file:./data/local.db"
# Bounds far beyond any real value, so that a hostile file fails fast and readably.
MAX_FILE_BYTES = 1_000_000
MAX_VALUE_CHARS = 1024
_ASCII_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")


class ConfigFileError(ConfigurationError):
    """pyproject.toml cannot be read, or its [tool.libsqlkit] table is wrong; the message
    starts with `file:line:col` (or the file and the key when the line is unknown)."""


@dataclass(frozen=True)
class ProjectConfig:
    """Where one project keeps its files. Paths are as the commands show them: relative
    to the current folder when they are below it."""

    file: Path | None  # the pyproject.toml read; None when no file has the table
    schema: Path
    package: str
    out: Path  # the generated package's folder
    migrations: Path
    database_url: str | None

    @property
    def root(self) -> Path:
        """The folder the generated package is imported from."""
        return self.out.parents[self.package.count(".")]

    def url(self, flag: str | None) -> str | None:
        """The database URL: the flag, else TURSO_DATABASE_URL, else `database_url`, whose
        relative `file:` path is relative to the configuration's folder like every path."""
        chosen = flag or os.environ.get("TURSO_DATABASE_URL")
        if chosen or self.database_url is None or self.file is None:
            return chosen or None
        scheme, _, path = self.database_url.partition(":")
        if scheme.lower() != "file" or path in ("", ":memory:") or path.startswith("/"):
            return self.database_url
        return f"{scheme}:{_shown(self.file.parent / path)}"

    def require_url(self, flag: str | None) -> str:
        """`url`, or an error that says every way of giving one."""
        url = self.url(flag)
        if url is None:
            raise ConfigurationError(
                "no database URL: pass --url, set TURSO_DATABASE_URL, or set database_url in "
                f"[{TABLE}] of {self.file or CONFIG_FILE} (e.g. {LOCAL_DATABASE_URL!r})"
            )
        return url

    def overridden(
        self,
        schema: Path | None = None,
        out: Path | None = None,
        package: str | None = None,
        migrations: Path | None = None,
    ) -> ProjectConfig:
        """This configuration with the command's flags applied: `--out` alone names the
        package after its folder, `--package` alone puts its folder below the project's."""
        if package is not None:
            package = _package(None, package)
        elif out is not None:
            package = _package(None, out.resolve().name)
        if out is None and package is not None:
            base = self.file.parent if self.file is not None else Path()
            out = _shown(base.joinpath(*package.split(".")))
        return replace(
            self,
            schema=schema or self.schema,
            package=package or self.package,
            out=out or self.out,
            migrations=migrations or self.migrations,
        )


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.libsqlkit] table, from `start` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file() and _table(candidate) is not None:
            return candidate
        if (folder / ".git").exists() or (folder / ".hg").exists():
            return None
    return None


def load_config(start: Path | None = None) -> ProjectConfig:
    """The project's configuration, or the defaults below `start` (the current folder)."""
    start = (start or Path.cwd()).resolve()
    file = find_config(start)
    table = _table(file) if file is not None else None
    if file is None or table is None:
        return ProjectConfig(
            None,
            _shown(start / DEFAULT_SCHEMA),
            DEFAULT_PACKAGE,
            _shown(start / DEFAULT_PACKAGE),
            _shown(start / DEFAULT_MIGRATIONS),
            None,
        )
    where = _Locator(file)
    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigFileError(
                f"{where.at(key, of_key=True)}: unknown key {key!r} in [{TABLE}]{hint}; "
                f"the keys are {', '.join(KEYS)}"
            )
    values = {key: _text(where, key, table[key]) for key in KEYS if key in table}
    root = file.parent
    package = _package(where, values.get("package", DEFAULT_PACKAGE))
    return ProjectConfig(
        _shown(file),
        _shown(root / _inside(where, "schema", values.get("schema", DEFAULT_SCHEMA))),
        package,
        _shown(root.joinpath(*package.split("."))),
        _shown(root / _inside(where, "migrations", values.get("migrations", DEFAULT_MIGRATIONS))),
        values.get("database_url"),
    )


def _table(file: Path) -> dict[str, Any] | None:
    """The [tool.libsqlkit] table of `file`, None when it has none."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise ConfigFileError(f"{_shown(file)}: cannot be read: {error.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigFileError(
            f"{_shown(file)}: {len(raw):,} bytes is larger than a pyproject.toml can be "
            f"({MAX_FILE_BYTES:,})"
        )
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)
        raise ConfigFileError(
            f"{_shown(file)}:{line}:{column}: not UTF-8 text (the byte 0x{raw[error.start]:02x})"
        ) from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        if position is None:
            raise ConfigFileError(f"{_shown(file)}: invalid TOML: {message}") from None
        where = "{}:{}:{}".format(_shown(file), *position.groups())
        raise ConfigFileError(
            f"{where}: invalid TOML: {message[: position.start()].strip()}"
        ) from None
    tool = document.get("tool")
    if not isinstance(tool, dict) or "libsqlkit" not in tool:
        return None
    table = tool["libsqlkit"]
    if not isinstance(table, dict):
        raise ConfigFileError(
            f"{_Locator(file).at(None)}: [{TABLE}] must be a table, not {_kind(table)}"
        )
    return table


def _text(where: _Locator, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ConfigFileError(f"{where.at(key)}: {key} must be a string, not {_kind(value)}")
    if not value.strip():
        raise ConfigFileError(f"{where.at(key)}: {key} is empty")
    if len(value) > MAX_VALUE_CHARS:
        raise ConfigFileError(
            f"{where.at(key)}: {key} is {len(value):,} characters long (at most {MAX_VALUE_CHARS})"
        )
    for position, char in enumerate(value, start=1):
        if not char.isprintable():
            raise ConfigFileError(
                f"{where.at(key)}: {key} has the control character U+{ord(char):04X} at "
                f"position {position}"
            )
    return value


def _inside(where: _Locator, key: str, value: str) -> str:
    """A relative path that stays inside the project's folder."""
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
        raise ConfigFileError(
            f"{where.at(key)}: {key} = {value!r} is absolute: give it relative to "
            f"{where.file.name}'s folder, so that the project works wherever it is checked out"
        )
    normal = os.path.normpath(value)
    if normal == ".." or normal.startswith(".." + os.sep):
        raise ConfigFileError(
            f"{where.at(key)}: {key} = {value!r} leaves the project's folder "
            f"({_shown(where.file.parent)}); keep it inside, or pass a flag for a one-off"
        )
    return normal


def _package(where: _Locator | None, value: str) -> str:
    """A dotted import name whose folder follows from it, shadowing nothing; `where` is
    None for the --package flag."""
    error = ConfigFileError if where is not None else ConfigurationError
    named = f"{where.at('package')}: package = {value!r}" if where else f"--package {value!r}"
    parts = value.split(".")
    for part in parts:
        if not _ASCII_IDENTIFIER.fullmatch(part) or keyword.iskeyword(part):
            raise error(
                f"{named} is not a dotted Python import name ({part!r} is not an ASCII "
                "identifier), e.g. 'generated' or 'myapp.db'"
            )
    if parts[0] == "libsqlkit" or (len(parts) == 1 and parts[0] in sys.stdlib_module_names):
        raise error(f"{named} would shadow the module {parts[0]!r}: choose a name of your own")
    return value


class _Locator:
    """`file:line:col` of a key in the [tool.libsqlkit] table, found by reading the lines
    (tomllib keeps no positions); the file and key when it is written another way."""

    _HEADER = re.compile(r"\s*\[\s*tool\s*\.\s*libsqlkit\s*\]\s*(#.*)?$")
    _TABLE = re.compile(r"\s*\[")

    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines = file.read_text(encoding="utf-8").splitlines()

    def at(self, key: str | None, *, of_key: bool = False) -> str:
        """Where the value of `key` starts (its name with `of_key`; the table's header
        for None)."""
        inside = False
        for number, line in enumerate(self.lines, start=1):
            if self._HEADER.match(line):
                if key is None:
                    return f"{_shown(self.file)}:{number}:1"
                inside = True
            elif inside and self._TABLE.match(line):
                break
            elif inside and key is not None:
                found = re.match(rf"\s*({re.escape(key)}|\"{re.escape(key)}\")\s*=\s*", line)
                if found:
                    column = found.start(1) if of_key else found.end()
                    return f"{_shown(self.file)}:{number}:{column + 1}"
        return f"{_shown(self.file)}: [{TABLE}] {key}" if key else f"{_shown(self.file)}"


def _kind(value: object) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _shown(path: Path) -> Path:
    """`path` relative to the current folder when it is below it, else absolute."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path.resolve()
