"""The local read goals (≤2× raw sqlite3) measured in turns: the contenders read the same
file by turns of a few calls, so that a slower minute of a shared machine falls on all of
them alike. The repository workloads run each contender's round whole, one after the
other, and there a slower stretch can fall on one contender only; the wire bench takes
turns the same way for the remote goals."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from statistics import median

from bench.harness import Report
from bench.workloads import InProcess, QueryBuilder, RawSqlite, Repositories, read_steps, seed

# Calls per turn and turns per round, per read: (calls, turns).
READS = {"find_by_id": (50, 200), "find_by_user_id (~100 rows)": (10, 200)}


def run(rounds: int, quick: bool) -> Report:
    contenders: list[InProcess] = [RawSqlite(), Repositories("sqlite3"), QueryBuilder()]
    report = Report("Local reads, in turns (WAL file)", baseline=RawSqlite.name)
    report.notes.append(
        "Each read's contenders take turns on one file (50 `find_by_id` or 10 "
        "`find_by_user_id` calls a turn, 200 turns a round, the order rotating): the "
        "median over rounds of each round's median turn, per call. The goals: both reads "
        "within 2x raw sqlite3."
    )
    scale = 50 if quick else 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reads.db"
        ids = seed(Path(folder) / "seed.db")
        shutil.copy(Path(folder) / "seed.db", path)
        for contender in contenders:
            contender.open(path)
        try:
            for _ in range(rounds):
                for workload, (calls, turns) in READS.items():
                    steps = [(c.name, read_steps(c, ids)[workload]) for c in contenders]
                    turn_times: dict[str, list[float]] = {name: [] for name, _ in steps}
                    call = 0
                    for turn in range(max(turns // scale, 1)):
                        first = turn % len(steps)
                        for name, step in steps[first:] + steps[:first]:
                            start = time.perf_counter()
                            for i in range(call, call + calls):
                                step(i)
                            seconds = time.perf_counter() - start
                            turn_times[name].append(seconds / calls * 1e6)
                        call += calls
                    for name, times in turn_times.items():
                        report.figure(workload, name, "µs").samples.append(median(times))
        finally:
            for contender in contenders:
                contender.close()
    return report
