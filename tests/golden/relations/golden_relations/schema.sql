-- generated from schema.yaml — do not edit
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`manager_id` text,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
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
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.users', 'fail') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'users', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `users` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'users' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_users_insert` AFTER INSERT ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: fail
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'users', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_users_update` AFTER UPDATE ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'users', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`name` IS NOT OLD.`name` THEN '$.name' END, excluded.`hlc`, CASE WHEN NEW.`manager_id` IS NOT OLD.`manager_id` THEN '$.manager_id' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`, CASE WHEN NEW.`deleted_at` IS NOT OLD.`deleted_at` THEN '$.deleted_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'users' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_users_delete` AFTER DELETE ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'users', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TABLE `profiles` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`bio` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `profiles_user_id_unique` ON `profiles` (`user_id`);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.profiles', 'fail') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'profiles', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `profiles` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'profiles' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_profiles_insert` AFTER INSERT ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: fail
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'profiles', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_profiles_update` AFTER UPDATE ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'profiles', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`user_id` IS NOT OLD.`user_id` THEN '$.user_id' END, excluded.`hlc`, CASE WHEN NEW.`bio` IS NOT OLD.`bio` THEN '$.bio' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'profiles' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_profiles_delete` AFTER DELETE ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'profiles', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TABLE `posts` (
	`id` text PRIMARY KEY NOT NULL,
	`author_id` text NOT NULL,
	`title` text NOT NULL,
	`published` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `idx_posts_author_id` ON `posts` (`author_id`);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.posts', 'fail') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'posts', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `posts` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'posts' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_posts_insert` AFTER INSERT ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: fail
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'posts', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_posts_update` AFTER UPDATE ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'posts', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`author_id` IS NOT OLD.`author_id` THEN '$.author_id' END, excluded.`hlc`, CASE WHEN NEW.`title` IS NOT OLD.`title` THEN '$.title' END, excluded.`hlc`, CASE WHEN NEW.`published` IS NOT OLD.`published` THEN '$.published' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`, CASE WHEN NEW.`deleted_at` IS NOT OLD.`deleted_at` THEN '$.deleted_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'posts' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_posts_delete` AFTER DELETE ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'posts', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TABLE `comments` (
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`approved` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `idx_comments_post_id` ON `comments` (`post_id`);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.comments', 'fail') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'comments', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `comments` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'comments' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_comments_insert` AFTER INSERT ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: fail
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'comments', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_comments_update` AFTER UPDATE ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'comments', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`post_id` IS NOT OLD.`post_id` THEN '$.post_id' END, excluded.`hlc`, CASE WHEN NEW.`author_id` IS NOT OLD.`author_id` THEN '$.author_id' END, excluded.`hlc`, CASE WHEN NEW.`body` IS NOT OLD.`body` THEN '$.body' END, excluded.`hlc`, CASE WHEN NEW.`approved` IS NOT OLD.`approved` THEN '$.approved' END, excluded.`hlc`, CASE WHEN NEW.`created_at` IS NOT OLD.`created_at` THEN '$.created_at' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'comments' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_comments_delete` AFTER DELETE ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'comments', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_unique` ON `tags` (`name`);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `tables` = json_set(`tables`, '$.tags', 'fail') WHERE `id` = 1;
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
	SELECT 'tags', t.`id`, '000000000000000:0000000000:', 0, s.`seq`, '000000000000000:0000000000:', '{}' FROM `tags` AS t,
	(SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
UPDATE `__libsqlkit_sync_rows` SET `cols` = json_object('*', `hlc`) WHERE `tbl` = 'tags' AND `born` = '000000000000000:0000000000:' AND `cols` = '{}' AND `hlc` <> '000000000000000:0000000000:';
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_tags_insert` AFTER INSERT ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	-- unique clashes: fail
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'tags', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `born` = excluded.`born`, `cols` = '{}', `base` = NULL, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_tags_update` AFTER UPDATE ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'tags', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `cols` = CASE WHEN OLD.`id` IS NEW.`id` THEN json_set(`cols`, CASE WHEN NEW.`name` IS NOT OLD.`name` THEN '$.name' END, excluded.`hlc`) ELSE '{}' END, `born` = CASE WHEN OLD.`id` IS NEW.`id` THEN `born` ELSE excluded.`born` END, `hlc` = excluded.`hlc`, `deleted` = 0, `seq` = excluded.`seq`, `origin` = NULL;
	UPDATE `__libsqlkit_sync_rows` SET `deleted` = 1, `hlc` = (SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) FROM `__libsqlkit_sync` WHERE `id` = 1), `seq` = (SELECT `seq` FROM `__libsqlkit_sync` WHERE `id` = 1), `origin` = NULL
		WHERE `tbl` = 'tags' AND `pk` = OLD.`id` AND NOT OLD.`id` IS NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_tags_delete` AFTER DELETE ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`, `born`, `cols`)
		SELECT 'tags', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), '{}' FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `base` = CASE WHEN `seq` IS NULL OR (`seq`, `tbl`, `pk`) <= (SELECT `pushed_seq`, `pushed_tbl`, `pushed_pk` FROM `__libsqlkit_sync` WHERE `id` = 1) THEN `cols` ELSE `base` END, `hlc` = excluded.`hlc`, `deleted` = 1, `seq` = excluded.`seq`, `origin` = NULL, `moved` = NULL;
END;
--> statement-breakpoint
CREATE TABLE `post_tags` (
	`post_id` text NOT NULL,
	`tag_id` text NOT NULL,
	PRIMARY KEY(`post_id`, `tag_id`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`last_sync_at` integer,
	`sync_status` text DEFAULT 'COMPLETED' NOT NULL,
	CONSTRAINT `sync_state_sync_status_enum` CHECK(`sync_status` IN ('SYNCING', 'COMPLETED', 'FAILED'))
);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `schema` = '2b741fc194ce4da8', `epoch` = lower(hex(randomblob(8))), `resync` = 1 WHERE `id` = 1;
