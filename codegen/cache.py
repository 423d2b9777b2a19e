"""Outputs of code generation kept between runs, addressed by a hash of their inputs.

`libsqlkit generate` spends its time on two steps whose output depends only on their
input text: datamodel-code-generator (a table's models) and ruff (a file's formatting).
Each result is stored under the SHA-256 of everything it depends on — the input, the
versions of libsqlkit, the generator and ruff, and the settings — so that a changed
input is a different entry and an entry is never stale. An entry holds its own key and
the digest of its text; one that fails either check (cut short, edited, written by
something else) is ignored and written again. The folder is safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from importlib.metadata import version
from pathlib import Path

__all__ = ["DEFAULT_FOLDER", "OutputCache", "content_key"]

DEFAULT_FOLDER = ".libsqlkit-cache"


@cache
def _tools() -> str:
    """What every entry also depends on: the code of codegen/ and the tools' versions."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".jinja", ".txt"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ("libsqlkit", "datamodel-code-generator", "ruff", "pydantic"):
        digest.update(f"{package}={version(package)}\0".encode())
    return digest.hexdigest()


def content_key(kind: str, *parts: str) -> str:
    """The key of an output of `kind` made from `parts` (and the tools of this run):
    `kind/sha256`."""
    digest = hashlib.sha256(f"{kind}\0{_tools()}\0".encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part.encode("utf-8", "surrogatepass"))
    return f"{kind}/{digest.hexdigest()}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class OutputCache:
    """Entries as files `<folder>/<kind>/<sha256[:2]>/<sha256>.json` holding
    {"key", "digest", "text"}."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        kind, _, digest = key.partition("/")
        return self.folder / kind / digest[:2] / f"{digest}.json"

    def get(self, key: str) -> str | None:
        """The text stored under `key`, if an entry is there and passes its checks."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entry = None
        if not isinstance(entry, dict):
            entry = {}
        text = entry.get("text")
        if (
            not isinstance(text, str)
            or entry.get("key") != key
            or entry.get("digest") != _digest(text)
        ):
            self.misses += 1
            return None
        self.hits += 1
        return text

    def put(self, key: str, text: str) -> None:
        """Store `text`; a folder that cannot be written only means no cache."""
        path = self._path(key)
        entry = json.dumps({"key": key, "digest": _digest(text), "text": text})
        written: Path | None = None
        try:
            ignore = self.folder / ".gitignore"
            if not ignore.is_file():  # like .pytest_cache/: git never sees the folder
                self.folder.mkdir(parents=True, exist_ok=True)
                ignore.write_text("# written by libsqlkit generate; safe to delete\n*\n")
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
            ) as scratch:
                written = Path(scratch.name)
                scratch.write(entry)
            os.replace(written, path)
        except OSError:
            if written is not None:  # a full disk: leave no half-written entry behind
                with contextlib.suppress(OSError):
                    written.unlink(missing_ok=True)
            return
