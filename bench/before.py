"""The generated repository as it was before the concurrency rework, run on the same file.

`python -m bench.before PATH IDS OPS` with the old `libsqlkit/` and `generated/` first on
PYTHONPATH (bench.workloads.Before extracts them from git): the same `Repositories`
workloads, timed inside this process, printed as JSON seconds per workload.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.workloads import Repositories


def main() -> None:
    path, ids_file, ops = sys.argv[1:4]
    ids = json.loads(Path(ids_file).read_text(encoding="utf-8"))
    seconds = Repositories("sqlite3").round(Path(path), ids, json.loads(ops))
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
