"""Downtime of migrations on a large table: plain ALTER vs rebuild, and writers' waits.

A writer on another connection keeps inserting into another table while the migration
runs; its longest wait is how long writers are blocked.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.harness import Report
from codegen.migrations import new_migration
from codegen.source import load_source
from codegen.validate import build_schema
from libsqlkit import Schema, connect
from libsqlkit._migrate import Migrator

ROOT = Path(__file__).parent.parent

CHANGES = {
    # Appended after the last column: a plain ALTER TABLE ADD COLUMN (in the middle it
    # takes a rebuild, to keep the column order).
    "add column (plain ALTER)": (
        "      deleted_at: {type: integer, mode: timestamp}\n",
        "      deleted_at: {type: integer, mode: timestamp}\n      priority: {type: integer}\n",
    ),
    "rebuild (new enum value)": (
        "[PENDING, PROCESSING, COMPLETED, FAILED, RETRYING]",
        "[PENDING, PROCESSING, COMPLETED, FAILED, RETRYING, CANCELLED]",
    ),
}


def _fill(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    batch = 50_000
    for start in range(0, rows, batch):
        conn.executemany(
            "INSERT INTO workflows (id, type, user_id, status, retry_count, created_at, updated_at) VALUES (?, 't', ?, 'PENDING', 0, ?, ?)",
            [
                (str(uuid.UUID(int=i + 1)), f"user-{i % 100}", 1_700_000_000 + i, 1_700_000_000 + i)
                for i in range(start, min(rows, start + batch))
            ],
        )
        conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


class _Writer(threading.Thread):
    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.longest = 0.0
        self.writes = 0

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=600, isolation_level=None)
        while not self.stop.is_set():
            started = time.perf_counter()
            conn.execute(
                "INSERT INTO user_settings (id, user_id, created_at, updated_at) VALUES (?, ?, 0, 0)",
                (str(uuid.uuid4()), str(uuid.uuid4())),
            )
            self.longest = max(self.longest, time.perf_counter() - started)
            self.writes += 1
            time.sleep(0.002)
        conn.close()


def run(rounds: int, quick: bool) -> Report:
    rows = 20_000 if quick else 1_000_000
    report = Report(f"Migrations on {rows:,} workflows rows", baseline="migration")
    schema_text = (ROOT / "schema.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.db"
        with connect(Schema((), ()), f"file:{base}") as db:
            Migrator(db, ROOT / "migrations").migrate()
        _fill(base, rows)
        for workload, (old, new) in CHANGES.items():
            project = Path(folder) / workload.split()[0]
            shutil.copytree(ROOT / "migrations", project / "migrations")
            (project / "schema.yaml").write_text(schema_text.replace(old, new), encoding="utf-8")
            new_migration(
                project / "migrations", build_schema(load_source(project / "schema.yaml")), "change"
            )
            for _ in range(rounds):
                path = project / "app.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                shutil.copy(base, path)
                writer = _Writer(path)
                with connect(Schema((), ()), f"file:{path}", busy_timeout_ms=600_000) as db:
                    writer.start()
                    time.sleep(0.05)
                    started = time.perf_counter()
                    Migrator(db, project / "migrations").migrate()
                    elapsed = time.perf_counter() - started
                    writer.stop.set()
                    writer.join()
                report.figure(workload, "migration", "ms").samples.append(elapsed * 1000)
                report.figure(workload, "longest writer wait", "ms").samples.append(
                    writer.longest * 1000
                )
    report.notes.append(
        "SQLite allows one writer at a time: a migration holds the write lock for its whole "
        "transaction, so writers wait about as long as it runs; readers (WAL) are never blocked."
    )
    return report
