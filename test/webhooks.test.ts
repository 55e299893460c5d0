// Webhooks (docs/webhooks.md): admins register endpoints through the admin API (admin role only,
// scoped to their account), bad URLs are refused with a code and store nothing, the secret is
// shown once; chat events fan out to one delivery log row per (endpoint, event) however often the
// queue brings an event, and the delivery consumer POSTs signed bodies, retries failures and
// disables an endpoint that failed for 24 hours. The receiver is an outside party: here a stand-in
// for fetch answers in its place (test/e2e/webhooks.test.ts has a real one).
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { unfoldQueued, type ChatEvent } from "../src/shared/events.ts";
import type { WebhookCreated, WebhookDelivery, WebhookEndpoint } from "../src/shared/webhook-api.ts";
import { webhookEventTypes, type WebhookBody } from "../src/shared/webhooks.ts";
import { deliverWebhooks, webhookRetryDelay } from "../src/server/webhooks/deliver.ts";
import { fanOutWebhooks, type WebhookJob } from "../src/server/webhooks/fan-out.ts";
import {
  admin,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let acme: SeededAccount;
let other: SeededAccount;
let ownerToken: string;
let annToken: string;

/** `.invalid` never resolves (RFC 2606): whatever reaches the network fails, nothing leaves. */
const RECEIVER = "https://receiver.invalid/parley";

beforeAll(async () => {
  [acme, other] = await Promise.all([seedAccount("hooks"), seedAccount("hooks-other")]);
  ownerToken = (await login(acme.emails.owner)).token;
  annToken = (await login(acme.emails.ann)).token;
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function create(account: SeededAccount, body: Record<string, unknown> = { url: RECEIVER }) {
  return expectJson<WebhookCreated>(await admin("/webhooks", account.apiKey, { method: "POST", json: body }), 201);
}

async function list(account: SeededAccount) {
  return (await expectJson<{ items: WebhookEndpoint[] }>(await admin("/webhooks", account.apiKey), 200)).items;
}

async function deliveryRows(endpointId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, event_id, event_type, status, attempts, response_status, last_error FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id",
  )
    .bind(endpointId)
    .all<{
      id: string;
      event_id: string;
      event_type: string;
      status: string;
      attempts: number;
      response_status: number | null;
    }>();
  return results;
}

/** The receiver: answers each POST to RECEIVER with `status` and keeps what it got. */
function receiver(status: (n: number) => number = () => 200) {
  const got: { headers: Headers; body: string }[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(RECEIVER)) return real(input, init);
    got.push({ headers: request.headers, body: await request.text() });
    const answer = status(got.length);
    return new Response(answer === 204 ? null : "ok", { status: answer });
  });
  return got;
}

