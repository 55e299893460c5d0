ALTER TABLE `chats` ADD `rating` text;--> statement-breakpoint
ALTER TABLE `chats` ADD `rating_comment` text;--> statement-breakpoint
ALTER TABLE `chats` ADD `offline` integer DEFAULT false NOT NULL;