// A ChatRoom's events on their way to the EVENTS queue (src/shared/events.ts), off the
// acknowledgement path: the sender's ack never waits for the queue.
//
// Messages need no extra write: the message log is their outbox. The room remembers up to which
// seq the queue has taken its messages (`published_seq`) and sends the rest. Those appended since
// the object woke are kept in memory until sent, so a send does not read back from the log what
// was just written to it (a CPU profile of a busy chat put reading the rows again at an eighth
// of its time); after a wake-up, a rollback or a long queue outage they are read from the log.
// A run of messages goes as one queue message (MessagesCreatedRun), their JSON as the broadcast carried it.
// The rarer events (started, rated, closed, transferred, tagged) are written to the `outbox`
// table in the same storage transaction as the change they describe, with the log's last seq at
// that moment, so that a send puts every event in the order it happened.
//
// Nothing leaves the room's storage before the queue has taken it: a send that fails is tried
// again by the room's alarm, and what a crash left unsent goes out at the object's next wake-up. So
// an event may be sent twice (a crash after the send, before what it took is written), never
// lost; consumers deduplicate by its id. Events gather for SEND_AFTER_MS before a send, and while
// one send is in flight new events wait and go together in the next, so a busy chat makes about
// one send a second, not one per message.
import type { ChatEvent, MessagesCreatedRun, NewChatEvent } from "../shared/events.ts";
import type { ChatMessage } from "../shared/protocol.ts";
import { messageJson } from "./message-json.ts";

