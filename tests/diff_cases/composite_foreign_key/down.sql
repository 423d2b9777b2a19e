-- generated from schema.yaml — do not edit
-- 0001_after: reverse
CREATE TABLE `__new_order_lines` (
	`region` text NOT NULL,
	`number` integer NOT NULL,
	`line` integer NOT NULL,
	PRIMARY KEY(`region`, `number`, `line`)
);
--> statement-breakpoint
INSERT INTO `__new_order_lines` (`region`, `number`, `line`) SELECT `region`, `number`, `line` FROM `order_lines`;
--> statement-breakpoint
DROP TABLE `order_lines`;
--> statement-breakpoint
ALTER TABLE `__new_order_lines` RENAME TO `order_lines`;
