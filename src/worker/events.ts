// The consumer of the EVENTS queue: what chats publish (src/shared/events.ts) reaches the search
// index here, a batch at a time. A batch is one D1 statement (so one transaction); if it fails, each event is tried
// alone, so one bad event holds back no other, and only what still fails is retried (with growing
// delays; after max_retries the queue moves it to the dead letter queue, wrangler.toml).
import type { ChatEvent } from "../shared/events.ts";
import { indexRows, insertRows, type IndexRow } from "../server/search/index-writer.ts";
import { fanOutWebhooks } from "../server/webhooks/fan-out.ts";

/** Seconds before the n-th retry: 5, 10, 20… up to five minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

function parse(body: unknown): ChatEvent | null {
  try {
    const event = (typeof body === "string" ? JSON.parse(body) : body) as ChatEvent | null;
    return event && typeof event.type === "string" && typeof event.chatId === "string" ? event : null;
  } catch {
    return null;
  }
}

export async function consumeEvents(batch: MessageBatch, env: Env): Promise<void> {
  const work: { message: Message; rows: IndexRow[]; event: ChatEvent }[] = [];
  for (const message of batch.messages) {
    const event = parse(message.body);
    let rows: IndexRow[] | null = null;
    try {
      if (event) rows = indexRows(event);
    } catch {
      // Falls through: an event we cannot read.
    }
    if (!rows) {
      // Not an event of ours: retrying would never change that.
      console.error(`events: dropped an unreadable message ${message.id}`);
      message.ack();
      continue;
    }
    work.push({ message, rows, event: event! });
  }
  const rows = work.flatMap((item) => item.rows);
  try {
    if (rows.length) await insertRows(env.DB, rows).run();
    await fanOutWebhooks(
      work.map((item) => item.event),
      env,
    ); // Before the acks: a failure retries.
    for (const item of work) item.message.ack();
    return;
  } catch (error) {
    console.error("events: a batch failed, trying its events one by one", error);
  }
  for (const { message, rows: mine, event } of work) {
    try {
      if (mine.length) await insertRows(env.DB, mine).run();
      await fanOutWebhooks([event], env);
      message.ack();
    } catch {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
