// The chat room protocol end to end: real Worker, real D1, real ChatRoom objects.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ackedMessage,
  MAX_TEXT_LENGTH,
  SOCKET_PROTOCOL_V1,
  VISITOR_MESSAGE_BURST,
  type ChatMessage,
  type ChatsResponse,
  type HistoryPage,
} from "../src/shared/protocol.ts";
import {
  call,
  ChatClient,
  eventually,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  upgrade,
  type SeededAccount,
} from "./helpers.ts";

let account: SeededAccount;
let ann: string;
let bob: string;

beforeAll(async () => {
  account = await seedAccount("room");
  ann = (await login(account.emails.ann)).token;
  bob = (await login(account.emails.bob)).token;
});

function texts(messages: ChatMessage[]) {
  return messages.map((m) => m.text);
}

describe("hello and messages", () => {
  it("welcomes a visitor to a waiting chat with nothing to replay", async () => {
    const chat = await startChat(account.id);
    const { client, welcome } = await join(chat.chatId, chat.token);
    expect(welcome).toMatchObject({
      chat: { id: chat.chatId, status: "waiting" },
      you: { kind: "visitor", id: chat.visitorId, name: "Vera Visitor" },
      lastSeq: 0,
    });
    expect(welcome.participants).toEqual([
      { kind: "visitor", id: chat.visitorId, name: "Vera Visitor", lastReadSeq: 0, online: true },
    ]);
    expect(client.drain()).toEqual([]);
  });

  it("stores a message, acks the sender with its seq and delivers it to the others", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    const joined = await visitor.next("msg");
    expect(joined.message).toMatchObject({
      seq: 1,
      kind: "system",
      event: "join",
      author: { kind: "operator", name: "Ann" },
    });

    visitor.send({ type: "message", cid: "c1", text: "Hi, <b>is anyone</b> there?" });
    const ack = await visitor.next("ack");
    expect(ack).toMatchObject({ cid: "c1", seq: 2 });
    const received = await operator.next("msg");
    expect(received.message).toMatchObject({
      seq: 2,
      cid: "c1",
      kind: "text",
      event: null,
      author: { kind: "visitor", id: chat.visitorId },
      text: "Hi, <b>is anyone</b> there?",
    });
    expect(received.message.at).toBe(ack.at);

    operator.send({ type: "message", cid: "o1", text: "Yes, Ann here." });
    expect((await operator.next("ack")).seq).toBe(3);
    expect((await visitor.next("msg")).message).toMatchObject({
      seq: 3,
      author: { kind: "operator", name: "Ann" },
      text: "Yes, Ann here.",
    });
  });

  it("answers a resent cid with the original ack and never stores it twice", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    await visitor.next("msg"); // Ann joined
    visitor.send({ type: "message", cid: "same", text: "once" });
    const first = await visitor.next("ack");
    // parley.v2: the ack of a new message is short; the sender has the rest.
    expect(first).toEqual({ type: "ack", cid: "same", seq: 2, at: expect.any(Number) });
    visitor.send({ type: "message", cid: "same", text: "once" });
    // A resend gets the message as stored, under its first seq and time.
    expect(await visitor.next("ack")).toEqual({
      ...first,
      kind: "text",
      event: null,
      author: { kind: "visitor", id: chat.visitorId, name: "Vera Visitor" },
      text: "once",
    });
    visitor.send({ type: "message", cid: "next", text: "twice?" });
    expect((await visitor.next("ack")).seq).toBe(first.seq + 1);
    // Frames arrive in order, so if the resend had been broadcast it would come before "twice?".
    expect((await operator.next("msg")).message.text).toBe("once");
    expect((await operator.next("msg")).message.text).toBe("twice?");
    const history = await call(`/api/chats/${chat.chatId}/messages`, { token: ann });
    expect(texts((await history.json<HistoryPage>()).messages)).toEqual(["Ann joined the chat", "once", "twice?"]);
  });

  it("acks with the whole stored message on a parley.v1 socket, as before short acks", async () => {
    const chat = await startChat(account.id);
    const res = await upgrade(chat.chatId, chat.token, SOCKET_PROTOCOL_V1);
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBe(SOCKET_PROTOCOL_V1);
    res.webSocket!.accept();
    res.webSocket!.close(1000, "done");
    const { client: oldWidget, welcome } = await join(chat.chatId, chat.token, 0, SOCKET_PROTOCOL_V1);
    const { client: newWidget } = await join(chat.chatId, chat.token);
    oldWidget.send({ type: "message", cid: "v1", text: "From a page loaded before the update" });
    const whole = await oldWidget.next("ack");
    expect(whole).toEqual({
      type: "ack",
      seq: 1,
      cid: "v1",
      kind: "text",
      event: null,
      author: welcome.you,
      text: "From a page loaded before the update",
      at: expect.any(Number),
    });
    // The same visitor's other socket gets it as a msg; what a v2 client makes of a short ack is
    // that very message.
    const { message } = await newWidget.next("msg");
    const { type: _ack, ...stored } = whole;
    expect(message).toEqual(stored);
    newWidget.send({ type: "message", cid: "v2", text: "And from a new one" });
    const short = await newWidget.next("ack");
    const { message: seen } = await oldWidget.next("msg");
    expect(ackedMessage(short, { text: "And from a new one" }, welcome.you)).toEqual(seen);
    for (const c of [oldWidget, newWidget]) c.close();
  });

  it("keeps HTML as text", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const script = `<script>alert("x")</script> & <img src=x onerror=alert(1)>`;
    visitor.send({ type: "message", cid: "h", text: script });
    await visitor.next("ack");
    const operator = (await join(chat.chatId, ann)).client;
    expect((await operator.next("msg")).message.text).toBe(script);
  });
});

