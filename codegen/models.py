"""generated/models.py, produced by datamodel-code-generator: in one call for the whole
schema, or per table from the cache (model_chunks.py), or in shares of the tables made
side by side and joined the same way (`models_share`, used by models_job.py).

The generator names classes and fields its own way when a name is taken (a model named
like one of its imports, a column named like a type it writes), and the rest of the
generated code would then import a class or set a field that does not exist.
`model_clashes` reads the module it made and says where it departed from the schema.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Any

from .cache import OutputCache, content_key
from .ir import SchemaIR, TableIR
from .jsonschema import document_of, models_parts
from .model_chunks import joinable, joined, joined_models, pieces_of
from .pynames import names_in, parsed

__all__ = [
    "ModelClash",
    "Share",
    "SharePieces",
    "model_clashes",
    "models_of_shares",
    "models_share",
    "render_models",
    "warm_up",
]

# The generator is imported where it runs (`_generate`); missing, it is named now, when
# the command loads, as the code-generation extra's other packages are.
if importlib.util.find_spec("datamodel_code_generator") is None:
    raise ModuleNotFoundError(
        "No module named 'datamodel_code_generator'", name="datamodel_code_generator"
    )

_BASES = ("SelectModel", "InsertModel", "UpdateModel")


def render_models(schema: SchemaIR, header: str, cache: OutputCache | None = None) -> str:
    """The text of models.py (before ruff formats it); with a cache, from each table's
    cached classes where they can be joined (model_chunks), else the whole module's."""
    parts = models_parts(schema)
    if cache is None:
        return _generate(json.dumps(document_of(parts)), header)
    joined = joined_models(parts, header, cache, partial(_generate, header=header))
    if joined is not None:
        return joined
    document = json.dumps(document_of(parts))
    key = content_key("models", header, document)
    text = cache.get(key)
    if text is None:
        text = _generate(document, header)
        cache.put(key, text)
    return text


@dataclass(frozen=True)
class SharePieces:
    """A share's tables' pieces (model_chunks), and whether their classes were made in
    one call that model_clashes found keeping every name of theirs (`checked`)."""

    pieces: list[dict[str, Any]]
    checked: bool


# A share's answer: its pieces, or models.py whole, or nothing.
Share = SharePieces | str | None


