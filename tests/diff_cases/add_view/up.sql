-- generated from schema.yaml — do not edit
-- 0001_after: forward
CREATE VIEW `published_titles` AS SELECT id, title FROM books WHERE published = 1;
