# generated from schema.yaml — do not edit

from __future__ import annotations

from pydantic import AwareDatetime

from libsqlkit import InsertModel, SelectModel, UpdateModel


class Region(SelectModel):
    """
    A row of `regions` as stored.
    """

    code: str
    name: str


class NewRegion(InsertModel):
    """
    A new row of `regions`: fields with a default or that are nullable may be left out.
    """

    code: str
    name: str


class RegionUpdate(UpdateModel):
    """
    Changes to a row of `regions`: only the fields set are written.
    """

    code: str | None = None
    name: str | None = None


class Order(SelectModel):
    """
    An order, numbered per region.

    A row of `orders` as stored.
    """

    region: str
    number: int
    placed_at: AwareDatetime
    note: str | None


class NewOrder(InsertModel):
    """
    A new row of `orders`: fields with a default or that are nullable may be left out.
    """

    region: str
    number: int
    placed_at: AwareDatetime | None = None
    note: str | None = None


class OrderUpdate(UpdateModel):
    """
    Changes to a row of `orders`: only the fields set are written.
    """

    region: str | None = None
    number: int | None = None
    placed_at: AwareDatetime | None = None
    note: str | None = None


class OrderLine(SelectModel):
    """
    A row of `order_lines` as stored.
    """

    region: str
    number: int
    line: int
    product: str
    quantity: int


class NewOrderLine(InsertModel):
    """
    A new row of `order_lines`: fields with a default or that are nullable may be left out.
    """

    region: str
    number: int
    line: int
    product: str
    quantity: int = 1


class OrderLineUpdate(UpdateModel):
    """
    Changes to a row of `order_lines`: only the fields set are written.
    """

    region: str | None = None
    number: int | None = None
    line: int | None = None
    product: str | None = None
    quantity: int | None = None
