"""Large results: peak memory and time of reading a whole table a chunk at a time
(`iter_many`) against all at once (`find_many`), and against raw sqlite3 doing the same.

Each reading runs in a fresh process, so one's peak cannot hide another's: the figure
is the process's peak resident memory (VmHWM), beside its peak before reading. A local
file holds 1,000,000 rows (`--quick`: 5,000); a remote sqld on loopback holds 20,000
(500), read in keyset pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import Report
from generated.client import create_db_client
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from tests.conftest import reset_server
from tests.sqld import Sqld

ROOT = Path(__file__).parent.parent
CHUNK = 1000

# Runs in the child: open the database, note the peak so far, read, report the growth.
_READER = """
import json, os, re, sys, time

def peak_kib():
    # VmHWM: this process's own peak; ru_maxrss keeps the parent's across fork and exec
    with open('/proc/self/status') as status:
        return int(re.search(r'VmHWM:\\s+(\\d+)', status.read()).group(1))

from generated.client import create_db_client
from generated.repositories import WorkflowRepository

url, how = sys.argv[1], sys.argv[2]
db = create_db_client(url, auth_token=os.environ.get("BENCH_TOKEN") or None)
repo = WorkflowRepository(db)
repo.count()
if how == "sqlite3":
    import sqlite3
    raw = sqlite3.connect(url.removeprefix("file:"))
before = peak_kib()
start = time.perf_counter()
if how == "find_many":
    rows = len(repo.find_many())
elif how == "iter_many":
    rows = sum(1 for _ in repo.iter_many(chunk=int(sys.argv[3])))
else:
    rows = sum(1 for _ in raw.execute("SELECT * FROM workflows WHERE deleted_at IS NULL ORDER BY id"))
seconds = time.perf_counter() - start
after = peak_kib()
print(json.dumps({"rows": rows, "peak_kib": after, "before_kib": before, "seconds": seconds}))
"""

CONTENDERS = {
    "find_many (all at once)": "find_many",
    f"iter_many (chunk {CHUNK})": "iter_many",
    "raw sqlite3 cursor (tuples)": "sqlite3",
}


def _fill(url: str, token: str | None, rows: int) -> None:
    with create_db_client(url, auth_token=token) as db:
        db.create_schema()
        repo = WorkflowRepository(db)
        batch = 10_000
        for start in range(0, rows, batch):
            repo.create_many(
                NewWorkflow(
                    type="summarize",
                    user_id=f"user-{i % 100}",
                    input_payload={"step": i, "tags": ["a", "b"], "note": "x" * 40},
                )
                for i in range(start, min(rows, start + batch))
            )


def _read(url: str, token: str | None, how: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _READER, url, how, str(CHUNK)],
        env={**os.environ, "BENCH_TOKEN": token or ""},  # not in argv, where ps shows it
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    found: dict[str, float] = json.loads(done.stdout)
    return found


def _measure(
    report: Report, where: str, url: str, token: str | None, rows: int, rounds: int
) -> None:
    for _ in range(rounds):
        for name, how in CONTENDERS.items():
            if how == "sqlite3" and token is not None:
                continue
            found = _read(url, token, how)
            if found["rows"] != rows:
                raise AssertionError(f"{name} read {found['rows']} rows of {rows}")
            workload = f"{where}, {rows:,} rows"
            report.figure(f"{workload}: peak resident memory", name, "MiB").samples.append(
                found["peak_kib"] / 1024
            )
            report.figure(f"{where}: the same process before reading", name, "MiB").samples.append(
                found["before_kib"] / 1024
            )
            report.figure(f"{workload}: time per row", name, "µs").samples.append(
                found["seconds"] / rows * 1e6
            )


def run(rounds: int, quick: bool) -> Report:
    report = Report(
        "Large results: a chunk at a time against all at once", "find_many (all at once)"
    )
    local_rows = 5_000 if quick else 1_000_000
    # sqld answers at most 10 MB (--max-response-size): find_many of more rows than that
    # holds cannot be read remotely at all (a typed error that names iter_many).
    remote_rows = 500 if quick else 20_000
    with tempfile.TemporaryDirectory() as folder:
        url = f"file:{folder}/big.db"
        _fill(url, None, local_rows)
        _measure(report, "local file", url, None, local_rows, rounds)
        server = Sqld(Path(folder) / "sqld", auth=True).start()
        try:
            reset_server(server)
            _fill(server.url, server.token(), remote_rows)
            _measure(report, "remote sqld", server.url, server.token(), remote_rows, rounds)
        finally:
            server.stop()
    report.notes.append(
        "Peak resident memory (VmHWM) of a fresh process per reading, against the same "
        "process's peak before it read (imports, client open); iter_many holds one chunk "
        "of models at a time, find_many every row's model at once."
    )
    report.notes.append(
        "Locally iter_many reads one cursor over one snapshot; remotely keyset pages by "
        "primary key (`id > last ORDER BY id LIMIT chunk`), one round trip per chunk."
    )
    return report
