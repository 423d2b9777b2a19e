# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml, sync and async."""

from golden_generated_columns.repositories.products import AsyncProductRepository, ProductRepository

__all__ = ["AsyncProductRepository", "ProductRepository"]
