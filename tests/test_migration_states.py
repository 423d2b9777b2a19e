"""`status` and `check --db` agree on every state of a database, on a file and on sqld;
every command names a missing migrations folder as such, with the path it looked at."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main as codegen_main
from libsqlkit.__main__ import main as libsqlkit_main
from libsqlkit._migrate import DataLossError, split_statements
from tests.conftest import reset_server
from tests.migration_kit import Project, pk
from tests.sqld import Sqld

ROOT = Path(__file__).parent.parent
USERS: dict[str, Any] = {
    "users": {"columns": {"id": pk(), "name": {"type": "text", "not_null": True}}}
}
BIO: dict[str, Any] = {
    "users": {"columns": {**USERS["users"]["columns"], "bio": {"type": "text"}}},
    "tags": {"columns": {"id": pk()}},
}


@pytest.fixture(params=["file", "sqld"])
def project(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Project]:
    """A project whose database is a local file, or a real sqld (token in the environment,
    as the commands read it)."""
    if request.param == "file":
        made = Project(tmp_path)
    else:
        server: Sqld = request.getfixturevalue("sqld_server")
        reset_server(server)
        monkeypatch.setenv("TURSO_AUTH_TOKEN", server.token())
        made = Project(tmp_path, server.url, server.token())
    yield made
    made.db.close()


def _run(main: Any, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _status(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    argv = ["--migrations", str(project.migrations), "--url", project.url, "status"]
    return _run(libsqlkit_main, argv, capsys)


def _codegen(project: Project, *argv: str) -> list[str]:
    return [
        "--schema",
        str(project.schema_path),
        "--migrations",
        str(project.migrations),
        "--out",
        str(project.folder / "out"),
        *argv,
    ]


def _check(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    return _run(codegen_main, _codegen(project, "check", "--db", "--url", project.url), capsys)


def _back_to_before_the_last_migration(project: Project, tables: dict[str, Any]) -> None:
    """The folder and schema.yaml of the code before the last migration (`tables`)."""
    journal = project.migrations / "journal.json"
    data = json.loads(journal.read_text())
    shutil.rmtree(project.migrations / data["migrations"].pop()["name"])
    journal.write_text(json.dumps(data))
    project.write_schema(tables)


def _assert_agree(
    project: Project, capsys: pytest.CaptureFixture[str], pending: list[str], note: str = ""
) -> str:
    """Both commands see exactly `pending` as not applied; check fails on it, naming the
    migrations and the command that applies them. Returns that command."""
    status_code, status = _status(project, capsys)
    check_code, check = _check(project, capsys)
    assert status_code == 0, status
    listed = [line.split()[1] for line in status.splitlines() if line.startswith("pending  ")]
    assert listed == pending
    command = shlex.join(
        [
            "libsqlkit",
            "--migrations",
            str(project.migrations),
            "--url",
            project.url,
            "migrate",
        ]
    )
    if not pending:
        assert status.endswith("all migrations are applied\n")
        assert check_code == 0, check
        return command
    summary = (
        f"{len(pending)} pending migration(s), not applied yet: {', '.join(pending)}: "
        f"run `{command}`{note}"
    )
    assert status.endswith(summary + "\n")
    assert check_code == 1 and f"check failed:\n  database: {summary}\n" == check
    return command


def test_status_and_check_agree_in_every_state(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.migration(USERS, "init")
    project.migration(BIO, "bio")
    assert codegen_main(_codegen(project, "generate")) == 0
    capsys.readouterr()

    _assert_agree(project, capsys, ["0000_init", "0001_bio"])  # a fresh database
    project.migrator().migrate()
    project.db.execute("INSERT INTO users (id, name) VALUES ('u1', 'Ann')")
    _assert_agree(project, capsys, [])
    project.migrator().rollback()  # bio holds only NULLs, tags no row: nothing lost
    command = _assert_agree(project, capsys, ["0001_bio"])

    # The command the messages give is the one that applies them.
    applied = subprocess.run(
        [str(Path(sys.executable).with_name("libsqlkit")), *shlex.split(command)[1:]],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.startswith("applied 0001_bio in ")
    _assert_agree(project, capsys, [])

    # The code of before 0001_bio meets the database that has it: both refuse, alike.
    _back_to_before_the_last_migration(project, USERS)
    journal = project.migrations / "journal.json"
    assert codegen_main(_codegen(project, "generate")) == 0
    capsys.readouterr()
    newer = (
        f"the database has migrations that {journal} does not list (0001_bio): "
        "the database is newer than this code"
    )
    status_code, status = _status(project, capsys)
    assert status_code == 1 and newer in status
    assert "applied  0001_bio (not in the folder)" in status
    check_code, check = _check(project, capsys)
    assert check_code == 1 and f"  database: {newer}" in check


def test_status_and_check_agree_on_a_database_made_before_migrations(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tables without a migration history (create_schema, or by hand): both say what
    migrate will do (record what the schema already has), and neither calls it drift."""
    project.migration(USERS, "init")
    project.migration(BIO, "bio")
    assert codegen_main(_codegen(project, "generate")) == 0
    capsys.readouterr()
    up = (project.migrations / "0000_init" / "up.sql").read_text()
    for statement in split_statements(up):
        project.db.execute(statement)
    note = (
        " (the database already has the schema of 0000_init: migrate records the "
        "migrations up to it as applied, without running them)"
    )
    _assert_agree(project, capsys, ["0000_init", "0001_bio"], note)
    project.migrator().migrate()
    _assert_agree(project, capsys, [])

    project.db.execute("DROP TABLE __libsqlkit_migrations")
    project.db.execute("CREATE TABLE extra (id text)")
    unknown = (
        "the database has tables but no migration history, and its schema matches no migration"
    )
    status_code, status = _status(project, capsys)
    check_code, check = _check(project, capsys)
    assert status_code == 1 and f"status failed: {unknown}" in status
    assert check_code == 1 and f"check failed:\n  database: {unknown}" in check


