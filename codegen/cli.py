"""The code-generation commands of `libsqlkit` (see libsqlkit/_cli.py for the parser and
the commands the runtime runs alone; `python -m codegen` in this repository is the same
command).

Exit status: 0 done, 1 a check failed or the database refused, 2 the schema or the
configuration is invalid (each problem printed as file:line:col: message).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from libsqlkit import LibsqlKitError, NotNullViolation, Schema, connect
from libsqlkit._cli import RUNTIME_COMMANDS, build_parser, import_generated, run_runtime
from libsqlkit._config import LOCAL_DATABASE_URL, ConfigFileError, load_config
from libsqlkit._migrate import (
    DataLossError,
    MigrationError,
    MigrationFolder,
    Migrator,
    apply_atomically,
    migrate_command,
    refuse_losses,
)
from libsqlkit._naming import rebuilt_table
from libsqlkit._snapshot import introspect
from libsqlkit._url import database_url

from .cache import DEFAULT_FOLDER, OutputCache
from .init import InitChoices, init_project
from .ir import SchemaIR
from .migrations import (
    MigrationNameError,
    new_data_migration,
    new_migration,
    pending_change,
    push_plan,
)
from .models_job import ModelsJob
from .problems import SchemaError
from .render import HEADER, render_all
from .source import load_source
from .validate import build_schema, checked_schema
from .write import stale_files, write_files

__all__ = ["main"]

EMPTY = Schema((), ())


def _cache(args: argparse.Namespace) -> OutputCache | None:
    """The cache of generator and ruff outputs: --cache, else .libsqlkit-cache/ beside
    pyproject.toml (or in the current folder); none with --no-cache."""
    if getattr(args, "no_cache", False):
        return None
    folder = getattr(args, "cache", None)
    if folder is None:
        config = getattr(args, "config", None)
        root = config.file.parent if config is not None and config.file is not None else Path()
        folder = root / DEFAULT_FOLDER
    return OutputCache(folder)


def _schema(args: argparse.Namespace) -> SchemaIR:
    return build_schema(load_source(args.schema), _cache(args))


def _render(args: argparse.Namespace) -> tuple[SchemaIR, dict[str, str]]:
    """The IR and every generated file. Where it can, models.py is made meanwhile in
    children (models_job.py), which check their classes for changed names themselves;
    it is checked here when one found a clash or could not tell, before it is formatted
    and anything is written. Otherwise it is made and checked first, as `build_schema`
    does."""
    cache = _cache(args)
    header = f"# {HEADER}\n"
    with closing(ModelsJob()) as job:
        schema, check_models = checked_schema(load_source(args.schema))
        job.start(schema, header, cache)
        if not job.in_child:
            check_models(job.text()[0])
            return schema, render_all(schema, args.package, cache)

        def models() -> str:
            text, checked = job.text()
            if not checked:
                check_models(text)
            return text

        return schema, render_all(schema, args.package, cache, models)


def _init(args: argparse.Namespace) -> int:
    choices = InitChoices(
        schema=args.schema,
        package=None
        if args.package is None
        else load_config().overridden(package=args.package).package,
        migrations=args.migrations,
        database_url=args.url or LOCAL_DATABASE_URL,
        makefile=args.makefile,
    )
    for line in init_project(Path(), choices):
        print(line)
    print("next: libsqlkit generate && libsqlkit migration init && libsqlkit migrate")
    return 0


def _generate(args: argparse.Namespace) -> int:
    changed = write_files(args.out, _render(args)[1])
    for path in changed:
        print(f"wrote {args.out / path}")
    if not changed:
        print(f"{args.out}/ is up to date with {args.schema}")
    return 0


def _check(args: argparse.Namespace) -> int:
    schema, files = _render(args)
    problems = [
        f"{args.out}/{path}: {why} (run `{_command(args, 'generate')}`)"
        for path, why in stale_files(args.out, files)
    ]
    folder = MigrationFolder.load(args.migrations)
    unreadable = folder.unreadable()
    if unreadable is not None:
        first = _command(args, "migration", "init")
        problems.append(f"{unreadable} (or write the first one: `{first}`)")
    problems += [f"{args.migrations}/{p}" for p in folder.problems()]
    if not problems:
        forward, _, _ = pending_change(args.migrations, schema)
        if forward.statements:
            problems.append(
                f"{args.schema} changed since the last migration ({len(forward.statements)} statements "
                f"pending): run `{_command(args, 'migration', 'NAME')}`"
            )
    if args.db and not problems:
        # The verdict of `status` (the same `pending`), then drift from the applied schema.
        with connect(EMPTY, args.url) as db:
            migrator = Migrator(db, args.migrations)
            try:
                command = migrate_command(args.flags.migrations, args.flags.url)
                pending = migrator.pending_report(command)
                problems += [f"database: {p}" for p in [pending, *migrator.drift()] if p]
            except MigrationError as error:
                problems.append(f"database: {error}")
    if problems:
        print("check failed:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    agree = f"{args.out}/, {args.migrations}/ and {args.schema} agree"
    print(agree + (" with the database" if args.db else ""))
    return 0


def _migration(args: argparse.Namespace) -> int:
    written = new_migration(args.migrations, _schema(args), args.name)
    if written is None:
        print("no schema change since the last migration: nothing written")
        return 0
    path, forward = written
    print(f"wrote {path}/ ({len(forward.statements)} statements)")
    for loss in forward.losses:
        print(f"  warning: it {loss.describe()}")
    for table in forward.rebuilt:
        print(f"  note: {table} is rebuilt (copied into a new table): writers wait while it runs")
    return 0


def _data_migration(args: argparse.Namespace) -> int:
    path = new_data_migration(args.migrations, args.name, python=args.python)
    print(f"wrote {path}/: fill in up and down")
    return 0


def _push(args: argparse.Namespace) -> int:
    schema = _schema(args)
    with connect(EMPTY, args.url) as db:
        live = introspect(lambda sql, params: db.execute(sql, params))
        steps = push_plan(live, schema)
        if not steps.statements:
            print(f"{db.url} already has the schema")
            return 0

        def body() -> None:
            refuse_losses(
                db,
                [(loss.kind, loss.table, loss.column) for loss in steps.losses],
                force=args.force,
                refusal="push would lose data; nothing was changed",
                advice=f"run again with --force (`{_command(args, 'push', '--force')}`) to apply it anyway",
            )
            for statement in steps.statements:
                db.execute(statement)

        try:
            apply_atomically(db, "push", body)
        except DataLossError as exc:
            print(exc, file=sys.stderr)
            return 1
        except NotNullViolation as exc:
            column = ".".join(rebuilt_table(exc.table or "").split(".") + list(exc.columns))
            print(
                f"push failed: {column} is NOT NULL without a default and the table has rows: give it "
                "a default, or fill it in a data migration first; nothing was changed",
                file=sys.stderr,
            )
            return 1
        print(f"pushed {len(steps.statements)} statements to {db.url}")
    return 0


def _studio(args: argparse.Namespace) -> int:
    import secrets

    import uvicorn
    from datasette.app import Datasette
    from datasette.database import Database as DatasetteDatabase
    from datasette.plugins import pm

    from . import studio_plugin
    from .studio import DATABASE, StudioState, metadata, open_studio_database
    from .studio_guard import StudioGuard

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("the studio binds to loopback only (127.0.0.1, localhost, ::1)", file=sys.stderr)
        return 1
    schema = _schema(args)
    try:
        # The edit form validates and writes through the project's own generated package.
        models = import_generated(args.config, "models")
        repositories = import_generated(args.config, "repositories")
    except ImportError as error:
        print(
            f"studio: cannot import {args.package} from {args.config.root.resolve()} ({error}): "
            f"run `{_command(args, 'generate')}` first",
            file=sys.stderr,
        )
        return 1
    db, path, replica = open_studio_database(args.url, auth_token=None)
    state = StudioState(
        schema,
        db,
        db.url if not replica else database_url(args.url),
        args.write,
        replica,
        models,
        repositories,
        tables={t.name: t for t in schema.tables},
    )
    studio_plugin.STATE = state
    if not pm.is_registered(studio_plugin):
        pm.register(studio_plugin, name="libsqlkit-studio")
    # No HTTP caching: the data changes under the pages (edits, replica refreshes). A new
    # secret each run: the CSRF tokens of an earlier run's pages no longer count.
    secret = secrets.token_hex(32)
    datasette = Datasette(
        metadata=metadata(state),
        settings={"sql_time_limit_ms": 5000, "default_cache_ttl": 0},
        secret=secret,
    )
    datasette.add_database(
        DatasetteDatabase(datasette, path=str(path), is_mutable=True), name=DATABASE
    )
    kind = (
        "read-only replica of the remote database"
        if replica
        else ("writes enabled" if args.write else "read-only")
    )
    print(f"studio: http://{args.host}:{args.port}/{DATABASE} ({kind})", flush=True)
    guarded = StudioGuard(datasette.app(), port=args.port, secret=secret)
    uvicorn.run(guarded, host=args.host, port=args.port, log_level="warning")
    return 0


def _pull(args: argparse.Namespace) -> int:
    # Imported here, like the studio's packages: the other commands start faster without.
    from .pull import PullError, open_database, pull

    try:
        with open_database(args.url) as db:
            pulled, baseline = pull(db, args.url, args.schema, args.migrations)
    except PullError as error:
        print(f"pull failed: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.schema} ({len(pulled.schema.tables)} tables) from {args.url}")
    for title, lines in (
        ("guessed (commented in the file; check them)", pulled.guesses),
        ("written differently from the database", pulled.notes),
        (f"not in {args.schema}", pulled.left_out),
    ):
        if lines:
            print(f"{title}:")
            print("".join(f"  {line}\n" for line in lines), end="")
    if baseline is not None:
        print(
            f"wrote {baseline}/: the baseline; `{_command(args, 'migrate', '--url', args.url)}` "
            "records it as "
            "applied on this database without running it"
        )
        return 0
    push = _command(args, "push", "--url", args.url)
    first = _command(args, "migration", "baseline")
    print(
        f"no baseline migration written: {args.schema} does not give this database's exact "
        "schema, so `migrate` cannot take it as current:\n"
        + "".join(f"  {line}\n" for line in pulled.differences)
        + f"to adopt the database, review {args.schema}, make the database match it (`{push}` "
        f"rebuilds what differs and drops what {args.schema} leaves out; it refuses to lose "
        f"rows), then write the first migration (`{first}`)",
        file=sys.stderr,
    )
    return 1


def _export(args: argparse.Namespace) -> int:
    from .drizzle_export import drizzle_schema  # imported here: see _pull

    text = drizzle_schema(_schema(args), source=args.schema.name)
    if args.ts_out is None:
        sys.stdout.write(text)
        return 0
    if args.ts_out.is_file() and args.ts_out.read_text(encoding="utf-8") == text:
        print(f"{args.ts_out} is up to date with {args.schema}")
        return 0
    args.ts_out.parent.mkdir(parents=True, exist_ok=True)
    partial = args.ts_out.with_name(f".{args.ts_out.name}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(args.ts_out)
    print(f"wrote {args.ts_out}")
    return 0


def _command(args: argparse.Namespace, *words: str) -> str:
    """`libsqlkit ...` as the user would type it again: with the path options they gave,
    none for what the configuration gives."""
    options = [
        word
        for name in ("schema", "out", "package", "migrations")
        if getattr(args.flags, name) is not None
        for word in (f"--{name}", str(getattr(args.flags, name)))
    ]
    return shlex.join(["libsqlkit", *options, *words])


def _runtime(args: argparse.Namespace) -> int:
    return run_runtime(args, args.config, args.flags)


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = build_parser()
    commands["init"].add_argument(
        "--makefile", action="store_true", help="also write Makefile targets for the commands"
    )
    commands["check"].add_argument(
        "--db", action="store_true", help="also compare the live database (see --url)"
    )
    for name in ("generate", "check"):
        commands[name].add_argument(
            "--cache",
            type=Path,
            default=None,
            help=f"where generator outputs are kept between runs (default: {DEFAULT_FOLDER}/ "
            "beside pyproject.toml); safe to delete",
        )
        commands[name].add_argument(
            "--no-cache", action="store_true", help="generate everything afresh, keep nothing"
        )
    commands["migration"].add_argument("name", help="what the change does, e.g. add_priority")
    data = commands["data-migration"]
    data.add_argument("name", help="what the data change does, e.g. backfill_titles")
    data.add_argument(
        "--python", action="store_true", help="migration.py with up(db)/down(db) instead of SQL"
    )
    commands["push"].add_argument(
        "--force", action="store_true", help="apply even if it drops tables or columns"
    )
    studio = commands["studio"]
    studio.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    studio.add_argument("--port", type=int, default=8001)
    studio.add_argument("--write", action="store_true", help="allow validated edits")
    pulling = commands["pull"]
    pulling.add_argument(
        "--url", required=True, help="the database: file:, libsql://, https://, http://"
    )
    pulling.add_argument(
        "--schema", type=Path, default=argparse.SUPPRESS, help="where to write (default: --schema)"
    )
    export = commands["export"]
    export.add_argument("target", choices=["drizzle"], help="drizzle: a sqlite-core schema.ts")
    export.add_argument(
        "--out", dest="ts_out", type=Path, default=None, help="the file (default: standard output)"
    )
    args = parser.parse_args(argv)
    handlers = {
        "init": _init,
        "generate": _generate,
        "check": _check,
        "migration": _migration,
        "data-migration": _data_migration,
        "migrate": _runtime,
        "rollback": _runtime,
        "status": _runtime,
        "sync": _runtime,
        "seed": _runtime,
        "push": _push,
        "studio": _studio,
        "pull": _pull,
        "export": _export,
    }
    try:
        if args.command != "init":
            _settle(args)
        return handlers[args.command](args)
    except (SchemaError, ConfigFileError) as error:
        print(error, file=sys.stderr)
        return 2
    except (LibsqlKitError, MigrationNameError) as error:
        print(f"{args.command} failed: {error}", file=sys.stderr)
        return 1


def _settle(args: argparse.Namespace) -> None:
    """Fill the paths and URL from the configuration where no flag gave them; keep the
    flags as given (`args.flags`) for the commands that messages suggest."""
    args.flags = argparse.Namespace(
        **{name: getattr(args, name) for name in ("schema", "out", "package", "migrations", "url")}
    )
    config = load_config().overridden(args.schema, args.out, args.package, args.migrations)
    args.config = config
    args.schema, args.out, args.package = config.schema, config.out, config.package
    args.migrations = config.migrations
    needs_database = args.command in (*RUNTIME_COMMANDS, "push", "studio") or (
        args.command == "check" and args.db
    )
    args.url = config.require_url(args.url) if needs_database else config.url(args.url)
