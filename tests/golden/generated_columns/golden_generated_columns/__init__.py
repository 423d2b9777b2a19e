# generated from schema.yaml — do not edit

"""The typed data layer generated from schema.yaml: models, tables, repositories, client.

Import what you need from the submodules: `golden_generated_columns.repositories`, `golden_generated_columns.models`,
`golden_generated_columns.client`, `golden_generated_columns.tables`.
"""
