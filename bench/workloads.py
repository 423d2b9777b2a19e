"""The design's repository workloads, on a WAL file with 10,000 rows over 100 users.

Contenders run the same operations on their own copy of the same seeded file, in
interleaved rounds; each figure is the median per operation over the rounds.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from pydantic import JsonValue

from bench.harness import Report, timed
from generated.client import DbClient, create_db_client
from generated.models import NewWorkflow, Workflow
from generated.repositories import WorkflowRepository
from generated.tables import workflows
from libsqlkit import LocalDriverName, and_, codecs, select
from tests.node_project import NODE_PROJECT, node_with_packages

SEED_ROWS = 10_000
CREATE_MANY = "create_many (per row, one transaction)"
ROOT = Path(__file__).parent.parent
# The last commit before the concurrency rework (issue 12): its sync repository is the
# speed that rework must keep (within 1.05x, measured in the same run).
BEFORE_CONCURRENCY = "1fc5b97"
USERS = 100
COLUMNS = (
    "id, type, user_id, status, input_payload, output_payload, error_log, retry_count, "
    "created_at, updated_at, completed_at, deleted_at"
)
NAMES = [name.strip() for name in COLUMNS.split(",")]
BASE = datetime(2025, 1, 1, tzinfo=UTC)


def payload(i: int) -> dict[str, JsonValue]:
    return {"prompt": f"summarize document {i}", "max_tokens": 256, "tags": ["a", "b"]}


# workload -> (calls, rows each call handles); figures are per row.
Ops = dict[str, tuple[int, int]]


class Contender(Protocol):
    name: str

    def round(self, path: Path, ids: list[str], ops: Ops) -> dict[str, float]:
        """Run every workload once on the file at `path`; seconds per workload."""
        ...


def raw_row(workflow_id: str, i: int, now: int) -> tuple[object, ...]:
    """A workflows row as hand-written SQL binds it (all 12 columns, in order)."""
    payload_text = json.dumps(payload(i), separators=(",", ":"))
    return (
        workflow_id,
        "summarize",
        f"user-{i % USERS}",
        "PENDING",
        payload_text,
        None,
        None,
        0,
        now,
        now,
        None,
        None,
    )


class InProcess:
    """A contender running in this process: one method per operation."""

    name: str

    def open(self, path: Path) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def create(self, i: int) -> object:
        raise NotImplementedError

    def create_many(self, start: int, count: int) -> object:
        raise NotImplementedError

    def find_by_id(self, workflow_id: str) -> object:
        raise NotImplementedError

    def find_by_user_id(self, user_id: str) -> object:
        raise NotImplementedError

    def update_status(self, workflow_id: str) -> object:
        raise NotImplementedError

    def soft_delete(self, workflow_id: str) -> object:
        raise NotImplementedError

    def round(self, path: Path, ids: list[str], ops: Ops) -> dict[str, float]:
        many = ops[CREATE_MANY][1]
        steps: dict[str, Callable[[int], object]] = {
            **read_steps(self, ids),
            "create (autocommit)": self.create,
            CREATE_MANY: lambda i: self.create_many(SEED_ROWS, many),
            "update_status": lambda i: self.update_status(ids[i * 3 % len(ids)]),
            "soft_delete": lambda i: self.soft_delete(ids[-1 - i]),
        }
        self.open(path)
        try:
            return {
                name: timed(partial(_repeat, step, ops[name][0])) for name, step in steps.items()
            }
        finally:
            self.close()


def read_steps(contender: InProcess, ids: list[str]) -> dict[str, Callable[[int], object]]:
    """The two reads, call i of each: one row by id, a user's ~100 rows."""
    return {
        "find_by_id": lambda i: contender.find_by_id(ids[i * 7 % len(ids)]),
        "find_by_user_id (~100 rows)": lambda i: contender.find_by_user_id(f"user-{i % USERS}"),
    }


def _repeat(step: Callable[[int], object], calls: int) -> None:
    for i in range(calls):
        step(i)


