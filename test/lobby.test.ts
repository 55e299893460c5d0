// The account's lobby: presence, department queues, and the race to accept a waiting chat.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { LobbyServerFrame } from "../src/shared/lobby-protocol.ts";
import type { CannedResponsesResponse, Problem } from "../src/shared/protocol.ts";
import { database } from "../src/server/db/index.ts";
import { cannedResponses } from "../src/server/db/schema.ts";
import {
  call,
  ChatClient,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  upgrade,
  type SeededAccount,
} from "./helpers.ts";

let account: SeededAccount;
let other: SeededAccount;
const tokens: Record<"owner" | "ann" | "bob" | "stranger", string> = { owner: "", ann: "", bob: "", stranger: "" };

beforeAll(async () => {
  [account, other] = await Promise.all([seedAccount("lobby"), seedAccount("elsewhere")]);
  tokens.owner = (await login(account.emails.owner)).token;
  tokens.ann = (await login(account.emails.ann)).token; // Sales
  tokens.bob = (await login(account.emails.bob)).token; // Support
  tokens.stranger = (await login(other.emails.ann)).token;
});

type LobbyClient = ChatClient<LobbyServerFrame>;

async function openLobby(token: string | undefined): Promise<Response> {
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  return exports.default.fetch(
    new Request(`https://parley.test/ws/lobby${query}`, { headers: { Upgrade: "websocket" } }),
  );
}

/** Connects to the lobby and sets the presence (the lobby remembers it between tests), then
 * returns the client with an empty queue and the snapshot for that presence. */
async function enterLobby(token: string, online = true) {
  const res = await openLobby(token);
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  const client: LobbyClient = new ChatClient<LobbyServerFrame>(res.webSocket!);
  let snapshot = await client.next("lobby");
  const wanted = online ? "online" : "away";
  if (snapshot.you.status !== wanted) {
    client.send({ type: "presence", status: wanted });
    await client.next("presence");
    if (online) snapshot = await client.next("lobby");
    else snapshot = { ...snapshot, you: { ...snapshot.you, status: "away" }, waiting: [] };
  }
  return { client, snapshot };
}

function accept(chatId: string, token: string) {
  return call(`/api/operator/chats/${chatId}/accept`, { method: "POST", token });
}

describe("presence", () => {
  it("starts away, goes online, is remembered, and is seen by the others", async () => {
    const watcher = (await enterLobby(tokens.owner)).client;
    const first = await enterLobby(tokens.bob, false);
    expect(first.snapshot.you).toMatchObject({
      id: `${account.id}_bob`,
      status: "away",
      connected: true,
      departmentIds: [`${account.id}_support`],
    });
    expect(first.snapshot.waiting).toEqual([]);
    expect((await watcher.next("presence")).operator).toMatchObject({
      id: `${account.id}_bob`,
      status: "away",
      connected: true,
    });

    first.client.send({ type: "presence", status: "online" });
    expect((await watcher.next("presence")).operator).toMatchObject({ id: `${account.id}_bob`, status: "online" });
    first.client.close();
    expect((await watcher.next("presence")).operator).toMatchObject({ id: `${account.id}_bob`, connected: false });

    const res = await openLobby(tokens.bob);
    res.webSocket!.accept();
    const again = new ChatClient<LobbyServerFrame>(res.webSocket!);
    expect((await again.next("lobby")).you.status).toBe("online");
    expect((await watcher.next("presence")).operator).toMatchObject({
      id: `${account.id}_bob`,
      status: "online",
      connected: true,
    });
    again.send({ type: "presence", status: "away" });
    expect((await watcher.next("presence")).operator).toMatchObject({
      id: `${account.id}_bob`,
      status: "away",
      connected: true,
    });
  });

  it("answers bad lobby frames with an error and keeps the socket", async () => {
    const { client } = await enterLobby(tokens.owner);
    client.sendRaw("nope");
    expect(await client.next("error")).toMatchObject({ code: "bad_json" });
    client.send({ type: "presence", status: "asleep" });
    expect(await client.next("error")).toMatchObject({ code: "bad_frame" });
    client.send({ type: "accept", chatId: "x" });
    expect(await client.next("error")).toMatchObject({ code: "unknown_type" });
    client.send({ type: "presence", status: "online" });
    expect((await client.next("lobby")).you.status).toBe("online");
  });

  it("lets only the account's operators in", async () => {
    const chat = await startChat(account.id);
    expect((await openLobby(undefined)).status).toBe(401);
    expect((await openLobby(chat.token)).status).toBe(403);
    // An API key is never taken from a URL (401); by header it is known, and still not an operator.
    expect((await openLobby(account.apiKey)).status).toBe(401);
    const byHeader = await call("/ws/lobby", { token: account.apiKey, headers: { Upgrade: "websocket" } });
    expect(byHeader.status).toBe(403);
    await byHeader.arrayBuffer();
    const plain = await call(`/ws/lobby?token=${tokens.ann}`);
    expect(plain.status).toBe(426);
    await plain.arrayBuffer();
    // Another account's operator lands in their own account's lobby and sees none of this one.
    const foreign = await enterLobby(tokens.stranger);
    expect(foreign.snapshot.operators.map((op) => op.id).every((id) => id.startsWith(other.id))).toBe(true);
    expect(foreign.snapshot.waiting.map((w) => w.chatId)).not.toContain(chat.chatId);
  });
});

