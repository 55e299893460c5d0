// A long-lived socket is only as good as its holder's rights now (issue 12, items 2, 5 and the
// room's part of 6), tried as attacks in the Workers runtime: a deactivated operator, one whose
// password was reset, one who signed out, a token that ran out, and a client that floods the room
// with hellos and read receipts. Each attack says what it gets; none of them may read or write.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { chatRoomOf } from "../src/durable/chat-room.ts";
import { DEACTIVATED_CLOSE_CODE } from "../src/shared/lobby-protocol.ts";
import type { OperatorCreated } from "../src/shared/admin-api.ts";
import { signToken } from "../src/worker/auth/tokens.ts";
import { replyAddressFor } from "../src/server/email/reply-address.ts";
import {
  admin,
  call,
  ChatClient,
  connectLobby,
  deliverEmail,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  PASSWORD,
  seedAccount,
  startChat,
  upgrade,
  type SeededAccount,
} from "./helpers.ts";

const SESSION_ENDED = 4001;
let acc: SeededAccount;

beforeAll(async () => {
  acc = await seedAccount("sockets");
});

let made = 0;
/** A new operator of the account, signed in. */
async function newOperator(): Promise<{ id: string; email: string; token: string }> {
  const email = `op${++made}@sockets.test`;
  const { operator } = await expectJson<OperatorCreated>(
    await admin("/operators", acc.apiKey, {
      method: "POST",
      json: { email, name: `Op ${made}`, password: PASSWORD, departmentIds: [acc.salesId] },
    }),
    201,
  );
  return { id: operator.id, email, token: (await login(email)).token };
}

/** A chat socket that has not said hello. */
async function openSocket(chatId: string, token: string): Promise<ChatClient> {
  const res = await upgrade(chatId, token);
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  return new ChatClient(res.webSocket!);
}

const closedWith = (client: { closed: ChatClient["closed"] }) =>
  expect.poll(() => client.closed?.code, { timeout: 5000 });

describe("deactivation closes every socket of the operator", () => {
  it("in a chat they are in, in a colleague's chat they only opened, before hello, and in a closed chat", async () => {
    const dee = await newOperator();
    const theirs = await startChat(acc.id);
    const inTheirs = await operatorJoins(theirs.chatId, dee.token);
    const colleagues = await startChat(acc.id);
    const silent = await openSocket(colleagues.chatId, dee.token);
    const ended = await startChat(acc.id);
    const inEnded = await operatorJoins(ended.chatId, dee.token);
    inEnded.send({ type: "close" });
    await inEnded.next("msg");
    const lobby = await connectLobby(dee.token);

    await expectJson(
      await admin(`/operators/${dee.id}`, acc.apiKey, { method: "PATCH", json: { active: false } }),
      200,
    );
    for (const client of [inTheirs, silent, inEnded, lobby.client])
      await closedWith(client).toBe(DEACTIVATED_CLOSE_CODE);
  });

  it("and a socket the kick missed is refused at its next hello (the room asks D1)", async () => {
    const dee = await newOperator();
    const chat = await startChat(acc.id);
    const socket = await openSocket(chat.chatId, dee.token);
    // Deactivated behind the API's back: no kick reaches the room.
    await env.DB.prepare("UPDATE operators SET active = 0 WHERE id = ?").bind(dee.id).run();
    socket.send({ type: "hello", since: 0 });
    expect(await socket.next("error")).toMatchObject({ code: "deactivated" });
    await closedWith(socket).toBe(DEACTIVATED_CLOSE_CODE);
    // It got no welcome and no history.
    expect(socket.drain().map((f) => f.type)).not.toContain("welcome");
  });
});

describe("a password reset", () => {
  it("closes the operator's sockets, and an old socket's hello is refused", async () => {
    const eve = await newOperator();
    const chat = await startChat(acc.id);
    const inChat = await operatorJoins(chat.chatId, eve.token);
    const other = await startChat(acc.id);
    const idle = await openSocket(other.chatId, eve.token);
    await admin(`/operators/${eve.id}/password`, acc.apiKey, {
      method: "POST",
      json: { password: "a brand new password" },
    });
    await closedWith(inChat).toBe(SESSION_ENDED);
    await closedWith(idle).toBe(SESSION_ENDED);
    // A socket opened with the old token after all is refused at the door.
    expect((await upgrade(chat.chatId, eve.token)).status).toBe(401);
  });
});

