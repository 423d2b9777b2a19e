# generated from schema.yaml — do not edit

"""The typed data layer generated from schema.yaml: models, tables, repositories, client.

Import what you need from the submodules: `golden_composite_keys.repositories`, `golden_composite_keys.models`,
`golden_composite_keys.client`, `golden_composite_keys.tables`.
"""