describe("reconnect and replay", () => {
  it("replays exactly what a reconnecting client missed, once and in order, then goes live", async () => {
    const chat = await startChat(account.id);
    const operator = await operatorJoins(chat.chatId, ann);
    const first = await join(chat.chatId, chat.token);
    const visitor = first.client;
    await visitor.next("msg"); // replay of Ann's join (seq 1)
    operator.send({ type: "message", cid: "a", text: "one" });
    expect((await visitor.next("msg")).message.seq).toBe(2);
    visitor.close();

    for (const [i, text] of ["two", "three", "four"].entries()) {
      operator.send({ type: "message", cid: `m${i}`, text });
      await operator.next("ack");
    }
    const again = await join(chat.chatId, chat.token, 2);
    expect(again.welcome.lastSeq).toBe(5);
    const replayed = [
      await again.client.next("msg"),
      await again.client.next("msg"),
      await again.client.next("msg"),
    ].map((f) => f.message);
    expect(replayed.map((m) => [m.seq, m.text])).toEqual([
      [3, "two"],
      [4, "three"],
      [5, "four"],
    ]);
    operator.send({ type: "message", cid: "live", text: "five" });
    expect((await again.client.next("msg")).message).toMatchObject({ seq: 6, text: "five" });
    expect(again.client.drain()).toEqual([]);
  });

  it("refuses a since beyond the chat's last seq", async () => {
    const chat = await startChat(account.id);
    const { client } = await join(chat.chatId, chat.token);
    client.send({ type: "hello", since: 99 });
    expect(await client.next("error")).toMatchObject({ code: "bad_seq" });
  });

  it("keeps the log and the sockets through hibernation", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    await visitor.next("msg");
    visitor.send({ type: "message", cid: "before", text: "before sleep" });
    await visitor.next("ack");
    await operator.next("msg");

    const stub = env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chat.chatId));
    await evictDurableObject(stub, { webSockets: "hibernate" });

    // Same sockets, woken object: identities come back from the attachments.
    visitor.send({ type: "message", cid: "after", text: "after sleep" });
    expect(await visitor.next("ack")).toMatchObject({ cid: "after", seq: 3 });
    expect((await operator.next("msg")).message).toMatchObject({
      seq: 3,
      text: "after sleep",
      author: { kind: "visitor", id: chat.visitorId },
    });
    // A duplicate of a message stored before the eviction is still recognised.
    visitor.send({ type: "message", cid: "before", text: "before sleep" });
    expect(await visitor.next("ack")).toMatchObject({ cid: "before", seq: 2 });
    const page = await (await call(`/api/chats/${chat.chatId}/messages`, { token: chat.token })).json<HistoryPage>();
    expect(texts(page.messages)).toEqual(["Ann joined the chat", "before sleep", "after sleep"]);
  });
});

