-- generated from schema.yaml — do not edit
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
CREATE TABLE IF NOT EXISTS `__libsqlkit_sync` (
	`id` integer PRIMARY KEY NOT NULL CHECK(`id` = 1),
	`device` text NOT NULL,
	`wall` integer NOT NULL,
	`counter` integer NOT NULL,
	`seq` integer NOT NULL,
	`applying` integer NOT NULL,
	`pushed_seq` integer NOT NULL,
	`pulled_seq` integer NOT NULL,
	`pulled_tbl` text NOT NULL,
	`pulled_pk` NOT NULL
);
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync` (`id`, `device`, `wall`, `counter`, `seq`, `applying`, `pushed_seq`, `pulled_seq`, `pulled_tbl`, `pulled_pk`) VALUES (1, lower(hex(randomblob(8))), 0, 0, 0, 0, 0, 0, '', '');
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_rows` (
	`tbl` text NOT NULL,
	`pk` NOT NULL,
	`hlc` text NOT NULL,
	`deleted` integer NOT NULL,
	`seq` integer,
	PRIMARY KEY(`tbl`, `pk`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_seq` ON `__libsqlkit_sync_rows` (`seq`);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
	SELECT 'workflows', t.`id`, s.hlc, 0, s.`seq` FROM `workflows` AS t,
	(SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) AS hlc, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_workflows_insert` AFTER INSERT ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'workflows', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_workflows_update` AFTER UPDATE ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'workflows', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'workflows', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1 AND OLD.`id` IS NOT NEW.`id`
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_workflows_delete` AFTER DELETE ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'workflows', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
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
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
	SELECT 'user_settings', t.`id`, s.hlc, 0, s.`seq` FROM `user_settings` AS t,
	(SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) AS hlc, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_user_settings_insert` AFTER INSERT ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'user_settings', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_user_settings_update` AFTER UPDATE ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'user_settings', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'user_settings', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1 AND OLD.`id` IS NOT NEW.`id`
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_user_settings_delete` AFTER DELETE ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'user_settings', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TABLE `sync_metadata` (
	`id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`last_sync_at` integer,
	`sync_status` text DEFAULT 'PENDING' NOT NULL,
	CONSTRAINT `sync_metadata_sync_status_enum` CHECK(`sync_status` IN ('PENDING', 'SYNCING', 'COMPLETED', 'FAILED'))
);
