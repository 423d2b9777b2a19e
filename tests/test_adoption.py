"""Any project can adopt libsqlkit: the built wheel, installed in fresh virtual
environments, serves a temporary project with its own pyproject.toml and schema.

- `libsqlkit init`, `generate`, `migration`, `migrate`, `rollback` without path flags,
  with the generated package at the default `generated` and inside the app (`myapp.db`);
- mypy --strict passes the project's correct code and fails its mistakes;
- the app runs, also in an environment with only the runtime (no codegen extra), where
  `python -m libsqlkit migrate` works;
- site-packages holds `libsqlkit` only: nothing called `generated` or `codegen`;
- the studio's edit form, in a real browser, writes through the project's package.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.studio_browser import Browser
from tests.test_studio import Studio
from tests.test_studio_security import _click_edit, _click_key, _submit

ROOT = Path(__file__).parent.parent
REPORTED = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")
EXPECTED = re.compile(r"#\s*E:\s*([\w-]+)")

SCHEMA = """\
version: 1
tables:
  authors:
    model: Author
    columns:
      id: {type: text, primary_key: true, client_default: uuid4}
      email: {type: text, not_null: true, unique: true}
      name: {type: text, not_null: true}
    queries:
      find_by_email: {select: one, where: [email]}
  posts:
    model: Post
    soft_delete: deleted_at
    columns:
      id: {type: text, primary_key: true, client_default: uuid4}
      author_id:
        type: text
        not_null: true
        references: {table: authors, column: id, on_delete: cascade}
      title: {type: text, not_null: true}
      status: {type: text, not_null: true, enum: [DRAFT, PUBLISHED], default: DRAFT}
      meta: {type: text, mode: json}
      created_at: {type: integer, mode: timestamp, not_null: true, client_default: now}
      deleted_at: {type: integer, mode: timestamp}
    queries:
      find_by_author_id:
        select: many
        where: [author_id]
        order_by: [created_at desc, id asc]
"""

APP = """\
from __future__ import annotations

from libsqlkit import ForeignKeyViolation, UniqueViolation

from {package}.client import create_db_client
from {package}.models import NewAuthor, NewPost, PostUpdate
from {package}.repositories import AuthorRepository, PostRepository


def main() -> None:
    with create_db_client() as db:
        authors, posts = AuthorRepository(db), PostRepository(db)
        ann = authors.create(NewAuthor(email="ann@example.com", name="Ann"))
        try:
            authors.create(NewAuthor(email="ann@example.com", name="Other Ann"))
        except UniqueViolation:
            print("unique email refused")
        try:
            posts.create(NewPost(author_id="nobody", title="orphan"))
        except ForeignKeyViolation:
            print("missing author refused")
        post = posts.create(NewPost(author_id=ann.id, title="Hello", meta={{"tags": ["a", 1]}}))
        updated = posts.update(post.id, PostUpdate(status="PUBLISHED"))
        if updated is not None:
            print("status", updated.status, "meta", updated.meta)
        found = authors.find_by_email("ann@example.com")
        if found is not None:
            print("found", found.name, len(posts.find_by_author_id(found.id)))
        posts.soft_delete(post.id)
        print("after soft delete", posts.get(post.id), len(posts.find_many()))
        kept = posts.get(post.id, include_deleted=True)
        print("kept", kept is not None and kept.deleted_at is not None)


main()
"""

MISTAKES = """\
from __future__ import annotations

from {package}.client import create_db_client
from {package}.models import NewAuthor, NewPost, PostUpdate
from {package}.repositories import AuthorRepository, PostRepository

with create_db_client() as db:
    authors, posts = AuthorRepository(db), PostRepository(db)
    authors.create(NewAuthor(email=42, name="Ann"))  # E: arg-type
    posts.update("p1", PostUpdate(status="ARCHIVED"))  # E: arg-type
    found = authors.find_by_email("ann@example.com")
    print(found.name)  # E: union-attr
    post = posts.get("p1")
    print(post.title.upper())  # E: union-attr
    posts.create(NewPost(title="no author"))  # E: call-arg