describe("presence stays honest", () => {
  it("closes a console socket that stopped pinging and reports that operator gone", async () => {
    const watcher = (await enterLobby(tokens.ann)).client;
    const silent = (await enterLobby(tokens.bob)).client;
    const pinging = (await enterLobby(tokens.owner)).client;
    watcher.drain();
    const stub = env.LOBBY.get(env.LOBBY.idFromName(account.id));
    // Pretend every socket connected long ago; only the one that pings now shows a sign of life.
    await runInDurableObject(stub, (_lobby, state) => {
      for (const ws of state.getWebSockets())
        ws.serializeAttachment({ ...ws.deserializeAttachment(), connectedAt: Date.now() - 10 * 60_000 });
    });
    pinging.sendRaw('{"type":"ping"}');
    await pinging.next("pong");
    watcher.sendRaw('{"type":"ping"}');
    await watcher.next("pong");

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await expect.poll(() => silent.closed?.code).toBe(1001);
    expect(pinging.closed).toBeUndefined();
    // Earlier presence notices may still be queued; the last word on Bob must be "gone".
    let bob;
    do bob = (await watcher.next("presence")).operator;
    while (bob.id !== `${account.id}_bob` || bob.connected);
    expect(bob).toMatchObject({ connected: false });
    expect(
      watcher
        .drain()
        .filter((f) => f.type === "presence" && f.operator.id === `${account.id}_bob` && f.operator.connected),
    ).toEqual([]);
  });
});

