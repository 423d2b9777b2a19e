-- generated from schema.yaml — do not edit
-- 0000_init: reverse
DROP TABLE `workflows`;
--> statement-breakpoint
DROP TABLE `user_settings`;
--> statement-breakpoint
DROP TABLE `sync_metadata`;
