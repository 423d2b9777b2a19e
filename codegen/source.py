"""Reading schema.yaml while keeping the line and column of every key and value.

A hostile file must end in a located error, never a hang, a crash or a traceback, so
the file is first read as a stream of YAML events (the parser keeps no Python stack):
nesting deeper than MAX_DEPTH and aliases that would expand to more than
MAX_ALIAS_NODES nodes (the "billion laughs" file) are refused there, before anything is
built from them. The built document is then reduced to plain JSON-like values: YAML
types schema.yaml has no use for (`!!binary`, dates, sets, custom tags), keys that are
not text, NUL characters and lone surrogates are refused with their position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml import events as ruamel_events
from ruamel.yaml.comments import CommentedMap, CommentedSeq, CommentedSet, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarbool import ScalarBoolean

from .plain_yaml import plain_document
from .problems import Loc, Problem, SchemaError

__all__ = ["MAX_ALIAS_NODES", "MAX_DEPTH", "SchemaSource", "load_source"]

# Mappings and sequences inside each other, aliases expanded. schema.yaml itself needs
# 5 levels (tables > table > columns > column > json_schema); the rest is for json_schema.
MAX_DEPTH = 64
# Nodes that aliases add once expanded: plenty for reusing column specs, and a bound on
# the work every later step does with the expanded document.
MAX_ALIAS_NODES = 100_000
# Text that cannot reach Python source, SQL or a UTF-8 file intact.
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


class SchemaSource:
    """The parsed YAML document plus a way to point at any part of it.

    `document` holds the values; `located` is the same document as ruamel's round-trip
    loader builds it, with the position of every node. When the values came from the
    fast path (plain_yaml), `located` is built from `text` the first time a problem has
    to be located.
    """

    def __init__(
        self,
        file_name: str,
        document: Any,
        folder: Path | None = None,
        *,
        text: str | None = None,
    ) -> None:
        self.file_name = file_name
        self.document = document
        self.folder = folder  # where the file is: what its `query: file.py:function` is relative to
        self._text = text

    @property
    def located(self) -> Any:
        if self._text is not None:
            self.document = YAML(typ="rt").load(self._text)
            _plain(self.document, 1, 1, [])
            self._text = None
        return self.document

    def position(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at `loc`, or of the nearest parent that exists.

        With `at_key`, point at the mapping key rather than its value (for unknown keys).
        """
        node = self.located
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


# The bounds pass reads events from libyaml (PyYAML's C parser, about 40 times faster
# than ruamel's pure-Python one) and from ruamel's parser when libyaml refuses the text,
# so that ruamel, which builds the document, reports the error in its own words.
_COLLECTION_START = (ruamel_events.CollectionStartEvent, pyyaml.events.CollectionStartEvent)
_COLLECTION_END = (ruamel_events.CollectionEndEvent, pyyaml.events.CollectionEndEvent)
_ALIAS = (ruamel_events.AliasEvent, pyyaml.events.AliasEvent)
_SCALAR = (ruamel_events.ScalarEvent, pyyaml.events.ScalarEvent)


def _at(event: Any, message: str) -> Problem:
    mark = event.start_mark
    return Problem(mark.line + 1, mark.column + 1, message)


def _bounds_problem(events: Iterator[Any]) -> Problem | None:
    """The first place where nesting or alias expansion goes past its bound, if any.

    Every finished anchored node records its size and height; an alias adds them where
    it stands, so nested aliases are counted as expanded without expanding anything.
    """
    finished: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, height)
    open_nodes: list[list[Any]] = []  # per open collection: [anchor, nodes, height]
    borrowed = 0
    for event in events:
        if isinstance(event, _COLLECTION_START):
            open_nodes.append([event.anchor, 1, 1])
            if len(open_nodes) > MAX_DEPTH:
                return _at(event, f"nesting deeper than {MAX_DEPTH} levels")
            continue
        if isinstance(event, _COLLECTION_END):
            anchor, nodes, height = open_nodes.pop()
        elif isinstance(event, _ALIAS):
            if event.anchor not in finished:
                if any(node[0] == event.anchor for node in open_nodes):
                    return _at(event, f"alias *{event.anchor} refers to a node that contains it")
                continue  # an undefined alias: the YAML loader reports it
            anchor, (nodes, height) = None, finished[event.anchor]
            borrowed += nodes
            if borrowed > MAX_ALIAS_NODES:
                return _at(
                    event,
                    f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes; write the values out",
                )
            if len(open_nodes) + height > MAX_DEPTH:
                return _at(
                    event, f"nesting deeper than {MAX_DEPTH} levels (through *{event.anchor})"
                )
        elif isinstance(event, _SCALAR):
            anchor, nodes, height = event.anchor, 1, 0
        else:
            continue
        if anchor is not None:
            finished[anchor] = (nodes, height)
        if open_nodes:
            parent = open_nodes[-1]
            parent[1] += nodes
            parent[2] = max(parent[2], height + 1)
    return None


