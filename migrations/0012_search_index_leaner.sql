DROP INDEX `message_index_account`;--> statement-breakpoint
-- Written by hand (drizzle-kit does not know virtual tables): the full-text index again, leaner to
-- write (npm run bench:search, docs/benchmarks.md "A leaner search index"):
-- * no 2- and 3-letter prefix indexes: a word matches whole unless typed with `*` (search.ts), and
--   they served only a `*` after exactly two or three letters, at three index entries per word;
-- * columnsize=0: no per-row size table, which only bm25 ranking reads; search lists newest first.
-- The rows stay in message_index; 'rebuild' indexes them all again from there.
DROP TABLE `message_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `message_search` USING fts5(
	text, content='message_index', content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0
);
--> statement-breakpoint
INSERT INTO `message_search`(`message_search`) VALUES ('rebuild');
