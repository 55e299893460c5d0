// Privacy: one visitor's data exported whole and nothing of anyone else's; erased from every
// store (the room, D1's index and search, report details, the webhook log, R2, the live visitor
// list), idempotently; and chats deleted by the account's retention, by each room's own alarm or,
// when the setting is lowered, at once.
import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { ErasureReceipt, PrivacyExport } from "../src/shared/privacy.ts";
import type { ChatMessage, FileUploadResponse } from "../src/shared/protocol.ts";
import { chatRoomOf, type ChatRoom } from "../src/durable/chat-room.ts";
import { ChatClient } from "./chat-client.ts";
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
let annToken: string;
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

/** A chat where the visitor writes, sends a file, Ann answers and writes a note, and the visitor rates. */
async function fullChat(extra: Record<string, unknown>, word: string) {
  const session = await startChat(acme.id, extra);
  const { client: visitor } = await join(session.chatId, session.token);
  visitor.send({ type: "message", cid: "v1", text: `My ${word} is broken` });
  await visitor.next("ack");
  const query = new URLSearchParams({ name: "photo.png", cid: "f1" });
  const upload = await call(`/api/chats/${session.chatId}/files?${query}`, {
    method: "POST",
    body: PNG,
    token: session.token,
  });
  const { message: fileMessage } = await expectJson<FileUploadResponse>(upload, 201);
  const operator = await operatorJoins(session.chatId, annToken);
  operator.send({ type: "note", cid: "n1", text: `internal remark about ${word}` });
  await operator.next("ack");
  operator.send({ type: "message", cid: "o1", text: "Let me look" });
  await operator.next("ack");
  visitor.send({ type: "rate", rating: "good", comment: "Thanks" });
  await visitor.next("rating");
  visitor.close();
  operator.close();
  return { ...session, fileId: fileMessage.file!.id };
}

async function searchHits(q: string) {
  const res = await call(`/api/operator/search?q=${encodeURIComponent(q)}`, { token: annToken });
  return (await expectJson<{ items: unknown[] }>(res, 200)).items.length;
}

async function d1Count(sql: string, ...binds: unknown[]) {
  return (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;
}

async function r2Keys(accountId: string, chatId: string) {
  return (await env.FILES.list({ prefix: `${accountId}/${chatId}/` })).objects.map((o) => o.key);
}

/** What the room's own storage holds: its tables' rows. */
async function roomRows(chatId: string) {
  return runInDurableObject(chatRoomOf(env, chatId), async (_room: ChatRoom, state) => {
    const count = (table: string) =>
      state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).one().n;
    return { chat: count("chat"), messages: count("messages"), participants: count("participants") };
  });
}

beforeAll(async () => {
  acme = await seedAccount("privacy");
  annToken = (await login(acme.emails.ann)).token;
});

