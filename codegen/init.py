"""`libsqlkit init`: scaffold a project, so that `libsqlkit generate && libsqlkit migration
init && libsqlkit migrate` gives a working typed layer right after it.

It never overwrites: an existing schema file is kept, an existing [tool.libsqlkit] table
is kept, and lines are only added to .gitignore (and a Makefile only written when there
is none).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from libsqlkit._config import (
    CONFIG_FILE,
    DEFAULT_MIGRATIONS,
    DEFAULT_PACKAGE,
    LOCAL_DATABASE_URL,
    find_config,
)

__all__ = ["InitChoices", "init_project"]

IGNORED = "/data/"

SCHEMA_EXAMPLE = """\
# The single source of truth of the data layer: `libsqlkit generate` writes the typed
# package from it, `libsqlkit migration NAME` the next migration.
version: 1

tables:
  notes:
    model: Note
    description: One note; replace it with your own tables.
    soft_delete: deleted_at
    columns:
      id: {type: text, primary_key: true, client_default: uuid4}
      title: {type: text, not_null: true}
      body: {type: text}
      created_at: {type: integer, mode: timestamp, not_null: true, client_default: now}
      deleted_at: {type: integer, mode: timestamp}
    queries:
      find_by_title:
        description: The notes with this title, newest first.
        select: many
        where: [title]
        order_by: [created_at desc, id asc]
"""

MAKEFILE = """\
# The libsqlkit commands of this project (libsqlkit init --makefile).
.PHONY: generate migration migrate rollback status check studio

generate:
\tlibsqlkit generate

migration:
\t@test -n "$(NAME)" || { echo "usage: make migration NAME=add_priority"; exit 2; }
\tlibsqlkit migration $(NAME)

migrate:
\tlibsqlkit migrate

rollback:
\tlibsqlkit rollback

status:
\tlibsqlkit status

check:
\tlibsqlkit check

studio:
\tlibsqlkit studio
"""


@dataclass(frozen=True)
class InitChoices:
    """What `init` writes into [tool.libsqlkit]; None keeps a key at its default."""

    schema: Path | None = None
    package: str | None = None
    migrations: Path | None = None
    database_url: str = LOCAL_DATABASE_URL
    makefile: bool = False


def init_project(folder: Path, choices: InitChoices) -> list[str]:
    """Scaffold `folder`; return one line per thing done or kept, for the user to read."""
    done = []
    pyproject = folder / CONFIG_FILE
    existing = find_config(folder.resolve())
    if existing is not None:
        done.append(f"kept the [tool.libsqlkit] table of {os.path.relpath(existing)}")
    else:
        text = pyproject.read_text(encoding="utf-8") if pyproject.is_file() else ""
        table = _config_table(choices)
        separator = "\n" if text.endswith("\n") else ("\n\n" if text else "")
        pyproject.write_text(text + separator + table, encoding="utf-8")
        done.append(f"{'added [tool.libsqlkit] to' if text else 'wrote'} {pyproject}")
    schema = folder / (choices.schema or Path("schema.yaml"))
    if schema.exists():
        done.append(f"kept {schema}")
    else:
        schema.parent.mkdir(parents=True, exist_ok=True)
        schema.write_text(SCHEMA_EXAMPLE, encoding="utf-8")
        done.append(f"wrote {schema} (one example table)")
    gitignore = folder / ".gitignore"
    lines = gitignore.read_text(encoding="utf-8").splitlines() if gitignore.is_file() else []
    if IGNORED in lines or IGNORED.strip("/") in lines or "data/" in lines:
        done.append(f"kept {gitignore} (it ignores the local database already)")
    else:
        with gitignore.open("a", encoding="utf-8") as out:
            if lines and gitignore.read_text(encoding="utf-8")[-1:] != "\n":
                out.write("\n")
            out.write(f"# the local development database ({LOCAL_DATABASE_URL})\n{IGNORED}\n")
        done.append(f"added {IGNORED} to {gitignore}")
    if choices.makefile:
        makefile = folder / "Makefile"
        if makefile.exists():
            done.append(f"kept {makefile}: add the targets yourself (see `libsqlkit --help`)")
        else:
            makefile.write_text(MAKEFILE, encoding="utf-8")
            done.append(f"wrote {makefile}")
    return done


def _config_table(choices: InitChoices) -> str:
    """The [tool.libsqlkit] table, every key written out so that it can be found and changed."""
    values = {
        "schema": str(choices.schema or "schema.yaml"),
        "package": choices.package or DEFAULT_PACKAGE,
        "migrations": str(choices.migrations or DEFAULT_MIGRATIONS),
        "database_url": choices.database_url,
    }
    body = "".join(f"{key} = {_toml_string(value)}\n" for key, value in values.items())
    return (
        "[tool.libsqlkit]\n"
        "# Read by every libsqlkit command; paths are relative to this file's folder.\n"
        "# TURSO_DATABASE_URL, when set, wins over database_url.\n" + body
    )


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's string escapes are all TOML escapes too."""
    return json.dumps(value, ensure_ascii=False)
