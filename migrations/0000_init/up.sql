-- generated from schema.yaml — do not edit
-- 0000_init: forward
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`input_payload` text,
	`output_payload` text,
	`error_log` text,
	`retry_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer,
	`deleted_at` integer,
	CONSTRAINT `workflows_status_enum` CHECK(`status` IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'RETRYING'))
);
--> statement-breakpoint
CREATE INDEX `idx_workflows_status` ON `workflows` (`status`);
--> statement-breakpoint
CREATE INDEX `idx_workflows_user_id` ON `workflows` (`user_id`);
--> statement-breakpoint
CREATE INDEX `idx_workflows_created_at` ON `workflows` (`created_at`);
--> statement-breakpoint
CREATE INDEX `idx_workflows_type_status` ON `workflows` (`type`,`status`);
--> statement-breakpoint
CREATE TABLE `user_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`preferences` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_settings_user_id_unique` ON `user_settings` (`user_id`);
--> statement-breakpoint
CREATE TABLE `sync_metadata` (
	`id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`last_sync_at` integer,
	`sync_status` text DEFAULT 'PENDING' NOT NULL,
	CONSTRAINT `sync_metadata_sync_status_enum` CHECK(`sync_status` IN ('PENDING', 'SYNCING', 'COMPLETED', 'FAILED'))
);