"""


def _run(
    *command: str | Path, cwd: Path, ok: bool = True, database: bool = False
) -> subprocess.CompletedProcess[str]:
    """A command as the project's user runs it: in the project, without TURSO_* variables
    (the commands take the database from [tool.libsqlkit]); `database` sets
    TURSO_DATABASE_URL, as the app's own deployment does."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("TURSO_")}
    if database:
        env["TURSO_DATABASE_URL"] = "file:./data/local.db"
    ran = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, cwd=cwd, env=env
    )
    if ok:
        assert ran.returncode == 0, f"{command}: {ran.stdout}{ran.stderr}"
    return ran


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", folder, ROOT, cwd=folder)
    (built,) = folder.glob("libsqlkit-*.whl")
    return built


def _environment(folder: Path, *requirements: str) -> Path:
    venv.create(folder, with_pip=True)
    _run(folder / "bin" / "python", "-m", "pip", "install", "--quiet", *requirements, cwd=folder)
    return folder / "bin"


@pytest.fixture(scope="module")
def full(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of an environment with `libsqlkit[codegen]`, as a developer installs it."""
    return _environment(tmp_path_factory.mktemp("full") / "venv", f"{wheel}[codegen]")


@pytest.fixture(scope="module")
def runtime(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of an environment with only `libsqlkit`, as a production image carries it."""
    return _environment(tmp_path_factory.mktemp("runtime") / "venv", str(wheel))


def _project(full: Path, folder: Path, package: str) -> tuple[Path, list[str]]:
    """A new project set up by the user's steps; (its folder, every message printed)."""
    project = folder / "shop"
    (project / ".git").mkdir(parents=True)  # its own repository: nothing above is read
    (project / "pyproject.toml").write_text('[project]\nname = "shop"\nversion = "0.1"\n')
    said = [_run(full / "libsqlkit", "init", cwd=project).stdout]
    pyproject = (project / "pyproject.toml").read_text()
    assert "[tool.libsqlkit]\n" in pyproject and 'package = "generated"' in pyproject
    assert "/data/" in (project / ".gitignore").read_text().splitlines()
    if package != "generated":  # the user moves the package into the app
        (project / "pyproject.toml").write_text(
            pyproject.replace('package = "generated"', f'package = "{package}"')
        )
        (project / "myapp").mkdir()
        (project / "myapp" / "__init__.py").write_text("")
    (project / "schema.yaml").write_text(SCHEMA)
    scripts = project / "scripts"
    scripts.mkdir()
    for command, cwd in (
        (["generate"], project),
        (["migration", "init"], project),
        (["migrate"], scripts),  # the configuration is found from a subfolder too
        (["check"], scripts),
    ):
        said.append(_run(full / "libsqlkit", *command, cwd=cwd).stdout)
    return project, said


@pytest.mark.parametrize("package", ["generated", "myapp.db"])
def test_a_new_project_adopts_the_installed_tool(
    full: Path, runtime: Path, tmp_path: Path, package: str
) -> None:
    project, said = _project(full, tmp_path, package)
    folder = project.joinpath(*package.split("."))
    assert (folder / "repositories" / "posts.py").is_file()
    assert (project / "migrations" / "0000_init").is_dir()
    assert (project / "data" / "local.db").is_file()  # database_url, relative to the file
    text = "".join(said)
    assert f"wrote {folder.relative_to(project)}/client.py" in text
    assert "make " not in text and "codegen" not in text and "python -m" not in text

    # mypy --strict: the app passes, its mistakes fail with the expected codes.
    (project / "app.py").write_text(APP.format(package=package))
    (project / "mistakes.py").write_text(MISTAKES.format(package=package))
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable"]
    checked = _run(*mypy, full / "python", "app.py", cwd=project, ok=False)
    assert checked.returncode == 0, checked.stdout
    checked = _run(*mypy, full / "python", "mistakes.py", cwd=project, ok=False)
    reported = {
        (int(m["line"]), m["code"])
        for m in map(REPORTED.match, checked.stdout.splitlines())
        if m is not None
    }
    expected = {
        (number, code)
        for number, line in enumerate(MISTAKES.splitlines(), start=1)
        for code in EXPECTED.findall(line)
    }
    assert reported == expected, checked.stdout

    ran = _run(full / "python", "app.py", cwd=project, database=True).stdout
    assert ran.splitlines() == [
        "unique email refused",
        "missing author refused",
        "status PUBLISHED meta {'tags': ['a', 1]}",
        "found Ann 1",
        "after soft delete None 0",
        "kept True",
    ]

    kept = _run(full / "libsqlkit", "rollback", cwd=project, ok=False)
    assert kept.returncode == 1 and "(libsqlkit rollback --force)" in kept.stderr
    rolled = _run(full / "libsqlkit", "rollback", "--force", cwd=project).stdout
    assert "0000_init" in rolled
    assert "pending  0000_init" in _run(full / "libsqlkit", "status", cwd=project).stdout

    # Production: only the runtime. It migrates and runs the generated package.
    migrated = _run(runtime / "python", "-m", "libsqlkit", "migrate", cwd=project).stdout
    assert migrated.startswith("applied 0000_init")
    assert "found Ann 1" in _run(runtime / "python", "app.py", cwd=project, database=True).stdout
    refused = _run(runtime / "libsqlkit", "generate", cwd=project, ok=False)
    assert refused.returncode == 1
    assert "pip install 'libsqlkit[codegen]'" in refused.stderr
    bare = "import libsqlkit, importlib.util as u; print(u.find_spec('jinja2'))"
    assert _run(runtime / "python", "-c", bare, cwd=project).stdout == "None\n"


@pytest.mark.parametrize("environment", ["full", "runtime"])
def test_site_packages_holds_libsqlkit_only(
    environment: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    bin_folder: Path = request.getfixturevalue(environment)
    (site,) = bin_folder.parent.glob("lib/python3*/site-packages")
    assert not (site / "generated").exists() and not (site / "codegen").exists()
    assert (site / "libsqlkit" / "codegen" / "cli.py").is_file()
    assert (site / "libsqlkit" / "codegen" / "templates" / "client.py.jinja").is_file()
    (record,) = site.glob("libsqlkit-*.dist-info/RECORD")
    files = [line.split(",", 1)[0] for line in record.read_text().splitlines()]
    scripts = {file.rsplit("/", 1)[1] for file in files if file.startswith("../")}
    tops = {file.split("/", 1)[0] for file in files if not file.startswith("../")}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"libsqlkit"}
    assert scripts == {"libsqlkit"}  # the one command, in bin/
    probe = "import importlib.util as u; print(u.find_spec('generated'), u.find_spec('codegen'))"
    assert _run(bin_folder / "python", "-c", probe, cwd=tmp_path).stdout == "None None\n"


def test_the_studio_edits_through_the_project_s_package(full: Path, tmp_path: Path) -> None:
    project, _ = _project(full, tmp_path, "myapp.db")
    database = project / "data" / "local.db"
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO authors (id, email, name) VALUES ('a1', 'a@x.org', 'Ann')")
        db.execute(
            "INSERT INTO posts (id, author_id, title, status, created_at) "
            "VALUES ('p1', 'a1', 'Hello', 'DRAFT', 0)"
        )
    studio = Studio(
        f"file:{database}", tmp_path, write=True, program=[str(full / "libsqlkit")], cwd=project
    )
    try:
        with Browser(tmp_path / "chromium") as browser:
            browser.open(f"{studio.base}/app/posts")
            browser.follow(_click_key("p1"))
            browser.follow(_click_edit())
            assert browser.evaluate("document.getElementById('title').value") == "Hello"
            browser.follow(_submit({"status": "ARCHIVED"}))  # not in the enum: refused
            refusal = browser.evaluate("document.querySelector('.studio-error').innerText")
            assert refusal.startswith("Refused, nothing was written: status:")
            browser.follow(_submit({"status": "PUBLISHED", "title": "Hello again"}))
            assert "Refused" not in browser.text
    finally:
        studio.stop()
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT status, title FROM posts WHERE id = 'p1'").fetchone()
    assert row == ("PUBLISHED", "Hello again")
