// No visitor can load the account's shared objects. A tokenless presence socket
// flooding `page` frames, chats nobody takes piling up in the queue, and a flood of chat starts.
// Each attack is listed with what it gets in docs/reliability.md, "Load from visitors".
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { lobbyOf } from "../src/durable/lobby-address.ts";
import { chatRoomOf } from "../src/durable/chat-room.ts";
import { DEFAULT_QUEUE_MAX_WAITING, DEFAULT_QUEUE_MISSED_AFTER_S } from "../src/durable/lobby.ts";
import { LOBBY_VISITOR_HEADER } from "../src/durable/lobby-visitors.ts";
import { PAGE_NOTICE_BURST, PAGE_NOTICES_PER_SECOND, PAGE_WARNING_EVERY_MS } from "../src/durable/page-limit.ts";
import type { ChatDetail, Page } from "../src/shared/admin-api.ts";
import { FLOODING_CLOSE_CODE, type LobbyServerFrame, type VisitorServerFrame } from "../src/shared/lobby-protocol.ts";
import type { ChatSummary, OfflineMessageResponse, QueuePositionResponse } from "../src/shared/protocol.ts";
import {
  admin,
  call,
  ChatClient,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let account: SeededAccount;
const tokens = { ann: "", bob: "" };
let counter = 0;
const newVisitorId = () => `flood-${Date.now().toString(36)}-${(counter++).toString().padStart(6, "0")}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  account = await seedAccount("seclobby");
  tokens.ann = (await login(account.emails.ann)).token;
  tokens.bob = (await login(account.emails.bob)).token;
});

async function lobbySocket(token: string) {
  const res = await exports.default.fetch(
    new Request(`https://parley.test/ws/lobby?token=${encodeURIComponent(token)}`, {
      headers: { Upgrade: "websocket" },
    }),
  );
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  const client = new ChatClient<LobbyServerFrame>(res.webSocket!);
  const snapshot = await client.next("lobby");
  await client.next("visitors");
  return { client, snapshot };
}

async function online(client: ChatClient<LobbyServerFrame>) {
  client.send({ type: "presence", status: "online" });
  return client.next("lobby");
}

/** A presence socket through the Worker (with the test config's 4 shards: on the visitor's shard). */
async function presenceSocket(visitorId: string) {
  const res = await exports.default.fetch(
    new Request(`https://parley.test/ws/visitors?account=${account.id}&visitor=${visitorId}`, {
      headers: { Upgrade: "websocket" },
    }),
  );
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  return new ChatClient<VisitorServerFrame>(res.webSocket!);
}

/** A presence socket held by the account's lobby itself, as in a deployment with one shard (the
 * default) or a page not yet moved to its shard: exactly what the Worker would send it. */
async function presenceOnAccountLobby(visitorId: string) {
  const headers = {
    Upgrade: "websocket",
    [LOBBY_VISITOR_HEADER]: JSON.stringify({ id: visitorId, accountId: account.id, shard: null }),
  };
  const res = await lobbyOf(env, account.id).fetch(new Request("https://lobby/connect", { headers }));
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  return new ChatClient<VisitorServerFrame>(res.webSocket!);
}

const page = (n: number) => ({
  type: "page",
  url: `https://shop.test/p/${n}`,
  title: `Page ${n}`,
  referrer: "",
  onSiteMs: n,
  chatting: false,
});

/** The `visitor` notices about this visitor among frames drained from a console. */
function noticesAbout(frames: LobbyServerFrame[], visitorId: string) {
  return frames.flatMap((f) => (f.type === "visitor" && f.visitor.id === visitorId ? [f.visitor] : []));
}

/** Drains the console until a notice shows the visitor on `url`; returns every frame drained. */
async function until(console: ChatClient<LobbyServerFrame>, visitorId: string, url: string, within = 15_000) {
  const frames: LobbyServerFrame[] = [];
  const deadline = Date.now() + within;
  while (Date.now() < deadline) {
    frames.push(...console.drain());
    if (noticesAbout(frames, visitorId).some((v) => v.url === url)) return frames;
    await sleep(50);
  }
  throw new Error(
    `no notice of ${visitorId} on ${url}; last: ${JSON.stringify(noticesAbout(frames, visitorId).at(-1))}`,
  );
}

