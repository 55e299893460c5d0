// Webhooks end to end against a real `wrangler dev` (WEBHOOK_ALLOW_LOCAL, so an http receiver on
// 127.0.0.1 may be registered; retries start at 1 s): a real Node HTTP server answers 500 to its
// first requests and 200 after. An endpoint registered through the admin API with the defaults
// (every event) receives every event of a chat (start, messages both ways, transfer, rating,
// close) exactly once after deduplication by id, each signature verifies with the secret, and the
// delivery log shows the retries. Then the Control Panel: add an endpoint with the defaults, see
// its secret once, and its deliveries with a "Send again" button.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperatorLoginResponse, VisitorSessionResponse } from "../../src/shared/protocol.ts";
import type { WebhookCreated, WebhookDelivery } from "../../src/shared/webhook-api.ts";
import type { WebhookBody } from "../../src/shared/webhooks.ts";
import { DEMO } from "../../scripts/local-dev.ts";
import { ChatClient } from "../chat-client.ts";
import { ALICE, byTestId, eventually, expectAccessible, screenshot, signIn } from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite({ vars: { WEBHOOK_ALLOW_LOCAL: "true", WEBHOOK_RETRY_BASE_SECONDS: "1" } });
const server = suite.server;

/** The receiver: 500 to the first `failFirst` requests, then 200; keeps every request. */
const FAIL_FIRST = 3;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let receiver: Server;
let receiverUrl = "";

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(received.length <= FAIL_FIRST ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/parley`;
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** How a receiver checks a delivery (docs/webhooks.md has the same). */
function verify(header: string, body: string, secret: string): boolean {
  const parts = header.split(",").map((part) => part.split("=") as [string, string]);
  const t = Number(parts.find(([key]) => key === "t")?.[1]);
  if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  return parts.some(
    ([key, value]) => key === "v1" && value.length === expected.length && timingSafeEqual(Buffer.from(value), expected),
  );
}

async function api(path: string, token: string, method = "GET", body?: unknown): Promise<Response> {
  return fetch(`${server.origin}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function connect(chatId: string, token: string) {
  const ws = new WebSocket(
    `${server.origin.replace("http", "ws")}/ws/chats/${chatId}?token=${encodeURIComponent(token)}`,
  );
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error("socket failed to open")), { once: true });
  });
  const client = new ChatClient(ws);
  client.send({ type: "hello", since: 0 });
  await client.next("welcome");
  return client;
}