describe("signing out", () => {
  it("refuses that session's token from then on and closes its sockets; the operator's other session goes on", async () => {
    const fay = await newOperator();
    const laptop = fay.token;
    const phone = (await login(fay.email)).token;
    const chat = await startChat(acc.id);
    const onLaptop = await operatorJoins(chat.chatId, laptop);
    const laptopLobby = await connectLobby(laptop);
    const phoneLobby = await connectLobby(phone);
    const onPhone = await operatorJoins(chat.chatId, phone);

    expect((await call("/api/operator/logout", { method: "POST", token: laptop })).status).toBe(204);
    await closedWith(onLaptop).toBe(SESSION_ENDED);
    await closedWith(laptopLobby.client).toBe(SESSION_ENDED);
    await expectProblem(await call("/api/operator/me", { token: laptop }), 401, "token_expired");
    expect((await upgrade(chat.chatId, laptop)).status).toBe(401);

    // The phone's session is another one.
    expect((await call("/api/operator/me", { token: phone })).status).toBe(200);
    onPhone.send({ type: "message", cid: "still-here", text: "Still here on my phone." });
    await onPhone.next("ack");
    expect(phoneLobby.client.closed).toBeUndefined();
    // Signing out twice, or with a token already refused, changes nothing more.
    await expectProblem(await call("/api/operator/logout", { method: "POST", token: laptop }), 401, "token_expired");
    onPhone.close();
    phoneLobby.client.close();
  });
});

describe("a token that runs out", () => {
  async function shortLivedOperatorToken(operatorId: string, seconds: number) {
    return (
      await signToken(
        {
          typ: "operator",
          acc: acc.id,
          sub: operatorId,
          role: "operator",
          name: "Short",
          ver: 0,
          sid: `s_short${++made}`,
        },
        env.AUTH_SECRET,
        seconds,
      )
    ).token;
  }

  it("closes the socket when the token ends, even one that stays silent and only listens", async () => {
    const gus = await newOperator();
    const chat = await startChat(acc.id);
    const { client: visitor } = await join(chat.chatId, chat.token);
    const listening = await join(chat.chatId, await shortLivedOperatorToken(gus.id, 2));
    const lasting = await operatorJoins(chat.chatId, gus.token);
    // The room's alarm is set for the token's end, and closes the socket then.
    await closedWith(listening.client).toBe(SESSION_ENDED);
    // What the visitor writes afterwards reaches the operator's lasting socket only.
    listening.client.drain();
    visitor.send({ type: "message", cid: "after", text: "Anyone still listening?" });
    expect((await lasting.next("msg")).message.text).toBe("Anyone still listening?");
    expect(listening.client.drain()).toEqual([]);
    // With the token over, the door is shut too.
    expect((await upgrade(chat.chatId, await shortLivedOperatorToken(gus.id, -1))).status).toBe(401);
    // And an alarm run with nothing due closes nothing else.
    await runDurableObjectAlarm(chatRoomOf(env, chat.chatId));
    expect(lasting.closed).toBeUndefined();
    visitor.close();
    lasting.close();
  });
});

describe("a chat reopened by an email reply", () => {
  it("closes the sockets of the operators who were in it, so none takes it back with a hello", async () => {
    const hal = await newOperator();
    const chat = await startChat(acc.id);
    const { client: visitor } = await join(chat.chatId, chat.token);
    const operator = await operatorJoins(chat.chatId, hal.token);
    visitor.send({ type: "close" });
    await operator.next("msg");
    const replyTo = await replyAddressFor(env.AUTH_SECRET!, chat.chatId, env.TRANSCRIPT_REPLY_DOMAIN);
    const raw = [
      "From: vera@example.org",
      `To: ${replyTo}`,
      "Subject: Re: chat",
      `Message-ID: <${crypto.randomUUID()}@example.org>`,
      "",
      "One more question.",
      "",
    ].join("\r\n");
    expect((await deliverEmail(replyTo, raw, { from: "vera@example.org" })).rejected).toBeUndefined();
    await closedWith(operator).toBe(1000);
    // The chat waits for an operator again, and Hal is no longer in it.
    const again = await join(chat.chatId, chat.token);
    expect(again.welcome.chat.status).toBe("waiting");
    expect(again.welcome.participants.map((p) => p.id)).not.toContain(hal.id);
    again.client.close();
    visitor.close();
  });
});

describe("a client flooding the room", () => {
  it("gets rate_limited for hello after a few, and for read receipts beyond a person's pace", async () => {
    const chat = await startChat(acc.id);
    const { client } = await join(chat.chatId, chat.token);
    client.send({ type: "message", cid: "m1", text: "Hello" });
    const { seq } = await client.next("ack");
    for (let i = 0; i < 8; i++) client.send({ type: "hello", since: seq });
    const limited = await client.next("error");
    expect(limited).toMatchObject({ code: "rate_limited", retryAfterMs: expect.any(Number) });
    for (let i = 0; i < 60; i++) client.send({ type: "read", seq });
    await expect
      .poll(() => client.drain().filter((f) => f.type === "error" && f.code === "rate_limited").length > 0)
      .toBe(true);
    client.close();
  });
});
