// Routing of waiting chats (docs/routing.md): the automatic modes ring one operator at a time,
// move on when they decline or let it ring out, open the chat to everyone once all have passed,
// respect capacities and serve the oldest chat first. Real Worker, real Lobby, real rooms.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Department, Operator, OperatorCreated, Settings } from "../src/shared/admin-api.ts";
import type { LobbyServerFrame, WaitingChat } from "../src/shared/lobby-protocol.ts";
import { lobbyOf } from "../src/durable/lobby-address.ts";
import { chatRoomOf } from "../src/durable/chat-room.ts";
import type { UnansweredClock } from "../src/durable/unanswered.ts";
import {
  admin,
  call,
  ChatClient,
  expectJson,
  expectProblem,
  join,
  login,
  onlineLobby,
  operatorJoins,
  PASSWORD,
  seedAccount,
  startChat,
} from "./helpers.ts";

type LobbyClient = ChatClient<LobbyServerFrame>;

/** An account whose Sales department has three operators (the owner stays offline throughout). */
async function salesTeam(tag: string, routingMode: Department["routingMode"]) {
  const account = await seedAccount(tag);
  const dep = await expectJson<Department>(
    await admin(`/departments/${account.salesId}`, account.apiKey, { method: "PATCH", json: { routingMode } }),
    200,
  );
  expect(dep).toMatchObject({ routingMode, ringTimeoutSeconds: 30 });
  const extra = async (name: string) => {
    const created = await expectJson<OperatorCreated>(
      await admin("/operators", account.apiKey, {
        method: "POST",
        json: {
          email: `${name.toLowerCase()}@${tag}.test`,
          name,
          password: PASSWORD,
          departmentIds: [account.salesId],
        },
      }),
      201,
    );
    return created.operator;
  };
  const [carl, dora] = [await extra("Carl"), await extra("Dora")];
  const ann = `${account.id}_ann`;
  const tokens: Record<string, string> = {
    [ann]: (await login(account.emails.ann)).token,
    [carl.id]: (await login(`carl@${tag}.test`)).token,
    [dora.id]: (await login(`dora@${tag}.test`)).token,
  };
  return { account, ids: { ann, carl: carl.id, dora: dora.id }, tokens };
}

/** The next card of this chat a console is sent. */
async function cardOf(client: LobbyClient, chatId: string): Promise<WaitingChat> {
  for (;;) {
    const { chat } = await client.next("waiting");
    if (chat.chatId === chatId) return chat;
  }
}

/** Waits until this chat rings for someone (or opens to all) and returns the card. */
async function ringing(client: LobbyClient, chatId: string): Promise<WaitingChat> {
  for (;;) {
    const card = await cardOf(client, chatId);
    if (card.assignment?.offeredTo || card.assignment?.openToAll) return card;
  }
}

function accept(chatId: string, token: string) {
  return call(`/api/operator/chats/${chatId}/accept`, { method: "POST", token });
}

/** Makes every ring end now and runs the lobby's alarm, as the clock would. */
async function ringOut(accountId: string) {
  const stub = lobbyOf(env, accountId);
  await runInDurableObject(stub, (_, state) => {
    state.storage.sql.exec("UPDATE offers SET expires_at = ?", Date.now() - 1);
  });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}

