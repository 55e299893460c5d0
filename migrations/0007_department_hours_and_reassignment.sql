ALTER TABLE `departments` ADD `reassign_after_s` integer;--> statement-breakpoint
ALTER TABLE `departments` ADD `business_hours` text;