"""create_db_client(): URLs, environment, defaults, and the schema push for empty files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from generated.client import app_database_url, create_db_client
from generated.repositories import WorkflowRepository
from libsqlkit import ConfigurationError, SchemaStateError

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