describe("round robin", () => {
  let team: Awaited<ReturnType<typeof salesTeam>>;
  const consoles: Record<string, LobbyClient> = {};
  beforeAll(async () => {
    team = await salesTeam("rr", "round_robin");
    for (const [id, token] of Object.entries(team.tokens)) consoles[id] = (await onlineLobby(token)).client;
  });

  it("rings one operator at a time, in turn; the others see whom it rings for and may not take it", async () => {
    const offered: string[] = [];
    for (let i = 0; i < 3; i++) {
      const chat = await startChat(team.account.id, { departmentId: team.account.salesId });
      const card = await ringing(consoles[team.ids.ann]!, chat.chatId);
      expect(card.assignment).toMatchObject({ mode: "round_robin", openToAll: false });
      expect(card.assignment!.expiresAt! - Date.now()).toBeGreaterThan(25_000);
      offered.push(card.assignment!.offeredTo!.id);
      const others = Object.keys(team.tokens).filter((id) => id !== card.assignment!.offeredTo!.id);
      await expectProblem(await accept(chat.chatId, team.tokens[others[0]!]!), 409, "offered_elsewhere");
      expect((await accept(chat.chatId, team.tokens[card.assignment!.offeredTo!.id]!)).status).toBe(200);
    }
    // Each of the three once: whoever was offered a chat longest ago is next.
    expect(new Set(offered).size).toBe(3);
  });

  it("moves on when the operator declines, and opens the chat to all once everyone has passed", async () => {
    const chat = await startChat(team.account.id, { departmentId: team.account.salesId });
    const passed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const card = await ringing(consoles[team.ids.ann]!, chat.chatId);
      const to = card.assignment!.offeredTo!.id;
      expect(passed).not.toContain(to);
      passed.push(to);
      consoles[to]!.send({ type: "decline", chatId: chat.chatId });
    }
    const open = await ringing(consoles[team.ids.ann]!, chat.chatId);
    expect(open.assignment).toMatchObject({ openToAll: true, offeredTo: null });
    // Declining what does not ring for you is an error, and changes nothing.
    consoles[team.ids.carl]!.send({ type: "decline", chatId: chat.chatId });
    expect(await consoles[team.ids.carl]!.next("error")).toMatchObject({ code: "not_found" });
    expect((await accept(chat.chatId, team.tokens[team.ids.dora]!)).status).toBe(200);
  });

  it("passes a chat nobody answers on at the ring's end; two ring-outs in a row set the operator away", async () => {
    const first = await startChat(team.account.id, { departmentId: team.account.salesId });
    const card = await ringing(consoles[team.ids.ann]!, first.chatId);
    const sleeper = card.assignment!.offeredTo!.id;
    await ringOut(team.account.id);
    const next = await ringing(consoles[team.ids.ann]!, first.chatId);
    expect(next.assignment!.offeredTo!.id).not.toBe(sleeper);
    expect((await accept(first.chatId, team.tokens[next.assignment!.offeredTo!.id]!)).status).toBe(200);

    // The sleeper's turn comes again (everyone else has been offered one since); they sleep on.
    let second;
    let to;
    do {
      second = await startChat(team.account.id, { departmentId: team.account.salesId });
      to = (await ringing(consoles[team.ids.ann]!, second.chatId)).assignment!.offeredTo!.id;
      if (to !== sleeper) expect((await accept(second.chatId, team.tokens[to]!)).status).toBe(200);
    } while (to !== sleeper);
    const colleague = consoles[sleeper === team.ids.ann ? team.ids.carl : team.ids.ann]!;
    colleague.drain();
    await ringOut(team.account.id);
    expect(await consoles[sleeper]!.next("set_away")).toEqual({ type: "set_away", reason: "missed_offers", missed: 2 });
    let presence;
    do presence = (await colleague.next("presence")).operator;
    while (presence.id !== sleeper);
    expect(presence.status).toBe("away");
    const moved = await ringing(colleague, second.chatId);
    expect(moved.assignment!.offeredTo!.id).not.toBe(sleeper);
    expect((await accept(second.chatId, team.tokens[moved.assignment!.offeredTo!.id]!)).status).toBe(200);
  });
});

