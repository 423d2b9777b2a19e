# generated from schema.yaml — do not edit

"""The typed data layer generated from schema.yaml: models, tables, repositories, client.

Import what you need from the submodules: `golden_all_types.repositories`, `golden_all_types.models`,
`golden_all_types.client`, `golden_all_types.tables`.
"""
