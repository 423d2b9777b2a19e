-- generated from schema.yaml — do not edit
-- 0001_after: forward
CREATE TABLE `__new_order_lines` (
	`region` text NOT NULL,
	`number` integer NOT NULL,
	`line` integer NOT NULL,
	PRIMARY KEY(`region`, `number`, `line`),
	FOREIGN KEY (`region`,`number`) REFERENCES `orders`(`region`,`number`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_order_lines` (`region`, `number`, `line`) SELECT `region`, `number`, `line` FROM `order_lines`;
--> statement-breakpoint
DROP TABLE `order_lines`;
--> statement-breakpoint
ALTER TABLE `__new_order_lines` RENAME TO `order_lines`;
