"""Remote and embedded-replica modes against real sqld servers: the driver pitfalls.

Each pitfall measured on these drivers has a test here: 64-bit integers, typed errors
(auth, unavailable, timeout), a hung server, half-read cursors, parameter mistakes,
replica semantics (local reads, read-your-writes, offline behaviour, recovery, the
background interval), round trips, and the auth token kept out of every message.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from generated.client import DbClient, create_db_client
from generated.models import NewUserSettings, NewWorkflow
from generated.repositories import UserSettingsRepository, WorkflowRepository
from libsqlkit import (
    AuthError,
    ConfigurationError,
    DatabaseError,
    Timeout,
    Unavailable,
    UniqueViolation,
)
from libsqlkit._hrana import _exact_floats, _stmt, _value, http_base_url
from libsqlkit._http import AsyncHttpPool, HttpPool
from tests.conftest import reset_server
from tests.sqld import HungServer, Sqld, free_port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Sqld]:
    """A server of the test's own, free to stop and restart."""
    instance = Sqld(tmp_path / "server", auth=True).start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sqld]:
    instance = Sqld(tmp_path_factory.mktemp("open-sqld"), auth=False).start()
    yield instance
    instance.stop()


@pytest.fixture
def remote(sqld_server: Sqld) -> Iterator[DbClient]:
    reset_server(sqld_server)
    client = create_db_client(sqld_server.url, auth_token=sqld_server.token())
    client.create_schema()
    yield client
    client.close()


def _round_trips(db: DbClient) -> int:
    return db.round_trips


# -- configuration -----------------------------------------------------------------


def test_libsql_urls_mean_tls() -> None:
    assert http_base_url("libsql://db-name.turso.io") == "https://db-name.turso.io"
    assert http_base_url("https://db.example.com:8443") == "https://db.example.com:8443"
    assert http_base_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"


def test_ipv6_hosts_keep_their_brackets_and_a_bad_port_is_a_configuration_error() -> None:
    assert http_base_url("http://[::1]:8080") == "http://[::1]:8080"
    assert repr(HttpPool(http_base_url("libsql://[::1]"), None, timeout=1, size=1)) == (
        "HttpPool(https://[::1]:443)"
    )
    for url in ("http://h:99999", "http://h:port", "libsql://[::1]:-1", "http://h:0"):
        with pytest.raises(ConfigurationError, match="port"):
            http_base_url(url)
    with pytest.raises(ConfigurationError) as caught:
        http_base_url("libsql://user:s3cret@db.example:99999")
    assert "s3cret" not in str(caught.value) and "db.example" in str(caught.value)
    with pytest.raises(ConfigurationError, match=r"http://\[::1\]"):
        http_base_url("http://[::1]:99999")
    with pytest.raises(ConfigurationError, match="IPv6 zone"):
        http_base_url("http://[fe80::1%25eth0]:8080")


def test_a_host_that_cannot_be_a_header_is_a_configuration_error() -> None:
    """The Host header is built from the URL: no space or control character may end it."""
    for host in ("ex ample.com", "a\x7fb", "a..b\u00e9"):
        with pytest.raises(ConfigurationError, match="host"):
            HttpPool(f"http://{host}:8080", None, timeout=1, size=1)
    pool = HttpPool("http://b\u00fccher.example:8080", None, timeout=1, size=1)
    assert repr(pool) == "HttpPool(http://b\u00fccher.example:8080)"


def test_file_urls_never_go_remote(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TURSO_AUTH_TOKEN", "secret-token")
    monkeypatch.delenv("TURSO_SYNC_URL", raising=False)
    with create_db_client(f"file:{tmp_path}/local.db") as db:
        assert db.driver == "sqlite3"
        with pytest.raises(ConfigurationError, match="sync\\(\\) needs a sync URL"):
            db.sync()


def test_modes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, sqld_server: Sqld, tmp_path: Path
) -> None:
    reset_server(sqld_server)
    monkeypatch.setenv("TURSO_AUTH_TOKEN", sqld_server.token())
    monkeypatch.setenv("TURSO_DATABASE_URL", sqld_server.url)
    with create_db_client() as db:
        assert db.driver == "remote"
    monkeypatch.setenv("TURSO_DATABASE_URL", f"file:{tmp_path}/replica.db")
    monkeypatch.setenv("TURSO_SYNC_URL", sqld_server.url)
    monkeypatch.setenv("TURSO_SYNC_INTERVAL", "60")
    with create_db_client() as db:
        assert db.driver == "replica"
    monkeypatch.setenv("TURSO_SYNC_INTERVAL", "soon")
    with pytest.raises(ConfigurationError, match="TURSO_SYNC_INTERVAL must be a number"):
        create_db_client()


