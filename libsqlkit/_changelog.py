"""The change log that offline sync reads: its tables, triggers and version format.

Tracking is plain SQL (triggers), so every writer of the file is tracked, field by field:
this layer, a Drizzle app sharing the database, the sqlite3 shell, and the server's own
clients. The same DDL runs on devices and on the server; migrations create it.

- `__libsqlkit_sync`: one row per database: its device id, a hybrid logical clock
  (`wall` ms, `counter`), `seq` (the database's change counter: the order of commits),
  `applying` (1 while synced changes are written, so triggers skip them), how far its own
  changes were pushed (`pushed_*`) and the server's log was pulled (`pulled_*`), the
  synced schema's version (`schema`, set by migrations, with a new `epoch` each time; a
  device keeps the server's as `server_epoch`), each synced table's unique-clash
  policy (`tables`), a pending full re-sync (`resync`), the pull position the server last
  stored for this device (`acked_seq`), pulled rows held back by a unique clash (`held`),
  and, on the server, the pruning horizon and how far tombstones were pruned.
- `__libsqlkit_sync_rows`: per synced row, the current life of the row (`born`: the
  version of the insert that started it; `deleted`: whether a delete ended it), the
  version of its last write (`hlc`), the version of each column written since the row
  was born (`cols`, a JSON object; a column not in it has the version of `"*"` if given,
  else `born`), the `seq`
  of its last local write (NULL when it came from elsewhere), and: `base` (on a device,
  `cols` as they were when the row last started to have unsent changes), `origin` (on the
  server, the device whose push alone made the row as it is; any other write clears it:
  that device has the row then, and needs it from no page) and `moved` (a row moved
  aside by a unique clash: why, and its values).
- `__libsqlkit_sync_devices` (server): each device's pull position and when it was last
  seen, which is how far tombstones may be pruned.
- `__libsqlkit_sync_conflicts`: rows moved aside by a unique clash (`keep_latest`), for the
  app to read.

A version is `printf('%015d:%010d:%s', wall, counter, device)`: text order is time
order, then counter, then device id, the deterministic tie-break. `ORIGIN` sorts before
every real version: it is the version of values that no write produced (rows present
when a table started syncing, columns added by a migration), identical on every
database, so that the server's value wins such a tie.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from libsqlkit._snapshot import TableFacts

__all__ = [
    "CONFLICTS",
    "DEVICES",
    "DEVICE_OFFSET",
    "EVERY",
    "ORIGIN",
    "POLICIES",
    "ROWS",
    "STATE",
    "column_versions_ddl",
    "downgrade_to_row_level",
    "hlc_parts",
    "infrastructure_ddl",
    "row_level",
    "schema_version",
    "schema_version_ddl",
    "sync_ddl",
    "trigger_names",
    "unique_clash_policy",
    "untrack_ddl",
    "upgrade_from_row_level",
]

STATE = "__libsqlkit_sync"
ROWS = "__libsqlkit_sync_rows"
DEVICES = "__libsqlkit_sync_devices"
CONFLICTS = "__libsqlkit_sync_conflicts"
HLC_FORMAT = "%015d:%010d:%s"
DEVICE_OFFSET = 27  # where the device id starts in a version (0-based)
ORIGIN = "000000000000000:0000000000:"
EVERY = "*"  # in `cols`: the version of every column not named (rows upgraded from row level)
POLICIES = ("fail", "keep_latest")
HORIZON_MS = 30 * 24 * 3600 * 1000  # devices silent longer re-sync in full
NOW_MS = "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)"
_TICK = (
    f"UPDATE `{STATE}` SET `counter` = CASE WHEN {NOW_MS} > `wall` THEN 0 ELSE `counter` + 1 END, "
    f"`wall` = max(`wall`, {NOW_MS}), `seq` = `seq` + 1 WHERE `id` = 1"
)
_VERSION = f"printf('{HLC_FORMAT}', `wall`, `counter`, `device`)"
_POLICY_NOTE = "-- unique clashes: "  # in the insert trigger, so a policy change is a migration
# The columns each table had in the first generation (row-level versions), then what
# field-level versions added; an upgraded database has them in this order too.
_STATE_ADDED = (
    "`pushed_tbl` text NOT NULL DEFAULT ''",
    "`pushed_pk` NOT NULL DEFAULT ''",
    "`schema` text NOT NULL DEFAULT ''",
    "`epoch` text NOT NULL DEFAULT ''",
    "`server_epoch` text NOT NULL DEFAULT ''",
    "`tables` text NOT NULL DEFAULT '{}'",
    "`resync` integer NOT NULL DEFAULT 0",
    "`acked_seq` integer NOT NULL DEFAULT 0",
    "`held` text NOT NULL DEFAULT '[]'",
    f"`horizon_ms` integer NOT NULL DEFAULT {HORIZON_MS}",
    "`pruned_seq` integer NOT NULL DEFAULT 0",
)
_ROWS_ADDED = (
    f"`born` text NOT NULL DEFAULT '{ORIGIN}'",
    "`cols` text NOT NULL DEFAULT '{}'",
    "`base` text",
    "`origin` text",
    "`moved` text",
)
# Only local writes have a seq on a device (pulled entries have none): they alone are
# indexed, which is what pushes and the pending count read.
_SEQ_INDEX = f"CREATE INDEX IF NOT EXISTS `{ROWS}_seq` ON `{ROWS}` (`seq`) WHERE `seq` IS NOT NULL"
_SHARED_TABLES = (
    f"CREATE TABLE IF NOT EXISTS `{DEVICES}` (\n"
    "\t`device` text PRIMARY KEY NOT NULL,\n"
    "\t`pulled_seq` integer NOT NULL,\n"
    "\t`seen_ms` integer NOT NULL\n"
    ") WITHOUT ROWID",
    f"CREATE TABLE IF NOT EXISTS `{CONFLICTS}` (\n"
    "\t`tbl` text NOT NULL,\n"
    "\t`pk` NOT NULL,\n"
    "\t`born` text NOT NULL,\n"
    "\t`winner` NOT NULL,\n"
    "\t`columns` text NOT NULL,\n"
    "\t`row` text NOT NULL,\n"
    "\t`loser_version` text NOT NULL,\n"
    "\t`winner_version` text NOT NULL,\n"
    "\t`moved_ms` integer NOT NULL,\n"
    "\tPRIMARY KEY(`tbl`, `pk`, `born`)\n"
    ") WITHOUT ROWID",
    f"CREATE INDEX IF NOT EXISTS `{ROWS}_tombstones` ON `{ROWS}` (`seq`) WHERE `deleted` = 1",
)


def hlc_parts(hlc: str) -> tuple[int, int, str]:
    """(wall ms, counter, device) of a version."""
    wall, counter, device = hlc.split(":", 2)
    return int(wall), int(counter), device


def _columns(added: Sequence[str]) -> str:
    return "".join(f",\n\t{column}" for column in added)


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
        f"\t`pulled_pk` NOT NULL{_columns(_STATE_ADDED)}\n"
        ")",
        f"INSERT OR IGNORE INTO `{STATE}` (`id`, `device`, `wall`, `counter`, `seq`, "
        "`applying`, `pushed_seq`, `pulled_seq`, `pulled_tbl`, `pulled_pk`) "
        "VALUES (1, lower(hex(randomblob(8))), 0, 0, 0, 0, 0, 0, '', '')",
        f"CREATE TABLE IF NOT EXISTS `{ROWS}` (\n"
        "\t`tbl` text NOT NULL,\n"
        "\t`pk` NOT NULL,\n"
        "\t`hlc` text NOT NULL,\n"
        "\t`deleted` integer NOT NULL,\n"
        f"\t`seq` integer{_columns(_ROWS_ADDED)},\n"
        "\tPRIMARY KEY(`tbl`, `pk`)\n"
        ") WITHOUT ROWID",
        _SEQ_INDEX,
        *_SHARED_TABLES,
    )


def upgrade_from_row_level() -> tuple[str, ...]:
    """A first-generation change log (row-level versions) brought to field level, keeping
    device ids, clocks, cursors and unsent changes. Every row keeps its version, now as
    the version of each of its fields, in a life that began before field-level tracking
    (`ORIGIN`), the same on every database."""
    return (
        *(f"ALTER TABLE `{STATE}` ADD COLUMN {column}" for column in _STATE_ADDED),
        *(f"ALTER TABLE `{ROWS}` ADD COLUMN {column}" for column in _ROWS_ADDED),
        f"DROP INDEX `{ROWS}_seq`",
        _SEQ_INDEX,
        *_SHARED_TABLES,
    )


def row_level(trigger_sql: str) -> bool:
    """Whether a trigger is the first generation's (row-level versions)."""
    return "`cols`" not in trigger_sql


