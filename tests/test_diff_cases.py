"""The migration differ, case by case: tests/diff_cases/<case>/ holds before.yaml and
after.yaml (the schema before and after a change) and the expected up.sql and down.sql
of the migration between them (neither when the change needs none), and optionally
seed.sql (rows written before the migration).

Each case writes the two migrations in a scratch project, compares the second's files
with the expected ones, then applies it to a real database file with the rows, rolls it
back and applies it again: after each step the live schema is the snapshot's, and no row
is lost. `UPDATE_GOLDEN=1` rewrites the expected files (review the diff).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from libsqlkit._migrate import split_statements
from tests.migration_kit import Project

CASES = sorted(p for p in (Path(__file__).parent / "diff_cases").iterdir() if p.is_dir())


def _migrate(project: Project, case: Path, name: str, source: str) -> Path | None:
    shutil.copy(case / source, project.schema_path)
    for helper in case.glob("*.py"):  # builder views read a file next to the schema
        shutil.copy(helper, project.folder / helper.name)
    from codegen.migrations import new_migration
    from codegen.source import load_source
    from codegen.validate import build_schema

    written = new_migration(
        project.migrations, build_schema(load_source(project.schema_path)), name
    )
    return None if written is None else written[0]


def _rows(project: Project) -> dict[str, int]:
    tables = project.db.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' "
        "AND name NOT LIKE 'sqlite_%'"
    )
    return {name: project.rows(name).__len__() for (name,) in tables}


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_the_migration_of_each_case(case: Path, tmp_path: Path) -> None:
    project = Project(tmp_path)
    try:
        assert _migrate(project, case, "before", "before.yaml") is not None
        project.migrator().migrate()
        seed = case / "seed.sql"
        for statement in split_statements(seed.read_text()) if seed.exists() else []:
            project.db.execute(statement)
        rows = _rows(project)
        written = _migrate(project, case, "after", "after.yaml")
        expected = {name: case / name for name in ("up.sql", "down.sql")}
        if os.environ.get("UPDATE_GOLDEN"):
            for name, path in expected.items():
                if written is None:
                    path.unlink(missing_ok=True)
                else:
                    shutil.copy(written / name, path)
        if not expected["up.sql"].exists():
            assert written is None, "the change needs no migration"
            return
        assert written is not None, "the change needs a migration"
        for name, path in expected.items():
            assert (written / name).read_text() == path.read_text(), name
        project.migrator().migrate()
        assert project.live() == project.expected()
        after = _rows(project)
        assert {t: n for t, n in after.items() if t in rows} == {
            t: n for t, n in rows.items() if t in after
        }
        project.migrator().rollback(1)  # never forced: the reverse must lose nothing
        assert project.live() == project.expected()
        assert _rows(project) == rows
        project.migrator().migrate()
        assert project.live() == project.expected()
        assert _rows(project) == after
    finally:
        project.db.close()
