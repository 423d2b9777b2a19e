"""Schema problems reported as `schema.yaml:LINE:COL: message`, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Loc", "Problem", "SchemaError"]

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: int
    message: str

    def render(self, file_name: str) -> str:
        return f"{file_name}:{self.line}:{self.column}: {self.message}"


class SchemaError(Exception):
    """One or more problems in schema.yaml, each with its position."""

    def __init__(self, file_name: str, problems: list[Problem]) -> None:
        self.file_name = file_name
        self.problems = sorted(set(problems))
        super().__init__("\n".join(p.render(file_name) for p in self.problems))
