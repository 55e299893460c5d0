// A seeded random walk through the real Lobby: operators come and go, go away and online,
// accept, decline and let chats ring out; chats arrive and end; capacities change. After every
// step two promises of routing (docs/routing.md) are checked against the Lobby's own state:
//
// 1. no chat of an automatic department waits, ringing for nobody, while an available member
//    with spare capacity has not passed it;
// 2. nobody is given a chat (offered or accepted) beyond their capacity.
//
// The seed is printed when a check fails; ROUTING_SEED=<n> replays that walk.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { OperatorCreated } from "../src/shared/admin-api.ts";
import type { LobbyServerFrame } from "../src/shared/lobby-protocol.ts";
import { lobbyOf } from "../src/durable/lobby-address.ts";
import { admin, ChatClient, connectLobby, expectJson, login, PASSWORD, seedAccount } from "./helpers.ts";

const STEPS = 2500;

/** mulberry32: small, fast and good enough to pick actions reproducibly. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    below: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)],
  };
}

type SimOperator = {
  id: string;
  name: string;
  token: string;
  departmentIds: string[];
  maxChats: number | null;
  client: ChatClient<LobbyServerFrame> | null;
};

/** What the Lobby holds, read inside it. */
type LobbyState = {
  waiting: { chatId: string; departmentId: string | null }[];
  offers: Map<string, string>;
  passes: Set<string>;
  openToAll: Set<string>;
  staffing: { chatId: string; operatorId: string }[];
  available: Set<string>;
  connected: Set<string>;
};

