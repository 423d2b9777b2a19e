"""Applying and rolling back the migrations folder: production `migrate`, no codegen needed.

migrations/journal.json lists the migrations in order; each has a folder with up.sql and
down.sql (statements separated by `--> statement-breakpoint` lines), a schema
migration also its snapshot.json, a Python data migration a migration.py with
up(db)/down(db). The tracking table records name, sha256 of the files and when.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shlex
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from libsqlkit._database import Database
from libsqlkit._errors import LibsqlKitError, NotNullViolation, UniqueViolation
from libsqlkit._journal import JOURNAL, JournalError, LossRecord, MigrationKind, read_journal
from libsqlkit._naming import REBUILD_PREFIX
from libsqlkit._snapshot import Snapshot, introspect, schema_facts

__all__ = [
    "Applied",
    "DataLossError",
    "MigrationError",
    "MigrationFolder",
    "Migrator",
    "apply_atomically",
    "describe_differences",
    "loss_report",
    "migrate_command",
    "refuse_losses",
    "split_statements",
]

TRACKING = "__libsqlkit_migrations"
BREAKPOINT = "--> statement-breakpoint"
TRACKING_DDL = (
    f"CREATE TABLE IF NOT EXISTS `{TRACKING}` (`name` text PRIMARY KEY NOT NULL, "
    "`sha256` text NOT NULL, `applied_at` integer NOT NULL, `duration_ms` integer NOT NULL)"
)


class MigrationError(LibsqlKitError):
    """A migration could not be applied or rolled back; the database is as before it."""

    def __init__(
        self, message: str, *, migration: str | None = None, statement: str | None = None
    ) -> None:
        super().__init__(message)
        self.migration = migration
        self.statement = statement


class DataLossError(MigrationError):
    """A step would lose rows or values and was not forced: it changed nothing."""

    def __init__(
        self, message: str, losses: Sequence[str], *, migration: str | None = None
    ) -> None:
        super().__init__(message, migration=migration)
        self.losses = tuple(losses)


def split_statements(text: str) -> list[str]:
    return [part.strip() for part in text.split(BREAKPOINT) if _has_sql(part)]


def _has_sql(part: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in part.splitlines())


@dataclass(frozen=True)
class Entry:
    name: str
    kind: MigrationKind
    sha256: str | None  # of the generated files; None for hand-written data migrations
    folder: Path
    down_loses: tuple[LossRecord, ...] = ()

    def file(self, name: str) -> Path:
        return self.folder / name

    def files(self) -> dict[str, bytes]:
        return {
            p.name: p.read_bytes()
            for p in sorted(self.folder.iterdir())
            if p.is_file() and p.suffix in (".sql", ".json", ".py")
        }

    def actual_sha256(self) -> str:
        return files_sha256(self.files())

    def snapshot(self) -> Snapshot | None:
        path = self.file("snapshot.json")
        return Snapshot.from_json(path.read_text(encoding="utf-8")) if path.exists() else None


def files_sha256(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


@dataclass
class MigrationFolder:
    """The migrations folder as the journal describes it."""

    path: Path
    entries: list[Entry] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> MigrationFolder:
        """The folder's journal; no entries when there is none yet (see `unreadable`)."""
        try:
            journal = read_journal(path)
        except JournalError as exc:
            raise MigrationError(
                f"{(path / JOURNAL).absolute()} is not a migrations journal ({exc})"
            ) from None
        entries = [
            Entry(e.name, e.kind, e.sha256, path / e.name, e.down_loses) for e in journal or ()
        ]
        return cls(path, entries)

    def unreadable(self) -> str | None:
        """Why there are no migrations to apply or check here (no folder, or no
        journal.json in it), with the absolute path looked at; None when there are."""
        where = self.path.absolute()
        if not self.path.is_dir():
            return (
                f"there is no migrations folder at {where}: run the command from the project's "
                "folder, or give the folder's path with --migrations"
            )
        if not (self.path / "journal.json").is_file():
            return (
                f"the migrations folder {where} has no journal.json, which lists its migrations "
                "in order: restore it (it is committed with the migrations), or point --migrations "
                "at the right folder"
            )
        return None

    def require(self) -> None:
        """Refuse to go on with no migrations folder, rather than take it for an empty one."""
        why = self.unreadable()
        if why is not None:
            raise MigrationError(why)

    def problems(self) -> list[str]:
        """Why the folder is inconsistent: missing, edited or unlisted migrations."""
        found = []
        listed = {e.name for e in self.entries}
        for entry in self.entries:
            if not entry.folder.is_dir():
                found.append(f"{entry.name}: listed in journal.json but its folder is missing")
                continue
            if entry.kind == "schema":
                found += [
                    f"{entry.name}: {name} is missing"
                    for name in ("up.sql", "down.sql", "snapshot.json")
                    if not entry.file(name).exists()
                ]
            elif not (entry.file("up.sql").exists() or entry.file("migration.py").exists()):
                found.append(f"{entry.name}: up.sql or migration.py is missing")
            if entry.sha256 is not None and entry.actual_sha256() != entry.sha256:
                found.append(
                    f"{entry.name}: its files changed after it was generated (sha256 differs from journal.json)"
                )
        if self.path.is_dir():
            for child in sorted(self.path.iterdir()):
                if (
                    child.is_dir()
                    and child.name not in listed
                    and not child.name.startswith((".", "_"))
                ):
                    found.append(
                        f"{child.name}: a migration folder that journal.json does not list"
                    )
        names = [e.name for e in self.entries]
        if names != sorted(names):
            found.append("journal.json lists migrations out of order")
        return found

    def latest_snapshot(self, upto: int | None = None) -> Snapshot:
        for entry in reversed(self.entries[:upto]):
            snapshot = entry.snapshot()
            if snapshot is not None:
                return snapshot
        return Snapshot(())


