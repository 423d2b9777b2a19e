-- generated from schema.yaml — do not edit
-- 0001_after: reverse
ALTER TABLE `products` DROP COLUMN `double_cents`;
