-- generated from schema.yaml — do not edit
CREATE TABLE `authors` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `books` (
	`id` text PRIMARY KEY NOT NULL,
	`author_id` text NOT NULL,
	`title` text NOT NULL,
	`published` integer DEFAULT false NOT NULL,
	`published_at` integer,
	`deleted_at` integer,
	FOREIGN KEY (`author_id`) REFERENCES `authors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE VIEW `author_stats` AS SELECT a.id AS author_id, a.name AS name, count(b.id) AS books FROM authors a LEFT JOIN books b ON b.author_id = a.id AND b.deleted_at IS NULL GROUP BY a.id;
--> statement-breakpoint
CREATE VIEW `published_books`(`id`, `author_id`, `title`, `published_at`) AS SELECT `books`.`id`, `books`.`author_id`, `books`.`title`, `books`.`published_at` FROM `books` WHERE `books`.`published` = 1 AND `books`.`deleted_at` IS NULL;
--> statement-breakpoint
CREATE VIEW `catalog`(`title`, `name`) AS SELECT `books`.`title`, `authors`.`name` FROM `books` LEFT JOIN `authors` ON `authors`.`id` = `books`.`author_id` WHERE `books`.`deleted_at` IS NULL;
--> statement-breakpoint
CREATE VIEW `prolific_authors` AS SELECT author_id, name, books FROM author_stats WHERE books >= 2;