@dataclass(frozen=True)
class Applied:
    name: str
    duration_ms: int
    action: str = "applied"


class Migrator:
    """Applies and rolls back migrations on one database, each all-or-nothing."""

    def __init__(
        self, db: Database, folder: Path, *, report: Callable[[str], None] = lambda _: None
    ) -> None:
        self.db = db
        self.folder = MigrationFolder.load(folder)
        self.report = report

    def applied(self) -> list[tuple[str, str]]:
        self.db.execute(TRACKING_DDL)
        return [
            (n, h)
            for n, h in self.db.execute(f"SELECT name, sha256 FROM `{TRACKING}` ORDER BY name")
        ]

    def _verified(self) -> list[tuple[str, str]]:
        """The applied migrations, once the folder exists and agrees with them (checked
        before the tracking table is touched)."""
        self.folder.require()
        applied = self.applied()
        problems = self.folder.problems()
        if problems:
            raise MigrationError(
                "the migrations folder is inconsistent:\n  " + "\n  ".join(problems)
            )
        journal = [e.name for e in self.folder.entries]
        names = [n for n, _ in applied]
        unknown = [n for n in names if n not in journal]
        if unknown:
            raise MigrationError(
                f"the database has migrations that {self.folder.path.absolute() / 'journal.json'} "
                f"does not list ({', '.join(unknown)}): the database is newer than this code, or "
                "a migration was deleted from the folder"
            )
        if names != journal[: len(names)]:
            raise MigrationError(
                f"migrations were applied out of order: applied {names}, journal {journal}"
            )
        by_name = {e.name: e for e in self.folder.entries}
        for name, digest in applied:
            if by_name[name].actual_sha256() != digest:
                raise MigrationError(
                    f"{name} was changed after it was applied (sha256 differs): never edit an applied "
                    "migration; write a new one",
                    migration=name,
                )
        return applied

    def pending(self) -> list[Entry]:
        """The migrations not applied yet, once the folder and the database agree."""
        return self.folder.entries[len(self._verified()) :]

    def pending_report(self, command: str) -> str | None:
        """The verdict `status` prints and `check --db` fails on, so the two always agree:
        None when every migration is applied, else which are pending and the `command`
        that applies them. Raises as `migrate` would when it could not apply them."""
        pending = self.pending()
        if not pending:
            return None
        names = ", ".join(entry.name for entry in pending)
        report = f"{len(pending)} pending migration(s), not applied yet: {names}: run {command}"
        baseline = self._baseline_point()
        if baseline:
            report += (
                f" (the database already has the schema of {self.folder.entries[baseline - 1].name}: "
                "migrate records the migrations up to it as applied, without running them)"
            )
        return report

    def migrate(self) -> list[Applied]:
        """Apply pending migrations in order; two migrators at once never apply one twice."""
        self._verified()
        self._baseline()
        done = []
        for entry in self.pending():
            started = time.perf_counter()
            if self._run(entry, "up"):
                done.append(Applied(entry.name, int((time.perf_counter() - started) * 1000)))
                self.report(f"applied {entry.name} in {done[-1].duration_ms} ms")
        return done

    def rollback(self, steps: int = 1, *, force: bool = False) -> list[Applied]:
        """Run the reverse of the last `steps` migrations, newest first, each all-or-nothing.

        A reverse that would lose a row or a value here (see `refuse_losses`) is refused
        unless `force`; one that would drop only empty tables and NULLs just runs.
        """
        applied = self._verified()
        by_name = {e.name: e for e in self.folder.entries}
        done = []
        for name, _ in reversed(applied[-steps:] if steps > 0 else []):
            started = time.perf_counter()
            self._run(by_name[name], "down", force=force)
            done.append(Applied(name, int((time.perf_counter() - started) * 1000), "rolled back"))
            self.report(f"rolled back {name} in {done[-1].duration_ms} ms")
        return done

    def drift(self) -> list[str]:
        """How the live schema differs from the snapshot of its last applied migration."""
        applied = self._verified()
        expected = schema_facts(self.folder.latest_snapshot(len(applied) or self._baseline_point()))
        live = introspect(lambda sql, params: self.db.execute(sql, params))
        return describe_differences(expected, live)

    def _baseline(self) -> None:
        """A database created before migrations (create_schema, or by hand) with exactly
        the schema of some migration: record the migrations up to it as applied."""
        index = self._baseline_point()
        if index:
            with self.db.transaction():
                for entry in self.folder.entries[:index]:
                    self._track(entry, 0)
            self.report(
                f"baselined: the database already had the schema of {self.folder.entries[index - 1].name}"
            )

    def _baseline_point(self) -> int:
        """How many migrations a database with tables but no migration history already
        has the schema of; 0 with a history or no tables. Raises if it matches none."""
        if self.applied():
            return 0
        live = introspect(lambda sql, params: self.db.execute(sql, params))
        if not live.tables:
            return 0
        for index in range(len(self.folder.entries), 0, -1):
            if schema_facts(self.folder.latest_snapshot(index)) == live:
                return index
        raise MigrationError(
            "the database has tables but no migration history, and its schema matches no "
            "migration: apply migrations to a new file, or use push in development"
        )

    def _track(self, entry: Entry, duration_ms: int) -> None:
        self.db.execute(
            f"INSERT INTO `{TRACKING}` (name, sha256, applied_at, duration_ms) VALUES (?, ?, ?, ?)",
            (entry.name, entry.actual_sha256(), int(datetime.now(UTC).timestamp()), duration_ms),
        )

    def _run(self, entry: Entry, direction: str, *, force: bool = False) -> bool:
        """Run one migration all-or-nothing; False if another migrator already did it.

        A reverse counts what it would lose inside its own transaction, under the write
        lock, so no row written meanwhile escapes the count.
        """

        def body() -> bool:
            done = bool(
                self.db.execute(f"SELECT 1 FROM `{TRACKING}` WHERE name = ?", (entry.name,))
            )
            if done == (direction == "up"):
                return False
            if direction == "down":
                refuse_losses(
                    self.db,
                    [(loss.kind, loss.table, loss.column) for loss in entry.down_loses],
                    force=force,
                    refusal=f"rolling back {entry.name} would lose data, so it stays applied",
                    advice="run it with --force (libsqlkit rollback --force) to roll back anyway",
                    migration=entry.name,
                )
            started = time.perf_counter()
            self._statements(entry, direction)
            if direction == "up":
                self._track(entry, int((time.perf_counter() - started) * 1000))
            else:
                self.db.execute(f"DELETE FROM `{TRACKING}` WHERE name = ?", (entry.name,))
            return True

        return apply_atomically(self.db, entry.name, body)

    def _statements(self, entry: Entry, direction: str) -> None:
        script = entry.file(f"{direction}.sql")
        module = entry.file("migration.py")
        if module.exists():
            function = getattr(_load(module), direction, None)
            if function is None:
                raise MigrationError(
                    f"{entry.name}: migration.py has no {direction}(db)", migration=entry.name
                )
            function(self.db)
            return
        if not script.exists():
            raise MigrationError(f"{entry.name}: there is no {direction}.sql", migration=entry.name)
        for statement in split_statements(script.read_text(encoding="utf-8")):
            try:
                self.db.execute(statement)
            except LibsqlKitError as exc:
                hint = _hint(exc, statement)
                # a rebuild's temporary table: name the real one
                reason = str(exc).replace(REBUILD_PREFIX, "")
                raise MigrationError(
                    f"{entry.name} failed at:\n    {statement}\n  {reason}{hint}\n  nothing of {entry.name} was applied",
                    migration=entry.name,
                    statement=statement,
                ) from None


