"""`make bench` (python -m bench): run the benchmarks, print and save the tables.

`--quick` runs a few hundred operations only, as the smoke test in `make test` does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import (
    backend,
    cluster,
    generation,
    migrations,
    remote,
    streaming,
    sync,
    transports,
    wire,
    workloads,
)
from bench.harness import machine, save

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per contender")
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where latest.md/json go")
    args = parser.parse_args()
    reports = [
        workloads.run(args.rounds, args.quick),
        remote.run(min(args.rounds, 3), args.quick),
        wire.run(min(args.rounds, 3), args.quick),
        *sync.run(min(args.rounds, 3), args.quick),
        migrations.run(min(args.rounds, 3), args.quick),
        generation.run(min(args.rounds, 3), args.quick),
        cluster.run(min(args.rounds, 3), args.quick),
        transports.run(min(args.rounds, 3), args.quick),
        streaming.run(min(args.rounds, 2), args.quick),
        *backend.run(min(args.rounds, 3), args.quick),
    ]
    print(save(reports, args.out, f"Measured on {machine()}.\n"))


if __name__ == "__main__":
    main()
