"""The schema's snapshot: the facts the database will report, plus the DDL per table."""

from __future__ import annotations

from dataclasses import replace

from libsqlkit._snapshot import Snapshot, TableFacts, schema_facts

from .ddl import table_ddl
from .ir import SchemaIR

__all__ = ["snapshot_of"]


def snapshot_of(schema: SchemaIR) -> Snapshot:
    """Built by creating the schema in a scratch database and reading it back, so that it
    compares equal, fact for fact, with a live database that has this schema."""
    ddl = {table.name: table_ddl(table) for table in schema.tables}
    facts = schema_facts(
        Snapshot(tuple(TableFacts(name, (), ddl=statements) for name, statements in ddl.items()))
    )
    by_name = {table.name: table for table in facts.tables}
    return Snapshot(
        tuple(replace(by_name[table.name], ddl=ddl[table.name]) for table in schema.tables)
    )