def unique_clash_policy(insert_trigger_sql: str) -> str:
    """The unique-clash policy a table's insert trigger was made with (its note)."""
    for line in insert_trigger_sql.splitlines():
        if line.strip().startswith(_POLICY_NOTE):
            return line.strip()[len(_POLICY_NOTE) :].strip()
    return "fail"


def trigger_names(table: str) -> tuple[str, str, str]:
    return (
        f"__libsqlkit_{table}_insert",
        f"__libsqlkit_{table}_update",
        f"__libsqlkit_{table}_delete",
    )


def _upsert(table: str, key: str, deleted: int, on_conflict: str) -> str:
    return (
        f"\tINSERT INTO `{ROWS}` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n"
        f"\t\tSELECT '{table}', {key}, {_VERSION}, {deleted}, `seq`, {_VERSION}, '{{}}' "
        f"FROM `{STATE}` WHERE `id` = 1\n"
        f"\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET {on_conflict};\n"
    )


# When a row starts to have unsent changes, its versions as last synced are kept.
_BASE = (
    "`base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, "
    f"`pushed_tbl`, `pushed_pk` FROM `{STATE}` WHERE `id` = 1) THEN `cols` ELSE `base` END"
)
_NEW_LIFE = (
    "`hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, "
    "`cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL"
)