T = TypeVar("T")


def loss_report(db: Database, kind: str, table: str, column: str | None) -> str | None:
    """What a dropped table or column, or a changed type, would lose here, counted;
    None when it would lose nothing (an empty table, a column holding only NULLs)."""
    if kind == "table":
        rows = db.execute(f"SELECT count(*) FROM `{table}`")[0][0]
        return f"table {table} would be dropped with its {rows} rows" if rows else None
    rows = db.execute(f"SELECT count(*) FROM `{table}` WHERE `{column}` IS NOT NULL")[0][0]
    what = "dropped" if kind == "column" else "converted to another type"
    return f"column {table}.{column} would be {what}: {rows} rows hold a value" if rows else None


def refuse_losses(
    db: Database,
    losses: Iterable[tuple[str, str, str | None]],
    *,
    force: bool,
    refusal: str,
    advice: str,
    migration: str | None = None,
) -> None:
    """Raise DataLossError (`refusal`, what would be lost here, counted, then `advice`)
    when the steps that cause `losses` would lose anything, unless forced.

    The one rule of rollback and push: only real losses count (a dropped table with rows,
    a dropped column or changed type with a non-NULL value), so dropping what is empty
    never needs force. Run it inside the transaction that makes the change.
    """
    if force:
        return
    lost = [
        line for kind, table, column in losses if (line := loss_report(db, kind, table, column))
    ]
    if lost:
        raise DataLossError(
            f"{refusal}:\n  " + "\n  ".join(lost) + f"\n{advice}",
            lost,
            migration=migration,
        )