describe("capacity, least busy and first in, first out", () => {
  it("never offers an operator more than their capacity, gives the freed place to the oldest chat, and refuses an accept beyond it", async () => {
    const team = await salesTeam("cap", "least_busy");
    const settings = await expectJson<Settings>(
      await admin("/settings", team.account.apiKey, { method: "PATCH", json: { maxChatsPerOperator: 1 } }),
      200,
    );
    expect(settings.maxChatsPerOperator).toBe(1);
    // Dora may take two.
    const dora = await expectJson<Operator>(
      await admin(`/operators/${team.ids.dora}`, team.account.apiKey, { method: "PATCH", json: { maxChats: 2 } }),
      200,
    );
    expect(dora.maxChats).toBe(2);
    const consoles: Record<string, LobbyClient> = {};
    for (const [id, token] of Object.entries(team.tokens)) consoles[id] = (await onlineLobby(token)).client;
    const watcher = consoles[team.ids.ann]!;

    // Four places in all (1 + 1 + 2): four chats are given out, the fifth and sixth wait.
    const holders = new Map<string, string>();
    const chats = [];
    for (let i = 0; i < 6; i++) chats.push(await startChat(team.account.id, { departmentId: team.account.salesId }));
    for (const chat of chats.slice(0, 4)) {
      const to = (await ringing(watcher, chat.chatId)).assignment!.offeredTo!.id;
      expect((await accept(chat.chatId, team.tokens[to]!)).status).toBe(200);
      holders.set(chat.chatId, to);
    }
    expect([...holders.values()].filter((id) => id === team.ids.dora)).toHaveLength(2);
    const rows = await runInDurableObject(lobbyOf(env, team.account.id), (_, state) =>
      state.storage.sql.exec<{ chat_id: string }>("SELECT chat_id FROM offers").toArray(),
    );
    expect(rows).toEqual([]);

    // Carl ends his chat: his place goes to the fifth chat (the older), not the sixth.
    const carlsChat = [...holders].find(([, id]) => id === team.ids.carl)![0];
    const carl = await operatorJoins(carlsChat, team.tokens[team.ids.carl]!);
    carl.send({ type: "close" });
    const fifth = await ringing(watcher, chats[4]!.chatId);
    expect(fifth.assignment!.offeredTo!.id).toBe(team.ids.carl);
    // Ann is full: she may not take the sixth even once it is open to all.
    await expectProblem(await accept(chats[5]!.chatId, team.tokens[team.ids.ann]!), 409, "offered_elsewhere");
  });

  it("in the everyone mode still shows a full operator the queue, and refuses their accept with at_capacity", async () => {
    const team = await salesTeam("capall", "everyone");
    await admin(`/operators/${team.ids.ann}`, team.account.apiKey, { method: "PATCH", json: { maxChats: 1 } });
    const ann = (await onlineLobby(team.tokens[team.ids.ann]!)).client;
    const one = await startChat(team.account.id, { departmentId: team.account.salesId });
    expect((await cardOf(ann, one.chatId)).assignment).toBeUndefined();
    expect((await accept(one.chatId, team.tokens[team.ids.ann]!)).status).toBe(200);
    const two = await startChat(team.account.id, { departmentId: team.account.salesId });
    expect((await cardOf(ann, two.chatId)).chatId).toBe(two.chatId);
    await expectProblem(await accept(two.chatId, team.tokens[team.ids.ann]!), 409, "at_capacity");
    expect((await accept(two.chatId, team.tokens[team.ids.carl]!)).status).toBe(200);
  });

  it("least busy rings the operator with the fewest chats", async () => {
    const team = await salesTeam("busy", "least_busy");
    const consoles: Record<string, LobbyClient> = {};
    for (const [id, token] of Object.entries(team.tokens)) consoles[id] = (await onlineLobby(token)).client;
    const watcher = consoles[team.ids.ann]!;
    // Carl and Dora take one chat each; the third goes to Ann, the one with none.
    const load = new Map<string, number>();
    for (let i = 0; i < 3; i++) {
      const chat = await startChat(team.account.id, { departmentId: team.account.salesId });
      const to = (await ringing(watcher, chat.chatId)).assignment!.offeredTo!.id;
      expect(load.get(to) ?? 0).toBe(0);
      load.set(to, 1);
      expect((await accept(chat.chatId, team.tokens[to]!)).status).toBe(200);
    }
    const fourth = await startChat(team.account.id, { departmentId: team.account.salesId });
    expect((await ringing(watcher, fourth.chatId)).assignment!.mode).toBe("least_busy");
  });
});

describe("settings", () => {
  it("refuses routing settings out of range with the field named, and applies a change to chats waiting now", async () => {
    const team = await salesTeam("cfg", "round_robin");
    const path = `/departments/${team.account.salesId}`;
    for (const json of [{ ringTimeoutSeconds: 4 }, { ringTimeoutSeconds: 301 }, { routingMode: "random" }]) {
      const problem = await expectProblem(
        await admin(path, team.account.apiKey, { method: "PATCH", json }),
        422,
        "validation_failed",
      );
      expect(problem.fields?.map((f) => f.path)).toEqual([Object.keys(json)[0]]);
    }
    await expectProblem(
      await admin(`/operators/${team.ids.ann}`, team.account.apiKey, { method: "PATCH", json: { maxChats: 0 } }),
      422,
      "validation_failed",
    );
    const ann = (await onlineLobby(team.tokens[team.ids.ann]!)).client;
    const chat = await startChat(team.account.id, { departmentId: team.account.salesId });
    expect((await ringing(ann, chat.chatId)).assignment!.offeredTo!.id).toBe(team.ids.ann);
    // Back to everyone: the ring stops, any member may accept.
    await admin(path, team.account.apiKey, { method: "PATCH", json: { routingMode: "everyone" } });
    let card;
    do card = await cardOf(ann, chat.chatId);
    while (card.assignment);
    expect((await accept(chat.chatId, team.tokens[team.ids.carl]!)).status).toBe(200);
  });

  it("misses a chat after its department's longest wait", async () => {
    const team = await salesTeam("wait", "round_robin");
    await admin(`/departments/${team.account.salesId}`, team.account.apiKey, {
      method: "PATCH",
      json: { maxWaitSeconds: 45 },
    });
    const before = Date.now();
    const chat = await startChat(team.account.id, { departmentId: team.account.salesId });
    const at = await runInDurableObject(
      lobbyOf(env, team.account.id),
      (_, state) =>
        state.storage.sql.exec<{ at: number }>("SELECT at FROM queue_deadlines WHERE chat_id = ?", chat.chatId).one()
          .at,
    );
    expect(at - before).toBeGreaterThanOrEqual(45_000);
    expect(at - before).toBeLessThan(50_000);
  });
});

