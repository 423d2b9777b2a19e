-- generated from schema.yaml — do not edit
-- 0001_after: reverse
DROP VIEW `published_titles`;
--> statement-breakpoint
CREATE TABLE `__new_books` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`published` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_books` (`id`, `title`, `published`) SELECT `id`, `title`, `published` FROM `books`;
--> statement-breakpoint
DROP TABLE `books`;
--> statement-breakpoint
ALTER TABLE `__new_books` RENAME TO `books`;
--> statement-breakpoint
CREATE VIEW `published_titles` AS SELECT id, title FROM books WHERE published = 1;
