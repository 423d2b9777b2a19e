# generated from schema.yaml — do not edit

"""The typed data layer generated from schema.yaml: models, tables, repositories, client.

Import what you need from the submodules: `golden_views.repositories`, `golden_views.models`,
`golden_views.client`, `golden_views.tables`.
"""
