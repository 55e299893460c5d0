// Issue 12, item 6: no visitor can load the account's shared objects. A tokenless presence socket
// flooding `page` frames, chats nobody takes piling up in the queue, and a flood of chat starts.
// Each attack is listed with what it gets in docs/reliability.md, "Load from visitors".
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { lobbyOf } from "../src/durable/lobby.ts";
import { LOBBY_VISITOR_HEADER } from "../src/durable/lobby-visitors.ts";
import { PAGE_NOTICE_BURST, PAGE_NOTICES_PER_SECOND, PAGE_WARNING_EVERY_MS } from "../src/durable/page-limit.ts";
import { FLOODING_CLOSE_CODE, type LobbyServerFrame, type VisitorServerFrame } from "../src/shared/lobby-protocol.ts";
import { call, ChatClient, login, seedAccount, startChat, type SeededAccount } from "./helpers.ts";

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
  const res = await exports.default.fetch(new Request(`https://parley.test/ws/lobby?token=${encodeURIComponent(token)}`, { headers: { Upgrade: "websocket" } }));
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
  const res = await exports.default.fetch(new Request(`https://parley.test/ws/visitors?account=${account.id}&visitor=${visitorId}`, { headers: { Upgrade: "websocket" } }));
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  return new ChatClient<VisitorServerFrame>(res.webSocket!);
}

/** A presence socket held by the account's lobby itself, as in a deployment with one shard (the
 * default) or a page not yet moved to its shard: exactly what the Worker would send it. */
async function presenceOnAccountLobby(visitorId: string) {
  const headers = { Upgrade: "websocket", [LOBBY_VISITOR_HEADER]: JSON.stringify({ id: visitorId, accountId: account.id, shard: null }) };
  const res = await lobbyOf(env, account.id).fetch(new Request("https://lobby/connect", { headers }));
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  return new ChatClient<VisitorServerFrame>(res.webSocket!);
}

const page = (n: number) => ({ type: "page", url: `https://shop.test/p/${n}`, title: `Page ${n}`, referrer: "", onSiteMs: n, chatting: false });

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
  throw new Error(`no notice of ${visitorId} on ${url}; last: ${JSON.stringify(noticesAbout(frames, visitorId).at(-1))}`);
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
    expect(frames.some((f) => f.type === "presence" && f.operator.id === `${account.id}_bob` && f.operator.status === "online")).toBe(true);
    expect(frames.some((f) => f.type === "waiting" && f.chat.chatId === chat.chatId)).toBe(true);
    // The flooder is told, once per interval rather than once per frame, and stays connected.
    const errors = flooder.drain().filter((f) => f.type === "error");
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(Math.ceil(elapsed / PAGE_WARNING_EVERY_MS));
    expect(errors[0]).toMatchObject({ code: "rate_limited" });
    expect(flooder.closed).toBeUndefined();
    // A console connecting now sees the visitor's last page too.
    const fresh = await exports.default.fetch(new Request(`https://parley.test/ws/lobby?token=${encodeURIComponent(tokens.bob)}`, { headers: { Upgrade: "websocket" } }));
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
    for (const stop = Date.now() + 15_000; Date.now() < stop && !flooder.closed; ) {
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
