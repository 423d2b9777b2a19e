-- generated from schema.yaml — do not edit
-- 0001_after: reverse
DROP VIEW `published_titles`;
