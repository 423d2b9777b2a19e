"""The pinned Node.js project of tests/drizzle/ (Drizzle ORM, drizzle-kit, @libsql/client,
better-sqlite3): the one place that finds Node and installs the project's packages, for
the tests and the benchmarks alike."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

NODE_PROJECT = Path(__file__).parent / "drizzle"


def node_with_packages() -> str:
    """Node.js, with the pinned packages installed (`npm ci`) when one is missing."""
    executable = shutil.which("node")
    if executable is None:
        raise RuntimeError("Node.js is needed for the Drizzle and @libsql/client contenders")
    wanted = json.loads((NODE_PROJECT / "package.json").read_text(encoding="utf-8"))
    if not all((NODE_PROJECT / "node_modules" / name).is_dir() for name in wanted["dependencies"]):
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=NODE_PROJECT, check=True
        )
    return executable
