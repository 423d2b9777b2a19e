-- generated from schema.yaml — do not edit
-- 0001_after: forward
ALTER TABLE `products` ADD COLUMN `label` text GENERATED ALWAYS AS (upper(name)) VIRTUAL NOT NULL;
