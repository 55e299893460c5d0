// The console's visitor context panel (`GET /api/operator/chats/{chatId}/context`): the pages of
// the visitor's visit from the Lobby, where they were and what they used when the chat started, and
// their earlier chats with the account, never another account's.
import { exports } from "cloudflare:workers";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import type { LobbyServerFrame, VisitorServerFrame } from "../src/shared/lobby-protocol.ts";
import type { VisitorSessionResponse } from "../src/shared/protocol.ts";
import { VisitorContextSchema, type VisitorContext } from "../src/shared/visitor-context.ts";
import {
  call,
  ChatClient,
  connectLobby,
  expectJson,
  expectProblem,
  login,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let account: SeededAccount;
let other: SeededAccount;
const tokens = { ann: "", stranger: "" };
let counter = 0;
const newVisitorId = () => `ctx-visitor-${Date.now().toString(36)}-${(counter++).toString().padStart(4, "0")}`;

const CHROME_ON_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

beforeAll(async () => {
  [account, other] = await Promise.all([seedAccount("ctx"), seedAccount("ctxother")]);
  tokens.ann = (await login(account.emails.ann)).token;
  tokens.stranger = (await login(other.emails.ann)).token;
});

/** One page view with the widget: its presence socket, saying which page it is. */
async function pageView(accountId: string, visitorId: string, page: { url: string; title: string; onSiteMs: number }) {
  const res = await exports.default.fetch(
    new Request(`https://parley.test/ws/visitors?account=${accountId}&visitor=${visitorId}`, {
      headers: { Upgrade: "websocket" },
    }),
  );
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  const client = new ChatClient<VisitorServerFrame>(res.webSocket!);
  client.send({ type: "page", referrer: "", chatting: false, ...page });
  return client;
}

/** Waits until the operators have heard the visitor is on this page (the Lobby has taken it). */
async function seenOn(lobby: ChatClient<LobbyServerFrame>, visitorId: string, url: string) {
  for (;;) {
    const { visitor } = await lobby.next("visitor");
    if (visitor.id === visitorId && visitor.url === url) return visitor;
  }
}

/** Starts a chat the way the widget does, with the request's own headers (and edge facts). */
async function startChatFrom(accountId: string, body: Record<string, unknown>, init: RequestInit = {}) {
  const res = await exports.default.fetch(
    new Request("https://parley.test/api/visitor/sessions", {
      ...init,
      method: "POST",
      headers: { "Content-Type": "application/json", ...(init.headers as Record<string, string>) },
      body: JSON.stringify({ accountId, name: "Vera Visitor", ...body }),
    }),
  );
  return expectJson<VisitorSessionResponse>(res, 201);
}

async function contextOf(chatId: string, token = tokens.ann): Promise<VisitorContext> {
  const body = await expectJson<unknown>(await call(`/api/operator/chats/${chatId}/context`, { token }), 200);
  return v.parse(VisitorContextSchema, body);
}

describe("the visitor context of a chat", () => {
  it("lists the pages of the live visitor's visit, newest first, and their browser", async () => {
    const { client: lobby } = await connectLobby(tokens.ann);
    const visitorId = newVisitorId();
    // Two page views: the visitor left the first (its socket closed) for the second.
    const home = await pageView(account.id, visitorId, { url: "https://shop.test/", title: "Shop", onSiteMs: 0 });
    await seenOn(lobby, visitorId, "https://shop.test/");
    home.close();
    const pricing = await pageView(account.id, visitorId, {
      url: "https://shop.test/pricing",
      title: "Pricing <b>plans</b>",
      onSiteMs: 40_000,
    });
    await seenOn(lobby, visitorId, "https://shop.test/pricing");

    const chat = await startChatFrom(account.id, { visitorId }, { headers: { "User-Agent": CHROME_ON_WINDOWS } });
    expect(chat.visitorId).toBe(visitorId);
    // The widget says the page is chatting now: the same page view, not a third page.
    pricing.send({
      type: "page",
      url: "https://shop.test/pricing",
      title: "Pricing <b>plans</b>",
      referrer: "",
      onSiteMs: 41_000,
      chatting: true,
      chatId: chat.chatId,
    });
    for (;;) if ((await seenOn(lobby, visitorId, "https://shop.test/pricing")).chatting) break;
    const context = await contextOf(chat.chatId);
    expect(context.visitor).toMatchObject({
      id: visitorId,
      name: "Vera Visitor",
      email: null,
      userAgent: CHROME_ON_WINDOWS,
    });
    expect(context.visit!.pages.map(({ url, title }) => ({ url, title }))).toEqual([
      { url: "https://shop.test/pricing", title: "Pricing <b>plans</b>" },
      { url: "https://shop.test/", title: "Shop" },
    ]);
    // The visit began when the second page says (40 s before it), not when the chat did.
    expect(Date.now() - context.visit!.startedAt).toBeGreaterThanOrEqual(40_000);

    // Gone from the site: the chat's context has no visit any more.
    pricing.close();
    for (;;) if ((await lobby.next("visitor_left")).visitorId === visitorId) break;
    expect((await contextOf(chat.chatId)).visit).toBeNull();
    lobby.close();
  });

  it("records the User-Agent cut to 300 characters, and the edge's country when there is one", async () => {
    const longAgent = `${CHROME_ON_WINDOWS} ${"x".repeat(500)}`;
    const chat = await startChatFrom(
      account.id,
      { visitorId: newVisitorId() },
      { headers: { "User-Agent": longAgent }, cf: { country: "DE" } },
    );
    const { visitor, visit } = await contextOf(chat.chatId);
    expect(visitor.userAgent).toBe(longAgent.slice(0, 300));
    expect(visitor.country).toBe("DE");
    // Never on the site with the widget's presence socket: no visit to show.
    expect(visit).toBeNull();

    // A country is the edge's fact, never the visitor's say: a body field is refused.
    const res = await call("/api/visitor/sessions", {
      method: "POST",
      json: { accountId: account.id, country: "FR" },
    });
    await expectProblem(res, 422, "validation_failed");
  });

  it("lists earlier chats by the same visitor id or the same email, never another account's", async () => {
    const visitorId = newVisitorId();
    const email = `repeat-${counter}@example.org`;
    const byId = await startChatFrom(account.id, { visitorId });
    const byEmail = await startChat(account.id, { email: email.toUpperCase() });
    const unrelated = await startChat(account.id, { email: `someone-else-${counter}@example.org` });
    const otherAccount = await startChat(other.id, { email, visitorId });
    const current = await startChatFrom(account.id, { visitorId, email });

    const { visitor, previousChats } = await contextOf(current.chatId);
    expect(visitor).toMatchObject({ id: visitorId, email });
    expect(previousChats.map((c) => c.id)).toEqual([byEmail.chatId, byId.chatId]);
    expect(previousChats[0]).toMatchObject({ visitorEmail: email.toUpperCase(), status: "waiting" });
    const ids = previousChats.map((c) => c.id);
    expect(ids).not.toContain(unrelated.chatId);
    expect(ids).not.toContain(otherAccount.chatId);
    expect(ids).not.toContain(current.chatId);

    // The other account's chat with the same visitor sees only its own account's chats.
    expect((await contextOf(otherAccount.chatId, tokens.stranger)).previousChats).toEqual([]);
  });

  it("is for the account's operators only", async () => {
    const chat = await startChatFrom(account.id, { visitorId: newVisitorId(), email: "private@example.org" });
    const path = `/api/operator/chats/${chat.chatId}/context`;
    await expectProblem(await call(path, { token: tokens.stranger }), 403, "forbidden");
    await expectProblem(await call(path, { token: chat.token }), 403, "forbidden");
    await expectProblem(await call(path, { token: account.apiKey }), 403, "forbidden");
    await expectProblem(await call(path), 401, "token_missing");
    await expectProblem(await call(`/api/operator/chats/c_nope/context`, { token: tokens.ann }), 404, "not_found");
  });

  it("refuses a malformed visitor id when a chat starts", async () => {
    const res = await call("/api/visitor/sessions", {
      method: "POST",
      json: { accountId: account.id, visitorId: "short" },
    });
    await expectProblem(res, 422, "validation_failed");
  });
});