describe("a visitor flooding a chat", () => {
  it("is limited to a burst and then a steady rate, stores nothing refused, and slows no one else", async () => {
    const flooded = await startChat(account.id);
    const flooder = (await join(flooded.chatId, flooded.token)).client;
    const operator = await operatorJoins(flooded.chatId, ann);
    const calm = await startChat(account.id);
    const neighbour = (await join(calm.chatId, calm.token)).client;

    for (let i = 0; i < 50; i++) flooder.send({ type: "message", cid: `flood-${i}`, text: `spam ${i}` });
    // Sent within milliseconds, so the bucket has no time to refill: the burst gets in, the rest not.
    const acked = new Set<string>();
    for (let i = 0; i < VISITOR_MESSAGE_BURST; i++) acked.add((await flooder.next("ack")).cid);
    const refused = new Map<string, number>();
    for (let i = 0; i < 50 - VISITOR_MESSAGE_BURST; i++) {
      const error = await flooder.next("error");
      expect(error.code).toBe("rate_limited");
      expect(error.retryAfterMs).toBeGreaterThan(0);
      refused.set(error.cid!, error.retryAfterMs!);
    }
    expect(acked.size).toBe(VISITOR_MESSAGE_BURST);
    expect(refused.size).toBe(50 - VISITOR_MESSAGE_BURST);
    expect(flooder.drain().filter((f) => f.type === "ack")).toEqual([]);

    // Another chat's visitor and this chat's operator are not slowed at all.
    for (let i = 0; i < 5; i++) neighbour.send({ type: "message", cid: `calm-${i}`, text: `hello ${i}` });
    for (let i = 0; i < 5; i++) expect((await neighbour.next("ack")).cid).toBe(`calm-${i}`);
    operator.send({ type: "message", cid: "staff", text: "Please slow down." });
    expect((await operator.next("ack")).cid).toBe("staff");

    // Refused messages were not stored; one sent again after its wait gets in.
    const page = await (
      await call(`/api/chats/${flooded.chatId}/messages`, { token: flooded.token })
    ).json<HistoryPage>();
    expect(page.messages.filter((m) => m.author.kind === "visitor")).toHaveLength(VISITOR_MESSAGE_BURST);
    const [cid, wait] = [...refused][0]!;
    await new Promise((resolve) => setTimeout(resolve, wait + 50));
    flooder.send({ type: "message", cid, text: "spam again" });
    expect((await flooder.next("ack")).cid).toBe(cid);
  });
});

describe("a busy chat evicted from memory again and again", () => {
  it("keeps every acknowledged message exactly once and in order, resends included", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    const stub = env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chat.chatId));
    const acked = new Map<string, number>();
    for (let round = 0; round < 20; round++) {
      // Both sides send; the last message of each is sent right before the eviction, so its ack
      // may or may not have left. Both are resent afterwards with the same cid, as clients do.
      const batch = [0, 1, 2].flatMap((i) => [
        { client: visitor, cid: `v${round}.${i}` },
        { client: operator, cid: `o${round}.${i}` },
      ]);
      for (const { client, cid } of batch) client.send({ type: "message", cid, text: `message ${cid}` });
      await evictDurableObject(stub, { webSockets: "hibernate" });
      for (const { client, cid } of batch.slice(-2)) client.send({ type: "message", cid, text: `message ${cid}` });
      for (const { client } of batch.concat(batch.slice(-2))) {
        const ack = await client.next("ack");
        const earlier = acked.get(ack.cid);
        if (earlier !== undefined) expect(ack.seq).toBe(earlier);
        acked.set(ack.cid, ack.seq);
      }
    }
    expect(acked.size).toBe(120);
    const log: ChatMessage[] = [];
    for (let after = 0; ;) {
      const page = await (
        await call(`/api/chats/${chat.chatId}/messages?after=${after}`, { token: chat.token })
      ).json<HistoryPage>();
      log.push(...page.messages);
      if (!page.hasMore) break;
      after = page.messages.at(-1)!.seq;
    }
    expect(log.map((m) => m.seq)).toEqual(log.map((_, i) => i + 1));
    const texts = log.filter((m) => m.kind === "text");
    expect(texts).toHaveLength(120);
    for (const m of texts) expect(acked.get(m.cid!)).toBe(m.seq);
  });
});

