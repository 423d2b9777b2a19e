-- generated from schema.yaml — do not edit
-- 0002_field_level_sync: forward
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `pushed_tbl` text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `pushed_pk` NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `schema` text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `epoch` text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `server_epoch` text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `tables` text NOT NULL DEFAULT '{}';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `resync` integer NOT NULL DEFAULT 0;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `acked_seq` integer NOT NULL DEFAULT 0;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `held` text NOT NULL DEFAULT '[]';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `horizon_ms` integer NOT NULL DEFAULT 2592000000;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync` ADD COLUMN `pruned_seq` integer NOT NULL DEFAULT 0;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` ADD COLUMN `born` text NOT NULL DEFAULT '000000000000000:0000000000:';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` ADD COLUMN `cols` text NOT NULL DEFAULT '{}';
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` ADD COLUMN `base` text;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` ADD COLUMN `origin` text;
--> statement-breakpoint
ALTER TABLE `__libsqlkit_sync_rows` ADD COLUMN `moved` text;
--> statement-breakpoint
DROP INDEX `__libsqlkit_sync_rows_seq`;
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
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.workflows', 'fail') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'workflows', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `workflows` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'workflows' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_workflows_insert` AFTER INSERT ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: fail
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'workflows', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_workflows_update` AFTER UPDATE ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'workflows', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`type` IS NOT OLD.`type` THEN '$.type' END, excluded.`hlc`, CASE WHEN NEW.`user_id` IS NOT OLD.`user_id` THEN '$.user_id' END, excluded.`hlc`, CASE WHEN NEW.`status` IS NOT OLD.`status` THEN '$.status' END, excluded.`hlc`, CASE WHEN NEW.`input_payload` IS NOT OLD.`input_payload` THEN '$.input_payload' END, excluded.`hlc`, CASE WHEN NEW.`output_payload` IS NOT OLD.`output_payload` THEN '$.output_payload' END, excluded.`hlc`, CASE WHEN NEW.`error_log` IS NOT OLD.`error_log` THEN '$.error_log' END, excluded.`hlc`, CASE WHEN NEW.`retry_count` IS NOT OLD.`retry_count` THEN '$.retry_count' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`, CASE WHEN NEW.`updated_at` IS NOT OLD.`updated_at` THEN '$.updated_at' END, excluded.`hlc`, CASE WHEN NEW.`completed_at` IS NOT OLD.`completed_at` THEN '$.completed_at' END, excluded.`hlc`, CASE WHEN NEW.`deleted_at` IS NOT OLD.`deleted_at` THEN '$.deleted_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'workflows' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_workflows_delete` AFTER DELETE ON `workflows` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'workflows', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_user_settings_delete`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_user_settings_insert`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_user_settings_update`;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.user_settings', 'keep_latest') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'user_settings', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `user_settings` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'user_settings' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_user_settings_insert` AFTER INSERT ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: keep_latest
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'user_settings', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_user_settings_update` AFTER UPDATE ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'user_settings', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`user_id` IS NOT OLD.`user_id` THEN '$.user_id' END, excluded.`hlc`, CASE WHEN NEW.`preferences` IS NOT OLD.`preferences` THEN '$.preferences' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`, CASE WHEN NEW.`updated_at` IS NOT OLD.`updated_at` THEN '$.updated_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'user_settings' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_user_settings_delete` AFTER DELETE ON `user_settings` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'user_settings', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `schema` = '6866802b9571b610', `epoch` = lower(hex(randomblob(8))), `resync` = 1 WHERE `id` = 1;
