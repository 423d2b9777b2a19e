# generated from schema.yaml — do not edit

"""Typed table and column metadata of schema.yaml, with the SQL the repositories run."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from pydantic import JsonValue

from golden_all_types.models import (
    Document,
    DocumentUpdate,
    Folder,
    FolderUpdate,
    NewDocument,
    NewFolder,
    NewProject,
    NewSyncState,
    NewTask,
    Project,
    ProjectUpdate,
    SyncState,
    SyncStateUpdate,
    Task,
    TaskSpec,
    TaskUpdate,
)
from libsqlkit import Column, Schema, Table, TableRef, TableSql, codecs

__all__ = [
    "DOCUMENTS",
    "FOLDERS",
    "PROJECTS",
    "SCHEMA",
    "SYNC_STATE",
    "TASKS",
    "DocumentsTable",
    "FoldersTable",
    "ProjectsTable",
    "SyncStateTable",
    "TasksTable",
    "documents",
    "folders",
    "projects",
    "sync_state",
    "tasks",
]


class ProjectsTable(TableRef[Project, NewProject, ProjectUpdate]):
    """Table `projects`: its typed columns, for the query builder and the repository."""

    id: Final[Column[int, Project]] = Column(
        "projects", "id", codecs.INTEGER, not_null=True, primary_key=True
    )
    slug: Final[Column[str, Project]] = Column("projects", "slug", codecs.TEXT, not_null=True)
    title: Final[Column[str, Project]] = Column("projects", "title", codecs.TEXT, not_null=True)
    archived: Final[Column[bool, Project]] = Column(
        "projects", "archived", codecs.BOOLEAN, not_null=True
    )
    budget: Final[Column[float | None, Project]] = Column("projects", "budget", codecs.REAL)
    price: Final[Column[str | None, Project]] = Column("projects", "price", codecs.NUMERIC_TEXT)
    ratio: Final[Column[float | None, Project]] = Column("projects", "ratio", codecs.NUMERIC_NUMBER)
    big_counter: Final[Column[int | None, Project]] = Column(
        "projects", "big_counter", codecs.NUMERIC_BIGINT
    )
    logo: Final[Column[bytes | None, Project]] = Column("projects", "logo", codecs.BLOB)
    settings: Final[Column[JsonValue | None, Project]] = Column(
        "projects", "settings", codecs.JSON_BLOB
    )
    serial: Final[Column[int | None, Project]] = Column("projects", "serial", codecs.BIGINT_BLOB)
    tags: Final[Column[JsonValue, Project]] = Column(
        "projects", "tags", codecs.JSON_TEXT, not_null=True
    )
    started_at: Final[Column[datetime | None, Project]] = Column(
        "projects", "started_at", codecs.TIMESTAMP_MS
    )
    imported_at: Final[Column[datetime | None, Project]] = Column(
        "projects", "imported_at", codecs.TIMESTAMP, has_sql_default=True
    )
    revision: Final[Column[int, Project]] = Column(
        "projects", "revision", codecs.INTEGER, not_null=True, has_sql_default=True
    )

    table = Table(
        name="projects",
        columns=(
            id,
            slug,
            title,
            archived,
            budget,
            price,
            ratio,
            big_counter,
            logo,
            settings,
            serial,
            tags,
            started_at,
            imported_at,
            revision,
        ),
        primary_key="id",
        soft_delete=None,
        checks={"projects_budget_positive": ()},
        sql=TableSql(
            insert="INSERT INTO `projects` (`id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN (unixepoch()) ELSE ? END, CASE WHEN ? THEN (1 + 1) ELSE ? END) RETURNING `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision`",
            select_by_key="SELECT `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision` FROM `projects` WHERE `id` = ?",
            select_page="SELECT `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision` FROM `projects` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision` FROM `projects` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `projects`",
            delete="DELETE FROM `projects` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `projects` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `slug`, `title`, `archived`, `budget`, `price`, `ratio`, `big_counter`, `logo`, `settings`, `serial`, `tags`, `started_at`, `imported_at`, `revision`",
            set_fragments={
                "id": "`id` = ?",
                "slug": "`slug` = ?",
                "title": "`title` = ?",
                "archived": "`archived` = ?",
                "budget": "`budget` = ?",
                "price": "`price` = ?",
                "ratio": "`ratio` = ?",
                "big_counter": "`big_counter` = ?",
                "logo": "`logo` = ?",
                "settings": "`settings` = ?",
                "serial": "`serial` = ?",
                "tags": "`tags` = ?",
                "started_at": "`started_at` = ?",
                "imported_at": "`imported_at` = ?",
                "revision": "`revision` = ?",
            },
        ),
    )
    model = Project
    insert_model = NewProject
    update_model = ProjectUpdate


PROJECTS: Final = ProjectsTable.table
projects: Final = ProjectsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class TasksTable(TableRef[Task, NewTask, TaskUpdate]):
    """Table `tasks`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Task]] = Column(
        "tasks", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    project_id: Final[Column[int, Task]] = Column(
        "tasks", "project_id", codecs.INTEGER, not_null=True
    )
    state: Final[Column[Literal["todo", "doing", "won't do", "done"], Task]] = Column(
        "tasks", "state", codecs.TEXT, not_null=True
    )
    spec: Final[Column[TaskSpec | None, Task]] = Column("tasks", "spec", codecs.JSON_TEXT)
    notes: Final[Column[str | None, Task]] = Column("tasks", "notes", codecs.TEXT)
    done_at: Final[Column[datetime | None, Task]] = Column("tasks", "done_at", codecs.TIMESTAMP)
    created_at: Final[Column[datetime, Task]] = Column(
        "tasks", "created_at", codecs.TIMESTAMP, not_null=True, client_default="now"
    )
    updated_at: Final[Column[datetime, Task]] = Column(
        "tasks",
        "updated_at",
        codecs.TIMESTAMP,
        not_null=True,
        client_default="now",
        on_update="now",
    )
    removed_at: Final[Column[datetime | None, Task]] = Column(
        "tasks", "removed_at", codecs.TIMESTAMP
    )

    table = Table(
        name="tasks",
        columns=(id, project_id, state, spec, notes, done_at, created_at, updated_at, removed_at),
        primary_key="id",
        soft_delete="removed_at",
        checks={"tasks_state_enum": ("state",)},
        references={"project_id": ("projects", "id")},
        sql=TableSql(
            insert="INSERT INTO `tasks` (`id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`",
            select_by_key="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `id` = ? AND `removed_at` IS NULL",
            select_page="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `removed_at` IS NULL ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `id` > ? AND `removed_at` IS NULL ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `tasks` WHERE `removed_at` IS NULL",
            delete="DELETE FROM `tasks` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `tasks` SET ",
            update_suffix=" WHERE `id` = ? AND `removed_at` IS NULL RETURNING `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`",
            set_fragments={
                "id": "`id` = ?",
                "project_id": "`project_id` = ?",
                "state": "`state` = ?",
                "spec": "`spec` = ?",
                "notes": "`notes` = ?",
                "done_at": "`done_at` = ?",
                "created_at": "`created_at` = ?",
                "updated_at": "`updated_at` = ?",
                "removed_at": "`removed_at` = ?",
            },
            soft_delete="UPDATE `tasks` SET `removed_at` = ?, `updated_at` = ? WHERE `id` = ? AND `removed_at` IS NULL RETURNING `id`",
            restore="UPDATE `tasks` SET `removed_at` = NULL, `updated_at` = ? WHERE `id` = ? AND `removed_at` IS NOT NULL RETURNING `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`",
            select_by_key_all="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `id` = ?",
            select_page_all="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after_all="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count_all="SELECT count(*) FROM `tasks`",
        ),
    )
    model = Task
    insert_model = NewTask
    update_model = TaskUpdate


TASKS: Final = TasksTable.table
tasks: Final = TasksTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class FoldersTable(TableRef[Folder, NewFolder, FolderUpdate]):
    """Table `folders`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Folder]] = Column(
        "folders", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    name: Final[Column[str, Folder]] = Column("folders", "name", codecs.TEXT, not_null=True)

    table = Table(
        name="folders",
        columns=(id, name),
        primary_key="id",
        soft_delete=None,
        checks={},
        sync=True,
        sql=TableSql(
            insert="INSERT INTO `folders` (`id`, `name`) VALUES (?, ?) RETURNING `id`, `name`",
            select_by_key="SELECT `id`, `name` FROM `folders` WHERE `id` = ?",
            select_page="SELECT `id`, `name` FROM `folders` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `name` FROM `folders` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `folders`",
            delete="DELETE FROM `folders` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `folders` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `name`",
            set_fragments={"id": "`id` = ?", "name": "`name` = ?"},
        ),
    )
    model = Folder
    insert_model = NewFolder
    update_model = FolderUpdate


FOLDERS: Final = FoldersTable.table
folders: Final = FoldersTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class DocumentsTable(TableRef[Document, NewDocument, DocumentUpdate]):
    """Table `documents`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Document]] = Column(
        "documents", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    folder_id: Final[Column[str, Document]] = Column(
        "documents", "folder_id", codecs.TEXT, not_null=True
    )
    body: Final[Column[str | None, Document]] = Column("documents", "body", codecs.TEXT)

    table = Table(
        name="documents",
        columns=(id, folder_id, body),
        primary_key="id",
        soft_delete=None,
        checks={},
        sync=True,
        references={"folder_id": ("folders", "id")},
        sql=TableSql(
            insert="INSERT INTO `documents` (`id`, `folder_id`, `body`) VALUES (?, ?, ?) RETURNING `id`, `folder_id`, `body`",
            select_by_key="SELECT `id`, `folder_id`, `body` FROM `documents` WHERE `id` = ?",
            select_page="SELECT `id`, `folder_id`, `body` FROM `documents` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `folder_id`, `body` FROM `documents` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `documents`",
            delete="DELETE FROM `documents` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `documents` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `folder_id`, `body`",
            set_fragments={"id": "`id` = ?", "folder_id": "`folder_id` = ?", "body": "`body` = ?"},
        ),
    )
    model = Document
    insert_model = NewDocument
    update_model = DocumentUpdate


DOCUMENTS: Final = DocumentsTable.table
documents: Final = DocumentsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class SyncStateTable(TableRef[SyncState, NewSyncState, SyncStateUpdate]):
    """Table `sync_state`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, SyncState]] = Column(
        "sync_state", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    table_name: Final[Column[str, SyncState]] = Column(
        "sync_state", "table_name", codecs.TEXT, not_null=True
    )
    last_sync_at: Final[Column[datetime | None, SyncState]] = Column(
        "sync_state", "last_sync_at", codecs.TIMESTAMP_MS
    )
    sync_status: Final[Column[Literal["SYNCING", "COMPLETED", "FAILED"], SyncState]] = Column(
        "sync_state", "sync_status", codecs.TEXT, not_null=True
    )

    table = Table(
        name="sync_state",
        columns=(id, table_name, last_sync_at, sync_status),
        primary_key="id",
        soft_delete=None,
        checks={"sync_state_sync_status_enum": ("sync_status",)},
        sql=TableSql(
            insert="INSERT INTO `sync_state` (`id`, `table_name`, `last_sync_at`, `sync_status`) VALUES (?, ?, ?, ?) RETURNING `id`, `table_name`, `last_sync_at`, `sync_status`",
            select_by_key="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_state` WHERE `id` = ?",
            select_page="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_state` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `table_name`, `last_sync_at`, `sync_status` FROM `sync_state` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `sync_state`",
            delete="DELETE FROM `sync_state` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `sync_state` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `table_name`, `last_sync_at`, `sync_status`",
            set_fragments={
                "id": "`id` = ?",
                "table_name": "`table_name` = ?",
                "last_sync_at": "`last_sync_at` = ?",
                "sync_status": "`sync_status` = ?",
            },
        ),
    )
    model = SyncState
    insert_model = NewSyncState
    update_model = SyncStateUpdate


SYNC_STATE: Final = SyncStateTable.table
sync_state: Final = (
    SyncStateTable  # Drizzle-style: select(workflows).where(workflows.status == ...)
)

SCHEMA: Final = Schema(
    tables=(PROJECTS, TASKS, FOLDERS, DOCUMENTS, SYNC_STATE),
    ddl=(
        "CREATE TABLE `projects` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,\n\t`slug` text NOT NULL,\n\t`title` text DEFAULT 'it''s untitled' NOT NULL,\n\t`archived` integer DEFAULT false NOT NULL,\n\t`budget` real DEFAULT 1.5,\n\t`price` numeric,\n\t`ratio` numeric,\n\t`big_counter` numeric,\n\t`logo` blob,\n\t`settings` blob,\n\t`serial` blob,\n\t`tags` text DEFAULT '[\"new\"]' NOT NULL,\n\t`started_at` integer,\n\t`imported_at` integer DEFAULT (unixepoch()),\n\t`revision` integer DEFAULT (1 + 1) NOT NULL,\n\tCONSTRAINT `projects_budget_positive` CHECK(budget IS NULL OR budget >= 0)\n)",
        "CREATE UNIQUE INDEX `projects_slug_unique` ON `projects` (`slug`)",
        "CREATE INDEX `idx_projects_title_archived` ON `projects` (`title`,`archived`)",
        "CREATE UNIQUE INDEX `idx_projects_live_title` ON `projects` (`title`) WHERE archived = 0",
        "CREATE TABLE `tasks` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`project_id` integer NOT NULL,\n\t`state` text DEFAULT 'todo' NOT NULL,\n\t`spec` text,\n\t`notes` text,\n\t`done_at` integer,\n\t`created_at` integer NOT NULL,\n\t`updated_at` integer NOT NULL,\n\t`removed_at` integer,\n\tFOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,\n\tCONSTRAINT `tasks_state_enum` CHECK(`state` IN ('todo', 'doing', 'won''t do', 'done'))\n)",
        "CREATE TABLE `folders` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL\n)",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync` (\n\t`id` integer PRIMARY KEY NOT NULL CHECK(`id` = 1),\n\t`device` text NOT NULL,\n\t`wall` integer NOT NULL,\n\t`counter` integer NOT NULL,\n\t`seq` integer NOT NULL,\n\t`applying` integer NOT NULL,\n\t`pushed_seq` integer NOT NULL,\n\t`pulled_seq` integer NOT NULL,\n\t`pulled_tbl` text NOT NULL,\n\t`pulled_pk` NOT NULL,\n\t`pushed_tbl` text NOT NULL DEFAULT '',\n\t`pushed_pk` NOT NULL DEFAULT '',\n\t`schema` text NOT NULL DEFAULT '',\n\t`epoch` text NOT NULL DEFAULT '',\n\t`server_epoch` text NOT NULL DEFAULT '',\n\t`tables` text NOT NULL DEFAULT '{}',\n\t`resync` integer NOT NULL DEFAULT 0,\n\t`acked_seq` integer NOT NULL DEFAULT 0,\n\t`held` text NOT NULL DEFAULT '[]',\n\t`horizon_ms` integer NOT NULL DEFAULT 2592000000,\n\t`pruned_seq` integer NOT NULL DEFAULT 0\n)",
        "INSERT OR IGNORE INTO `__libsqlkit_sync` (`id`, `device`, `wall`, `counter`, `seq`, `applying`, `pushed_seq`, `pulled_seq`, `pulled_tbl`, `pulled_pk`) VALUES (1, lower(hex(randomblob(8))), 0, 0, 0, 0, 0, 0, '', '')",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_rows` (\n\t`tbl` text NOT NULL,\n\t`pk` NOT NULL,\n\t`hlc` text NOT NULL,\n\t`deleted` integer NOT NULL,\n\t`seq` integer,\n\t`born` text NOT NULL DEFAULT '000000000000000:0000000000:',\n\t`cols` text NOT NULL DEFAULT '{}',\n\t`base` text,\n\t`origin` text,\n\t`moved` text,\n\tPRIMARY KEY(`tbl`, `pk`)\n) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_seq` ON `__libsqlkit_sync_rows` (`seq`) WHERE `seq` IS NOT NULL",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_devices` (\n\t`device` text PRIMARY KEY NOT NULL,\n\t`pulled_seq` integer NOT NULL,\n\t`seen_ms` integer NOT NULL\n) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_conflicts` (\n\t`tbl` text NOT NULL,\n\t`pk` NOT NULL,\n\t`born` text NOT NULL,\n\t`winner` NOT NULL,\n\t`columns` text NOT NULL,\n\t`row` text NOT NULL,\n\t`loser_version` text NOT NULL,\n\t`winner_version` text NOT NULL,\n\t`moved_ms` integer NOT NULL,\n\tPRIMARY KEY(`tbl`, `pk`, `born`)\n) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_tombstones` ON `__libsqlkit_sync_rows` (`seq`) WHERE `deleted` = 1",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.folders', 'fail') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'folders', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `folders` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'folders' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_folders_insert` AFTER INSERT ON `folders` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: fail\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'folders', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_folders_update` AFTER UPDATE ON `folders` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'folders', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`name` IS NOT OLD.`name` THEN '$.name' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'folders' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_folders_delete` AFTER DELETE ON `folders` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'folders', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `documents` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`folder_id` text NOT NULL,\n\t`body` text,\n\tFOREIGN KEY (`folder_id`) REFERENCES `folders`(`id`) ON UPDATE no action ON DELETE cascade\n)",
        "UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.documents', 'fail') WHERE `id` = 1",
        "UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1",
        "INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\tSELECT 'documents', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `documents` AS t,\n\t(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s",
        "UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'documents' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:'",
        "CREATE TRIGGER `__libsqlkit_documents_insert` AFTER INSERT ON `documents` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\t-- unique clashes: fail\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'documents', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TRIGGER `__libsqlkit_documents_update` AFTER UPDATE ON `documents` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'documents', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`folder_id` IS NOT OLD.`folder_id` THEN '$.folder_id' END, excluded.`hlc`, CASE WHEN NEW.`body` IS NOT OLD.`body` THEN '$.body' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;\n\tUPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL\n\t\tWHERE `tbl` = 'documents' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;\nEND",
        "CREATE TRIGGER `__libsqlkit_documents_delete` AFTER DELETE ON `documents` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0\nBEGIN\n\tUPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;\n\tINSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)\n\t\tSELECT 'documents', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1\n\t\tON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;\nEND",
        "CREATE TABLE `sync_state` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`table_name` text NOT NULL,\n\t`last_sync_at` integer,\n\t`sync_status` text DEFAULT 'SYNCING' NOT NULL,\n\tCONSTRAINT `sync_state_sync_status_enum` CHECK(`sync_status` IN ('SYNCING', 'COMPLETED', 'FAILED'))\n)",
        "UPDATE `__libsqlkit_sync` SET `schema` = '4e63240938e51f71', `epoch` = lower(hex(randomblob(8))), `resync` = 1 WHERE `id` = 1",
    ),
    sync_metadata="sync_state",
)
