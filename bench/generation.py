"""How long code generation takes: the design's schema and a synthetic 200 × 15 schema."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

from bench.harness import Report, timed
from codegen.render import render_all
from codegen.source import load_source
from codegen.validate import build_schema

ROOT = Path(__file__).parent.parent
GOAL_SECONDS = 10.0

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


def _command(schema: Path, out: Path) -> None:
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
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def run(rounds: int, quick: bool) -> Report:
    report = Report("Code generation", baseline="design schema, in process")
    tables = 20 if quick else 200
    with tempfile.TemporaryDirectory() as folder:
        synthetic = Path(folder) / "schema.yaml"
        synthetic.write_text(synthetic_schema(tables, 15), encoding="utf-8")
        label = f"{tables} tables × 15 columns"
        for round_ in range(rounds):
            out = Path(folder) / f"out{round_}"
            report.figure("design schema", "design schema, in process", "s").samples.append(
                timed(lambda: _in_process(ROOT / "schema.yaml"))
            )
            report.figure("design schema", "libsqlkit generate", "s").samples.append(
                timed(partial(_command, ROOT / "schema.yaml", out / "design"))
            )
            report.figure(label, "design schema, in process", "s").samples.append(
                timed(lambda: _in_process(synthetic))
            )
            report.figure(label, "libsqlkit generate", "s").samples.append(
                timed(partial(_command, synthetic, out / "synthetic"))
            )
    report.notes.append(
        f"Goal: a 200-table schema generates well under {GOAL_SECONDS:.0f} s (the whole command, "
        "process start and writing files included)."
    )
    return report
