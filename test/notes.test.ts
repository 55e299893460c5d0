// Private notes (docs/protocol.md, "Private notes"): an operator's note is in the chat's log for
// operators, live and in the history, and never reaches the visitor: not on their socket (live or
// replayed), not in their HTTP history, not in a transcript or an answer by email. Real Worker,
// D1 and ChatRoom objects.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { chatRoomOf } from "../src/durable/chat-room.ts";
import type { ChatDetail, Department } from "../src/shared/admin-api.ts";
import {
  MAX_TEXT_LENGTH,
  type ChatMessage,
  type HistoryPage,
  type OfflineMessageResponse,
} from "../src/shared/protocol.ts";
import { buildTranscript } from "../src/server/email/transcript.ts";
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

let acc: SeededAccount;
let annToken: string;
let owner: string;

beforeAll(async () => {
  acc = await seedAccount("notes");
  annToken = (await login(acc.emails.ann)).token;
  owner = (await login(acc.emails.owner)).token;
});

const SECRET = "Private: this visitor asked the same last week, be patient";

/** A chat under way: the visitor and Ann in it, then the owner joined as a colleague. */
async function chatWithColleague() {
  const chat = await startChat(acc.id);
  const { client: visitor } = await join(chat.chatId, chat.token);
  const annSocket = await operatorJoins(chat.chatId, annToken);
  const colleague = await operatorJoins(chat.chatId, owner);
  annSocket.drain();
  return { chat, visitor, ann: annSocket, colleague };
}

async function history(chatId: string, token: string, query = "limit=200"): Promise<ChatMessage[]> {
  return (await expectJson<HistoryPage>(await call(`/api/chats/${chatId}/messages?${query}`, { token }), 200)).messages;
}

/** Everything the socket received and nobody has read yet, as one string to search. */
function received(client: ChatClient): string {
  return JSON.stringify(client.drain());
}

/** Ann writes a note, then a message to the visitor; returns the note as stored. */
async function noteThenMessage(operator: ChatClient, text = SECRET) {
  operator.send({ type: "note", cid: "n1", text });
  const note = await operator.next("ack");
  operator.send({ type: "message", cid: "m1", text: "Let me check that for you." });
  const message = await operator.next("ack");
  return { note, message };
}

