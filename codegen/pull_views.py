"""A live view as a SQL view of schema.yaml: its SELECT as SQLite keeps it, and its
columns as PRAGMA table_info reports them on the view.

The view's DDL is the fact `migrate` compares, so the SELECT is taken from the CREATE
VIEW text unchanged (schema.yaml writes `CREATE VIEW `name` AS <select>`). The column
types are not facts of the database: they type the generated select model, read like a
table column's (declared type, Drizzle's conventions, values), every column nullable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from libsqlkit._snapshot import ColumnFacts, significant, sql_tokens

from .pull_columns import ColumnDraft, draft_column
from .pull_read import ColumnSample, LiveView
from .sqltext import identifier_problem, quote

__all__ = ["ViewDraft", "draft_view", "view_select"]


@dataclass
class ViewDraft:
    """A view as a SQL view of schema.yaml: its SELECT and its columns."""

    name: str
    select: str
    columns: dict[str, ColumnDraft]
    notes: list[str] = field(default_factory=list)


def view_select(create: str) -> str | None:
    """The SELECT of `CREATE VIEW name AS SELECT ...`, as written; None when the statement
    names the view's columns (`CREATE VIEW name(a, b) AS`), which a SQL view of schema.yaml
    does not."""
    tokens = sql_tokens(create)
    words = [i for i, t in enumerate(tokens) if significant(t)]
    view = next(n for n, i in enumerate(words) if tokens[i].upper() == "VIEW")
    n = view + 1
    if [tokens[i].upper() for i in words[n : n + 3]] == ["IF", "NOT", "EXISTS"]:
        n += 3
    n += 1  # the name
    while n + 1 < len(words) and tokens[words[n]] == ".":  # schema.name
        n += 2
    if n >= len(words) or tokens[words[n]].upper() != "AS":
        return None
    return "".join(tokens[words[n] + 1 :]).strip()


def _type_of_values(sample: ColumnSample) -> tuple[str, str]:
    """(type, why) of a view column that reads an expression (no declared type): the one
    kind of value it holds, else numeric, whose select model reads any value as text."""
    reals = sample.values - sample.integers - sample.texts - sample.blobs
    kinds = {"integer": sample.integers, "text": sample.texts, "blob": sample.blobs, "real": reals}
    for kind, count in kinds.items():
        if sample.values and count == sample.values:
            return kind, f"type {kind}: {sample.values} values read, all of that type"
    return "numeric", "type numeric: an expression whose values are mixed or absent; read as text"


def _view_column(name: str, declared: str, sample: ColumnSample) -> ColumnDraft:
    """A view column as schema.yaml declares it: the type (and mode) the column it reads
    would get, else the type of its values; NULL is allowed (the view does not say)."""
    guess = None
    if not declared:
        declared, guess = _type_of_values(sample)
    drafted = draft_column(ColumnFacts(name, declared), sample, None)
    spec = {k: v for k, v in drafted.spec.items() if k in ("type", "mode")}
    draft = ColumnDraft(spec, readings=drafted.readings, guesses=drafted.guesses)
    if guess:
        draft.guesses.append(guess)
    return draft


def draft_view(view: LiveView) -> ViewDraft | str:
    """The view as a SQL view of schema.yaml, or why it cannot be one."""
    if view.unreadable is not None:
        return f"view {view.name}: SQLite cannot read it ({view.unreadable})"
    problem = identifier_problem(view.name, "view name")
    if problem:
        return f"view {view.name}: {problem}"
    select = view_select(view.sql)
    if select is None:
        return (
            f"view {view.name}: its CREATE VIEW names its columns, which schema.yaml's SQL "
            "views do not"
        )
    for name, _, _ in view.columns:
        problem = identifier_problem(name, "column name", python_name=True)
        if problem:
            return f"view {view.name}: {problem}"
    columns = {
        name: _view_column(name, declared, sample) for name, declared, sample in view.columns
    }
    draft = ViewDraft(view.name, select, columns)
    written = f"CREATE VIEW {quote(view.name)} AS {select}"
    if written != view.sql:
        draft.notes.append(f"its CREATE VIEW is written as {written}")
    return draft
