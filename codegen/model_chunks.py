"""models.py put together from each table's classes, kept in the cache per table.

datamodel-code-generator writes one module for the whole schema, and takes most of the
time of a large generation. Where no model refers to another (no JSON payload models),
the module is the imports followed by each component's class, in the order of the
document, each class written from its own component alone. Then each table's (and
view's) classes are cached under the hash of its components, and a run regenerates only
the tables whose components changed, in one generator call, and joins the pieces.

A piece is used only if the module it came from had that shape (imports, then exactly
the components' classes in order), and the joined module only if no class is named like
another or like an import; otherwise the whole document goes through the generator, as
it always did. ruff sorts the imports and formats the module afterwards (render._format).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from typing import Any

from .cache import OutputCache, content_key
from .jsonschema import document_of
from .pynames import names_in, parsed

__all__ = ["joinable", "joined", "joined_models", "pieces_of"]

Generate = Callable[[str], str]  # the document's JSON -> the generator's module
_IMPORTS = "imports"


def _pieces(text: str, parts: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """Per part: its classes' text and the imports they use; None when the module is
    not imports followed by exactly the parts' classes in order."""
    if "\r" in text:
        return None  # a line break of Python's that str.split("\n") does not see
    try:
        tree = parsed(text)
    except SyntaxError:
        return None  # reported as before, from the whole module
    # Python's lines, which str.splitlines() would also break at \x0c, \x1c, \u2028...
    lines = text.split("\n")
    imported: dict[str, tuple[str, str]] = {}
    classes: list[ast.ClassDef] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and not classes and node.module and not node.level:
            for alias in node.names:
                if alias.asname is not None:
                    return None
                imported[alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.ClassDef) and not node.decorator_list:
            classes.append(node)
        else:
            return None
    if [node.name for node in classes] != [name for part in parts for name in part]:
        return None
    pieces = []
    for part in parts:
        mine, classes = classes[: len(part)], classes[len(part) :]
        used = {name for node in mine for name in names_in(node)}
        pieces.append(
            {
                "names": [node.name for node in mine],
                "classes": ["\n".join(lines[node.lineno - 1 : node.end_lineno]) for node in mine],
                _IMPORTS: sorted(
                    pair
                    for name, pair in imported.items()
                    if name in used or pair[0] == "__future__"
                ),
            }
        )
    return pieces


def joined(header: str, pieces: list[dict[str, Any]]) -> str | None:
    """The module of these pieces; None if a class is named like another or an import."""
    imports: dict[str, set[str]] = {}
    for piece in pieces:
        for module, name in piece[_IMPORTS]:
            imports.setdefault(module, set()).add(name)
    class_names = [name for piece in pieces for name in piece["names"]]
    imported = {name for found in imports.values() for name in found}
    if len(set(class_names)) != len(class_names) or imported & set(class_names):
        return None
    future = imports.pop("__future__", set())
    lines = [header.rstrip("\n"), ""]
    if future:
        lines += [f"from __future__ import {', '.join(sorted(future))}", ""]
    lines += [
        f"from {module} import {', '.join(sorted(found))}" for module, found in imports.items()
    ]
    classes = [c for piece in pieces for c in piece["classes"]]
    return "\n".join(lines) + "\n\n\n" + "\n\n\n".join(classes) + "\n"


def _key(part: dict[str, Any]) -> str:
    return content_key("model-classes", json.dumps(part))


def _texts(value: object, length: int | None = None) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(item, str) for item in value)
        and length in (None, len(value))
    )


def _stored(cache: OutputCache, key: str, part: dict[str, Any]) -> dict[str, Any] | None:
    """The piece stored for `part`, if it has the shape _pieces gives and its classes'
    names (the cache has checked that the entry is the one written under `key`)."""
    text = cache.get(key)
    piece = json.loads(text) if text is not None else None
    if not isinstance(piece, dict) or piece.get("names") != list(part):
        return None
    imports = piece.get(_IMPORTS)
    if not _texts(piece.get("classes"), len(part)) or not isinstance(imports, list):
        return None
    if not all(_texts(pair, 2) for pair in imports):
        return None
    piece[_IMPORTS] = [tuple(pair) for pair in imports]
    return piece


def joinable(parts: list[dict[str, Any]]) -> bool:
    """Whether no model refers to another: then models.py can be put together from
    each part's classes."""
    document = document_of(parts)
    return '"$ref"' not in json.dumps(document) and sum(map(len, parts)) == len(
        document["components"]["schemas"]
    )


def pieces_of(
    parts: list[dict[str, Any]], cache: OutputCache | None, generate: Generate
) -> list[dict[str, Any]] | None:
    """Each part's piece: the cached ones, and the rest from one generator call (then
    cached); None when the generator's module does not have the shape they need."""
    keys = [_key(part) for part in parts]
    pieces = [
        _stored(cache, key, part) if cache is not None else None
        for key, part in zip(keys, parts, strict=True)
    ]
    missing = [index for index, piece in enumerate(pieces) if piece is None]
    if missing:
        fresh_parts = [parts[index] for index in missing]
        fresh = _pieces(generate(json.dumps(document_of(fresh_parts))), fresh_parts)
        if fresh is None:
            return None
        for index, piece in zip(missing, fresh, strict=True):
            pieces[index] = piece
            if cache is not None:
                cache.put(keys[index], json.dumps(piece))
    return [piece for piece in pieces if piece is not None]


def joined_models(
    parts: list[dict[str, Any]], header: str, cache: OutputCache, generate: Generate
) -> str | None:
    """models.py from cached pieces and one generator call for the parts not cached;
    None when the schema's models cannot be put together this way."""
    if not joinable(parts):
        return None
    pieces = pieces_of(parts, cache, generate)
    return None if pieces is None else joined(header, pieces)
