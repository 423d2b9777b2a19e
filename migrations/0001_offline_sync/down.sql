-- generated from schema.yaml — do not edit
-- 0001_offline_sync: reverse
DROP TRIGGER `__libsqlkit_workflows_delete`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_workflows_insert`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_workflows_update`;
--> statement-breakpoint
DELETE FROM `__libsqlkit_sync_rows` WHERE `tbl` = 'workflows';
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_user_settings_delete`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_user_settings_insert`;
--> statement-breakpoint
DROP TRIGGER `__libsqlkit_user_settings_update`;
--> statement-breakpoint
DELETE FROM `__libsqlkit_sync_rows` WHERE `tbl` = 'user_settings';
