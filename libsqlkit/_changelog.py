"""The change log that offline sync reads: its tables, triggers and version format.

Tracking is plain SQL (triggers), so every writer of the file is tracked: this layer, a
Drizzle app sharing the database, the sqlite3 shell, and the server's own clients. The
same DDL runs on devices and on the server; migrations create it (`sync: true` tables).

- `__libsqlkit_sync`: one row per database: its device id, a hybrid logical clock
  (`wall` ms, `counter`), `seq` (the database's change counter: the order of commits),
  `applying` (1 while synced changes are written, so triggers skip them), the device's
  `pushed_seq` (own changes sent) and its pull cursor (`pulled_seq`, `pulled_tbl`,
  `pulled_pk`): the server's change-log entries up to it have been received.
- `__libsqlkit_sync_rows`: per synced row, the version of its last write (`hlc`), whether
  that write deleted it (tombstone), and the `seq` of that write.

A version is `printf('%015d:%010d:%s', wall, counter, device)`: text order is time
order, then counter, then device id, the deterministic tie-break.
"""

from __future__ import annotations

__all__ = [
    "DEVICE_OFFSET",
    "ROWS",
    "STATE",
    "hlc_parts",
    "infrastructure_ddl",
    "sync_ddl",
    "trigger_names",
]

STATE = "__libsqlkit_sync"
ROWS = "__libsqlkit_sync_rows"
HLC_FORMAT = "%015d:%010d:%s"
DEVICE_OFFSET = 27  # where the device id starts in a version (0-based)
NOW_MS = "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)"
_TICK = (
    f"UPDATE `{STATE}` SET `counter` = CASE WHEN {NOW_MS} > `wall` THEN 0 ELSE `counter` + 1 END, "
    f"`wall` = max(`wall`, {NOW_MS}), `seq` = `seq` + 1 WHERE `id` = 1"
)
_VERSION = f"printf('{HLC_FORMAT}', `wall`, `counter`, `device`)"


def hlc_parts(hlc: str) -> tuple[int, int, str]:
    """(wall ms, counter, device) of a version."""
    wall, counter, device = hlc.split(":", 2)
    return int(wall), int(counter), device


def infrastructure_ddl() -> tuple[str, ...]:
    """The state and change-log tables; idempotent, so every synced table repeats them."""
    return (
        f"CREATE TABLE IF NOT EXISTS `{STATE}` (\n"
        "\t`id` integer PRIMARY KEY NOT NULL CHECK(`id` = 1),\n"
        "\t`device` text NOT NULL,\n"
        "\t`wall` integer NOT NULL,\n"
        "\t`counter` integer NOT NULL,\n"
        "\t`seq` integer NOT NULL,\n"
        "\t`applying` integer NOT NULL,\n"
        "\t`pushed_seq` integer NOT NULL,\n"
        "\t`pulled_seq` integer NOT NULL,\n"
        "\t`pulled_tbl` text NOT NULL,\n"
        "\t`pulled_pk` NOT NULL\n"
        ")",
        f"INSERT OR IGNORE INTO `{STATE}` (`id`, `device`, `wall`, `counter`, `seq`, "
        "`applying`, `pushed_seq`, `pulled_seq`, `pulled_tbl`, `pulled_pk`) "
        "VALUES (1, lower(hex(randomblob(8))), 0, 0, 0, 0, 0, 0, '', '')",
        f"CREATE TABLE IF NOT EXISTS `{ROWS}` (\n"
        "\t`tbl` text NOT NULL,\n"
        "\t`pk` NOT NULL,\n"
        "\t`hlc` text NOT NULL,\n"
        "\t`deleted` integer NOT NULL,\n"
        "\t`seq` integer,\n"
        "\tPRIMARY KEY(`tbl`, `pk`)\n"
        ") WITHOUT ROWID",
        f"CREATE INDEX IF NOT EXISTS `{ROWS}_seq` ON `{ROWS}` (`seq`)",
    )


def trigger_names(table: str) -> tuple[str, str, str]:
    return (
        f"__libsqlkit_{table}_insert",
        f"__libsqlkit_{table}_update",
        f"__libsqlkit_{table}_delete",
    )


def _record(table: str, key: str, deleted: int, condition: str = "") -> str:
    return (
        f"\tINSERT INTO `{ROWS}` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)\n"
        f"\t\tSELECT '{table}', {key}, {_VERSION}, {deleted}, `seq` FROM `{STATE}` WHERE `id` = 1{condition}\n"
        "\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, "
        "`deleted` = excluded.`deleted`, `seq` = excluded.`seq`;\n"
    )


def sync_ddl(table: str, primary_key: str) -> tuple[str, ...]:
    """What makes `table` synced: the log tables, a version for each existing row (a
    no-op on a new or already synced table) and the triggers that version every write.

    Names come from the validated schema, so quoting them with backticks is safe.
    """
    insert, update, delete = trigger_names(table)
    skip = f"WHEN (SELECT `applying` FROM `{STATE}` WHERE `id` = 1) = 0"
    new_key, old_key = f"NEW.`{primary_key}`", f"OLD.`{primary_key}`"
    return (
        *infrastructure_ddl(),
        _TICK,
        f"INSERT OR IGNORE INTO `{ROWS}` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)\n"
        f"\tSELECT '{table}', t.`{primary_key}`, s.hlc, 0, s.`seq` FROM `{table}` AS t,\n"
        f"\t(SELECT {_VERSION} AS hlc, `seq` FROM `{STATE}` WHERE `id` = 1) AS s",
        f"CREATE TRIGGER `{insert}` AFTER INSERT ON `{table}` {skip}\nBEGIN\n"
        f"\t{_TICK};\n{_record(table, new_key, 0)}END",
        f"CREATE TRIGGER `{update}` AFTER UPDATE ON `{table}` {skip}\nBEGIN\n"
        f"\t{_TICK};\n{_record(table, new_key, 0)}"
        f"{_record(table, old_key, 1, f' AND {old_key} IS NOT {new_key}')}END",
        f"CREATE TRIGGER `{delete}` AFTER DELETE ON `{table}` {skip}\nBEGIN\n"
        f"\t{_TICK};\n{_record(table, old_key, 1)}END",
    )
