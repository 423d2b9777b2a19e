"""Seeding (`libsqlkit seed`, `seed(db, package)`): deterministic fake rows that respect
the schema, on this repository's schema and the golden ones, in every mode, and clear
typed refusals of what cannot be seeded (nothing written then)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from random import Random
from typing import Any

import pytest
from golden_all_types.models import TaskSpec
from golden_relations.client import DbClient, create_db_client

from generated.client import create_db_client as create_app_client
from libsqlkit import (
    Database,
    ForeignKeyViolation,
    InvalidValue,
    SeedError,
    UniqueViolation,
    seed,
)
from tests.modes_kit import MODES, Mode, open_in_mode
from tests.schema_kit import generate
from tests.test_cli import LIBSQLKIT, ROOT

GOLDEN = (
    "golden_all_types",
    "golden_composite_keys",
    "golden_generated_columns",
    "golden_relations",
    "golden_views",
)


def _fresh(package: str, path: Path) -> Database:
    client = importlib.import_module(f"{package}.client")
    db: Database = client.create_db_client(f"file:{path}")
    db.create_schema()
    return db


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every seeded table's rows as stored (raw values, key order)."""
    return {
        table.name: [
            tuple(row)
            for row in db.execute(f"SELECT * FROM `{table.name}` ORDER BY {', '.join(table.key)}")
        ]
        for table in db.schema.tables
    }


def _column(db: Database, table: str, column: str) -> list[Any]:
    return [row[0] for row in db.execute(f"SELECT `{column}` FROM `{table}`")]


@pytest.fixture(params=MODES)
def relations_db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DbClient]:
    mode: Mode = request.param
    client = open_in_mode(create_db_client, mode, tmp_path, request)
    yield client
    client.close()


def test_relations_are_seeded_parents_first_in_every_mode(relations_db: DbClient) -> None:
    """Foreign keys point at stored rows (also composite keys, the self-reference and
    the one-to-one profile), unique keys are distinct, soft-deleted rows are few."""
    inserted = seed(relations_db, "golden_relations", count=30, seed=3)
    assert inserted == dict.fromkeys(
        ("users", "tags", "posts", "profiles", "comments", "post_tags"), 30
    )
    db = relations_db
    assert db.execute("PRAGMA foreign_key_check") == []
    users = set(_column(db, "users", "id"))
    assert set(_column(db, "posts", "author_id")) <= users
    managers = _column(db, "users", "manager_id")
    assert None in managers and {m for m in managers if m is not None} <= users
    profiles = _column(db, "profiles", "user_id")
    assert len(set(profiles)) == 30  # unique: each user has at most one profile
    assert len(set(db.execute("SELECT post_id, tag_id FROM post_tags"))) == 30
    deleted = [d for d in _column(db, "users", "deleted_at") if d is not None]
    assert 0 < len(deleted) < 10
    assert db.execute("SELECT count(*) FROM sync_state") == [(0,)]  # the sync state table


def test_every_golden_schema_is_seeded_validly(tmp_path: Path) -> None:
    for package in GOLDEN:
        with _fresh(package, tmp_path / f"{package}.db") as db:
            inserted = seed(db, package, count=40, seed=1)
            assert set(inserted.values()) == {40}, package
            assert db.execute("PRAGMA foreign_key_check") == [], package
    with _fresh("golden_all_types", tmp_path / "types.db") as db:
        seed(db, "golden_all_types", count=60, seed=2)
        specs = [s for s in _column(db, "tasks", "spec") if s is not None]
        assert specs and all(TaskSpec.model_validate_json(s) for s in specs)
        assert set(_column(db, "tasks", "state")) <= {"todo", "doing", "won't do", "done"}
        assert None in _column(db, "tasks", "notes")  # nullable: some NULLs
        assert None not in _column(db, "projects", "slug")
        assert all(b is None or b >= 0 for b in _column(db, "projects", "budget"))  # CHECK
    with _fresh("golden_generated_columns", tmp_path / "generated.db") as db:
        seed(db, "golden_generated_columns", count=20)
        rows = db.execute(
            "SELECT price_cents * quantity, total_cents, upper(name), label FROM products"
        )
        assert all(row[0] == row[1] and row[2] == row[3] for row in rows)
    with _fresh("golden_composite_keys", tmp_path / "composite.db") as db:
        seed(db, "golden_composite_keys", count=25)
        orders = set(db.execute("SELECT region, number FROM orders"))
        assert set(db.execute("SELECT region, number FROM order_lines")) <= orders


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(tmp_path: Path) -> None:
    for package in ("generated", "golden_all_types", "golden_relations"):
        dumps = []
        for name, value in (("a", 7), ("b", 7), ("c", 8)):
            with _fresh(package, tmp_path / f"{package}-{name}.db") as db:
                seed(db, package, count=15, seed=value)
                dumps.append(repr(_dump(db)).encode())
        assert dumps[0] == dumps[1], package
        assert dumps[0] != dumps[2], package