describe("the log's in-memory seq and cids", () => {
  it("rebuilds a room's table from before (UNIQUE index, AUTOINCREMENT) on wake, every row kept, resends still refused", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    await visitor.next("msg"); // Ann joined
    for (const cid of ["a", "b"]) {
      visitor.send({ type: "message", cid, text: `old ${cid}` });
      await visitor.next("ack");
    }
    const stub = env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chat.chatId));
    // Make the table what rooms had before: a unique index on (author_id, cid) and AUTOINCREMENT.
    await runInDurableObject(stub, (_room, state) => {
      const sql = state.storage.sql;
      sql.exec(`CREATE TABLE old_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        cid TEXT, kind TEXT NOT NULL, event TEXT,
        author_kind TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL,
        text TEXT NOT NULL, at INTEGER NOT NULL, file TEXT, via TEXT,
        UNIQUE (author_id, cid))`);
      sql.exec(
        "INSERT INTO old_messages SELECT seq, cid, kind, event, author_kind, author_id, author_name, text, at, file, via FROM messages",
      );
      sql.exec("DROP TABLE messages");
      sql.exec("ALTER TABLE old_messages RENAME TO messages");
    });
    await evictDurableObject(stub, { webSockets: "hibernate" });
    visitor.send({ type: "message", cid: "a", text: "old a" });
    expect(await visitor.next("ack")).toMatchObject({ cid: "a", seq: 2, text: "old a" });
    visitor.send({ type: "message", cid: "c", text: "new c" });
    expect(await visitor.next("ack")).toMatchObject({ cid: "c", seq: 4 });
    expect((await operator.next("msg")).message.text).toBe("old a");
    expect((await operator.next("msg")).message.text).toBe("old b");
    expect((await operator.next("msg")).message).toMatchObject({ seq: 4, text: "new c" });
    const schema = await runInDurableObject(stub, (_room, state) =>
      state.storage.sql
        .exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE tbl_name = 'messages'")
        .toArray()
        .map((r) => r.sql),
    );
    expect(schema).toHaveLength(1);
    expect(schema[0]).not.toMatch(/UNIQUE|AUTOINCREMENT/);
    const page = await (await call(`/api/chats/${chat.chatId}/messages`, { token: chat.token })).json<HistoryPage>();
    expect(page.messages.map((m) => [m.seq, m.text])).toEqual([
      [1, "Ann joined the chat"],
      [2, "old a"],
      [3, "old b"],
      [4, "new c"],
    ]);
  });

  it("takes neither a seq nor a cid for an append whose transaction rolled back", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    await operatorJoins(chat.chatId, ann);
    await visitor.next("msg"); // Ann joined
    const stub = env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chat.chatId));
    await runInDurableObject(stub, (room) => {
      const inside = room as unknown as {
        transaction(fn: () => void): void;
        log: { append(m: object): unknown };
      };
      expect(() =>
        inside.transaction(() => {
          inside.log.append({
            cid: "rolled",
            kind: "text",
            author: { kind: "visitor", id: chat.visitorId, name: "Vera" },
            text: "never stored",
            at: Date.now(),
          });
          throw new Error("rolled back");
        }),
      ).toThrow("rolled back");
    });
    visitor.send({ type: "message", cid: "rolled", text: "stored now" });
    expect(await visitor.next("ack")).toMatchObject({ cid: "rolled", seq: 2 });
    // Nor an event: the room's unsent messages in memory went with the rollback, so the search
    // index gets seq 2 as stored, never the text that was rolled back.
    const texts = () =>
      env.DB.prepare("SELECT seq, text FROM message_index WHERE chat_id = ? AND kind = 'text' ORDER BY seq")
        .bind(chat.chatId)
        .all<{ seq: number; text: string }>()
        .then((result) => result.results);
    expect(await eventually(texts, (rows) => rows.length > 0)).toEqual([{ seq: 2, text: "stored now" }]);
  });
});

