"""How long code generation takes: the design's schema and a synthetic 200 × 15 schema."""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Report, timed
from codegen.render import render_all
from codegen.source import load_source
from codegen.validate import build_schema

ROOT = Path(__file__).parent.parent
GOAL_SECONDS = 5.0
COLD = "libsqlkit generate"  # --no-cache: the name the figure has had before the cache
WARM = "libsqlkit generate, cache warm"
FIRST = "libsqlkit generate, empty cache"
CHANGED = "libsqlkit generate, one table changed"

_KINDS = [
    "{type: text, not_null: true}",
    "{type: integer, not_null: true, default: 0}",
    "{type: integer, mode: timestamp, not_null: true, client_default: now}",
    "{type: integer, mode: boolean, not_null: true, default: false}",
    "{type: text, mode: json}",
    "{type: real}",
    "{type: text, enum: [A, B, C], not_null: true, default: A}",
    "{type: blob}",
]


def synthetic_schema(tables: int, columns: int) -> str:
    lines = ["version: 1", "tables:"]
    for t in range(tables):
        lines += [
            f"  table_{t:03d}:",
            "    columns:",
            "      id: {type: text, primary_key: true, client_default: uuid4}",
        ]
        lines += [f"      col_{c:02d}: {_KINDS[c % len(_KINDS)]}" for c in range(columns - 1)]
        lines += [
            "    indexes:",
            f"      idx_table_{t:03d}_col_00: {{columns: [col_00, col_01]}}",
            "    queries:",
            "      find_by_col_00: {select: many, where: [col_00], order_by: [col_01 desc]}",
        ]
    return "\n".join(lines) + "\n"


def _in_process(schema: Path) -> None:
    render_all(build_schema(load_source(schema)), "generated")


def one_table_changed(text: str, table: int) -> str:
    """`text` (a synthetic schema) with one column of `table_<table>` made NOT NULL."""
    start = text.index(f"  table_{table:03d}:")
    end = text.index("    indexes:", start)
    return (
        text[:start]
        + text[start:end].replace("col_05: {type: real}", "col_05: {type: real, not_null: true}")
        + text[end:]
    )


def _command(schema: Path, out: Path, *options: str) -> tuple[float, float]:
    """Run `libsqlkit generate`; its wall time and the CPU time of the process and its
    children (ruff), which a shared machine does not inflate as much."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "libsqlkit",
            "--schema",
            str(schema),
            "--out",
            str(out),
            "--package",
            "generated",
            "generate",
            *options,
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(rounds: int, quick: bool) -> Report:
    report = Report("Code generation", baseline="design schema, in process")
    tables = 20 if quick else 200
    with tempfile.TemporaryDirectory() as folder:
        synthetic = Path(folder) / "schema.yaml"
        text = synthetic_schema(tables, 15)
        synthetic.write_text(text, encoding="utf-8")
        cache = Path(folder) / "cache"
        _command(synthetic, Path(folder) / "primed", "--cache", str(cache))
        label = f"{tables} tables × 15 columns"

        def measure(workload: str, contender: str, schema: Path, out: Path, *options: str) -> None:
            wall, cpu = _command(schema, out, *options)
            report.figure(workload, contender, "s").samples.append(wall)
            report.figure(workload, f"{contender}, CPU", "s").samples.append(cpu)

        for round_ in range(rounds):
            out = Path(folder) / f"out{round_}"
            report.figure("design schema", "design schema, in process", "s").samples.append(
                timed(lambda: _in_process(ROOT / "schema.yaml"))
            )
            measure("design schema", COLD, ROOT / "schema.yaml", out / "design", "--no-cache")
            report.figure(label, "design schema, in process", "s").samples.append(
                timed(lambda: _in_process(synthetic))
            )
            measure(label, COLD, synthetic, out / "cold", "--no-cache")
            measure(label, FIRST, synthetic, out / "first", "--cache", str(out / "cache"))
            measure(label, WARM, synthetic, out / "warm", "--cache", str(cache))
            changed = Path(folder) / f"changed{round_}.yaml"
            changed.write_text(one_table_changed(text, round_ % tables), encoding="utf-8")
            measure(label, CHANGED, changed, out / "changed", "--cache", str(cache))
    report.notes.append(
        f"Goal: a 200-table schema generates in at most {GOAL_SECONDS:.0f} s without a cache "
        f"(`{COLD}`: the whole command, process start and writing files included). "
        f"`{FIRST}`: a first run, which fills the cache; "
        f"`{WARM}`: the same schema again with the cache of an earlier run; "
        f"`{CHANGED}`: one column of one table changed since (each round another table). "
        "`CPU`: the command's CPU time, its ruff calls included."
    )
    return report
