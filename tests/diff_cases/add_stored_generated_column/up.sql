-- generated from schema.yaml — do not edit
-- 0001_after: forward
CREATE TABLE `__new_products` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`price_cents` integer NOT NULL,
	`double_cents` integer GENERATED ALWAYS AS (price_cents * 2) STORED NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_products` (`id`, `name`, `price_cents`) SELECT `id`, `name`, `price_cents` FROM `products`;
--> statement-breakpoint
DROP TABLE `products`;
--> statement-breakpoint
ALTER TABLE `__new_products` RENAME TO `products`;
