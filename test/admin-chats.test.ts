// Chats through the admin API: the list, newest first, with its filters and cursor, and one chat
// with its messages, read from its ChatRoom in pages.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { ChatDetail, Page } from "../src/shared/admin-api.ts";
import type { ChatSummary } from "../src/shared/protocol.ts";
import { database } from "../src/server/db/index.ts";
import { chats } from "../src/server/db/schema.ts";
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

let acc: SeededAccount;
let annId: string;
const ids = { sales: "", support: "", general: "" };
let between = 0;

const listChats = async (query = "") => expectJson<Page<ChatSummary>>(await admin(`/chats${query}`, acc.apiKey), 200);
const operatorIdsOf = async (chatId: string) =>
  (await database(env.DB).select({ ids: chats.operatorIds }).from(chats).where(eq(chats.id, chatId)).get())?.ids;

/** Waits for the chat index to catch up (expect.poll is for tests, not hooks). */
async function until(condition: () => Promise<boolean | undefined>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the chat index");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  acc = await seedAccount("chats");
  annId = `${acc.id}_ann`;
  const sales = await startChat(acc.id, { departmentId: acc.salesId });
  ids.sales = sales.chatId;
  // created_at is set by D1 in ms; make sure the next chats start strictly later.
  await new Promise((resolve) => setTimeout(resolve, 20));
  between = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const support = await startChat(acc.id, { departmentId: `${acc.id}_support` });
  ids.support = support.chatId;
  ids.general = (await startChat(acc.id)).chatId;

  // Ann joins the sales chat and writes; the support chat's visitor ends theirs.
  const ann = await operatorJoins(ids.sales, (await login(acc.emails.ann)).token);
  ann.send({ type: "message", cid: "m1", text: "Hello from Ann" });
  await ann.next("ack");
  ann.close();
  await until(async () => (await operatorIdsOf(ids.sales))?.includes(annId));
  const visitor = (await join(ids.support, support.token)).client;
  visitor.send({ type: "close" });
  await until(async () => (await listChats("?status=closed")).items.length === 1);
  visitor.close();
});

describe("listing chats", () => {
  it("lists the account's chats newest first", async () => {
    const page = await listChats();
    expect(page.items.map((c) => c.id)).toEqual([ids.general, ids.support, ids.sales]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[2]).toEqual({
      id: ids.sales,
      departmentId: acc.salesId,
      visitorId: expect.stringMatching(/^v_/),
      visitorName: "Vera Visitor",
      status: "active",
      operatorIds: [annId],
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      closedAt: null,
      rating: null,
      offline: false,
      visitorEmail: null,
      missedAt: null,
    });
  });

  it("filters by status, department, operator and date range", async () => {
    const idsOf = async (query: string) => (await listChats(query)).items.map((c) => c.id);
    expect(await idsOf("?status=closed")).toEqual([ids.support]);
    expect(await idsOf("?status=waiting")).toEqual([ids.general]);
    expect(await idsOf(`?departmentId=${acc.salesId}`)).toEqual([ids.sales]);
    expect(await idsOf(`?operatorId=${annId}`)).toEqual([ids.sales]);
    expect(await idsOf(`?operatorId=${acc.id}_bob`)).toEqual([]);
    expect(await idsOf(`?from=${between}`)).toEqual([ids.general, ids.support]);
    expect(await idsOf(`?to=${between}`)).toEqual([ids.sales]);
    expect(await idsOf(`?from=${between}&status=waiting&limit=5`)).toEqual([ids.general]);
  });

  it("pages with a cursor", async () => {
    const first = await listChats("?limit=2");
    expect(first.items.map((c) => c.id)).toEqual([ids.general, ids.support]);
    expect(first.nextCursor).toBe(ids.support);
    const second = await listChats(`?limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids.sales })], nextCursor: null });
  });
});

describe("one chat", () => {
  it("returns the chat with its messages", async () => {
    const detail = await expectJson<ChatDetail>(await admin(`/chats/${ids.sales}`, acc.apiKey), 200);
    expect(detail.chat).toMatchObject({ id: ids.sales, status: "active", operatorIds: [annId] });
    expect(detail.messages.map((m) => [m.seq, m.kind, m.text])).toEqual([
      [1, "system", "Ann joined the chat"],
      [2, "text", "Hello from Ann"],
    ]);
  });

  it("reads long chats across history pages", async () => {
    const chat = await startChat(acc.id);
    // An operator writes them: a visitor may not send this many at once (the message rate limit).
    const operator = await operatorJoins(chat.chatId, (await login(acc.emails.ann)).token);
    const count = 230; // with the join message, more than one history page of 200
    for (let i = 1; i <= count; i++) operator.send({ type: "message", cid: `c${i}`, text: `message ${i}` });
    for (let i = 1; i <= count; i++) await operator.next("ack");
    operator.close();
    const detail = await expectJson<ChatDetail>(await admin(`/chats/${chat.chatId}`, acc.apiKey), 200);
    expect(detail.messages).toHaveLength(count + 1);
    expect(detail.messages.map((m) => m.seq)).toEqual(Array.from({ length: count + 1 }, (_, i) => i + 1));
  });

  it("answers 404 for an unknown chat", async () => {
    await expectProblem(await admin("/chats/c_nope", acc.apiKey), 404, "not_found");
  });
});
