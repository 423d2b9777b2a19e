-- generated from schema.yaml — do not edit
-- 0001_after: reverse
DROP VIEW `published_titles`;
--> statement-breakpoint
DROP VIEW `title_count`;
--> statement-breakpoint
CREATE VIEW `published_titles` AS SELECT id, title FROM books WHERE published = 1;
--> statement-breakpoint
CREATE VIEW `title_count` AS SELECT count(*) AS n FROM published_titles;
--> statement-breakpoint
CREATE VIEW `drafts` AS SELECT id FROM books WHERE published = 0;