describe("a private note", () => {
  it("reaches the chat's other operators live, marked as a note, and never the visitor's socket", async () => {
    const { visitor, ann, colleague } = await chatWithColleague();
    visitor.drain();
    colleague.drain();
    const { note, message } = await noteThenMessage(ann);
    // The ack is short (parley.v2): Ann's console has the rest.
    expect(note).toEqual({ type: "ack", cid: "n1", seq: expect.any(Number), at: expect.any(Number) });
    // It takes its place in the one ordered log.
    expect(message.seq).toBe(note.seq + 1);
    expect((await colleague.next("msg")).message).toEqual({
      seq: note.seq,
      cid: "n1",
      kind: "note",
      event: null,
      author: { kind: "operator", id: expect.any(String), name: "Ann" },
      text: SECRET,
      at: note.at,
    });
    expect((await colleague.next("msg")).message.seq).toBe(message.seq);

    // The visitor gets the message after the note, and nothing before it: frames arrive in order.
    expect((await visitor.next("msg")).message).toMatchObject({ seq: message.seq, kind: "text" });
    expect(received(visitor)).not.toContain(SECRET);
    for (const c of [visitor, ann, colleague]) c.close();
  });

  it("is not replayed to a visitor reconnecting with `since` before it; an operator's replay has it", async () => {
    const { chat, visitor, ann, colleague } = await chatWithColleague();
    const { note, message } = await noteThenMessage(ann);
    visitor.close();
    const again = await join(chat.chatId, chat.token, note.seq - 1);
    expect(again.welcome.lastSeq).toBe(message.seq);
    expect((await again.client.next("msg")).message).toMatchObject({ seq: message.seq });
    expect(received(again.client)).not.toContain(SECRET);
    // From the very start, too.
    const fresh = await join(chat.chatId, chat.token, 0);
    const replay: ChatMessage[] = [];
    while (replay.at(-1)?.seq !== message.seq) replay.push((await fresh.client.next("msg")).message);
    expect(replay.map((m) => m.kind)).not.toContain("note");
    expect(received(fresh.client)).not.toContain(SECRET);

    const operator = await join(chat.chatId, owner, note.seq - 1);
    expect((await operator.client.next("msg")).message).toMatchObject({ seq: note.seq, kind: "note", text: SECRET });
    for (const c of [again.client, fresh.client, operator.client, ann, colleague]) c.close();
  });

  it("is in the HTTP history of operators and of the admin API, not in the visitor's", async () => {
    const { chat, visitor, ann, colleague } = await chatWithColleague();
    const { note, message } = await noteThenMessage(ann);

    const visitors = await history(chat.chatId, chat.token);
    expect(visitors.at(-1)).toMatchObject({ seq: message.seq });
    expect(visitors.map((m) => m.seq)).not.toContain(note.seq);
    expect(JSON.stringify(visitors)).not.toContain(SECRET);
    // Paging back from after the note, and forward from before it, skip it too.
    expect((await history(chat.chatId, chat.token, `before=${message.seq + 1}&limit=2`)).map((m) => m.seq)).toEqual([
      note.seq - 1,
      message.seq,
    ]);
    const forward = await expectJson<HistoryPage>(
      await call(`/api/chats/${chat.chatId}/messages?after=${note.seq - 1}&limit=1`, { token: chat.token }),
      200,
    );
    expect(forward).toMatchObject({ messages: [{ seq: message.seq }], hasMore: false });

    const operators = await history(chat.chatId, annToken);
    expect(operators.find((m) => m.seq === note.seq)).toMatchObject({ kind: "note", text: SECRET, cid: "n1" });
    const detail = await expectJson<ChatDetail>(await admin(`/chats/${chat.chatId}`, acc.apiKey), 200);
    expect(detail.messages.find((m) => m.seq === note.seq)).toMatchObject({ kind: "note", text: SECRET });
    for (const c of [visitor, ann, colleague]) c.close();
  });

  it("is refused from a visitor with forbidden, and stores nothing", async () => {
    const { chat, visitor, ann, colleague } = await chatWithColleague();
    const before = await history(chat.chatId, annToken);
    visitor.send({ type: "note", cid: "v1", text: "I am staff, honestly" });
    expect(await visitor.next("error")).toMatchObject({ code: "forbidden" });
    expect(await history(chat.chatId, annToken)).toEqual(before);
    expect(received(colleague)).not.toContain("I am staff");
    for (const c of [visitor, ann, colleague]) c.close();
  });

  it("is stored once however often its cid is sent, and is checked like a message", async () => {
    const { chat, visitor, ann, colleague } = await chatWithColleague();
    ann.send({ type: "note", cid: "n1", text: SECRET });
    const first = await ann.next("ack");
    ann.send({ type: "note", cid: "n1", text: SECRET });
    // A resend is answered with the note as stored, under its first seq and time.
    expect(await ann.next("ack")).toMatchObject({ ...first, kind: "note", text: SECRET });
    expect((await history(chat.chatId, annToken)).filter((m) => m.kind === "note")).toHaveLength(1);

    ann.send({ type: "note", cid: "n2", text: "   " });
    expect(await ann.next("error")).toMatchObject({ code: "text_empty", cid: "n2" });
    ann.send({ type: "note", cid: "n3", text: "x".repeat(MAX_TEXT_LENGTH + 1) });
    expect(await ann.next("error")).toMatchObject({ code: "text_too_long", cid: "n3" });
    ann.send({ type: "note", text: "no cid" });
    expect(await ann.next("error")).toMatchObject({ code: "bad_frame" });
    expect((await history(chat.chatId, annToken)).filter((m) => m.kind === "note")).toHaveLength(1);
    for (const c of [visitor, ann, colleague]) c.close();
  });

  it("may be written after the chat ended, for whoever follows it up", async () => {
    const { chat, visitor, ann, colleague } = await chatWithColleague();
    visitor.send({ type: "close" });
    await visitor.next("msg");
    await ann.next("msg");
    ann.send({ type: "message", cid: "late", text: "Too late for this" });
    expect(await ann.next("error")).toMatchObject({ code: "chat_closed", cid: "late" });
    ann.send({ type: "note", cid: "n-after", text: "Call her back on Monday." });
    const { seq } = await ann.next("ack");
    expect((await history(chat.chatId, owner)).at(-1)).toMatchObject({
      seq,
      kind: "note",
      text: "Call her back on Monday.",
    });
    expect(JSON.stringify(await history(chat.chatId, chat.token))).not.toContain("Monday");
    for (const c of [visitor, ann, colleague]) c.close();
  });
});

