-- generated from schema.yaml — do not edit
CREATE TABLE `products` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`price_cents` integer NOT NULL,
	`quantity` integer DEFAULT 0 NOT NULL,
	`total_cents` integer GENERATED ALWAYS AS (price_cents * quantity) STORED NOT NULL,
	`label` text GENERATED ALWAYS AS (upper(name)) VIRTUAL NOT NULL,
	`attributes` text,
	`color` text GENERATED ALWAYS AS (json_extract(attributes, '$.color')) VIRTUAL
);
--> statement-breakpoint
CREATE INDEX `idx_products_color` ON `products` (`color`);