class Drizzle:
    """Drizzle ORM on Node.js (tests/drizzle/bench.js), timed inside the Node process."""

    def __init__(self, driver: str) -> None:
        self.driver = driver
        self.name = f"Drizzle + {driver} (Node)"

    def round(self, path: Path, ids: list[str], ops: Ops) -> dict[str, float]:
        result = subprocess.run(
            [node_with_packages(), "bench.js", str(path), self.driver, json.dumps(ops)],
            cwd=NODE_PROJECT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{self.name} failed: {result.stderr[-2000:]}")
        seconds: dict[str, float] = json.loads(result.stdout)
        return seconds


class Before:
    """`Repositories("sqlite3")` on the runtime and generated code of an earlier commit,
    in a process of its own (bench/before.py): what "today's" speed was, measured in the
    same run. Its tree is extracted from git once per run."""

    def __init__(self, commit: str, label: str) -> None:
        self.commit = commit
        self.name = f"generated repository (sqlite3), {label}"
        self._tree: Path | None = None

    def _extract(self, scratch: Path) -> Path:
        if self._tree is None:
            tree = scratch / f"before-{self.commit}"
            tree.mkdir()
            archive = subprocess.run(
                ["git", "archive", self.commit, "libsqlkit", "generated"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            self._tree = tree
        return self._tree

    def round(self, path: Path, ids: list[str], ops: Ops) -> dict[str, float]:
        tree = self._extract(path.parent)
        ids_file = path.parent / "ids.json"
        ids_file.write_text(json.dumps(ids), encoding="utf-8")
        # Run from the old tree: `python -m` puts the working directory first on sys.path,
        # ahead of PYTHONPATH, so from ROOT it would import today's libsqlkit instead.
        result = subprocess.run(
            [sys.executable, "-m", "bench.before", str(path), str(ids_file), json.dumps(ops)],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), str(ROOT)])},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{self.name} failed: {result.stderr[-2000:]}")
        seconds: dict[str, float] = json.loads(result.stdout)
        return seconds


class RawSqlite(InProcess):
    """Hand-written SQL on the standard library's sqlite3, returning tuples: the floor."""

    name = "raw sqlite3 (tuples)"

    def open(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def close(self) -> None:
        self.conn.close()

    def _row(self, i: int) -> tuple[object, ...]:
        return raw_row(str(uuid.uuid4()), i, int(datetime.now(UTC).timestamp()))

    def _rows(self, rows: list[tuple[Any, ...]]) -> Any:
        return rows

    def create(self, i: int) -> object:
        sql = f"INSERT INTO workflows ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING {COLUMNS}"
        return self._rows(self.conn.execute(sql, self._row(i)).fetchall())[0]

    def create_many(self, start: int, count: int) -> object:
        self.conn.execute("BEGIN")
        self.conn.executemany(
            f"INSERT INTO workflows ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [self._row(i) for i in range(start, start + count)],
        )
        self.conn.execute("COMMIT")
        return count

    def find_by_id(self, workflow_id: str) -> object:
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM workflows WHERE id = ? AND deleted_at IS NULL LIMIT 1",
            (workflow_id,),
        ).fetchall()
        return self._rows(rows)[0] if rows else None

    def find_by_user_id(self, user_id: str) -> object:
        return self._rows(
            self.conn.execute(
                f"SELECT {COLUMNS} FROM workflows WHERE user_id = ? AND deleted_at IS NULL "
                "ORDER BY created_at DESC, id",
                (user_id,),
            ).fetchall()
        )

    def update_status(self, workflow_id: str) -> object:
        now = int(datetime.now(UTC).timestamp())
        rows = self.conn.execute(
            "UPDATE workflows SET status = ?, updated_at = ?, completed_at = ? "
            f"WHERE id = ? AND deleted_at IS NULL RETURNING {COLUMNS}",
            ("COMPLETED", now, now, workflow_id),
        ).fetchall()
        return self._rows(rows)[0] if rows else None

    def soft_delete(self, workflow_id: str) -> object:
        now = int(datetime.now(UTC).timestamp())
        return self.conn.execute(
            "UPDATE workflows SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
            (now, now, workflow_id),
        ).fetchall()


class RawSqlitePydantic(RawSqlite):
    """The same SQL, plus the same pydantic models built by hand: the fair floor."""

    name = "raw sqlite3 + pydantic"

    def _row(self, i: int) -> tuple[object, ...]:
        """The input validated as the same NewWorkflow model, then encoded by hand."""
        new = NewWorkflow(type="summarize", user_id=f"user-{i % USERS}", input_payload=payload(i))
        now = int(datetime.now(UTC).timestamp())
        return (
            str(uuid.uuid4()),
            new.type,
            new.user_id,
            new.status,
            json.dumps(new.input_payload, separators=(",", ":"), ensure_ascii=False),
            None,
            None,
            new.retry_count,
            now,
            now,
            None,
            None,
        )

    def _rows(self, rows: list[tuple[Any, ...]]) -> Any:
        decode = codecs.TIMESTAMP.decode
        assert decode is not None
        models = []
        for row in rows:
            values = dict(zip(NAMES, row, strict=True))
            for key in ("input_payload", "output_payload"):
                if values[key] is not None:
                    values[key] = json.loads(values[key])
            for key in ("created_at", "updated_at", "completed_at", "deleted_at"):
                if values[key] is not None:
                    values[key] = decode(values[key])
            models.append(Workflow.model_validate(values))
        return models


