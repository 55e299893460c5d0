// What a new team meets in its first hour (issue 11), at the protocol level in the Workers
// runtime: anonymous visitors get a name to tell them apart, waiting cards carry the visitor's
// first message, and an operator's answer to an offline message is mailed to the visitor.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { chatRoomOf } from "../src/durable/chat-room.ts";
import type { LobbyServerFrame } from "../src/shared/lobby-protocol.ts";
import type { OfflineMessageResponse, VisitorSessionResponse } from "../src/shared/protocol.ts";
import {
  call,
  ChatClient,
  expectJson,
  join,
  login,
  onlineLobby,
  operatorJoins,
  seedAccount,
  type SeededAccount,
} from "./helpers.ts";

let acc: SeededAccount;
let ann = "";

beforeAll(async () => {
  acc = await seedAccount("dayone");
  ann = (await login(acc.emails.ann)).token;
});

async function anonymousChat() {
  const res = await call("/api/visitor/sessions", { method: "POST", json: { accountId: acc.id } });
  return expectJson<VisitorSessionResponse>(res, 201);
}

describe("anonymous visitors", () => {
  it("are named 'Visitor NNNN', the same in the queue and the chat, and differently from each other", async () => {
    const { client: lobby } = await onlineLobby(ann);
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const chat = await anonymousChat();
      const waiting = await (lobby as ChatClient<LobbyServerFrame>).next("waiting");
      expect(waiting.chat.visitorName).toMatch(/^Visitor \d{4}$/);
      const { client, welcome } = await join(chat.chatId, chat.token);
      expect(welcome.you.name).toBe(waiting.chat.visitorName);
      client.close();
      names.add(waiting.chat.visitorName);
    }
    expect(names.size).toBeGreaterThan(1);
    lobby.close();
  });
});

describe("waiting cards", () => {
  it("show the visitor's first message once they wrote it, to a console already open and one opened later", async () => {
    const { client: lobby } = await onlineLobby(ann);
    const chat = await anonymousChat();
    expect((await (lobby as ChatClient<LobbyServerFrame>).next("waiting")).chat.firstMessage).toBeUndefined();
    const { client: visitor } = await join(chat.chatId, chat.token);
    visitor.send({ type: "message", cid: "m1", text: "Do you ship <b>to</b> Austria?" });
    await visitor.next("ack");
    const update = await (lobby as ChatClient<LobbyServerFrame>).next("waiting");
    expect(update.chat).toMatchObject({ chatId: chat.chatId, firstMessage: "Do you ship <b>to</b> Austria?" });
    // The second message does not replace it.
    visitor.send({ type: "message", cid: "m2", text: "And to Italy?" });
    await visitor.next("ack");
    const later = await onlineLobby(ann);
    expect(later.snapshot.waiting.find((w) => w.chatId === chat.chatId)?.firstMessage).toBe(
      "Do you ship <b>to</b> Austria?",
    );
    later.client.close();
    lobby.close();
    visitor.close();
  });
});

describe("answers to an offline message", () => {
  async function offlineChat() {
    const res = await call("/api/visitor/offline-messages", {
      method: "POST",
      json: { accountId: acc.id, name: "Olga", email: "olga@example.org", text: "Please call me back." },
    });
    const { chatId } = await expectJson<OfflineMessageResponse>(res, 201);
    await expectJson(await call(`/api/operator/chats/${chatId}/accept`, { method: "POST", token: ann }), 200);
    return chatId;
  }
  const mailState = (chatId: string) =>
    runInDurableObject(chatRoomOf(env, chatId), async (_room, state) => ({
      alarm: await state.storage.getAlarm(),
      row: state.storage.sql
        .exec<{ email: string; mailed_seq: number; due_at: number | null }>(
          "SELECT email, mailed_seq, due_at FROM answer_mail",
        )
        .toArray()[0],
    }));

  it("are mailed to the visitor: one email for a burst of lines, after the operator wrote", async () => {
    const chatId = await offlineChat();
    expect((await mailState(chatId)).alarm).toBeNull();
    const operator = await operatorJoins(chatId, ann);
    operator.send({ type: "message", cid: "a1", text: "Hello Olga," });
    const first = await operator.next("ack");
    const pending = await mailState(chatId);
    expect(pending.row).toMatchObject({ email: "olga@example.org", due_at: expect.any(Number) });
    expect(pending.alarm).toBe(pending.row!.due_at);
    operator.send({ type: "message", cid: "a2", text: "we will call you today." });
    const second = await operator.next("ack");
    // The second line joins the pending email rather than setting another time.
    expect((await mailState(chatId)).alarm).toBe(pending.alarm);
    expect(second.seq).toBeGreaterThan(first.seq);

    // Time passes: the pending email falls due (30 s in production), and the alarm runs.
    await runInDurableObject(
      chatRoomOf(env, chatId),
      (_room, state) => void state.storage.sql.exec("UPDATE answer_mail SET due_at = ?", Date.now() - 1),
    );
    expect(await runDurableObjectAlarm(chatRoomOf(env, chatId))).toBe(true);
    const sent = await mailState(chatId);
    expect(sent.row).toMatchObject({ mailed_seq: second.seq, due_at: null });
    // The alarm is set again only for the sockets' token ends (hours away), not for another email.
    expect(sent.alarm === null || sent.alarm > Date.now() + 60_000).toBe(true);
    operator.close();
  });

  it("are not mailed while the visitor is in the widget, and a chat without an address mails nothing", async () => {
    const chat = await anonymousChat();
    const { client: visitor } = await join(chat.chatId, chat.token);
    const operator = await operatorJoins(chat.chatId, ann);
    operator.send({ type: "message", cid: "a1", text: "Hi!" });
    await operator.next("ack");
    expect((await mailState(chat.chatId)).row).toBeUndefined();
    visitor.close();
    operator.close();
  });
});
