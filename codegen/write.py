"""Writing generated/ so that an unchanged schema rewrites nothing."""

from __future__ import annotations

from pathlib import Path

__all__ = ["stale_files", "write_files"]


def _existing(out: Path) -> set[str]:
    return {
        str(path.relative_to(out))
        for path in out.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def stale_files(out: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    """(path, why) for every file that differs from the rendering, is missing or is extra."""
    stale = []
    for path, text in sorted(files.items()):
        target = out / path
        if not target.is_file():
            stale.append((path, "missing"))
        elif target.read_text(encoding="utf-8") != text:
            stale.append((path, "differs"))
    stale += [(path, "not generated any more") for path in sorted(_existing(out) - set(files))]
    return stale


def write_files(out: Path, files: dict[str, str]) -> list[str]:
    """Write what changed, remove files no longer generated; return the paths touched."""
    touched = []
    for path, why in stale_files(out, files):
        target = out / path
        if why == "not generated any more":
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[path], encoding="utf-8")
        touched.append(path)
    return touched