/** Most notices one socket may cause in `ms`: the burst, the sustained rate, one trailing notice. */
const bound = (ms: number) => PAGE_NOTICE_BURST + Math.ceil((ms / 1000) * PAGE_NOTICES_PER_SECOND) + 1;

describe("a presence socket flooding page frames", () => {
  it("reaches a console held by the account's lobby as a few notices, the last one its last page; other answers still arrive", async () => {
    const { client: ann } = await lobbySocket(tokens.ann);
    await online(ann);
    const { client: bob } = await lobbySocket(tokens.bob);
    const visitorId = newVisitorId();
    const flooder = await presenceOnAccountLobby(visitorId);
    const started = Date.now();
    for (let n = 1; n <= 3000; n++) flooder.send(page(n));
    // While the flood is being handled: a colleague comes online and a visitor starts a chat.
    bob.send({ type: "presence", status: "online" });
    const chat = await startChat(account.id);

    const frames = await until(ann, visitorId, "https://shop.test/p/3000");
    await sleep(1500); // Room for notices that should not come.
    frames.push(...ann.drain());
    const elapsed = Date.now() - started;

    const notices = noticesAbout(frames, visitorId);
    expect(notices.length).toBeLessThanOrEqual(bound(elapsed));
    expect(notices.at(-1)).toMatchObject({ url: "https://shop.test/p/3000", title: "Page 3000" });
    // The lobby's other answers were not drowned.
    expect(
      frames.some(
        (f) => f.type === "presence" && f.operator.id === `${account.id}_bob` && f.operator.status === "online",
      ),
    ).toBe(true);
    expect(frames.some((f) => f.type === "waiting" && f.chat.chatId === chat.chatId)).toBe(true);
    // The flooder is told, once per interval rather than once per frame, and stays connected.
    const errors = flooder.drain().filter((f) => f.type === "error");
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(Math.ceil(elapsed / PAGE_WARNING_EVERY_MS));
    expect(errors[0]).toMatchObject({ code: "rate_limited" });
    expect(flooder.closed).toBeUndefined();
    // A console connecting now sees the visitor's last page too.
    const fresh = await exports.default.fetch(
      new Request(`https://parley.test/ws/lobby?token=${encodeURIComponent(tokens.bob)}`, {
        headers: { Upgrade: "websocket" },
      }),
    );
    fresh.webSocket!.accept();
    const late = new ChatClient<LobbyServerFrame>(fresh.webSocket!);
    const { visitors } = await late.next("visitors");
    expect(visitors.find((v) => v.id === visitorId)).toMatchObject({ url: "https://shop.test/p/3000" });
    flooder.close();
  });

  it("through the Worker, on a visitor shard, stays bounded per visitor over a flood of several seconds", async () => {
    const { client: ann } = await lobbySocket(tokens.ann);
    const visitorId = newVisitorId();
    const flooder = await presenceSocket(visitorId);
    const started = Date.now();
    // 3,000 frames over about three seconds: 100 every 100 ms.
    for (let round = 0; round < 30; round++) {
      for (let n = round * 100 + 1; n <= (round + 1) * 100; n++) flooder.send(page(n));
      await sleep(100);
    }
    const frames = await until(ann, visitorId, "https://shop.test/p/3000");
    await sleep(1500);
    frames.push(...ann.drain());
    const elapsed = Date.now() - started;
    const notices = noticesAbout(frames, visitorId);
    expect(notices.length).toBeLessThanOrEqual(bound(elapsed));
    expect(notices.at(-1)).toMatchObject({ url: "https://shop.test/p/3000" });
    expect(flooder.closed).toBeUndefined();
    flooder.close();
  });

  it("is closed with code 4029 'flooding' when it keeps flooding for ten seconds, and the visitor leaves the consoles", async () => {
    const { client: ann } = await lobbySocket(tokens.ann);
    const visitorId = newVisitorId();
    const flooder = await presenceSocket(visitorId);
    let n = 0;
    // 30 frames every 200 ms (150 a second, 150× the sustained limit) for up to 15 seconds.
    for (const stop = Date.now() + 15_000; Date.now() < stop && !flooder.closed;) {
      for (let i = 0; i < 30; i++) flooder.send(page(++n));
      await sleep(200);
    }
    expect(flooder.closed).toEqual({ code: FLOODING_CLOSE_CODE, reason: "flooding" });
    for (;;) if ((await ann.next("visitor_left", 10_000)).visitorId === visitorId) break;
  }, 40_000);

  it("leaves a visitor who changes page at a human pace unlimited", async () => {
    const { client: ann } = await lobbySocket(tokens.ann);
    const visitorId = newVisitorId();
    const visitor = await presenceSocket(visitorId);
    for (let n = 1; n <= PAGE_NOTICE_BURST; n++) {
      visitor.send(page(n));
      await until(ann, visitorId, `https://shop.test/p/${n}`);
    }
    expect(visitor.drain().filter((f) => f.type === "error")).toEqual([]);
    visitor.close();
  });
});

