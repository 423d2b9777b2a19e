"""The `libsqlkit` command: its parser, and the commands the runtime carries out alone.

migrate, rollback, status, sync and seed need only the runtime, so that a production image
without the code-generation extra runs them; the other commands live in
`libsqlkit.codegen.cli`, which adds its arguments to the same parser.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from types import ModuleType

from libsqlkit._config import ProjectConfig
from libsqlkit._connect import connect
from libsqlkit._migrate import Migrator, migrate_command
from libsqlkit._schema import Schema
from libsqlkit._seed import MAX_SEED_ROWS, seed

__all__ = ["COMMANDS", "RUNTIME_COMMANDS", "build_parser", "import_generated", "run_runtime"]

DESCRIPTION = """\
libsqlkit: a typed data-access layer for libSQL / Turso, generated from one schema file.

Paths come from [tool.libsqlkit] in the nearest pyproject.toml (schema, package,
migrations, database_url), else schema.yaml, generated/ and migrations/; the options
below override them. The database is --url, else TURSO_DATABASE_URL, else database_url.
`libsqlkit COMMAND --help` describes each command.

Exit status: 0 done, 1 a check failed or the database refused, 2 the schema or the
configuration is invalid (each problem printed as file:line:col: message).
"""

# name -> one line of help, in the order of a project's life.
COMMANDS = {
    "init": "scaffold a project: schema.yaml, [tool.libsqlkit], a .gitignore entry",
    "generate": "write the generated package from the schema",
    "migration": "write the next migration from the schema change (nothing if none)",
    "data-migration": "scaffold a data migration to fill in",
    "migrate": "apply pending migrations in order, each all-or-nothing",
    "rollback": "run the reverse of the last migrations",
    "status": "list migrations, applied or pending; exit 1 if they disagree with the database",
    "push": "apply the schema straight to a database (development)",
    "check": "fail if the generated package, migrations, schema (or --db) are out of step",
    "seed": "fill the database with deterministic fake rows (development)",
    "studio": "browse (and with --write, edit) the database in Datasette, on loopback",
    "sync": "one sync of an offline-mode local file with TURSO_SYNC_URL; print the report",
    "pull": "write the schema (and a baseline migration) from an existing database",
    "export": "write the schema for another tool (drizzle: a sqlite-core schema.ts)",
}
RUNTIME_COMMANDS = ("migrate", "rollback", "status", "sync", "seed")
URL_HELP = "database URL (default: TURSO_DATABASE_URL, else [tool.libsqlkit] database_url)"


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser with every command, and each command's own parser to add arguments to."""
    parser = argparse.ArgumentParser(
        prog="libsqlkit", description=DESCRIPTION, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--schema", type=Path, default=None, help="the schema file")
    parser.add_argument("--out", type=Path, default=None, help="the generated package's folder")
    parser.add_argument(
        "--package",
        default=None,
        help="the generated package's import name, dotted allowed (default: --out's name)",
    )
    parser.add_argument("--migrations", type=Path, default=None, help="the migrations folder")
    parser.add_argument("--url", default=None, help=URL_HELP)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parsers = {
        name: commands.add_parser(name, help=text, description=text)
        for name, text in COMMANDS.items()
    }
    for name in (*RUNTIME_COMMANDS, "push", "check", "studio"):
        # Also after the command; SUPPRESS keeps a --url given before it.
        parsers[name].add_argument("--url", default=argparse.SUPPRESS, help=URL_HELP)
    parsers["rollback"].add_argument("--steps", type=int, default=1, help="how many (default 1)")
    parsers["rollback"].add_argument("--force", action="store_true", help="even if it loses data")
    parsers["seed"].add_argument(
        "--count", type=int, default=10, help=f"rows per table, 0 to {MAX_SEED_ROWS} (default 10)"
    )
    parsers["seed"].add_argument(
        "--seed",
        type=int,
        default=0,
        help="the random seed: the same seed, the same rows (default 0)",
    )
    return parser, parsers


def run_runtime(args: argparse.Namespace, config: ProjectConfig, flags: argparse.Namespace) -> int:
    """migrate, rollback, status, sync or seed, with `config` already overridden by the flags
    (`flags`: the options as given, for the command `status` suggests); LibsqlKitError
    propagates to the caller."""
    url = config.require_url(args.url)
    if args.command == "sync":
        tables = import_generated(config, "tables")
        with connect(tables.SCHEMA, url, sync_mode="offline", sync_interval=0) as db:
            print(db.sync())
        return 0
    if args.command == "seed":
        tables = import_generated(config, "tables")
        with connect(tables.SCHEMA, url) as db:
            inserted = seed(db, config.package, count=args.count, seed=args.seed)
        for name, rows in inserted.items():
            print(f"{name}: {rows} rows")
        return 0
    # A long migration makes a concurrent migrator wait, not fail.
    with connect(Schema((), ()), url, busy_timeout_ms=600_000) as db:
        migrator = Migrator(db, config.migrations, report=print)
        if args.command == "migrate":
            if not migrator.migrate():
                print(f"{db.url} is up to date")
        elif args.command == "rollback":
            if not migrator.rollback(args.steps, force=args.force):
                print("nothing to roll back")
        else:
            return _status(migrator, migrate_command(flags.migrations, flags.url))
    return 0


def _status(migrator: Migrator, command: str) -> int:
    """List every migration, then give the verdict `check --db` gives (`pending_report`)."""
    migrator.folder.require()
    applied = [name for name, _ in migrator.applied()]
    for entry in migrator.folder.entries:
        print(f"{'applied' if entry.name in applied else 'pending'}  {entry.name} ({entry.kind})")
    listed = {entry.name for entry in migrator.folder.entries}
    for name in applied:
        if name not in listed:
            print(f"applied  {name} (not in the folder)")
    print(migrator.pending_report(command) or "all migrations are applied")
    return 0


def import_generated(config: ProjectConfig, module: str) -> ModuleType:
    """`<package>.<module>` of the project's generated package, imported from the project's
    folder (never an installed package of the same name: the folder comes first)."""
    root = str(config.root.resolve())
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"{config.package}.{module}")
