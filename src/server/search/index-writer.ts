// The search index's one writer: what each chat event adds to `message_index` (and, through its
// triggers, to the FTS5 table `message_search`). Every statement is idempotent, keyed by chat id
// and seq, so the queue delivering an event twice, or a batch retried after a failure, leaves one
// row. A row is written only while its chat is in the index (an erased chat's late events add
// nothing).
import type { ChatEvent } from "../../shared/events.ts";

/** The snippet's highlight marks (search.ts); taken out of indexed text so nobody can forge one. */
export const MATCH_START = "\u0002";
export const MATCH_END = "\u0003";
const MARKS = /[\u0002\u0003]/g;

const INSERT_ROW = `INSERT INTO message_index (account_id, chat_id, seq, at, kind, author_kind, author_name, text)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE EXISTS (SELECT 1 FROM chats WHERE id = ?2 AND account_id = ?1)
  ON CONFLICT (chat_id, seq) DO NOTHING`;

/** The kinds of message search finds; system lines ("joined the chat") are not worth finding. */
const SEARCHED_KINDS: ReadonlySet<string> = new Set(["text", "file", "note"]);

/** The statements that index one event: none for events search does not keep. */
export function indexStatements(db: D1Database, event: ChatEvent): D1PreparedStatement[] {
  if (event.type === "message.created") {
    const { message } = event;
    if (!SEARCHED_KINDS.has(message.kind)) return [];
    return [
      db
        .prepare(INSERT_ROW)
        .bind(
          event.accountId,
          event.chatId,
          message.seq,
          message.at,
          message.kind,
          message.author.kind,
          message.author.name,
          message.text.replace(MARKS, ""),
        ),
    ];
  }
  if (event.type === "chat.started") {
    // The visitor's name and email, as the chat's row 0: a search for either finds the chat.
    const text = [event.visitor.name, event.visitor.email].filter(Boolean).join(" ").replace(MARKS, "");
    return [db.prepare(INSERT_ROW).bind(event.accountId, event.chatId, 0, event.at, "visitor", null, null, text)];
  }
  return [];
}