async function hmacHex(secret: string, text: string) {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The v1 signatures of a Parley-Signature header that `secret` makes for `body`. */
async function verifiedBy(header: string, body: string, secret: string) {
  const parts = header.split(",").map((part) => part.split("=") as [string, string]);
  const t = parts.find(([key]) => key === "t")![1];
  expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
  const expected = await hmacHex(secret, `${t}.${body}`);
  return parts.filter(([key, value]) => key === "v1" && value === expected).length;
}

/** Runs the delivery consumer on these log rows, as the queue would (attempt `attempts`). */
async function runDeliveries(ids: string[], attempts = 1, since = Date.now()) {
  const batch = createMessageBatch<WebhookJob>(
    "parley-webhooks",
    ids.map((id) => ({ id: `m-${id}`, timestamp: new Date(), attempts, body: { id, since } })),
  );
  const ctx = createExecutionContext();
  await deliverWebhooks(batch, env);
  return getQueueResult(batch, ctx);
}

function startedEvent(account: SeededAccount, chatId: string, n = 1, offline = false): ChatEvent {
  return {
    id: `${chatId}.e${n}`,
    type: "chat.started",
    accountId: account.id,
    chatId,
    at: Date.UTC(2026, 0, 2, 3, 4, 5),
    departmentId: null,
    visitor: { id: "v_1", name: "Vera", email: null },
    offline,
  };
}

describe("the admin API's webhook endpoints", () => {
  it("creates with defaults (every event), shows the secret only then, and changes, rotates and deletes", async () => {
    const made = await create(acme, { url: RECEIVER, description: "CRM <b>sync</b>" });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(made.endpoint).toMatchObject({
      url: RECEIVER,
      description: "CRM <b>sync</b>",
      events: [...webhookEventTypes],
      enabled: true,
      disabledReason: null,
      failingSince: null,
    });
    const id = made.endpoint.id;
    const read = await admin(`/webhooks/${id}`, acme.apiKey);
    const text = await read.text();
    expect(read.status).toBe(200);
    expect(text).not.toContain("whsec_");
    expect(JSON.parse(text)).toEqual(made.endpoint);
    expect(JSON.stringify(await list(acme))).not.toContain("whsec_");

    const changed = await expectJson<WebhookEndpoint>(
      await admin(`/webhooks/${id}`, acme.apiKey, {
        method: "PATCH",
        json: { events: ["message.visitor", "chat.closed"], enabled: false, url: "https://other.invalid/x" },
      }),
      200,
    );
    expect(changed).toMatchObject({
      events: ["message.visitor", "chat.closed"],
      enabled: false,
      url: "https://other.invalid/x",
    });
    await expectProblem(
      await admin(`/webhooks/${id}`, acme.apiKey, { method: "PATCH", json: { events: ["chat.tagged"] } }),
      422,
      "validation_failed",
    );

    const rotated = await expectJson<WebhookCreated>(
      await admin(`/webhooks/${id}/rotate-secret`, acme.apiKey, { method: "POST" }),
      200,
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(made.secret);
    expect(rotated.endpoint.previousSecretExpiresAt! - Date.now()).toBeGreaterThan(23.9 * 3600_000);

    expect((await admin(`/webhooks/${id}`, acme.apiKey, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await admin(`/webhooks/${id}`, acme.apiKey), 404, "not_found");
  });

  it("is for admins only: operators, visitors and keys whose creator is no longer an admin are refused", async () => {
    await expectProblem(await admin("/webhooks", annToken), 403, "forbidden");
    await expectProblem(
      await admin("/webhooks", annToken, { method: "POST", json: { url: RECEIVER } }),
      403,
      "forbidden",
    );
    // An owner operator may.
    await expectJson(await admin("/webhooks", ownerToken), 200);
    // Bob is made an admin, makes a key, and goes back to being an operator: his key stops.
    const bobId = `${acme.id}_bob`;
    await expectJson(
      await admin(`/operators/${bobId}`, acme.apiKey, { method: "PATCH", json: { role: "admin" } }),
      200,
    );
    const bob = (await login(acme.emails.bob)).token;
    const { secret: bobKey } = await expectJson<{ secret: string }>(
      await admin("/api-keys", bob, { method: "POST", json: { name: "Bob's" } }),
      201,
    );
    await expectJson(await admin("/webhooks", bobKey), 200);
    await expectJson(
      await admin(`/operators/${bobId}`, acme.apiKey, { method: "PATCH", json: { role: "operator" } }),
      200,
    );
    const before = await list(acme);
    await expectProblem(
      await admin("/webhooks", bobKey, { method: "POST", json: { url: RECEIVER } }),
      401,
      "token_invalid",
    );
    expect(await list(acme)).toEqual(before);
  });

  it("keeps each account's endpoints to itself", async () => {
    const mine = await create(acme);
    const id = mine.endpoint.id;
    expect((await list(other)).map((e) => e.id)).not.toContain(id);
    for (const [method, path, json] of [
      ["GET", `/webhooks/${id}`, undefined],
      ["PATCH", `/webhooks/${id}`, { enabled: false }],
      ["DELETE", `/webhooks/${id}`, undefined],
      ["POST", `/webhooks/${id}/rotate-secret`, undefined],
      ["GET", `/webhooks/${id}/deliveries`, undefined],
      ["POST", `/webhooks/${id}/deliveries/whd_x/resend`, undefined],
    ] as const)
      await expectProblem(await admin(path, other.apiKey, { method, ...(json ? { json } : {}) }), 404, "not_found");
    expect(await expectJson(await admin(`/webhooks/${id}`, acme.apiKey), 200)).toEqual(mine.endpoint);
  });

  it.each([
    ["http://hooks.example.com/x", "webhook_url_not_https"],
    ["ftp://hooks.example.com/x", "webhook_url_not_https"],
    ["https://10.0.0.8/hook", "webhook_url_private"],
    ["https://192.168.1.20/hook", "webhook_url_private"],
    ["https://172.20.0.1/hook", "webhook_url_private"],
    ["https://169.254.169.254/latest/meta-data", "webhook_url_private"],
    ["https://127.0.0.1:8787/hook", "webhook_url_private"],
    ["https://2130706433/hook", "webhook_url_private"],
    ["https://localhost/hook", "webhook_url_private"],
    ["https://api.localhost./hook", "webhook_url_private"],
    ["https://[::1]/hook", "webhook_url_private"],
    ["https://[fd00::1]/hook", "webhook_url_private"],
    ["https://[::ffff:10.0.0.1]/hook", "webhook_url_private"],
    ["https://printer.local/hook", "webhook_url_private"],
    ["https://user:secret@hooks.example.com/x", "webhook_url_invalid"],
    ["not a url", "webhook_url_invalid"],
    ["", "webhook_url_invalid"],
  ])("refuses %s with %s and stores nothing", async (url, code) => {
    const before = await list(acme);
    const problem = await expectProblem(
      await admin("/webhooks", acme.apiKey, { method: "POST", json: { url } }),
      422,
      code,
    );
    expect(problem.fields?.[0]?.path).toBe("url");
    expect(await list(acme)).toEqual(before);
    const { endpoint } = await create(acme);
    await expectProblem(
      await admin(`/webhooks/${endpoint.id}`, acme.apiKey, { method: "PATCH", json: { url } }),
      422,
      code,
    );
    expect(await expectJson(await admin(`/webhooks/${endpoint.id}`, acme.apiKey), 200)).toEqual(endpoint);
    await admin(`/webhooks/${endpoint.id}`, acme.apiKey, { method: "DELETE" });
  });

  it("takes public https URLs, and a public IP literal", async () => {
    for (const url of ["https://hooks.example.com/parley?x=1", "https://8.8.8.8/hook", "https://100.128.0.1/x"]) {
      const { endpoint } = await create(acme, { url });
      expect(endpoint.url).toBe(url);
      await admin(`/webhooks/${endpoint.id}`, acme.apiKey, { method: "DELETE" });
    }
  });
});

describe("fan-out from chat events", () => {
  it("writes one delivery per (endpoint, event), however often the event comes, and none for a disabled endpoint", async () => {
    const account = await seedAccount("hooks-fan");
    const all = (await create(account)).endpoint;
    const closedOnly = (await create(account, { url: RECEIVER, events: ["chat.closed"] })).endpoint;
    const off = (await create(account)).endpoint;
    await admin(`/webhooks/${off.id}`, account.apiKey, { method: "PATCH", json: { enabled: false } });
    const mail = startedEvent(account, "chat_fan", 1, true);
    const tagged: ChatEvent = {
      id: "chat_fan.e2",
      type: "chat.tagged",
      accountId: account.id,
      chatId: "chat_fan",
      at: Date.now(),
      tagIds: [],
      by: { kind: "operator", id: "op", name: "Op" },
    };
    // Kept off the real queue: this test reads what would be queued.
    const send = vi.spyOn(env.WEBHOOK_DELIVERIES, "sendBatch").mockResolvedValue({} as never);
    await fanOutWebhooks([mail, tagged], env);
    await fanOutWebhooks([mail], env);
    await fanOutWebhooks([{ ...startedEvent(other, "chat_elsewhere") }], env);
    const rows = await deliveryRows(all.id);
    expect(rows.map((row) => [row.event_id, row.event_type])).toEqual([["chat_fan.e1", "offline.message"]]);
    expect(await deliveryRows(closedOnly.id)).toEqual([]);
    expect(await deliveryRows(off.id)).toEqual([]);
    // Queued once: the second fan-out found the row written.
    expect(send.mock.calls.flatMap(([messages]) => [...messages].map((m) => (m.body as WebhookJob).id))).toEqual([
      rows[0]!.id,
    ]);
    const payload = await env.DB.prepare("SELECT payload FROM webhook_deliveries WHERE id = ?")
      .bind(rows[0]!.id)
      .first<{ payload: string }>();
    expect(JSON.parse(payload!.payload)).toEqual({
      id: "chat_fan.e1",
      type: "offline.message",
      createdAt: "2026-01-02T03:04:05.000Z",
      accountId: account.id,
      chatId: "chat_fan",
      data: { departmentId: null, visitor: { id: "v_1", name: "Vera", email: null }, offline: true },
    } satisfies WebhookBody);
  });

  it("writes the deliveries of thousands of message events (a batch of runs) in a few statements, each once", async () => {
    const account = await seedAccount("hooks-many");
    const all = (await create(account)).endpoint;
    const events = unfoldQueued({
      type: "messages.created",
      accountId: account.id,
      chatId: "chat_many",
      messages: Array.from({ length: 2000 }, (_, i) => ({
        seq: i + 1,
        cid: `v${i + 1}`,
        kind: "text" as const,
        event: null,
        author: { kind: "visitor" as const, id: "v_1", name: "Vera" },
        text: `message ${i + 1} ${"x".repeat(400)}`,
        at: Date.now(),
      })),
    });
    const send = vi.spyOn(env.WEBHOOK_DELIVERIES, "sendBatch").mockResolvedValue({} as never);
    const batch = vi.spyOn(env.DB, "batch");
    await fanOutWebhooks(events, env);
    await fanOutWebhooks(events, env);
    // D1 counts every statement of a batch against its queries per invocation: a few, not 2,000.
    for (const [statements] of batch.mock.calls) expect(statements.length).toBeLessThan(20);
    const rows = await deliveryRows(all.id);
    expect(rows.map((row) => row.event_id)).toEqual(events.map((event) => event.id));
    const queued = send.mock.calls.flatMap(([messages]) => [...messages].map((m) => (m.body as WebhookJob).id));
    expect(queued.sort()).toEqual(rows.map((row) => row.id).sort());
  });

  it("sends a real chat's events through the queues: messages by visitor and operator, never notes or system lines", async () => {
    const account = await seedAccount("hooks-chat");
    const got = receiver();
    const { endpoint, secret } = await create(account);
    const ann = (await login(account.emails.ann)).token;
    const session = await startChat(account.id, { departmentId: account.salesId });
    const { client: visitor } = await join(session.chatId, session.token);
    const operator = await operatorJoins(session.chatId, ann);
    visitor.send({ type: "message", cid: "v1", text: "Hello <script>" });
    await visitor.next("ack");
    operator.send({ type: "message", cid: "o1", text: "Hi Vera" });
    await operator.next("ack");
    operator.send({ type: "note", cid: "n1", text: "staff only" });
    await operator.next("ack");
    visitor.send({ type: "rate", rating: "good", comment: "quick" });
    visitor.send({ type: "close" });
    while ((await visitor.next("msg")).message.event !== "close");
    visitor.close();
    operator.close();
    const expected = ["chat.started", "message.visitor", "message.operator", "chat.rated", "chat.closed"];
    const mine = () => got.filter((g) => (JSON.parse(g.body) as WebhookBody).chatId === session.chatId);
    const deadline = Date.now() + 15_000;
    while (mine().length < expected.length) {
      if (Date.now() > deadline)
        throw new Error(
          `got only ${mine()
            .map((g) => g.body)
            .join("\n")}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // Nothing more comes.
    // Deliveries run side by side: the order they arrive in is not the chat's (docs/webhooks.md).
    const bodies = mine().map((g) => JSON.parse(g.body) as WebhookBody);
    expect(bodies.map((b) => b.type).sort()).toEqual([...expected].sort());
    expect(bodies.every((b) => b.accountId === account.id)).toBe(true);
    expect(JSON.stringify(bodies)).not.toContain("staff only");
    const visitorMessage = bodies.find((b) => b.type === "message.visitor")!;
    expect((visitorMessage.data as { message: { text: string } }).message.text).toBe("Hello <script>");
    for (const { headers, body } of mine()) {
      expect(headers.get("Content-Type")).toBe("application/json");
      expect(headers.get("User-Agent")).toBe("Parley-Webhooks");
      expect(headers.get("Parley-Event-Id")).toBe((JSON.parse(body) as WebhookBody).id);
      expect(await verifiedBy(headers.get("Parley-Signature")!, body, secret)).toBe(1);
    }
    const log = await expectJson<{ items: WebhookDelivery[] }>(
      await admin(`/webhooks/${endpoint.id}/deliveries`, account.apiKey),
      200,
    );
    // Newest first, in the chat's order, whatever order the deliveries ran in.
    expect(log.items.map((d) => d.eventType)).toEqual([...expected].reverse());
    expect(log.items.every((d) => d.status === "delivered" && d.responseStatus === 200 && d.attempts === 1)).toBe(true);
    expect(JSON.stringify(log)).not.toContain("payload");
  });
});

describe("the delivery consumer", () => {
  async function oneDelivery(tag: string) {
    const account = await seedAccount(tag);
    const made = await create(account);
    // Kept off the real queue: the test runs the consumer itself, attempt by attempt.
    const queued = vi.spyOn(env.WEBHOOK_DELIVERIES, "sendBatch").mockResolvedValue({} as never);
    await fanOutWebhooks([startedEvent(account, `chat_${tag}`)], env);
    expect(queued).toHaveBeenCalledOnce();
    queued.mockRestore();
    const [row] = await deliveryRows(made.endpoint.id);
    return { account, ...made, deliveryId: row!.id };
  }

  it("signs with both secrets for 24 hours after a rotation, each signature verifiable", async () => {
    const { account, endpoint, secret, deliveryId } = await oneDelivery("hooks-rotate");
    const rotated = await expectJson<WebhookCreated>(
      await admin(`/webhooks/${endpoint.id}/rotate-secret`, account.apiKey, { method: "POST" }),
      200,
    );
    const got = receiver();
    await runDeliveries([deliveryId]);
    const header = got.at(-1)!.headers.get("Parley-Signature")!;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(await verifiedBy(header, got.at(-1)!.body, rotated.secret)).toBe(1);
    expect(await verifiedBy(header, got.at(-1)!.body, secret)).toBe(1);
    expect(await verifiedBy(header, `${got.at(-1)!.body} `, secret)).toBe(0);
    // Once the overlap is over, only the new secret signs.
    await env.DB.prepare("UPDATE webhook_endpoints SET previous_secret_expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, endpoint.id)
      .run();
    await runDeliveries([deliveryId]);
    const later = got.at(-1)!.headers.get("Parley-Signature")!;
    expect(later).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifiedBy(later, got.at(-1)!.body, rotated.secret)).toBe(1);
  });

  it("retries a failure with a doubling delay, logs each attempt, and stops 24 hours after the first", async () => {
    const { account, endpoint, deliveryId } = await oneDelivery("hooks-retry");
    receiver(() => 500);
    const first = await runDeliveries([deliveryId]);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual([`m-${deliveryId}`]);
    expect([1, 2, 3, 8, 20].map((n) => webhookRetryDelay(n, env))).toEqual([30, 60, 120, 3600, 3600]);
    let [row] = await deliveryRows(endpoint.id);
    expect(row).toMatchObject({ status: "retrying", attempts: 1, response_status: 500 });
    const failing = await expectJson<WebhookEndpoint>(await admin(`/webhooks/${endpoint.id}`, account.apiKey), 200);
    expect(failing.failingSince).not.toBeNull();
    // A chain that began 24 hours ago ends failed, acknowledged.
    const last = await runDeliveries([deliveryId], 30, Date.now() - 24 * 3600_000);
    expect(last.retryMessages).toEqual([]);
    expect(last.explicitAcks).toEqual([`m-${deliveryId}`]);
    [row] = await deliveryRows(endpoint.id);
    expect(row).toMatchObject({ status: "failed", attempts: 2 });

    // Send again: pending, queued anew, delivered now that the receiver is back.
    const send = vi.spyOn(env.WEBHOOK_DELIVERIES, "send").mockResolvedValue({} as never);
    const resent = await expectJson<WebhookDelivery>(
      await admin(`/webhooks/${endpoint.id}/deliveries/${deliveryId}/resend`, account.apiKey, { method: "POST" }),
      200,
    );
    expect(resent).toMatchObject({ id: deliveryId, status: "pending", eventId: `chat_hooks-retry.e1` });
    expect((send.mock.calls[0]![0] as WebhookJob).id).toBe(deliveryId);
    vi.restoreAllMocks();
    const got = receiver(() => 204);
    await runDeliveries([deliveryId]);
    expect(got.map((g) => g.headers.get("Parley-Event-Id"))).toEqual([`chat_hooks-retry.e1`]);
    [row] = await deliveryRows(endpoint.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 3, response_status: 204 });
    const healthy = await expectJson<WebhookEndpoint>(await admin(`/webhooks/${endpoint.id}`, account.apiKey), 200);
    expect(healthy.failingSince).toBeNull();
  });

  it("disables an endpoint whose deliveries failed for 24 hours, says why, and sends it nothing more", async () => {
    const { account, endpoint, deliveryId } = await oneDelivery("hooks-dead");
    const since = Date.now() - 25 * 3600_000;
    await env.DB.prepare("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?").bind(since, endpoint.id).run();
    const got = receiver(() => 500);
    const result = await runDeliveries([deliveryId]);
    expect(result.explicitAcks).toEqual([`m-${deliveryId}`]);
    const disabled = await expectJson<WebhookEndpoint>(await admin(`/webhooks/${endpoint.id}`, account.apiKey), 200);
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabledReason).toBe(
      `Failed for 24 hours since ${new Date(since).toISOString()}, last answer HTTP 500.`,
    );
    // No new deliveries, no sending of waiting ones, no resend.
    const queued = vi.spyOn(env.WEBHOOK_DELIVERIES, "sendBatch");
    await fanOutWebhooks([startedEvent(account, "chat_hooks-dead-2")], env);
    expect(queued).not.toHaveBeenCalled();
    expect((await deliveryRows(endpoint.id)).length).toBe(1);
    await runDeliveries([deliveryId]);
    expect(got.length).toBe(1);
    await expectProblem(
      await admin(`/webhooks/${endpoint.id}/deliveries/${deliveryId}/resend`, account.apiKey, { method: "POST" }),
      409,
      "conflict",
    );
    // Enabled again by an admin: the reason and the failing streak are gone.
    const again = await expectJson<WebhookEndpoint>(
      await admin(`/webhooks/${endpoint.id}`, account.apiKey, { method: "PATCH", json: { enabled: true } }),
      200,
    );
    expect(again).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it("lists deliveries newest first, a page at a time", async () => {
    const account = await seedAccount("hooks-pages");
    const { endpoint } = await create(account);
    vi.spyOn(env.WEBHOOK_DELIVERIES, "sendBatch").mockResolvedValue({} as never);
    for (const n of [1, 2, 3]) {
      await fanOutWebhooks([startedEvent(account, `chat_p${n}`)], env);
      await new Promise((resolve) => setTimeout(resolve, 5)); // Ids order by the millisecond.
    }
    const first = await expectJson<{ items: WebhookDelivery[]; nextCursor: string | null }>(
      await admin(`/webhooks/${endpoint.id}/deliveries?limit=2`, account.apiKey),
      200,
    );
    expect(first.items.map((d) => d.chatId)).toEqual(["chat_p3", "chat_p2"]);
    const second = await expectJson<{ items: WebhookDelivery[]; nextCursor: string | null }>(
      await admin(`/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${first.nextCursor}`, account.apiKey),
      200,
    );
    expect(second).toMatchObject({ items: [{ chatId: "chat_p1" }], nextCursor: null });
  });
});
