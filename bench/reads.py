"""The local read goals (≤2× raw sqlite3) measured in turns: the contenders read the same
file by turns of a few calls, so that a slower minute of a shared machine falls on all of
them alike. The repository workloads run each contender's round whole, one after the
other, and there a slower stretch can fall on one contender only; the wire bench takes
turns the same way for the remote goals."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Protocol

from bench.harness import Report
from bench.workloads import (
    Drizzle,
    InProcess,
    QueryBuilder,
    RawSqlite,
    Repositories,
    read_steps,
    seed,
)
from tests.node_project import NODE_PROJECT, node_with_packages

# Calls per turn and turns per round, per read: (calls, turns).
READS = {"find_by_id": (50, 200), "find_by_user_id (~100 rows)": (10, 200)}
DRIZZLE = "better-sqlite3"
WARM_UP = 1000  # calls of each read by each contender before the timed rounds


class _InProcess:
    """A Python contender's turn, timed here."""

    def __init__(self, contender: InProcess, ids: list[str]) -> None:
        self.name = contender.name
        self._steps = read_steps(contender, ids)

    def turn(self, workload: str, start: int, calls: int) -> float:
        step = self._steps[workload]
        started = time.perf_counter()
        for i in range(start, start + calls):
            step(i)
        return time.perf_counter() - started


class _DrizzleTurns:
    """Drizzle on better-sqlite3 in a Node process that stays up for the whole run and
    times, in Node, the calls each turn asks of it (tests/drizzle/bench.js, `turns`)."""

    name = Drizzle(DRIZZLE).name

    def __init__(self, path: Path) -> None:
        # Node's errors go to a file: a pipe nobody reads until the end could fill, and
        # Node would then stop answering.
        self._errors = path.with_suffix(".node-errors")
        with self._errors.open("w") as errors:
            self._node = subprocess.Popen(
                [node_with_packages(), "bench.js", str(path), DRIZZLE, "turns"],
                cwd=NODE_PROJECT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )

    def turn(self, workload: str, start: int, calls: int) -> float:
        assert self._node.stdin is not None and self._node.stdout is not None
        self._node.stdin.write(json.dumps({"workload": workload, "start": start, "calls": calls}))
        self._node.stdin.write("\n")
        self._node.stdin.flush()
        answer = self._node.stdout.readline()
        if not answer:
            self._node.wait(timeout=30)
            raise RuntimeError(f"{self.name} failed: {self._errors.read_text()[-2000:]}")
        return float(answer)

    def close(self) -> None:
        self._node.communicate(timeout=30)
        if self._node.returncode != 0:
            raise RuntimeError(f"{self.name} failed: {self._errors.read_text()[-2000:]}")


class _Turns(Protocol):
    name: str

    def turn(self, workload: str, start: int, calls: int) -> float:
        """Run calls start..start+calls-1 of the workload; the seconds they took."""
        ...


def _rounds(report: Report, takers: list[_Turns], rounds: int, scale: int) -> None:
    for workload in READS:  # untimed: Node's JIT settles only after a few hundred calls
        for taker in takers:
            taker.turn(workload, 0, WARM_UP // scale)
    for _ in range(rounds):
        for workload, (calls, turns) in READS.items():
            turn_times: dict[str, list[float]] = {taker.name: [] for taker in takers}
            call = 0
            for turn in range(max(turns // scale, 1)):
                first = turn % len(takers)
                for taker in takers[first:] + takers[:first]:
                    turn_times[taker.name].append(taker.turn(workload, call, calls) / calls * 1e6)
                call += calls
            for name, times in turn_times.items():
                report.figure(workload, name, "µs").samples.append(median(times))


def run(rounds: int, quick: bool) -> Report:
    contenders: list[InProcess] = [RawSqlite(), Repositories("sqlite3"), QueryBuilder()]
    report = Report("Local reads, in turns (WAL file)", baseline=RawSqlite.name)
    report.notes.append(
        "Each read's contenders take turns on one file (50 `find_by_id` or 10 "
        "`find_by_user_id` calls a turn, 200 turns a round, the order rotating): the "
        "median over rounds of each round's median turn, per call, after 1,000 untimed "
        "calls of each read by each. Drizzle runs in a Node process that stays up and "
        "times each turn's calls itself. The goals: both reads "
        "within 2x raw sqlite3, and `find_by_user_id` no slower than Drizzle."
    )
    scale = 50 if quick else 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reads.db"
        ids = seed(Path(folder) / "seed.db")
        shutil.copy(Path(folder) / "seed.db", path)
        for contender in contenders:
            contender.open(path)
        try:
            drizzle = _DrizzleTurns(path)
            try:
                takers: list[_Turns] = [_InProcess(c, ids) for c in contenders]
                _rounds(report, [*takers, drizzle], rounds, scale)
            finally:
                drizzle.close()
        finally:
            for contender in contenders:
                contender.close()
    return report
