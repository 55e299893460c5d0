ALTER TABLE `departments` ADD `routing_mode` text DEFAULT 'everyone' NOT NULL;--> statement-breakpoint
ALTER TABLE `departments` ADD `ring_timeout_s` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE `departments` ADD `max_wait_s` integer DEFAULT 600 NOT NULL;--> statement-breakpoint
ALTER TABLE `operators` ADD `max_chats` integer;