"""A tiny run of the benchmark harness, so that it never rots. No assertion on time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.__main__ import GROUPS

ROOT = Path(__file__).parent.parent


def _quick_run(out: Path, *groups: str) -> tuple[list[dict[str, Any]], str]:
    """`python -m bench --quick --rounds 1` of `groups`: (the reports, what it printed)."""
    only = [arg for group in groups for arg in ("--only", group)]
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--rounds", "1", *only, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    reports: list[dict[str, Any]] = json.loads((out / "latest.json").read_text())["reports"]
    return reports, result.stdout


def test_bench_quick_run_reports_every_contender_and_workload(tmp_path: Path) -> None:
    """Every group but the relational and local-read ones (their own tests, below)."""
    reports, printed = _quick_run(
        tmp_path, *(g for g in GROUPS if g not in ("relational", "reads"))
    )
    (
        workloads,
        by_mode,
        floor,
        tracking,
        syncing,
        log_size,
        migrating,
        generation,
        cluster,
        http,
        large,
        *served,
    ) = reports
    assert {f["workload"] for f in migrating["figures"]} == {
        "add column (plain ALTER)",
        "rebuild (new enum value)",
    }
    contenders = {f["contender"] for f in workloads["figures"]}
    assert contenders == {
        "raw sqlite3 (tuples)",
        "raw sqlite3 + pydantic",
        "generated repository (sqlite3)",
        "generated repository (sqlite3), before the concurrency rework",
        "generated repository (libsql)",
        "query builder (sqlite3)",
        "SQLAlchemy 2 ORM",
        "SQLAlchemy 2 Core",
        "Drizzle + better-sqlite3 (Node)",
        "Drizzle + libsql (Node)",
    }
    assert {f["contender"] for f in http["figures"]} == {
        "sync, runtime (socket)",
        "sync, httpx",
        "async, runtime (asyncio streams)",
        "async, httpx",
    }
    names = {f["workload"] for f in workloads["figures"]}
    assert {
        "find_by_id",
        "find_by_user_id (~100 rows)",
        "create (autocommit)",
        "update_status",
        "soft_delete",
    } <= names
    assert all(f["median"] > 0 and f["ratio"] > 0 for f in workloads["figures"])
    assert {f["contender"] for f in by_mode["figures"]} == {
        "local file (sqlite3)",
        "remote (HTTP)",
        "embedded replica",
    }
    trips = {
        (f["workload"], f["contender"]): f["median"]
        for f in by_mode["figures"]
        if "round trips" in f["workload"]
    }
    assert trips[("find_by_id: round trips", "remote (HTTP)")] == 1
    assert trips[("find_by_id: round trips", "embedded replica")] == 0
    assert {f["workload"] for f in tracking["figures"]} == {"create", "update_status", "delete"}
    assert {f["contender"] for f in tracking["figures"]} == {
        "untracked",
        "row-level (first generation)",
        "field-level",
    }
    sync_trips = [f["median"] for f in syncing["figures"] if "round trips" in f["workload"]]
    assert sync_trips == [1, 1, 1]  # push, pull, nothing to do: one round trip each
    assert {f["contender"] for f in syncing["figures"]} == {
        "floor",
        "floor: one bulk statement",
        "floor: read, then written locally",
        "sync()",
    }
    memory = {f["workload"]: f["median"] for f in syncing["figures"] if "memory" in f["workload"]}
    assert len(memory) == 2 and all(peak > 0 for peak in memory.values())
    first = [f for f in syncing["figures"] if f["workload"].startswith("first push")]
    assert {f["unit"] for f in first} == {"ms", "MB", ""}  # time, memory, rows/s
    sizes = {(f["workload"], f["contender"]): f["median"] for f in log_size["figures"]}
    before = "… and 100 rows created and deleted: before pruning"
    for side in ("device", "server"):  # pruning drops the tombstones
        assert (
            sizes[("… after pruning", f"field-level: {side}")]
            <= sizes[(before, f"field-level: {side}")]
        )
    assert (
        sizes[("… after pruning", "field-level: server")] < sizes[(before, "field-level: server")]
    )
    assert ("after 1,000 updates on 100 rows", "row-level (first generation)") in sizes
    assert {f["workload"] for f in generation["figures"]} == {
        "design schema",
        "20 tables × 15 columns",
    }
    pairs = {
        f["contender"]: f["median"]
        for f in cluster["figures"]
        if f["workload"] == "create then find_by_id: misses per 100"
    }
    assert set(pairs) == {
        "primary only",
        "replica, eventual",
        "replica, session (positions)",
        "replica, reads on the primary after a write",
        "primary URL + read replica, session",
        "replica, one Hrana stream",
    }
    for reads_own_writes in (
        "primary only",
        "replica, session (positions)",
        "replica, reads on the primary after a write",
        "primary URL + read replica, session",
    ):
        assert pairs[reads_own_writes] == 0, reads_own_writes
    assert {f["workload"] for f in cluster["figures"]} >= {
        "find_by_id",
        "create then find_by_id",
        "replication lag, median",
        "replication lag, max",
    }
    assert all(f["median"] > 0 for f in cluster["figures"] if "misses" not in f["workload"])
    assert {f["contender"] for f in floor["figures"]} == {
        "floor: bare keep-alive POST",
        "bare socket (no HTTP client)",
        "repository (sync)",
        "repository (async)",
        "@libsql/client (Node)",
        "Drizzle + @libsql/client (Node)",
        "embedded replica",
    }
    assert {f["workload"] for f in floor["figures"]} == {
        "find_by_id",
        "find_by_user_id (~20 rows)",
        "create",
        "update_status",
        "create, then find_by_id of it",
    }
    assert {f["contender"] for f in large["figures"]} == {
        "find_many (all at once)",
        "iter_many (chunk 1000)",
        "raw sqlite3 cursor (tuples)",
    }
    assert {f["workload"] for f in large["figures"]} >= {
        "local file, 5,000 rows: peak resident memory",
        "remote sqld, 500 rows: time per row",
    }
    assert len(served) == 2  # the backend on a local file, and on sqld
    ours = ("async API (uvicorn)", "sync API, thread pool (uvicorn)")
    for backend in served:
        figures = {(f["workload"], f["contender"]): f["median"] for f in backend["figures"]}
        assert {contender for _, contender in figures} == {*ours, "Drizzle + @libsql/client (Node)"}
        for contender in ours:
            for endpoint in ("find_by_id", "find_by_user_id (20 rows)", "create"):
                for clients in ("1 client", "10 clients", "100 clients"):
                    name = f"{endpoint}, {clients}"
                    assert (f"{name}: errors per 100", contender) in figures
                    if endpoint == "create" and backend is served[1]:
                        continue  # sqld may wedge under concurrent writers (bench notes)
                    assert figures[(f"{name}: requests/s", contender)] > 0
                    assert figures[(f"{name}: errors per 100", contender)] == 0
                    p50, p99 = (
                        figures[(f"{name}: p50", contender)],
                        figures[(f"{name}: p99", contender)],
                    )
                    assert 0 < p50 <= p99
    assert "| find_by_id |" in (tmp_path / "latest.md").read_text()
    assert "| find_by_id |" in printed


def test_relational_bench_quick_run(tmp_path: Path) -> None:
    """The relational query against Drizzle's and against the tree loaded by hand."""
    (relational,) = _quick_run(tmp_path, "relational")[0]
    # Every contender loaded the same tree (the bench checks it); the relational query is
    # one round trip to sqld.
    assert {f["contender"] for f in relational["figures"]} == {
        "relational query, one statement (sqlite3)",
        "by hand: query builder, one query per relation (sqlite3)",
        "by hand: raw sqlite3 + pydantic, one query per relation",
        "Drizzle relational query + better-sqlite3 (Node)",
        "Drizzle relational query + libsql (Node)",
        "relational query, one statement (remote sqld)",
        "by hand: query builder, one query per relation (remote sqld)",
    }
    relational_trips = {
        f["contender"]: f["median"] for f in relational["figures"] if "round trips" in f["workload"]
    }
    assert relational_trips == {
        "relational query, one statement (remote sqld)": 1,
        "by hand: query builder, one query per relation (remote sqld)": 3,
    }
    assert all(f["median"] > 0 for f in relational["figures"] if "round trips" not in f["workload"])


def test_local_reads_bench_quick_run(tmp_path: Path) -> None:
    """The read goals in turns: every contender on both reads, each with a time."""
    (reads,) = _quick_run(tmp_path, "reads")[0]
    assert {(f["workload"], f["contender"]) for f in reads["figures"]} == {
        (workload, contender)
        for workload in ("find_by_id", "find_by_user_id (~100 rows)")
        for contender in (
            "raw sqlite3 (tuples)",
            "generated repository (sqlite3)",
            "query builder (sqlite3)",
            "Drizzle + better-sqlite3 (Node)",
        )
    }
    assert all(f["median"] > 0 for f in reads["figures"])
