// Past chats for a team: the History list and full-text search, for the console
// (`/api/operator/history`, `/api/operator/search`) and the admin API (`/api/admin/v1/search`).
// Both are scoped to the caller's account and page with a cursor; docs/history.md says how the
// search index is fed (the event pipeline, docs/protocol.md "Events").
import * as v from "valibot";
import { ChatSummarySchema, Id, named, participantKinds, ratings, Timestamp } from "./protocol.ts";

export const MAX_HISTORY_LIST_PAGE = 50;
export const DEFAULT_HISTORY_LIST_PAGE = 25;
/** Longest search query, in characters. */
export const MAX_SEARCH_QUERY_LENGTH = 200;

const Millis = (what: string) =>
  v.pipe(v.string(), v.digits(`${what} is a time in milliseconds since the epoch.`), v.transform(Number));
const PageSize = v.pipe(
  v.string(),
  v.digits("The limit is a whole number."),
  v.transform(Number),
  v.integer(),
  v.minValue(1, "The limit is at least 1."),
  v.maxValue(MAX_HISTORY_LIST_PAGE, `The limit is at most ${MAX_HISTORY_LIST_PAGE}.`),
);

/** Filters shared by the History list and search. `from`/`to`: the chat started (list) or the
 * message was written (search) at or after / before, ms since the epoch. `operatorId`: an operator
 * who has been in the chat (not only one in it now). */
export const HistoryFilters = v.strictObject({
  from: v.optional(Millis("from")),
  to: v.optional(Millis("to")),
  departmentId: v.optional(Id),
  operatorId: v.optional(Id),
  tagId: v.optional(Id),
  rating: v.optional(v.picklist(ratings, "The rating is good or bad.")),
  /** The `nextCursor` of the previous page. */
  cursor: v.optional(Id),
  limit: v.optional(PageSize),
});
export type HistoryFilters = v.InferOutput<typeof HistoryFilters>;

export const SearchQuery = v.strictObject({
  ...HistoryFilters.entries,
  /** The `nextCursor` of the previous page: a row of the index. */
  cursor: v.optional(v.pipe(v.string(), v.digits("The cursor is the nextCursor of the previous page."))),
  q: v.pipe(
    v.string("Say what to search for."),
    v.trim(),
    v.minLength(1, "Say what to search for."),
    v.maxLength(MAX_SEARCH_QUERY_LENGTH, `A search is at most ${MAX_SEARCH_QUERY_LENGTH} characters long.`),
  ),
});
export type SearchQuery = v.InferOutput<typeof SearchQuery>;

/** A chat in the History list: its index row, the visitor's comment with the rating, its tags. */
export const HistoryChatSchema = named(
  "HistoryChat",
  v.object({ ...ChatSummarySchema.entries, ratingComment: v.nullable(v.string()), tagIds: v.array(v.string()) }),
);
export type HistoryChat = v.InferOutput<typeof HistoryChatSchema>;
export const HistoryListPageSchema = v.object({
  items: v.array(HistoryChatSchema),
  nextCursor: v.nullable(v.string()),
});
export type HistoryListPage = v.InferOutput<typeof HistoryListPageSchema>;

/** What a hit is: a message's text, a file's name, a private note, or the visitor's name and
 * email (seq 0, one per chat). */
export const searchHitKinds = ["text", "file", "note", "visitor"] as const;
export type SearchHitKind = (typeof searchHitKinds)[number];

/** A piece of the hit's text; `match`: a searched word, to highlight. The pieces are plain text,
 * for the client to show as text (never as HTML). */
export const SnippetPart = v.object({ text: v.string(), match: v.boolean() });
export type SnippetPart = v.InferOutput<typeof SnippetPart>;

export const SearchHitSchema = named(
  "SearchHit",
  v.object({
    chatId: v.string(),
    /** The message's seq in its chat (0 for the visitor's name and email). */
    seq: v.number(),
    at: Timestamp,
    kind: v.picklist(searchHitKinds),
    author: v.nullable(v.object({ kind: v.picklist(participantKinds), name: v.string() })),
    /** Around the first match, with "…" where the text was cut. */
    snippet: v.array(SnippetPart),
    chat: v.object({
      visitorName: v.string(),
      visitorEmail: v.nullable(v.string()),
      departmentId: v.nullable(v.string()),
      status: ChatSummarySchema.entries.status,
      rating: ChatSummarySchema.entries.rating,
      createdAt: Timestamp,
    }),
  }),
);
export type SearchHit = v.InferOutput<typeof SearchHitSchema>;
export const SearchPageSchema = v.object({ items: v.array(SearchHitSchema), nextCursor: v.nullable(v.string()) });
export type SearchPage = v.InferOutput<typeof SearchPageSchema>;
