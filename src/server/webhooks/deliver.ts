// The WEBHOOK_DELIVERIES queue's consumer: one signed POST per message, its outcome written to the
// delivery log row. A 2xx answer delivers; anything else (another status, a redirect, no answer in
// 10 s) is retried by the queue with a doubling delay (WEBHOOK_RETRY_BASE_SECONDS, 30 by default,
// at most an hour) until 24 hours after the chain's first attempt, when the row is marked failed.
// The endpoint's failing_since marks its first failure since its last success; a failure when that
// is 24 hours old disables the endpoint, with the reason the admins see.
import type { WebhookJob } from "./fan-out.ts";
import { signatureHeader } from "./signature.ts";

const DAY_MS = 86_400_000;

type Target = {
  payload: string;
  event_id: string;
  endpoint_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  enabled: number;
  failing_since: number | null;
};

/** Seconds before retry n (1, 2, …): base, 2 × base, 4 × base… at most an hour. */
export function webhookRetryDelay(attempts: number, env: Env): number {
  return Math.min(3600, (Number(env.WEBHOOK_RETRY_BASE_SECONDS) || 30) * 2 ** Math.max(0, attempts - 1));
}

/** POSTs the body; the answer's status, or why there was none. */
async function post(target: Target, now: number): Promise<{ status: number | null; error: string | null }> {
  const secrets = [target.secret];
  if (target.previous_secret && (target.previous_secret_expires_at ?? 0) > now) secrets.push(target.previous_secret);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      // A redirect is not a delivery: following it could lead anywhere the URL check would refuse.
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Parley-Webhooks",
        "Parley-Event-Id": target.event_id,
        "Parley-Signature": await signatureHeader(secrets, Math.floor(now / 1000), target.payload),
      },
      body: target.payload,
    });
    await response.body?.cancel();
    return { status: response.status, error: response.ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    // No answer: "TimeoutError: …" after 10 s, or why the connection failed.
    return { status: null, error: String(error).slice(0, 200) };
  }
}

async function deliver(message: Message<WebhookJob>, env: Env): Promise<void> {
  const { id, since } = message.body;
  // Both tables' columns by name; the clashing ones (id, account_id, created_at) are not read.
  const target = await env.DB.prepare(
    "SELECT * FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = endpoint_id WHERE d.id = ?",
  )
    .bind(id)
    .first<Target>();
  if (!target) return message.ack(); // Deleted with its endpoint, or pruned.
  const now = Date.now();
  const result = target.enabled ? await post(target, now) : { status: null, error: "The endpoint is disabled" };
  // A disabled endpoint's health stays as it was; an enabled one's is set by this attempt.
  const failingSince = !target.enabled
    ? target.failing_since
    : result.error === null
      ? null
      : (target.failing_since ?? now);
  const disable = !!target.enabled && failingSince !== null && now - failingSince >= DAY_MS;
  const done = result.error === null || disable || !target.enabled || now - since >= DAY_MS;
  await env.DB.batch([
    env.DB.prepare(
      "UPDATE webhook_deliveries SET status = ?, response_status = ?, last_error = ?, duration_ms = ?, attempts = attempts + ?, updated_at = ? WHERE id = ?",
    ).bind(
      result.error === null ? "delivered" : done ? "failed" : "retrying",
      result.status,
      result.error,
      Date.now() - now,
      target.enabled,
      now,
      id,
    ),
    // Health: the first failure since the last success, or after 24 hours of them, disabled.
    env.DB.prepare(
      "UPDATE webhook_endpoints SET failing_since = ?, enabled = enabled AND ?, disabled_reason = coalesce(?, disabled_reason) WHERE id = ?",
    ).bind(
      failingSince,
      !disable,
      disable
        ? `Failed for 24 hours since ${new Date(failingSince).toISOString()}, last answer ${result.error}.`
        : null,
      target.endpoint_id,
    ),
  ]);
  if (done) message.ack();
  else message.retry({ delaySeconds: webhookRetryDelay(message.attempts, env) });
}

export async function deliverWebhooks(batch: MessageBatch<WebhookJob>, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map((message) =>
      deliver(message, env).catch((error: unknown) => {
        console.error("webhooks: a delivery failed on our side; the queue retries it", error);
        message.retry({ delaySeconds: webhookRetryDelay(message.attempts, env) });
      }),
    ),
  );
}
