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
	SELECT 'users', t.`id`, s.hlc, 0, s.`seq` FROM `users` AS t,
	(SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) AS hlc, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_users_insert` AFTER INSERT ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'users', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_users_update` AFTER UPDATE ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'users', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'users', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1 AND OLD.`id` IS NOT NEW.`id`
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_users_delete` AFTER DELETE ON `users` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'users', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
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
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
	SELECT 'profiles', t.`id`, s.hlc, 0, s.`seq` FROM `profiles` AS t,
	(SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) AS hlc, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_profiles_insert` AFTER INSERT ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'profiles', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_profiles_update` AFTER UPDATE ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'profiles', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'profiles', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1 AND OLD.`id` IS NOT NEW.`id`
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_profiles_delete` AFTER DELETE ON `profiles` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'profiles', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
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
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
	SELECT 'posts', t.`id`, s.hlc, 0, s.`seq` FROM `posts` AS t,
	(SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) AS hlc, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_posts_insert` AFTER INSERT ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'posts', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_posts_update` AFTER UPDATE ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'posts', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'posts', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1 AND OLD.`id` IS NOT NEW.`id`
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_posts_delete` AFTER DELETE ON `posts` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'posts', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
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
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
	SELECT 'comments', t.`id`, s.hlc, 0, s.`seq` FROM `comments` AS t,
	(SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) AS hlc, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_comments_insert` AFTER INSERT ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'comments', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_comments_update` AFTER UPDATE ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'comments', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'comments', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1 AND OLD.`id` IS NOT NEW.`id`
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_comments_delete` AFTER DELETE ON `comments` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'comments', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_unique` ON `tags` (`name`);
--> statement-breakpoint
UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
--> statement-breakpoint
INSERT OR IGNORE INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
	SELECT 'tags', t.`id`, s.hlc, 0, s.`seq` FROM `tags` AS t,
	(SELECT printf('%015d:%010d:%s', `wall`, `counter`, `device`) AS hlc, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1) AS s;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_tags_insert` AFTER INSERT ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'tags', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_tags_update` AFTER UPDATE ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'tags', NEW.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 0, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'tags', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1 AND OLD.`id` IS NOT NEW.`id`
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `__libsqlkit_tags_delete` AFTER DELETE ON `tags` WHEN (SELECT `applying` FROM `__libsqlkit_sync` WHERE `id` = 1) = 0
BEGIN
	UPDATE `__libsqlkit_sync` SET `counter` = CASE WHEN CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > `wall` THEN 0 ELSE `counter` + 1 END, `wall` = max(`wall`, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)), `seq` = `seq` + 1 WHERE `id` = 1;
	INSERT INTO `__libsqlkit_sync_rows` (`tbl`, `pk`, `hlc`, `deleted`, `seq`)
		SELECT 'tags', OLD.`id`, printf('%015d:%010d:%s', `wall`, `counter`, `device`), 1, `seq` FROM `__libsqlkit_sync` WHERE `id` = 1
		ON CONFLICT (`tbl`, `pk`) DO UPDATE SET `hlc` = excluded.`hlc`, `deleted` = excluded.`deleted`, `seq` = excluded.`seq`;
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