def sync_ddl(
    table: str, primary_key: str, columns: Sequence[str], policy: str = "fail"
) -> tuple[str, ...]:
    """What makes `table` synced: the log tables, its policy, a version for each existing
    row (a no-op on a new or already synced table) and the triggers that version every
    write, field by field.

    An insert starts a new life of the row; an update gives each changed column the new
    version; a delete ends the life (a tombstone). Names come from the validated schema,
    so quoting them with backticks is safe.
    """
    insert, update, delete = trigger_names(table)
    skip = f"WHEN (SELECT `applying` FROM `{STATE}` WHERE `id` = 1) = 0"
    new_key, old_key = f"NEW.`{primary_key}`", f"OLD.`{primary_key}`"
    changed = ", ".join(
        f"CASE WHEN NEW.`{c}` IS NOT OLD.`{c}` THEN '$.{c}' END, excluded.`hlc`"
        for c in columns
        if c != primary_key
    )
    fields = f"json_set(`cols`, {changed})" if changed else "`cols`"
    versioned = [c for c in columns if c != primary_key]
    same_key = f"{old_key} IS {new_key}"
    return (
        *infrastructure_ddl(),
        f"UPDATE `{STATE}` SET `tables` = json_set(`tables`, '$.{table}', '{policy}') WHERE `id` = 1",
        _TICK,
        f"INSERT OR IGNORE INTO `{ROWS}` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n"
        f"\tSELECT '{table}', t.`{primary_key}`, '{ORIGIN}', 0, s.`seq`, '{ORIGIN}', '{{}}' "
        f"FROM `{table}` AS t,\n\t(SELECT `seq` FROM `{STATE}` WHERE `id` = 1) AS s",
        column_versions_ddl(table, versioned, upgrade=True),
        f"CREATE TRIGGER `{insert}` AFTER INSERT ON `{table}` {skip}\nBEGIN\n"
        f"\t{_POLICY_NOTE}{policy}\n\t{_TICK};\n{_upsert(table, new_key, 0, _NEW_LIFE)}END",
        f"CREATE TRIGGER `{update}` AFTER UPDATE ON `{table}` {skip}\nBEGIN\n\t{_TICK};\n"
        + _upsert(
            table,
            new_key,
            0,
            f"{_BASE}, `cols` = CASE WHEN {same_key} THEN {fields} ELSE '{{}}' END, "
            f"`born` = CASE WHEN {same_key} THEN `born` ELSE excluded.`born` END, "
            "`hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL",
        )
        + f"\tUPDATE `{ROWS}` SET `deleted` = 1, `hlc` = (SELECT {_VERSION} FROM `{STATE}` "
        f"WHERE `id` = 1), `seq` = (SELECT `seq` FROM `{STATE}` WHERE `id` = 1), `origin` = NULL\n"
        f"\t\tWHERE `tbl` = '{table}' AND `pk` = {old_key} AND NOT {same_key};\nEND",
        f"CREATE TRIGGER `{delete}` AFTER DELETE ON `{table}` {skip}\nBEGIN\n\t{_TICK};\n"
        + _upsert(
            table,
            old_key,
            1,
            f"{_BASE}, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, "
            "`origin` = NULL, `moved` = NULL",
        )
        + "END",
    )