it(`keeps its promises through ${STEPS} random steps`, { timeout: 240_000 }, async () => {
  const seed = Number(env.ROUTING_SEED ?? "") || Date.now() % 1_000_000;
  const rnd = random(seed);
  const account = await seedAccount("sim");
  const sales = account.salesId;
  const support = `${account.id}_support`;
  await admin(`/departments/${sales}`, account.apiKey, { method: "PATCH", json: { routingMode: "round_robin" } });
  await admin(`/departments/${support}`, account.apiKey, { method: "PATCH", json: { routingMode: "least_busy" } });
  const departmentsOf = [[sales], [sales], [sales, support], [support], [support], [sales, support]];
  const operators: SimOperator[] = [];
  for (const [i, departmentIds] of departmentsOf.entries()) {
    const email = `sim${i}@sim.test`;
    const created = await expectJson<OperatorCreated>(
      await admin("/operators", account.apiKey, {
        method: "POST",
        json: { email, name: `Sim ${i}`, password: PASSWORD, departmentIds },
      }),
      201,
    );
    const token = (await login(email)).token;
    operators.push({ id: created.operator.id, name: `Sim ${i}`, token, departmentIds, maxChats: null, client: null });
  }
  let defaultCapacity: number | null = 2;
  await admin("/settings", account.apiKey, { method: "PATCH", json: { maxChatsPerOperator: defaultCapacity } });
  const capacity = (op: SimOperator) => op.maxChats ?? defaultCapacity ?? Number.POSITIVE_INFINITY;
  const byId = new Map(operators.map((op) => [op.id, op]));
  const lobby = lobbyOf(env, account.id);

  const read = () =>
    runInDurableObject(lobby, (_, state): LobbyState => {
      const sql = state.storage.sql;
      const rows = <T extends Record<string, SqlStorageValue>>(query: string) => sql.exec<T>(query).toArray();
      const connected = new Set(
        state.getWebSockets("operators").map((ws) => (ws.deserializeAttachment() as { id: string }).id),
      );
      return {
        waiting: rows<{ chat_id: string; department_id: string | null }>(
          "SELECT chat_id, department_id FROM waiting",
        ).map((r) => ({ chatId: r.chat_id, departmentId: r.department_id })),
        offers: new Map(
          rows<{ chat_id: string; operator_id: string }>("SELECT * FROM offers").map((r) => [r.chat_id, r.operator_id]),
        ),
        passes: new Set(
          rows<{ chat_id: string; operator_id: string }>("SELECT * FROM passes").map(
            (r) => `${r.chat_id}|${r.operator_id}`,
          ),
        ),
        openToAll: new Set(rows<{ chat_id: string }>("SELECT chat_id FROM open_chats").map((r) => r.chat_id)),
        staffing: rows<{ chat_id: string; operator_id: string }>("SELECT * FROM staffing").map((r) => ({
          chatId: r.chat_id,
          operatorId: r.operator_id,
        })),
        available: new Set(
          rows<{ id: string }>("SELECT id FROM operators WHERE status = 'online'")
            .map((r) => r.id)
            .filter((id) => connected.has(id)),
        ),
        connected,
      };
    });

  const loads = (state: LobbyState) => {
    const load = new Map<string, number>();
    for (const { operatorId } of state.staffing) load.set(operatorId, (load.get(operatorId) ?? 0) + 1);
    for (const operatorId of state.offers.values()) load.set(operatorId, (load.get(operatorId) ?? 0) + 1);
    return load;
  };

  /** The broken promises in a state, in words; empty when it keeps them. */
  const broken = (state: LobbyState, before: Map<string, number>): string[] => {
    const load = loads(state);
    const problems: string[] = [];
    for (const chat of state.waiting) {
      if (state.offers.has(chat.chatId)) continue;
      for (const op of operators) {
        if (!state.available.has(op.id) || !op.departmentIds.includes(chat.departmentId!)) continue;
        if (state.passes.has(`${chat.chatId}|${op.id}`) || (load.get(op.id) ?? 0) >= capacity(op)) continue;
        problems.push(`${chat.chatId} waits while ${op.name} is free (load ${load.get(op.id) ?? 0}/${capacity(op)})`);
      }
    }
    for (const op of operators) {
      const now = load.get(op.id) ?? 0;
      if (now > (before.get(op.id) ?? 0) && now > capacity(op))
        problems.push(
          `${op.name} was given a chat beyond capacity (${before.get(op.id) ?? 0} → ${now}/${capacity(op)}: ` +
            `${state.staffing.filter((s) => s.operatorId === op.id).map((s) => s.chatId)} and offers ` +
            `${[...state.offers].filter(([, id]) => id === op.id).map(([chatId]) => chatId)})`,
        );
    }
    return problems;
  };

  /** Waits until the lobby has handled what a socket sent: its answer arrived. */
  const answered = async (client: ChatClient<LobbyServerFrame>, isAnswer: (frame: LobbyServerFrame) => boolean) => {
    for (let tries = 0; tries < 400; tries++) {
      if (client.drain().some(isAnswer)) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`seed ${seed}: the lobby did not answer`);
  };

  let chatNumber = 0;
  let version = 1;
  const actions: string[] = [];
  let state = await read();
  for (let step = 0; step < STEPS; step++) {
    const before = loads(state);
    const op = rnd.pick(operators)!;
    const roll = rnd.below(100);
    let action = "";
    if (roll < 10) {
      if (op.client) {
        op.client.close();
        op.client = null;
        // Handled once the lobby no longer counts the socket.
        for (let tries = 0; (await read()).connected.has(op.id); tries++)
          if (tries > 400) throw new Error(`seed ${seed}: ${op.name}'s console never closed`);
          else await new Promise((resolve) => setTimeout(resolve, 5));
        action = `${op.name} closes the console`;
      } else {
        const { client, snapshot } = await connectLobby(op.token);
        op.client = client;
        if (snapshot.you.status !== "online") {
          client.drain();
          client.send({ type: "presence", status: "online" });
          await answered(client, (f) => f.type === "presence" && f.operator.id === op.id);
        }
        action = `${op.name} opens the console`;
      }
    } else if (roll < 16 && op.client) {
      const status = rnd.chance(0.5) ? "online" : "away";
      op.client.drain();
      op.client.send({ type: "presence", status });
      await answered(op.client, (f) => f.type === "presence" && f.operator.id === op.id);
      action = `${op.name} goes ${status}`;
    } else if (roll < 38) {
      const chatId = `c_sim_${chatNumber++}`;
      const departmentId = rnd.chance(0.5) ? sales : support;
      await lobby.enqueue({ chatId, departmentId, visitorName: "Visitor", since: Date.now() }, account.id);
      action = `${chatId} arrives for ${departmentId === sales ? "Sales" : "Support"}`;
    } else if (roll < 60) {
      // Usually the operator it rings for answers; now and then someone else tries.
      const offered = [...state.offers];
      const [chatId, operatorId] =
        rnd.chance(0.8) && offered.length ? rnd.pick(offered)! : [rnd.pick(state.waiting)?.chatId, op.id];
      if (chatId) {
        const taker = byId.get(operatorId)!;
        const result = await lobby.accept(chatId, {
          id: taker.id,
          accountId: account.id,
          name: taker.name,
          role: "operator",
          departmentIds: taker.departmentIds,
        });
        // The room reports its operators once one joined, as ChatRoom does.
        if (result.ok) await lobby.chatStaffed(chatId, [taker.id], version++);
        action = `${taker.name} accepts ${chatId}: ${result.ok ? "ok" : result.code}`;
      }
    } else if (roll < 70) {
      const [chatId, operatorId] = rnd.pick([...state.offers]) ?? [];
      const decliner = operatorId ? byId.get(operatorId) : undefined;
      if (chatId && decliner?.client) {
        decliner.client.drain();
        decliner.client.send({ type: "decline", chatId });
        await answered(
          decliner.client,
          (f) => (f.type === "waiting" && f.chat.chatId === chatId) || f.type === "error" || f.type === "dequeued",
        );
        action = `${decliner.name} declines ${chatId}`;
      }
    } else if (roll < 78) {
      const [chatId] = rnd.pick([...state.offers]) ?? [];
      if (chatId) {
        await runInDurableObject(lobby, (_, s) => {
          s.storage.sql.exec("UPDATE offers SET expires_at = ? WHERE chat_id = ?", Date.now() - 1, chatId);
        });
        await runDurableObjectAlarm(lobby);
        action = `${chatId} rings out`;
      }
    } else if (roll < 92) {
      const active = rnd.pick(state.staffing);
      if (active) {
        await lobby.chatStaffed(active.chatId, [], version++);
        action = `${active.chatId} ends`;
      } else {
        const waiting = rnd.pick(state.waiting);
        if (waiting) {
          await lobby.dequeue(waiting.chatId, null);
          action = `${waiting.chatId} is left by its visitor`;
        }
      }
    } else if (roll < 96) {
      const maxChats = rnd.chance(0.3) ? null : 1 + rnd.below(3);
      await admin(`/operators/${op.id}`, account.apiKey, { method: "PATCH", json: { maxChats } });
      op.maxChats = maxChats;
      action = `${op.name}'s capacity becomes ${maxChats ?? "the default"}`;
    } else {
      defaultCapacity = rnd.chance(0.2) ? null : 1 + rnd.below(3);
      await admin("/settings", account.apiKey, { method: "PATCH", json: { maxChatsPerOperator: defaultCapacity } });
      action = `the default capacity becomes ${defaultCapacity ?? "none"}`;
    }
    if (action) actions.push(action);
    // Every step above waited for the lobby to handle it; a few tries cover its own follow-ups.
    let problems: string[] = [];
    for (let tries = 0; tries < 10; tries++) {
      state = await read();
      problems = broken(state, before);
      if (!problems.length) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (problems.length)
      expect.fail(`seed ${seed}, step ${step}: ${problems.join("; ")}\nlast steps:\n${actions.slice(-15).join("\n")}`);
  }
  for (const op of operators) op.client?.close();
  // The walk went everywhere it should: chats were given out, passed on and opened to all.
  expect(chatNumber).toBeGreaterThan(STEPS / 8);
  console.log(`routing simulation: seed ${seed}, ${STEPS} steps, ${chatNumber} chats`);
});
