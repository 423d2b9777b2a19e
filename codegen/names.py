"""Names in the generated code: the ones schema.yaml may not take, and how the
generated modules keep clear of the others.

A name from schema.yaml must not take an attribute the generated classes already have:
a query named like a repository method (`get`, `select_model`, `db`) would hide it, a
column named like a model or table attribute (`json`, `model_config`, `table`) would
shadow it. Those sets are read from the classes themselves: their attributes, their
annotations, and the attributes their methods assign to `self` (`self.db = db`), so
adding a base class (say an AsyncRepository) is one line here and needs no list of
names. Every other name is usable: `Scope` decides how a module refers to what it
imports when a schema name matches it.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel

from libsqlkit import (
    AsyncRepository,
    AsyncSoftDeleteRepository,
    AsyncViewRepository,
    InsertModel,
    PayloadModel,
    Repository,
    SelectModel,
    SoftDeleteRepository,
    TableRef,
    UpdateModel,
    ViewRef,
    ViewRepository,
)

__all__ = [
    "HELPERS",
    "MODEL_BASES",
    "REPOSITORY_BASES",
    "TABLES_MODULE_NAMES",
    "TABLE_BASES",
    "Scope",
    "column_attributes",
    "property_attributes",
    "query_attributes",
]

# The classes generated code subclasses: repositories, table classes, pydantic models
# (the JSON payload models of `json_schema` are plain BaseModels).
REPOSITORY_BASES: tuple[type, ...] = (
    Repository,
    SoftDeleteRepository,
    AsyncRepository,
    AsyncSoftDeleteRepository,
    ViewRepository,
    AsyncViewRepository,
)
TABLE_BASES: tuple[type, ...] = (TableRef, ViewRef)
MODEL_BASES: tuple[type, ...] = (SelectModel, InsertModel, UpdateModel, PayloadModel, BaseModel)


# The names generated modules use that schema.yaml does not give: name -> module.
HELPERS: dict[str, str] = {
    "UTC": "datetime",
    "datetime": "datetime",
    "ClassVar": "typing",
    "Final": "typing",
    "Literal": "typing",
    "JsonValue": "pydantic",
    **dict.fromkeys(
        ["Column", "Schema", "Table", "TableSql", "TableRef", "ViewRef", "codecs", "Plan"],
        "libsqlkit",
    ),
    **dict.fromkeys(["fetch_one", "fetch_all", "One", "MaybeOne", "Many"], "libsqlkit"),
    **{base.__name__: "libsqlkit" for base in REPOSITORY_BASES},
    **dict.fromkeys(["str", "int", "float", "bool", "bytes", "list", "tuple"], "builtins"),
}
# What tables.py binds for every schema, neither importable under another name: its
# SCHEMA constant and `annotations` (of `from __future__ import annotations`).
TABLES_MODULE_NAMES = frozenset({"SCHEMA", "annotations"})


class Scope:
    """How one generated module refers to the names it uses but does not define.

    A helper (`Final`, `datetime`, `codecs`) that a schema name in the module matches (a
    model named `Final`, a column named `datetime`, a query named `list`) is imported as
    `_<name>`, which no schema name can be (they start with a letter). A class or
    constant of the package's other modules that the module also has under that name
    (model `T1` next to table constant `T1`) is used as `_models.T1`. So generated code
    is immune to such names, and reads as usual for every other schema.
    """

    def __init__(
        self, package: str, imported: dict[str, list[str]], defined: Iterable[str]
    ) -> None:
        self.package = package
        local = set(defined)
        taken = local.union(*imported.values())
        self.helpers = {name: f"_{name}" if name in taken else name for name in HELPERS}
        self.refs = {
            (module, name): (
                f"_{module}.{name}"
                if name in local or any(name in n for m, n in imported.items() if m != module)
                else name
            )
            for module, names in imported.items()
            for name in names
        }

    def ref(self, module: str, name: str) -> str:
        """How the module writes `name` of the package's module `module`."""
        return self.refs[(module, name)]

    def imports(self, used: set[str]) -> list[str]:
        """The import lines for the names in `used` (ruff sorts them)."""
        lines = []
        for name, module in HELPERS.items():
            local = self.helpers[name]
            if local in used and not (module == "builtins" and local == name):
                lines.append(f"from {module} import {name}" + (f" as {local}" * (local != name)))
        for (module, name), local in self.refs.items():
            if local == name and name in used:
                lines.append(f"from {self.package}.{module} import {name}")
            elif local != name and f"_{module}" in used:
                lines.append(f"from {self.package} import {module} as _{module}")
        return list(dict.fromkeys(lines))


@cache
def _assigned_to_self(cls: type) -> frozenset[str]:
    """Instance attributes set by the class's own methods, such as `self.db = db`.

    Read from the runtime's own classes only: pydantic declares its instance attributes
    (`__dict__`, `__pydantic_fields_set__`, ...) as slots, and parsing typing's or
    pydantic's whole source would cost a quarter of a second on every run.
    """
    if cls.__module__.partition(".")[0] != Repository.__module__.partition(".")[0]:
        return frozenset()
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return frozenset()
    return frozenset(
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def _attributes(classes: tuple[type, ...]) -> frozenset[str]:
    names: set[str] = set()
    for cls in classes:
        names.update(dir(cls))
        for klass in cls.__mro__:
            names.update(vars(klass).get("__annotations__", {}))
            names.update(_assigned_to_self(klass))
    return frozenset(names)


@cache
def query_attributes() -> frozenset[str]:
    """What a repository has before its queries are added: no query may take these."""
    return _attributes(REPOSITORY_BASES)


@cache
def column_attributes() -> frozenset[str]:
    """What table classes and models have besides their columns."""
    return _attributes(TABLE_BASES + MODEL_BASES)


@cache
def property_attributes() -> frozenset[str]:
    """What a JSON payload model has besides the properties of its `json_schema`."""
    return _attributes(MODEL_BASES)