describe("waiting chats", () => {
  it("reach the online operators of the chat's department, live and in the snapshot", async () => {
    const sales = (await enterLobby(tokens.ann)).client;
    const support = (await enterLobby(tokens.bob)).client;
    const away = (await enterLobby(tokens.owner, false)).client;
    const chat = await startChat(account.id, { departmentId: account.salesId, name: "Sally" });
    expect((await sales.next("waiting")).chat).toMatchObject({
      chatId: chat.chatId,
      departmentId: account.salesId,
      visitorName: "Sally",
    });
    // Anyone-chats go to everyone online; the frame order proves the sales chat was not sent first.
    const anyone = await startChat(account.id, { name: "Andy" });
    expect((await support.next("waiting")).chat.chatId).toBe(anyone.chatId);
    expect((await sales.next("waiting")).chat.chatId).toBe(anyone.chatId);
    expect(away.drain().filter((f) => f.type === "waiting")).toEqual([]);

    away.send({ type: "presence", status: "online" });
    const snapshot = await away.next("lobby");
    expect(snapshot.waiting.map((w) => w.chatId)).toEqual(expect.arrayContaining([chat.chatId, anyone.chatId]));
    const late = await enterLobby(tokens.bob);
    expect(late.snapshot.waiting.map((w) => w.chatId)).toContain(anyone.chatId);
    expect(late.snapshot.waiting.map((w) => w.chatId)).not.toContain(chat.chatId);
  });

  it("go to exactly one of two operators accepting at once", async () => {
    const annLobby = (await enterLobby(tokens.ann)).client;
    const ownerLobby = (await enterLobby(tokens.owner)).client;
    const chat = await startChat(account.id, { departmentId: account.salesId });
    const visitor = (await join(chat.chatId, chat.token)).client;
    await annLobby.next("waiting");

    const [a, b] = await Promise.all([accept(chat.chatId, tokens.ann), accept(chat.chatId, tokens.owner)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = a.status === 200 ? { res: a, id: `${account.id}_ann` } : { res: b, id: `${account.id}_owner` };
    const loser = a.status === 200 ? b : a;
    expect(await winner.res.json()).toEqual({ chatId: chat.chatId, acceptedBy: winner.id });
    expect(await loser.json<Problem>()).toMatchObject({ status: 409, code: "already_taken" });

    for (const lobby of [annLobby, ownerLobby]) {
      expect(await lobby.next("dequeued")).toMatchObject({ chatId: chat.chatId, by: { id: winner.id } });
    }
    // The visitor sees exactly one operator arrive.
    expect((await visitor.next("msg")).message).toMatchObject({
      kind: "system",
      event: "join",
      author: { id: winner.id },
    });
    visitor.send({ type: "message", cid: "after-accept", text: "thanks" });
    await visitor.next("ack");
    expect(visitor.drain().filter((f) => f.type === "msg")).toEqual([]);
    expect((await enterLobby(tokens.ann)).snapshot.waiting.map((w) => w.chatId)).not.toContain(chat.chatId);
  });

  it("refuses an accept outside the operator's departments or account", async () => {
    const chat = await startChat(account.id, { departmentId: account.salesId });
    const outside = await accept(chat.chatId, tokens.bob);
    expect(outside.status).toBe(403);
    await outside.arrayBuffer();
    const foreign = await accept(chat.chatId, tokens.stranger);
    expect(foreign.status).toBe(403);
    await foreign.arrayBuffer();
    // Nor can it be taken by joining it directly, over the socket or the join route.
    const socket = await upgrade(chat.chatId, tokens.bob);
    expect(socket.status).toBe(403);
    expect(socket.webSocket).toBeNull();
    await socket.arrayBuffer();
    const joined = await call(`/api/operator/chats/${chat.chatId}/join`, { method: "POST", token: tokens.bob });
    expect(joined.status).toBe(403);
    await joined.arrayBuffer();
    expect((await accept(chat.chatId, tokens.ann)).status).toBe(200);
    // Once it is under way, any operator of the account may join it to help.
    const helping = await call(`/api/operator/chats/${chat.chatId}/join`, { method: "POST", token: tokens.bob });
    expect(helping.status).toBe(200);
    await helping.arrayBuffer();
  });

  it("leave the queue when an operator joins directly or the visitor closes", async () => {
    const lobby = (await enterLobby(tokens.ann)).client;
    const joined = await startChat(account.id);
    await lobby.next("waiting");
    await operatorJoins(joined.chatId, tokens.owner);
    expect(await lobby.next("dequeued")).toMatchObject({ chatId: joined.chatId, by: { id: `${account.id}_owner` } });

    const closed = await startChat(account.id);
    await lobby.next("waiting");
    const visitor = (await join(closed.chatId, closed.token)).client;
    visitor.send({ type: "close" });
    expect(await lobby.next("dequeued")).toEqual({ type: "dequeued", chatId: closed.chatId, by: null });
    const late = await accept(closed.chatId, tokens.ann);
    expect(late.status).toBe(409);
    await late.arrayBuffer();
  });
});

describe("canned responses for the console", () => {
  it("merges company, the operator's departments and the operator's own, in that order", async () => {
    const t = cannedResponses;
    await database(env.DB)
      .insert(t)
      .values([
        {
          id: "cr_support",
          accountId: account.id,
          level: "department",
          ownerId: `${account.id}_support`,
          title: "Support line",
          text: "Call us.",
          position: 0,
        },
        {
          id: "cr_bob",
          accountId: account.id,
          level: "operator",
          ownerId: `${account.id}_bob`,
          title: "Bob's sign-off",
          text: "Bob out.",
          position: 0,
        },
        {
          id: "cr_company_first",
          accountId: account.id,
          level: "company",
          ownerId: null,
          title: "Welcome",
          text: "Welcome!",
          position: -1,
        },
      ]);
    const list = async (token: string) =>
      (await (await call("/api/operator/canned-responses", { token })).json<CannedResponsesResponse>()).responses;

    const bob = await list(tokens.bob);
    expect(bob.map((r) => [r.level, r.title])).toEqual([
      ["company", "Welcome"],
      ["company", "Greeting"],
      ["company", "Goodbye"],
      ["department", "Support line"],
      ["operator", "Bob's sign-off"],
    ]);
    const owner = await list(tokens.owner);
    expect(owner.map((r) => r.level)).toEqual(["company", "company", "company", "department", "operator"]);
    expect(owner.find((r) => r.level === "department")?.title).toBe("Sales hours");
    expect(owner.find((r) => r.level === "operator")?.title).toBe("Checking");
    const ann = await list(tokens.ann);
    expect(ann.map((r) => r.title)).not.toContain("Checking");
    expect(ann.map((r) => r.title)).not.toContain("Bob's sign-off");
    const stranger = await list(tokens.stranger);
    expect(stranger.map((r) => r.title)).not.toContain("Welcome");
    const byVisitor = await call("/api/operator/canned-responses", { token: (await startChat(account.id)).token });
    expect(byVisitor.status).toBe(403);
    await byVisitor.arrayBuffer();
  });
});