describe("export", () => {
  it("holds every chat of the person with messages, rating and working file links, no notes, nothing of others", async () => {
    const first = await fullChat({ email: "Exa@Example.org" }, "kettle");
    const second = await fullChat({ email: "exa@example.org" }, "toaster");
    const stranger = await fullChat({ email: "someone@example.org" }, "blender");

    const res = await admin("/privacy/export", acme.apiKey, { method: "POST", json: { email: "EXA@example.org" } });
    const archive = await expectJson<PrivacyExport>(res, 200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(archive.chats.map((c) => c.id).sort()).toEqual([first.chatId, second.chatId].sort());
    expect(archive.nextCursor).toBeNull();
    const chat = archive.chats.find((c) => c.id === first.chatId)!;
    const texts = chat.messages.map((m: ChatMessage) => m.text);
    expect(texts).toContain("My kettle is broken");
    expect(texts).toContain("Let me look");
    expect(chat.messages.some((m) => m.kind === "note")).toBe(false);
    expect(JSON.stringify(archive)).not.toContain("internal remark");
    expect(JSON.stringify(archive)).not.toContain(stranger.chatId);
    expect(chat.rating).toMatchObject({ rating: "good", comment: "Thanks" });
    expect(chat.files).toHaveLength(1);
    const file = new URL(chat.files[0]!.url);
    const download = await call(file.pathname + file.search);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);

    // By visitor id too.
    const byId = await expectJson<PrivacyExport>(
      await admin("/privacy/export", acme.apiKey, { method: "POST", json: { visitorId: stranger.visitorId } }),
      200,
    );
    expect(byId.chats.map((c) => c.id)).toEqual([stranger.chatId]);
  });

  it("is for admins only and needs a subject", async () => {
    await expectProblem(
      await admin("/privacy/export", annToken, { method: "POST", json: { email: "exa@example.org" } }),
      403,
      "forbidden",
    );
    await expectProblem(
      await admin("/privacy/export", acme.apiKey, { method: "POST", json: {} }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await admin("/privacy/erase", acme.apiKey, { method: "POST", json: { email: "not an email" } }),
      422,
      "validation_failed",
    );
  });
});

describe("erasure", () => {
  it("leaves nothing of the person in any store, keeps everyone else, and finds nothing the second time", async () => {
    const mine = await fullChat({ email: "gone@example.org" }, "pelican");
    const theirs = await fullChat({ email: "stays@example.org" }, "penguin");
    await eventually(
      () => searchHits("pelican"),
      (n) => n > 0,
    );
    await eventually(
      () => d1Count("SELECT count(*) AS n FROM report_chats WHERE chat_id = ? AND rated_at IS NOT NULL", mine.chatId),
      (n) => n === 1,
    );
    const figures = () =>
      d1Count(
        "SELECT coalesce(sum(started), 0) AS n FROM report_days WHERE account_id = ? AND dimension = 'department'",
        acme.id,
      );
    const startedBefore = await figures();
    // The visitor is on the site now too.
    const presence = await exports.default.fetch(
      new Request(`https://parley.test/ws/visitors?account=${acme.id}&visitor=${mine.visitorId}`, {
        headers: { Upgrade: "websocket" },
      }),
    );
    presence.webSocket!.accept();
    const live = new ChatClient(presence.webSocket!);
    live.send({ type: "page", url: "https://shop.test/", title: "Shop", referrer: "", onSiteMs: 1, chatting: false });

    const receipt = await expectJson<ErasureReceipt>(
      await admin("/privacy/erase", acme.apiKey, { method: "POST", json: { email: "gone@example.org" } }),
      200,
    );
    expect(receipt.chats).toEqual([{ chatId: mine.chatId, messages: expect.any(Number), files: 1, bytes: PNG.length }]);
    expect(receipt.chats[0]!.messages).toBeGreaterThanOrEqual(4);
    expect(receipt.liveVisitorsClosed).toBe(1);
    expect(receipt.more).toBe(false);

    // Store by store.
    expect(await roomRows(mine.chatId)).toEqual({ chat: 0, messages: 0, participants: 0 });
    expect(await r2Keys(acme.id, mine.chatId)).toEqual([]);
    expect(await d1Count("SELECT count(*) AS n FROM chats WHERE id = ?", mine.chatId)).toBe(0);
    expect(await d1Count("SELECT count(*) AS n FROM message_index WHERE chat_id = ?", mine.chatId)).toBe(0);
    expect(await d1Count("SELECT count(*) AS n FROM chat_operators WHERE chat_id = ?", mine.chatId)).toBe(0);
    expect(await d1Count("SELECT count(*) AS n FROM report_chats WHERE chat_id = ?", mine.chatId)).toBe(0);
    expect(await d1Count("SELECT count(*) AS n FROM webhook_deliveries WHERE chat_id = ?", mine.chatId)).toBe(0);
    expect(await searchHits("pelican")).toBe(0);
    await eventually(
      async () => live.closed,
      (closed) => closed !== undefined,
    );
    // The day's figures stay, with no one in them.
    expect(await figures()).toBe(startedBefore);
    // The person's chat cannot be opened any more; the other visitor's chat is whole.
    await expectProblem(await call(`/api/operator/history/${mine.chatId}`, { token: annToken }), 404, "not_found");
    expect(await roomRows(theirs.chatId)).toMatchObject({ chat: 1 });
    expect(await r2Keys(acme.id, theirs.chatId)).toHaveLength(1);
    // Their message and Ann's note about it.
    expect(await searchHits("penguin")).toBe(2);

    const again = await expectJson<ErasureReceipt>(
      await admin("/privacy/erase", acme.apiKey, { method: "POST", json: { email: "gone@example.org" } }),
      200,
    );
    expect(again.chats).toEqual([]);
    // The audit log records both erasures, without the person: a hash of the email stands for it.
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("gone@example.org"));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const { results: audited } = await env.DB.prepare(
      "SELECT changes FROM audit_log WHERE account_id = ? AND action = 'POST /privacy/erase' AND status = 200",
    )
      .bind(acme.id)
      .all<{ changes: string }>();
    expect(audited.map((row) => JSON.parse(row.changes))).toEqual([
      { email: `sha256:${hex}` },
      { email: `sha256:${hex}` },
    ]);
    expect(await d1Count("SELECT count(*) AS n FROM audit_log WHERE changes LIKE '%gone@example.org%'")).toBe(0);
    // A late event of the erased chat (the queue may still hold one) writes nothing back.
    expect(await d1Count("SELECT count(*) AS n FROM chats WHERE id = ?", mine.chatId)).toBe(0);
  });
});

