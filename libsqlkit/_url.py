"""Where the database lives: resolving `TURSO_DATABASE_URL` and desktop-app locations."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from libsqlkit._errors import ConfigurationError

__all__ = ["DatabaseLocation", "app_database_url", "resolve_location"]

URL_VARIABLE = "TURSO_DATABASE_URL"
TOKEN_VARIABLE = "TURSO_AUTH_TOKEN"
MEMORY = ":memory:"


@dataclass(frozen=True, slots=True)
class DatabaseLocation:
    """A parsed database URL. It never holds the auth token, so it is safe to print."""

    url: str
    path: str


def resolve_location(url: str | None) -> DatabaseLocation:
    """Parse `url`, or `TURSO_DATABASE_URL` when it is None, into a local file location."""
    if url is None:
        url = os.environ.get(URL_VARIABLE)
        if not url:
            raise ConfigurationError(
                f"{URL_VARIABLE} is required: set it (for example to file:./data/local.db) "
                "or pass url= to create_db_client()"
            )
    scheme, sep, rest = url.partition(":")
    if not sep or scheme.lower() != "file":
        shown = scheme if sep else url
        raise ConfigurationError(
            f"unsupported database URL scheme {shown!r}: only file: URLs are supported "
            "(for example file:./data/local.db or file:/absolute/path/app.db)"
        )
    if "?" in rest or "#" in rest:
        raise ConfigurationError(f"file: URLs take no query or fragment: {url!r}")
    if rest.startswith("//"):
        host, slash, tail = rest[2:].partition("/")
        if host not in ("", "localhost") or not slash:
            raise ConfigurationError(f"file: URL must name a local path, got {url!r}")
        rest = "/" + tail
    if not rest:
        raise ConfigurationError(f"file: URL has no path: {url!r}")
    if rest == MEMORY:
        return DatabaseLocation(url=url, path=MEMORY)
    path = Path(rest).expanduser()
    if path.is_dir():
        raise ConfigurationError(f"{url!r} names a folder, not a database file")
    path.parent.mkdir(parents=True, exist_ok=True)
    return DatabaseLocation(url=url, path=str(path))


def app_database_url(app_name: str, *, file_name: str = "app.db") -> str:
    """`file:<app data dir>/app.db` for a desktop app, per platform (platformdirs)."""
    if not app_name.strip() or "/" in app_name or "\\" in app_name:
        raise ConfigurationError(f"app_name must be a plain name, got {app_name!r}")
    folder = platformdirs.user_data_path(app_name, appauthor=False)
    return f"file:{folder / file_name}"