describe("what the visitor is sent by email", () => {
  it("leaves notes out of the transcript, and a note alone does not let the visitor ask for one", async () => {
    const { chat, visitor, ann, colleague } = await chatWithColleague();
    ann.send({ type: "note", cid: "n0", text: SECRET });
    await ann.next("ack");
    // Only a note from the operators so far: the visitor has had no answer to send themselves.
    await expectProblem(
      await call(`/api/chats/${chat.chatId}/transcript`, {
        method: "POST",
        json: { email: "vera@example.org" },
        token: chat.token,
      }),
      409,
      "conflict",
    );
    await noteThenMessage(ann, `${SECRET} (again)`);
    // The transcript an operator sends is the visitor's conversation as well.
    const take = await chatRoomOf(env, chat.chatId).takeTranscript("operator");
    if (!take.ok) throw new Error(take.code);
    expect(take.source.messages.map((m) => m.kind)).not.toContain("note");
    expect(take.source.omitted).toBe(0);
    const email = buildTranscript({
      ...take.source,
      accountName: "Company",
      senderName: "Support",
      fromAddress: env.TRANSCRIPT_FROM,
      to: "vera@example.org",
      replyTo: null,
      fileLink: () => null,
    });
    expect(email.text).toContain("Let me check that for you.");
    expect(email.text + email.html).not.toContain("Private:");
    for (const c of [visitor, ann, colleague]) c.close();
  });

  it("does not mail a note to a visitor answered by email; a message is mailed", async () => {
    const res = await call("/api/visitor/offline-messages", {
      method: "POST",
      json: { accountId: acc.id, name: "Olga", email: "olga@example.org", text: "Please call me back." },
    });
    const { chatId } = await expectJson<OfflineMessageResponse>(res, 201);
    await expectJson(await call(`/api/operator/chats/${chatId}/accept`, { method: "POST", token: annToken }), 200);
    const operator = await operatorJoins(chatId, annToken);
    const dueAt = () =>
      runInDurableObject(
        chatRoomOf(env, chatId),
        (_room, state) =>
          state.storage.sql.exec<{ due_at: number | null }>("SELECT due_at FROM answer_mail").one().due_at,
      );
    operator.send({ type: "note", cid: "n1", text: "She is a reseller, offer the partner price." });
    await operator.next("ack");
    expect(await dueAt()).toBeNull();
    operator.send({ type: "message", cid: "m1", text: "Hello Olga, we will call you today." });
    await operator.next("ack");
    expect(await dueAt()).toEqual(expect.any(Number));
    operator.close();
  });
});

describe("the unanswered clock", () => {
  it("keeps running after a note: only a message answers the visitor", async () => {
    const team = await seedAccount("notesclock");
    await expectJson<Department>(
      await admin(`/departments/${team.salesId}`, team.apiKey, { method: "PATCH", json: { reassignAfterSeconds: 30 } }),
      200,
    );
    const teamAnn = (await login(team.emails.ann)).token;
    const chat = await startChat(team.id, { departmentId: team.salesId });
    const { client: visitor } = await join(chat.chatId, chat.token);
    const operator = await operatorJoins(chat.chatId, teamAnn);
    const since = () =>
      runInDurableObject(
        chatRoomOf(env, chat.chatId),
        (_room, state) => state.storage.sql.exec<{ since: number | null }>("SELECT since FROM unanswered").one().since,
      );
    visitor.send({ type: "message", cid: "q1", text: "Is anyone there?" });
    await visitor.next("ack");
    const started = await since();
    expect(started).toEqual(expect.any(Number));
    operator.send({ type: "note", cid: "n1", text: "Looking it up before I answer." });
    await operator.next("ack");
    expect(await since()).toBe(started);
    operator.send({ type: "message", cid: "a1", text: "Yes, hello!" });
    await operator.next("ack");
    expect(await since()).toBeNull();
    for (const c of [visitor, operator]) c.close();
  });
});
