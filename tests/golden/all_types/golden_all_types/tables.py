# generated from schema.yaml — do not edit

"""Typed table and column metadata of schema.yaml, with the SQL the repositories run."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from pydantic import JsonValue

from golden_all_types.models import (
    NewProject,
    NewTask,
    Project,
    ProjectUpdate,
    Task,
    TaskSpec,
    TaskUpdate,
)
from libsqlkit import Column, Schema, Table, TableRef, TableSql, codecs

__all__ = ["PROJECTS", "SCHEMA", "TASKS", "ProjectsTable", "TasksTable", "projects", "tasks"]


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
        sql=TableSql(
            insert="INSERT INTO `tasks` (`id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`",
            select_by_key="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `id` = ? AND `removed_at` IS NULL",
            select_page="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `removed_at` IS NULL ORDER BY `id` LIMIT ? OFFSET ?",
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
            soft_delete="UPDATE `tasks` SET `removed_at` = ?, `updated_at` = ? WHERE `id` = ? AND `removed_at` IS NULL",
            restore="UPDATE `tasks` SET `removed_at` = NULL, `updated_at` = ? WHERE `id` = ? AND `removed_at` IS NOT NULL RETURNING `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at`",
            select_by_key_all="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` WHERE `id` = ?",
            select_page_all="SELECT `id`, `project_id`, `state`, `spec`, `notes`, `done_at`, `created_at`, `updated_at`, `removed_at` FROM `tasks` ORDER BY `id` LIMIT ? OFFSET ?",
            count_all="SELECT count(*) FROM `tasks`",
        ),
    )
    model = Task
    insert_model = NewTask
    update_model = TaskUpdate


TASKS: Final = TasksTable.table
tasks: Final = TasksTable  # Drizzle-style: select(workflows).where(workflows.status == ...)

SCHEMA: Final = Schema(
    tables=(PROJECTS, TASKS),
    ddl=(
        "CREATE TABLE `projects` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,\n\t`slug` text NOT NULL,\n\t`title` text DEFAULT 'it''s untitled' NOT NULL,\n\t`archived` integer DEFAULT false NOT NULL,\n\t`budget` real DEFAULT 1.5,\n\t`price` numeric,\n\t`ratio` numeric,\n\t`big_counter` numeric,\n\t`logo` blob,\n\t`settings` blob,\n\t`serial` blob,\n\t`tags` text DEFAULT '[\"new\"]' NOT NULL,\n\t`started_at` integer,\n\t`imported_at` integer DEFAULT (unixepoch()),\n\t`revision` integer DEFAULT (1 + 1) NOT NULL,\n\tCONSTRAINT `projects_budget_positive` CHECK(budget IS NULL OR budget >= 0)\n)",
        "CREATE UNIQUE INDEX `projects_slug_unique` ON `projects` (`slug`)",
        "CREATE INDEX `idx_projects_title_archived` ON `projects` (`title`,`archived`)",
        "CREATE UNIQUE INDEX `idx_projects_live_title` ON `projects` (`title`) WHERE archived = 0",
        "CREATE TABLE `tasks` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`project_id` integer NOT NULL,\n\t`state` text DEFAULT 'todo' NOT NULL,\n\t`spec` text,\n\t`notes` text,\n\t`done_at` integer,\n\t`created_at` integer NOT NULL,\n\t`updated_at` integer NOT NULL,\n\t`removed_at` integer,\n\tFOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,\n\tCONSTRAINT `tasks_state_enum` CHECK(`state` IN ('todo', 'doing', 'won''t do', 'done'))\n)",
    ),
)
