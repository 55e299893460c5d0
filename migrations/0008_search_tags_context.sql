CREATE TABLE `chat_operators` (
	`chat_id` text NOT NULL,
	`operator_id` text NOT NULL,
	PRIMARY KEY(`chat_id`, `operator_id`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chat_operators_operator` ON `chat_operators` (`operator_id`);--> statement-breakpoint
CREATE TABLE `chat_tags` (
	`chat_id` text NOT NULL,
	`tag_id` text NOT NULL,
	PRIMARY KEY(`chat_id`, `tag_id`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chat_tags_tag` ON `chat_tags` (`tag_id`);--> statement-breakpoint
CREATE TABLE `message_index` (
	`id` integer PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`chat_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`author_kind` text,
	`author_name` text,
	`text` text NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_index_chat_seq` ON `message_index` (`chat_id`,`seq`);--> statement-breakpoint
CREATE INDEX `message_index_account` ON `message_index` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_account_name` ON `tags` (`account_id`,`name`);--> statement-breakpoint
ALTER TABLE `chats` ADD `visitor_country` text;--> statement-breakpoint
ALTER TABLE `chats` ADD `visitor_user_agent` text;--> statement-breakpoint
-- Written by hand (drizzle-kit does not know virtual tables): the full-text index over
-- message_index.text, external content so the text is stored once, kept in step by the triggers.
-- unicode61 with diacritics removed: "cafe" finds "café". Prefix indexes of 2 and 3 characters make
-- the last, still-typed word of a query (matched as a prefix) as cheap as a whole one.
CREATE VIRTUAL TABLE `message_search` USING fts5(
	text, content='message_index', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER `message_index_ai` AFTER INSERT ON `message_index` BEGIN
	INSERT INTO message_search(rowid, text) VALUES (new.id, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `message_index_ad` AFTER DELETE ON `message_index` BEGIN
	INSERT INTO message_search(message_search, rowid, text) VALUES ('delete', old.id, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `message_index_au` AFTER UPDATE OF text ON `message_index` BEGIN
	INSERT INTO message_search(message_search, rowid, text) VALUES ('delete', old.id, old.text);
	INSERT INTO message_search(rowid, text) VALUES (new.id, new.text);
END;
--> statement-breakpoint
-- Operators in chats before this migration: those in them now are all the index knows of.
INSERT OR IGNORE INTO `chat_operators` (`chat_id`, `operator_id`)
	SELECT `chats`.`id`, `j`.`value` FROM `chats`, json_each(`chats`.`operator_ids`) AS `j`;