def models_share(
    schema: SchemaIR, header: str, cache: OutputCache | None, index: int, count: int
) -> Share:
    """Share `index` of `count` of models.py, for processes that make it side by side
    (the generator takes about as long per table): its tables' classes, where models.py
    can be put together from them; else the whole text from share 0, nothing from the
    others. The classes made here are checked here, on the tree their pieces were cut
    from: models.py is free of clashes when every share's classes are (`joined` has
    refused class names taken twice or by an import), so the caller checks it only when
    a share found one or could not tell (pieces from the cache)."""
    parts = models_parts(schema)
    if not joinable(parts):
        return render_models(schema, header, cache) if index == 0 else None
    size = -(-len(parts) // count)
    first = index * size
    mine = parts[first : first + size]
    made: dict[str, str] = {}

    def generate(document: str) -> str:
        made[document] = _generate(document, header)
        return made[document]

    pieces = pieces_of(mine, cache, generate)
    if pieces is None:
        return None
    text = made.get(json.dumps(document_of(mine)))  # None: some came from the cache
    return SharePieces(
        pieces, text is not None and not model_clashes(_part_of(schema, first, len(mine)), text)
    )


def _part_of(schema: SchemaIR, first: int, count: int) -> SchemaIR:
    """The tables and views of parts `first` to `first + count` (models_parts: one part
    per table, then one per view)."""
    tables = len(schema.tables)
    return replace(
        schema,
        tables=schema.tables[first : first + count],
        views=schema.views[max(first - tables, 0) : max(first + count - tables, 0)],
    )


def models_of_shares(header: str, shares: list[Share]) -> tuple[str, bool] | None:
    """models.py from every share's answer, and whether every share found its classes
    free of clashes; None if they do not make it."""
    pieces: list[dict[str, Any]] = []
    checked = True
    for share in shares:
        if isinstance(share, str):
            return share, False
        if share is None:
            return None
        pieces += share.pieces
        checked = checked and share.checked
    text = joined(header, pieces)
    return None if text is None else (text, checked)


def warm_up() -> None:
    """The generator's first call imports most of it (≈0.4 s): made on a one-class
    document by a child that waits for the IR anyway."""
    part = {"WarmUp": {"type": "object", "properties": {"a": {"type": "string"}}}}
    _generate(json.dumps(document_of([part])), "")


@lru_cache(maxsize=4)
def _generate(document: str, header: str) -> str:
    """One generator call per document: validation and rendering both need the module.
    It is given the parsed document: text would be parsed again by its YAML loader, in
    pure Python, about half of its time on a large schema. It formats nothing: ruff
    formats models.py with the rest of generated/ (render._format).

    The generator is imported here, not with this module: the CLI's child process
    imports it while the parent reads schema.yaml (models_job.py)."""
    from datamodel_code_generator import (
        DatetimeClassType,
        InputFileType,
        LiteralType,
        NamingStrategy,
        PythonVersion,
        generate,
    )
    from datamodel_code_generator.enums import DataModelType

    output = generate(
        json.loads(document),
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        enum_field_as_literal=LiteralType.All,
        output_datetime_class=DatetimeClassType.Awaredatetime,
        use_union_operator=True,
        use_standard_collections=True,
        disable_timestamp=True,
        strict_nullable=True,
        use_annotated=True,
        field_constraints=True,
        use_exact_imports=True,
        naming_strategy=NamingStrategy.ParentPrefixed,
        use_schema_description=True,
        use_field_description=True,
        use_double_quotes=True,
        formatters=[],
        custom_file_header=header.rstrip("\n"),
    )
    if not isinstance(output, str):
        raise TypeError("datamodel-code-generator returned several modules; expected one")
    return output


@dataclass(frozen=True)
class ModelClash:
    """Where models.py departs from the schema: a table's classes, a column, or a
    property of a column's json_schema."""

    table: str
    column: str | None
    json_property: str | None
    message: str
    view: bool = False  # `table` names a view


def _json_owner(schema: SchemaIR, class_name: str, prop: str) -> tuple[str, str]:
    """(table, column) of the json column a payload class with property `prop` comes
    from: the columns whose model name starts the class name first, longest first."""

    def has(node: object) -> bool:
        if not isinstance(node, dict):
            return False
        properties = node.get("properties")
        return (isinstance(properties, dict) and prop in properties) or any(
            has(value) for value in node.values()
        )

    def closeness(owner: tuple[str, str, str]) -> int:
        return -len(owner[2]) if class_name.startswith(owner[2]) else 0

    owners = sorted(
        (
            (table.name, column.name, column.json_model)
            for table in schema.tables
            for column in table.columns
            if column.json_model is not None
        ),
        key=closeness,
    )
    schemas = {(t.name, c.name): c.json_schema for t in schema.tables for c in t.columns}
    table, column, _ = next((o for o in owners if has(schemas[o[:2]])), owners[0])
    return table, column


def _imports(tree: ast.Module) -> dict[str, str]:
    """Each name the module imports, with the module it comes from."""
    return {
        alias.asname or alias.name: (node.module if isinstance(node, ast.ImportFrom) else None)
        or alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }


def _fields(node: ast.ClassDef) -> list[str]:
    return [
        statement.target.id
        for statement in node.body
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
    ]


def model_clashes(schema: SchemaIR, text: str) -> list[ModelClash]:
    """Every class or field of the generated models.py (`text`) that is not the schema's."""
    tree = parsed(text)
    imported = _imports(tree)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    clashes = []

    def taken(table: TableIR, column: str | None, name: str) -> None:
        if name in imported:
            why = f"{name!r}, which models.py imports from {imported[name]}"
        else:
            why = "a class datamodel-code-generator makes from a json_schema"
        fix = "set 'model:' to another name" if column is None else "rename the column"
        message = f"the generated class {name!r} clashes with {why}; {fix}"
        clashes.append(ModelClash(table.name, column, None, message))

    for table in schema.tables:
        for name, base in zip(_classes_of(table), _BASES, strict=True):
            node = classes.get(name)
            bases = [b.id for b in node.bases if isinstance(b, ast.Name)] if node else []
            if node is None or bases != [base] or name in imported:
                taken(table, None, name)
                continue
            columns = table.columns if base == "SelectModel" else table.writable
            for column, field in zip(columns, _fields(node), strict=False):
                if column.name != field:
                    message = (
                        f"column name {column.name!r} cannot be a field of the generated "
                        f"models: datamodel-code-generator renames it to {field!r}"
                    )
                    clashes.append(ModelClash(table.name, column.name, None, message))
        for column in table.columns:
            json_model = column.json_model
            if json_model is not None and (json_model not in classes or json_model in imported):
                taken(table, column.name, json_model)
    for view in schema.views:
        node = classes.get(view.model)
        bases = [b.id for b in node.bases if isinstance(b, ast.Name)] if node else []
        if node is None or bases != ["SelectModel"] or view.model in imported:
            clashes.append(
                ModelClash(
                    view.name,
                    None,
                    None,
                    f"the generated class {view.model!r} clashes "
                    "with another class of models.py; set 'model:' to another name",
                    view=True,
                )
            )
            continue
        for column, field in zip(view.readable.columns, _fields(node), strict=False):
            if column.name != field:
                message = (
                    f"column name {column.name!r} cannot be a field of the generated "
                    f"model: datamodel-code-generator renames it to {field!r}"
                )
                clashes.append(ModelClash(view.name, column.name, None, message, view=True))
    # Each table's and view's classes, with their owner (and whether it is a view).
    owners = {name: (t.name, False) for t in schema.tables for name in _classes_of(t)}
    owners.update({view.model: (view.name, True) for view in schema.views})
    for name, node in classes.items():
        renamed = [] if name in owners else _renamed_fields(node)
        for prop, message in [
            *((p, _RENAMED) for p in renamed),
            *((f, _HIDES) for f in _hiding_fields(node)),
        ]:
            if name in owners:
                where, of_view = owners[name]
                clashes.append(
                    ModelClash(where, prop, None, f"column name {prop!r} {message}", view=of_view)
                )
            else:
                owner = _json_owner(schema, name, prop)
                clashes.append(ModelClash(*owner, prop, f"property {prop!r} {message}"))
    parsed.cache_clear()  # the last reader of a models text: its tree is let go of here
    return list(dict.fromkeys(clashes))


_RENAMED = "cannot be a field name of the generated model: datamodel-code-generator renames it"
_HIDES = "would hide the type of that name, which the generated model uses; choose another name"


def _classes_of(table: TableIR) -> tuple[str, str, str]:
    return table.model, table.insert_model, table.update_model


def _renamed_fields(node: ast.ClassDef) -> list[str]:
    """The properties a payload class keeps only as aliases (`Field(alias="str")`)."""
    return [
        str(keyword.value.value)
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        for keyword in call.keywords
        if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant)
    ]


def _hiding_fields(node: ast.ClassDef) -> list[str]:
    """Fields of a class named like a name that their own or a later statement reads,
    such as a field `list` and a field typed `list[str]`: in the class body that name is
    the field, for mypy and for pydantic alike."""
    fields: list[str] = []
    hiding: list[str] = []
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            fields.append(statement.target.id)
        read = names_in(statement, read_only=True)
        hiding += [field for field in fields if field in read and field not in hiding]
    return hiding
