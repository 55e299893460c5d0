// The search index's one writer: what each chat event adds to `message_index` (and, through its
// triggers, to the FTS5 table `message_search`). Writing is idempotent, keyed by chat id and seq,
// so the queue delivering an event twice, or a batch retried after a failure, leaves one row. A
// row is written only while its chat is in the index (an erased chat's late events add nothing).
import type { ChatEvent } from "../../shared/events.ts";
import { jsonRowStatements } from "../db/json-chunks.ts";

/** The snippet's highlight marks (search.ts); taken out of indexed text so nobody can forge one. */
export const MATCH_START = "\u0002";
export const MATCH_END = "\u0003";
const MARKS = /[\u0002\u0003]/g;

/** account_id, chat_id, seq, at, kind, author_kind, author_name, text. */
export type IndexRow = [string, string, number, number, string, string | null, string | null, string];

/** Any number of rows in one statement and one bound value (a JSON array of rows), which D1 and
 * SQLite take far faster than a statement per row. */
const INSERT_ROWS = `INSERT INTO message_index (account_id, chat_id, seq, at, kind, author_kind, author_name, text)
  SELECT r ->> 0, r ->> 1, r ->> 2, r ->> 3, r ->> 4, r ->> 5, r ->> 6, r ->> 7
  FROM (SELECT value AS r FROM json_each(?1))
  WHERE EXISTS (SELECT 1 FROM chats WHERE id = r ->> 1 AND account_id = r ->> 0)
  ON CONFLICT (chat_id, seq) DO NOTHING`;

/** The kinds of message search finds; system lines ("joined the chat") are not worth finding. */
const SEARCHED_KINDS: ReadonlySet<string> = new Set(["text", "file", "note"]);

/** The rows one event adds: none for events search does not keep. Throws on an event that is not
 * of the shape it claims. */
export function indexRows(event: ChatEvent): IndexRow[] {
  if (event.type === "message.created") {
    const { message } = event;
    if (!SEARCHED_KINDS.has(message.kind)) return [];
    const { kind, name } = message.author;
    const text = message.text.replace(MARKS, "");
    return [[event.accountId, event.chatId, message.seq, message.at, message.kind, kind, name, text]];
  }
  if (event.type === "chat.started") {
    // The visitor's name and email, as the chat's row 0: a search for either finds the chat.
    const text = [event.visitor.name, event.visitor.email].filter(Boolean).join(" ").replace(MARKS, "");
    return [[event.accountId, event.chatId, 0, event.at, "visitor", null, null, text]];
  }
  return [];
}

/** The statements that write these rows: as few as fit D1's limit on a bound value, most often one. */
export function insertRows(db: D1Database, rows: IndexRow[]): D1PreparedStatement[] {
  return jsonRowStatements(db, INSERT_ROWS, rows, (row) => row[7].length + (row[6]?.length ?? 0) + 160);
}
