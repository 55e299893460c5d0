// A chat's message log, in its ChatRoom's SQLite: the table, how a row becomes a ChatMessage, and
// the one way a message gets in (append). Every message is numbered here: `seq` is the previous
// message's plus one, given explicitly, so a resent `cid` stores nothing and uses up no number,
// and seqs have no gaps.
//
// The table is the only truth; two things derived from it are kept in memory, since the object is
// single-threaded and its log has no other writer: the last seq (max(seq), read once per wake-up)
// and which (author, cid) pairs are stored (every row's, read once per wake-up, on the first
// append or cid lookup). So a message costs one row in one B-tree: no unique index, no
// AUTOINCREMENT counter, no max(seq) subquery. A resend after a restart or an eviction is still
// refused, because the set is rebuilt from the rows themselves. Both are updated only after the
// INSERT succeeded, and dropped (`forget`) when a transaction around an append rolls back.
import type { ChatMessage, FileAttachment, Participant, SystemEvent } from "../shared/protocol.ts";

const CHAT_LOG_SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  cid TEXT, kind TEXT NOT NULL, event TEXT,
  author_kind TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL,
  text TEXT NOT NULL, at INTEGER NOT NULL, file TEXT, via TEXT
);`;
/** The table as rooms made it before (its UNIQUE (author_id, cid) index and AUTOINCREMENT cost
 * two more B-tree writes per message), rebuilt once into the shape above, every row kept. */
const LEGACY_TABLE = /UNIQUE|AUTOINCREMENT/i;

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

/** Who reads: the chat's visitor, who never gets an operator's private note, or staff
 * (operators, API keys), who get the whole log. Decided by the Worker from the caller's token
 * and by the room from the socket's holder, never from anything a client says. */
export type Audience = "visitor" | "staff";
const readableBy = (audience: Audience) => (audience === "visitor" ? " AND kind <> 'note'" : "");

function remember(cids: Map<string, Map<string, number>>, authorId: string, cid: string, seq: number): void {
  let mine = cids.get(authorId);
  if (!mine) cids.set(authorId, (mine = new Map()));
  mine.set(cid, seq);
}

export class ChatLog {
  /** max(seq), once read: undefined until then and after `forget`. */
  private last: number | undefined;
  /** Per author, every cid of theirs stored and its seq, once read. */
  private cids: Map<string, Map<string, number>> | undefined;

  constructor(
    private readonly sql: SqlStorage,
    transaction: <T>(fn: () => T) => T,
    /** Told of every message stored, inside the append (so in its transaction): the room's events. */
    private readonly appended: (message: ChatMessage) => void = () => {},
  ) {
    const table = sql.exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'messages'");
    const existing = table.toArray()[0]?.sql;
    if (existing === undefined) {
      sql.exec(CHAT_LOG_SCHEMA);
      return;
    }
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
    if (LEGACY_TABLE.test(existing)) {
      // All or nothing: a failure leaves the old table as it was, to be rebuilt on the next wake.
      transaction(() => {
        sql.exec(CHAT_LOG_SCHEMA.replace("messages (", "messages_rebuilt ("));
        sql.exec(
          `INSERT INTO messages_rebuilt (${MESSAGE_COLUMNS}) SELECT ${MESSAGE_COLUMNS} FROM messages ORDER BY seq`,
        );
        sql.exec("DROP TABLE messages");
        sql.exec("ALTER TABLE messages_rebuilt RENAME TO messages");
      });
    }
  }

  /** Drops what is kept in memory, to be read again from the table: after a transaction that
   * appended rolled back, so that neither its seq nor its cid stays taken. */
  forget(): void {
    this.last = undefined;
    this.cids = undefined;
  }

  /** Stores the message as the next one and returns it as stored; null when its author has a
   * message with this cid already (a resend), in which case nothing is stored. */
  append(message: NewMessage): ChatMessage | null {
    const cids = this.storedCids();
    if (message.cid !== null && cids.get(message.author.id)?.has(message.cid)) return null;
    const seq = this.lastSeq() + 1;
    const file = message.file ? JSON.stringify(message.file) : null;
    this.sql.exec(
      `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      message.cid,
      message.kind,
      message.event ?? null,
      message.author.kind,
      message.author.id,
      message.author.name,
      message.text,
      message.at,
      file,
      message.via ?? null,
    );
    // Only now that the row is in: a failed INSERT (it throws) takes neither the seq nor the cid.
    this.last = seq;
    if (message.cid !== null) remember(cids, message.author.id, message.cid, seq);
    const stored: ChatMessage = {
      seq,
      cid: message.cid,
      kind: message.kind,
      event: message.event ?? null,
      author: { kind: message.author.kind, id: message.author.id, name: message.author.name },
      text: message.text,
      at: message.at,
      ...(message.via === "email" ? { via: "email" as const } : {}),
      // Parsed back, like a row read later, so the copy sent is the one stored.
      ...(file ? { file: JSON.parse(file) as FileAttachment } : {}),
    };
    this.appended(stored);
    return stored;
  }

  lastSeq(): number {
    this.last ??= this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM messages").one().seq ?? 0;
    return this.last;
  }

  /** Every stored (author, cid) pair, read from the rows on first use after a wake-up. */
  private storedCids(): Map<string, Map<string, number>> {
    if (!this.cids) {
      const cids = new Map<string, Map<string, number>>();
      for (const row of this.sql.exec<{ seq: number; author_id: string; cid: string }>(
        "SELECT seq, author_id, cid FROM messages WHERE cid IS NOT NULL",
      ))
        remember(cids, row.author_id, row.cid, row.seq);
      this.cids = cids;
    }
    return this.cids;
  }

  count(audience: Audience): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE 1${readableBy(audience)}`).one().n;
  }

  /** The author's message with this cid, if stored. */
  byCid(authorId: string, cid: string): ChatMessage | null {
    const seq = this.storedCids().get(authorId)?.get(cid);
    if (seq === undefined) return null;
    const row = this.sql.exec<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq = ?`, seq).toArray()[0];
    return row ? toMessage(row) : null;
  }

  /** Up to `limit` messages after `seq` that `audience` may read, oldest first. */
  after(seq: number, limit: number, audience: Audience): ChatMessage[] {
    return this.sql
      .exec<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq > ?${readableBy(audience)} ORDER BY seq LIMIT ?`,
        seq,
        limit,
      )
      .toArray()
      .map(toMessage);
  }

  /** Up to `limit` messages before `seq` (all of the newest, without it) that `audience` may
   * read, oldest first. */
  before(seq: number | null, limit: number, audience: Audience): ChatMessage[] {
    return this.sql
      .exec<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq < ?${readableBy(audience)} ORDER BY seq DESC LIMIT ?`,
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

  /** Texts and files between the visitor and operators (not system lines or notes): reports'
   * "messages per chat". */
  conversationCount(): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT count(*) AS n FROM messages WHERE author_kind IN ('visitor', 'operator') AND kind IN ('text', 'file')",
      )
      .one().n;
  }

  /** Whether an operator wrote anything to the visitor (text or files) after `seq`: a private
   * note answers nobody. */
  operatorWroteAfter(seq: number): boolean {
    return (
      this.sql
        .exec(
          "SELECT 1 FROM messages WHERE seq > ? AND author_kind = 'operator' AND kind IN ('text', 'file') LIMIT 1",
          seq,
        )
        .toArray().length > 0
    );
  }
}