def test_rollback_and_push_refuse_only_real_losses(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.migration(USERS, "init")
    project.migration(BIO, "bio")
    project.migrator().migrate()
    project.db.execute("INSERT INTO users (id, name, bio) VALUES ('u1', 'Ann', 'hi')")
    project.db.execute("INSERT INTO tags (id) VALUES ('t1')")
    with pytest.raises(DataLossError) as caught:
        project.migrator().rollback()
    assert sorted(caught.value.losses) == [
        "column users.bio would be dropped: 1 rows hold a value",
        "table tags would be dropped with its 1 rows",
    ]
    assert project.rows("tags") == [("t1",)]
    project.db.execute("DELETE FROM tags")
    project.db.execute("UPDATE users SET bio = NULL")
    assert [d.name for d in project.migrator().rollback()] == ["0001_bio"]

    project.write_schema(BIO)
    push = ["--schema", str(project.schema_path), "push", "--url", project.url]
    assert codegen_main(push) == 0
    project.db.execute("UPDATE users SET bio = 'hi'")
    project.write_schema(USERS)
    code, output = _run(codegen_main, push, capsys)
    assert code == 1
    assert "push would lose data; nothing was changed:\n" in output
    assert "  column users.bio would be dropped: 1 rows hold a value\n" in output
    assert "table tags" not in output  # empty: nothing of it is lost
    project.db.execute("UPDATE users SET bio = NULL")
    assert codegen_main(push) == 0
    assert project.rows("users") == [("u1", "Ann")]


# -- what is wrong with the folder, in every command ----------------------------------


@pytest.mark.parametrize("state", ["no folder", "no journal", "newer database"])
def test_every_command_says_what_is_wrong_with_the_folder(
    state: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = Project(tmp_path)
    project.migration(USERS, "init")
    project.migrator().migrate()
    monkeypatch.chdir(tmp_path)  # the default ./migrations, reported as an absolute path
    folder = Path.cwd() / "migrations"
    if state == "no folder":
        shutil.rmtree(project.migrations)
        expected = f"there is no migrations folder at {folder}: "
    elif state == "no journal":
        (project.migrations / "journal.json").unlink()
        expected = f"the migrations folder {folder} has no journal.json"
    else:
        project.migration(BIO, "bio")
        project.migrator().migrate()
        _back_to_before_the_last_migration(project, USERS)
        expected = (
            f"the database has migrations that {folder / 'journal.json'} does not list "
            "(0001_bio): the database is newer than this code"
        )
    assert codegen_main(["generate"]) == 0
    capsys.readouterr()
    applied = project.migrator().applied()

    for command in ("migrate", "rollback", "status"):
        code, output = _run(libsqlkit_main, ["--url", project.url, command], capsys)
        assert code == 1 and f"{command} failed: {expected}" in output, output
        assert (state == "newer database") == ("newer than this code" in output)
    code, output = _run(codegen_main, ["check", "--db", "--url", project.url], capsys)
    where = "database: " if state == "newer database" else ""  # a folder problem otherwise
    assert code == 1 and f"check failed:\n  {where}{expected}" in output, output
    assert (state == "newer database") == ("newer than this code" in output)
    assert project.migrator().applied() == applied


def test_a_journal_that_is_not_one_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project(tmp_path)
    project.migration(USERS, "init")
    journal = project.migrations / "journal.json"
    journal.write_text('{"migrations": [{"name": "0000_init"')
    argv = ["--migrations", str(project.migrations), "--url", project.url, "migrate"]
    code, output = _run(libsqlkit_main, argv, capsys)
    assert code == 1
    assert f"migrate failed: {journal} is not a migrations journal (JSONDecodeError: " in output
    assert project.db.execute("SELECT name FROM sqlite_schema") == []
