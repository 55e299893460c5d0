// A ChatRoom's events on their way to the EVENTS queue (src/shared/events.ts). An event is written
// to the room's own `outbox` table in the same storage transaction as the change it describes
// (so it exists exactly when the change does), and sent afterwards, off the acknowledgement path:
// the sender's ack never waits for the queue. Rows leave the table only once the queue has taken
// them; a send that fails is tried again by the room's alarm, and rows a crash left behind go out
// at the object's next wake-up. So an event may be sent twice (a crash between send and delete),
// never lost; consumers deduplicate by its id.
//
// Sends are batched: while one is in flight, new events wait and go together in the next, so a
// busy chat makes a few sends per round trip, not one per message.
import type { NewChatEvent } from "../shared/events.ts";

export const OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (n INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox_counter (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), last INTEGER NOT NULL);`;

/** Queue limits: at most 100 messages and 256 KB per sendBatch. */
const MAX_SEND_COUNT = 100;
const MAX_SEND_BYTES = 200_000;

export class EventOutbox {
  /** The last number of an event other than a message's, once read (1, 2, 3… for the room's life). */
  private last: number | undefined;
  private sending: Promise<void> | undefined;
  /** Events were added while a send was in flight: send again when it ends. */
  private more = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly queue: Queue,
    /** Called when a send failed: the room makes sure `flush` runs again later (its alarm). */
    private readonly failed: (error: unknown) => Promise<void>,
  ) {}

  /** Writes the event beside the change it describes (call inside the same transaction), and
   * sends it once the current work is done. A message's event is named by its seq; the rarer
   * others by a counter of their own, so a message costs one outbox row and nothing more. */
  add(event: NewChatEvent): void {
    let id: string;
    if (event.type === "message.created") id = `${event.chatId}.${event.message.seq}`;
    else {
      const n = this.lastOther() + 1;
      this.sql.exec(
        "INSERT INTO outbox_counter (singleton, last) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET last = excluded.last",
        n,
      );
      this.last = n;
      id = `${event.chatId}.e${n}`;
    }
    this.sql.exec("INSERT INTO outbox (body) VALUES (?)", JSON.stringify({ id, ...event }));
    this.sendSoon();
  }

  /** Drops the number kept in memory, after a transaction that added events rolled back. */
  forget(): void {
    this.last = undefined;
  }

  pending(): boolean {
    return this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length > 0;
  }

  /** Starts a send unless one is under way (which then sends again when it ends). */
  sendSoon(): void {
    if (this.sending) {
      this.more = true;
      return;
    }
    this.sending = this.sendAll()
      .catch((error: unknown) => this.failed(error))
      .finally(() => (this.sending = undefined));
  }

  /** Sends everything in the outbox; throws if the queue refuses. */
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
      for (let rows = this.batch(); rows.length > 0; rows = this.batch()) {
        await this.queue.sendBatch(rows.map((row) => ({ body: row.body, contentType: "text" as const })));
        this.sql.exec("DELETE FROM outbox WHERE n <= ?", rows[rows.length - 1]!.n);
      }
    } while (this.more);
  }

  /** The oldest unsent events, as many as one sendBatch takes. */
  private batch(): { n: number; body: string }[] {
    const rows: { n: number; body: string }[] = [];
    let bytes = 0;
    for (const row of this.sql.exec<{ n: number; body: string }>(
      "SELECT n, body FROM outbox ORDER BY n LIMIT ?",
      MAX_SEND_COUNT,
    )) {
      bytes += row.body.length * 3;
      if (rows.length > 0 && bytes > MAX_SEND_BYTES) break;
      rows.push(row);
    }
    return rows;
  }

  private lastOther(): number {
    this.last ??= this.sql.exec<{ last: number }>("SELECT last FROM outbox_counter").toArray()[0]?.last ?? 0;
    return this.last;
  }
}
