// A visitor and an operator chat through a real `wrangler dev` over real network sockets, exactly
// as docs/protocol.md describes; a dropped client catches up with `since`; a restart loses nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ChatMessage,
  HistoryPage,
  OperatorLoginResponse,
  VisitorSessionResponse,
} from "../../src/shared/protocol.ts";
import { DEMO } from "../../scripts/local-dev.ts";
import { ChatClient } from "../chat-client.ts";
import { DevServer } from "./server.ts";

const server = new DevServer();
let operatorToken: string;

beforeAll(async () => {
  await server.setUp();
  const res = await fetch(`${server.origin}/api/operator/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: DEMO.operators[0]!.email, password: DEMO.password }),
  });
  expect(res.status).toBe(200);
  operatorToken = ((await res.json()) as OperatorLoginResponse).token;
});

afterAll(() => server.tearDown());

async function startChat(): Promise<VisitorSessionResponse> {
  const res = await fetch(`${server.origin}/api/visitor/sessions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ accountId: DEMO.accountId, name: "Vic" }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as VisitorSessionResponse;
}

async function connect(chatId: string, token: string, since = 0) {
  const ws = new WebSocket(
    `${server.origin.replace("http", "ws")}/ws/chats/${chatId}?token=${encodeURIComponent(token)}`,
  );
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error("socket failed to open")), { once: true });
  });
  const client = new ChatClient(ws);
  client.send({ type: "hello", since });
  const welcome = await client.next("welcome");
  return { client, welcome };
}

async function history(chatId: string, token: string): Promise<ChatMessage[]> {
  const res = await fetch(`${server.origin}/api/chats/${chatId}/messages?limit=200`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as HistoryPage).messages;
}

describe("the console's response headers (dist/ui/_headers, from src/ui/console/public)", () => {
  it("serves the console under a strict CSP that forbids framing, and the demo site under its own", async () => {
    for (const path of ["/", "/chats/some-deep-link"]) {
      const res = await fetch(`${server.origin}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get("Content-Security-Policy") ?? "";
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain("unsafe");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Set-Cookie")).toBeNull();
    }
    const demo = await fetch(`${server.origin}/demo/`);
    expect(demo.status).toBe(200);
    expect(demo.headers.get("Content-Security-Policy")).toBeNull();
  });
});

describe("chat over wrangler dev", () => {
  it("lets a visitor and an operator exchange messages, typing and read receipts", async () => {
    const chat = await startChat();
    const visitor = await connect(chat.chatId, chat.token);
    expect(visitor.welcome).toMatchObject({
      type: "welcome",
      chat: { id: chat.chatId, status: "waiting" },
      you: { kind: "visitor", name: "Vic" },
      lastSeq: 0,
    });

    const operator = await connect(chat.chatId, operatorToken);
    expect(operator.welcome.chat.status).toBe("active");
    expect((await operator.client.next("msg")).message).toMatchObject({ seq: 1, kind: "system", event: "join" });
    expect((await visitor.client.next("msg")).message).toMatchObject({
      seq: 1,
      event: "join",
      author: { kind: "operator", name: "Alice" },
    });

    visitor.client.send({ type: "typing", active: true, draft: "Where is my ord" });
    expect(await operator.client.next("typing")).toMatchObject({
      from: { kind: "visitor" },
      active: true,
      draft: "Where is my ord",
    });

    visitor.client.send({ type: "message", cid: "v-1", text: "Where is my order?" });
    expect(await visitor.client.next("ack")).toMatchObject({ type: "ack", cid: "v-1", seq: 2 });
    expect((await operator.client.next("msg")).message).toMatchObject({
      seq: 2,
      cid: "v-1",
      text: "Where is my order?",
      author: { kind: "visitor", id: chat.visitorId },
    });

    operator.client.send({ type: "typing", active: true });
    expect(await visitor.client.next("typing")).toEqual({
      type: "typing",
      from: { kind: "operator", id: DEMO.operators[0]!.id, name: "Alice" },
      active: true,
    });
    operator.client.send({ type: "read", seq: 2 });
    expect(await visitor.client.next("read")).toMatchObject({ from: { kind: "operator" }, seq: 2 });
    operator.client.send({ type: "message", cid: "o-1", text: "On its way: https://example.com/track" });
    expect((await operator.client.next("ack")).seq).toBe(3);
    expect((await visitor.client.next("msg")).message.text).toBe("On its way: https://example.com/track");
    visitor.client.close();
    operator.client.close();
  });

  it("gives a client that drops and reconnects with since every missed message, once, in order", async () => {
    const chat = await startChat();
    const operator = await connect(chat.chatId, operatorToken);
    await operator.client.next("msg"); // own join, seq 1
    const first = await connect(chat.chatId, chat.token);
    await first.client.next("msg");
    operator.client.send({ type: "message", cid: "a", text: "before the drop" });
    const seen = (await first.client.next("msg")).message.seq;
    first.client.close();

    const missed = ["one", "two", "three", "four", "five"];
    for (const [i, text] of missed.entries()) {
      operator.client.send({ type: "message", cid: `m${i}`, text });
      await operator.client.next("ack");
    }
    const again = await connect(chat.chatId, chat.token, seen);
    const replayed: ChatMessage[] = [];
    for (let i = 0; i < missed.length; i++) replayed.push((await again.client.next("msg")).message);
    expect(replayed.map((m) => m.text)).toEqual(missed);
    expect(replayed.map((m) => m.seq)).toEqual([3, 4, 5, 6, 7]);
    operator.client.send({ type: "message", cid: "live", text: "live again" });
    expect((await again.client.next("msg")).message).toMatchObject({ seq: 8, text: "live again" });
    expect(again.client.drain()).toEqual([]);
    again.client.close();
    operator.client.close();
  });

  it("keeps every acked message across a hard restart of the runtime", async () => {
    const chat = await startChat();
    const visitor = await connect(chat.chatId, chat.token);
    for (let i = 1; i <= 20; i++) {
      visitor.client.send({ type: "message", cid: `r${i}`, text: `kept ${i}` });
      expect((await visitor.client.next("ack")).seq).toBe(i);
    }
    await server.kill();
    await server.start();

    expect((await history(chat.chatId, chat.token)).map((m) => m.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `kept ${i + 1}`),
    );
    const back = await connect(chat.chatId, chat.token, 20);
    expect(back.welcome.lastSeq).toBe(20);
    back.client.send({ type: "message", cid: "r1", text: "kept 1" });
    expect(await back.client.next("ack")).toMatchObject({ cid: "r1", seq: 1 });
    back.client.send({ type: "message", cid: "after", text: "after restart" });
    expect(await back.client.next("ack")).toMatchObject({ seq: 21 });
    back.client.close();
  });
});
