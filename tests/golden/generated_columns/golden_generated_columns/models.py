# generated from schema.yaml — do not edit

from __future__ import annotations

from pydantic import ConfigDict, JsonValue

from libsqlkit import InsertModel, SelectModel, UpdateModel


class Product(SelectModel):
    """
    A row of `products` as stored.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: int
    name: str
    price_cents: int
    quantity: int
    total_cents: int
    label: str
    attributes: JsonValue | None
    color: str | None


class NewProduct(InsertModel):
    """
    A new row of `products`: fields with a default or that are nullable may be left out.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: int | None = None
    name: str
    price_cents: int
    quantity: int = 0
    attributes: JsonValue | None = None


class ProductUpdate(UpdateModel):
    """
    Changes to a row of `products`: only the fields set are written.
    """

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
    )
    id: int | None = None
    name: str | None = None
    price_cents: int | None = None
    quantity: int | None = None
    attributes: JsonValue | None = None