/** Lets the queue timeout pass for every chat waiting in this account's lobby (the runtime's clock
 * cannot be moved, so the deadlines are), then runs the lobby's alarm as the runtime would. */
async function afterQueueTimeout(accountId: string) {
  const lobby = lobbyOf(env, accountId);
  await runInDurableObject(lobby, (_lobby, state) => {
    state.storage.sql.exec("UPDATE queue_deadlines SET at = at - ?", DEFAULT_QUEUE_MISSED_AFTER_S * 1000 + 1);
  });
  expect(await runDurableObjectAlarm(lobby)).toBe(true);
}

const leaveOfflineMessage = (accountId: string, text: string) =>
  call("/api/visitor/offline-messages", {
    method: "POST",
    json: { accountId, name: "Olga Offline", email: "olga@visitor.test", text },
  });

describe("a chat nobody takes", () => {
  it("moves to missed after the queue timeout: index row, notice to consoles, gone from new snapshots, its widget told; offline messages stay", async () => {
    const acc = await seedAccount("secmissed");
    const { client: ann } = await lobbySocket((await login(acc.emails.ann)).token);
    await online(ann);
    const chat = await startChat(acc.id);
    expect((await ann.next("waiting")).chat.chatId).toBe(chat.chatId);
    const offline = await expectJson<OfflineMessageResponse>(
      await leaveOfflineMessage(acc.id, "Please call me back."),
      201,
    );
    expect((await ann.next("waiting")).chat).toMatchObject({ chatId: offline.chatId, offline: true });
    const queue = () => call(`/api/chats/${chat.chatId}/queue`, { token: chat.token });
    expect(await expectJson<QueuePositionResponse>(await queue(), 200)).toEqual({ waiting: true, position: 1 });

    await afterQueueTimeout(acc.id);

    expect(await ann.next("missed")).toMatchObject({ chatId: chat.chatId });
    expect(ann.drain().filter((f) => f.type === "missed")).toEqual([]);
    // Its room published chat.missed (its second event, after chat.started), once: asked again for
    // the same deadline, as the lobby's alarm would after a failure, it publishes nothing more.
    const room = chatRoomOf(env, chat.chatId);
    const events = () =>
      runInDurableObject(room, (_room, state) => ({
        others: state.storage.sql.exec<{ n: number }>("SELECT last_other AS n FROM outbox_state").one().n,
        deadline: state.storage.sql.exec<{ d: number }>("SELECT deadline AS d FROM missed").one().d,
      }));
    const first = await events();
    expect(first.others).toBe(2);
    await room.missed(chat.chatId, first.deadline, Date.now());
    expect(await events()).toEqual(first);
    const missed = await expectJson<Page<ChatSummary>>(await admin("/chats?status=missed", acc.apiKey), 200);
    expect(missed.items.map((c) => c.id)).toEqual([chat.chatId]);
    expect(missed.items[0]!.missedAt).toEqual(expect.any(Number));
    const waiting = await expectJson<Page<ChatSummary>>(await admin("/chats?status=waiting", acc.apiKey), 200);
    expect(waiting.items.map((c) => c.id)).toEqual([offline.chatId]);
    expect(waiting.items[0]!.missedAt).toBeNull();
    // A console connecting now lists the offline message only.
    const { client: owner } = await lobbySocket((await login(acc.emails.owner)).token);
    const snapshot = await online(owner);
    expect(snapshot.waiting.map((w) => w.chatId)).toEqual([offline.chatId]);
    expect(await expectJson<QueuePositionResponse>(await queue(), 200)).toEqual({ waiting: false, missed: true });
    // Nobody can accept it from the queue any more.
    await expectProblem(
      await call(`/api/operator/chats/${chat.chatId}/accept`, {
        method: "POST",
        token: (await login(acc.emails.ann)).token,
      }),
      409,
      "already_taken",
    );
    // The visitor gives up and ends it: still listed as missed, now with its end.
    const { client: visitor } = await join(chat.chatId, chat.token);
    visitor.send({ type: "close" });
    await expect
      .poll(async () => (await expectJson<ChatDetail>(await admin(`/chats/${chat.chatId}`, acc.apiKey), 200)).chat)
      .toMatchObject({ status: "missed", closedAt: expect.any(Number), missedAt: expect.any(Number) });
  });

  it("taken later after all (an operator joins it), it is active and its widget no longer hears it was missed", async () => {
    const acc = await seedAccount("secmissedjoin");
    const chat = await startChat(acc.id);
    await afterQueueTimeout(acc.id);
    const ann = (await login(acc.emails.ann)).token;
    expect((await call(`/api/operator/chats/${chat.chatId}/join`, { method: "POST", token: ann })).status).toBe(200);
    const row = await expectJson<ChatDetail>(await admin(`/chats/${chat.chatId}`, acc.apiKey), 200);
    expect(row.chat).toMatchObject({ status: "active", missedAt: expect.any(Number) });
    expect(
      await expectJson<QueuePositionResponse>(
        await call(`/api/chats/${chat.chatId}/queue`, { token: chat.token }),
        200,
      ),
    ).toEqual({ waiting: false });
  });
});

