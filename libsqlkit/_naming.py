"""The names this layer gives to what schema.yaml leaves unnamed, in one place: the DDL
writer, the migration differ, validation, `pull` and the schema facts all ask here, so
a database made by one of them is read back by the others (and by drizzle-kit, whose
names these are)."""

from __future__ import annotations

__all__ = [
    "REBUILD_PREFIX",
    "enum_check_name",
    "rebuild_table_name",
    "rebuilt_table",
    "unique_index_name",
]

# A table rebuild creates the new table under this prefix, copies the rows, drops the
# old one and renames the new one into place.
REBUILD_PREFIX = "__new_"


def unique_index_name(table: str, *columns: str) -> str:
    """The index of a `unique: true` column (drizzle-kit's `<table>_<column>_unique`)."""
    return f"{table}_{'_'.join(columns)}_unique"


def enum_check_name(table: str, column: str) -> str:
    """The CHECK that holds an enum column to its values."""
    return f"{table}_{column}_enum"


def rebuild_table_name(table: str) -> str:
    return f"{REBUILD_PREFIX}{table}"


def rebuilt_table(name: str) -> str:
    """The real table behind a name that may be a rebuild's temporary one."""
    return name.removeprefix(REBUILD_PREFIX)
