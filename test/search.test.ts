// The event pipeline and what it feeds: every chat event leaves its room through the EVENTS queue,
// the Worker's queue() handler indexes it idempotently (chat id + seq), and operators and admin
// keys search their own account's chats, never another's.
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { unfoldQueued, type ChatEvent, type MessagesCreatedRun } from "../src/shared/events.ts";
import { MAX_TEXT_LENGTH, type ChatMessage } from "../src/shared/protocol.ts";
import { indexRows as rowsOfEvent, insertRows } from "../src/server/search/index-writer.ts";
import type { HistoryListPage, SearchPage } from "../src/shared/history.ts";
import { chatRoomOf, type ChatRoom } from "../src/durable/chat-room.ts";
import { consumeEvents, retryDelaySeconds } from "../src/worker/events.ts";
import {
  admin,
  call,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
  eventually,
} from "./helpers.ts";

let acme: SeededAccount;
let other: SeededAccount;
let annToken: string;
let otherToken: string;

async function search(query: string, token = annToken) {
  return expectJson<SearchPage>(await call(`/api/operator/search?${query}`, { token }), 200);
}

const words = (page: SearchPage) =>
  page.items.map((hit) => hit.snippet.map((part) => (part.match ? `[${part.text}]` : part.text)).join(""));

/** A chat in `account` where the visitor writes each of `texts`; returns its id. */
async function chatWith(account: SeededAccount, texts: string[], extra: Record<string, unknown> = {}) {
  const session = await startChat(account.id, extra);
  const { client } = await join(session.chatId, session.token);
  for (const [i, text] of texts.entries()) {
    client.send({ type: "message", cid: `v${i}`, text });
    await client.next("ack");
  }
  client.close();
  return session;
}

async function indexRows(chatId: string) {
  const { results } = await env.DB.prepare("SELECT seq, kind, text FROM message_index WHERE chat_id = ? ORDER BY seq")
    .bind(chatId)
    .all<{ seq: number; kind: string; text: string }>();
  return results;
}

/** Hands these bodies to the events consumer as one queue batch (ids `<prefix>-<i>`); returns
 * what it acked and retried. */
async function consume(prefix: string, bodies: unknown[]) {
  const messages = createMessageBatch(
    "parley-events",
    bodies.map((body, i) => ({ id: `${prefix}-${i}`, timestamp: new Date(), attempts: 1, body: JSON.stringify(body) })),
  );
  const ctx = createExecutionContext();
  await consumeEvents(messages, env);
  return getQueueResult(messages, ctx);
}

beforeAll(async () => {
  acme = await seedAccount("search");
  other = await seedAccount("search-other");
  annToken = (await login(acme.emails.ann)).token;
  otherToken = (await login(other.emails.ann)).token;
});