export const OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (n INTEGER PRIMARY KEY, after_seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1), published_seq INTEGER NOT NULL, last_other INTEGER NOT NULL
);`;

/** How long events gather before a send, unless EVENTS_SEND_AFTER_MS says otherwise. Each
 * sendBatch is a call out of the room that costs far more than the events in it (npm run bench:
 * a send per message took 40 % of a busy chat's throughput, a send every quarter second still
 * about a tenth); a second lets a busy chat's messages go fifty at a time, in one queue message,
 * and adds that much to how late search, reports and webhooks hear of them. */
export const SEND_AFTER_MS = 1_000;

/** Queue limits: at most 100 messages and 256 KB per sendBatch, 128 KB per message. A send takes
 * at most 100 events and 120,000 bytes (counted as if every character took three), so that even
 * a run of all its messages fits one queue message. */
const MAX_SEND_COUNT = 100;
const MAX_SEND_BYTES = 120_000;

/** Unsent messages kept in memory at most; past that (the queue refusing for a long while) the
 * outbox lets them go and reads them from the log when it can send again. */
const MAX_RECENT = 1_000;

/** What the outbox reads of its room. */
export type OutboxRoom = {
  chat(): { accountId: string; chatId: string } | undefined;
  lastSeq(): number;
  /** Up to `limit` messages after `seq`, every kind (notes too: the readers are staff). */
  messagesAfter(seq: number, limit: number): ChatMessage[];
};

/** The events written to the outbox table: all but a message's. */
export type OtherChatEvent = Exclude<NewChatEvent, { type: "message.created" }>;

type OtherRow = { n: number; after_seq: number; body: string };
/** An event waiting to be sent: a message's (its JSON, to go in a run) or another's (its body). */
type Pending = { order: [number, number]; body: string; seq?: number; n?: number };

export class EventOutbox {
  private state: { published: number; lastOther: number } | undefined;
  private sending: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Events came while a send was in flight: send again when it ends. */
  private more = false;
  /** Messages appended since the object woke and not yet sent, consecutive seqs in order. */
  private recent: ChatMessage[] = [];
  /** The queue took messages whose seq `published_seq` does not say yet: the next message's
   * write (or the next send, if none comes) records it. */
  private unsaved = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly queue: Queue,
    private readonly room: OutboxRoom,
    /** Called when a send failed: the room makes sure `flush` runs again later (its alarm). */
    private readonly failed: (error: unknown) => Promise<void>,
    private readonly sendAfterMs = SEND_AFTER_MS,
  ) {}

  /** Records an event other than a message's; call inside the transaction of the change it
   * describes. (A message's event is its log row: the room only calls `sendSoon` for it.) */
  add(event: OtherChatEvent): void {
    const state = this.read();
    const n = state.lastOther + 1;
    this.write({ ...state, lastOther: n });
    const body = { id: `${event.chatId}.e${n}`, ...event } as ChatEvent;
    this.sql.exec(
      "INSERT INTO outbox (n, after_seq, body) VALUES (?, ?, ?)",
      n,
      this.room.lastSeq(),
      JSON.stringify(body),
    );
    this.sendSoon();
  }

  /** A message was stored (inside its append, so in its transaction): it needs sending. */
  appended(message: ChatMessage): void {
    const last = this.recent[this.recent.length - 1];
    // Only a run of consecutive seqs can stand in for the log; anything else is read from it.
    if ((last && last.seq + 1 !== message.seq) || this.recent.length >= MAX_RECENT) this.recent = [];
    this.recent.push(message);
    // In this message's write: what the queue took since the last one.
    if (this.unsaved) this.write(this.read());
    this.sendSoon();
  }

  /** Drops what is kept in memory, after a transaction that added events rolled back. */
  forget(): void {
    this.state = undefined;
    this.recent = [];
    this.unsaved = false;
  }

  pending(): boolean {
    return (
      this.read().published < this.room.lastSeq() || this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length > 0
    );
  }

  /** Sends within `sendAfterMs`, with whatever else comes meanwhile; a send under way sends
   * again when it ends. */
  sendSoon(): void {
    if (this.sending) {
      this.more = true;
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.sending = this.sendAll()
        .catch((error: unknown) => this.failed(error))
        .finally(() => (this.sending = undefined));
    }, this.sendAfterMs);
  }

  /** Sends everything pending now; throws if the queue refuses. */
  async flush(): Promise<void> {
    await this.sending;
    await this.sendAll();
  }

  private async sendAll(): Promise<void> {
    // After the caller's synchronous work: its transaction is committed and its other events
    // are in, so they go in one batch.
    await Promise.resolve();
    do {
      this.more = false;
      for (let batch = this.batch(); batch.length > 0; batch = this.batch()) {
        await this.queue.sendBatch(this.queueMessages(batch).map((body) => ({ body, contentType: "text" as const })));
        const seqs = batch.flatMap((item) => (item.seq === undefined ? [] : [item.seq]));
        const others = batch.flatMap((item) => (item.n === undefined ? [] : [item.n]));
        if (seqs.length) {
          const published = Math.max(...seqs);
          this.recent = this.recent.filter((message) => message.seq > published);
          // Written now only if no message came meanwhile. A busy chat's next message carries the
          // write (in its own commit, at next to no cost), where a write of its own after every
          // send was a storage commit of its own that cost throughput (npm run bench). Until it is
          // written, a restart sends those events again.
          this.state = { ...this.read(), published };
          if (this.recent.length === 0) this.write(this.state);
          else this.unsaved = true;
        }
        if (others.length) this.sql.exec("DELETE FROM outbox WHERE n <= ?", Math.max(...others));
      }
    } while (this.more);
  }

  /** The oldest unsent events, in the order they happened, as many as one sendBatch takes. */
  private batch(): Pending[] {
    const chat = this.room.chat();
    if (!chat) return [];
    const { published } = this.read();
    const messages = this.unsentMessages(published);
    // The message's JSON as the broadcast (and a parley.v1 ack) carried it, not made again.
    const pending: Pending[] = messages.map((message) => ({
      order: [message.seq, 0],
      seq: message.seq,
      body: messageJson(message),
    }));
    // An event recorded after message k goes after it and before message k + 1; when there are
    // more messages than were read, one recorded after those waits for them.
    const lastRead = messages.length === MAX_SEND_COUNT ? messages[messages.length - 1]!.seq : Infinity;
    for (const row of this.sql.exec<OtherRow>(
      "SELECT n, after_seq, body FROM outbox ORDER BY n LIMIT ?",
      MAX_SEND_COUNT,
    ))
      if (row.after_seq <= lastRead) pending.push({ order: [row.after_seq, row.n], n: row.n, body: row.body });
    pending.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
    // A prefix of that order, so whatever is sent later happened later.
    const batch: Pending[] = [];
    let bytes = 0;
    for (const item of pending) {
      bytes += item.body.length * 3;
      if (batch.length === MAX_SEND_COUNT || (batch.length > 0 && bytes > MAX_SEND_BYTES)) break;
      batch.push(item);
    }
    return batch;
  }

  /** The bodies of one sendBatch: each run of consecutive messages in `batch` as one
   * MessagesCreatedRun, each other event as itself, in order. */
  private queueMessages(batch: Pending[]): string[] {
    const chat = this.room.chat()!;
    const run: MessagesCreatedRun = {
      type: "messages.created",
      accountId: chat.accountId,
      chatId: chat.chatId,
      messages: [],
    };
    // `…,"messages":[` + the messages' JSON + `]}`: the run without parsing its messages again.
    const head = JSON.stringify(run).slice(0, -2);
    const bodies: string[] = [];
    let messages: string[] = [];
    for (const item of [...batch, undefined]) {
      if (item?.seq !== undefined) messages.push(item.body);
      else {
        if (messages.length) bodies.push(`${head}${messages.join(",")}]}`);
        messages = [];
        if (item) bodies.push(item.body);
      }
    }
    return bodies;
  }

  /** Up to MAX_SEND_COUNT messages after `published`: from memory when it holds every one of
   * them, else from the log. */
  private unsentMessages(published: number): ChatMessage[] {
    if (published >= this.room.lastSeq()) return [];
    const first = this.recent[0];
    if (first && first.seq <= published + 1 && this.recent[this.recent.length - 1]!.seq === this.room.lastSeq()) {
      const start = published + 1 - first.seq;
      return this.recent.slice(start, start + MAX_SEND_COUNT);
    }
    return this.room.messagesAfter(published, MAX_SEND_COUNT);
  }

  private read(): { published: number; lastOther: number } {
    this.state ??= (() => {
      const row = this.sql
        .exec<{ published_seq: number; last_other: number }>("SELECT published_seq, last_other FROM outbox_state")
        .toArray()[0];
      return { published: row?.published_seq ?? 0, lastOther: row?.last_other ?? 0 };
    })();
    return this.state;
  }

  private write(state: { published: number; lastOther: number }): void {
    this.sql.exec(
      "INSERT INTO outbox_state (singleton, published_seq, last_other) VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET published_seq = excluded.published_seq, last_other = excluded.last_other",
      state.published,
      state.lastOther,
    );
    this.state = state;
    this.unsaved = false;
  }
}
