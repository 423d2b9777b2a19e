-- generated from schema.yaml — do not edit
-- 0001_after: forward
CREATE TABLE `__new_memberships` (
	`user_id` text NOT NULL,
	`group_id` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	PRIMARY KEY(`user_id`, `group_id`)
);
--> statement-breakpoint
INSERT INTO `__new_memberships` (`user_id`, `group_id`, `role`) SELECT `user_id`, `group_id`, `role` FROM `memberships`;
--> statement-breakpoint
DROP TABLE `memberships`;
--> statement-breakpoint
ALTER TABLE `__new_memberships` RENAME TO `memberships`;
