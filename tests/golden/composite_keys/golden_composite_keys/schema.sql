-- generated from schema.yaml — do not edit
CREATE TABLE `regions` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`region` text NOT NULL,
	`number` integer NOT NULL,
	`placed_at` integer NOT NULL,
	`note` text,
	PRIMARY KEY(`region`, `number`),
	FOREIGN KEY (`region`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `order_lines` (
	`region` text NOT NULL,
	`number` integer NOT NULL,
	`line` integer NOT NULL,
	`product` text NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`region`, `number`, `line`),
	FOREIGN KEY (`region`,`number`) REFERENCES `orders`(`region`,`number`) ON UPDATE no action ON DELETE cascade
);