def _describe(value: object) -> str:
    if isinstance(value, TaggedScalar):
        return f"a value tagged {value.tag}"
    kinds = {bytes: "binary data (!!binary)", date: "a date", datetime: "a timestamp"}
    kinds |= {CommentedSet: "a set (!!set)", list: "a list of pairs (!!pairs)"}
    return next(
        (what for kind, what in kinds.items() if isinstance(value, kind)),
        f"a YAML {type(value).__name__}",
    )


def _plain(value: Any, line: int, column: int, problems: list[Problem]) -> Any:
    """`value` as a plain JSON-like value, reporting what schema.yaml cannot hold.

    Mappings and sequences are cleaned in place, so their positions stay.
    """
    if isinstance(value, CommentedMap):
        for key in list(value):
            key_line, key_column = value.lc.key(key)
            if not isinstance(key, str):
                problems.append(
                    Problem(key_line + 1, key_column + 1, f"keys must be text, not {key!r}")
                )
            elif _UNWRITABLE.search(key):
                problems.append(Problem(key_line + 1, key_column + 1, _unwritable(key)))
            value_line, value_column = value.lc.value(key)
            value[key] = _plain(value[key], value_line + 1, value_column + 1, problems)
        return value
    if isinstance(value, CommentedSeq):
        for index, item in enumerate(value):
            item_line, item_column = value.lc.item(index)
            value[index] = _plain(item, item_line + 1, item_column + 1, problems)
        return value
    if isinstance(value, str):
        if _UNWRITABLE.search(value):
            problems.append(Problem(line, column, _unwritable(value)))
        return str(value)
    if isinstance(value, ScalarBoolean):  # an anchored true/false
        return bool(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    problems.append(
        Problem(
            line,
            column,
            f"{_describe(value)} cannot be used in schema.yaml: use text, numbers, "
            "booleans, null, lists and mappings",
        )
    )
    return None


def _unwritable(text: str) -> str:
    found = _UNWRITABLE.search(text)
    code = f"U+{ord(found.group()):04X}" if found else "?"
    what = "a NUL character" if code == "U+0000" else f"a lone surrogate ({code})"
    return f"text may not contain {what}"


def _reader_problem(text: str, error: ReaderError) -> Problem:
    position = min(max(error.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = error.character
    code = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return Problem(line, column, f"the character {code} is not allowed in a YAML file")


_DIRECTIVE = re.compile(r"^%YAML[ \t]+(\S*)", re.MULTILINE)


def _directive_problem(text: str) -> Problem:
    """ruamel asserts (AssertionError) the version a %YAML directive names."""
    found = _DIRECTIVE.search(text)
    if found is None:
        return Problem(1, 1, "invalid YAML")
    line = text.count("\n", 0, found.start()) + 1
    return Problem(
        line,
        1,
        f"invalid YAML: the %YAML directive names version {found.group(1)}; "
        "schema.yaml is YAML 1.2",
    )


def _libyaml_events(text: str) -> list[Any] | None:
    """libyaml's events of `text`, or None when libyaml refuses it."""
    try:
        return list(pyyaml.parse(text, Loader=pyyaml.CSafeLoader))
    except pyyaml.YAMLError:
        return None


def load_source(path: Path) -> SchemaSource:
    """Parse the file; every problem reading it becomes a SchemaError with a position."""
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
        events = _libyaml_events(text)
        bounds = _bounds_problem(iter(events) if events is not None else yaml.parse(text))
        if bounds is not None:
            raise SchemaError(file_name, [bounds])
        plain = None if events is None else plain_document(text, events)
        if plain is not None:
            return SchemaSource(file_name, plain, path.parent, text=text)
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        duplicate = re.search(r'duplicate key "(.*?)"', what)
        if duplicate:
            what = f"duplicate key {duplicate.group(1)!r}: each key may appear only once here"
        raise SchemaError(file_name, [Problem(line, column, what or "invalid YAML")]) from None
    except ReaderError as exc:
        raise SchemaError(file_name, [_reader_problem(text, exc)]) from None
    except AssertionError:
        raise SchemaError(file_name, [_directive_problem(text)]) from None
    except YAMLError as exc:
        raise SchemaError(file_name, [Problem(1, 1, f"invalid YAML: {exc}")]) from None
    if not isinstance(document, CommentedMap):
        raise SchemaError(
            file_name, [Problem(1, 1, "the schema must be a mapping with a 'tables' key")]
        )
    problems: list[Problem] = []
    _plain(document, 1, 1, problems)
    if problems:
        raise SchemaError(file_name, problems)
    return SchemaSource(file_name, document, path.parent)
