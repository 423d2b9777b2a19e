-- generated from schema.yaml — do not edit
-- 0001_after: forward
DROP VIEW `published_titles`;
--> statement-breakpoint
DROP VIEW `title_count`;
--> statement-breakpoint
DROP VIEW `drafts`;
--> statement-breakpoint
CREATE VIEW `published_titles` AS SELECT id, upper(title) AS title FROM books WHERE published = 1;
--> statement-breakpoint
CREATE VIEW `title_count` AS SELECT count(*) AS n FROM published_titles;
