"""A golden package's client in every mode: local files on both drivers, remote (sqld
over HTTP), an embedded replica of that sqld, and an offline-sync device of it.

The golden packages each have their own `create_db_client`; `open_in_mode` takes it, so
one fixture per test module runs that module's tests in every mode, on real files and a
real sqld (the session's, from conftest).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import pytest

from libsqlkit import AsyncDatabase, Database
from tests.conftest import reset_server
from tests.sqld import Sqld

Mode = Literal["sqlite3", "libsql", "remote", "replica", "offline"]
MODES: tuple[Mode, ...] = ("sqlite3", "libsql", "remote", "replica")
D = TypeVar("D", bound=Database)


def open_in_mode(
    create: Callable[..., D], mode: Mode, folder: Path, request: pytest.FixtureRequest
) -> D:
    """The client of `create` (a golden package's create_db_client) in `mode`, with its
    schema created (on the server too, for the modes that have one)."""
    if mode in ("sqlite3", "libsql"):
        db = create(f"file:{folder / 'app.db'}", driver=mode)
        db.create_schema()
        return db
    server: Sqld = request.getfixturevalue("sqld_server")
    reset_server(server)
    primary = create(server.url, auth_token=server.token())
    if mode == "remote":
        primary.create_schema()
        return primary
    primary.create_schema()
    primary.close()
    options: dict[str, Any] = {"sync_url": server.url, "auth_token": server.token()}
    if mode == "offline":
        options.update(sync_mode="offline", sync_interval=0)
        db = create(f"file:{folder / 'device.db'}", **options)
        db.create_schema()
        return db
    return create(f"file:{folder / 'replica.db'}", **options)


A = TypeVar("A", bound=AsyncDatabase)
ASYNC_MODES: tuple[Mode, ...] = ("sqlite3", "remote", "replica")


async def open_async_in_mode(
    create_async: Callable[..., A],
    create: Callable[..., Database],
    mode: Mode,
    folder: Path,
    request: pytest.FixtureRequest,
) -> A:
    """The async client of a golden package in `mode`; the schema is created with the
    sync client `create` first (as `open_in_mode` does)."""
    open_in_mode(create, mode, folder, request).close()
    if mode in ("sqlite3", "libsql"):
        return create_async(f"file:{folder / 'app.db'}", driver=mode)
    server: Sqld = request.getfixturevalue("sqld_server")
    if mode == "remote":
        return create_async(server.url, auth_token=server.token())
    return create_async(
        f"file:{folder / 'async-replica.db'}", sync_url=server.url, auth_token=server.token()
    )
