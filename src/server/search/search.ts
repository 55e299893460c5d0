// Full-text search and the History list over one account's chats, for the console and the admin
// API. Every query is bound to the caller's account id; filters and cursors are bound parameters.
//
// Search walks the FTS5 index newest row first (rowid descending, which FTS5 reads in that order
// without sorting) and stops after one page: a common word among a million messages costs one
// page of matches, not all of them. The cursor is the last row's id.
import type {
  HistoryChat,
  HistoryFilters,
  HistoryListPage,
  SearchPage,
  SearchQuery,
  SnippetPart,
} from "../../shared/history.ts";
import { DEFAULT_HISTORY_LIST_PAGE } from "../../shared/history.ts";
import type { ChatStatus, ParticipantKind, Rating } from "../../shared/protocol.ts";
import { MATCH_END, MATCH_START } from "./index-writer.ts";

/** Words of a query, as the index's tokenizer (unicode61) splits text: letters and digits; a
 * word followed by `*` is the start of longer words. */
const WORD = /([\p{L}\p{N}]+)(\*?)/gu;

/** The FTS5 query for what a person typed: every word must occur as a whole word (each quoted, so
 * nothing typed is read as FTS5 syntax), or, written with a `*` after it ("refun*"), as the start
 * of one. Whole words by default, because a prefix of a short common word matches thousands of
 * words and costs several times as much (docs/benchmarks.md, "Search"). Null when there is no word
 * at all ("?!"). */
export function ftsQuery(typed: string): string | null {
  const words = [...typed.matchAll(WORD)];
  if (!words.length) return null;
  return words.map(([, word, star]) => `"${word}"${star}`).join(" ");
}

/** A snippet with marks, as pieces of plain text with the matches flagged. */
export function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of marked.split(MATCH_START).entries()) {
    const [match, rest] = i === 0 ? [null, piece] : piece.split(MATCH_END, 2);
    if (match) parts.push({ text: match, match: true });
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts;
}

type Clause = { sql: string; params: unknown[] };

/** The filters both lists share, over a chat aliased `c` (and its time column `time`). */
function filterClauses(filters: HistoryFilters, time: string): Clause[] {
  const clauses: Clause[] = [];
  if (filters.from !== undefined) clauses.push({ sql: `${time} >= ?`, params: [filters.from] });
  if (filters.to !== undefined) clauses.push({ sql: `${time} < ?`, params: [filters.to] });
  if (filters.departmentId !== undefined) clauses.push({ sql: "c.department_id = ?", params: [filters.departmentId] });
  if (filters.rating !== undefined) clauses.push({ sql: "c.rating = ?", params: [filters.rating] });
  if (filters.operatorId !== undefined)
    clauses.push({
      sql: "EXISTS (SELECT 1 FROM chat_operators o WHERE o.chat_id = c.id AND o.operator_id = ?)",
      params: [filters.operatorId],
    });
  if (filters.tagId !== undefined)
    clauses.push({
      sql: "EXISTS (SELECT 1 FROM chat_tags t WHERE t.chat_id = c.id AND t.tag_id = ?)",
      params: [filters.tagId],
    });
  return clauses;
}

function where(clauses: Clause[]): Clause {
  return { sql: clauses.map((c) => c.sql).join(" AND "), params: clauses.flatMap((c) => c.params) };
}

type HitRow = {
  id: number;
  chat_id: string;
  seq: number;
  at: number;
  kind: SearchPage["items"][number]["kind"];
  author_kind: ParticipantKind | null;
  author_name: string | null;
  snippet: string;
  visitor_name: string;
  visitor_email: string | null;
  department_id: string | null;
  status: ChatStatus;
  rating: Rating | null;
  created_at: number;
};

