"""libSQL's compile-time limits: what one statement may hold on every engine.

libsql-experimental and sqld are built with SQLite's defaults; some system SQLite builds
raise the variable limit (Debian's: 250000), but the same code also runs on libSQL. The
generator refuses schemas beyond them (codegen/limits.py); the runtime sizes multi-row
statements by them.
"""

from __future__ import annotations

__all__ = ["MAX_COLUMN", "MAX_VARIABLE_NUMBER"]

MAX_COLUMN = 2000  # SQLITE_MAX_COLUMN in libSQL's build
MAX_VARIABLE_NUMBER = 32766  # SQLITE_MAX_VARIABLE_NUMBER in libSQL's build
