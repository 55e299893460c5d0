// The hostile-input corpus (issue 7): malformed, truncated and mistyped input, forged, expired and
// other accounts' tokens, path tricks, oversized values and unknown fields, sent to every entry
// point of the Worker (every HTTP route the app registers, the chat, lobby and presence sockets).
// Each case must get a clear refusal (a problem document or an error frame with a known code,
// never a 5xx, a crash or a closed socket), and the whole corpus must change nothing: every D1
// table and every watched chat log is compared before and after. Content that is hostile but
// legitimate (HTML, scripts, RTL overrides, zero-width characters in a message) must be stored
// exactly as sent, for the UIs to show as text. The case count is printed and pinned below.
import { env, exports } from "cloudflare:workers";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "../src/shared/admin-api.ts";
import { app } from "../src/worker/index.ts";
import { replyAddressFor } from "../src/server/email/reply-address.ts";
import {
  errorCodes,
  MAX_TEXT_LENGTH,
  type CannedResponse,
  type FileLinkResponse,
  type FileUploadResponse,
  type HistoryPage,
  type Problem,
  type ServerFrame,
} from "../src/shared/protocol.ts";
import type { LobbyServerFrame, VisitorServerFrame } from "../src/shared/lobby-protocol.ts";
import {
  ADMIN,
  call,
  ChatClient,
  deliverEmail,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

const ORIGIN = "https://parley.test";
const knownCodes = new Set<string>(errorCodes);
const failures: string[] = [];
let caseCount = 0;

let home: SeededAccount;
let other: SeededAccount;
const tokens = { owner: "", ann: "", otherOwner: "", visitor: "", otherVisitor: "" };
let chat: { chatId: string; visitorId: string; token: string };
let otherChat: { chatId: string };
let cannedId = "";
let tagId = "";
/** A webhook endpoint of the home account, disabled: nothing is sent while the corpus runs. */
let webhookId = "";
/** A file in the home chat and one in the other account's chat, with a link to each. */
let fileId = "";
let fileLink = "";
let otherFileLink = "";
let otherCannedId = "";
let before = "";
/** The audit log's last row before the corpus ran. */
let auditMark = 0;
const legitimateChats = new Set<string>();

/** Everything the corpus must leave alone: every D1 table, and the watched chats' logs. */
async function snapshot(): Promise<string> {
  const tables = await env.DB.prepare(
    // message_search (FTS5) and its shadow tables are derived from message_index, which is kept.
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT LIKE 'message_search%' ORDER BY name",
  ).all<{ name: string }>();
  const state: Record<string, unknown> = {};
  for (const { name } of tables.results) {
    // Refused admin requests are recorded in the audit log by design: checked on its own below.
    if (name === "audit_log") continue;
    const rows = (await env.DB.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all<Record<string, unknown>>())
      .results;
    // The chat the legitimate-text case writes to is meant to change, and so is its search index.
    state[name] = rows.filter((row) => !legitimateChats.has((name === "chats" ? row.id : row.chat_id) as string));
  }
  state["R2"] = (await env.FILES.list()).objects.map((o) => `${o.key} ${o.size}`).sort();
  for (const [key, id, apiKey] of [
    ["home chat", chat.chatId, home.apiKey],
    ["other chat", otherChat.chatId, other.apiKey],
  ] as const) {
    state[key] = await (await call(`${ADMIN}/chats/${id}`, { token: apiKey })).json();
  }
  return JSON.stringify(state);
}

/** A refusal: one of `statuses`, a problem document, a code from errorCodes. */
async function expectRefused(
  name: string,
  res: Response,
  statuses = [400, 401, 403, 404, 409, 411, 413, 415, 422, 426, 429],
): Promise<void> {
  caseCount++;
  const text = await res.text();
  let problem: Problem | undefined;
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    // Reported below.
  }
  const ok =
    statuses.includes(res.status) &&
    res.headers.get("Content-Type") === "application/problem+json" &&
    !!problem &&
    knownCodes.has(problem.code);
  if (!ok) failures.push(`${name}: ${res.status} ${res.headers.get("Content-Type")} ${text.slice(0, 160)}`);
}

