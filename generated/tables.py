# generated from schema.yaml — do not edit

"""Typed table and column metadata of schema.yaml, with the SQL the repositories run."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from pydantic import JsonValue

from generated.models import (
    NewSyncMetadata,
    NewUserSettings,
    NewWorkflow,
    SyncMetadata,
    SyncMetadataUpdate,
    UserSettings,
    UserSettingsUpdate,
    Workflow,
    WorkflowUpdate,
)
from libsqlkit import Column, Schema, Table, TableRef, TableSql, codecs

__all__ = [
    "SCHEMA",
    "SYNC_METADATA",
    "USER_SETTINGS",
    "WORKFLOWS",
    "SyncMetadataTable",
    "UserSettingsTable",
    "WorkflowsTable",
    "sync_metadata",
    "user_settings",
    "workflows",
]


class WorkflowsTable(TableRef[Workflow, NewWorkflow, WorkflowUpdate]):
    """Table `workflows`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Workflow]] = Column(
        "workflows", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    type: Final[Column[str, Workflow]] = Column("workflows", "type", codecs.TEXT, not_null=True)
    user_id: Final[Column[str, Workflow]] = Column(
        "workflows", "user_id", codecs.TEXT, not_null=True
    )
    status: Final[
        Column[Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"], Workflow]
    ] = Column("workflows", "status", codecs.TEXT, not_null=True)
    input_payload: Final[Column[JsonValue | None, Workflow]] = Column(
        "workflows", "input_payload", codecs.JSON_TEXT
    )
    output_payload: Final[Column[JsonValue | None, Workflow]] = Column(
        "workflows", "output_payload", codecs.JSON_TEXT
    )
    error_log: Final[Column[str | None, Workflow]] = Column("workflows", "error_log", codecs.TEXT)
    retry_count: Final[Column[int, Workflow]] = Column(
        "workflows", "retry_count", codecs.INTEGER, not_null=True
    )
    created_at: Final[Column[datetime, Workflow]] = Column(
        "workflows", "created_at", codecs.TIMESTAMP, not_null=True, client_default="now"
    )
    updated_at: Final[Column[datetime, Workflow]] = Column(
        "workflows",
        "updated_at",
        codecs.TIMESTAMP,
        not_null=True,
        client_default="now",
        on_update="now",
    )
    completed_at: Final[Column[datetime | None, Workflow]] = Column(
        "workflows", "completed_at", codecs.TIMESTAMP
    )
    deleted_at: Final[Column[datetime | None, Workflow]] = Column(
        "workflows", "deleted_at", codecs.TIMESTAMP
    )

    table = Table(
        name="workflows",
        columns=(
            id,
            type,
            user_id,
            status,
            input_payload,
            output_payload,
            error_log,
            retry_count,
            created_at,
            updated_at,
            completed_at,
            deleted_at,
        ),
        primary_key="id",
        soft_delete="deleted_at",
        checks={"workflows_status_enum": ("status",)},
        sync=True,
        sql=TableSql(
            insert="INSERT INTO `workflows` (`id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at`",
            select_by_key="SELECT `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at` FROM `workflows` WHERE `id` = ? AND `deleted_at` IS NULL",
            select_page="SELECT `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at` FROM `workflows` WHERE `deleted_at` IS NULL ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at` FROM `workflows` WHERE `id` > ? AND `deleted_at` IS NULL ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `workflows` WHERE `deleted_at` IS NULL",
            delete="DELETE FROM `workflows` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `workflows` SET ",
            update_suffix=" WHERE `id` = ? AND `deleted_at` IS NULL RETURNING `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at`",
            set_fragments={
                "id": "`id` = ?",
                "type": "`type` = ?",
                "user_id": "`user_id` = ?",
                "status": "`status` = ?",
                "input_payload": "`input_payload` = ?",
                "output_payload": "`output_payload` = ?",
                "error_log": "`error_log` = ?",
                "retry_count": "`retry_count` = ?",
                "created_at": "`created_at` = ?",
                "updated_at": "`updated_at` = ?",
                "completed_at": "`completed_at` = ?",
                "deleted_at": "`deleted_at` = ?",
            },
            soft_delete="UPDATE `workflows` SET `deleted_at` = ?, `updated_at` = ? WHERE `id` = ? AND `deleted_at` IS NULL RETURNING `id`",
            restore="UPDATE `workflows` SET `deleted_at` = NULL, `updated_at` = ? WHERE `id` = ? AND `deleted_at` IS NOT NULL RETURNING `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at`",
            select_by_key_all="SELECT `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at` FROM `workflows` WHERE `id` = ?",
            select_page_all="SELECT `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at` FROM `workflows` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after_all="SELECT `id`, `type`, `user_id`, `status`, `input_payload`, `output_payload`, `error_log`, `retry_count`, `created_at`, `updated_at`, `completed_at`, `deleted_at` FROM `workflows` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count_all="SELECT count(*) FROM `workflows`",
        ),
    )
    model = Workflow
    insert_model = NewWorkflow
    update_model = WorkflowUpdate


WORKFLOWS: Final = WorkflowsTable.table
workflows: Final = WorkflowsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class UserSettingsTable(TableRef[UserSettings, NewUserSettings, UserSettingsUpdate]):
    """Table `user_settings`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, UserSettings]] = Column(
        "user_settings", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    user_id: Final[Column[str, UserSettings]] = Column(
        "user_settings", "user_id", codecs.TEXT, not_null=True
    )
    preferences: Final[Column[JsonValue | None, UserSettings]] = Column(
        "user_settings", "preferences", codecs.JSON_TEXT
    )
    created_at: Final[Column[datetime, UserSettings]] = Column(
        "user_settings", "created_at", codecs.TIMESTAMP, not_null=True, client_default="now"
    )
    updated_at: Final[Column[datetime, UserSettings]] = Column(
        "user_settings",
        "updated_at",
        codecs.TIMESTAMP,
        not_null=True,
        client_default="now",
        on_update="now",
    )

    table = Table(
        name="user_settings",
        columns=(id, user_id, preferences, created_at, updated_at),
        primary_key="id",
        soft_delete=None,
        checks={},
        sync=True,
        sql=TableSql(
            insert="INSERT INTO `user_settings` (`id`, `user_id`, `preferences`, `created_at`, `updated_at`) VALUES (?, ?, ?, ?, ?) RETURNING `id`, `user_id`, `preferences`, `created_at`, `updated_at`",
            select_by_key="SELECT `id`, `user_id`, `preferences`, `created_at`, `updated_at` FROM `user_settings` WHERE `id` = ?",
            select_page="SELECT `id`, `user_id`, `preferences`, `created_at`, `updated_at` FROM `user_settings` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `user_id`, `preferences`, `created_at`, `updated_at` FROM `user_settings` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `user_settings`",
            delete="DELETE FROM `user_settings` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `user_settings` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `user_id`, `preferences`, `created_at`, `updated_at`",
            set_fragments={
                "id": "`id` = ?",
                "user_id": "`user_id` = ?",
                "preferences": "`preferences` = ?",
                "created_at": "`created_at` = ?",
                "updated_at": "`updated_at` = ?",
            },
        ),
    )
    model = UserSettings
    insert_model = NewUserSettings
    update_model = UserSettingsUpdate


USER_SETTINGS: Final = UserSettingsTable.table
user_settings: Final = (
    UserSettingsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)
)


class SyncMetadataTable(TableRef[SyncMetadata, NewSyncMetadata, SyncMetadataUpdate]):
    """Table `sync_metadata`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, SyncMetadata]] = Column(
        "sync_metadata", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    table_name: Final[Column[str, SyncMetadata]] = Column(
        "sync_metadata", "table_name", codecs.TEXT, not_null=True
    )
    last_sync_at: Final[Column[datetime | None, SyncMetadata]] = Column(
        "sync_metadata", "last_sync_at", codecs.TIMESTAMP
    )
    sync_status: Final[
        Column[Literal["PENDING", "SYNCING", "COMPLETED", "FAILED"], SyncMetadata]
    ] = Column("sync_metadata", "sync_status", codecs.TEXT, not_null=True)

    table = Table(
        name="sync_metadata",
        columns=(id, table_name, last_sync_at, sync_status),
        primary_key="id",
        soft_delete=None,
        checks={"sync_metadata_sync_status_enum": ("sync_status",)},
        sql=TableSql(
            insert="INSERT INTO `sync_metadata` (`id`, `table_name`, `last_sync_at`, `sync_status`) VALUES (?, ?, ?, ?) RETURNING `id`, `table_name`, `last_sync_at`, `sync_status`",
            select_by_key="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_metadata` WHERE `id` = ?",
            select_page="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_metadata` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_metadata` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `sync_metadata`",
            delete="DELETE FROM `sync_metadata` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `sync_metadata` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `table_name`, `last_sync_at`, `sync_status`",
            set_fragments={
                "id": "`id` = ?",
                "table_name": "`table_name` = ?",
                "last_sync_at": "`last_sync_at` = ?",
                "sync_status": "`sync_status` = ?",
            },
        ),
    )
    model = SyncMetadata
    insert_model = NewSyncMetadata
    update_model = SyncMetadataUpdate


SYNC_METADATA: Final = SyncMetadataTable.table
sync_metadata: Final = (
    SyncMetadataTable  # Drizzle-style: select(workflows).where(workflows.status == ...)
)

SCHEMA: Final = Schema(
    tables=(WORKFLOWS, USER_SETTINGS, SYNC_METADATA),
    ddl=(
        "CREATE TABLE `workflows` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`type` text NOT NULL,\n\t`user_id` text NOT NULL,\n\t`status` text DEFAULT 'PENDING' NOT NULL,\n\t`input_payload` text,\n\t`output_payload` text,\n\t`error_log` text,\n\t`retry_count` integer DEFAULT 0 NOT NULL,\n\t`created_at` integer NOT NULL,\n\t`updated_at` integer NOT NULL,\n\t`completed_at` integer,\n\t`deleted_at` integer,\n\tCONSTRAINT `workflows_status_enum` CHECK(`status` IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'RETRYING'))\n)",
        "CREATE INDEX `idx_workflows_status` ON `workflows` (`status`)",
        "CREATE INDEX `idx_workflows_user_id` ON `workflows` (`user_id`)",
        "CREATE INDEX `idx_workflows_created_at` ON `workflows` (`created_at`)",
        "CREATE INDEX `idx_workflows_type_status` ON `workflows` (`type`,`status`)",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync` (\n\t`id` integer PRIMARY KEY NOT NULL CHECK(`id` = 1),\n\t`device` text NOT NULL,\n\t`wall` integer NOT NULL,\n\t`counter` integer NOT NULL,\n\t`seq` integer NOT NULL,\n\t`applying` integer NOT NULL,\n\t`pushed_seq` integer NOT NULL,\n\t`pulled_seq` integer NOT NULL,\n\t`pulled_tbl` text NOT NULL,\n\t`pulled_pk` NOT NULL,\n\t`pushed_tbl` text NOT NULL DEFAULT '',\n\t`pushed_pk` NOT NULL DEFAULT '',\n\t`schema` text NOT NULL DEFAULT '',\n\t`epoch` text NOT NULL DEFAULT '',\n\t`server_epoch` text NOT NULL DEFAULT '',\n\t`tables` text NOT NULL DEFAULT '{}',\n\t`resync` integer NOT NULL DEFAULT 0,\n\t`acked_seq` integer NOT NULL DEFAULT 0,\n\t`held` text NOT NULL DEFAULT '[]',\n\t`horizon_ms` integer NOT NULL DEFAULT 2592000000,\n\t`pruned_seq` integer NOT NULL DEFAULT 0\n)",
        "INSERT OR IGNORE INTO `__libsqlkit_sync` (`id`, `device`, `wall`, `counter`, `seq`, `applying`, `pushed_seq`, `pulled_seq`, `pulled_tbl`, `pulled_pk`) VALUES (1, lower(hex(randomblob(8))), 0, 0, 0, 0, 0, 0, '', '')",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_rows` (\n\t`tbl` text NOT NULL,\n\t`pk` NOT NULL,\n\t`hlc` text NOT NULL,\n\t`deleted` integer NOT NULL,\n\t`seq` integer,\n\t`born` text NOT NULL DEFAULT '000000000000000:0000000000:',\n\t`cols` text NOT NULL DEFAULT '{}',\n\t`base` text,\n\t`origin` text,\n\t`moved` text,\n\tPRIMARY KEY(`tbl`, `pk`)\n) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_seq` ON `__libsqlkit_sync_rows` (`seq`) WHERE `seq` IS NOT NULL",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_devices` (\n\t`device` text PRIMARY KEY NOT NULL,\n\t`pulled_seq` integer NOT NULL,\n\t`seen_ms` integer NOT NULL\n) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_conflicts` (\n\t`tbl` text NOT NULL,\n\t`pk` NOT NULL,\n\t`born` text NOT NULL,\n\t`winner` NOT NULL,\n\t`columns` text NOT NULL,\n\t`row` text NOT NULL,\n\t`loser_version` text NOT NULL,\n\t`winner_version` text NOT NULL,\n\t`moved_ms` integer NOT NULL,\n\tPRIMARY KEY(`tbl`, `pk`, `born`)\n) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_tombstones` ON `__libsqlkit_sync_rows` (`seq`) WHERE `deleted` = 1",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.workflows', 'fail') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'workflows', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `workflows` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'workflows' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_workflows_insert` AFTER INSERT ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: fail\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'workflows', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_workflows_update` AFTER UPDATE ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'workflows', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`type` IS NOT OLD.`type` THEN '$.type' END, excluded.`hlc`, CASE WHEN NEW.`user_id` IS NOT OLD.`user_id` THEN '$.user_id' END, excluded.`hlc`, CASE WHEN NEW.`status` IS NOT OLD.`status` THEN '$.status' END, excluded.`hlc`, CASE WHEN NEW.`input_payload` IS NOT OLD.`input_payload` THEN '$.input_payload' END, excluded.`hlc`, CASE WHEN NEW.`output_payload` IS NOT OLD.`output_payload` THEN '$.output_payload' END, excluded.`hlc`, CASE WHEN NEW.`error_log` IS NOT OLD.`error_log` THEN '$.error_log' END, excluded.`hlc`, CASE WHEN NEW.`retry_count` IS NOT OLD.`retry_count` THEN '$.retry_count' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`, CASE WHEN NEW.`updated_at` IS NOT OLD.`updated_at` THEN '$.updated_at' END, excluded.`hlc`, CASE WHEN NEW.`completed_at` IS NOT OLD.`completed_at` THEN '$.completed_at' END, excluded.`hlc`, CASE WHEN NEW.`deleted_at` IS NOT OLD.`deleted_at` THEN '$.deleted_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'workflows' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_workflows_delete` AFTER DELETE ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'workflows', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `user_settings` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`user_id` text NOT NULL,\n\t`preferences` text,\n\t`created_at` integer NOT NULL,\n\t`updated_at` integer NOT NULL\n)",
        "CREATE UNIQUE INDEX `user_settings_user_id_unique` ON `user_settings` (`user_id`)",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.user_settings', 'keep_latest') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'user_settings', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `user_settings` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'user_settings' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_user_settings_insert` AFTER INSERT ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: keep_latest\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'user_settings', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_user_settings_update` AFTER UPDATE ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'user_settings', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`user_id` IS NOT OLD.`user_id` THEN '$.user_id' END, excluded.`hlc`, CASE WHEN NEW.`preferences` IS NOT OLD.`preferences` THEN '$.preferences' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`, CASE WHEN NEW.`updated_at` IS NOT OLD.`updated_at` THEN '$.updated_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'user_settings' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_user_settings_delete` AFTER DELETE ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'user_settings', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `sync_metadata` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`table_name` text NOT NULL,\n\t`last_sync_at` integer,\n\t`sync_status` text DEFAULT 'PENDING' NOT NULL,\n\tCONSTRAINT `sync_metadata_sync_status_enum` CHECK(`sync_status` IN ('PENDING', 'SYNCING', 'COMPLETED', 'FAILED'))\n)",
        "UPDATE `__libsqlkit_sync` SET `schema` = '6866802b9571b610', `epoch` = lower(hex(randomblob(8))), `resync` = 1 WHERE `id` = 1",
    ),
    sync_metadata="sync_metadata",
)
