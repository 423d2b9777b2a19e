-- generated from schema.yaml — do not edit
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text DEFAULT 'it''s untitled' NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`budget` real DEFAULT 1.5,
	`price` numeric,
	`ratio` numeric,
	`big_counter` numeric,
	`logo` blob,
	`settings` blob,
	`serial` blob,
	`tags` text DEFAULT '["new"]' NOT NULL,
	`started_at` integer,
	`imported_at` integer DEFAULT (unixepoch()),
	`revision` integer DEFAULT (1 + 1) NOT NULL,
	CONSTRAINT `projects_budget_positive` CHECK(budget IS NULL OR budget >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_slug_unique` ON `projects` (`slug`);
--> statement-breakpoint
CREATE INDEX `idx_projects_title_archived` ON `projects` (`title`,`archived`);
--> statement-breakpoint
CREATE UNIQUE INDEX `idx_projects_live_title` ON `projects` (`title`) WHERE archived = 0;
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` integer NOT NULL,
	`state` text DEFAULT 'todo' NOT NULL,
	`spec` text,
	`notes` text,
	`done_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`removed_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT `tasks_state_enum` CHECK(`state` IN ('todo', 'doing', 'won''t do', 'done'))
);
