"""generated/models.py, produced by datamodel-code-generator in a single call."""

from __future__ import annotations

import json

from datamodel_code_generator import (
    DatetimeClassType,
    InputFileType,
    LiteralType,
    NamingStrategy,
    PythonVersion,
    generate,
)
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import Formatter

from codegen.ir import SchemaIR
from codegen.jsonschema import models_document

__all__ = ["render_models"]


def render_models(schema: SchemaIR, header: str) -> str:
    document = json.dumps(models_document(schema), sort_keys=False)
    output = generate(
        document,
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
        formatters=[Formatter.RUFF_FORMAT],
        custom_file_header=header.rstrip("\n"),
    )
    if not isinstance(output, str):
        raise TypeError("datamodel-code-generator returned several modules; expected one")
    return output
