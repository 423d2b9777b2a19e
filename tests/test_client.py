"""create_db_client(): URLs, environment, defaults, and the schema push for empty files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generated.client import app_database_url, create_db_client
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from libsqlkit import Busy, ConfigurationError, DatabaseError, SchemaStateError

SECRET = "eyJ-very-secret-token"


def test_missing_url_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TURSO_DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="TURSO_DATABASE_URL is required"):
        create_db_client()


def test_url_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TURSO_DATABASE_URL", f"file:{tmp_path}/env.db")
    with create_db_client() as db:
        assert db.url == f"file:{tmp_path}/env.db"
        db.create_schema()
    assert (tmp_path / "env.db").is_file()


def test_argument_overrides_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TURSO_DATABASE_URL", f"file:{tmp_path}/env.db")
    with create_db_client(f"file:{tmp_path}/arg.db") as db:
        db.create_schema()
    assert (tmp_path / "arg.db").is_file()
    assert not (tmp_path / "env.db").exists()


def test_relative_url_creates_the_parent_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    with create_db_client("file:./data/local.db") as db:
        db.create_schema()
    assert (tmp_path / "data" / "local.db").is_file()


@pytest.mark.parametrize("form", ["file:{path}", "file://{path}", "file://localhost{path}"])
def test_absolute_url_forms(tmp_path: Path, form: str) -> None:
    path = tmp_path / "nested" / "abs.db"
    with create_db_client(form.format(path=path)) as db:
        db.create_schema()
    assert path.is_file()


def test_in_memory_database() -> None:
    with create_db_client("file::memory:") as db:
        assert db.create_schema() is True
        assert WorkflowRepository(db).count() == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres://db.example.com/app", "unsupported database URL scheme 'postgres'"),
        ("./data/local.db", "unsupported database URL scheme './data/local.db'"),
        ("libsql://db.example.com/some/path", "take no path"),
        ("file:", "has no path"),
        ("file:x.db?mode=ro", "take no query"),
        ("file://otherhost/x.db", "must name a local path"),
    ],
)
def test_bad_urls_get_a_clear_error(url: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        create_db_client(url)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="names a folder"):
        create_db_client(f"file:{tmp_path}")


def test_unknown_driver() -> None:
    with pytest.raises(ConfigurationError, match="unknown driver 'postgres'"):
        create_db_client("file::memory:", driver="postgres")  # type: ignore[arg-type]


def test_file_urls_never_use_the_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TURSO_AUTH_TOKEN", SECRET)
    with create_db_client(f"file:{tmp_path}/t.db", auth_token=SECRET) as db:
        assert SECRET not in repr(db)
        assert SECRET not in repr(WorkflowRepository(db))
        assert all(SECRET not in repr(value) for value in vars(db).values())


def test_wal_and_busy_timeout_are_on(tmp_path: Path) -> None:
    for driver in ("sqlite3", "libsql"):
        with create_db_client(f"file:{tmp_path}/{driver}.db", driver=driver) as db:
            assert db.execute("PRAGMA journal_mode") == [("wal",)]
            assert db.execute("PRAGMA busy_timeout") == [(5000,)]
            assert db.execute("PRAGMA foreign_keys") == [(1,)]


def test_wal_can_be_turned_off(tmp_path: Path) -> None:
    with create_db_client(f"file:{tmp_path}/plain.db", wal=False) as db:
        assert db.execute("PRAGMA journal_mode") == [("delete",)]


def test_app_database_url_uses_the_platform_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    url = app_database_url("WorkflowDesk")
    assert url == f"file:{tmp_path}/xdg/WorkflowDesk/app.db"
    with create_db_client(url) as db:
        db.create_schema()
    assert (tmp_path / "xdg" / "WorkflowDesk" / "app.db").is_file()
    with pytest.raises(ConfigurationError):
        app_database_url("../escape")


def test_create_schema_is_idempotent_and_refuses_partial_schemas(tmp_path: Path) -> None:
    path = tmp_path / "partial.db"
    with create_db_client(f"file:{path}") as db:
        assert db.create_schema() is True
        assert db.create_schema() is False
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TABLE sync_metadata")
    with (
        create_db_client(f"file:{path}") as db,
        pytest.raises(SchemaStateError, match="sync_metadata"),
    ):
        db.create_schema()


def test_the_schema_matches_the_generated_ddl_file(tmp_path: Path) -> None:
    """generated/schema.sql and the DDL inside generated/tables.py build the same database."""
    text = (Path(__file__).parent.parent / "generated" / "schema.sql").read_text(encoding="utf-8")
    by_file = sqlite3.connect(tmp_path / "a.db")
    for statement in text.split("--> statement-breakpoint"):
        by_file.execute(statement)
    with create_db_client(f"file:{tmp_path}/b.db") as db:
        db.create_schema()
        from_client = db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name"
        )
    assert (
        by_file.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name"
        ).fetchall()
        == from_client
    )


def _state(path: Path) -> tuple[bytes | None, list[str]]:
    """A file's bytes and its folder's listing: what a failed open must not change."""
    data = path.read_bytes() if path.is_file() else None
    return data, sorted(p.name for p in path.parent.iterdir())


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder read-only, for root too (chattr +i), and undo it after."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)


def _database_file(path: Path) -> Path:
    with create_db_client(f"file:{path}") as db:
        db.create_schema()
        WorkflowRepository(db).create(NewWorkflow(type="t", user_id="u"))
    return path


@pytest.mark.parametrize("driver", ["sqlite3", "libsql"])
@pytest.mark.parametrize("kind", ["text file", "truncated database", "random bytes"])
def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_was(
    tmp_path: Path, driver: str, kind: str
) -> None:
    path = tmp_path / "app.db"
    if kind == "text file":
        path.write_text("name,amount\nfirst,1\n" * 20)
    elif kind == "truncated database":
        whole = _database_file(tmp_path / "whole.db").read_bytes()
        path.write_bytes(whole[:3000])
    else:
        path.write_bytes(bytes(range(256)) * 16)
    before = _state(path)
    with pytest.raises(DatabaseError, match=f"cannot open file:{path} as a database"):
        create_db_client(f"file:{path}", driver=driver)  # type: ignore[arg-type]
    assert _state(path) == before


@pytest.mark.parametrize("driver", ["sqlite3", "libsql"])
def test_dev_null_is_refused_with_a_typed_error(driver: str) -> None:
    with pytest.raises(DatabaseError, match="cannot open file:/dev/null as a database"):
        create_db_client("file:/dev/null", driver=driver)  # type: ignore[arg-type]


@pytest.mark.parametrize("driver", ["sqlite3", "libsql"])
def test_a_read_only_file_reads_and_refuses_writes_with_a_typed_error(
    tmp_path: Path, driver: str
) -> None:
    path = _database_file(tmp_path / "app.db")
    with read_only(path), create_db_client(f"file:{path}", driver=driver) as db:  # type: ignore[arg-type]
        workflows = WorkflowRepository(db)
        assert workflows.count() == 1
        with pytest.raises(DatabaseError, match="readonly"):
            workflows.create(NewWorkflow(type="t", user_id="u"))
    with create_db_client(f"file:{path}") as db:
        assert WorkflowRepository(db).count() == 1


@pytest.mark.parametrize("driver", ["sqlite3", "libsql"])
@pytest.mark.parametrize("name", ["existing.db", "new.db"])
def test_a_read_only_folder_is_refused_with_a_typed_error_and_left_as_it_was(
    tmp_path: Path, driver: str, name: str
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    _database_file(folder / "existing.db")
    path = folder / name
    with read_only(folder):
        before = _state(path)
        with pytest.raises(DatabaseError, match="cannot open"):
            create_db_client(f"file:{path}", driver=driver)  # type: ignore[arg-type]
        assert _state(path) == before


def test_a_writer_waiting_longer_than_the_busy_timeout_gets_busy(tmp_path: Path) -> None:
    """A migration or long transaction holds the write lock: the waiting writer's error
    says so and how to wait longer; nothing of its write is done."""
    path = tmp_path / "busy.db"
    with create_db_client(f"file:{path}") as db:
        db.create_schema()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with (
            create_db_client(f"file:{path}", busy_timeout_ms=100) as db,
            pytest.raises(Busy, match="busy_timeout_ms"),
        ):
            WorkflowRepository(db).create(NewWorkflow(type="t", user_id="u"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with create_db_client(f"file:{path}") as db:
        assert WorkflowRepository(db).count() == 0