def migrate_command(folder: Path | None, url: str | None) -> str:
    """The exact command that applies `folder`'s pending migrations to `url`, as the
    `status` and `check --db` messages give it: None for either is what the project's
    configuration (or TURSO_DATABASE_URL) gives, so the command needs no option for it."""
    options = [] if folder is None else ["--migrations", str(folder)]
    if url is not None:
        options += ["--url", url]
    return f"`{shlex.join(['libsqlkit', *options, 'migrate'])}`"


def apply_atomically(db: Database, label: str, body: Callable[[], T]) -> T:
    """Run `body` in one transaction with foreign keys off, checked before commit.

    PRAGMA foreign_keys only takes effect outside a transaction, so it is set before
    BEGIN (drizzle sets it inside, where SQLite ignores it, and a rebuild's DROP TABLE then
    cascades into child tables). Any foreign key violation left behind fails the whole
    transaction.
    """
    with db.foreign_keys_off(), db.transaction():
        result = body()
        violations = db.execute("PRAGMA foreign_key_check")
        if violations:
            table, rowid, parent, _ = violations[0]
            raise MigrationError(
                f"{label}: {len(violations)} foreign key violation(s) afterwards, e.g. {table} "
                f"row {rowid} refers to a missing {parent} row; nothing was applied",
                migration=label,
            )
        return result


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"migration_{path.parent.name}", path)
    if spec is None or spec.loader is None:
        raise MigrationError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def describe_differences(expected: Snapshot, live: Snapshot) -> list[str]:
    found = []
    wanted = {t.name: t for t in expected.tables}
    present = {t.name: t for t in live.tables}
    found += [f"table {n} is missing" for n in sorted(set(wanted) - set(present))]
    found += [f"table {n} is not in the schema" for n in sorted(set(present) - set(wanted))]
    for name in sorted(set(wanted) & set(present)):
        a, b = wanted[name], present[name]
        for column in a.columns:
            if not b.has(column.name):
                found.append(f"{name}.{column.name} is missing")
            elif b.column(column.name) != column:
                found.append(
                    f"{name}.{column.name} differs: expected {column}, found {b.column(column.name)}"
                )
        found += [f"{name}.{c.name} is not in the schema" for c in b.columns if not a.has(c.name)]
        if [c.name for c in a.columns if b.has(c.name)] != [
            c.name for c in b.columns if a.has(c.name)
        ]:
            found.append(f"{name}: columns are in another order")
        if a.indexes != b.indexes:
            found.append(
                f"{name}: indexes differ: expected {[i.name for i in a.indexes]}, found {[i.name for i in b.indexes]}"
            )
        if a.checks != b.checks:
            found.append(f"{name}: CHECK constraints differ")
        if a.triggers != b.triggers:
            found.append(
                f"{name}: triggers differ: expected {[t for t, _ in a.triggers]}, found {[t for t, _ in b.triggers]}"
            )
        if a.composite_key != b.composite_key:
            found.append(
                f"{name}: primary key differs: expected {list(a.composite_key)}, found {list(b.composite_key)}"
            )
        if a.foreign_keys != b.foreign_keys:
            found.append(f"{name}: foreign keys of several columns differ")
    views = {v.name: v for v in expected.views}
    live_views = {v.name: v for v in live.views}
    found += [f"view {n} is missing" for n in sorted(set(views) - set(live_views))]
    found += [f"view {n} is not in the schema" for n in sorted(set(live_views) - set(views))]
    found += [
        f"view {n} differs: expected {views[n].sql!r}, found {live_views[n].sql!r}"
        for n in sorted(set(views) & set(live_views))
        if views[n] != live_views[n]
    ]
    return found