describe("the event pipeline", () => {
  it("indexes a message seconds after it is sent, and empties the room's outbox", async () => {
    const { chatId } = await chatWith(acme, ["Where is my parcel with the pelican stamp?"], {
      email: "vera@example.org",
    });
    const page = await eventually(
      () => search("q=pelican"),
      (p) => p.items.length > 0,
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      chatId,
      seq: 1,
      kind: "text",
      author: { kind: "visitor", name: "Vera Visitor" },
      chat: { visitorName: "Vera Visitor", visitorEmail: "vera@example.org", status: "waiting" },
    });
    expect(words(page)).toEqual(["Where is my parcel with the [pelican] stamp?"]);
    // The visitor's name and email are found too, as the chat's row 0.
    const byEmail = await eventually(
      () => search("q=vera%40example.org"),
      (p) => p.items.some((hit) => hit.chatId === chatId),
    );
    expect(byEmail.items.find((hit) => hit.chatId === chatId)).toMatchObject({ seq: 0, kind: "visitor", author: null });
    // Everything went out: the room's record of what the queue took caught up with its log.
    await eventually(
      () =>
        runInDurableObject(chatRoomOf(env, chatId), (_, state) => ({
          others: state.storage.sql.exec("SELECT n FROM outbox").toArray().length,
          published: state.storage.sql.exec<{ seq: number }>("SELECT published_seq AS seq FROM outbox_state").one().seq,
        })),
      (left) => left.others === 0 && left.published === 1,
    );
  });

  it("indexes operators' private notes as notes, for operators and keys to find", async () => {
    const { chatId } = await chatWith(acme, ["hello"]);
    const ann = await operatorJoins(chatId, annToken);
    ann.send({ type: "note", cid: "n1", text: "Customer is a known heron collector" });
    await ann.next("ack");
    ann.close();
    const page = await eventually(
      () => search("q=heron"),
      (p) => p.items.length === 1,
    );
    expect(page.items[0]).toMatchObject({ chatId, kind: "note", author: { kind: "operator", name: "Ann" } });
    expect((await expectJson<SearchPage>(await admin("/search?q=heron", acme.apiKey), 200)).items).toHaveLength(1);
  });

  it("sends again what the queue never took: a room's alarm resends from its log", async () => {
    const { chatId } = await chatWith(acme, ["a stork on the roof", "a second stork"]);
    await eventually(
      () => indexRows(chatId),
      (rows) => rows.length === 3,
    );
    // As if the sends had been lost (the room's record says nothing went out) and the index never
    // got the rows: the alarm the room sets after a failed send puts them back.
    await env.DB.prepare("DELETE FROM message_index WHERE chat_id = ? AND seq > 0").bind(chatId).run();
    await runInDurableObject(chatRoomOf(env, chatId), async (room: ChatRoom, state) => {
      state.storage.sql.exec("UPDATE outbox_state SET published_seq = 0");
      // The copy in memory is dropped as a restart would.
      (room as unknown as { events: { forget(): void } }).events.forget();
      await room.alarm();
    });
    expect(
      (
        await eventually(
          () => indexRows(chatId),
          (rows) => rows.length === 3,
        )
      ).map((row) => row.text),
    ).toEqual(["Vera Visitor", "a stork on the roof", "a second stork"]);
  });

  it("keeps one row per chat and seq however often an event is delivered", async () => {
    const { chatId } = await chatWith(acme, ["first albatross", "second albatross"]);
    await eventually(
      () => indexRows(chatId),
      (rows) => rows.length === 3,
    );
    // The queue delivers at least once: the same events again, twice in one batch and once more.
    const again: ChatEvent = {
      id: `${chatId}.1`,
      type: "message.created",
      accountId: acme.id,
      chatId,
      at: Date.now(),
      message: {
        seq: 1,
        cid: "v0",
        kind: "text",
        event: null,
        author: { kind: "visitor", id: "x", name: "Vera Visitor" },
        text: "first albatross",
        at: Date.now(),
      },
    };
    for (const batch of [[again, again], [again]]) {
      const result = await consume("dup", batch);
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks.sort()).toEqual(batch.map((_, i) => `dup-${i}`).sort());
    }
    expect(await indexRows(chatId)).toEqual([
      { seq: 0, kind: "visitor", text: "Vera Visitor" },
      { seq: 1, kind: "text", text: "first albatross" },
      { seq: 2, kind: "text", text: "second albatross" },
    ]);
    expect((await search("q=albatross")).items.map((hit) => hit.seq)).toEqual([2, 1]);
  });

  it("unfolds a run of a chat's messages (one queue message) into an event per message", async () => {
    const { chatId } = await chatWith(acme, []);
    // The chat's own row (its chat.started event) first.
    await eventually(
      () => indexRows(chatId),
      (rows) => rows.length === 1,
    );
    const message = (seq: number, text: string): ChatMessage => ({
      seq,
      cid: `v${seq}`,
      kind: "text",
      event: null,
      author: { kind: "visitor", id: "x", name: "Vera Visitor" },
      text,
      at: Date.now(),
    });
    const run: MessagesCreatedRun = {
      type: "messages.created",
      accountId: acme.id,
      chatId,
      messages: [message(1, "a cormorant dives"), message(2, "a cormorant surfaces")],
    };
    // The run, the run again (a redelivery) and one of its messages alone: each seq once.
    const bodies = [run, run, unfoldQueued(run)[1]!, { ...run, messages: "not a list" }];
    const result = await consume("run", bodies);
    // The last is not a run of ours: dropped, never retried.
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks.sort()).toEqual(["run-0", "run-1", "run-2", "run-3"]);
    expect(await indexRows(chatId)).toEqual([
      { seq: 0, kind: "visitor", text: "Vera Visitor" },
      { seq: 1, kind: "text", text: "a cormorant dives" },
      { seq: 2, kind: "text", text: "a cormorant surfaces" },
    ]);
    expect(unfoldQueued(run).map((event) => event.id)).toEqual([`${chatId}.1`, `${chatId}.2`]);
  });

  it("writes a batch too big for one D1 statement in several, every row once", async () => {
    const { chatId } = await chatWith(acme, []);
    await eventually(
      () => indexRows(chatId),
      (rows) => rows.length === 1,
    );
    // Three runs of 100 messages of the longest text, in letters that take two bytes each.
    const long = (seq: number) => `${seq} ${"é".repeat(MAX_TEXT_LENGTH - 10)}`;
    const runs: MessagesCreatedRun[] = [0, 1, 2].map((r) => ({
      type: "messages.created",
      accountId: acme.id,
      chatId,
      messages: Array.from({ length: 100 }, (_, i) => ({
        seq: r * 100 + i + 1,
        cid: `v${r * 100 + i + 1}`,
        kind: "text" as const,
        event: null,
        author: { kind: "visitor" as const, id: "x", name: "Vera Visitor" },
        text: long(r * 100 + i + 1),
        at: Date.now(),
      })),
    }));
    expect(insertRows(env.DB, runs.flatMap(unfoldQueued).flatMap(rowsOfEvent)).length).toBeGreaterThan(4);
    const result = await consume("big", runs);
    expect(result.retryMessages).toEqual([]);
    const rows = (await indexRows(chatId)).filter((row) => row.seq > 0);
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(rows.every((row) => row.text === long(row.seq))).toBe(true);
  });

  it("retries only the event that fails, and acks the rest of its batch", async () => {
    const { chatId } = await chatWith(acme, []);
    const message = (seq: number, text: string, at: number | null = Date.now()) => ({
      id: `${chatId}.${seq}`,
      type: "message.created",
      accountId: acme.id,
      chatId,
      at: Date.now(),
      message: {
        seq,
        cid: null,
        kind: "text",
        event: null,
        author: { kind: "operator", id: "o", name: "Ann" },
        text,
        at,
      },
    });
    const batch = createMessageBatch("parley-events", [
      { id: "good-1", timestamp: new Date(), attempts: 1, body: JSON.stringify(message(10, "a cormorant")) },
      // D1 refuses this row (its time is NOT NULL): the index is down for this event only.
      { id: "bad", timestamp: new Date(), attempts: 3, body: JSON.stringify(message(11, "a late cormorant", null)) },
      { id: "good-2", timestamp: new Date(), attempts: 1, body: JSON.stringify(message(12, "a second cormorant")) },
      { id: "unreadable", timestamp: new Date(), attempts: 1, body: "not json" },
    ]);
    const ctx = createExecutionContext();
    await consumeEvents(batch, env);
    const result = await getQueueResult(batch, ctx);
    // (The pool's getQueueResult does not report the delay asked for: retryDelaySeconds(3) = 20.)
    expect(result.retryMessages.map((retry) => retry.msgId)).toEqual(["bad"]);
    expect([1, 2, 3, 7, 20].map(retryDelaySeconds)).toEqual([5, 10, 20, 300, 300]);
    expect(result.explicitAcks.sort()).toEqual(["good-1", "good-2", "unreadable"]);
    // (Row 0, the visitor's, comes through the real queue meanwhile: not counted here.)
    const written = async () => (await indexRows(chatId)).map((row) => row.seq).filter((seq) => seq > 0);
    expect(await written()).toEqual([10, 12]);
    // Delivered again, once D1 can take it (here: fixed), it lands once.
    const retried = createMessageBatch("parley-events", [
      { id: "bad", timestamp: new Date(), attempts: 4, body: JSON.stringify(message(11, "a late cormorant")) },
    ]);
    await consumeEvents(retried, env);
    expect((await getQueueResult(retried, createExecutionContext())).explicitAcks).toEqual(["bad"]);
    expect(await written()).toEqual([10, 11, 12]);
  });

  it("adds nothing for a chat that is not in the index (an erased chat's late events)", async () => {
    const ghost = createMessageBatch("parley-events", [
      {
        id: "ghost",
        timestamp: new Date(),
        attempts: 1,
        body: JSON.stringify({
          id: "c_ghost.1",
          type: "chat.started",
          accountId: acme.id,
          chatId: "c_ghost",
          at: 1,
          departmentId: null,
          visitor: { id: "v", name: "Ghost", email: null },
          offline: false,
        }),
      },
    ]);
    await consumeEvents(ghost, env);
    expect((await getQueueResult(ghost, createExecutionContext())).explicitAcks).toEqual(["ghost"]);
    expect(await indexRows("c_ghost")).toEqual([]);
  });
});