def test_remote_url_without_token_against_a_server_without_auth(
    open_server: Sqld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TURSO_AUTH_TOKEN", raising=False)
    with create_db_client(open_server.url) as db:
        db.create_schema()
        created = WorkflowRepository(db).create(NewWorkflow(type="t", user_id="u"))
        assert WorkflowRepository(db).find_by_id(created.id) == created


# -- 64-bit integers -----------------------------------------------------------------


@pytest.mark.parametrize("value", [2**31, 2**53 + 1, 2**63 - 1, -(2**63)])
def test_integers_round_trip_exactly_in_every_mode(db: DbClient, value: int) -> None:
    assert db.execute("SELECT ?", (value,)) == [(value,)]
    workflows = WorkflowRepository(db)
    created = workflows.create(NewWorkflow(type="t", user_id="u", retry_count=value))
    assert created.retry_count == value
    assert db.execute("SELECT retry_count, typeof(retry_count) FROM workflows") == [
        (value, "integer")
    ]


# -- typed errors ------------------------------------------------------------------


@pytest.mark.parametrize("sql", [b"SELECT 1", bytearray(b"SELECT 1"), None, 1])
def test_sql_that_is_not_text_is_refused_alike_in_every_mode(db: DbClient, sql: object) -> None:
    """Remotely a JSON writer would spell bytes as text and run them."""
    with pytest.raises(TypeError, match=f"SQL is a str, not {type(sql).__name__}"):
        db.execute(sql)  # type: ignore[arg-type]


class _Level(enum.IntEnum):
    LOW = 1


class _Tag(enum.StrEnum):
    A = "a"


class _Ratio(float):
    pass


_BINDABLE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.text(),
    st.binary(max_size=8),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([_Level.LOW, _Tag.A, _Ratio(0.5), bytearray(b"\x00")]),
)


@given(st.lists(_BINDABLE, max_size=6))
def test_each_argument_is_sent_as_its_value_encodes_it(params: list[object]) -> None:
    """The arguments' fast path (text and integers taken without the call) sends what
    `_value` makes of each, and a float, of any class, takes the exact way."""
    sql = "SELECT " + (", ".join("?" * len(params)) or "1")
    floats = any(isinstance(p, float) for p in params)
    sent_sql, bound = _exact_floats(sql, params) if floats else (sql, params)
    assert _stmt(sql, params) == {
        "sql": sent_sql,
        "args": [_value(p) for p in bound],
        "want_rows": True,
    }


