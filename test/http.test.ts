// HTTP routes and every way authentication can fail, through the real Worker and D1.
import { env, exports } from "cloudflare:workers";
import { SignJWT } from "jose";
import { signedFileUrl } from "../src/server/file-links.ts";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  SOCKET_PROTOCOL,
  SOCKET_PROTOCOL_V1,
  socketProtocols,
  type ChatsResponse,
  type HistoryPage,
  type Problem,
} from "../src/shared/protocol.ts";
import { database } from "../src/server/db/index.ts";
import { operators } from "../src/server/db/schema.ts";
import { eq } from "drizzle-orm";
import {
  call,
  join,
  login,
  operatorJoins,
  PASSWORD,
  seedAccount,
  startChat,
  upgrade,
  type SeededAccount,
} from "./helpers.ts";

let home: SeededAccount;
let other: SeededAccount;
let ann: string;
let stranger: string;

beforeAll(async () => {
  [home, other] = await Promise.all([seedAccount("home"), seedAccount("other")]);
  ann = (await login(home.emails.ann)).token;
  stranger = (await login(other.emails.ann)).token;
});

async function problem(res: Response, status: number, code: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = await res.json<Problem>();
  expect(body).toMatchObject({ status, code });
  return body;
}

/** A token signed with the right secret but already expired. */
async function expiredOperatorToken(accountId: string, operatorId: string) {
  const key = new TextEncoder().encode(env.AUTH_SECRET);
  const past = Math.floor(Date.now() / 1000) - 60;
  return new SignJWT({ typ: "operator", acc: accountId, role: "operator", name: "Ann" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(operatorId)
    .setIssuer("parley")
    .setIssuedAt(past - 60)
    .setExpirationTime(past)
    .sign(key);
}

describe("health and routing", () => {
  it("answers the health check", async () => {
    const res = await call("/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: "parley" });
  });

  it("answers unknown API routes with a problem document", async () => {
    await problem(await call("/api/nothing-here"), 404, "not_found");
  });

  it("sends API answers, errors included, with headers that keep them from running or being framed, and no cookies", async () => {
    for (const res of [
      await call("/api/health"),
      await call("/api/nothing-here"),
      await call("/api/operator/login", { method: "POST", json: { email: "x@y.z", password: "nope-nope" } }),
    ]) {
      expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
      expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(res.headers.get("Set-Cookie")).toBeNull();
      // The widget reads the API from customers' sites under CORS; a CORP header would get in the way.
      expect(res.headers.get("Cross-Origin-Resource-Policy")).toBeNull();
    }
  });
});

describe("operator login", () => {
  it("returns a session token and the operator's profile", async () => {
    const res = await login(home.emails.owner.toUpperCase());
    expect(res.operator).toEqual({
      id: `${home.id}_owner`,
      accountId: home.id,
      email: home.emails.owner,
      name: "Owner home",
      role: "owner",
    });
    expect(res.expiresAt).toBeGreaterThan(Date.now());
    const me = await call("/api/operator/me", { token: res.token });
    expect(await me.json()).toMatchObject({ id: `${home.id}_owner` });
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    const wrong = await call("/api/operator/login", {
      method: "POST",
      json: { email: home.emails.ann, password: "nope" },
    });
    const unknown = await call("/api/operator/login", {
      method: "POST",
      json: { email: "nobody@home.test", password: PASSWORD },
    });
    const [a, b] = [await problem(wrong, 401, "bad_credentials"), await problem(unknown, 401, "bad_credentials")];
    expect(a.detail).toBe(b.detail);
  });

  it("rejects malformed bodies, bad emails and unknown fields", async () => {
    await problem(
      await call("/api/operator/login", {
        method: "POST",
        body: "{oops",
        headers: { "Content-Type": "application/json" },
      }),
      400,
      "bad_json",
    );
    await problem(
      await call("/api/operator/login", { method: "POST", json: { email: "not-an-email", password: "x" } }),
      422,
      "validation_failed",
    );
    const extra = await problem(
      await call("/api/operator/login", {
        method: "POST",
        json: { email: home.emails.ann, password: PASSWORD, admin: true },
      }),
      422,
      "validation_failed",
    );
    expect(extra.errors?.join()).toContain("admin");
  });
});

describe("visitor sessions", () => {
  it("starts a chat that the account's operators find once they are in it", async () => {
    const chat = await startChat(home.id, { email: "vera@example.com", departmentId: home.salesId });
    expect(chat.chatId).toMatch(/^c_/);
    expect(chat.visitorId).toMatch(/^v_/);
    const before = await (await call("/api/operator/chats", { token: ann })).json<ChatsResponse>();
    expect(before.chats.map((c) => c.id)).not.toContain(chat.chatId);
    expect((await call(`/api/operator/chats/${chat.chatId}/accept`, { method: "POST", token: ann })).status).toBe(200);
    const after = await (await call("/api/operator/chats", { token: ann })).json<ChatsResponse>();
    expect(after.chats.find((c) => c.id === chat.chatId)).toMatchObject({
      visitorName: "Vera Visitor",
      departmentId: home.salesId,
      status: "active",
    });
    const theirs = await (await call("/api/operator/chats", { token: stranger })).json<ChatsResponse>();
    expect(theirs.chats.map((c) => c.id)).not.toContain(chat.chatId);
  });

  it("refuses unknown accounts, other accounts' departments and bad input", async () => {
    await problem(
      await call("/api/visitor/sessions", { method: "POST", json: { accountId: "acc_nope" } }),
      404,
      "not_found",
    );
    await problem(
      await call("/api/visitor/sessions", {
        method: "POST",
        json: { accountId: home.id, departmentId: other.salesId },
      }),
      404,
      "not_found",
    );
    await problem(
      await call("/api/visitor/sessions", { method: "POST", json: { accountId: home.id, email: "nope" } }),
      422,
      "validation_failed",
    );
    await problem(
      await call("/api/visitor/sessions", { method: "POST", json: { accountId: home.id, name: "x".repeat(101) } }),
      422,
      "validation_failed",
    );
    await problem(await call("/api/operator/chats?status=bogus", { token: ann }), 422, "validation_failed");
  });
});

describe("chat history over HTTP", () => {
  it("pages by seq forwards and backwards", async () => {
    const chat = await startChat(home.id);
    const { client } = await join(chat.chatId, chat.token);
    for (let i = 1; i <= 7; i++) {
      client.send({ type: "message", cid: `m${i}`, text: `message ${i}` });
      await client.next("ack");
    }
    const first = await (await call(`/api/chats/${chat.chatId}/messages?limit=3`, { token: ann })).json<HistoryPage>();
    expect(first.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(first).toMatchObject({ hasMore: true, lastSeq: 7 });
    const next = await (
      await call(`/api/chats/${chat.chatId}/messages?after=3&limit=10`, { token: chat.token })
    ).json<HistoryPage>();
    expect(next.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7]);
    expect(next.hasMore).toBe(false);
    const older = await (
      await call(`/api/chats/${chat.chatId}/messages?before=6&limit=2`, { token: ann })
    ).json<HistoryPage>();
    expect(older.messages.map((m) => m.text)).toEqual(["message 4", "message 5"]);
    expect(older.hasMore).toBe(true);
    await problem(await call(`/api/chats/${chat.chatId}/messages?limit=0`, { token: ann }), 422, "validation_failed");
    await problem(
      await call(`/api/chats/${chat.chatId}/messages?limit=many`, { token: ann }),
      422,
      "validation_failed",
    );
  });

  it("is read by the account's API key but not by another account's", async () => {
    const chat = await startChat(home.id);
    expect((await call(`/api/chats/${chat.chatId}/messages`, { token: home.apiKey })).status).toBe(200);
    await problem(await call(`/api/chats/${chat.chatId}/messages`, { token: other.apiKey }), 403, "forbidden");
  });
});

describe("authentication failures", () => {
  it("refuses a missing, malformed, tampered or expired token", async () => {
    await problem(await call("/api/operator/chats"), 401, "token_missing");
    await problem(await call("/api/operator/chats", { headers: { Authorization: "Basic abc" } }), 401, "token_invalid");
    await problem(await call("/api/operator/chats", { token: "not.a.jwt" }), 401, "token_invalid");
    const [head, payload] = ann.split(".");
    await problem(await call("/api/operator/chats", { token: `${head}.${payload}.AAAA` }), 401, "token_invalid");
    await problem(
      await call("/api/operator/chats", { token: await expiredOperatorToken(home.id, `${home.id}_ann`) }),
      401,
      "token_expired",
    );
  });

  it("refuses a token signed with another secret", async () => {
    const forged = await new SignJWT({ typ: "operator", acc: home.id, role: "owner", name: "Mallory" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(`${home.id}_owner`)
      .setIssuer("parley")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("another-secret-of-sufficient-length-000000"));
    await problem(await call("/api/operator/chats", { token: forged }), 401, "token_invalid");
    // Forged and expired is still forged: the expiry is read only from a genuine token, so a bad
    // signature never learns that its claims would otherwise have passed.
    const forgedExpired = await new SignJWT({ typ: "operator", acc: home.id, role: "owner", name: "Mallory" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(`${home.id}_owner`)
      .setIssuer("parley")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode("another-secret-of-sufficient-length-000000"));
    await problem(await call("/api/operator/chats", { token: forgedExpired }), 401, "token_invalid");
    // A file link (its own audience) is never taken for a session.
    const chat = await startChat(home.id);
    const link = await signedFileUrl(
      env,
      "https://parley.test",
      { accountId: home.id, chatId: chat.chatId, fileId: "f_1" },
      60_000,
    );
    const sig = new URL(link.url).searchParams.get("sig")!;
    await problem(await call("/api/operator/chats", { token: sig }), 401, "token_invalid");
  });

  it("refuses tokens of the wrong kind for a route", async () => {
    const chat = await startChat(home.id);
    await problem(await call("/api/operator/chats", { token: chat.token }), 403, "forbidden");
    await problem(await call("/api/operator/chats", { token: home.apiKey }), 403, "forbidden");
  });

  it("stops a deactivated operator at once", async () => {
    const bob = (await login(home.emails.bob)).token;
    await database(env.DB)
      .update(operators)
      .set({ active: false })
      .where(eq(operators.id, `${home.id}_bob`));
    await problem(await call("/api/operator/chats", { token: bob }), 403, "deactivated");
    const chat = await startChat(home.id);
    expect((await upgrade(chat.chatId, bob)).status).toBe(403);
    await problem(
      await call("/api/operator/login", { method: "POST", json: { email: home.emails.bob, password: PASSWORD } }),
      401,
      "bad_credentials",
    );
  });

  it("admin API: API keys and owners/admins in, operators and revoked or foreign keys out", async () => {
    expect(await (await call("/api/admin/v1/account", { token: home.apiKey })).json()).toEqual({
      id: home.id,
      name: "Company home",
    });
    expect(
      await (await call("/api/admin/v1/account", { token: (await login(home.emails.owner)).token })).json(),
    ).toMatchObject({ id: home.id });
    expect(await (await call("/api/admin/v1/account", { token: other.apiKey })).json()).toMatchObject({ id: other.id });
    await problem(await call("/api/admin/v1/account", { token: ann }), 403, "forbidden");
    await problem(await call("/api/admin/v1/account", { token: "pk_madeup" }), 401, "token_invalid");
    await env.DB.prepare("UPDATE api_keys SET revoked_at = 1 WHERE account_id = ?").bind(other.id).run();
    await problem(await call("/api/admin/v1/account", { token: other.apiKey }), 401, "token_invalid");
  });
});

describe("WebSocket upgrades are authenticated before they are accepted", () => {
  it("gives no socket without a valid token", async () => {
    const chat = await startChat(home.id);
    for (const [token, status] of [
      [undefined, 401],
      ["garbage", 401],
      [await expiredOperatorToken(home.id, `${home.id}_ann`), 401],
    ] as const) {
      const res = await upgrade(chat.chatId, token);
      expect(res.status).toBe(status);
      expect(res.webSocket).toBeNull();
      await res.arrayBuffer();
    }
  });

  it("gives no socket to another account's operator or to another chat's visitor", async () => {
    const chat = await startChat(home.id);
    const otherChat = await startChat(home.id);
    const foreign = await upgrade(chat.chatId, stranger);
    expect(foreign.status).toBe(403);
    expect(foreign.webSocket).toBeNull();
    await problem(foreign, 403, "forbidden");
    await problem(await upgrade(chat.chatId, otherChat.token), 403, "forbidden");
    await problem(await call(`/api/chats/${chat.chatId}/messages`, { token: stranger }), 403, "forbidden");
    await problem(await call(`/api/chats/${chat.chatId}/messages`, { token: otherChat.token }), 403, "forbidden");
    // An API key is never taken from a URL (401); by header it is known, and still no participant.
    await problem(await upgrade(chat.chatId, home.apiKey), 401, "token_invalid");
    await problem(
      await call(`/ws/chats/${chat.chatId}`, { token: home.apiKey, headers: { Upgrade: "websocket" } }),
      403,
      "forbidden",
    );
  });

  it("answers 404 for a chat that does not exist and 426 for a plain GET", async () => {
    await problem(await upgrade("c_missing", ann), 404, "not_found");
    const chat = await startChat(home.id);
    const plain = await call(`/ws/chats/${chat.chatId}?token=${ann}`);
    expect(plain.status).toBe(426);
    await plain.arrayBuffer();
  });

  it("lets the right visitor and the account's operators in", async () => {
    const chat = await startChat(home.id);
    const { welcome } = await join(chat.chatId, chat.token);
    expect(welcome.you.kind).toBe("visitor");
    const operator = await operatorJoins(chat.chatId, ann);
    operator.close();
  });

  it("takes the token from a subprotocol, as browsers send it, and answers without echoing it", async () => {
    const chat = await startChat(home.id);
    const viaProtocol = (path: string, token: string) =>
      exports.default.fetch(
        new Request(`https://parley.test${path}`, {
          headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": socketProtocols(token).join(", ") },
        }),
      );
    for (const [path, token] of [
      [`/ws/chats/${chat.chatId}`, chat.token],
      [`/ws/chats/${chat.chatId}`, ann],
      ["/ws/lobby", ann],
    ] as const) {
      const res = await viaProtocol(path, token);
      expect(res.status).toBe(101);
      expect(res.headers.get("Sec-WebSocket-Protocol")).toBe(SOCKET_PROTOCOL);
      res.webSocket!.accept();
      res.webSocket!.close(1000, "done");
    }
    // A client of before parley.v2 offers only parley.v1 and is answered with it.
    const old = await exports.default.fetch(
      new Request(`https://parley.test/ws/chats/${chat.chatId}`, {
        headers: {
          Upgrade: "websocket",
          "Sec-WebSocket-Protocol": `${SOCKET_PROTOCOL_V1}, parley.token.${chat.token}`,
        },
      }),
    );
    expect(old.headers.get("Sec-WebSocket-Protocol")).toBe(SOCKET_PROTOCOL_V1);
    old.webSocket!.accept();
    old.webSocket!.close(1000, "done");
    // Refused as the query's token is: another chat's visitor, a forged token.
    const otherChat = await startChat(home.id);
    await problem(await viaProtocol(`/ws/chats/${chat.chatId}`, otherChat.token), 403, "forbidden");
    await problem(await viaProtocol(`/ws/chats/${chat.chatId}`, "garbage"), 401, "token_invalid");
  });
});

describe("rate limits per client address (wrangler.toml [[ratelimits]])", () => {
  // Cloudflare's edge (and wrangler dev) put the client's address in CF-Connecting-IP; calls from
  // inside the runtime, like the other tests here, carry none and are not limited.
  const from = (address: string) => ({ "CF-Connecting-IP": address });
  // The limiter counts in windows of a clock minute: a test that crossed into the next one would
  // find its count reset halfway. Each starts with at least 15 seconds of its minute left.
  beforeEach(async () => {
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
  }, 20_000);
  const session = (accountId: string, address: string) =>
    call("/api/visitor/sessions", { method: "POST", headers: from(address), json: { accountId, name: "Flood" } });

  it("lets one address start 60 chats a minute per account, then answers 429 with Retry-After, other addresses and accounts unaffected", async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => session(home.id, "203.0.113.7")));
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 60 }, () => 201));
    const refused = await session(home.id, "203.0.113.7");
    const body = await problem(refused, 429, "rate_limited");
    expect(body.detail).toMatch(/wait a minute/);
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect((await session(home.id, "203.0.113.8")).status).toBe(201);
    expect((await session(other.id, "203.0.113.7")).status).toBe(201);
  });

  it("lets one address try an operator's password 20 times a minute; the 21st try is refused even when right", async () => {
    const attempt = (password: string, address: string) =>
      call("/api/operator/login", {
        method: "POST",
        headers: from(address),
        json: { email: home.emails.owner, password },
      });
    for (let i = 0; i < 20; i++) expect((await attempt(`wrong-guess-${i}`, "198.51.100.4")).status).toBe(401);
    await problem(await attempt(PASSWORD, "198.51.100.4"), 429, "rate_limited");
    expect((await attempt(PASSWORD, "198.51.100.5")).status).toBe(200);
  });

  it("lets one address open 300 presence sockets a minute per account", async () => {
    const open = (address: string) =>
      exports.default.fetch(
        new Request(`https://parley.test/ws/visitors?account=${home.id}&visitor=${crypto.randomUUID()}`, {
          headers: { Upgrade: "websocket", ...from(address) },
        }),
      );
    const opened = await Promise.all(Array.from({ length: 300 }, () => open("192.0.2.9")));
    expect(opened.every((r) => r.status === 101)).toBe(true);
    for (const res of opened) {
      res.webSocket!.accept();
      res.webSocket!.close(1000, "done");
    }
    await problem(await open("192.0.2.9"), 429, "rate_limited");
    const elsewhere = await open("192.0.2.10");
    expect(elsewhere.status).toBe(101);
    elsewhere.webSocket!.accept();
    elsewhere.webSocket!.close(1000, "done");
  });
});