function request(
  method: string,
  path: string,
  init: { token?: string; body?: BodyInit | null; contentType?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set("Authorization", `Bearer ${init.token}`);
  if (init.contentType !== null && init.body !== undefined && init.body !== null)
    headers.set("Content-Type", init.contentType ?? "application/json");
  return exports.default.fetch(new Request(ORIGIN + path, { method, headers, body: init.body ?? null }));
}

const secret = () => new TextEncoder().encode(env.AUTH_SECRET);
async function forge(
  claims: Record<string, unknown>,
  options: { key?: Uint8Array; expired?: boolean; issuer?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(options.issuer ?? "parley")
    .setIssuedAt(now - 120)
    .setExpirationTime(options.expired ? now - 60 : now + 3600)
    .sign(options.key ?? secret());
}
const b64 = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");

beforeAll(async () => {
  [home, other] = await Promise.all([seedAccount("hostile"), seedAccount("hostileother")]);
  tokens.owner = (await login(home.emails.owner)).token;
  tokens.ann = (await login(home.emails.ann)).token;
  tokens.otherOwner = (await login(other.emails.owner)).token;
  // Made and disabled before any chat exists, so no event is ever fanned out to it.
  webhookId = (
    (await (
      await call(`${ADMIN}/webhooks`, {
        token: home.apiKey,
        method: "POST",
        json: { url: "https://receiver.invalid/hook" },
      })
    ).json()) as { endpoint: { id: string } }
  ).endpoint.id;
  await call(`${ADMIN}/webhooks/${webhookId}`, { token: home.apiKey, method: "PATCH", json: { enabled: false } });
  const started = await startChat(home.id);
  chat = { chatId: started.chatId, visitorId: started.visitorId, token: started.token };
  tokens.visitor = started.token;
  const elsewhere = await startChat(other.id);
  otherChat = { chatId: elsewhere.chatId };
  tokens.otherVisitor = elsewhere.token;
  // A few messages, so that a chat log has something to lose.
  const visitor = (await join(chat.chatId, chat.token)).client;
  const ann = await operatorJoins(chat.chatId, tokens.ann);
  visitor.send({ type: "message", cid: "seed-1", text: "Hello" });
  await visitor.next("ack");
  ann.send({ type: "message", cid: "seed-2", text: "Hi, how can I help?" });
  await ann.next("ack");
  // A file each, and a signed link to each.
  const text = new TextEncoder().encode("plain text file\n");
  const upload = (chatId: string, token: string) =>
    call(`/api/chats/${chatId}/files?name=notes.txt&cid=${crypto.randomUUID()}`, { method: "POST", token, body: text });
  const mine = (await (await upload(chat.chatId, tokens.visitor)).json()) as FileUploadResponse;
  fileId = mine.message.file!.id;
  await visitor.next("msg").catch(() => undefined);
  fileLink = (
    (await (
      await call(`/api/chats/${chat.chatId}/files/${fileId}/link`, { token: tokens.visitor })
    ).json()) as FileLinkResponse
  ).url;
  const otherAnn = (await login(other.emails.ann)).token;
  await operatorJoins(otherChat.chatId, otherAnn);
  const theirs = (await (await upload(otherChat.chatId, otherAnn)).json()) as FileUploadResponse;
  otherFileLink = (
    (await (
      await call(`/api/chats/${otherChat.chatId}/files/${theirs.message.file!.id}/link`, { token: otherAnn })
    ).json()) as FileLinkResponse
  ).url;
  visitor.close();
  ann.close();
  const list = (await (await call(`${ADMIN}/canned-responses`, { token: home.apiKey })).json()) as Page<CannedResponse>;
  cannedId = list.items[0]!.id;
  tagId = (
    (await (await call(`${ADMIN}/tags`, { token: home.apiKey, method: "POST", json: { name: "VIP" } })).json()) as {
      id: string;
    }
  ).id;
  const otherList = (await (
    await call(`${ADMIN}/canned-responses`, { token: other.apiKey })
  ).json()) as Page<CannedResponse>;
  otherCannedId = otherList.items[0]!.id;
  // The widget's origin rule is in force for this account.
  expect(
    (
      await call(`${ADMIN}/settings`, {
        method: "PATCH",
        token: home.apiKey,
        json: { allowedOrigins: ["https://shop.example"] },
      })
    ).status,
  ).toBe(200);
  before = await snapshot();
  auditMark = (await env.DB.prepare("SELECT max(id) AS id FROM audit_log").first<{ id: number | null }>())?.id ?? 0;
});

afterAll(() => {
  console.log(`hostile corpus: ${caseCount} cases, ${failures.length} failures`);
});

// ---- The routes, each with a valid request that only the hostile part spoils -------------------

type Auth = "none" | "visitor" | "operator" | "admin";
/** `visitorsToo`: the chat's own visitor may call it as well as an operator. */
type Route = { method: string; path: string; auth: Auth; body?: Record<string, unknown>; visitorsToo?: boolean };

function routes(): Route[] {
  const c = chat.chatId;
  return [
    {
      method: "POST",
      path: "/api/visitor/offline-messages",
      auth: "none",
      body: { accountId: home.id, name: "Olga", email: "olga@example.org", text: "Call me" },
    },
    { method: "POST", path: "/api/visitor/sessions", auth: "none", body: { accountId: home.id, name: "Vera" } },
    { method: "GET", path: `/api/widget/config?account=${home.id}`, auth: "none" },
    {
      method: "POST",
      path: "/api/operator/login",
      auth: "none",
      body: { email: home.emails.ann, password: "correct horse battery staple" },
    },
    { method: "GET", path: "/api/operator/me", auth: "operator" },
    // Only ever called here with bad or wrong tokens: Ann's good one must not be signed out.
    { method: "POST", path: "/api/operator/logout", auth: "operator" },
    { method: "GET", path: "/api/operator/departments", auth: "operator" },
    { method: "GET", path: "/api/operator/chats", auth: "operator" },
    { method: "GET", path: "/api/operator/history", auth: "operator" },
    { method: "GET", path: `/api/operator/history/${c}`, auth: "operator" },
    { method: "GET", path: `/api/operator/chats/${c}/context`, auth: "operator" },
    { method: "GET", path: "/api/operator/search?q=hello", auth: "operator" },
    { method: "GET", path: "/api/operator/reports?from=2026-01-01&to=2026-01-31", auth: "operator" },
    { method: "GET", path: "/api/operator/storage", auth: "operator" },
    { method: "POST", path: `/api/operator/chats/${c}/accept`, auth: "operator" },
    { method: "GET", path: "/api/operator/canned-responses", auth: "operator" },
    {
      method: "POST",
      path: "/api/operator/canned-responses",
      auth: "operator",
      body: { title: "Mine", text: "My text" },
    },
    {
      method: "PATCH",
      path: `/api/operator/canned-responses/${cannedId}`,
      auth: "operator",
      body: { title: "Renamed" },
    },
    { method: "DELETE", path: `/api/operator/canned-responses/${cannedId}`, auth: "operator" },
    {
      method: "POST",
      path: "/api/operator/invitations/accept",
      auth: "none",
      body: { token: "not-a-token", password: "a long enough password" },
    },
    { method: "POST", path: "/api/operator/invitations/lookup", auth: "none", body: { token: "not-a-token" } },
    {
      method: "POST",
      path: "/api/operator/invitations",
      auth: "operator",
      body: { visitorId: "visitor-not-here-0000", text: "Hello!" },
    },
    {
      method: "POST",
      path: `/api/operator/chats/${c}/transfer`,
      auth: "operator",
      body: { departmentId: home.salesId },
    },
    { method: "POST", path: `/api/operator/chats/${c}/join`, auth: "operator" },
    { method: "GET", path: `/api/chats/${c}/messages`, auth: "visitor" },
    { method: "GET", path: `/api/chats/${c}/files/${fileId}/link`, auth: "visitor" },
    { method: "GET", path: `/api/chats/${c}/queue`, auth: "visitor" },
    {
      method: "POST",
      path: `/api/chats/${c}/continue-by-email`,
      auth: "visitor",
      body: { email: "vera@example.org", cid: "c1" },
    },
    {
      method: "POST",
      path: `/api/chats/${c}/transcript`,
      auth: "operator",
      body: { email: "vera@example.org" },
      visitorsToo: true,
    },
    { method: "GET", path: `${ADMIN}/account`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/settings`, auth: "admin" },
    { method: "PATCH", path: `${ADMIN}/settings`, auth: "admin", body: { greeting: "Hello" } },
    { method: "GET", path: `${ADMIN}/storage`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/departments`, auth: "admin" },
    { method: "POST", path: `${ADMIN}/departments`, auth: "admin", body: { name: "Billing" } },
    { method: "GET", path: `${ADMIN}/departments/${home.salesId}`, auth: "admin" },
    { method: "PATCH", path: `${ADMIN}/departments/${home.salesId}`, auth: "admin", body: { name: "Renamed" } },
    { method: "DELETE", path: `${ADMIN}/departments/${home.salesId}`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/operators`, auth: "admin" },
    { method: "POST", path: `${ADMIN}/operators`, auth: "admin", body: { email: "new@hostile.test", name: "New" } },
    { method: "GET", path: `${ADMIN}/operators/${home.id}_ann`, auth: "admin" },
    { method: "PATCH", path: `${ADMIN}/operators/${home.id}_ann`, auth: "admin", body: { name: "Anna" } },
    {
      method: "POST",
      path: `${ADMIN}/operators/${home.id}_ann/password`,
      auth: "admin",
      body: { password: "a long enough password" },
    },
    { method: "GET", path: `${ADMIN}/canned-responses`, auth: "admin" },
    {
      method: "POST",
      path: `${ADMIN}/canned-responses`,
      auth: "admin",
      body: { level: "company", title: "Hi", text: "Hello" },
    },
    {
      method: "PUT",
      path: `${ADMIN}/canned-responses/order`,
      auth: "admin",
      body: { level: "company", ids: [cannedId] },
    },
    { method: "GET", path: `${ADMIN}/canned-responses/${cannedId}`, auth: "admin" },
    { method: "PATCH", path: `${ADMIN}/canned-responses/${cannedId}`, auth: "admin", body: { title: "Hi" } },
    { method: "DELETE", path: `${ADMIN}/canned-responses/${cannedId}`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/api-keys`, auth: "admin" },
    { method: "POST", path: `${ADMIN}/api-keys`, auth: "admin", body: { name: "CI" } },
    { method: "DELETE", path: `${ADMIN}/api-keys/${home.id}_key`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/chats`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/chats/${c}`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/search?q=hello`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/reports?from=2026-01-01&to=2026-01-31`, auth: "admin" },
    { method: "POST", path: `${ADMIN}/privacy/export`, auth: "admin", body: { email: "nobody@home.test" } },
    { method: "POST", path: `${ADMIN}/privacy/erase`, auth: "admin", body: { visitorId: "nobody-at-all" } },
    { method: "GET", path: `${ADMIN}/tags`, auth: "admin" },
    { method: "POST", path: `${ADMIN}/tags`, auth: "admin", body: { name: "Billing" } },
    { method: "PATCH", path: `${ADMIN}/tags/${tagId}`, auth: "admin", body: { name: "Very important" } },
    { method: "DELETE", path: `${ADMIN}/tags/${tagId}`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/webhooks`, auth: "admin" },
    { method: "POST", path: `${ADMIN}/webhooks`, auth: "admin", body: { url: "https://hooks.example.com/x" } },
    { method: "GET", path: `${ADMIN}/webhooks/${webhookId}`, auth: "admin" },
    { method: "PATCH", path: `${ADMIN}/webhooks/${webhookId}`, auth: "admin", body: { description: "CRM" } },
    { method: "DELETE", path: `${ADMIN}/webhooks/${webhookId}`, auth: "admin" },
    { method: "POST", path: `${ADMIN}/webhooks/${webhookId}/rotate-secret`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/webhooks/${webhookId}/deliveries`, auth: "admin" },
    { method: "POST", path: `${ADMIN}/webhooks/${webhookId}/deliveries/whd_none/resend`, auth: "admin" },
    { method: "GET", path: `${ADMIN}/audit-log?limit=10&action=POST%20*`, auth: "admin" },
    { method: "GET", path: "/api/operator/tags", auth: "operator" },
    { method: "PUT", path: `/api/operator/chats/${c}/tags`, auth: "operator", body: { tagIds: [tagId] } },
  ];
}

const goodToken = (auth: Auth) =>
  auth === "visitor" ? tokens.visitor : auth === "operator" ? tokens.ann : auth === "admin" ? home.apiKey : undefined;

describe("the route table", () => {
  it("covers every HTTP route the Worker registers (a new route must join the corpus)", () => {
    const registered = new Set(
      app.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/")).map((r) => `${r.method} ${r.path}`),
    );
    const covered = new Set(
      routes().map(
        (r) =>
          `${r.method} ${r.path.replace(/\?.*/, "").replace(chat.chatId, ":chatId").replace(cannedId, ":id").replace(tagId, ":id").replace(webhookId, ":id").replace("whd_none", ":deliveryId").replace(home.salesId, ":id").replace(`${home.id}_ann`, ":id").replace(`${home.id}_key`, ":id").replace(fileId, ":fileId")}`,
      ),
    );
    for (const path of ["GET /api/health", `GET ${ADMIN}/openapi.json`]) covered.add(path); // public, read-only, no input
    // Uploads and downloads take raw bodies and signatures: their own cases below.
    covered.add("POST /api/chats/:chatId/files").add("GET /api/files/:accountId/:chatId/:fileId");
    const normalise = (route: string) => route.replace(/:chatId/g, ":id");
    const missing = [...registered].map(normalise).filter((route) => ![...covered].map(normalise).includes(route));
    expect(missing).toEqual([]);
  });
});

describe("hostile HTTP input", () => {
  it("refuses bad credentials on every authenticated route", async () => {
    const expiredOperator = await forge(
      { typ: "operator", acc: home.id, sub: `${home.id}_owner`, role: "owner", name: "Owner" },
      { expired: true },
    );
    const wrongKey = await forge(
      { typ: "operator", acc: home.id, sub: `${home.id}_owner`, role: "owner", name: "Owner" },
      { key: new TextEncoder().encode("x".repeat(64)) },
    );
    const wrongIssuer = await forge(
      { typ: "operator", acc: home.id, sub: `${home.id}_owner`, role: "owner", name: "Owner" },
      { issuer: "evil" },
    );
    const unknownOperator = await forge({
      typ: "operator",
      acc: home.id,
      sub: "op_nobody",
      role: "owner",
      name: "Nobody",
    });
    const crossAccount = await forge({
      typ: "operator",
      acc: home.id,
      sub: `${other.id}_owner`,
      role: "owner",
      name: "Other owner",
    });
    const algNone = `${b64({ alg: "none", typ: "JWT" })}.${b64({ typ: "operator", acc: home.id, sub: `${home.id}_owner`, role: "owner", name: "O", iss: "parley", exp: 9_999_999_999 })}.`;
    const invitationAsLogin = await forge({ typ: "invitation", acc: home.id, sub: `${home.id}_ann` });
    const bad: [string, Record<string, string>][] = [
      ["no Authorization", {}],
      ["empty Bearer", { Authorization: "Bearer " }],
      ["Basic scheme", { Authorization: `Basic ${btoa("owner:pw")}` }],
      ["garbage token", { Authorization: "Bearer garbage" }],
      ["three empty parts", { Authorization: "Bearer .." }],
      ["alg none", { Authorization: `Bearer ${algNone}` }],
      ["wrong signing key", { Authorization: `Bearer ${wrongKey}` }],
      ["wrong issuer", { Authorization: `Bearer ${wrongIssuer}` }],
      ["expired", { Authorization: `Bearer ${expiredOperator}` }],
      ["operator that does not exist", { Authorization: `Bearer ${unknownOperator}` }],
      ["other account's operator claiming this account", { Authorization: `Bearer ${crossAccount}` }],
      ["invitation token", { Authorization: `Bearer ${invitationAsLogin}` }],
      ["forged API key", { Authorization: "Bearer pk_00000000000000000000000000000000" }],
      ["API key with a tail", { Authorization: `Bearer ${home.apiKey}x` }],
      ["10 KB token", { Authorization: `Bearer ${"a".repeat(10_000)}` }],
      ["token with newline", { Authorization: "Bearer abc\tdef" }],
    ];
    for (const route of routes().filter((r) => r.auth !== "none")) {
      for (const [name, headers] of bad) {
        await expectRefused(
          `${route.method} ${route.path} with ${name}`,
          await request(route.method, route.path, {
            headers,
            ...(route.body ? { body: JSON.stringify(route.body) } : {}),
          }),
        );
      }
    }
  });

  it("refuses the wrong kind of caller and other accounts' callers", async () => {
    const ids = () => [chat.chatId, cannedId, home.salesId, `${home.id}_ann`, `${home.id}_key`, fileId, webhookId];
    for (const route of routes().filter((r) => r.auth !== "none")) {
      const wrong: [string, string][] = [["another chat's visitor", tokens.otherVisitor]];
      // Another account's callers on a path naming this account's things. (On a path without
      // ids, such as GET /me, they act on their own account, which is no attack.)
      if (ids().some((id) => route.path.includes(id)))
        wrong.push(["another account's owner", tokens.otherOwner], ["another account's API key", other.apiKey]);
      if (route.auth === "admin") wrong.push(["a plain operator", tokens.ann], ["this chat's visitor", tokens.visitor]);
      if (route.auth === "operator") wrong.push(["an API key", home.apiKey]);
      if (route.auth === "operator" && !route.visitorsToo) wrong.push(["this chat's visitor", tokens.visitor]);
      for (const [name, token] of wrong) {
        await expectRefused(
          `${route.method} ${route.path} as ${name}`,
          await request(route.method, route.path, {
            token,
            ...(route.body ? { body: JSON.stringify(route.body) } : {}),
          }),
        );
      }
    }
  });

  it("refuses malformed, truncated, mistyped, oversized and unknown-field bodies on every route that takes one", async () => {
    const raw = [
      "",
      "{",
      '{"',
      "}",
      "[",
      "nul",
      "tru",
      '{"a":1,}',
      "{'a':1}",
      "\u0000",
      '"\\ud800"',
      `${"[".repeat(5000)}${"]".repeat(5000)}`,
      `{"a":${'{"a":'.repeat(2000)}1${"}".repeat(2000)}}`,
    ];
    const values: unknown[] = [null, 0, -1, 1e308, true, "text", [], [{}]];
    for (const route of routes().filter((r) => r.body)) {
      const send = (body: string, contentType?: string | null) =>
        request(route.method, route.path, {
          token: goodToken(route.auth),
          body,
          ...(contentType !== undefined ? { contentType } : {}),
        });
      for (const body of raw)
        await expectRefused(`${route.method} ${route.path} raw ${JSON.stringify(body.slice(0, 20))}`, await send(body));
      for (const value of values)
        await expectRefused(
          `${route.method} ${route.path} JSON ${JSON.stringify(value)}`,
          await send(JSON.stringify(value)),
        );
      // Extra members, "__proto__" among them (written out: an object literal would set the prototype).
      for (const extra of [
        '"unknownField":1',
        '"__proto__":{"admin":true}',
        '"constructor":{"prototype":{"admin":true}}',
      ]) {
        await expectRefused(
          `${route.method} ${route.path} plus ${extra.slice(0, 16)}`,
          await send(JSON.stringify(route.body).replace(/^\{/, `{${extra},`)),
        );
      }
      // Each field in turn replaced by a value of another type, or by a huge one.
      for (const [field, valid] of Object.entries(route.body!)) {
        const wrong: unknown[] =
          typeof valid === "string"
            ? [null, 12, true, [], {}, "x".repeat(100_000)]
            : Array.isArray(valid)
              ? [null, "x", {}, 1, Array.from({ length: 10_000 }, () => "x")]
              : [null, "1", [], {}];
        for (const value of wrong) {
          await expectRefused(
            `${route.method} ${route.path} ${field}=${JSON.stringify(value).slice(0, 20)}`,
            await send(JSON.stringify({ ...route.body, [field]: value })),
          );
        }
      }
      // The right JSON under the wrong content type, and a 1 MB body.
      await expectRefused(
        `${route.method} ${route.path} as text/plain`,
        await send(JSON.stringify(route.body), "text/plain"),
      );
      await expectRefused(
        `${route.method} ${route.path} as a form`,
        await send(new URLSearchParams({ a: "1" }).toString(), "application/x-www-form-urlencoded"),
      );
      await expectRefused(
        `${route.method} ${route.path} 1 MB`,
        await send(JSON.stringify({ ...route.body, padding: "x".repeat(1 << 20) })),
      );
    }
  });

  it("refuses path tricks in every id and other accounts' ids", async () => {
    const ids = [
      "..",
      "..%2F..%2Fetc%2Fpasswd",
      "%2e%2e",
      "%00",
      "x".repeat(3000),
      "'%20OR%20'1'%3D'1",
      "null",
      "__proto__",
      "%3Cscript%3E",
      otherChat.chatId,
      `${other.id}_sales`,
      `${other.id}_ann`,
      otherCannedId,
      `${other.id}_key`,
    ];
    for (const route of routes()) {
      const id = [fileId, chat.chatId, cannedId, home.salesId, `${home.id}_ann`, `${home.id}_key`, webhookId].find(
        (known) => route.path.includes(known),
      );
      if (!id) continue;
      for (const hostile of ids) {
        const path = route.path.replace(id, hostile);
        await expectRefused(
          `${route.method} ${path.slice(0, 90)}`,
          await request(route.method, path, {
            token: goodToken(route.auth),
            ...(route.body ? { body: JSON.stringify(route.body) } : {}),
          }),
        );
      }
    }
  });

  it("refuses bad query strings", async () => {
    const c = chat.chatId;
    const queries: [string, string, Auth][] = [];
    for (const q of [
      "after=-1",
      "after=abc",
      "after=1.5",
      "after=1e400",
      "limit=0",
      "limit=100000",
      "limit=-5",
      "before=x",
      "after=1&after=2",
      "unknown=1",
      "after=%00",
    ])
      queries.push([`/api/chats/${c}/messages`, q, "visitor"]);
    for (const q of ["status=evil", "status=", "status=active&x=1", "status[]=active"])
      queries.push(["/api/operator/chats", q, "operator"]);
    for (const path of [`${ADMIN}/departments`, `${ADMIN}/operators`, `${ADMIN}/api-keys`, `${ADMIN}/chats`]) {
      for (const q of ["limit=0", "limit=abc", "limit=1000000", "cursor=%00", `cursor=${"x".repeat(5000)}`, "evil=1"])
        queries.push([path, q, "admin"]);
    }
    for (const q of ["level=galaxy", "ownerId=", "level=company&evil=1"])
      queries.push([`${ADMIN}/canned-responses`, q, "admin"]);
    for (const q of ["status=burning", "from=yesterday", "to=-1"]) queries.push([`${ADMIN}/chats`, q, "admin"]);
    // Search and History: filters are checked before any SQL (what looks like query syntax in `q` is
    // words, answered 200: search.test.ts).
    for (const q of [
      "",
      "q=",
      `q=${"x".repeat(201)}`,
      "q=a&cursor=c_1",
      "q=a&cursor=-1",
      "q=a&rating=meh",
      "q=a&limit=0",
      "q=a&from=yesterday",
      "q=a&evil=1",
    ]) {
      queries.push(["/api/operator/search", q, "operator"]);
      queries.push([`${ADMIN}/search`, q, "admin"]);
    }
    for (const q of ["rating=meh", "limit=51", "cursor=%00", "tagId=../x", "from=-1", "evil=1"])
      queries.push(["/api/operator/history", q, "operator"]);
    for (const q of [
      "",
      "from=2026-01-01",
      "from=2026-13-01&to=2026-13-02",
      "from=x&to=y",
      "from=2026-01-01&to=2026-01-02&timeZone=%00",
      "from=2026-01-01&to=2026-01-02&evil=1",
    ]) {
      queries.push(["/api/operator/reports", q, "operator"]);
      queries.push([`${ADMIN}/reports`, q, "admin"]);
    }
    for (const q of [
      "",
      "account=",
      `account=${"x".repeat(500)}`,
      "account=acc_nope",
      `account=${home.id}&department=nope`,
      `account=${home.id}&evil=1`,
    ])
      queries.push(["/api/widget/config", q, "none"]);
    for (const [path, query, auth] of queries) {
      await expectRefused(
        `GET ${path}?${query.slice(0, 40)}`,
        await request("GET", `${path}?${query}`, { token: goodToken(auth) }),
      );
    }
  });

  it("refuses pages from sites the account did not allow, on every widget entry point", async () => {
    const evil = { Origin: "https://evil.example" };
    await expectRefused(
      "widget config from evil origin",
      await request("GET", `/api/widget/config?account=${home.id}`, { headers: evil }),
    );
    await expectRefused(
      "session from evil origin",
      await request("POST", "/api/visitor/sessions", { headers: evil, body: JSON.stringify({ accountId: home.id }) }),
    );
    await expectRefused(
      "offline message from evil origin",
      await request("POST", "/api/visitor/offline-messages", {
        headers: evil,
        body: JSON.stringify({ accountId: home.id, name: "E", email: "e@evil.example", text: "x" }),
      }),
    );
    await expectRefused(
      "presence from evil origin",
      await request("GET", `/ws/visitors?account=${home.id}&visitor=visitor-evil-000000`, {
        headers: { ...evil, Upgrade: "websocket" },
      }),
    );
    await expectRefused(
      "chat socket from evil origin",
      await request("GET", `/ws/chats/${chat.chatId}?token=${encodeURIComponent(tokens.visitor)}`, {
        headers: { ...evil, Upgrade: "websocket" },
      }),
    );
    await expectRefused(
      "origin null",
      await request("POST", "/api/visitor/sessions", {
        headers: { Origin: "null" },
        body: JSON.stringify({ accountId: home.id }),
      }),
    );
  });
});

describe("hostile files and file links", () => {
  const png = Uint8Array.from(
    atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="),
    (ch) => ch.charCodeAt(0),
  );
  const exe = new Uint8Array([
    0x4d,
    0x5a,
    0x90,
    0x00,
    0x03,
    0x00,
    0x00,
    0x00,
    0x04,
    0x00,
    0x00,
    0x00,
    0xff,
    0xff,
    ...new Array(200).fill(0),
  ]);
  const upload = (
    query: string,
    body: BodyInit | null,
    init: { token?: string; headers?: Record<string, string>; chatId?: string } = {},
  ) =>
    request("POST", `/api/chats/${init.chatId ?? chat.chatId}/files?${query}`, {
      token: init.token ?? tokens.visitor,
      body,
      contentType: null,
      headers: init.headers ?? {},
    });

  it("refuses uploads that are too big, empty, of a forbidden or disguised type, misaddressed or unsigned", async () => {
    const q = (name: string) => `name=${encodeURIComponent(name)}&cid=${crypto.randomUUID()}`;
    const cases: [string, () => Promise<Response>][] = [
      ["an .exe", () => upload(q("setup.exe"), exe)],
      ["an .exe named .png", () => upload(q("cat.png"), exe)],
      ["an .exe named .txt", () => upload(q("notes.txt"), exe)],
      ["a PNG named .pdf", () => upload(q("invoice.pdf"), png)],
      ["text named .png", () => upload(q("photo.png"), new TextEncoder().encode("just text"))],
      ["text with NUL bytes", () => upload(q("notes.txt"), new Uint8Array([104, 105, 0, 0, 104]))],
      ["an empty file", () => upload(q("empty.txt"), new Uint8Array(0))],
      [
        "a declared 200 MB",
        () =>
          upload(q("big.txt"), new TextEncoder().encode("x"), {
            headers: { "Content-Length": String(200 * 1024 * 1024) },
          }),
      ],
      ["no name", () => upload(`cid=${crypto.randomUUID()}`, png)],
      ["no cid", () => upload("name=a.png", png)],
      ["a 5,000-character cid", () => upload(`name=a.png&cid=${"c".repeat(5000)}`, png)],
      ["an unknown parameter", () => upload(`${q("a.png")}&admin=1`, png)],
      [
        "no token",
        () => request("POST", `/api/chats/${chat.chatId}/files?${q("a.png")}`, { body: png, contentType: null }),
      ],
      ["another chat's visitor", () => upload(q("a.png"), png, { token: tokens.otherVisitor })],
      ["another account's owner", () => upload(q("a.png"), png, { token: tokens.otherOwner })],
      ["an API key", () => upload(q("a.png"), png, { token: home.apiKey })],
      ["an operator not in the chat", () => upload(q("a.png"), png, { token: tokens.owner })],
      ["a chat of another account", () => upload(q("a.png"), png, { chatId: otherChat.chatId })],
      ["a traversal in the chat id", () => upload(q("a.png"), png, { chatId: "..%2F..%2Fx" })],
      ["a page from another site", () => upload(q("a.png"), png, { headers: { Origin: "https://evil.example" } })],
    ];
    for (const [name, send] of cases) await expectRefused(`upload ${name}`, await send());
  });

  it("refuses forged, altered, replayed and expired download links", async () => {
    const link = new URL(fileLink);
    const otherLink = new URL(otherFileLink);
    const sig = link.searchParams.get("sig")!;
    const [, , , acc, chatId, file] = link.pathname.split("/");
    const expiredSig = await forge({ typ: "file", acc, chat: chatId, file, aud: "parley-file" }, { expired: true });
    const variants = [
      `${link.pathname}`,
      `${link.pathname}?sig=`,
      `${link.pathname}?sig=garbage`,
      `${link.pathname}?sig=${sig}x`,
      `${link.pathname}?sig=${encodeURIComponent(tokens.visitor)}`,
      `${link.pathname}?sig=${encodeURIComponent(expiredSig)}`,
      `${link.pathname}?sig=${otherLink.searchParams.get("sig")}`,
      `${otherLink.pathname}?sig=${sig}`,
      `/api/files/${other.id}/${chatId}/${file}?sig=${sig}`,
      `/api/files/${acc}/${otherChat.chatId}/${file}?sig=${sig}`,
      `/api/files/${acc}/${chatId}/..%2F..%2F${file}?sig=${sig}`,
      `/api/files/${acc}/${chatId}/${file}x?sig=${sig}`,
      `/api/files/${acc}/${chatId}/${file}?sig=x&sig=${sig}`,
    ];
    for (const path of variants)
      await expectRefused(`download ${path.slice(0, 90)}`, await request("GET", path), [400, 401, 403, 404, 410, 422]);
    // The genuine link still works: the refusals were the link's doing, not a broken file.
    const ok = await request("GET", `${link.pathname}${link.search}`);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
  });
});

describe("hostile email addresses and inbound mail", () => {
  it("refuses every transcript address that is not one plain address, header injection included", async () => {
    const addresses = [
      "",
      " ",
      "vera",
      "vera@",
      "@example.org",
      "vera@example.org\r\nBcc: victim@example.org",
      "vera@example.org\nBcc: victim@example.org",
      "vera@example.org\rBcc: victim@example.org",
      "vera@example.org, eve@example.org",
      "vera@example.org; eve@example.org",
      "Vera <vera@example.org>",
      '"Vera" <vera@example.org>',
      "<vera@example.org>",
      "vera@example.org>",
      "vera@exa mple.org",
      "vera@example.org\u0000",
      `${"v".repeat(300)}@example.org`,
      `vera@${"x".repeat(300)}.org`,
      "vera@example.org\u2028Bcc: x@y.z",
    ];
    for (const email of addresses) {
      await expectRefused(
        `transcript to ${JSON.stringify(email).slice(0, 40)}`,
        await request("POST", `/api/chats/${chat.chatId}/transcript`, {
          token: tokens.ann,
          body: JSON.stringify({ email }),
        }),
      );
    }
  });

  it("rejects replies to forged, altered or other chats' reply addresses, appending nothing", async () => {
    const domain = env.TRANSCRIPT_REPLY_DOMAIN;
    const genuine = await replyAddressFor(env.AUTH_SECRET, otherChat.chatId, domain);
    const [local, host] = genuine.split("@") as [string, string];
    const signature = local.slice(local.lastIndexOf(".") + 1);
    const recipients = [
      `reply+${chat.chatId}.${signature}@${host}`,
      `reply+${chat.chatId}.@${host}`,
      `reply+${chat.chatId}@${host}`,
      `reply+${chat.chatId}.${"a".repeat(43)}@${host}`,
      `reply+../../${chat.chatId}.${signature}@${host}`,
      `reply+c_nope.${signature}@${host}`,
      `reply@${host}`,
      `someone@${host}`,
      `reply+${chat.chatId}.${signature}@evil.example`,
    ];
    for (const to of recipients) {
      caseCount++;
      const raw = [
        "From: Mallory <mallory@evil.example>",
        `To: ${to}`,
        "Subject: Re: your chat",
        `Message-ID: <${crypto.randomUUID()}@evil.example>`,
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Let me in.",
      ].join("\r\n");
      try {
        const { rejected } = await deliverEmail(to, raw, { from: "mallory@evil.example" });
        if (!rejected) failures.push(`inbound to ${to}: not rejected`);
      } catch (error) {
        failures.push(`inbound to ${to}: threw ${String(error).slice(0, 120)}`);
      }
    }
  });
});

describe("hostile socket input", () => {
  const upgrade = (path: string, headers: Record<string, string> = {}) =>
    request("GET", path, { headers: { Upgrade: "websocket", ...headers } });

  it("refuses bad tokens and other chats on the chat and lobby sockets", async () => {
    const expiredVisitor = await forge(
      { typ: "visitor", acc: home.id, sub: chat.visitorId, chat: chat.chatId, name: "V" },
      { expired: true },
    );
    const visitorOfOtherChat = await forge({
      typ: "visitor",
      acc: home.id,
      sub: chat.visitorId,
      chat: "c_other",
      name: "V",
    });
    const wrongKey = await forge(
      { typ: "visitor", acc: home.id, sub: chat.visitorId, chat: chat.chatId, name: "V" },
      { key: new TextEncoder().encode("y".repeat(64)) },
    );
    const bad: [string, string][] = [
      ["no token", ""],
      ["garbage", "garbage"],
      ["an expired visitor token", expiredVisitor],
      ["a visitor token for another chat", visitorOfOtherChat],
      ["a token signed with another key", wrongKey],
      ["another account's visitor", tokens.otherVisitor],
      ["another account's owner", tokens.otherOwner],
      ["an API key", home.apiKey],
      ["a 20 KB token", "a".repeat(20_000)],
    ];
    for (const [name, token] of bad)
      await expectRefused(
        `chat socket with ${name}`,
        await upgrade(`/ws/chats/${chat.chatId}?token=${encodeURIComponent(token)}`),
      );
    for (const path of [
      `/ws/chats/${chat.chatId}`,
      `/ws/chats/${chat.chatId}?token=x&token=${encodeURIComponent(tokens.visitor)}`,
      `/ws/chats/..%2F${chat.chatId}?token=${encodeURIComponent(tokens.visitor)}`,
    ]) {
      await expectRefused(`chat socket ${path.slice(0, 60)}`, await upgrade(path));
    }
    for (const token of [
      "",
      "garbage",
      tokens.visitor,
      home.apiKey,
      await forge(
        { typ: "operator", acc: home.id, sub: `${home.id}_ann`, role: "operator", name: "Ann" },
        { expired: true },
      ),
    ]) {
      await expectRefused(
        `lobby socket with ${token.slice(0, 16)}`,
        await upgrade(`/ws/lobby?token=${encodeURIComponent(token)}`),
      );
    }
    await expectRefused(
      "lobby socket without upgrade",
      await request("GET", `/ws/lobby?token=${encodeURIComponent(tokens.ann)}`),
    );
    for (const query of [
      "",
      `account=${home.id}`,
      "visitor=visitor-0000000000000000",
      `account=${home.id}&visitor=short`,
      `account=${home.id}&visitor=${"v".repeat(65)}`,
      `account=${home.id}&visitor=../../x-000000000000`,
      `account=acc_nope&visitor=visitor-0000000000000000`,
    ]) {
      await expectRefused(`presence socket ?${query.slice(0, 40)}`, await upgrade(`/ws/visitors?${query}`));
    }
  });

  /** Frames any client might send; each must be answered by an error frame, the socket open. */
  const badFrames = (extra: string[]): (string | ArrayBuffer)[] => [
    new Uint8Array([1, 2, 3]).buffer,
    "",
    " ",
    "{",
    '{"type":',
    '{"type":"message","cid":"x","text":"tru',
    "[]",
    "[1,2]",
    "null",
    "true",
    "42",
    '"message"',
    "{}",
    '{"type":null}',
    '{"type":42}',
    '{"type":"nope"}',
    '{"type":"__proto__"}',
    '{"type":"constructor"}',
    '{"type":"toString"}',
    '{"type":"hasOwnProperty"}',
    `{"type":${"[".repeat(3000)}${"]".repeat(3000)}}`,
    ...extra,
  ];

  async function expectErrorFrames<F extends { type: string }>(
    name: string,
    client: ChatClient<F>,
    frames: (string | ArrayBuffer)[],
  ): Promise<void> {
    for (const frame of frames) {
      caseCount++;
      client.ws.send(frame);
      const label = typeof frame === "string" ? frame.slice(0, 50) : "binary";
      try {
        const error = (await client.next("error" as F["type"], 3000)) as unknown as { code: string };
        if (!knownCodes.has(error.code)) failures.push(`${name} ${label}: unknown code ${error.code}`);
      } catch (e) {
        failures.push(`${name} ${label}: no error frame (${String(e).slice(0, 120)})`);
      }
      if (client.closed) {
        failures.push(`${name} ${label}: socket closed ${JSON.stringify(client.closed)}`);
        return;
      }
    }
  }

  const messageFrames = [
    '{"type":"message"}',
    '{"type":"message","text":"x"}',
    '{"type":"message","cid":"","text":"x"}',
    `{"type":"message","cid":"${"c".repeat(65)}","text":"x"}`,
    '{"type":"message","cid":123,"text":"x"}',
    '{"type":"message","cid":null,"text":"x"}',
    '{"type":"message","cid":"h1"}',
    '{"type":"message","cid":"h2","text":42}',
    '{"type":"message","cid":"h3","text":null}',
    '{"type":"message","cid":"h4","text":""}',
    '{"type":"message","cid":"h5","text":"  \\n\\t "}',
    JSON.stringify({ type: "message", cid: "h6", text: "x".repeat(MAX_TEXT_LENGTH + 1) }),
    JSON.stringify({ type: "message", cid: "h7", text: "x".repeat(1 << 20) }),
    '{"type":"message","cid":"h8","text":"x","admin":true}',
    '{"type":"message","cid":"h9","text":"x","__proto__":{"kind":"operator"}}',
    '{"type":"message","cid":"h10","text":["x"]}',
    '{"type":"hello","since":-1}',
    '{"type":"hello","since":1.5}',
    '{"type":"hello","since":"0"}',
    '{"type":"hello","since":null}',
    '{"type":"hello","since":1e21}',
    '{"type":"hello","since":999999}',
    '{"type":"hello"}',
    '{"type":"typing","active":"yes"}',
    JSON.stringify({ type: "typing", active: true, draft: "d".repeat(MAX_TEXT_LENGTH + 1) }),
    '{"type":"typing","active":true,"draft":42}',
    '{"type":"read","seq":-1}',
    '{"type":"read","seq":"1"}',
    '{"type":"read"}',
    '{"type":"close","now":true}',
  ];

  // A private note is checked as a message is (docs/protocol.md, "Private notes").
  const noteFrames = [
    '{"type":"note"}',
    '{"type":"note","text":"x"}',
    '{"type":"note","cid":"","text":"x"}',
    '{"type":"note","cid":"n1","text":"  "}',
    JSON.stringify({ type: "note", cid: "n2", text: "x".repeat(MAX_TEXT_LENGTH + 1) }),
    '{"type":"note","cid":"n3","text":"x","kind":"text"}',
  ];

  it("answers every malformed chat frame from a visitor with an error and keeps the socket", async () => {
    const { client } = await join(chat.chatId, tokens.visitor);
    client.drain();
    await expectErrorFrames(
      "visitor chat socket",
      client,
      badFrames([
        ...messageFrames,
        ...noteFrames,
        // Well formed, but for operators only.
        '{"type":"note","cid":"n-visitor","text":"I am staff"}',
        '{"type":"leave"}',
        '{"type":"rate","rating":"meh"}',
        '{"type":"rate","rating":"good","comment":42}',
        JSON.stringify({ type: "rate", rating: "good", comment: "c".repeat(1001) }),
      ]),
    );
    client.close();
  });

  it("answers every malformed chat frame from an operator with an error and keeps the socket", async () => {
    const { client } = await join(chat.chatId, tokens.ann);
    client.drain();
    await expectErrorFrames(
      "operator chat socket",
      client,
      badFrames([...messageFrames, ...noteFrames, '{"type":"rate","rating":"good"}']),
    );
    client.close();
  });

  it("answers frames before hello with hello_required", async () => {
    const res = await upgrade(`/ws/chats/${chat.chatId}?token=${encodeURIComponent(tokens.visitor)}`);
    res.webSocket!.accept();
    const client = new ChatClient<ServerFrame>(res.webSocket!);
    await expectErrorFrames("chat socket before hello", client, [
      '{"type":"message","cid":"early","text":"sneaky"}',
      '{"type":"read","seq":1}',
      '{"type":"close"}',
    ]);
    client.close();
  });

  it("answers every malformed lobby frame with an error and keeps the socket", async () => {
    const res = await upgrade(`/ws/lobby?token=${encodeURIComponent(tokens.ann)}`);
    res.webSocket!.accept();
    const client = new ChatClient<LobbyServerFrame>(res.webSocket!);
    await client.next("lobby");
    await expectErrorFrames(
      "lobby socket",
      client,
      badFrames([
        '{"type":"presence"}',
        '{"type":"presence","status":"god"}',
        '{"type":"presence","status":null}',
        '{"type":"presence","status":"online","x":1}',
        '{"type":"message","cid":"x","text":"y"}',
      ]),
    );
    client.close();
  });

  it("answers every malformed presence frame with an error and keeps the socket", async () => {
    const res = await upgrade(`/ws/visitors?account=${home.id}&visitor=visitor-hostile-000000`, {
      Origin: "https://shop.example",
    });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    const client = new ChatClient<VisitorServerFrame>(res.webSocket!);
    const page = {
      type: "page",
      url: "https://shop.example/",
      title: "Shop",
      referrer: "",
      onSiteMs: 1000,
      chatting: false,
    };
    const wrong = [
      { ...page, url: 42 },
      { ...page, title: null },
      { ...page, onSiteMs: "1" },
      { ...page, onSiteMs: -5 },
      { ...page, chatting: "yes" },
      { ...page, chatId: 5 },
      { ...page, extra: true },
      { type: "page" },
    ].map((frame) => JSON.stringify(frame));
    await expectErrorFrames("presence socket", client, badFrames(wrong));
    client.close();
  });
});

describe("hostile but legitimate text", () => {
  it("is stored and returned exactly as sent, for the UIs to show as text", async () => {
    const texts = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      '<a href="javascript:alert(1)">click</a>',
      "\u202Eevil.exe\u202C",
      "zero\u200Bwidth\u200Djoin\uFEFF",
      "👩‍👩‍👧‍👦 🏳️‍🌈",
      "Z̴̧̛̭a̷l̴g̶o̸ t̶e̸x̵t̷",
      "\u0000nul and \u0007bell",
      "' OR 1=1; DROP TABLE chats; --",
      "../../../../etc/passwd",
      "${7*7} {{7*7}} <%= 7*7 %>",
      "\r\nBcc: victim@example.org",
      "ü".repeat(MAX_TEXT_LENGTH),
    ];
    const roundTrip = await startChat(home.id);
    legitimateChats.add(roundTrip.chatId);
    const ann = await operatorJoins(roundTrip.chatId, tokens.ann);
    for (const [i, text] of texts.entries()) {
      caseCount++;
      ann.send({ type: "message", cid: `t${i}`, text });
      const frame = await ann.next("ack").catch(() => null);
      if (!frame) failures.push(`legitimate text ${JSON.stringify(text.slice(0, 30))}: no ack`);
    }
    const page = (await (
      await call(`/api/chats/${roundTrip.chatId}/messages`, { token: roundTrip.token })
    ).json()) as HistoryPage;
    const stored = page.messages.filter((m) => m.kind === "text").map((m) => m.text);
    expect(stored).toEqual(texts);
    ann.close();
  });
});

describe("after the whole corpus", () => {
  it("every case was refused clearly, and nothing changed", async () => {
    expect(failures.join("\n")).toBe("");
    expect(await snapshot()).toBe(before);
    // The audit log grew by refused attempts only.
    const accepted = await env.DB.prepare("SELECT action, status FROM audit_log WHERE id > ? AND status < 400")
      .bind(auditMark)
      .all();
    expect(accepted.results).toEqual([]);
    // The corpus's size, so a shrinking corpus is noticed (docs/reliability.md quotes it).
    expect(caseCount).toBeGreaterThan(1500);
  });
});
