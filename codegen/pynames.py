"""The names a piece of generated Python reads or writes, collected from its syntax tree.

`{n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}`, without ast.walk's
generator per node: about a third of the time over the 200 repository modules of a
large schema, where which imports a module needs is decided by these names.
"""

from __future__ import annotations

import ast
from functools import lru_cache

__all__ = ["names_in", "parsed"]


@lru_cache(maxsize=1)
def parsed(text: str) -> ast.Module:
    """`ast.parse(text)`, kept for the next reader of the same text, which must not
    change the tree: a models share is read for its classes, then for its names (each
    parse ≈0.12 s for 100 tables of 15 columns); `models.model_clashes`, the last
    reader, lets it go (a tree is ≈40 times its text)."""
    return ast.parse(text)


def names_in(node: ast.AST, *, read_only: bool = False) -> set[str]:
    """The ids of the `ast.Name` nodes under `node`; with `read_only`, of those read."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            if not read_only or isinstance(current.ctx, ast.Load):
                found.add(current.id)
            continue  # below a Name there is only its context
        for field in current._fields:
            value = getattr(current, field, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
    return found