def test_a_failed_seed_writes_nothing(tmp_path: Path) -> None:
    """Seeding twice with one seed repeats the keys: the second run fails on a unique key
    in its last table and leaves the first run's rows exactly as they were."""
    with _fresh("golden_views", tmp_path / "app.db") as db:
        seed(db, "golden_views", count=5)
        before = _dump(db)
        with pytest.raises(UniqueViolation):
            seed(db, "golden_views", count=5, counts={"authors": 3}, overrides=_NEW_AUTHORS)
        assert _dump(db) == before


_NEW_AUTHORS = {"authors": {"id": lambda rng, i: f"new-{i}"}}


def test_counts_and_overrides_per_table(tmp_path: Path) -> None:
    def title(rng: Random, index: int) -> str:
        return f"post {index} of {rng.randrange(3)}"

    with _fresh("golden_relations", tmp_path / "app.db") as db:
        inserted = seed(
            db,
            "golden_relations",
            count=5,
            counts={"users": 2, "profiles": 2, "comments": 0, "sync_state": 3},
            overrides={"posts": {"title": title, "published": lambda rng, i: True}},
        )
        assert inserted == {
            "users": 2,
            "tags": 5,
            "sync_state": 3,
            "posts": 5,
            "profiles": 2,
            "post_tags": 5,
        }
        assert sorted(_column(db, "posts", "published")) == [1] * 5
        assert all(t.startswith("post ") for t in _column(db, "posts", "title"))
        assert db.execute("SELECT count(*) FROM comments") == [(0,)]


def test_a_unique_pair_is_drawn_again_until_distinct(tmp_path: Path) -> None:
    """6 of the 9 (post, tag) pairs: random pairs collide, and are drawn again."""
    counts = {"users": 1, "posts": 3, "tags": 3, "post_tags": 6, "profiles": 1}
    with _fresh("golden_relations", tmp_path / "app.db") as db:
        seed(db, "golden_relations", count=0, counts=counts, seed=1)
        assert len(set(db.execute("SELECT post_id, tag_id FROM post_tags"))) == 6


@pytest.mark.parametrize("count", [-1, 10**9, True, 2.5, "5"])
def test_a_bad_count_is_refused(tmp_path: Path, count: Any) -> None:
    with _fresh("generated", tmp_path / "app.db") as db:
        with pytest.raises(SeedError, match="count must be"):
            seed(db, "generated", count=count)
        with pytest.raises(SeedError, match=r"counts\['workflows'\] must be"):
            seed(db, "generated", counts={"workflows": count})


def test_count_zero_seeds_nothing(tmp_path: Path) -> None:
    with _fresh("generated", tmp_path / "app.db") as db:
        assert seed(db, "generated", count=0) == {}
        assert set(map(len, _dump(db).values())) == {0}


def test_unknown_tables_and_columns_are_refused(tmp_path: Path) -> None:
    with _fresh("golden_generated_columns", tmp_path / "app.db") as db:
        with pytest.raises(SeedError, match="no table 'prodcts' to seed") as error:
            seed(db, "golden_generated_columns", counts={"prodcts": 3})
        assert error.value.table == "prodcts"
        with pytest.raises(SeedError, match="no table 'nope'"):
            seed(db, "golden_generated_columns", overrides={"nope": {}})
        with pytest.raises(SeedError, match="products has no column 'colour'"):
            seed(db, "golden_generated_columns", overrides={"products": {"colour": _blue}})
        with pytest.raises(SeedError, match=r"products\.color is a generated column"):
            seed(db, "golden_generated_columns", overrides={"products": {"color": _blue}})


def _blue(rng: Random, index: int) -> str:
    return "blue"


def test_an_override_of_the_wrong_type_names_its_column_and_writes_nothing(
    tmp_path: Path,
) -> None:
    with _fresh("golden_relations", tmp_path / "app.db") as db:
        with pytest.raises(InvalidValue, match=r"posts\.title: the seed value 42 is refused") as e:
            seed(db, "golden_relations", overrides={"posts": {"title": lambda rng, i: 42}})
        assert (e.value.table, e.value.column) == ("posts", "title")
        assert set(map(len, _dump(db).values())) == {0}  # users were rolled back


def test_a_parent_with_no_rows_is_refused(tmp_path: Path) -> None:
    refused = pytest.raises(SeedError, match=r"posts\.author_id references users, which gets no")
    with _fresh("golden_relations", tmp_path / "app.db") as db, refused:
        seed(db, "golden_relations", counts={"users": 0})


HOSTILE = """
version: 1
tables:
  flags:
    model: Flag
    columns:
      id: {type: text, primary_key: true, client_default: uuid4}
      enabled: {type: integer, mode: boolean, not_null: true, unique: true}
  scores:
    model: Score
    columns:
      id: {type: integer, primary_key: true}
      points: {type: integer, not_null: true}
      never: {type: integer}
    checks:
      scores_points_high: "points >= 600000000"
      scores_never: "never IS NULL OR never <> 5"
  nodes:
    model: Node
    columns:
      id: {type: text, primary_key: true, client_default: uuid4}
      parent_id: {type: text, not_null: true, references: {table: nodes, column: id}}
"""