describe("retention", () => {
  /** Ends a chat, then moves its end `daysAgo` into the past in the room and the index. */
  async function endedChat(daysAgo: number) {
    const session = await fullChat({ email: `old${daysAgo}@example.org` }, `word${daysAgo}`);
    const operator = await operatorJoins(session.chatId, annToken);
    operator.send({ type: "close" });
    await operator.next("msg");
    operator.close();
    const at = Date.now() - daysAgo * 86_400_000;
    await runInDurableObject(chatRoomOf(env, session.chatId), async (_room: ChatRoom, state) => {
      state.storage.sql.exec("UPDATE chat SET closed_at = ?", at);
    });
    await env.DB.prepare("UPDATE chats SET closed_at = ? WHERE id = ?").bind(at, session.chatId).run();
    return session;
  }

  it("deletes chats that ended before a newly set retention, and keeps younger ones", async () => {
    const old = await endedChat(40);
    const young = await endedChat(5);
    const res = await admin("/settings", acme.apiKey, { method: "PATCH", json: { retentionDays: 30 } });
    expect((await expectJson<{ retentionDays: number }>(res, 200)).retentionDays).toBe(30);
    await eventually(
      () => d1Count("SELECT count(*) AS n FROM chats WHERE id = ?", old.chatId),
      (n) => n === 0,
    );
    expect(await roomRows(old.chatId)).toEqual({ chat: 0, messages: 0, participants: 0 });
    expect(await r2Keys(acme.id, old.chatId)).toEqual([]);
    expect(await roomRows(young.chatId)).toMatchObject({ chat: 1 });
    // The young chat waits for its own alarm, 30 days after its end.
    const due = await runInDurableObject(
      chatRoomOf(env, young.chatId),
      async (_room: ChatRoom, state) =>
        state.storage.sql.exec<{ due_at: number }>("SELECT due_at FROM retention").toArray()[0]?.due_at,
    );
    expect(due).toBeGreaterThan(Date.now() + 24 * 86_400_000);
  });

  it("lets a closed room delete itself by its alarm when its time comes, and not before", async () => {
    await admin("/settings", acme.apiKey, { method: "PATCH", json: { retentionDays: 30 } }).then((r) =>
      r.arrayBuffer(),
    );
    const chat = await endedChat(0);
    await eventually(
      () => searchHits("word0"),
      (n) => n > 0,
    );
    const room = chatRoomOf(env, chat.chatId);
    await room.applyRetention();
    expect(await runDurableObjectAlarm(room)).toBe(true);
    expect(await roomRows(chat.chatId)).toMatchObject({ chat: 1 });
    // Thirty days on: the room's clock is not ours to move, so its deletion time is.
    await runInDurableObject(room, async (_room: ChatRoom, state) => {
      state.storage.sql.exec("UPDATE retention SET due_at = ?", Date.now() - 1);
      state.storage.sql.exec("UPDATE chat SET closed_at = ?", Date.now() - 31 * 86_400_000);
      await state.storage.setAlarm(Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(room)).toBe(true);
    expect(await roomRows(chat.chatId)).toEqual({ chat: 0, messages: 0, participants: 0 });
    expect(await d1Count("SELECT count(*) AS n FROM chats WHERE id = ?", chat.chatId)).toBe(0);
    expect(await d1Count("SELECT count(*) AS n FROM message_index WHERE chat_id = ?", chat.chatId)).toBe(0);
    expect(await searchHits("word0")).toBe(0);
    expect(await r2Keys(acme.id, chat.chatId)).toEqual([]);
  });

  it("keeps everything when retention is off (the default), and refuses out-of-range days", async () => {
    await expectJson(await admin("/settings", acme.apiKey, { method: "PATCH", json: { retentionDays: null } }), 200);
    const chat = await endedChat(400);
    expect(await chatRoomOf(env, chat.chatId).applyRetention()).toBe("kept");
    expect(await roomRows(chat.chatId)).toMatchObject({ chat: 1 });
    for (const retentionDays of [29, 3651, 30.5, "30"])
      await expectProblem(
        await admin("/settings", acme.apiKey, { method: "PATCH", json: { retentionDays } }),
        422,
        "validation_failed",
      );
  });
});
