"""Configuring a cluster: read URLs, consistency and usage budget, from arguments or the
environment, the same for `connect` and `connect_async`; mistakes are refused by name.
(Opening a client connects to nothing, so no server is needed here.)"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from generated.tables import SCHEMA
from libsqlkit import ConfigurationError, UsageBudget, connect, connect_async
from libsqlkit._cluster import AsyncClusterEngine, ClusterEngine
from libsqlkit._remote import AsyncRemoteEngine, RemoteEngine

PRIMARY = "http://127.0.0.1:1"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("TURSO_READ_URL", "TURSO_CONSISTENCY", "TURSO_USAGE_BUDGET", "TURSO_SYNC_URL"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch


def test_read_urls_make_a_cluster_in_both_apis(clean_environment: pytest.MonkeyPatch) -> None:
    with connect(SCHEMA, PRIMARY, read_url="http://127.0.0.1:2, https://replica.example") as db:
        engine = db._engine
        assert isinstance(engine, ClusterEngine)
        assert [r.url for r in engine.replicas] == [
            "http://127.0.0.1:2",
            "https://replica.example",
        ]
        assert engine.primary.url == PRIMARY and db.driver == "remote"

    async def opened() -> object:
        db = connect_async(SCHEMA, PRIMARY, read_url=["http://127.0.0.1:2"])
        engine = db._engine
        await db.close()
        return engine

    opened_engine = asyncio.run(opened())
    assert isinstance(opened_engine, AsyncClusterEngine) and len(opened_engine.replicas) == 1


def test_read_urls_from_the_environment(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("TURSO_READ_URL", "http://127.0.0.1:2,http://127.0.0.1:3")
    with connect(SCHEMA, PRIMARY) as db:
        assert isinstance(db._engine, ClusterEngine) and len(db._engine.replicas) == 2
    with connect(SCHEMA, PRIMARY, read_url=[]) as db:  # an argument wins, even empty
        assert isinstance(db._engine, RemoteEngine)


def test_without_read_urls_one_server_serves_everything() -> None:
    with connect(SCHEMA, PRIMARY) as db:
        assert isinstance(db._engine, RemoteEngine)
        assert db._engine.link.consistency == "session"

    async def opened() -> object:
        db = connect_async(SCHEMA, PRIMARY, consistency="eventual")
        engine = db._engine
        await db.close()
        return engine

    engine = asyncio.run(opened())
    assert isinstance(engine, AsyncRemoteEngine) and engine.link.consistency == "eventual"


@pytest.mark.parametrize(
    ("read_url", "message"),
    [
        ("http://127.0.0.1:2,http://127.0.0.1:2/", "read URL http://127.0.0.1:2 is listed twice"),
        (PRIMARY, "repeats the remote URL"),
        ("ftp://replica", "not a remote database URL: ftp://replica"),
        ("http://replica/db?x=1", "take no path, query or fragment"),
    ],
)
def test_bad_read_urls_are_refused(read_url: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        connect(SCHEMA, PRIMARY, read_url=read_url)


def test_read_urls_need_a_remote_url(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not of a file: URL"):
        connect(SCHEMA, f"file:{tmp_path}/app.db", read_url="http://127.0.0.1:2")


def test_the_consistency_level_from_the_environment(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    clean_environment.setenv("TURSO_CONSISTENCY", "primary")
    with connect(SCHEMA, PRIMARY, read_url="http://127.0.0.1:2") as db:
        assert isinstance(db._engine, ClusterEngine)
        assert db._engine.link.consistency == "primary"
    with connect(SCHEMA, PRIMARY, consistency="eventual") as db:  # an argument wins
        assert isinstance(db._engine, RemoteEngine)
        assert db._engine.link.consistency == "eventual"
    clean_environment.setenv("TURSO_CONSISTENCY", "strong")
    with pytest.raises(
        ConfigurationError,
        match=r"unknown consistency \(TURSO_CONSISTENCY\) 'strong': use one of session, "
        "eventual, primary",
    ):
        connect(SCHEMA, PRIMARY)


def test_the_usage_budget_reaches_every_server_of_the_client() -> None:
    budget = UsageBudget(rows_read=10)
    with connect(SCHEMA, PRIMARY, read_url="http://127.0.0.1:2", usage_budget=budget) as db:
        engine = db._engine
        assert isinstance(engine, ClusterEngine)
        assert engine.replicas[0].link is engine.primary.link  # one session, one meter
        assert engine.link.meter.usage(None).budget == budget
