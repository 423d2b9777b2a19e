"""Migrations on real files: generate, migrate, rollback, push, check, data migrations."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main as codegen_main
from libsqlkit import connect
from libsqlkit._migrate import DataLossError, MigrationError, Migrator
from tests.migration_kit import EMPTY, Project, pk

ROOT = Path(__file__).parent.parent

USERS: dict[str, Any] = {
    "users": {"columns": {"id": pk(), "name": {"type": "text", "not_null": True}}}
}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project(tmp_path)
    p.migration(USERS, "init")
    p.migrator().migrate()
    p.db.execute("INSERT INTO users (id, name) VALUES ('u1', 'Ann'), ('u2', 'Bo')")
    return p


def _with(columns: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"users": {"columns": {**USERS["users"]["columns"], **columns}, **extra}}


def test_the_design_schema_migration_matches_create_schema(tmp_path: Path) -> None:
    from generated.client import create_db_client

    with create_db_client(f"file:{tmp_path}/created.db") as created:
        created.create_schema()
        by_create = Migrator(created, ROOT / "migrations")
        assert by_create.migrate() == []  # baselined: the schema is exactly the latest
        assert by_create.drift() == []
    with connect(EMPTY, f"file:{tmp_path}/migrated.db") as migrated:
        by_migrate = Migrator(migrated, ROOT / "migrations")
        assert [a.name for a in by_migrate.migrate()] == [
            "0000_init",
            "0001_offline_sync",
            "0002_field_level_sync",
        ]
        assert by_migrate.drift() == []


def test_no_change_writes_nothing(project: Project) -> None:
    assert project.migration(USERS, "again") is None
    assert [e.name for e in project.migrator().folder.entries] == ["0000_init"]


def test_add_nullable_and_defaulted_columns_with_plain_alter(project: Project) -> None:
    plan = project.migration(
        _with(
            {"bio": {"type": "text"}, "score": {"type": "integer", "not_null": True, "default": 0}}
        ),
        "add",
    )
    assert plan is not None and not plan.rebuilt
    assert all(s.startswith("ALTER TABLE `users` ADD COLUMN") for s in plan.statements)
    project.migrator().migrate()
    assert project.live() == project.expected()
    assert project.rows("users") == [("u1", "Ann", None, 0), ("u2", "Bo", None, 0)]


def test_rename_add_and_rebuild_in_one_migration_keep_every_value(project: Project) -> None:
    """drizzle-kit 0.31 copies columns that do not exist yet here (#5822, #5587, #3653)."""
    tables = {
        "people": {
            "renamed_from": "users",
            "columns": {
                "id": pk(),
                "full_name": {"type": "text", "not_null": True, "renamed_from": "name"},
                "age": {"type": "integer", "not_null": True, "default": 18},
                "kind": {"type": "text", "not_null": True, "enum": ["a", "b"], "default": "a"},
            },
        }
    }
    plan = project.migration(tables, "reshape")
    assert plan is not None and plan.rebuilt == ["people"]
    project.migrator().migrate()
    assert project.live() == project.expected()
    assert project.rows("people") == [("u1", "Ann", 18, "a"), ("u2", "Bo", 18, "a")]
    project.migrator().rollback(force=True)
    assert project.rows("users") == [("u1", "Ann"), ("u2", "Bo")]
    project.migrator().migrate()
    assert project.rows("people") == [("u1", "Ann", 18, "a"), ("u2", "Bo", 18, "a")]


def test_a_rebuild_never_cascades_into_child_tables(project: Project) -> None:
    """drizzle's migrator sets foreign_keys=OFF inside the transaction, where it is
    ignored, and DROP TABLE of the parent deleted the children (#5782)."""
    posts = {
        "posts": {
            "columns": {
                "id": pk(),
                "user_id": {
                    "type": "text",
                    "references": {"table": "users", "column": "id", "on_delete": "cascade"},
                },
            }
        }
    }
    project.migration({**USERS, **posts}, "posts")
    project.migrator().migrate()
    project.db.execute("INSERT INTO posts VALUES ('p1', 'u1'), ('p2', 'u2')")
    plan = project.migration(
        {**_with({"name": {"type": "integer", "not_null": True}}), **posts}, "retype"
    )
    assert plan is not None and plan.rebuilt == ["users"]
    project.migrator().migrate()
    assert project.rows("posts") == [("p1", "u1"), ("p2", "u2")]
    assert project.db.execute("PRAGMA foreign_keys") == [(1,)]


def test_not_null_without_default_on_a_table_with_rows_fails_cleanly(project: Project) -> None:
    project.migration(_with({"email": {"type": "text", "not_null": True}}), "email")
    with pytest.raises(MigrationError) as caught:
        project.migrator().migrate()
    message = str(caught.value)
    assert "0001_email failed at" in message and "cannot be added to a table with rows" in message
    assert caught.value.migration == "0001_email" and caught.value.statement is not None
    assert project.rows("users") == [("u1", "Ann"), ("u2", "Bo")]
    assert [n for n, _ in project.migrator().applied()] == ["0000_init"]


def _nullable_email(project: Project) -> None:
    project.migration(_with({"email": {"type": "text"}}), "email")
    project.migrator().migrate()
    project.db.execute("UPDATE users SET email = 'bo@example.com' WHERE id = 'u2'")


def test_a_column_made_not_null_with_a_default_fills_its_nulls_with_it(project: Project) -> None:
    """The rebuild copies NULLs as the new default (a plain copy would fail on them)."""
    _nullable_email(project)
    plan = project.migration(
        _with({"email": {"type": "text", "not_null": True, "default": "none"}}), "required"
    )
    assert plan is not None and plan.rebuilt == ["users"]
    project.migrator().migrate()
    assert project.rows("users") == [("u1", "Ann", "none"), ("u2", "Bo", "bo@example.com")]


def test_a_column_made_not_null_over_nulls_without_a_default_fails_saying_so(
    project: Project,
) -> None:
    _nullable_email(project)
    project.migration(_with({"email": {"type": "text", "not_null": True}}), "required")
    with pytest.raises(MigrationError, match="fill in its NULLs") as caught:
        project.migrator().migrate()
    assert "users.email" in str(caught.value) and "cannot be added" not in str(caught.value)
    assert project.rows("users") == [("u1", "Ann", None), ("u2", "Bo", "bo@example.com")]


def test_a_unique_column_made_not_null_over_several_nulls_fails_saying_why(
    project: Project,
) -> None:
    """Two NULLs given the same default break the column's unique constraint: the
    migration fails, says why, and changes nothing."""
    project.migration(_with({"email": {"type": "text", "unique": True}}), "email")
    project.migrator().migrate()
    project.migration(
        _with({"email": {"type": "text", "unique": True, "not_null": True, "default": "none"}}),
        "required",
    )
    with pytest.raises(MigrationError, match="the schema now wants it unique"):
        project.migrator().migrate()
    assert project.rows("users") == [("u1", "Ann", None), ("u2", "Bo", None)]


def test_index_unique_and_drop_column(project: Project) -> None:
    project.migration(
        _with(
            {"nick": {"type": "text", "unique": True}},
            indexes={"idx_users_name": {"columns": ["name"]}},
        ),
        "index",
    )
    project.migrator().migrate()
    assert project.live() == project.expected()
    project.migration(USERS, "drop_nick")
    project.migrator().migrate()
    assert project.live() == project.expected()
    assert project.rows("users") == [("u1", "Ann"), ("u2", "Bo")]


def test_rollback_refuses_to_lose_data_unless_forced(project: Project) -> None:
    project.migration(_with({"bio": {"type": "text"}}), "bio")
    project.migrator().migrate()
    project.db.execute("UPDATE users SET bio = 'hi' WHERE id = 'u1'")
    with pytest.raises(MigrationError, match=r"users\.bio would be dropped: 1 rows hold a value"):
        project.migrator().rollback()
    assert project.rows("users")[0] == ("u1", "Ann", "hi")
    done = project.migrator().rollback(force=True)
    assert [d.name for d in done] == ["0001_bio"]
    assert project.live() == project.expected()
    assert project.rows("users") == [("u1", "Ann"), ("u2", "Bo")]


TAGS: dict[str, Any] = {"tags": {"columns": {"id": pk()}}}


def test_rollback_runs_without_force_when_nothing_would_be_lost(project: Project) -> None:
    """An empty table, a column holding only NULLs, a retyped column holding only NULLs:
    dropping or converting them loses nothing, so no FORCE is asked for."""
    project.migration({**_with({"bio": {"type": "text"}}), **TAGS}, "bio_and_tags")
    project.migration({**_with({"bio": {"type": "integer"}}), **TAGS}, "retype_bio")
    project.migrator().migrate()
    done = project.migrator().rollback(2)
    assert [d.name for d in done] == ["0002_retype_bio", "0001_bio_and_tags"]
    assert project.live() == project.expected()
    assert project.rows("users") == [("u1", "Ann"), ("u2", "Bo")]
    project.db.execute("DELETE FROM users")
    assert [d.name for d in project.migrator().rollback()] == ["0000_init"]
    assert project.db.execute("SELECT name FROM sqlite_schema WHERE name = 'users'") == []


def test_rollback_refuses_only_real_losses_and_counts_them(project: Project) -> None:
    project.migration({**_with({"bio": {"type": "text"}}), **TAGS}, "bio_and_tags")
    project.migration({**_with({"bio": {"type": "integer"}}), **TAGS}, "retype_bio")
    project.migrator().migrate()
    project.db.execute("UPDATE users SET bio = 7 WHERE id = 'u1'")
    with pytest.raises(DataLossError) as caught:
        project.migrator().rollback()
    assert caught.value.migration == "0002_retype_bio"
    assert caught.value.losses == (
        "column users.bio would be converted to another type: 1 rows hold a value",
    )
    assert str(caught.value) == (
        "rolling back 0002_retype_bio would lose data, so it stays applied:\n"
        "  column users.bio would be converted to another type: 1 rows hold a value\n"
        "run it with --force (libsqlkit rollback --force) to roll back anyway"
    )
    project.migrator().rollback(force=True)
    with pytest.raises(DataLossError) as caught:
        project.migrator().rollback()  # tags is empty: only bio's value is at stake
    assert caught.value.losses == ("column users.bio would be dropped: 1 rows hold a value",)
    project.db.execute("INSERT INTO tags (id) VALUES ('t1'), ('t2')")
    project.db.execute("UPDATE users SET bio = NULL")
    with pytest.raises(DataLossError) as caught:
        project.migrator().rollback()
    assert caught.value.losses == ("table tags would be dropped with its 2 rows",)
    assert [n for n, _ in project.migrator().applied()] == ["0000_init", "0001_bio_and_tags"]
    assert project.rows("tags") == [("t1",), ("t2",)]


def test_a_refusal_counts_under_the_names_the_database_has_before_renames(
    project: Project,
) -> None:
    """The reverse renames people back to users before it drops and converts columns:
    what is at stake is counted in people, where the rows are (not in users: no such table)."""
    people = {
        "people": {
            "renamed_from": "users",
            "columns": {
                "id": pk(),
                "full_name": {"type": "integer", "not_null": True, "renamed_from": "name"},
                "age": {"type": "integer", "not_null": True, "default": 18},
            },
        }
    }
    project.migration(people, "reshape")
    project.migrator().migrate()
    with pytest.raises(DataLossError) as caught:
        project.migrator().rollback()
    assert sorted(caught.value.losses) == [
        "column people.age would be dropped: 2 rows hold a value",
        "column people.full_name would be converted to another type: 2 rows hold a value",
    ]
    assert project.rows("people") == [("u1", "Ann", 18), ("u2", "Bo", 18)]


def test_rollback_of_several_steps(project: Project) -> None:
    project.migration(_with({"a": {"type": "text"}}), "a")
    project.migration(_with({"a": {"type": "text"}, "b": {"type": "text"}}), "b")
    project.migrator().migrate()
    project.migrator().rollback(2, force=True)
    assert [n for n, _ in project.migrator().applied()] == ["0000_init"]
    assert project.live() == project.expected()


def test_applied_migration_edited_afterwards_is_refused(project: Project) -> None:
    up = project.migrations / "0000_init" / "up.sql"
    up.write_text(up.read_text() + "\n-- edited\n")
    with pytest.raises(MigrationError, match="0000_init: its files changed after it was generated"):
        project.migrator().migrate()


def test_snapshot_edited_by_hand_is_reported(project: Project) -> None:
    snapshot = project.migrations / "0000_init" / "snapshot.json"
    snapshot.write_text(snapshot.read_text().replace('"name"', '"label"'))
    assert any("changed after it was generated" in p for p in project.migrator().folder.problems())


def test_deleted_migration_and_newer_database(project: Project) -> None:
    project.migration(_with({"bio": {"type": "text"}}), "bio")
    project.migrator().migrate()
    journal = project.migrations / "journal.json"
    data = json.loads(journal.read_text())
    data["migrations"].pop()
    journal.write_text(json.dumps(data))
    with pytest.raises(MigrationError, match=r"journal\.json does not list"):
        project.migrator().migrate()
    shutil.rmtree(project.migrations / "0001_bio")
    with pytest.raises(MigrationError, match="newer than this code"):
        project.migrator().migrate()


def test_failing_statement_leaves_the_database_as_before(project: Project) -> None:
    project.migration(_with({"bio": {"type": "text"}}), "bio")
    up = project.migrations / "0001_bio" / "up.sql"
    up.write_text(up.read_text() + "--> statement-breakpoint\nINSERT INTO nowhere VALUES (1);\n")
    journal = project.migrations / "journal.json"
    data = json.loads(journal.read_text())
    data["migrations"][-1]["sha256"] = project.migrator().folder.entries[-1].actual_sha256()
    journal.write_text(json.dumps(data))
    with pytest.raises(MigrationError, match="no such table: nowhere") as caught:
        project.migrator().migrate()
    assert caught.value.statement == "INSERT INTO nowhere VALUES (1);"
    assert project.live() == project.expected()  # no bio column: all or nothing
    assert [n for n, _ in project.migrator().applied()] == ["0000_init"]


def test_two_migrators_at_once_apply_each_migration_once(project: Project, tmp_path: Path) -> None:
    project.migration(_with({"bio": {"type": "text"}}), "bio")
    project.migration(_with({"bio": {"type": "text"}, "age": {"type": "integer"}}), "age")
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with connect(EMPTY, f"file:{tmp_path}/app.db", busy_timeout_ms=30_000) as db:
                results.append([a.name for a in Migrator(db, project.migrations).migrate()])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(name for result in results for name in result) == ["0001_bio", "0002_age"]
    assert [n for n, _ in project.migrator().applied()] == ["0000_init", "0001_bio", "0002_age"]


def test_data_migrations_sql_and_python(project: Project) -> None:
    from codegen.migrations import new_data_migration

    sql = new_data_migration(project.migrations, "shout", python=False)
    (sql / "up.sql").write_text("UPDATE users SET name = upper(name);\n")
    (sql / "down.sql").write_text("UPDATE users SET name = lower(name);\n")
    script = new_data_migration(project.migrations, "suffix", python=True)
    (script / "migration.py").write_text(
        "def up(db):\n    db.execute(\"UPDATE users SET name = name || '!'\")\n\n"
        "def down(db):\n    db.execute(\"UPDATE users SET name = rtrim(name, '!')\")\n"
    )
    project.migrator().migrate()
    assert project.rows("users") == [("u1", "ANN!"), ("u2", "BO!")]
    project.migrator().rollback(2)
    assert project.rows("users") == [("u1", "ann"), ("u2", "bo")]
    project.migrator().migrate()
    (script / "migration.py").write_text("def up(db):\n    pass\n")
    with pytest.raises(MigrationError, match="0002_suffix was changed after it was applied"):
        project.migrator().migrate()


def test_baseline_of_a_database_created_before_migrations(tmp_path: Path) -> None:
    from generated.client import create_db_client

    with create_db_client(f"file:{tmp_path}/old.db") as db:
        db.create_schema()
        migrator = Migrator(db, ROOT / "migrations")
        assert migrator.migrate() == []
        assert [n for n, _ in migrator.applied()] == [
            "0000_init",
            "0001_offline_sync",
            "0002_field_level_sync",
        ]


def test_push_creates_and_refuses_silent_losses(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_schema(_with({"bio": {"type": "text"}}))
    args = ["--schema", str(project.schema_path), "push", "--url", f"file:{project.folder}/app.db"]
    assert codegen_main(args) == 0
    assert project.rows("users") == [("u1", "Ann", None), ("u2", "Bo", None)]
    project.write_schema({"other": {"columns": {"id": pk()}}})
    assert codegen_main(args) == 1
    err = capsys.readouterr().err
    assert "table users would be dropped with its 2 rows" in err and "nothing was changed" in err
    assert len(project.rows("users")) == 2
    project.write_schema(
        _with({"bio": {"type": "text"}, "email": {"type": "text", "not_null": True}})
    )
    assert codegen_main(args) == 1  # the rebuild cannot fill email: refused, no row deleted
    err = capsys.readouterr().err
    assert "users.email is NOT NULL without a default" in err and "nothing was changed" in err
    assert len(project.rows("users")) == 2
    project.write_schema({"other": {"columns": {"id": pk()}}})
    assert codegen_main([*args, "--force"]) == 0
    assert project.db.execute("SELECT name FROM sqlite_schema WHERE name = 'users'") == []


def test_push_drops_what_is_empty_without_force(project: Project) -> None:
    """The rule of rollback: an empty table and a column of NULLs lose nothing."""
    args = ["--schema", str(project.schema_path), "push", "--url", project.url]
    project.write_schema({**_with({"bio": {"type": "text"}}), **TAGS})
    assert codegen_main(args) == 0
    project.write_schema(USERS)
    assert codegen_main(args) == 0
    assert project.live() == project.expected()
    assert project.rows("users") == [("u1", "Ann"), ("u2", "Bo")]


def test_check_reports_schema_changes_and_database_drift(
    project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base = [
        "--schema",
        str(project.schema_path),
        "--migrations",
        str(project.migrations),
        "--out",
        str(tmp_path / "out"),
    ]
    assert codegen_main([*base, "generate"]) == 0
    assert codegen_main([*base, "check", "--db", "--url", f"file:{project.folder}/app.db"]) == 0
    project.write_schema(_with({"bio": {"type": "text"}}))
    codegen_main([*base, "generate"])
    assert codegen_main([*base, "check"]) == 1
    assert "changed since the last migration" in capsys.readouterr().err
    project.write_schema(USERS)
    codegen_main([*base, "generate"])
    project.db.execute("ALTER TABLE users ADD COLUMN sneaky text")
    assert codegen_main([*base, "check", "--db", "--url", f"file:{project.folder}/app.db"]) == 1
    assert "users.sneaky is not in the schema" in capsys.readouterr().err


def test_migrate_command_reports_durations(project: Project) -> None:
    project.migration(_with({"bio": {"type": "text"}}), "bio")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "libsqlkit",
            "--migrations",
            str(project.migrations),
            "--url",
            f"file:{project.folder}/app.db",
            "migrate",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("applied 0001_bio in ") and result.stdout.rstrip().endswith(
        " ms"
    )


# -- sync: true (the change log of offline sync) -------------------------------------


def _log(project: Project) -> list[tuple[Any, ...]]:
    return project.db.execute("SELECT tbl, pk, deleted FROM __libsqlkit_sync_rows ORDER BY pk")


def _triggers(project: Project) -> list[str]:
    rows = project.db.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
    return sorted(name for (name,) in rows)


def test_starting_to_sync_a_table_versions_its_existing_rows(project: Project) -> None:
    plan = project.migration({"users": {**USERS["users"], "sync": True}}, "sync_users")
    assert plan is not None and not plan.rebuilt and not plan.losses
    project.migrator().migrate()
    assert project.live() == project.expected()
    assert _triggers(project) == [
        "__libsqlkit_users_delete",
        "__libsqlkit_users_insert",
        "__libsqlkit_users_update",
    ]
    assert _log(project) == [("users", "u1", 0), ("users", "u2", 0)]
    project.db.execute("DELETE FROM users WHERE id = 'u1'")
    assert _log(project) == [("users", "u1", 1), ("users", "u2", 0)]


def test_a_rebuild_of_a_synced_table_keeps_its_triggers_and_log(project: Project) -> None:
    synced = {**USERS["users"], "sync": True}
    project.migration({"users": synced}, "sync_users")
    project.migrator().migrate()
    versions = project.db.execute("SELECT pk, hlc FROM __libsqlkit_sync_rows ORDER BY pk")
    columns = {**synced["columns"], "name": {"type": "text"}}  # drop NOT NULL: a rebuild
    plan = project.migration({"users": {**synced, "columns": columns}}, "nullable")
    assert plan is not None and plan.rebuilt == ["users"]
    project.migrator().migrate()
    assert project.live() == project.expected()
    assert len(_triggers(project)) == 3
    # The copy made by the rebuild is not a write: versions are unchanged.
    assert project.db.execute("SELECT pk, hlc FROM __libsqlkit_sync_rows ORDER BY pk") == versions
    project.db.execute("UPDATE users SET name = NULL WHERE id = 'u2'")
    assert project.db.execute("SELECT hlc FROM __libsqlkit_sync_rows WHERE pk = 'u2'") != [
        versions[1][1:]
    ]


def test_renaming_a_synced_table_moves_its_log_and_stopping_removes_it(project: Project) -> None:
    project.migration({"users": {**USERS["users"], "sync": True}}, "sync_users")
    project.migrator().migrate()
    project.migration({"people": {**USERS["users"], "sync": True, "renamed_from": "users"}}, "mv")
    project.migrator().migrate()
    assert project.live() == project.expected()
    assert _triggers(project) == [
        "__libsqlkit_people_delete",
        "__libsqlkit_people_insert",
        "__libsqlkit_people_update",
    ]
    assert _log(project) == [("people", "u1", 0), ("people", "u2", 0)]

    project.migration({"people": USERS["users"]}, "stop_syncing")
    project.migrator().migrate()
    assert project.live() == project.expected()
    assert _triggers(project) == [] and _log(project) == []
    project.migrator().rollback()  # syncing again: the rows are versioned anew
    assert len(_triggers(project)) == 3 and len(_log(project)) == 2
