// The consumer of the EVENTS queue: what chats publish (src/shared/events.ts) reaches the search
// index here, a batch at a time. A batch is one D1 transaction; if it fails, each event is tried
// alone, so one bad event holds back no other, and only what still fails is retried (with growing
// delays; after max_retries the queue moves it to the dead letter queue, wrangler.toml).
import type { ChatEvent } from "../shared/events.ts";
import { indexStatements } from "../server/search/index-writer.ts";

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
  const work: { message: Message; statements: D1PreparedStatement[] }[] = [];
  for (const message of batch.messages) {
    const event = parse(message.body);
    let statements: D1PreparedStatement[] | null = null;
    try {
      if (event) statements = indexStatements(env.DB, event);
    } catch {
      // Falls through: an event we cannot read.
    }
    if (!statements) {
      // Not an event of ours: retrying would never change that.
      console.error(`events: dropped an unreadable message ${message.id}`);
      message.ack();
      continue;
    }
    work.push({ message, statements });
  }
  const statements = work.flatMap((item) => item.statements);
  try {
    if (statements.length) await env.DB.batch(statements);
    for (const item of work) item.message.ack();
    return;
  } catch (error) {
    console.error("events: a batch failed, trying its events one by one", error);
  }
  for (const { message, statements: mine } of work) {
    try {
      if (mine.length) await env.DB.batch(mine);
      message.ack();
    } catch {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
