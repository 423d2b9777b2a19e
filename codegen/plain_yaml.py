"""schema.yaml built from libyaml's events (C) when ruamel would build the same values.

ruamel's round-trip loader, which keeps the line and column of every node, is pure
Python: most of a large schema's load time. A schema is almost always plain mappings,
lists and scalars whose YAML 1.2 meaning is not in doubt; those are built here from the
events libyaml already produced for the bounds pass. Anything else — a tag, an anchor,
a merge key, a duplicate or non-text key, a directive, a number written in a form other
than plain decimal, a character where YAML 1.1 and 1.2 differ, syntax where libyaml and
ruamel's scanner disagree (tests/test_codegen_plain_yaml.py) — returns None, and
ruamel builds the document (and reports the problem) as before. Positions are read
from ruamel's document only when a problem has to be located.
"""

from __future__ import annotations

import re
from typing import Any

import yaml as pyyaml
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import Reader
from ruamel.yaml.resolver import VersionedResolver

__all__ = ["plain_document"]

# YAML 1.1 line breaks that 1.2 reads as ordinary characters, a byte order mark, and
# where libyaml and ruamel's scanner disagree: tabs, and a `#` right after a character
# (`|#` starts a comment for libyaml, and is an error for ruamel).
_RUAMEL_DECIDES = re.compile("[\t\x85\u2028\u2029\ufeff]|[^ \n]#")
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_TAG = "tag:yaml.org,2002:"
_RESOLVER = VersionedResolver(version=(1, 2))


class _NotPlain(Exception):
    """ruamel has to build this document."""


def _scalar(event: Any) -> Any:
    if event.tag is not None or event.anchor is not None:
        raise _NotPlain
    value: str = event.value
    if _UNWRITABLE.search(value):
        raise _NotPlain
    if not event.implicit[0]:  # quoted or a block scalar: text
        return value
    tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
    if tag == _TAG + "str":
        return value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return value in ("true", "True", "TRUE")
    if tag == _TAG + "int" and _DECIMAL_INT.match(value):
        return int(value)
    if tag == _TAG + "float" and _DECIMAL_FLOAT.match(value):
        return float(value)
    raise _NotPlain


def _node(event: Any, events: Any) -> Any:
    if isinstance(event, pyyaml.ScalarEvent):
        return _scalar(event)
    if isinstance(event, pyyaml.AliasEvent) or event.tag is not None or event.anchor is not None:
        raise _NotPlain
    if isinstance(event, pyyaml.SequenceStartEvent):
        items: list[Any] = []
        for item in events:
            if isinstance(item, pyyaml.SequenceEndEvent):
                return items
            items.append(_node(item, events))
    if isinstance(event, pyyaml.MappingStartEvent):
        mapping: dict[str, Any] = {}
        for key_event in events:
            if isinstance(key_event, pyyaml.MappingEndEvent):
                return mapping
            key = _node(key_event, events)
            if not isinstance(key, str) or key in mapping:
                raise _NotPlain
            mapping[key] = _node(next(events), events)
    raise _NotPlain


def plain_document(text: str, events: list[Any]) -> dict[str, Any] | None:
    """The document `events` (libyaml's, of `text`) describe, when it is a mapping
    ruamel would build with the same values; None when ruamel must decide."""
    if _RUAMEL_DECIDES.search(text) or Reader.NON_PRINTABLE.search(text):
        return None
    if len(events) < 4 or not isinstance(events[1], pyyaml.DocumentStartEvent):
        return None
    start, end = events[1], events[-2]
    if start.version or start.tags or not isinstance(end, pyyaml.DocumentEndEvent):
        return None
    stream = iter(events[2:-2])
    try:
        document = _node(next(stream), stream)
    except _NotPlain:
        return None
    if next(stream, None) is not None or not isinstance(document, dict):
        return None  # several documents, or not a mapping: ruamel reports it
    return document