CYCLES = """
version: 1
tables:
  teams:
    model: Team
    columns:
      id: {type: text, primary_key: true, client_default: uuid4}
      captain_id: {type: text, references: {table: players, column: id}}
  players:
    model: Player
    columns:
      id: {type: text, primary_key: true, client_default: uuid4}
      team_id: {type: text, not_null: true, references: {table: teams, column: id}}
"""
LOCKED = CYCLES.replace("captain_id: {type: text,", "captain_id: {type: text, not_null: true,")


def test_a_cycle_is_broken_at_its_nullable_key_or_refused(tmp_path: Path) -> None:
    for text, package in ((CYCLES, "seed_cycles"), (LOCKED, "seed_locked")):
        assert generate(text, tmp_path, package).status == 0
    sys.path.insert(0, str(tmp_path))
    with _fresh("seed_cycles", tmp_path / "cycles.db") as db:
        assert seed(db, "seed_cycles", count=4) == {"teams": 4, "players": 4}
        assert _column(db, "teams", "captain_id") == [None] * 4  # its parent comes later
        assert set(_column(db, "players", "team_id")) <= set(_column(db, "teams", "id"))
    refused = pytest.raises(SeedError, match="a cycle of NOT NULL columns")
    with _fresh("seed_locked", tmp_path / "locked.db") as db, refused:
        seed(db, "seed_locked", count=4)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    outcome = generate(HOSTILE, folder, "seed_hostile")
    assert outcome.status == 0, outcome.stderr
    sys.path.insert(0, str(folder))
    return folder


def test_what_cannot_be_seeded_is_refused_by_name(hostile: Path, tmp_path: Path) -> None:
    nodes_later = {"nodes": 0}
    with _fresh("seed_hostile", tmp_path / "app.db") as db:
        with pytest.raises(
            SeedError, match=r"flags \(enabled\) is unique but can take only 2"
        ) as e:
            seed(db, "seed_hostile", count=3, counts=nodes_later)
        assert (e.value.table, e.value.columns) == ("flags", ("enabled",))
        with pytest.raises(SeedError, match=r"nodes\.parent_id references its own table"):
            seed(db, "seed_hostile", count=2, counts={"flags": 2})
        with pytest.raises(SeedError, match="CHECK scores_never") as e:
            seed(
                db,
                "seed_hostile",
                counts={"flags": 2, "nodes": 0, "scores": 5},
                overrides={"scores": {"never": lambda rng, i: 5}},
            )
        assert (e.value.table, e.value.constraint) == ("scores", "scores_never")
        assert set(map(len, _dump(db).values())) == {0}


def test_rows_a_check_refuses_are_drawn_again(hostile: Path, tmp_path: Path) -> None:
    """About 40% of fake `points` pass the CHECK: the others are drawn again."""
    with _fresh("seed_hostile", tmp_path / "app.db") as db:
        assert seed(db, "seed_hostile", count=2, counts={"nodes": 0, "scores": 50}) == {
            "flags": 2,
            "scores": 50,
        }
        assert min(_column(db, "scores", "points")) >= 600_000_000
        nodes = {"nodes": {"parent_id": lambda rng, i: "n"}}
        with pytest.raises(ForeignKeyViolation):
            seed(db, "seed_hostile", count=1, counts={"flags": 0, "scores": 0}, overrides=nodes)
        assert db.execute("SELECT count(*) FROM nodes") == [(0,)]


def test_the_command_seeds_the_configured_package(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with create_app_client(f"file:{path}") as db:
        db.create_schema()
    url = f"file:{path}"
    done = subprocess.run(
        [str(LIBSQLKIT), "--url", url, "seed", "--count", "4", "--seed", "9"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["user_settings: 4 rows", "workflows: 4 rows"]
    with create_app_client(url) as db:
        assert db.execute("SELECT count(*) FROM workflows") == [(4,)]
    refused = subprocess.run(
        [str(LIBSQLKIT), "--url", url, "seed", "--count", "-3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert refused.returncode == 1
    assert refused.stderr == "seed failed: count must be between 0 and 100000, not -3\n"


def test_the_command_never_loads_the_code_generator(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with create_app_client(f"file:{path}") as db:
        db.create_schema()
    probe = (
        "import sys; from libsqlkit.__main__ import main; "
        f"code = main(['--url', 'file:{path}', 'seed', '--count', '2']); "
        "print(code, 'libsqlkit.codegen' in sys.modules, 'jinja2' in sys.modules)"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert ran.stdout.splitlines()[-1] == "0 False False", ran.stdout + ran.stderr
