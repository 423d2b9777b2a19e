# generated from schema.yaml — do not edit

"""Typed table and column metadata of schema.yaml, with the SQL the repositories run."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Final

from golden_composite_keys.models import (
    NewOrder,
    NewOrderLine,
    NewRegion,
    Order,
    OrderLine,
    OrderLineUpdate,
    OrderUpdate,
    Region,
    RegionUpdate,
)
from libsqlkit import Column, Many, One, Schema, Table, TableRef, TableSql, codecs

__all__ = [
    "ORDERS",
    "ORDER_LINES",
    "REGIONS",
    "SCHEMA",
    "OrderLinesTable",
    "OrdersTable",
    "RegionsTable",
    "order_lines",
    "orders",
    "regions",
]


class RegionsTable(TableRef[Region, NewRegion, RegionUpdate]):
    """Table `regions`: its typed columns, for the query builder and the repository."""

    code: Final[Column[str, Region]] = Column(
        "regions", "code", codecs.TEXT, not_null=True, primary_key=True
    )
    name: Final[Column[str, Region]] = Column("regions", "name", codecs.TEXT, not_null=True)
    # Relations (set below, once every table class exists)
    orders: ClassVar[Many[Region, Order, Order]]

    table = Table(
        name="regions",
        columns=(code, name),
        primary_key="code",
        soft_delete=None,
        checks={},
        sql=TableSql(
            insert="INSERT INTO `regions` (`code`, `name`) VALUES (?, ?) RETURNING `code`, `name`",
            select_by_key="SELECT `code`, `name` FROM `regions` WHERE `code` = ?",
            select_page="SELECT `code`, `name` FROM `regions` ORDER BY `code` LIMIT ? OFFSET ?",
            select_after="SELECT `code`, `name` FROM `regions` WHERE `code` > ? ORDER BY `code` LIMIT ?",
            count="SELECT count(*) FROM `regions`",
            delete="DELETE FROM `regions` WHERE `code` = ? RETURNING `code`",
            update_prefix="UPDATE `regions` SET ",
            update_suffix=" WHERE `code` = ? RETURNING `code`, `name`",
            set_fragments={"code": "`code` = ?", "name": "`name` = ?"},
        ),
    )
    model = Region
    insert_model = NewRegion
    update_model = RegionUpdate


REGIONS: Final = RegionsTable.table
regions: Final = RegionsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class OrdersTable(TableRef[Order, NewOrder, OrderUpdate]):
    """Table `orders`: its typed columns, for the query builder and the repository."""

    region: Final[Column[str, Order]] = Column("orders", "region", codecs.TEXT, not_null=True)
    number: Final[Column[int, Order]] = Column("orders", "number", codecs.INTEGER, not_null=True)
    placed_at: Final[Column[datetime, Order]] = Column(
        "orders", "placed_at", codecs.TIMESTAMP, not_null=True, client_default="now"
    )
    note: Final[Column[str | None, Order]] = Column("orders", "note", codecs.TEXT)
    # Relations (set below, once every table class exists)
    of_region: ClassVar[One[Order, Region, Region]]
    lines: ClassVar[Many[Order, OrderLine, OrderLine]]

    table = Table(
        name="orders",
        columns=(region, number, placed_at, note),
        primary_key="region",
        soft_delete=None,
        checks={},
        composite_key=("region", "number"),
        references={"region": ("regions", "code")},
        sql=TableSql(
            insert="INSERT INTO `orders` (`region`, `number`, `placed_at`, `note`) VALUES (?, ?, ?, ?) RETURNING `region`, `number`, `placed_at`, `note`",
            select_by_key="SELECT `region`, `number`, `placed_at`, `note` FROM `orders` WHERE `region` = ? AND `number` = ?",
            select_page="SELECT `region`, `number`, `placed_at`, `note` FROM `orders` ORDER BY `region`, `number` LIMIT ? OFFSET ?",
            select_after="SELECT `region`, `number`, `placed_at`, `note` FROM `orders` WHERE (`region`, `number`) > (?, ?) ORDER BY `region`, `number` LIMIT ?",
            count="SELECT count(*) FROM `orders`",
            delete="DELETE FROM `orders` WHERE `region` = ? AND `number` = ? RETURNING `region`, `number`",
            update_prefix="UPDATE `orders` SET ",
            update_suffix=" WHERE `region` = ? AND `number` = ? RETURNING `region`, `number`, `placed_at`, `note`",
            set_fragments={
                "region": "`region` = ?",
                "number": "`number` = ?",
                "placed_at": "`placed_at` = ?",
                "note": "`note` = ?",
            },
        ),
    )
    model = Order
    insert_model = NewOrder
    update_model = OrderUpdate


ORDERS: Final = OrdersTable.table
orders: Final = OrdersTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class OrderLinesTable(TableRef[OrderLine, NewOrderLine, OrderLineUpdate]):
    """Table `order_lines`: its typed columns, for the query builder and the repository."""

    region: Final[Column[str, OrderLine]] = Column(
        "order_lines", "region", codecs.TEXT, not_null=True
    )
    number: Final[Column[int, OrderLine]] = Column(
        "order_lines", "number", codecs.INTEGER, not_null=True
    )
    line: Final[Column[int, OrderLine]] = Column(
        "order_lines", "line", codecs.INTEGER, not_null=True
    )
    product: Final[Column[str, OrderLine]] = Column(
        "order_lines", "product", codecs.TEXT, not_null=True
    )
    quantity: Final[Column[int, OrderLine]] = Column(
        "order_lines", "quantity", codecs.INTEGER, not_null=True
    )
    # Relations (set below, once every table class exists)
    order: ClassVar[One[OrderLine, Order, Order]]

    table = Table(
        name="order_lines",
        columns=(region, number, line, product, quantity),
        primary_key="region",
        soft_delete=None,
        checks={},
        composite_key=("region", "number", "line"),
        references={"region": ("orders", "region"), "number": ("orders", "number")},
        sql=TableSql(
            insert="INSERT INTO `order_lines` (`region`, `number`, `line`, `product`, `quantity`) VALUES (?, ?, ?, ?, ?) RETURNING `region`, `number`, `line`, `product`, `quantity`",
            select_by_key="SELECT `region`, `number`, `line`, `product`, `quantity` FROM `order_lines` WHERE `region` = ? AND `number` = ? AND `line` = ?",
            select_page="SELECT `region`, `number`, `line`, `product`, `quantity` FROM `order_lines` ORDER BY `region`, `number`, `line` LIMIT ? OFFSET ?",
            select_after="SELECT `region`, `number`, `line`, `product`, `quantity` FROM `order_lines` WHERE (`region`, `number`, `line`) > (?, ?, ?) ORDER BY `region`, `number`, `line` LIMIT ?",
            count="SELECT count(*) FROM `order_lines`",
            delete="DELETE FROM `order_lines` WHERE `region` = ? AND `number` = ? AND `line` = ? RETURNING `region`, `number`, `line`",
            update_prefix="UPDATE `order_lines` SET ",
            update_suffix=" WHERE `region` = ? AND `number` = ? AND `line` = ? RETURNING `region`, `number`, `line`, `product`, `quantity`",
            set_fragments={
                "region": "`region` = ?",
                "number": "`number` = ?",
                "line": "`line` = ?",
                "product": "`product` = ?",
                "quantity": "`quantity` = ?",
            },
        ),
    )
    model = OrderLine
    insert_model = NewOrderLine
    update_model = OrderLineUpdate


ORDER_LINES: Final = OrderLinesTable.table
order_lines: Final = (
    OrderLinesTable  # Drizzle-style: select(workflows).where(workflows.status == ...)
)


RegionsTable.orders = Many(RegionsTable, "orders", OrdersTable, (("code", "region"),))
OrdersTable.of_region = One(OrdersTable, "of_region", RegionsTable, (("region", "code"),))
OrdersTable.lines = Many(
    OrdersTable, "lines", OrderLinesTable, (("region", "region"), ("number", "number"))
)
OrderLinesTable.order = One(
    OrderLinesTable, "order", OrdersTable, (("region", "region"), ("number", "number"))
)

SCHEMA: Final = Schema(
    tables=(REGIONS, ORDERS, ORDER_LINES),
    ddl=(
        "CREATE TABLE `regions` (\n\t`code` text PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL\n)",
        "CREATE TABLE `orders` (\n\t`region` text NOT NULL,\n\t`number` integer NOT NULL,\n\t`placed_at` integer NOT NULL,\n\t`note` text,\n\tPRIMARY KEY(`region`, `number`),\n\tFOREIGN KEY (`region`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action\n)",
        "CREATE TABLE `order_lines` (\n\t`region` text NOT NULL,\n\t`number` integer NOT NULL,\n\t`line` integer NOT NULL,\n\t`product` text NOT NULL,\n\t`quantity` integer DEFAULT 1 NOT NULL,\n\tPRIMARY KEY(`region`, `number`, `line`),\n\tFOREIGN KEY (`region`,`number`) REFERENCES `orders`(`region`,`number`) ON UPDATE no action ON DELETE cascade\n)",
    ),
)