def column_versions_ddl(
    table: str,
    columns: Sequence[str],
    *,
    added: Iterable[str] = (),
    renamed: dict[str, str] | None = None,
    upgrade: bool = False,
) -> str:
    """Keep each row's column versions in step with the table's columns: a renamed column
    keeps its versions, a dropped one loses them, an added one gets `ORIGIN` (older than
    any write, the same on every database). With `upgrade`, rows versioned as a whole by
    the first generation get that version for each column."""
    if upgrade:
        return (
            f"UPDATE `{ROWS}` SET `cols` = json_object('{EVERY}', `hlc`) WHERE `tbl` = '{table}' "
            f"AND `born` = '{ORIGIN}' AND `cols` = '{{}}' AND `hlc` <> '{ORIGIN}'"
        )
    renamed = renamed or {}
    value = "`cols`"
    if renamed:
        moves = ", ".join(
            f"CASE WHEN json_type(`cols`, '$.{old}') IS NOT NULL THEN '$.{new}' END, "
            f"json_extract(`cols`, '$.{old}')"
            for new, old in renamed.items()
        )
        olds = ", ".join(f"'$.{old}'" for old in renamed.values())
        value = f"json_set(json_remove(`cols`, {olds}), {moves})"
    kept = ", ".join(f"'{c}'" for c in (*columns, EVERY))
    value = (
        f"(SELECT coalesce(json_group_object(key, value), '{{}}') FROM json_each({value}) "
        f"WHERE key IN ({kept}))"
    )
    origins = ", ".join(f"'$.{c}', '{ORIGIN}'" for c in added)
    if origins:
        value = f"json_set({value}, {origins})"
    return f"UPDATE `{ROWS}` SET `cols` = {value} WHERE `tbl` = '{table}'"


def downgrade_to_row_level() -> tuple[str, ...]:
    """The reverse of `upgrade_from_row_level`: the first generation's tables again (its
    columns were kept up to date: `hlc` and `deleted` of each row)."""
    added = [column.split("`")[1] for column in (*_STATE_ADDED, *_ROWS_ADDED)]
    return (
        f"DROP INDEX `{ROWS}_seq`",
        f"CREATE INDEX `{ROWS}_seq` ON `{ROWS}` (`seq`)",
        f"DROP INDEX IF EXISTS `{ROWS}_tombstones`",
        f"DROP TABLE IF EXISTS `{DEVICES}`",
        f"DROP TABLE IF EXISTS `{CONFLICTS}`",
        *(
            f"ALTER TABLE `{STATE if n < len(_STATE_ADDED) else ROWS}` DROP COLUMN `{name}`"
            for n, name in enumerate(added)
        ),
    )


def untrack_ddl(table: str) -> tuple[str, ...]:
    """What a table that stops syncing (or is dropped) leaves behind: nothing."""
    return (
        f"DELETE FROM `{ROWS}` WHERE `tbl` = '{table}'",
        f"UPDATE `{STATE}` SET `tables` = json_remove(`tables`, '$.{table}') WHERE `id` = 1",
    )


def schema_version(tables: Iterable[TableFacts]) -> str:
    """The version of the synced schema: a digest of the synced tables' facts (columns,
    keys, indexes, triggers, hence each table's unique-clash policy). Two databases sync
    only when theirs agree."""
    synced = sorted(
        (table.as_data() | {"ddl": None} for table in tables if table.triggers),
        key=lambda t: str(t["name"]),
    )
    digest = hashlib.sha256(json.dumps(synced, sort_keys=True).encode()).hexdigest()
    return digest[:16]


def schema_version_ddl(version: str) -> str:
    """Recorded by every migration that changes the synced schema, with a new `epoch`
    (a rollback and a re-migration end on the same version, not the same data). A device
    re-syncs in full once after its own migration (`resync`) and after the server's (its
    epoch changed): every row comes to the server's state, new columns included."""
    return (
        f"UPDATE `{STATE}` SET `schema` = '{version}', `epoch` = lower(hex(randomblob(8))), "
        "`resync` = 1 WHERE `id` = 1"
    )
