// The consumer of the EVENTS queue: what chats publish (src/shared/events.ts) reaches the search
// index, the reports' facts and the webhooks' deliveries here, a batch at a time. A batch is one
// D1 transaction (a statement for each) and then one fan-out to webhooks; if either fails, each
// event is tried alone, so one bad event holds back no other, and only what still fails is retried
// (with growing delays; after max_retries the queue moves it to the dead letter queue,
// wrangler.toml). Every step is idempotent, so an event tried again is written and sent once.
import { unfoldQueued, type ChatEvent, type QueuedEvents } from "../shared/events.ts";
import { indexRows, insertRows, type IndexRow } from "../server/search/index-writer.ts";
import { reportFacts, writeFacts, type ReportFacts } from "../server/reports/report-writer.ts";
import { fanOutWebhooks } from "../server/webhooks/fan-out.ts";
import { isRetentionSweep, sweepRetention } from "./retention-sweep.ts";

/** One queue message's events (a run of a chat's messages, or one other event) and their rows. */
type Work = { message: Message; rows: IndexRow[]; facts: ReportFacts[]; events: ChatEvent[] };

/** The statements that write these events' rows and facts, in one transaction. */
function write(env: Env, work: Work[]): Promise<unknown> {
  const rows = work.flatMap((item) => item.rows);
  const facts = work.flatMap((item) => item.facts);
  const statements = [...insertRows(env.DB, rows), ...writeFacts(env.DB, facts)];
  return statements.length ? env.DB.batch(statements) : Promise.resolve();
}

/** Seconds before the n-th retry: 5, 10, 20… up to five minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

function parse(body: unknown): ChatEvent[] | null {
  try {
    const queued = (typeof body === "string" ? JSON.parse(body) : body) as QueuedEvents | null;
    if (!queued || typeof queued.type !== "string" || typeof queued.chatId !== "string") return null;
    if (queued.type === "messages.created" && !Array.isArray(queued.messages)) return null;
    return unfoldQueued(queued);
  } catch {
    return null;
  }
}

export async function consumeEvents(batch: MessageBatch, env: Env): Promise<void> {
  const work: Work[] = [];
  for (const message of batch.messages) {
    if (isRetentionSweep(message.body)) {
      // Not a chat event: the next pass of a retention sweep (retention-sweep.ts).
      await sweepRetention(env, message.body.accountId, message.body.after).then(
        () => message.ack(),
        () => message.retry({ delaySeconds: retryDelaySeconds(message.attempts) }),
      );
      continue;
    }
    const events = parse(message.body);
    let rows: IndexRow[] | null = null;
    let facts: ReportFacts[] = [];
    try {
      if (events) {
        rows = events.flatMap((event) => indexRows(event));
        facts = events.flatMap((event) => {
          const fact = reportFacts(event);
          return fact ? [fact] : [];
        });
      }
    } catch {
      // Falls through: an event we cannot read.
      rows = null;
    }
    if (!rows) {
      // Not an event of ours: retrying would never change that.
      console.error(`events: dropped an unreadable message ${message.id}`);
      message.ack();
      continue;
    }
    work.push({ message, rows, facts, events: events! });
  }
  try {
    await write(env, work);
    // Before the acks: a failure retries.
    await fanOutWebhooks(
      work.flatMap((item) => item.events),
      env,
    );
    for (const item of work) item.message.ack();
    return;
  } catch (error) {
    console.error("events: a batch failed, trying its events one by one", error);
  }
  for (const item of work) {
    const { message } = item;
    try {
      await write(env, [item]);
      await fanOutWebhooks(item.events, env);
      message.ack();
    } catch {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
