"""codegen/pynames.py collects exactly the names ast.walk finds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from codegen.pynames import names_in

ROOT = Path(__file__).parent.parent
MODULES = sorted(
    [
        *(ROOT / "generated").rglob("*.py"),
        *(ROOT / "tests" / "golden").rglob("*.py"),
        *(ROOT / "codegen").glob("*.py"),
        *(ROOT / "libsqlkit").glob("*.py"),
    ]
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_names_are_those_ast_walk_finds(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name)]
    assert names_in(tree) == {node.id for node in names}
    read = {node.id for node in names if isinstance(node.ctx, ast.Load)}
    assert names_in(tree, read_only=True) == read
    for statement in tree.body:
        assert names_in(statement) == {
            node.id for node in ast.walk(statement) if isinstance(node, ast.Name)
        }