describe("typing, read receipts, join, leave, close", () => {
  it("shows operators the visitor's draft and shows the visitor only that an operator is typing", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    await visitor.next("msg");
    visitor.send({ type: "typing", active: true, draft: "I have a quest" });
    expect(await operator.next("typing")).toEqual({
      type: "typing",
      from: { kind: "visitor", id: chat.visitorId, name: "Vera Visitor" },
      active: true,
      draft: "I have a quest",
    });
    operator.send({ type: "typing", active: true, draft: "private operator draft" });
    const notice = await visitor.next("typing");
    expect(notice).toEqual({
      type: "typing",
      from: { kind: "operator", id: `${account.id}_ann`, name: "Ann" },
      active: true,
    });
  });

  it("drops typing frames sent faster than the throttle allows", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    await visitor.next("msg");
    visitor.send({ type: "typing", active: true, draft: "a" });
    visitor.send({ type: "typing", active: true, draft: "ab" });
    visitor.send({ type: "typing", active: false });
    expect((await operator.next("typing")).draft).toBe("a");
    // The burst's middle frame is dropped; a stop is always delivered.
    expect(await operator.next("typing")).toMatchObject({ active: false });
    visitor.send({ type: "message", cid: "x", text: "done" });
    await operator.next("msg");
    expect(operator.drain().filter((f) => f.type === "typing")).toEqual([]);
  });

  it("records and broadcasts the last seq each participant has read", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    await visitor.next("msg");
    visitor.send({ type: "message", cid: "r", text: "read me" });
    await visitor.next("ack");
    await operator.next("msg");
    operator.send({ type: "read", seq: 2 });
    expect(await visitor.next("read")).toEqual({
      type: "read",
      from: { kind: "operator", id: `${account.id}_ann`, name: "Ann" },
      seq: 2,
    });
    operator.send({ type: "read", seq: 3 });
    expect(await operator.next("error")).toMatchObject({ code: "bad_seq" });
    const later = await join(chat.chatId, chat.token, 2);
    expect(later.welcome.participants.find((p) => p.kind === "operator")).toMatchObject({
      id: `${account.id}_ann`,
      lastReadSeq: 2,
      online: true,
    });
  });

  it("lets two operators and a visitor talk in one room, with joins and a leave as system messages", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const first = await operatorJoins(chat.chatId, ann);
    const second = await operatorJoins(chat.chatId, bob);
    expect((await visitor.next("msg")).message).toMatchObject({ event: "join", author: { name: "Ann" } });
    expect((await visitor.next("msg")).message).toMatchObject({ event: "join", author: { name: "Bob" } });
    expect((await first.next("msg")).message).toMatchObject({ event: "join", author: { name: "Bob" } });
    expect(first.drain()).toEqual([]);

    visitor.send({ type: "message", cid: "v", text: "hello both" });
    expect((await first.next("msg")).message.text).toBe("hello both");
    expect((await second.next("msg")).message.text).toBe("hello both");
    second.send({ type: "message", cid: "b", text: "Bob here" });
    expect((await first.next("msg")).message.text).toBe("Bob here");
    expect((await visitor.next("msg")).message.text).toBe("Bob here");

    second.send({ type: "leave" });
    expect((await visitor.next("msg")).message).toMatchObject({
      kind: "system",
      event: "leave",
      text: "Bob left the chat",
    });
    expect((await first.next("msg")).message).toMatchObject({ event: "leave" });
    await second.next("msg");
    await expect.poll(() => second.closed?.code).toBe(1000);

    // The chat index lists the operators in the chat now: Bob is out, Ann is still in.
    await expect
      .poll(async () =>
        (await (await call("/api/operator/chats", { token: bob })).json<ChatsResponse>()).chats.map((c) => c.id),
      )
      .not.toContain(chat.chatId);
    const annChats = await (await call("/api/operator/chats", { token: ann })).json<ChatsResponse>();
    expect(annChats.chats.find((c) => c.id === chat.chatId)).toMatchObject({
      status: "active",
      operatorIds: [`${account.id}_ann`],
    });
  });

  it("closes the chat for everyone and then refuses new messages with a clear error", async () => {
    const chat = await startChat(account.id);
    const visitor = (await join(chat.chatId, chat.token)).client;
    const operator = await operatorJoins(chat.chatId, ann);
    await visitor.next("msg");
    visitor.send({ type: "message", cid: "sent-before-close", text: "bye" });
    const sent = await visitor.next("ack");
    await operator.next("msg");
    visitor.send({ type: "close" });
    expect((await visitor.next("msg")).message).toMatchObject({
      kind: "system",
      event: "close",
      text: "Vera Visitor ended the chat",
    });
    expect((await operator.next("msg")).message).toMatchObject({ event: "close" });

    operator.send({ type: "message", cid: "late", text: "anyone?" });
    expect(await operator.next("error")).toMatchObject({ code: "chat_closed", cid: "late" });
    operator.send({ type: "close" });
    expect(await operator.next("error")).toMatchObject({ code: "chat_closed" });
    // A resend of a message that got in before the close is still acked, not refused.
    visitor.send({ type: "message", cid: "sent-before-close", text: "bye" });
    expect(await visitor.next("ack")).toMatchObject({ ...sent, text: "bye" });
    const again = await join(chat.chatId, chat.token);
    expect(again.welcome.chat.status).toBe("closed");
    await expect
      .poll(async () =>
        (await (await call(`/api/operator/chats?status=closed`, { token: ann })).json<ChatsResponse>()).chats.map(
          (c) => c.id,
        ),
      )
      .toContain(chat.chatId);
  });
});