describe("a missed chat continuing by email", () => {
  it("takes the visitor's address and last word, waits again as an offline message, and mails the answer", async () => {
    const acc = await seedAccount("missedmail");
    const chat = await startChat(acc.id);
    const { client: visitor } = await join(chat.chatId, chat.token);
    visitor.send({ type: "message", cid: "q1", text: "Do you ship to Norway?" });
    await visitor.next("ack");
    await afterQueueTimeout(acc.id);
    const continueByEmail = (json: unknown, token = chat.token) =>
      call(`/api/chats/${chat.chatId}/continue-by-email`, { method: "POST", token, json });

    // Someone else's chat, a bad address, an operator's token: refused, nothing changes.
    const other = await startChat(acc.id);
    await expectProblem(await continueByEmail({ email: "a@b.test", cid: "x" }, other.token), 403, "forbidden");
    await expectProblem(await continueByEmail({ email: "not-an-address", cid: "x" }), 422, "validation_failed");
    const ann = (await login(acc.emails.ann)).token;
    await expectProblem(await continueByEmail({ email: "a@b.test", cid: "x" }, ann), 403, "forbidden");

    const body = { email: "Nora@Example.test", cid: "c1", text: "Please answer by email." };
    expect(await expectJson(await continueByEmail(body), 201)).toEqual({
      chatId: chat.chatId,
      email: "nora@example.test",
    });
    // A retry (the answer was lost) stores nothing twice.
    expect((await continueByEmail(body)).status).toBe(201);
    const texts = (await visitor.next("msg")).message;
    expect(texts).toMatchObject({ text: "Please answer by email.", author: { kind: "visitor" } });

    // Back in the queue as an offline message, with the address; never missed again; counted missed.
    const { client: lobby } = await lobbySocket(ann);
    const snapshot = await online(lobby);
    expect(snapshot.waiting.find((w) => w.chatId === chat.chatId)).toMatchObject({
      offline: true,
      visitorEmail: "nora@example.test",
      firstMessage: "Do you ship to Norway?",
    });
    expect(
      await expectJson<QueuePositionResponse>(
        await call(`/api/chats/${chat.chatId}/queue`, { token: chat.token }),
        200,
      ),
    ).toEqual({ waiting: false });
    const row = await expectJson<ChatDetail>(await admin(`/chats/${chat.chatId}`, acc.apiKey), 200);
    expect(row.chat).toMatchObject({ visitorEmail: "nora@example.test", missedAt: expect.any(Number) });
    const stateOf = () =>
      runInDurableObject(chatRoomOf(env, chat.chatId), (_, state) =>
        state.storage.sql
          .exec<{ email: string; mailed_seq: number }>("SELECT email, mailed_seq FROM answer_mail")
          .one(),
      );
    expect((await stateOf()).email).toBe("nora@example.test");

    // Once an operator is in it, it is theirs to answer: the visitor writes in the chat instead.
    expect((await call(`/api/operator/chats/${chat.chatId}/accept`, { method: "POST", token: ann })).status).toBe(200);
    await expectProblem(await continueByEmail({ email: "a@b.test", cid: "c2" }), 409, "conflict");

    // The operator's answer goes out by email (once the gathering delay has passed).
    visitor.close();
    const operator = await operatorJoins(chat.chatId, ann);
    operator.send({ type: "message", cid: "a1", text: "Yes, we do." });
    const answer = await operator.next("ack");
    const room = chatRoomOf(env, chat.chatId);
    await runInDurableObject(room, (_, state) => {
      state.storage.sql.exec("UPDATE answer_mail SET due_at = ? WHERE due_at IS NOT NULL", Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(room)).toBe(true);
    expect((await stateOf()).mailed_seq).toBeGreaterThanOrEqual(answer.seq);
  });
});

describe("the cap on waiting chats", () => {
  it(`refuses a new chat or offline message with 503 queue_full once ${DEFAULT_QUEUE_MAX_WAITING} wait, creating nothing; room again once one leaves`, async () => {
    const acc = await seedAccount("seccap");
    const lobby = lobbyOf(env, acc.id);
    const since = Date.now();
    for (let batch = 0; batch < DEFAULT_QUEUE_MAX_WAITING / 50; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          lobby.enqueue({ chatId: `c_cap_${batch * 50 + i}`, departmentId: null, visitorName: "Flood", since }, acc.id),
        ),
      );
    }
    const refused = await expectProblem(
      await call("/api/visitor/sessions", { method: "POST", json: { accountId: acc.id, name: "Late Visitor" } }),
      503,
      "queue_full",
    );
    expect(refused.detail).toContain(String(DEFAULT_QUEUE_MAX_WAITING));
    await expectProblem(await leaveOfflineMessage(acc.id, "Hello?"), 503, "queue_full");
    // Nothing of either was created.
    const listed = await expectJson<Page<ChatSummary>>(await admin("/chats", acc.apiKey), 200);
    expect(listed.items).toEqual([]);

    await lobby.dequeue("c_cap_0", null);
    const chat = await startChat(acc.id);
    const { client: ann } = await lobbySocket((await login(acc.emails.ann)).token);
    const snapshot = await online(ann);
    expect(snapshot.waiting).toHaveLength(DEFAULT_QUEUE_MAX_WAITING);
    expect(snapshot.waiting.at(-1)!.chatId).toBe(chat.chatId);
  });
});