class Repositories(InProcess):
    """This project's generated WorkflowRepository."""

    def __init__(self, driver: LocalDriverName) -> None:
        self.driver = driver
        self.name = f"generated repository ({driver})"

    def open(self, path: Path) -> None:
        self.db: DbClient = create_db_client(f"file:{path}", driver=self.driver)
        self.repo = WorkflowRepository(self.db)

    def close(self) -> None:
        self.db.close()

    def create(self, i: int) -> object:
        return self.repo.create(
            NewWorkflow(type="summarize", user_id=f"user-{i % USERS}", input_payload=payload(i))
        )

    def create_many(self, start: int, count: int) -> object:
        return self.repo.create_many(
            NewWorkflow(type="summarize", user_id=f"user-{i % USERS}", input_payload=payload(i))
            for i in range(start, start + count)
        )

    def find_by_id(self, workflow_id: str) -> object:
        return self.repo.find_by_id(workflow_id)

    def find_by_user_id(self, user_id: str) -> object:
        return self.repo.find_by_user_id(user_id)

    def update_status(self, workflow_id: str) -> object:
        return self.repo.update_status(workflow_id, "COMPLETED")

    def soft_delete(self, workflow_id: str) -> object:
        self.repo.soft_delete(workflow_id)
        return None


def seed(path: Path) -> list[str]:
    """Create the schema and SEED_ROWS rows; return their ids."""
    with create_db_client(f"file:{path}") as db:
        db.create_schema()
    ids = [str(uuid.UUID(int=i + 1, version=4)) for i in range(SEED_ROWS)]
    conn = sqlite3.connect(path)
    conn.executemany(
        f"INSERT INTO workflows ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            raw_row(ids[i], i, int((BASE + timedelta(seconds=i)).timestamp()))
            for i in range(SEED_ROWS)
        ],
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return ids


class QueryBuilder(Repositories):
    """The reads written with the typed query builder (writes as the repository does them)."""

    def __init__(self) -> None:
        super().__init__("sqlite3")
        self.name = "query builder (sqlite3)"

    def find_by_id(self, workflow_id: str) -> object:
        return (
            select(workflows)
            .where(and_(workflows.id == workflow_id, workflows.deleted_at.is_null()))
            .limit(1)
            .first(self.db)
        )

    def find_by_user_id(self, user_id: str) -> object:
        return (
            select(workflows)
            .where(and_(workflows.user_id == user_id, workflows.deleted_at.is_null()))
            .order_by(workflows.created_at.desc(), workflows.id)
            .all(self.db)
        )


def default_contenders() -> list[Contender]:
    from bench.sqlalchemy_contenders import SqlAlchemyCore, SqlAlchemyOrm

    return [
        RawSqlite(),
        RawSqlitePydantic(),
        Repositories("sqlite3"),
        Before(BEFORE_CONCURRENCY, "before the concurrency rework"),
        Repositories("libsql"),
        QueryBuilder(),
        SqlAlchemyOrm(),
        SqlAlchemyCore(),
        Drizzle("better-sqlite3"),
        Drizzle("libsql"),
    ]


def run(rounds: int, quick: bool, contenders: list[Contender] | None = None) -> Report:
    scale = 20 if quick else 1
    ops: Ops = {
        "find_by_id": (5000 // scale, 1),
        "find_by_user_id (~100 rows)": (200 // scale, 1),
        "create (autocommit)": (2000 // scale, 1),
        CREATE_MANY: (1, 10_000 // scale),
        "update_status": (2000 // scale, 1),
        "soft_delete": (2000 // scale, 1),
    }
    contenders = contenders or default_contenders()
    report = Report(
        f"Repository workloads ({SEED_ROWS:,} rows, {USERS} users, WAL file)",
        baseline=RawSqlite.name,
    )
    with tempfile.TemporaryDirectory() as folder:
        pristine = Path(folder) / "seed.db"
        ids = seed(pristine)
        for round_ in range(rounds):
            order = contenders[round_ % len(contenders) :] + contenders[: round_ % len(contenders)]
            for contender in order:
                path = Path(folder) / "run.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                shutil.copy(pristine, path)
                for workload, seconds in contender.round(path, ids, ops).items():
                    calls, rows = ops[workload]
                    report.figure(workload, contender.name, "µs").samples.append(
                        seconds / (calls * rows) * 1e6
                    )
    return report