describe("search", () => {
  let filed: { chatId: string; token: string };
  beforeAll(async () => {
    filed = await chatWith(acme, ["my invoice mentions a flamingo"], { departmentId: acme.salesId });
    // The same word in another account, and in another chat of this one.
    await chatWith(other, ["their flamingo is none of acme's business"]);
    await chatWith(acme, ["flamingo again, in support"], { departmentId: `${acme.id}_support` });
    await eventually(
      () => search("q=flamingo"),
      (p) => p.items.length === 2,
    );
    await eventually(
      () => search("q=flamingo", otherToken),
      (p) => p.items.length === 1,
    );
  });

  it("finds only the caller's account's messages, for operators and admin keys alike", async () => {
    expect(words(await search("q=flamingo", otherToken))).toEqual(["their [flamingo] is none of acme's business"]);
    const mine = await search("q=flamingo");
    expect(mine.items.every((hit) => !hit.snippet.some((p) => p.text.includes("their")))).toBe(true);
    const byKey = await expectJson<SearchPage>(await admin("/search?q=flamingo", other.apiKey), 200);
    expect(byKey.items).toHaveLength(1);
    // A visitor's token searches nothing.
    const session = await startChat(acme.id);
    await expectProblem(await call("/api/operator/search?q=flamingo", { token: session.token }), 403, "forbidden");
    await expectProblem(await call("/api/operator/search?q=flamingo"), 401, "token_missing");
  });

  it("filters by department, operator, rating, tag and time, and pages with a cursor", async () => {
    const sales = await search(`q=flamingo&departmentId=${acme.salesId}`);
    expect(sales.items.map((hit) => hit.chatId)).toEqual([filed.chatId]);
    // Ann joins the sales chat and the visitor rates it; an admin tags it.
    const ann = await operatorJoins(filed.chatId, annToken);
    ann.close();
    const visitor = (await join(filed.chatId, filed.token)).client;
    visitor.send({ type: "rate", rating: "good" });
    await visitor.next("rating");
    visitor.close();
    await env.DB.prepare("INSERT INTO tags (id, account_id, name) VALUES ('tag_search', ?, 'Billing')")
      .bind(acme.id)
      .run();
    await env.DB.prepare("INSERT INTO chat_tags (chat_id, tag_id) VALUES (?, 'tag_search')").bind(filed.chatId).run();
    await eventually(
      () => search(`q=flamingo&operatorId=${acme.id}_ann`),
      (p) => p.items.length === 1,
    );
    expect((await search(`q=flamingo&tagId=tag_search`)).items.map((hit) => hit.chatId)).toEqual([filed.chatId]);
    await eventually(
      () => search("q=flamingo&rating=good"),
      (p) => p.items.length === 1 && p.items[0]!.chatId === filed.chatId,
    );
    expect((await search("q=flamingo&rating=bad")).items).toEqual([]);
    expect((await search(`q=flamingo&to=1000`)).items).toEqual([]);
    expect((await search(`q=flamingo&from=${Date.now() - 600_000}`)).items).toHaveLength(2);
    const first = await search("q=flamingo&limit=1");
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await search(`q=flamingo&limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.chatId).not.toBe(first.items[0]!.chatId);
    expect(second.nextCursor).toBeNull();
  });

  it("reads what people type as words, never as query syntax", async () => {
    for (const q of [
      '"',
      "flamingo OR",
      "NEAR(flamingo",
      "*",
      "flamingo)",
      "-flamingo",
      "^flamingo:",
      '" OR 1=1 --',
      "\u0000",
    ])
      await search(`q=${encodeURIComponent(q)}`);
    expect((await search(`q=${encodeURIComponent("?!")}`)).items).toEqual([]);
    // Whole words, unless a word ends in * (the start of longer words).
    expect((await search("q=flamin")).items).toHaveLength(0);
    expect((await search(`q=${encodeURIComponent("flamin*")}`)).items).toHaveLength(2);
    expect((await search(`q=${encodeURIComponent("invoice flam*")}`)).items).toHaveLength(1);
    expect((await search("q=flamingos")).items).toHaveLength(0);
    await expectProblem(await call("/api/operator/search?q=", { token: annToken }), 422, "validation_failed");
    await expectProblem(
      await call(`/api/operator/search?q=${"a".repeat(201)}`, { token: annToken }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await call("/api/operator/search?q=a&cursor=c_1", { token: annToken }),
      422,
      "validation_failed",
    );
  });
});

describe("the History list", () => {
  it("lists the account's chats newest first with their tags, filtered and paged", async () => {
    const list = async (query: string, token = annToken) =>
      expectJson<HistoryListPage>(await call(`/api/operator/history?${query}`, { token }), 200);
    const all = await list("limit=50");
    expect(all.items.length).toBeGreaterThan(3);
    expect(all.items.every((chat, i) => i === 0 || chat.id < all.items[i - 1]!.id)).toBe(true);
    const theirs = await list("limit=50", otherToken);
    expect(theirs.items.some((chat) => all.items.some((mine) => mine.id === chat.id))).toBe(false);
    const tagged = await list("tagId=tag_search");
    expect(tagged.items).toHaveLength(1);
    expect(tagged.items[0]!.tagIds).toEqual(["tag_search"]);
    const paged = await list("limit=2");
    expect(paged.items).toHaveLength(2);
    const next = await list(`limit=2&cursor=${paged.nextCursor}`);
    expect(next.items[0]!.id < paged.items[1]!.id).toBe(true);
    await expectProblem(await call("/api/operator/history?rating=meh", { token: annToken }), 422, "validation_failed");
  });
});
