"""Build-time code generator: schema.yaml -> generated/ (needs the `codegen` extra).

Pipeline: `source` (YAML with positions) -> `validate` (spec + rules) -> `ir` -> one
renderer per output (`ddl`, `sql`, `jsonschema`/`models`, templates) -> `write`.
"""
