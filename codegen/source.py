"""Reading schema.yaml while keeping the line and column of every key and value."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from codegen.problems import Loc, Problem, SchemaError

__all__ = ["SchemaSource", "load_source"]


class SchemaSource:
    """The parsed YAML document plus a way to point at any part of it."""

    def __init__(self, file_name: str, document: Any) -> None:
        self.file_name = file_name
        self.document = document

    def position(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at `loc`, or of the nearest parent that exists.

        With `at_key`, point at the mapping key rather than its value (for unknown keys).
        """
        node = self.document
        line, column = 0, 0
        for depth, step in enumerate(loc):
            last = depth == len(loc) - 1
            if isinstance(node, CommentedMap) and step in node:
                line, column = node.lc.key(step) if (at_key and last) else node.lc.value(step)
                node = node[step]
            elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
                line, column = node.lc.item(step)
                node = node[step]
            else:
                if isinstance(node, CommentedMap | CommentedSeq) and depth == 0:
                    line, column = node.lc.line, node.lc.col
                break
        return line + 1, column + 1

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        line, column = self.position(loc, at_key=at_key)
        return Problem(line, column, message)


def load_source(path: Path) -> SchemaSource:
    """Parse the file; YAML syntax errors and duplicate keys become SchemaErrors."""
    file_name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(
            file_name, [Problem(1, 1, f"cannot read the schema: {exc.strerror}")]
        ) from None
    except UnicodeDecodeError:
        raise SchemaError(file_name, [Problem(1, 1, "the schema is not valid UTF-8")]) from None
    yaml = YAML(typ="rt")
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        duplicate = re.search(r'duplicate key "(.*?)"', what)
        if duplicate:
            what = f"duplicate key {duplicate.group(1)!r}: each key may appear only once here"
        raise SchemaError(file_name, [Problem(line, column, what or "invalid YAML")]) from None
    if not isinstance(document, CommentedMap):
        raise SchemaError(
            file_name, [Problem(1, 1, "the schema must be a mapping with a 'tables' key")]
        )
    return SchemaSource(file_name, document)
