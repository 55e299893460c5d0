// D1 tables that the Worker writes and reads with SQL of its own (FTS5, upserts of JSON rows,
// triggers), never through drizzle: they are here for drizzle-kit, which makes their migrations
// (drizzle.config.ts reads both schema files). Kept apart from schema.ts because every table
// definition a module holds ends up in the Worker's bundle once anything imports that module.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { participantKinds, ratings } from "../../shared/protocol.ts";
import { DURATION_BOUNDS_S, FIRST_ANSWER_BOUNDS_S } from "../../shared/reports.ts";
import { chats, tags } from "./schema.ts";

/** What full-text search finds: each text, file and note message of every chat, and one row per
 * chat (seq 0, kind "visitor") with the visitor's name and email. Written only by the event
 * consumer (src/server/search/), once per (chat, seq) however often an event is delivered. The
 * FTS5 table `message_search` (external content over this table, kept in step by triggers) is
 * written by hand in migrations/0008: drizzle-kit does not know virtual tables. */
export const messageIndex = sqliteTable(
  "message_index",
  {
    /** The rowid, and the FTS5 table's: larger is indexed later, which search shows first. */
    id: integer("id").primaryKey(),
    accountId: text("account_id").notNull(),
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    at: integer("at").notNull(),
    kind: text("kind", { enum: ["text", "file", "note", "visitor"] }).notNull(),
    authorKind: text("author_kind", { enum: participantKinds }),
    authorName: text("author_name"),
    text: text("text").notNull(),
  },
  // No index on account_id: search reaches rows through the FTS5 table's rowid, and a chat's
  // erasure through chat_id (migrations/0012).
  (t) => [uniqueIndex("message_index_chat_seq").on(t.chatId, t.seq)],
);

/** Each chat's facts for reports, as its events told them (src/server/reports/report-writer.ts):
 * set, never counted, so an event delivered twice or late changes nothing. Triggers written by
 * hand in migrations/0009 move every change into `report_days`. */
export const reportChats = sqliteTable(
  "report_chats",
  {
    chatId: text("chat_id")
      .primaryKey()
      .references(() => chats.id, { onDelete: "cascade" }),
    accountId: text("account_id").notNull(),
    /** Null until the chat.started event came: until then the chat counts nowhere. */
    startedAt: integer("started_at"),
    /** "" for none. */
    departmentId: text("department_id").notNull().default(""),
    offline: integer("offline").notNull().default(0),
    /** Who wrote the first operator message, and when. */
    operatorId: text("operator_id"),
    firstAnswerAt: integer("first_answer_at"),
    closedAt: integer("closed_at"),
    /** Visitor and operator messages when it closed. */
    messages: integer("messages"),
    missed: integer("missed").notNull().default(0),
    rating: text("rating", { enum: ratings }),
    ratingComment: text("rating_comment"),
    ratedAt: integer("rated_at"),
  },
  (t) => [index("report_chats_account_started").on(t.accountId, t.startedAt)],
);

const counters = (prefix: string, count: number) =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`${prefix}${i}`, integer(`${prefix}${i}`).notNull().default(0)]),
  ) as Record<`${string}${number}`, ReturnType<typeof integer>>;

/** Per account, UTC day and department (dimension "department", key its id or "") or operator
 * who answered ("operator"): what reports read. Kept by triggers on report_chats; rows stay when
 * a chat's detail is deleted. fa<i>/du<i>: chats per first-answer / duration bucket
 * (src/shared/reports.ts), h<i>: chats started in UTC hour i. */
export const reportDays = sqliteTable(
  "report_days",
  {
    accountId: text("account_id").notNull(),
    dimension: text("dimension", { enum: ["department", "operator"] }).notNull(),
    key: text("key").notNull(),
    day: text("day").notNull(),
    started: integer("started").notNull().default(0),
    answered: integer("answered").notNull().default(0),
    missed: integer("missed").notNull().default(0),
    offline: integer("offline").notNull().default(0),
    closed: integer("closed").notNull().default(0),
    ratedGood: integer("rated_good").notNull().default(0),
    ratedBad: integer("rated_bad").notNull().default(0),
    messages: integer("messages").notNull().default(0),
    messagesChats: integer("messages_chats").notNull().default(0),
    ...counters("fa", FIRST_ANSWER_BOUNDS_S.length + 1),
    ...counters("du", DURATION_BOUNDS_S.length + 1),
    ...counters("h", 24),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.dimension, t.key, t.day] })],
);

/** Every operator who has been in a chat (joined, whether or not they left since): history and
 * search filter by it. Not a foreign key to operators: a chat's history outlives its operators. */
export const chatOperators = sqliteTable(
  "chat_operators",
  {
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    operatorId: text("operator_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.operatorId] }), index("chat_operators_operator").on(t.operatorId)],
);

/** The tags on each chat, as its ChatRoom last reported them (the room holds the truth). */
export const chatTags = sqliteTable(
  "chat_tags",
  {
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    tagId: text("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.tagId] }), index("chat_tags_tag").on(t.tagId)],
);

/** Bytes of files each account's chats hold in R2, against its storage quota (settings). Added
 * when an upload completes, taken off when a chat's files are deleted. */
export const storageUsage = sqliteTable("storage_usage", {
  accountId: text("account_id").primaryKey(),
  bytes: integer("bytes").notNull().default(0),
});
