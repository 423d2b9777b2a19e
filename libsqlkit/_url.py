"""Where the database lives and how to reach it: `TURSO_DATABASE_URL`, the auth token,
desktop-app locations."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from libsqlkit._errors import ConfigurationError

__all__ = [
    "app_database_url",
    "auth_token",
    "database_url",
    "file_path",
    "url_scheme",
]

URL_VARIABLE = "TURSO_DATABASE_URL"
TOKEN_VARIABLE = "TURSO_AUTH_TOKEN"
SYNC_URL_VARIABLE = "TURSO_SYNC_URL"
SYNC_INTERVAL_VARIABLE = "TURSO_SYNC_INTERVAL"
SYNC_MODE_VARIABLE = "TURSO_SYNC_MODE"
REMOTE_SCHEMES = ("libsql", "https", "http")
MEMORY = ":memory:"


def database_url(url: str | None) -> str:
    """`url`, or `TURSO_DATABASE_URL` when it is None (then required)."""
    if url is None:
        url = os.environ.get(URL_VARIABLE)
        if not url:
            raise ConfigurationError(
                f"{URL_VARIABLE} is required: set it (for example to file:./data/local.db) "
                "or pass url= to create_db_client()"
            )
    return url


def auth_token(value: str | None) -> str | None:
    """The token as it is sent, or None when there is none.

    Surrounding white space is dropped (a token read from a file ends in a newline). Any
    other character outside printable ASCII cannot travel in an HTTP header: it is
    refused by its position, and the token itself never appears in the message.
    """
    if value is None:
        return None
    token = value.strip()
    for position, char in enumerate(token, start=1):
        if not "!" <= char <= "~":
            raise ConfigurationError(
                f"the auth token ({TOKEN_VARIABLE}) has an invalid character U+{ord(char):04X} "
                f"at position {position} of {len(token)}: a token is printable ASCII "
                "without spaces (check how it was copied or read)"
            )
    return token or None


def url_scheme(url: str) -> str:
    """The lowercase scheme of a database URL, or a clear error if it has none we know."""
    scheme, sep, _ = url.partition(":")
    scheme = scheme.lower()
    if not sep or (scheme != "file" and scheme not in REMOTE_SCHEMES):
        shown = scheme if sep else url
        raise ConfigurationError(
            f"unsupported database URL scheme {shown!r}: use file: (a local file, e.g. "
            "file:./data/local.db) or libsql://, https://, http:// (a remote server)"
        )
    return scheme


def file_path(url: str) -> str:
    """The local path of a `file:` URL (its folder is created), or `:memory:`."""
    scheme, _, rest = url.partition(":")
    if scheme.lower() != "file":
        raise ConfigurationError(f"not a file: URL: {scheme}:")
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
        return MEMORY
    path = Path(rest).expanduser()
    if path.is_dir():
        raise ConfigurationError(f"{url!r} names a folder, not a database file")
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def app_database_url(app_name: str, *, file_name: str = "app.db") -> str:
    """`file:<app data dir>/app.db` for a desktop app, per platform (platformdirs)."""
    if not app_name.strip() or "/" in app_name or "\\" in app_name:
        raise ConfigurationError(f"app_name must be a plain name, got {app_name!r}")
    folder = platformdirs.user_data_path(app_name, appauthor=False)
    return f"file:{folder / file_name}"
