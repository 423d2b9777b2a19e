"""Timing and reporting: medians of interleaved rounds, ratios to a baseline of the same run."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Figure", "Report", "machine", "timed"]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


@dataclass
class Figure:
    """One contender on one workload: per-operation medians over rounds."""

    workload: str
    contender: str
    unit: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


@dataclass
class Report:
    title: str
    baseline: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def figure(self, workload: str, contender: str, unit: str) -> Figure:
        for figure in self.figures:
            if (figure.workload, figure.contender) == (workload, contender):
                return figure
        figure = Figure(workload, contender, unit)
        self.figures.append(figure)
        return figure

    def ratio(self, figure: Figure) -> float | None:
        base = next(
            (
                f
                for f in self.figures
                if f.workload == figure.workload and f.contender == self.baseline
            ),
            None,
        )
        return None if base is None or base.median == 0 else figure.median / base.median

    def markdown(self) -> str:
        contenders = list(dict.fromkeys(f.contender for f in self.figures))
        workloads = list(dict.fromkeys(f.workload for f in self.figures))
        units = {f.workload: f.unit for f in self.figures}
        lines = [
            f"### {self.title}",
            "",
            f"Median per operation; in brackets the ratio to `{self.baseline}` measured in the same run.",
            "",
            "| workload | " + " | ".join(contenders) + " |",
            "|---|" + "---|" * len(contenders),
        ]
        for workload in workloads:
            cells = []
            for contender in contenders:
                figure = next(
                    (f for f in self.figures if (f.workload, f.contender) == (workload, contender)),
                    None,
                )
                if figure is None or not figure.samples:
                    cells.append("—")
                    continue
                ratio = self.ratio(figure)
                shown = f"{figure.median:.1f} {units[workload]}"
                cells.append(shown + (f" ({ratio:.2f}×)" if ratio is not None else ""))
            lines.append(f"| {workload} | " + " | ".join(cells) + " |")
        lines += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "baseline": self.baseline,
            "figures": [
                {**asdict(f), "median": f.median, "ratio": self.ratio(f)}
                for f in self.figures
                if f.samples
            ],
            "notes": self.notes,
        }


def save(reports: list[Report], folder: Path, header: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    text = header + "\n" + "\n".join(report.markdown() for report in reports)
    (folder / "latest.md").write_text(text, encoding="utf-8")
    (folder / "latest.json").write_text(
        json.dumps({"machine": machine(), "reports": [r.as_dict() for r in reports]}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    return text
