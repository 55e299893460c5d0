// A chat's message log, in its ChatRoom's SQLite: the table, how a row becomes a ChatMessage, and
// the one way a message gets in (append). Every message is numbered here: `seq` is the previous
// message's plus one, given explicitly, so a resent `cid` that hits the unique index stores
// nothing and uses up no number, and seqs have no gaps.
import type { ChatMessage, FileAttachment, Participant, SystemEvent } from "../shared/protocol.ts";

const CHAT_LOG_SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  cid TEXT, kind TEXT NOT NULL, event TEXT,
  author_kind TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL,
  text TEXT NOT NULL, at INTEGER NOT NULL, file TEXT,
  UNIQUE (author_id, cid)
);`;

/** The cid of a visitor message that came by email: this prefix and the SHA-256 (hex) of the
 * email's Message-ID. At 70 characters it is longer than any cid a socket client may send
 * (MAX_CID_LENGTH), so no client can claim one or block one. That a message came by email is
 * the log's `via` column, set only by the room for an email reply, never read from a client's cid. */
export const EMAIL_CID_PREFIX = "email:";
/** Rows stored before the `via` column existed: an email reply's cid has exactly this shape,
 * which no client cid (at most MAX_CID_LENGTH long) can have. */
const LEGACY_EMAIL_CID = /^email:[0-9a-f]{64}$/;

type MessageRow = {
  seq: number;
  cid: string | null;
  kind: ChatMessage["kind"];
  event: SystemEvent | null;
  author_kind: Participant["kind"];
  author_id: string;
  author_name: string;
  text: string;
  at: number;
  /** JSON of the FileAttachment, on file messages only. */
  file: string | null;
  /** How the message reached us when not through a socket or the API: "email". Server-set only. */
  via: string | null;
};

const MESSAGE_COLUMNS = "seq, cid, kind, event, author_kind, author_id, author_name, text, at, file, via";

/** Whether a row came by email: its `via`, or for a row from before that column, its cid. */
function cameByEmail(row: MessageRow): boolean {
  if (row.via !== null) return row.via === "email";
  return row.author_kind === "visitor" && row.cid !== null && LEGACY_EMAIL_CID.test(row.cid);
}

function toMessage(row: MessageRow): ChatMessage {
  return {
    seq: row.seq,
    cid: row.cid,
    kind: row.kind,
    event: row.event,
    author: { kind: row.author_kind, id: row.author_id, name: row.author_name },
    text: row.text,
    at: row.at,
    ...(cameByEmail(row) ? { via: "email" as const } : {}),
    ...(row.file ? { file: JSON.parse(row.file) as FileAttachment } : {}),
  };
}

/** What a new message is; the log gives it its seq. `via` is for the server to set, never a client. */
type NewMessage = {
  cid: string | null;
  kind: ChatMessage["kind"];
  event?: SystemEvent;
  author: Participant;
  text: string;
  at: number;
  file?: FileAttachment;
  via?: "email";
};

export class ChatLog {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(CHAT_LOG_SCHEMA);
    // Rooms created before a column existed get it on their next wake-up. ADD COLUMN keeps every
    // row (the new column is NULL in old ones) and runs once: afterwards the column is there.
    const columns = new Set(
      sql
        .exec<{ name: string }>("SELECT name FROM pragma_table_info('messages')")
        .toArray()
        .map((c) => c.name),
    );
    if (!columns.has("file")) sql.exec("ALTER TABLE messages ADD COLUMN file TEXT");
    if (!columns.has("via")) sql.exec("ALTER TABLE messages ADD COLUMN via TEXT");
  }

  /** Stores the message as the next one and returns it as stored; null when its author has a
   * message with this cid already (a resend), in which case nothing is stored. */
  append(message: NewMessage): ChatMessage | null {
    const row = this.sql
      .exec<MessageRow>(
        `INSERT INTO messages (seq, cid, kind, event, author_kind, author_id, author_name, text, at, file, via)
         VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM messages), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (author_id, cid) DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
        message.cid,
        message.kind,
        message.event ?? null,
        message.author.kind,
        message.author.id,
        message.author.name,
        message.text,
        message.at,
        message.file ? JSON.stringify(message.file) : null,
        message.via ?? null,
      )
      .toArray()[0];
    return row ? toMessage(row) : null;
  }

  lastSeq(): number {
    return this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM messages").one().seq ?? 0;
  }

  count(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM messages").one().n;
  }

  /** The author's message with this cid, if stored. */
  byCid(authorId: string, cid: string): ChatMessage | null {
    const row = this.sql
      .exec<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE author_id = ? AND cid = ?`, authorId, cid)
      .toArray()[0];
    return row ? toMessage(row) : null;
  }

  /** Up to `limit` messages after `seq`, oldest first. */
  after(seq: number, limit: number): ChatMessage[] {
    return this.sql
      .exec<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
      .toArray()
      .map(toMessage);
  }

  /** Up to `limit` messages before `seq` (all of the newest, without it), oldest first. */
  before(seq: number | null, limit: number): ChatMessage[] {
    return this.sql
      .exec<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
        seq ?? Number.MAX_SAFE_INTEGER,
        limit,
      )
      .toArray()
      .reverse()
      .map(toMessage);
  }

  /** How many text messages the visitor has written. */
  visitorTextCount(): number {
    return this.sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM messages WHERE author_kind = 'visitor' AND kind = 'text'")
      .one().n;
  }

  /** Whether an operator wrote anything (text or files) after `seq`. */
  operatorWroteAfter(seq: number): boolean {
    return (
      this.sql
        .exec("SELECT 1 FROM messages WHERE seq > ? AND author_kind = 'operator' AND kind <> 'system' LIMIT 1", seq)
        .toArray().length > 0
    );
  }
}
