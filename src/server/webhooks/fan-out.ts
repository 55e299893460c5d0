// From chat events to webhook deliveries: called by the EVENTS queue's consumer (worker/events.ts)
// with a batch of events it has indexed. One D1 read finds the enabled endpoints of the batch's
// accounts; each (endpoint, event) becomes one row of the delivery log, written once however often
// the queue brings the event again (the unique (endpoint_id, event_id)); each new row is a message
// on the WEBHOOK_DELIVERIES queue, which deliver.ts consumes. Log rows older than 7 days are
// deleted in the same D1 batch: the log prunes itself as it grows, with no cron.
import { ulid } from "ulid";
import { jsonRowStatements } from "../db/json-chunks.ts";
import type { ChatEvent } from "../../shared/events.ts";
import { webhookBody, webhookTypeOf } from "../../shared/webhooks.ts";

/** A WEBHOOK_DELIVERIES message: the log row to send, and when its chain of attempts began
 * (retries stop 24 hours after that; "send again" starts a new chain). */
export type WebhookJob = { id: string; since: number };

const KEEP_LOG_MS = 7 * 86_400_000;

/** id, endpoint_id, account_id, chat_id, event_id, event_type, payload. */
type DeliveryRow = [string, string, string, string, string, string, string];

/** Every row of a chunk in one statement, its rows one bound JSON array: a queue batch of runs
 * may carry thousands of message events, and a statement each would pass D1's limit of queries
 * per invocation. A row already there (the same endpoint and event) is skipped and not returned. */
const INSERT_DELIVERIES = `INSERT INTO webhook_deliveries (id, endpoint_id, account_id, chat_id, event_id, event_type, payload)
  SELECT r ->> 0, r ->> 1, r ->> 2, r ->> 3, r ->> 4, r ->> 5, r ->> 6 FROM (SELECT value AS r FROM json_each(?1)) WHERE true
  ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id`;

export async function fanOutWebhooks(events: ChatEvent[], env: Env): Promise<void> {
  const sendable = events.flatMap((event) => {
    const type = webhookTypeOf(event);
    return type ? [{ event, type }] : [];
  });
  if (!sendable.length) return;
  const accounts = JSON.stringify([...new Set(sendable.map(({ event }) => event.accountId))]);
  const { results: endpoints } = await env.DB.prepare(
    "SELECT id, account_id, events FROM webhook_endpoints WHERE enabled = 1 AND account_id IN (SELECT value FROM json_each(?))",
  )
    .bind(accounts)
    .all<{ id: string; account_id: string; events: string }>();
  const since = Date.now();
  // A millisecond apart in their ids, so that the log (listed by id) keeps the events' order.
  let n = 0;
  const rows = sendable.flatMap(({ event, type }) =>
    endpoints
      .filter((endpoint) => endpoint.account_id === event.accountId && endpoint.events.includes(`"${type}"`))
      .map((endpoint): DeliveryRow => [
        `whd_${ulid(since + n++)}`,
        endpoint.id,
        event.accountId,
        event.chatId,
        event.id,
        type,
        JSON.stringify(webhookBody(event, type)),
      ]),
  );
  if (!rows.length) return;
  const prune = env.DB.prepare("DELETE FROM webhook_deliveries WHERE created_at < ?").bind(since - KEEP_LOG_MS);
  const written = await env.DB.batch<{ id: string }>([
    ...jsonRowStatements(env.DB, INSERT_DELIVERIES, rows, (row) => row[6].length + 200),
    prune,
  ]);
  const ids = written.flatMap((result) => result.results.map((row) => row.id));
  try {
    for (let i = 0; i < ids.length; i += 100)
      await env.WEBHOOK_DELIVERIES.sendBatch(ids.slice(i, i + 100).map((id) => ({ body: { id, since } })));
  } catch (error) {
    // Not all queued: unwrite them, so that the event's retry makes them anew.
    await env.DB.prepare("DELETE FROM webhook_deliveries WHERE id IN (SELECT value FROM json_each(?))")
      .bind(JSON.stringify(ids))
      .run();
    throw error;
  }
}