def test_missing_token(sqld_server: Sqld, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TURSO_AUTH_TOKEN", raising=False)
    with (
        create_db_client(sqld_server.url) as db,
        pytest.raises(AuthError, match="token is missing"),
    ):
        db.execute("SELECT 1")


@pytest.mark.parametrize("kind", ["foreign key", "expired"])
def test_invalid_or_expired_token(sqld_server: Sqld, kind: str) -> None:
    token = (
        sqld_server.token(key=Ed25519PrivateKey.generate())
        if kind == "foreign key"
        else sqld_server.token(expired=True)
    )
    with create_db_client(sqld_server.url, auth_token=token) as db:
        with pytest.raises(AuthError, match="invalid or expired") as caught:
            db.execute("SELECT 1")
        assert token not in str(caught.value) and token not in repr(db)


def test_read_only_token_reads_but_cannot_write(remote: DbClient, sqld_server: Sqld) -> None:
    WorkflowRepository(remote).create(NewWorkflow(type="t", user_id="u"))
    with create_db_client(sqld_server.url, auth_token=sqld_server.token(read_only=True)) as reader:
        assert WorkflowRepository(reader).count() == 1
        with pytest.raises(AuthError, match="read-only"):
            WorkflowRepository(reader).create(NewWorkflow(type="t", user_id="u"))
    assert WorkflowRepository(remote).count() == 1


def test_constraint_errors_are_typed_remotely(remote: DbClient) -> None:
    settings = UserSettingsRepository(remote)
    settings.create(NewUserSettings(user_id="same"))
    with pytest.raises(UniqueViolation) as caught:
        settings.create(NewUserSettings(user_id="same"))
    assert (caught.value.table, caught.value.columns) == ("user_settings", ("user_id",))


def test_connection_refused_is_unavailable(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with (
        create_db_client(url, auth_token="t") as db,
        pytest.raises(Unavailable, match="cannot reach"),
    ):
        db.execute("SELECT 1")
    with pytest.raises(Unavailable):
        create_db_client(f"file:{tmp_path}/replica.db", sync_url=url, auth_token="t")


def test_hung_server_times_out_while_other_threads_run(tmp_path: Path) -> None:
    hung = HungServer()
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        with create_db_client(hung.url, auth_token="t", timeout=1.0) as db:
            started = time.monotonic()
            with pytest.raises(Timeout, match="did not answer within 1 s"):
                db.execute("SELECT 1")
            elapsed = time.monotonic() - started
        assert 0.9 <= elapsed < 5
        assert ticks > 100  # the application's other threads kept running meanwhile
        with pytest.raises(Timeout):
            create_db_client(
                f"file:{tmp_path}/replica.db", sync_url=hung.url, auth_token="t", timeout=1.0
            )
    finally:
        stop.set()
        counter.join()
        hung.close()


_SELECT_1 = {
    "baton": None,
    "requests": [{"type": "execute", "stmt": {"sql": "SELECT 1"}}, {"type": "close"}],
}


async def test_an_async_write_never_goes_into_a_connection_the_server_closed(
    server: Sqld,
) -> None:
    """The server's close of an idle kept-alive connection is seen even when the event
    loop has had no turn since (a call that finds a free slot does not wait for one), so
    a write is not sent into it, where it would be lost as "may have been applied"."""
    pool = AsyncHttpPool(http_base_url(server.url), server.token(), timeout=2.0, size=2)
    try:
        await pool.post(_SELECT_1, idempotent=True)
        assert len(pool._idle) == 1  # kept alive
        server.kill()
        time.sleep(0.3)
        assert pool._take_idle() is None  # the socket itself says it was closed
        with pytest.raises(Unavailable, match="cannot reach"):
            await pool.post(_SELECT_1)
    finally:
        await pool.close()


# -- libsql_experimental pitfalls --------------------------------------------------------


@pytest.mark.parametrize("driver", ["sqlite3", "libsql"])
def test_a_read_never_leaves_a_cursor_open(tmp_path: Path, driver: str) -> None:
    """A half-read cursor would hold a read transaction and block writers elsewhere."""
    url = f"file:{tmp_path}/shared.db"
    with create_db_client(url, driver=driver, busy_timeout_ms=200) as reader:  # type: ignore[arg-type]
        reader.create_schema()
        workflows = WorkflowRepository(reader)
        workflows.create_many([NewWorkflow(type="t", user_id="u") for _ in range(3)])
        assert len(workflows.find_many(limit=1)) == 1
        with create_db_client(url, driver=driver, busy_timeout_ms=200) as writer:  # type: ignore[arg-type]
            WorkflowRepository(writer).create(NewWorkflow(type="t", user_id="w"))
            writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert workflows.count() == 4


def test_parameter_mistakes_are_refused_by_the_libsql_driver(tmp_path: Path) -> None:
    with create_db_client(f"file:{tmp_path}/p.db", driver="libsql") as db:
        with pytest.raises(DatabaseError, match="takes 2 parameters, 1 given"):
            db.execute("SELECT ?, ?", (1,))  # libsql would bind NULL for the missing one
        with pytest.raises(DatabaseError, match="named parameters are not supported"):
            db.execute("SELECT :name", (1,))
        assert db.execute("SELECT ?2, ?1, '?'", ("a", "b")) == [("b", "a", "?")]
        with pytest.raises(DatabaseError, match="not a mapping"):
            db.execute("SELECT ?", {"a": 1})  # type: ignore[arg-type]


def test_errors_are_never_swallowed_by_the_libsql_driver(tmp_path: Path) -> None:
    """Connection.executescript swallows errors: statements always run one by one."""
    from libsqlkit import Schema, connect
    from libsqlkit._migrate import MigrationError, apply_atomically

    with connect(Schema((), ()), f"file:{tmp_path}/s.db", driver="libsql") as db:

        def body() -> None:
            db.execute("CREATE TABLE kept (x integer)")
            db.execute("INSERT INTO missing VALUES (1)")

        with pytest.raises(DatabaseError, match="no such table: missing"):
            apply_atomically(db, "script", body)
        assert db.execute("SELECT name FROM sqlite_schema WHERE name = 'kept'") == []
        assert MigrationError.__mro__[1].__name__ == "LibsqlKitError"


# -- embedded replica semantics ----------------------------------------------------


def test_replica_reads_locally_and_reads_its_own_writes(server: Sqld, tmp_path: Path) -> None:
    with create_db_client(
        f"file:{tmp_path}/replica.db", sync_url=server.url, auth_token=server.token()
    ) as replica:
        replica.create_schema()
        workflows = WorkflowRepository(replica)
        created = workflows.create(NewWorkflow(type="t", user_id="u"))
        assert workflows.find_by_id(created.id) == created  # visible to the writer at once
        with create_db_client(server.url, auth_token=server.token()) as primary:
            assert WorkflowRepository(primary).find_by_id(created.id) == created
        server.stop()
        # Offline: local reads keep working ...
        assert workflows.find_by_id(created.id) == created
        assert workflows.count() == 1
        # ... writes fail clearly and nothing is half-done, sync fails clearly.
        with pytest.raises(Unavailable):
            workflows.create(NewWorkflow(type="t", user_id="offline"))
        with pytest.raises(Unavailable):
            replica.sync()
        assert workflows.count() == 1
        server.start()  # same folder, same port
        again = workflows.create(NewWorkflow(type="t", user_id="back"))
        replica.sync()
        assert {w.id for w in workflows.find_many()} == {created.id, again.id}


def test_replica_sync_bounded_when_the_server_hangs(server: Sqld, tmp_path: Path) -> None:
    with create_db_client(
        f"file:{tmp_path}/replica.db", sync_url=server.url, auth_token=server.token(), timeout=1.0
    ) as replica:
        replica.create_schema()
        assert WorkflowRepository(replica).count() == 0  # a read waits for the schema's pull
        server.stop()
        hung = HungServer(server.port)
        try:
            started = time.monotonic()
            with pytest.raises(Timeout):
                replica.sync()
            assert time.monotonic() - started < 5
            assert WorkflowRepository(replica).count() == 0  # local reads unaffected
        finally:
            hung.close()


def test_replica_writes_return_before_their_pull_and_every_later_read_sees_them(
    sqld_server: Sqld, tmp_path: Path
) -> None:
    """A write returns when the primary answers; the next read, by any caller, pulls
    the writes that returned before it began (one pull for a run of writes)."""
    reset_server(sqld_server)
    replica = create_db_client(
        f"file:{tmp_path}/replica.db", sync_url=sqld_server.url, auth_token=sqld_server.token()
    )
    replica.create_schema()
    repo = WorkflowRepository(replica)
    for round_ in range(5):
        created = [repo.create(NewWorkflow(type="t", user_id=f"r{round_}")).id for _ in range(10)]
        seen: list[int] = []
        reader = threading.Thread(
            target=lambda user, out: out.append(len(repo.find_by_user_id(user))),
            args=(f"r{round_}", seen),
        )
        reader.start()
        reader.join(10)
        assert seen == [10]
        assert repo.find_by_id(created[-1]) is not None
    repo.create(NewWorkflow(type="t", user_id="last"))
    started = time.monotonic()
    replica.close()  # with a pull owed: nothing waits for it
    assert time.monotonic() - started < 5
    with create_db_client(sqld_server.url, auth_token=sqld_server.token()) as primary:
        assert WorkflowRepository(primary).count() == 51


def test_replica_with_a_bad_token_is_an_auth_error(server: Sqld, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(AuthError):
        create_db_client(f"file:{tmp_path}/replica.db", sync_url=server.url, auth_token="not-a-jwt")
    assert time.monotonic() - started < 5  # not a handshake timeout


def test_background_interval_keeps_the_replica_fresh(server: Sqld, tmp_path: Path) -> None:
    with create_db_client(server.url, auth_token=server.token()) as primary:
        primary.create_schema()
        with create_db_client(
            f"file:{tmp_path}/replica.db",
            sync_url=server.url,
            auth_token=server.token(),
            sync_interval=1,
        ) as replica:
            written = WorkflowRepository(primary).create(NewWorkflow(type="t", user_id="elsewhere"))
            started = time.monotonic()
            while WorkflowRepository(replica).find_by_id(written.id) is None:
                assert time.monotonic() - started < 10, "the replica never caught up"
                time.sleep(0.05)
            lag = time.monotonic() - started
    assert lag <= 3  # one interval (1 s) plus slack


# -- round trips -----------------------------------------------------------------------


def test_one_round_trip_per_repository_call(remote: DbClient) -> None:
    workflows = WorkflowRepository(remote)
    before = _round_trips(remote)
    created = workflows.create(NewWorkflow(type="t", user_id="u"))
    workflows.find_by_id(created.id)
    workflows.update_status(created.id, "COMPLETED")
    workflows.find_by_user_id("u")
    assert _round_trips(remote) - before == 4
    before = _round_trips(remote)
    assert workflows.create_many([NewWorkflow(type="t", user_id=f"m{i}") for i in range(50)]) == 50
    assert _round_trips(remote) - before == 1


def test_batch_is_one_round_trip_and_all_or_nothing(remote: DbClient) -> None:
    insert = "INSERT INTO user_settings (id, user_id, created_at, updated_at) VALUES (?, ?, 0, 0)"
    before = _round_trips(remote)
    results = remote.batch(
        [(insert, ("a", "u1")), (insert, ("b", "u2")), ("SELECT count(*) FROM user_settings", ())]
    )
    assert results[2] == [(2,)]
    assert _round_trips(remote) - before == 1
    with pytest.raises(UniqueViolation):
        remote.batch([(insert, ("c", "u3")), (insert, ("d", "u1"))])
    assert remote.execute("SELECT count(*) FROM user_settings") == [(2,)]


def test_transactions_over_http(remote: DbClient) -> None:
    workflows = WorkflowRepository(remote)
    with pytest.raises(RuntimeError), remote.transaction():
        workflows.create(NewWorkflow(type="t", user_id="u"))
        raise RuntimeError("boom")
    before = _round_trips(remote)
    with remote.transaction():
        workflows.create(NewWorkflow(type="t", user_id="u"))
        workflows.create(NewWorkflow(type="t", user_id="u"))
    assert _round_trips(remote) - before == 3  # BEGIN travels with the first statement
    assert workflows.count() == 2


# -- migrations in every mode ------------------------------------------------------


@pytest.mark.parametrize("mode", ["remote", "replica"])
def test_migrations_apply_and_roll_back_on_a_server(
    server: Sqld, tmp_path: Path, mode: str
) -> None:
    from libsqlkit import Schema, connect
    from libsqlkit._migrate import Migrator

    root = Path(__file__).parent.parent / "migrations"
    url = server.url if mode == "remote" else f"file:{tmp_path}/replica.db"
    sync_url = None if mode == "remote" else server.url
    with connect(Schema((), ()), url, sync_url=sync_url, auth_token=server.token()) as db:
        migrator = Migrator(db, root)
        every = [entry.name for entry in migrator.folder.entries]
        assert [a.name for a in migrator.migrate()] == every
        assert migrator.drift() == []
        assert migrator.migrate() == []
        migrator.rollback(len(every), force=True)
        assert [n for n, _ in migrator.applied()] == []
        assert "workflows" not in {n for (n,) in db.execute("SELECT name FROM sqlite_schema")}


@pytest.mark.parametrize("mode", ["remote", "replica"])
def test_a_rebuild_on_a_server_cascades_into_no_child_table(
    server: Sqld, tmp_path: Path, mode: str
) -> None:
    """sqld enforces foreign keys on every HTTP stream: the rebuild's foreign-keys-off
    must open the stream its transaction runs on, or DROP TABLE deletes the children."""
    from libsqlkit import connect
    from tests.migration_kit import EMPTY, Project, pk

    project = Project(tmp_path)
    project.db.close()
    url = server.url if mode == "remote" else f"file:{tmp_path}/replica.db"
    sync_url = None if mode == "remote" else server.url
    project.db = connect(EMPTY, url, sync_url=sync_url, auth_token=server.token())
    parents: dict[str, Any] = {"columns": {"id": pk(), "name": {"type": "text"}}}
    children = {
        "columns": {
            "id": pk(),
            "parent_id": {
                "type": "text",
                "references": {"table": "parents", "column": "id", "on_delete": "cascade"},
            },
        }
    }
    project.migration({"parents": parents, "children": children}, "init")
    project.migrator().migrate()
    project.db.execute("INSERT INTO parents (id, name) VALUES ('p1', 'x')")
    project.db.execute("INSERT INTO children (id, parent_id) VALUES ('c1', 'p1')")
    parents["columns"]["name"] = {"type": "text", "not_null": True, "default": "-"}
    plan = project.migration({"parents": parents, "children": children}, "rebuild")
    assert plan is not None and plan.rebuilt == ["parents"]
    project.migrator().migrate()
    assert project.db.execute("SELECT id, parent_id FROM children") == [("c1", "p1")]
    project.db.close()
