CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text,
	`address` text,
	`action` text NOT NULL,
	`target_id` text,
	`status` integer NOT NULL,
	`changes` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_account` ON `audit_log` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `storage_usage` (
	`account_id` text PRIMARY KEY NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_chat` ON `webhook_deliveries` (`chat_id`);--> statement-breakpoint
-- Written by hand: the audit log cannot be edited, and a row leaves only when a year old.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit log rows are not editable');
END;
--> statement-breakpoint
CREATE TRIGGER audit_log_kept_a_year BEFORE DELETE ON audit_log
WHEN OLD.at > (unixepoch('subsec') * 1000) - 365 * 86400000 BEGIN
  SELECT RAISE(ABORT, 'audit log rows are kept for a year');
END;
