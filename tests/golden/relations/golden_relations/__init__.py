# generated from schema.yaml — do not edit

"""The typed data layer generated from schema.yaml: models, tables, repositories, client.

Import what you need from the submodules: `golden_relations.repositories`, `golden_relations.models`,
`golden_relations.client`, `golden_relations.tables`.
"""
