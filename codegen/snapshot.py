"""The schema's snapshot: the facts the database will report, plus the DDL per table."""

from __future__ import annotations

from dataclasses import replace

from libsqlkit._snapshot import Snapshot, TableFacts, ViewFacts, schema_facts

from .ddl import table_ddl, view_ddl
from .ir import SchemaIR

__all__ = ["snapshot_of"]


def snapshot_of(schema: SchemaIR) -> Snapshot:
    """Built by creating the schema in a scratch database and reading it back, so that it
    compares equal, fact for fact, with a live database that has this schema. Tables and
    views keep the schema's order (a view is created after what it reads)."""
    ddl = {table.name: table_ddl(table) for table in schema.tables}
    views = tuple(ViewFacts(view.name, view_ddl(view)) for view in schema.views)
    facts = schema_facts(
        Snapshot(
            tuple(TableFacts(name, (), ddl=statements) for name, statements in ddl.items()), views
        )
    )
    by_name = {table.name: table for table in facts.tables}
    read_views = {view.name: view for view in facts.views}
    return Snapshot(
        tuple(replace(by_name[table.name], ddl=ddl[table.name]) for table in schema.tables),
        tuple(read_views[view.name] for view in schema.views),
    )