describe("bad input gets an error frame, keeps the socket and stores nothing", () => {
  const cases: [string, string, string][] = [
    ["malformed JSON", "{not json", "bad_json"],
    ["a frame that is not an object", "[1,2]", "bad_frame"],
    ["an unknown frame type", JSON.stringify({ type: "shout", text: "hi" }), "unknown_type"],
    ["a frame without a type", JSON.stringify({ text: "hi" }), "unknown_type"],
    ["an empty message", JSON.stringify({ type: "message", cid: "e", text: "" }), "text_empty"],
    ["a message of only spaces", JSON.stringify({ type: "message", cid: "e", text: "   \n " }), "text_empty"],
    [
      "an over-long message",
      JSON.stringify({ type: "message", cid: "e", text: "x".repeat(MAX_TEXT_LENGTH + 1) }),
      "text_too_long",
    ],
    ["a message without a cid", JSON.stringify({ type: "message", text: "hi" }), "bad_frame"],
    [
      "a message with an unknown field",
      JSON.stringify({ type: "message", cid: "e", text: "hi", html: "<b>" }),
      "bad_frame",
    ],
    ["a text that is a number", JSON.stringify({ type: "message", cid: "e", text: 5 }), "bad_frame"],
    ["a negative since", JSON.stringify({ type: "hello", since: -1 }), "bad_seq"],
    ["a visitor trying to leave", JSON.stringify({ type: "leave" }), "forbidden"],
  ];

  it.each(cases)("%s", async (_name, raw, code) => {
    const chat = await startChat(account.id);
    const { client } = await join(chat.chatId, chat.token);
    client.sendRaw(raw);
    expect(await client.next("error")).toMatchObject({ code, message: expect.any(String) });
    client.send({ type: "message", cid: "ok", text: "still here" });
    expect(await client.next("ack")).toMatchObject({ cid: "ok", seq: 1 });
    const page = await (await call(`/api/chats/${chat.chatId}/messages`, { token: chat.token })).json<HistoryPage>();
    expect(texts(page.messages)).toEqual(["still here"]);
  });

  it("accepts a message of exactly the limit", async () => {
    const chat = await startChat(account.id);
    const { client } = await join(chat.chatId, chat.token);
    client.send({ type: "message", cid: "max", text: "y".repeat(MAX_TEXT_LENGTH) });
    expect(await client.next("ack")).toMatchObject({ seq: 1 });
  });

  it("asks for hello before any other frame", async () => {
    const chat = await startChat(account.id);
    const res = await upgrade(chat.chatId, chat.token);
    res.webSocket!.accept();
    const client = new ChatClient(res.webSocket!);
    client.send({ type: "message", cid: "early", text: "hi" });
    expect(await client.next("error")).toMatchObject({ code: "hello_required", cid: "early" });
    client.send({ type: "hello", since: 0 });
    expect((await client.next("welcome")).lastSeq).toBe(0);
  });

  it("answers the keepalive ping without involving the room", async () => {
    const chat = await startChat(account.id);
    const { client } = await join(chat.chatId, chat.token);
    client.sendRaw('{"type":"ping"}');
    expect(await client.next("pong")).toEqual({ type: "pong" });
  });
});
