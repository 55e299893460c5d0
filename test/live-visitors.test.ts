// Live visitors in the Lobby (and its visitor shards), proactive invitations, transfer and a second operator.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  lobbyOf,
  lobbyShard,
  visitorShard,
  visitorShardCount,
  visitorShardIndex,
} from "../src/durable/lobby-address.ts";
import { visitorTag, VISITORS_TAG } from "../src/durable/lobby-visitors.ts";
import type { InvitationResponse, LobbyServerFrame, VisitorServerFrame } from "../src/shared/lobby-protocol.ts";
import type { ChatsResponse, HistoryPage, VisitorSessionResponse } from "../src/shared/protocol.ts";
import {
  call,
  ChatClient,
  expectProblem,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let account: SeededAccount;
let other: SeededAccount;
const tokens = { owner: "", ann: "", bob: "", stranger: "" };
let counter = 0;
const newVisitorId = () => `visitor-${Date.now().toString(36)}-${(counter++).toString().padStart(6, "0")}`;

beforeAll(async () => {
  [account, other] = await Promise.all([seedAccount("live"), seedAccount("liveother")]);
  tokens.owner = (await login(account.emails.owner)).token;
  tokens.ann = (await login(account.emails.ann)).token;
  tokens.bob = (await login(account.emails.bob)).token;
  tokens.stranger = (await login(other.emails.ann)).token;
});

function presenceUpgrade(
  accountId: string,
  visitorId: string,
  headers: Record<string, string> = { Upgrade: "websocket" },
) {
  return exports.default.fetch(
    new Request(`https://parley.test/ws/visitors?account=${accountId}&visitor=${visitorId}`, { headers }),
  );
}

async function visitorSocket(accountId: string, visitorId = newVisitorId(), page: Record<string, unknown> = {}) {
  const res = await presenceUpgrade(accountId, visitorId);
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  const client = new ChatClient<VisitorServerFrame>(res.webSocket!);
  client.send({
    type: "page",
    url: "https://shop.test/",
    title: "Shop",
    referrer: "https://search.test/?q=x",
    onSiteMs: 5000,
    chatting: false,
    ...page,
  });
  return { client, visitorId };
}

async function lobbySocket(token: string) {
  const res = await exports.default.fetch(
    new Request(`https://parley.test/ws/lobby?token=${encodeURIComponent(token)}`, {
      headers: { Upgrade: "websocket" },
    }),
  );
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  const client = new ChatClient<LobbyServerFrame>(res.webSocket!);
  await client.next("lobby");
  const { visitors } = await client.next("visitors");
  return { client, visitors };
}

/** Waits for the `visitor` notice about this visitor that satisfies `check`. */
async function visitorNotice(
  client: ChatClient<LobbyServerFrame>,
  visitorId: string,
  check: (v: Extract<LobbyServerFrame, { type: "visitor" }>["visitor"]) => boolean = () => true,
) {
  for (;;) {
    const { visitor } = await client.next("visitor");
    if (visitor.id === visitorId && check(visitor)) return visitor;
  }
}

const invite = (token: string, visitorId: string, text: string) =>
  call("/api/operator/invitations", { method: "POST", token, json: { visitorId, text } });

describe("the visitor presence socket", () => {
  it("is refused without an upgrade, with a malformed visitor id, for an unknown account or a site not allowed", async () => {
    await expectProblem(await presenceUpgrade(account.id, newVisitorId(), {}), 426, "upgrade_required");
    await expectProblem(await presenceUpgrade(account.id, "short"), 422, "validation_failed");
    await expectProblem(await presenceUpgrade("acc_nope", newVisitorId()), 404, "not_found");
    const res = await call(`/api/admin/v1/settings`, {
      method: "PATCH",
      token: other.apiKey,
      json: { allowedOrigins: ["https://allowed.test"] },
    });
    expect(res.status).toBe(200);
    await expectProblem(
      await presenceUpgrade(other.id, newVisitorId(), { Upgrade: "websocket", Origin: "https://evil.test" }),
      403,
      "forbidden",
    );
    expect(
      (await presenceUpgrade(other.id, newVisitorId(), { Upgrade: "websocket", Origin: "https://allowed.test" }))
        .status,
    ).toBe(101);
  });

  it("shows operators the visitor's page, its changes and the visitor leaving", async () => {
    const { client: lobby } = await lobbySocket(tokens.ann);
    const { client: visitor, visitorId } = await visitorSocket(account.id);
    const seen = await visitorNotice(lobby, visitorId);
    expect(seen).toMatchObject({
      url: "https://shop.test/",
      title: "Shop",
      referrer: "https://search.test/?q=x",
      chatting: false,
      chatId: null,
      invitation: null,
    });
    expect(Date.now() - seen.onSiteSince).toBeGreaterThanOrEqual(5000);

    // A console opened later gets everyone in its snapshot.
    const late = await lobbySocket(tokens.bob);
    expect(late.visitors.map((v) => v.id)).toContain(visitorId);

    visitor.send({
      type: "page",
      url: "https://shop.test/cart",
      title: "Cart",
      referrer: "",
      onSiteMs: 9000,
      chatting: true,
      chatId: "c_x",
    });
    expect(await visitorNotice(lobby, visitorId)).toMatchObject({
      url: "https://shop.test/cart",
      title: "Cart",
      chatting: true,
      chatId: "c_x",
    });

    visitor.send({ type: "page", url: 42 });
    expect(await visitor.next("error")).toMatchObject({ code: "bad_frame" });

    visitor.close();
    for (;;) if ((await lobby.next("visitor_left")).visitorId === visitorId) break;
    // Nothing of the visitor stays behind in the object that held them.
    await runInDurableObject(lobbyShard(env, account.id, visitorId), (_lobby, state) => {
      expect(state.getWebSockets(visitorTag(visitorId))).toHaveLength(0);
    });
  });

  it("cuts long URLs and titles instead of refusing them", async () => {
    const { client: lobby } = await lobbySocket(tokens.ann);
    const { visitorId } = await visitorSocket(account.id, newVisitorId(), {
      url: `https://shop.test/${"a".repeat(3000)}`,
      title: "T".repeat(1000),
    });
    const seen = await visitorNotice(lobby, visitorId);
    expect(seen.url.length).toBe(512);
    expect(seen.title.length).toBe(160);
  });
});

describe("a visitor who stops pinging", () => {
  it("is closed by the lobby's sweep, and the operators are told the visitor left", async () => {
    // An account of its own, so aging every socket of its lobby touches no other test's sockets.
    const swept = await seedAccount("livesweep");
    const { client: watcher } = await lobbySocket((await login(swept.emails.ann)).token);
    const silent = await visitorSocket(swept.id);
    const pinging = await visitorSocket(swept.id);
    for (const { visitorId } of [silent, pinging]) await visitorNotice(watcher, visitorId);
    // The visitors' objects (shards here) and the account's lobby (the watcher's console).
    const holders = new Map(
      [
        lobbyOf(env, swept.id),
        lobbyShard(env, swept.id, silent.visitorId),
        lobbyShard(env, swept.id, pinging.visitorId),
      ].map((stub) => [stub.id.toString(), stub]),
    );
    // Pretend every socket connected long ago; only those that ping now show a sign of life.
    for (const stub of holders.values()) {
      await runInDurableObject(stub, (_lobby, state) => {
        for (const ws of state.getWebSockets())
          ws.serializeAttachment({ ...ws.deserializeAttachment(), connectedAt: Date.now() - 10 * 60_000 });
      });
    }
    pinging.client.sendRaw('{"type":"ping"}');
    await pinging.client.next("pong");
    watcher.sendRaw('{"type":"ping"}');
    await watcher.next("pong");

    for (const stub of holders.values()) expect(await runDurableObjectAlarm(stub)).toBe(true);
    await expect.poll(() => silent.client.closed?.code).toBe(1001);
    expect(pinging.client.closed).toBeUndefined();
    expect(watcher.closed).toBeUndefined();
    let left;
    do left = await watcher.next("visitor_left");
    while (left.visitorId !== silent.visitorId);
    expect(watcher.drain().filter((f) => f.type === "visitor_left" && f.visitorId === pinging.visitorId)).toEqual([]);
    // A fresh console's snapshot agrees: the silent visitor is gone, the pinging one still there.
    const { visitors } = await lobbySocket((await login(swept.emails.bob)).token);
    expect(visitors.map((v) => v.id)).toEqual([pinging.visitorId]);
  });
});

describe("proactive invitations", () => {
  it("reach the visitor; the reply starts the chat with the operator in it and the invitation first", async () => {
    const { client: lobby } = await lobbySocket(tokens.ann);
    const { client: visitor, visitorId } = await visitorSocket(account.id);
    await visitorNotice(lobby, visitorId);

    const res = await invite(tokens.ann, visitorId, "Can I help you find something?");
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as InvitationResponse;
    const frame = await visitor.next("invitation");
    expect(frame.invitation).toMatchObject({
      id,
      operator: { id: `${account.id}_ann`, name: "Ann" },
      text: "Can I help you find something?",
    });
    expect(frame.invitation.ttlMs).toBeGreaterThan(100_000);
    expect(await visitorNotice(lobby, visitorId, (v) => v.invitation !== null)).toMatchObject({
      invitation: { id, operatorName: "Ann" },
    });

    const session = await startChat(account.id, { invitationId: id, name: "Ines" });
    expect(session.invitedBy).toEqual({ id: `${account.id}_ann`, name: "Ann" });
    const accepted = await lobby.next("invitation_accepted");
    expect(accepted).toMatchObject({ invitationId: id, visitorId, chatId: session.chatId, visitorName: "Ines" });

    const { client: chat, welcome } = await join(session.chatId, session.token);
    expect(welcome.chat.status).toBe("active");
    expect(welcome.participants.map((p) => p.id)).toContain(`${account.id}_ann`);
    const first = await chat.next("msg");
    const second = await chat.next("msg");
    expect([first.message.event, second.message.kind, second.message.author.name, second.message.text]).toEqual([
      "join",
      "text",
      "Ann",
      "Can I help you find something?",
    ]);
    chat.send({ type: "message", cid: "reply-1", text: "Yes, shoes" });
    expect((await chat.next("ack")).seq).toBe(3);

    // Not in the queue, and in Ann's chat list.
    const mine = (await (
      await call("/api/operator/chats?status=active", { token: tokens.ann })
    ).json()) as ChatsResponse;
    expect(mine.chats.map((c) => c.id)).toContain(session.chatId);
    // Used once: a second session with it is an ordinary waiting chat.
    const again = await startChat(account.id, { invitationId: id });
    expect(again.invitedBy).toBeUndefined();
    expect((await join(again.chatId, again.token)).welcome.chat.status).toBe("waiting");
  });

  it("expire: a late reply starts a normal waiting chat", async () => {
    const { visitorId, client: visitor } = await visitorSocket(account.id);
    const res = await invite(tokens.ann, visitorId, "Hello?");
    const { id } = (await res.json()) as InvitationResponse;
    await visitor.next("invitation");
    await runInDurableObject(lobbyShard(env, account.id, visitorId), (_lobby, state) => {
      state.storage.sql.exec("UPDATE invitations SET expires_at = ? WHERE id = ?", Date.now() - 1, id);
    });
    const session: VisitorSessionResponse = await startChat(account.id, { invitationId: id });
    expect(session.invitedBy).toBeUndefined();
    expect((await join(session.chatId, session.token)).welcome.chat.status).toBe("waiting");
  });

  it("are refused across accounts, for visitors not here, and for visitors already chatting", async () => {
    const { visitorId } = await visitorSocket(account.id);
    await expectProblem(await invite(tokens.stranger, visitorId, "Hi from elsewhere"), 404, "not_found");
    await expectProblem(await invite(tokens.ann, newVisitorId(), "Anyone?"), 404, "not_found");
    const res = await invite(tokens.ann, visitorId, "Hi");
    const { id } = (await res.json()) as InvitationResponse;
    // Another account's visitor cannot start a chat there with this invitation.
    await expectProblem(
      await call("/api/visitor/sessions", { method: "POST", json: { accountId: other.id, invitationId: id } }),
      404,
      "not_found",
    );
    await expectProblem(
      await call("/api/operator/invitations", {
        method: "POST",
        token: account.apiKey,
        json: { visitorId, text: "x" },
      }),
      403,
      "forbidden",
    );
    const { visitorId: busy } = await visitorSocket(account.id, newVisitorId(), { chatting: true, chatId: "c_busy" });
    await new Promise((r) => setTimeout(r, 50));
    await expectProblem(await invite(tokens.ann, busy, "Hi"), 409, "conflict");
  });
});

describe("transfer and a second operator", () => {
  async function chatWithOwner() {
    const session = await startChat(account.id, { name: "Tom" });
    const owner = await operatorJoins(session.chatId, tokens.owner);
    const { client: visitor } = await join(session.chatId, session.token);
    visitor.send({ type: "message", cid: "t1", text: "My order is late" });
    await owner.next("msg");
    await visitor.next("ack");
    visitor.drain(); // the replayed join
    return { session, owner, visitor };
  }

  it("to an operator: they get it with the whole history, a system message records it, the transferrer leaves", async () => {
    const { session, owner, visitor } = await chatWithOwner();
    const { client: bobLobby } = await lobbySocket(tokens.bob);
    const res = await call(`/api/operator/chats/${session.chatId}/transfer`, {
      method: "POST",
      token: tokens.owner,
      json: { operatorId: `${account.id}_bob` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ to: { kind: "operator", id: `${account.id}_bob`, name: "Bob" } });
    expect(await bobLobby.next("chat_assigned")).toMatchObject({
      chatId: session.chatId,
      visitorName: "Tom",
      by: { id: `${account.id}_owner` },
    });
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) texts.push((await visitor.next("msg")).message.text);
    expect(texts).toEqual([
      `Owner live transferred the chat to Bob`,
      "Bob joined the chat",
      "Owner live left the chat",
    ]);
    await expect.poll(() => owner.closed?.reason).toBe("transferred");

    const page = (await (
      await call(`/api/chats/${session.chatId}/messages`, { token: tokens.bob })
    ).json()) as HistoryPage;
    expect(page.messages.map((m) => m.text)).toContain("My order is late");
    const { welcome } = await join(session.chatId, tokens.bob);
    expect(welcome.participants.filter((p) => p.kind === "operator").map((p) => p.id)).toEqual([`${account.id}_bob`]);
    // The owner is out now: transferring again is not theirs to do.
    await expectProblem(
      await call(`/api/operator/chats/${session.chatId}/transfer`, {
        method: "POST",
        token: tokens.owner,
        json: { operatorId: `${account.id}_ann` },
      }),
      403,
      "forbidden",
    );
  });

  it("to a department: the chat waits again in that department's queue", async () => {
    const { session, visitor } = await chatWithOwner();
    const { client: annLobby } = await lobbySocket(tokens.ann);
    annLobby.send({ type: "presence", status: "online" });
    await annLobby.next("lobby");
    const res = await call(`/api/operator/chats/${session.chatId}/transfer`, {
      method: "POST",
      token: tokens.owner,
      json: { departmentId: account.salesId },
    });
    expect(res.status).toBe(200);
    for (;;) if ((await annLobby.next("waiting")).chat.chatId === session.chatId) break;
    expect((await visitor.next("msg")).message.text).toBe("Owner live transferred the chat to Sales");
    expect(
      (await call(`/api/operator/chats/${session.chatId}/accept`, { method: "POST", token: tokens.ann })).status,
    ).toBe(200);
    for (;;) if ((await visitor.next("msg")).message.text === "Ann joined the chat") break;
  });

  it("is refused to operators not in the chat, other accounts, and unknown targets", async () => {
    const { session } = await chatWithOwner();
    const url = `/api/operator/chats/${session.chatId}/transfer`;
    await expectProblem(
      await call(url, { method: "POST", token: tokens.ann, json: { operatorId: `${account.id}_bob` } }),
      403,
      "forbidden",
    );
    await expectProblem(
      await call(url, { method: "POST", token: tokens.stranger, json: { operatorId: `${other.id}_bob` } }),
      403,
      "forbidden",
    );
    await expectProblem(
      await call(url, { method: "POST", token: tokens.owner, json: { operatorId: `${other.id}_bob` } }),
      404,
      "not_found",
    );
    await expectProblem(
      await call(url, { method: "POST", token: tokens.owner, json: { departmentId: `${other.id}_sales` } }),
      404,
      "not_found",
    );
    await expectProblem(
      await call(url, {
        method: "POST",
        token: tokens.owner,
        json: { operatorId: `${account.id}_bob`, departmentId: account.salesId },
      }),
      422,
      "validation_failed",
    );
  });

  it("invite colleague (stay) and join: a second operator in the chat, the first stays", async () => {
    const { session, visitor } = await chatWithOwner();
    const res = await call(`/api/operator/chats/${session.chatId}/transfer`, {
      method: "POST",
      token: tokens.owner,
      json: { operatorId: `${account.id}_bob`, stay: true },
    });
    expect(res.status).toBe(200);
    expect((await visitor.next("msg")).message.text).toBe("Owner live invited Bob to the chat");
    const joinRes = await call(`/api/operator/chats/${session.chatId}/join`, { method: "POST", token: tokens.ann });
    expect(joinRes.status).toBe(200);
    await expectProblem(
      await call(`/api/operator/chats/${session.chatId}/join`, { method: "POST", token: tokens.stranger }),
      403,
      "forbidden",
    );
    const { welcome } = await join(session.chatId, session.token, 0);
    expect(
      welcome.participants
        .filter((p) => p.kind === "operator")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["Ann", "Bob", "Owner live"]);
  });
});

describe("an account's live visitors spread over shard objects", () => {
  it("are held by the shards, listed whole to every console, and invited through the shard", async () => {
    // vitest.config.ts runs these tests with LOBBY_VISITOR_SHARDS = 4 (wrangler.toml's 1 is what
    // the e2e tests against wrangler dev use), so every test in this file goes through shards.
    expect(visitorShardCount(env)).toBe(4);
    const spread = await seedAccount("liveshards");
    const { client: early } = await lobbySocket((await login(spread.emails.ann)).token);
    const visitors = await Promise.all(Array.from({ length: 12 }, () => visitorSocket(spread.id)));
    const ids = visitors.map((v) => v.visitorId);
    const seen = new Set<string>();
    while (seen.size < ids.length) seen.add((await early.next("visitor")).visitor.id);
    expect([...seen].sort()).toEqual([...ids].sort());

    // The account's lobby holds no visitor socket; the shards hold them all, each in its own.
    await runInDurableObject(lobbyOf(env, spread.id), (_lobby, state) =>
      expect(state.getWebSockets(VISITORS_TAG)).toHaveLength(0),
    );
    const perShard = [0, 0, 0, 0];
    for (const id of ids) perShard[visitorShardIndex(id, 4)]! += 1;
    for (let index = 0; index < 4; index++) {
      await runInDurableObject(visitorShard(env, spread.id, index), (_lobby, state) =>
        expect(state.getWebSockets(VISITORS_TAG)).toHaveLength(perShard[index]!),
      );
    }
    expect(perShard.filter((n) => n > 0).length).toBeGreaterThan(1);

    // A console opened now gets the whole list, gathered from the shards.
    const late = await lobbySocket((await login(spread.emails.bob)).token);
    expect(late.visitors.map((v) => v.id).sort()).toEqual([...ids].sort());

    // An invitation is minted by the visitor's shard, names it, and its answer is claimed there.
    const target = visitors[5]!;
    const res = await invite((await login(spread.emails.ann)).token, target.visitorId, "Need a hand?");
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as InvitationResponse;
    expect(id.startsWith(`inv_${visitorShardIndex(target.visitorId, 4)}_`)).toBe(true);
    expect((await target.client.next("invitation")).invitation.text).toBe("Need a hand?");
    const session: VisitorSessionResponse = await startChat(spread.id, { invitationId: id });
    expect(session.invitedBy?.name).toBeTruthy();
    expect(await early.next("invitation_accepted")).toMatchObject({ invitationId: id, chatId: session.chatId });

    // A forged shard index in an invitation id finds nothing.
    await expectProblem(
      await call("/api/visitor/sessions", {
        method: "POST",
        json: { accountId: spread.id, invitationId: id.replace(/^inv_\d+_/, "inv_63_") },
      }),
      404,
      "not_found",
    );
  });

  it("puts each visitor in the same shard every time, within the count", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `visitor-${i.toString().padStart(10, "0")}`);
    const counts = new Array(8).fill(0) as number[];
    for (const id of ids) {
      const index = visitorShardIndex(id, 8);
      expect(index).toBe(visitorShardIndex(id, 8));
      counts[index]! += 1;
    }
    // Spread evenly enough that no shard gets twice its share.
    expect(Math.max(...counts)).toBeLessThan(250);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });
});
