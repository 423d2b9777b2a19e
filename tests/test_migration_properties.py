"""Random sequences of schema changes with random rows, migrated for real.

After every migration: the live schema equals the snapshot, synced tables have their
change-log triggers and a version for every row, every surviving value is unchanged (type changes convert as SQLite's column affinity does), and reverse followed
by forward gives back the same schema and the same values.
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.migration_kit import Project

Value = int | str | None
Rows = dict[str, dict[str, dict[str, Value]]]  # table -> id -> column -> value

TEXT_VALUES = st.one_of(st.none(), st.sampled_from(["a", "b", "12", "007", "x y", "-3"]))
INT_VALUES = st.one_of(st.none(), st.integers(-1000, 1000))


def _as_integer(value: Value) -> Value:
    """INTEGER affinity: text that is an integer literal becomes that integer."""
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    return value


def _as_text(value: Value) -> Value:
    return str(value) if isinstance(value, int) else value


class SchemaChanges(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.project = Project(Path(self.folder.name))
        self.tables: dict[str, dict[str, Any]] = {}
        self.rows: Rows = {}
        self.counter = 0

    def teardown(self) -> None:
        self.project.db.close()
        self.folder.cleanup()

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # -- applying a change -----------------------------------------------------------

    def apply(self, tables: dict[str, Any], rows: Rows) -> None:
        """Migrate to `tables`; `rows` is what the data must be afterwards."""
        if self.project.migration(tables, self.fresh("m")) is None:
            return
        self.project.migrator().migrate()
        self.check(tables, rows)
        self.project.migrator().rollback(force=True)
        assert self.project.live() == self.project.expected()
        self.project.migrator().migrate()
        self.check(tables, rows)
        for table in tables.values():  # a rename is declared for one migration only
            table.pop("renamed_from", None)
            for column in table["columns"].values():
                column.pop("renamed_from", None)
        self.tables, self.rows = tables, rows

    def check(self, tables: dict[str, Any], rows: Rows) -> None:
        assert self.project.live() == self.project.expected()
        self.check_change_log({name for name, spec in tables.items() if spec.get("sync")})
        for table, expected in rows.items():
            names = [
                c for c in self.project.db.execute(f"SELECT name FROM pragma_table_info('{table}')")
            ]
            columns = [n for (n,) in names]
            stored = {
                row[0]: dict(zip(columns, row, strict=True))
                for row in self.project.db.execute(f"SELECT * FROM `{table}`")
            }
            assert stored == {i: {"id": i, **values} for i, values in expected.items()}

    def check_change_log(self, synced: set[str]) -> None:
        """Synced tables have their triggers and a version for every row; others neither."""
        db = self.project.db
        triggered = db.execute("SELECT DISTINCT tbl_name FROM sqlite_schema WHERE type = 'trigger'")
        assert {name for (name,) in triggered} == synced
        if not db.execute("SELECT 1 FROM sqlite_schema WHERE name = '__libsqlkit_sync_rows'"):
            assert not synced
            return
        logged = db.execute("SELECT DISTINCT tbl FROM __libsqlkit_sync_rows")
        assert {name for (name,) in logged} <= synced
        for table in synced:
            unversioned = db.execute(
                f"SELECT count(*) FROM `{table}` WHERE id NOT IN "
                "(SELECT pk FROM __libsqlkit_sync_rows WHERE tbl = ?)",
                (table,),
            )
            assert unversioned == [(0,)]

    # -- rules -----------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        tables = {
            "t0": {"columns": {"id": {"type": "text", "primary_key": True}, "c0": {"type": "text"}}}
        }
        self.apply(tables, {"t0": {}})

    @rule(count=st.integers(1, 3), data=st.data())
    def insert_rows(self, count: int, data: st.DataObject) -> None:
        table = data.draw(st.sampled_from(sorted(self.tables)))
        spec = self.tables[table]["columns"]
        rows = copy.deepcopy(self.rows)
        for _ in range(count):
            values: dict[str, Value] = {}
            for name, column in spec.items():
                if name == "id":
                    continue
                strategy = INT_VALUES if column["type"] == "integer" else TEXT_VALUES
                if column.get("enum"):
                    strategy = st.one_of(st.none(), st.sampled_from(column["enum"]))
                value = data.draw(
                    strategy.filter(lambda v: v is not None) if column.get("not_null") else strategy
                )
                if column.get("unique") and value is not None:
                    value = _unique(value, rows[table], name, column.get("enum"))
                    if value is None and column.get("not_null"):
                        return  # every enum member is taken: no such row can exist
                values[name] = value
            key = self.fresh("r")
            names = ["id", *values]
            marks = ", ".join("?" for _ in names)
            quoted = ", ".join(f"`{n}`" for n in names)
            self.project.db.execute(
                f"INSERT INTO `{table}` ({quoted}) VALUES ({marks})", (key, *values.values())
            )
            rows[table][key] = values
        self.rows = rows

    @precondition(lambda self: len(self.tables) < 4)
    @rule()
    def add_table(self) -> None:
        name = self.fresh("t")
        tables = copy.deepcopy(self.tables)
        tables[name] = {
            "columns": {"id": {"type": "text", "primary_key": True}, "c": {"type": "integer"}}
        }
        self.apply(tables, {**copy.deepcopy(self.rows), name: {}})

    @precondition(lambda self: len(self.tables) > 1)
    @rule(data=st.data())
    def drop_table(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.tables)))
        tables = {k: v for k, v in copy.deepcopy(self.tables).items() if k != name}
        self.apply(tables, {k: v for k, v in copy.deepcopy(self.rows).items() if k != name})

    @rule(data=st.data())
    def rename_table(self, data: st.DataObject) -> None:
        old = data.draw(st.sampled_from(sorted(self.tables)))
        new = self.fresh("t")
        tables = {(new if k == old else k): v for k, v in copy.deepcopy(self.tables).items()}
        tables[new]["renamed_from"] = old
        self.apply(
            tables, {(new if k == old else k): v for k, v in copy.deepcopy(self.rows).items()}
        )

    @rule(data=st.data())
    def toggle_sync(self, data: st.DataObject) -> None:
        """Start or stop syncing a table: its change-log triggers come and go."""
        table = data.draw(st.sampled_from(sorted(self.tables)))
        tables = copy.deepcopy(self.tables)
        tables[table]["sync"] = not tables[table].get("sync", False)
        self.apply(tables, copy.deepcopy(self.rows))

    @rule(data=st.data(), kind=st.sampled_from(["text", "integer"]), default=st.booleans())
    def add_column(self, data: st.DataObject, kind: str, default: bool) -> None:
        table = data.draw(st.sampled_from(sorted(self.tables)))
        name = self.fresh("c")
        tables = copy.deepcopy(self.tables)
        value: Value = (7 if kind == "integer" else "d") if default else None
        column: dict[str, Any] = {"type": kind}
        if default:
            column.update(default=value, not_null=True)
        tables[table]["columns"][name] = column
        rows = copy.deepcopy(self.rows)
        for values in rows[table].values():
            values[name] = value
        self.apply(tables, rows)

    @rule(data=st.data())
    def drop_column(self, data: st.DataObject) -> None:
        table, name = self._column(data)
        if name is None:
            return
        column = self.tables[table]["columns"][name]
        stored = len(self.rows[table])
        # The reverse re-adds the column with its default for every row (values are gone):
        # NOT NULL without a default cannot be re-added to rows (the migrator says so),
        # and one default for several rows breaks a unique index.
        if stored and column.get("not_null") and "default" not in column:
            return
        if column.get("unique") and "default" in column and stored > 1:
            return
        tables = copy.deepcopy(self.tables)
        del tables[table]["columns"][name]
        tables[table]["indexes"] = {
            k: v for k, v in tables[table].get("indexes", {}).items() if name not in v["columns"]
        }
        rows = copy.deepcopy(self.rows)
        for values in rows[table].values():
            del values[name]
        self.apply(tables, rows)

    @rule(data=st.data())
    def rename_column(self, data: st.DataObject) -> None:
        table, old = self._column(data)
        if old is None:
            return
        new = self.fresh("c")
        tables = copy.deepcopy(self.tables)
        columns = tables[table]["columns"]
        tables[table]["columns"] = {(new if k == old else k): v for k, v in columns.items()}
        tables[table]["columns"][new]["renamed_from"] = old
        for index in tables[table].get("indexes", {}).values():
            index["columns"] = [new if c == old else c for c in index["columns"]]
        rows = copy.deepcopy(self.rows)
        for key, values in rows[table].items():
            rows[table][key] = {(new if k == old else k): v for k, v in values.items()}
        self.apply(tables, rows)

    @rule(data=st.data())
    def change_type(self, data: st.DataObject) -> None:
        table, name = self._column(data)
        if name is None:
            return
        tables = copy.deepcopy(self.tables)
        column = tables[table]["columns"][name]
        stored = [row[name] for row in self.rows[table].values()]
        if column.get("enum") and any(_as_text(_as_integer(v)) != v for v in stored):
            return  # '007' becomes 7, and the reverse's '7' is outside the enum: rollback fails
        column["type"] = "text" if column["type"] == "integer" else "integer"
        column.pop("enum", None)
        if "default" in column:
            column["default"] = _as_text(column["default"]) if column["type"] == "text" else 7
        convert = _as_text if column["type"] == "text" else _as_integer
        rows = copy.deepcopy(self.rows)
        for values in rows[table].values():
            values[name] = convert(values[name])
        self.apply(tables, rows)

    @rule(data=st.data())
    def toggle_index(self, data: st.DataObject) -> None:
        table, name = self._column(data)
        if name is None:
            return
        tables = copy.deepcopy(self.tables)
        indexes = tables[table].setdefault("indexes", {})
        existing = [k for k, v in indexes.items() if v["columns"] == [name]]
        if existing:
            del indexes[existing[0]]
        else:
            indexes[self.fresh("idx_")] = {"columns": [name]}
        self.apply(tables, copy.deepcopy(self.rows))

    @rule(data=st.data())
    def toggle_unique(self, data: st.DataObject) -> None:
        table, name = self._column(data)
        if name is None:
            return
        present = [v[name] for v in self.rows[table].values() if v[name] is not None]
        column = self.tables[table]["columns"][name]
        if not column.get("unique") and len(set(present)) != len(present):
            return  # duplicates: a unique index could not be built
        tables = copy.deepcopy(self.tables)
        tables[table]["columns"][name]["unique"] = not column.get("unique", False)
        self.apply(tables, copy.deepcopy(self.rows))

    @rule(data=st.data())
    def toggle_not_null(self, data: st.DataObject) -> None:
        table, name = self._column(data)
        if name is None:
            return
        column = self.tables[table]["columns"][name]
        if not column.get("not_null") and any(v[name] is None for v in self.rows[table].values()):
            return  # NULLs present: the migration would (rightly) be refused
        tables = copy.deepcopy(self.tables)
        tables[table]["columns"][name]["not_null"] = not column.get("not_null", False)
        self.apply(tables, copy.deepcopy(self.rows))

    @rule(data=st.data(), drop=st.booleans())
    def change_default(self, data: st.DataObject, drop: bool) -> None:
        table, name = self._column(data)
        if name is None:
            return
        tables = copy.deepcopy(self.tables)
        column = tables[table]["columns"][name]
        if drop and not column.get("not_null"):
            column.pop("default", None)
        elif column.get("enum") is None:
            column["default"] = (
                data.draw(st.integers(0, 9))
                if column["type"] == "integer"
                else data.draw(st.sampled_from(["p", "q"]))
            )
        self.apply(tables, copy.deepcopy(self.rows))

    @rule(data=st.data())
    def widen_enum(self, data: st.DataObject) -> None:
        """Give a text column an enum covering its values, or add a value to its enum."""
        table, name = self._column(data)
        if name is None or self.tables[table]["columns"][name]["type"] != "text":
            return
        tables = copy.deepcopy(self.tables)
        column = tables[table]["columns"][name]
        present = {v[name] for v in self.rows[table].values() if v[name] is not None}
        members = sorted(
            set(column.get("enum") or []) | {str(v) for v in present} | {self.fresh("e")}
        )
        column["enum"] = members
        if "default" in column and column["default"] not in members:
            column["default"] = members[0]
        self.apply(tables, copy.deepcopy(self.rows))

    def _column(self, data: st.DataObject) -> tuple[str, str | None]:
        table = data.draw(st.sampled_from(sorted(self.tables)))
        names = [n for n in self.tables[table]["columns"] if n != "id"]
        return table, (data.draw(st.sampled_from(names)) if names else None)

    @invariant()
    def history_is_consistent(self) -> None:
        assert self.project.migrator().folder.problems() == []


def _unique(
    value: Value, rows: dict[str, dict[str, Value]], name: str, enum: list[str] | None
) -> Value:
    """A value not yet in the column: a free enum member (None if none is left), or the
    value changed until it is free."""
    taken = {v.get(name) for v in rows.values()}
    if enum is not None:
        return value if value not in taken else next((m for m in enum if m not in taken), None)
    while value in taken:
        value = value + 1 if isinstance(value, int) else f"{value}+"
    return value


SchemaChanges.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSchemaChanges = SchemaChanges.TestCase
