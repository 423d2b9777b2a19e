# generated from schema.yaml — do not edit

"""The typed data layer generated from schema.yaml: models, tables, repositories, client.

Import what you need from the submodules: `generated.repositories`, `generated.models`,
`generated.client`, `generated.tables`.
"""
