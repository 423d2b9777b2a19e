"""`python -m libsqlkit migrate|rollback|status`: production migrations, no codegen needed.

migrate                 apply pending migrations in order, each all-or-nothing
rollback [--steps N] [--force]   run the reverse of the last N migrations
status                  list migrations, applied or pending, and how to apply the pending
                        ones; exit 1 if the folder is missing or disagrees with the database

With TURSO_SYNC_MODE=offline they act on the local file (migrate the server with its own
URL); in replica mode, through the replica on its primary.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from libsqlkit._connect import connect
from libsqlkit._errors import LibsqlKitError
from libsqlkit._migrate import Migrator, migrate_command
from libsqlkit._schema import Schema


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m libsqlkit",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--migrations", type=Path, default=Path("migrations"), help="the migrations folder"
    )
    parser.add_argument("--url", default=None, help="database URL (default: TURSO_DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply pending migrations")
    rollback = commands.add_parser("rollback", help="reverse the last migrations")
    rollback.add_argument("--steps", type=int, default=1)
    rollback.add_argument("--force", action="store_true", help="even if it loses data")
    commands.add_parser("status", help="list migrations")
    args = parser.parse_args(argv)
    try:
        # A long migration makes a concurrent migrator wait, not fail.
        with connect(Schema((), ()), args.url, busy_timeout_ms=600_000) as db:
            migrator = Migrator(db, args.migrations, report=print)
            if args.command == "migrate":
                if not migrator.migrate():
                    print(f"{db.url} is up to date")
            elif args.command == "rollback":
                if not migrator.rollback(args.steps, force=args.force):
                    print("nothing to roll back")
            else:
                _status(migrator, migrate_command(args.migrations, args.url))
    except LibsqlKitError as error:
        print(f"{args.command} failed: {error}", file=sys.stderr)
        return 1
    return 0


def _status(migrator: Migrator, command: str) -> None:
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


if __name__ == "__main__":
    sys.exit(main())
