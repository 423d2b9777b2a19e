"""`make bench` (python -m bench): run the benchmarks, print and save the tables.

`--quick` runs a few hundred operations only, as the smoke tests in `make test` do;
`--only NAME` (repeatable) runs those groups only.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from bench import (
    backend,
    cluster,
    generation,
    migrations,
    reads,
    relational,
    remote,
    streaming,
    sync,
    transports,
    wire,
    workloads,
)
from bench.harness import Report, machine, save

RESULTS = Path(__file__).parent / "results"

# Each group: (rounds, quick) -> its reports. The others cap the rounds of the first.
GROUPS: dict[str, Callable[[int, bool], list[Report]]] = {
    "workloads": lambda rounds, quick: [workloads.run(rounds, quick)],
    "remote": lambda rounds, quick: [remote.run(min(rounds, 3), quick)],
    "wire": lambda rounds, quick: [wire.run(min(rounds, 3), quick)],
    "sync": lambda rounds, quick: [*sync.run(min(rounds, 3), quick)],
    "migrations": lambda rounds, quick: [migrations.run(min(rounds, 3), quick)],
    "generation": lambda rounds, quick: [generation.run(min(rounds, 3), quick)],
    "cluster": lambda rounds, quick: [cluster.run(min(rounds, 3), quick)],
    "transports": lambda rounds, quick: [transports.run(min(rounds, 3), quick)],
    "streaming": lambda rounds, quick: [streaming.run(min(rounds, 2), quick)],
    "backend": lambda rounds, quick: [*backend.run(min(rounds, 3), quick)],
    "relational": lambda rounds, quick: [relational.run(min(rounds, 3), quick)],
    "reads": lambda rounds, quick: [reads.run(rounds, quick)],
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per contender")
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument(
        "--only", action="append", choices=list(GROUPS), help="run this group (repeatable)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where latest.md/json go")
    args = parser.parse_args()
    chosen = [name for name in GROUPS if name in (args.only or GROUPS)]
    reports = [report for name in chosen for report in GROUPS[name](args.rounds, args.quick)]
    print(save(reports, args.out, f"Measured on {machine()}.\n"))


if __name__ == "__main__":
    main()