describe("unanswered reassignment", () => {
  /** Makes the visitor's silence as old as the department allows, and runs the room's alarm. */
  async function silenceRunsOut(chatId: string) {
    const room = chatRoomOf(env, chatId);
    await runInDurableObject(room, (instance, state) => {
      state.storage.sql.exec("UPDATE unanswered SET since = since - 60000");
      // The room keeps the clock in memory once read (as after a wake-up, it reads it again).
      (instance as unknown as { unanswered: UnansweredClock }).unanswered.forget();
    });
    expect(await runDurableObjectAlarm(room)).toBe(true);
  }

  it("offers a chat whose visitor got no answer in time to another operator, who joins with the history", async () => {
    const team = await salesTeam("unans", "round_robin");
    const dep = await expectJson<Department>(
      await admin(`/departments/${team.account.salesId}`, team.account.apiKey, {
        method: "PATCH",
        json: { reassignAfterSeconds: 30 },
      }),
      200,
    );
    expect(dep.reassignAfterSeconds).toBe(30);
    const consoles: Record<string, LobbyClient> = {};
    for (const [id, token] of Object.entries(team.tokens)) consoles[id] = (await onlineLobby(token)).client;
    const chat = await startChat(team.account.id, { departmentId: team.account.salesId });
    const first = (await ringing(consoles[team.ids.ann]!, chat.chatId)).assignment!.offeredTo!.id;
    expect((await accept(chat.chatId, team.tokens[first]!)).status).toBe(200);
    const holder = await operatorJoins(chat.chatId, team.tokens[first]!);
    const { client: visitor } = await join(chat.chatId, chat.token);
    visitor.send({ type: "message", cid: "q1", text: "Is anyone there?" });
    await visitor.next("ack");

    const watcher = consoles[first === team.ids.ann ? team.ids.carl : team.ids.ann]!;
    watcher.drain();
    await silenceRunsOut(chat.chatId);
    const card = await ringing(watcher, chat.chatId);
    expect(card.unanswered).toBe(true);
    const next = card.assignment!.offeredTo!.id;
    expect(next).not.toBe(first);
    await expectProblem(await accept(chat.chatId, team.tokens[first]!), 409, "offered_elsewhere");
    expect((await accept(chat.chatId, team.tokens[next]!)).status).toBe(200);
    // The new operator reads what the visitor asked; the first one is still in the chat.
    const { client: helper } = await join(chat.chatId, team.tokens[next]!);
    let text;
    do text = (await helper.next("msg")).message;
    while (text.kind !== "text");
    expect(text.text).toBe("Is anyone there?");
    let joined;
    do joined = (await holder.next("msg")).message;
    while (joined.event !== "join" || joined.author.id !== next);
  });

  it("takes the offer back when an operator in the chat answers first, and stays off by default", async () => {
    const team = await salesTeam("unans2", "everyone");
    await admin(`/departments/${team.account.salesId}`, team.account.apiKey, {
      method: "PATCH",
      json: { reassignAfterSeconds: 30 },
    });
    const carl = (await onlineLobby(team.tokens[team.ids.carl]!)).client;
    const chat = await startChat(team.account.id, { departmentId: team.account.salesId });
    expect((await accept(chat.chatId, team.tokens[team.ids.ann]!)).status).toBe(200);
    const ann = await operatorJoins(chat.chatId, team.tokens[team.ids.ann]!);
    const { client: visitor } = await join(chat.chatId, chat.token);
    visitor.send({ type: "message", cid: "q1", text: "Hello?" });
    await visitor.next("ack");
    carl.drain();
    await silenceRunsOut(chat.chatId);
    expect((await cardOf(carl, chat.chatId)).unanswered).toBe(true);
    ann.send({ type: "message", cid: "a1", text: "Sorry, here I am." });
    let gone;
    do gone = await carl.next("dequeued");
    while (gone.chatId !== chat.chatId);
    expect(gone.by).toMatchObject({ id: team.ids.ann });

    // Another department, at its default (off): the alarm passes nothing on.
    const support = await startChat(team.account.id, { departmentId: `${team.account.id}_support` });
    const bob = (await login(team.account.emails.bob)).token;
    expect((await accept(support.chatId, bob)).status).toBe(200);
    const { client: supportVisitor } = await join(support.chatId, support.token);
    supportVisitor.send({ type: "message", cid: "q1", text: "Hello?" });
    await supportVisitor.next("ack");
    const state = await runInDurableObject(chatRoomOf(env, support.chatId), (_, s) =>
      s.storage.sql.exec("SELECT after_ms, since FROM unanswered").toArray(),
    );
    expect(state).toEqual([{ after_ms: null, since: null }]);
  });
});