def _hint(exc: LibsqlKitError, statement: str) -> str:
    """What to do about a constraint a migration's statement broke, when it is clear."""
    if isinstance(exc, NotNullViolation):
        return _not_null_hint(exc, statement)
    creates_unique = statement.lstrip().upper().startswith("CREATE UNIQUE INDEX")
    if isinstance(exc, UniqueViolation) and (creates_unique or f"`{REBUILD_PREFIX}" in statement):
        return (
            " (rows hold the same value where the schema now wants it unique, NULLs given a "
            "NOT NULL column's default included: make them unique in a data migration first)"
        )
    return ""


def _not_null_hint(exc: NotNullViolation, statement: str) -> str:
    """Why a NOT NULL failed in a migration: a column added without a default (it is not
    among the columns a rebuild copies), or one made NOT NULL over rows holding NULL."""
    copied = statement.split(") SELECT ", 1)[0] if ") SELECT " in statement else ""
    if not any(f"`{column}`" in copied for column in exc.columns):
        return (
            " (a NOT NULL column without a default cannot be added to a table with rows: "
            "give it a default, or fill it in a data migration first)"
        )
    return (
        " (the column is NOT NULL without a default now, and rows hold NULL in it: give it "
        "a default, or fill in its NULLs in a data migration first)"
    )
