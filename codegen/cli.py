"""`python -m codegen generate|check|push`: the build-time commands behind the Makefile.

Exit status: 0 done, 1 generated/ is stale (check) or the database refused (push),
2 schema.yaml is invalid (each problem printed as file:line:col: message).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from codegen.problems import SchemaError
from codegen.render import render_all
from codegen.source import load_source
from codegen.validate import build_schema
from codegen.write import stale_files, write_files

__all__ = ["main"]


def _render(args: argparse.Namespace) -> dict[str, str]:
    package = args.package or args.out.resolve().name
    if not package.isidentifier():
        raise SystemExit(f"--package {package!r} is not a Python package name")
    return render_all(build_schema(load_source(args.schema)), package)


def _generate(args: argparse.Namespace) -> int:
    changed = write_files(args.out, _render(args))
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print(f"{args.out}/ is up to date with {args.schema}")
    return 0


def _check(args: argparse.Namespace) -> int:
    stale = stale_files(args.out, _render(args))
    if stale:
        print(
            f"{args.out}/ is out of date with {args.schema}; run `make generate`:", file=sys.stderr
        )
        for path, why in stale:
            print(f"  {path}: {why}", file=sys.stderr)
        return 1
    print(f"{args.out}/ matches {args.schema}")
    return 0


def _push(args: argparse.Namespace) -> int:
    # Imported here: generated/ must exist and be current before it can be imported.
    from generated.client import create_db_client
    from libsqlkit import LibsqlKitError

    try:
        with create_db_client(args.url) as db:
            created = db.create_schema()
            print(f"{'created the schema in' if created else 'schema already present in'} {db.url}")
    except LibsqlKitError as exc:
        print(f"push failed: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--schema", type=Path, default=Path("schema.yaml"), help="the schema file")
    parser.add_argument(
        "--out", type=Path, default=Path("generated"), help="the output package folder"
    )
    parser.add_argument(
        "--package", default=None, help="the output package's import name (default: --out's name)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate", help="write generated/ from schema.yaml")
    commands.add_parser("check", help="fail if generated/ differs from what schema.yaml gives")
    push = commands.add_parser("push", help="create the schema in an empty database")
    push.add_argument("--url", default=None, help="database URL (default: TURSO_DATABASE_URL)")
    args = parser.parse_args(argv)
    handlers = {"generate": _generate, "check": _check, "push": _push}
    try:
        return handlers[args.command](args)
    except SchemaError as error:
        print(error, file=sys.stderr)
        return 2
