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
--> statement-breakpoint
CREATE TABLE `folders` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
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
	`pulled_pk` NOT NULL,
	`pushed_tbl` text NOT NULL DEFAULT '',
	`pushed_pk` NOT NULL DEFAULT '',
	`schema` text NOT NULL DEFAULT '',
	`epoch` text NOT NULL DEFAULT '',
	`server_epoch` text NOT NULL DEFAULT '',
	`tables` text NOT NULL DEFAULT '{}',
	`resync` integer NOT NULL DEFAULT 0,
	`acked_seq` integer NOT NULL DEFAULT 0,
	`held` text NOT NULL DEFAULT '[]',
	`horizon_ms` integer NOT NULL DEFAULT 2592000000,
	`pruned_seq` integer NOT NULL DEFAULT 0
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
	`born` text NOT NULL DEFAULT '000000000000000:0000000000:',
	`cols` text NOT NULL DEFAULT '{}',
	`base` text,
	`origin` text,
	`moved` text,
	PRIMARY KEY(`tbl`, `pk`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_seq` ON `__libsqlkit_sync_rows` (`seq`) WHERE `seq` IS NOT NULL;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_devices` (
	`device` text PRIMARY KEY NOT NULL,
	`pulled_seq` integer NOT NULL,
	`seen_ms` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `__libsqlkit_sync_conflicts` (
	`tbl` text NOT NULL,
	`pk` NOT NULL,
	`born` text NOT NULL,
	`winner` NOT NULL,
	`columns` text NOT NULL,
	`row` text NOT NULL,
	`loser_version` text NOT NULL,
	`winner_version` text NOT NULL,
	`moved_ms` integer NOT NULL,
	PRIMARY KEY(`tbl`, `pk`, `born`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `__libsqlkit_sync_rows_tombstones` ON `__libsqlkit_sync_rows` (`seq`) WHERE `deleted` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.folders', 'fail') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'folders', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `folders` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'folders' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_folders_insert` AFTER INSERT ON `folders` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: fail
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'folders', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_folders_update` AFTER UPDATE ON `folders` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'folders', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`name` IS NOT OLD.`name` THEN '$.name' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'folders' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_folders_delete` AFTER DELETE ON `folders` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'folders', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`folder_id` text NOT NULL,
	`body` text,
	FOREIGN KEY (`folder_id`) REFERENCES `folders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.documents', 'fail') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'documents', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `documents` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'documents' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_documents_insert` AFTER INSERT ON `documents` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: fail
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'documents', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_documents_update` AFTER UPDATE ON `documents` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'documents', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`folder_id` IS NOT OLD.`folder_id` THEN '$.folder_id' END, excluded.`hlc`, CASE WHEN NEW.`body` IS NOT OLD.`body` THEN '$.body' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'documents' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_documents_delete` AFTER DELETE ON `documents` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'documents', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`last_sync_at` integer,
	`sync_status` text DEFAULT 'SYNCING' NOT NULL,
	CONSTRAINT `sync_state_sync_status_enum` CHECK(`sync_status` IN ('SYNCING', 'COMPLETED', 'FAILED'))
);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `schema` = '4e63240938e51f71', `epoch` = lower(hex(randomblob(8))), `resync` = 1 WHERE `id` = 1;