describe("webhooks", () => {
  it("deliver every event of a chat once after dedupe, signed, through a receiver that fails at first", async () => {
    const created = await api("/api/admin/v1/webhooks", server.apiKey, "POST", { url: receiverUrl });
    expect(created.status).toBe(201);
    const { endpoint, secret } = (await created.json()) as WebhookCreated;

    // A chat: started, messages both ways, a note (never sent), transferred, rated, closed.
    const started = await fetch(`${server.origin}/api/visitor/sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ accountId: DEMO.accountId, name: "Hilde", departmentId: "dep_demo_sales" }),
    });
    expect(started.status).toBe(201);
    const chat = (await started.json()) as VisitorSessionResponse;
    const login = await fetch(`${server.origin}/api/operator/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: ALICE.email, password: DEMO.password }),
    });
    const alice = ((await login.json()) as OperatorLoginResponse).token;
    const visitor = await connect(chat.chatId, chat.token);
    visitor.send({ type: "message", cid: "v1", text: "Hello, is my parcel on its way?" });
    await visitor.next("ack");
    const operator = await connect(chat.chatId, alice);
    operator.send({ type: "message", cid: "o1", text: "Let me look, <b>Hilde</b>." });
    await operator.next("ack");
    operator.send({ type: "note", cid: "n1", text: "Staff only: VIP" });
    await operator.next("ack");
    const transfer = await api(`/api/operator/chats/${chat.chatId}/transfer`, alice, "POST", {
      departmentId: "dep_demo_support",
    });
    expect(transfer.status, await transfer.clone().text()).toBe(200);
    visitor.send({ type: "rate", rating: "good", comment: "Quick and kind" });
    await visitor.next("rating");
    visitor.send({ type: "close" });
    await eventually(async () => {
      const closed = (await api(`/api/admin/v1/chats/${chat.chatId}`, server.apiKey)).json();
      return ((await closed) as { chat: { status: string } }).chat.status;
    }).toBe("closed");
    visitor.close();
    operator.close();

    const expected = [
      "chat.started",
      "message.visitor",
      "message.operator",
      "chat.transferred",
      "chat.rated",
      "chat.closed",
    ].sort();
    const unique = () => {
      const byId = new Map<string, WebhookBody>();
      for (const { body } of received) {
        const parsed = JSON.parse(body) as WebhookBody;
        if (parsed.chatId === chat.chatId) byId.set(parsed.id, parsed);
      }
      return [...byId.values()];
    };
    // The first three answers are 500s: those deliveries come again a second or more later.
    await eventually(() => unique().length, "every event delivered", 60_000).toBe(expected.length);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // Nothing more is to come.
    const bodies = unique();
    expect(bodies.map((b) => b.type).sort()).toEqual(expected);
    expect(JSON.stringify(bodies)).not.toContain("Staff only");
    expect(received.length).toBeGreaterThanOrEqual(expected.length + FAIL_FIRST);
    for (const { headers, body } of received) {
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["user-agent"]).toBe("Parley-Webhooks");
      expect(headers["parley-event-id"]).toBe((JSON.parse(body) as WebhookBody).id);
      expect(verify(String(headers["parley-signature"]), body, secret), body).toBe(true);
      expect(verify(String(headers["parley-signature"]), body, "whsec_wrong")).toBe(false);
    }
    // Each event was accepted (200) exactly once: the failed tries of it were answered 500.
    const accepted = received.filter((_, i) => i >= FAIL_FIRST).map((r) => JSON.parse(r.body) as WebhookBody);
    expect(accepted.length).toBe(new Set(accepted.map((b) => b.id)).size);

    const log = await api(`/api/admin/v1/webhooks/${endpoint.id}/deliveries`, server.apiKey);
    const deliveries = ((await log.json()) as { items: WebhookDelivery[] }).items;
    expect(deliveries.map((d) => d.status)).toEqual(expected.map(() => "delivered"));
    expect(deliveries.some((d) => d.attempts > 1)).toBe(true);
    expect(deliveries.reduce((sum, d) => sum + d.attempts, 0)).toBe(received.length);
  });

  it("are managed in the Control Panel: add one with the defaults, see the secret once, see deliveries", async () => {
    const { page } = await suite.open();
    await signIn(page, ALICE);
    await byTestId(page, "control-panel-link").click();
    await byTestId(page, "cp-nav-webhooks").click();
    await byTestId(page, "cp-webhooks").waitFor();
    // The endpoint of the test above is listed, with its deliveries.
    await byTestId(page, "cp-webhook-row").first().waitFor();
    const description = "Our <script>alert(1)</script> CRM";
    await byTestId(page, "cp-webhook-url").fill(`${receiverUrl}?from=console`);
    await byTestId(page, "cp-webhook-description").fill(description);
    await byTestId(page, "cp-webhook-save").click();
    const shownSecret = await byTestId(page, "cp-webhook-secret-value").inputValue();
    expect(shownSecret).toMatch(/^whsec_/);
    expect(await byTestId(page, "cp-webhook-secret").textContent()).toContain("you will not see it again");
    await screenshot(page, "webhooks-01-secret-once");
    await byTestId(page, "cp-webhook-secret-done").click();
    await byTestId(page, "cp-webhook-secret").waitFor({ state: "detached" });
    const row = byTestId(page, "cp-webhook-row").filter({ hasText: "from=console" });
    // Typed markup is shown as text.
    expect(await row.textContent()).toContain(description);
    expect(await page.locator("script:text('alert(1)')").count()).toBe(0);
    expect(await row.textContent()).toContain("All events");
    const list = await api("/api/admin/v1/webhooks", server.apiKey);
    const all = ((await list.json()) as { items: { url: string; events: string[] }[] }).items;
    expect(all.find((e) => e.url.endsWith("from=console"))?.events.length).toBe(8);
    expect(JSON.stringify(all)).not.toContain("whsec_");

    // The first endpoint's log, and Send again.
    const first = byTestId(page, "cp-webhook-row").first();
    await byTestId(first, "cp-webhook-log").click();
    await byTestId(first, "cp-webhook-delivery").first().waitFor();
    expect(await byTestId(first, "cp-webhook-delivery").count()).toBe(6);
    expect(await byTestId(first, "cp-webhook-resend").count()).toBe(6);
    const before = received.length;
    await byTestId(first, "cp-webhook-resend").first().click();
    await eventually(() => received.length, "the resent delivery arrives").toBe(before + 1);
    await byTestId(first, "cp-webhook-log-refresh").click();
    await eventually(() => byTestId(first, "cp-webhook-delivery").first().getAttribute("data-status")).toBe(
      "delivered",
    );
    await screenshot(page, "webhooks-02-deliveries");
    await expectAccessible(page, "the Control Panel's Webhooks page");
  });
});