export async function searchMessages(db: D1Database, accountId: string, query: SearchQuery): Promise<SearchPage> {
  const match = ftsQuery(query.q);
  if (match === null) return { items: [], nextCursor: null };
  const size = query.limit ?? DEFAULT_HISTORY_LIST_PAGE;
  const clauses: Clause[] = [
    { sql: "message_search MATCH ?", params: [match] },
    { sql: "m.account_id = ?", params: [accountId] },
    ...filterClauses(query, "m.at"),
  ];
  if (query.cursor !== undefined) clauses.push({ sql: "message_search.rowid < ?", params: [Number(query.cursor)] });
  const filter = where(clauses);
  const { results } = await db
    .prepare(
      `SELECT m.id, m.chat_id, m.seq, m.at, m.kind, m.author_kind, m.author_name,
        snippet(message_search, 0, char(2), char(3), '…', 16) AS snippet,
        c.visitor_name, c.visitor_email, c.department_id, c.status, c.rating, c.created_at
      FROM message_search
        JOIN message_index m ON m.id = message_search.rowid
        JOIN chats c ON c.id = m.chat_id
      WHERE ${filter.sql}
      ORDER BY message_search.rowid DESC
      LIMIT ?`,
    )
    .bind(...filter.params, size + 1)
    .all<HitRow>();
  const more = results.length > size;
  const rows = more ? results.slice(0, size) : results;
  return {
    items: rows.map((row) => ({
      chatId: row.chat_id,
      seq: row.seq,
      at: row.at,
      kind: row.kind,
      author: row.author_kind ? { kind: row.author_kind, name: row.author_name ?? "" } : null,
      snippet: snippetParts(row.snippet),
      chat: {
        visitorName: row.visitor_name,
        visitorEmail: row.visitor_email,
        departmentId: row.department_id,
        status: row.status,
        rating: row.rating,
        createdAt: row.created_at,
      },
    })),
    nextCursor: more ? String(rows[rows.length - 1]!.id) : null,
  };
}

type ChatRow = {
  id: string;
  department_id: string | null;
  visitor_id: string;
  visitor_name: string;
  visitor_email: string | null;
  status: ChatStatus;
  operator_ids: string;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  rating: Rating | null;
  rating_comment: string | null;
  offline: number;
  missed_at: number | null;
  tag_ids: string;
};

/** The account's chats, newest first (ids are c_ + ULID, so by id), with their tags. */
export async function listHistory(
  db: D1Database,
  accountId: string,
  filters: HistoryFilters,
): Promise<HistoryListPage> {
  const size = filters.limit ?? DEFAULT_HISTORY_LIST_PAGE;
  const clauses: Clause[] = [
    { sql: "c.account_id = ?", params: [accountId] },
    ...filterClauses(filters, "c.created_at"),
  ];
  if (filters.cursor !== undefined) clauses.push({ sql: "c.id < ?", params: [filters.cursor] });
  const rows = await historyChats(db, clauses, size + 1);
  const more = rows.length > size;
  const shown = more ? rows.slice(0, size) : rows;
  return { items: shown, nextCursor: more ? shown[shown.length - 1]!.id : null };
}

/** One chat of the account as the History list shows it; null if the account has no such chat. */
export async function pastChat(db: D1Database, accountId: string, chatId: string): Promise<HistoryChat | null> {
  const clauses = [{ sql: "c.account_id = ? AND c.id = ?", params: [accountId, chatId] }];
  return (await historyChats(db, clauses, 1))[0] ?? null;
}

async function historyChats(db: D1Database, clauses: Clause[], limit: number): Promise<HistoryChat[]> {
  const filter = where(clauses);
  const { results } = await db
    .prepare(
      `SELECT c.id, c.department_id, c.visitor_id, c.visitor_name, c.visitor_email, c.status, c.operator_ids,
        c.created_at, c.updated_at, c.closed_at, c.rating, c.rating_comment, c.offline, c.missed_at,
        (SELECT json_group_array(t.tag_id) FROM chat_tags t WHERE t.chat_id = c.id) AS tag_ids
      FROM chats c WHERE ${filter.sql} ORDER BY c.id DESC LIMIT ?`,
    )
    .bind(...filter.params, limit)
    .all<ChatRow>();
  return results.map((row) => ({
    id: row.id,
    departmentId: row.department_id,
    visitorId: row.visitor_id,
    visitorName: row.visitor_name,
    visitorEmail: row.visitor_email,
    status: row.status,
    operatorIds: JSON.parse(row.operator_ids) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    rating: row.rating,
    ratingComment: row.rating_comment,
    offline: Boolean(row.offline),
    missedAt: row.missed_at,
    tagIds: JSON.parse(row.tag_ids) as string[],
  }));
}
