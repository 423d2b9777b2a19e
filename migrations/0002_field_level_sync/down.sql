-- generated from schema.yaml — do not edit
-- 0002_field_level_sync: reverse
DROP TRIGGER `__libsqlkit_workflows_delete`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_workflows_insert`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_workflows_update`;
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
DROP TRIGGER `__libsqlkit_user_settings_delete`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_user_settings_insert`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_user_settings_update`;
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
DROP INDEX `__libsqlkit_sync_rows_seq`;
--> statement-breakpoint
CREATE INDEX `__libsqlkit_sync_rows_seq` ON `__libsqlkit_sync_rows` (`seq`);
--> statement-breakpoint
DROP INDEX IF EXISTS `__libsqlkit_sync_rows_tombstones`;
--> statement-breakpoint
DROP TABLE IF EXISTS `__libsqlkit_sync_devices`;
--> statement-breakpoint
DROP TABLE IF EXISTS `__libsqlkit_sync_conflicts`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `pushed_tbl`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `pushed_pk`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `schema`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `epoch`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `server_epoch`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `tables`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `resync`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `acked_seq`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `held`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `horizon_ms`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` DROP COLUMN `pruned_seq`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` DROP COLUMN `born`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` DROP COLUMN `cols`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` DROP COLUMN `base`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` DROP COLUMN `origin`;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` DROP COLUMN `moved`;
