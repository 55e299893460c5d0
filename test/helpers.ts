// Test helpers: seed accounts through the same builder `npm start` uses, call the real Worker,
// and drive WebSockets with a small frame queue.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { OperatorLoginResponse, VisitorSessionResponse } from "../src/shared/protocol.ts";
import { SOCKET_PROTOCOL, type SocketProtocol } from "../src/shared/socket-auth.ts";
import { ChatClient } from "./chat-client.ts";

export { ChatClient };
import { generateApiKey } from "../src/worker/auth/api-keys.ts";
import { database } from "../src/server/db/index.ts";
import * as schema from "../src/server/db/schema.ts";
import { buildAccountSeed, seedTableOrder } from "../src/worker/db/seed.ts";

export const PASSWORD = "correct horse battery staple";
const ORIGIN = "https://parley.test";

export type SeededAccount = Awaited<ReturnType<typeof seedAccount>>;

/** A fresh account with two departments, an owner, two operators and an API key. */
export async function seedAccount(tag: string) {
  const id = `acc_${tag}`;
  const apiKey = generateApiKey();
  const seed = await buildAccountSeed({
    id,
    name: `Company ${tag}`,
    departments: [
      { id: `${id}_sales`, name: "Sales" },
      { id: `${id}_support`, name: "Support" },
    ],
    operators: [
      {
        id: `${id}_owner`,
        email: `owner@${tag}.test`,
        name: `Owner ${tag}`,
        role: "owner",
        password: PASSWORD,
        departmentIds: [`${id}_sales`],
      },
      {
        id: `${id}_ann`,
        email: `ann@${tag}.test`,
        name: "Ann",
        role: "operator",
        password: PASSWORD,
        departmentIds: [`${id}_sales`],
      },
      {
        id: `${id}_bob`,
        email: `bob@${tag}.test`,
        name: "Bob",
        role: "operator",
        password: PASSWORD,
        departmentIds: [`${id}_support`],
      },
    ],
    apiKey: { id: `${id}_key`, name: "test key", secret: apiKey },
    withSampleResponses: true,
  });
  const db = database(env.DB);
  for (const table of seedTableOrder) {
    const rows = seed[table];
    if (rows.length) await db.insert(schema[table]).values(rows as never);
  }
  return {
    id,
    apiKey,
    salesId: `${id}_sales`,
    emails: { owner: `owner@${tag}.test`, ann: `ann@${tag}.test`, bob: `bob@${tag}.test` },
  };
}

export async function call(
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(ORIGIN + path, { ...init, headers, body }));
}

export async function login(email: string, password = PASSWORD): Promise<OperatorLoginResponse> {
  const res = await call("/api/operator/login", { method: "POST", json: { email, password } });
  expect(res.status).toBe(200);
  return res.json();
}

export async function startChat(
  accountId: string,
  extra: Record<string, unknown> = {},
): Promise<VisitorSessionResponse> {
  const res = await call("/api/visitor/sessions", {
    method: "POST",
    json: { accountId, name: "Vera Visitor", ...extra },
  });
  expect(res.status).toBe(201);
  return res.json();
}

/** Opens a chat socket; resolves to the raw upgrade response so tests can check refusals. It
 * asks for `protocol` (by default parley.v2, as the widget and the console do: short acks). */
export async function upgrade(
  chatId: string,
  token: string | undefined,
  protocol: SocketProtocol = SOCKET_PROTOCOL,
): Promise<Response> {
  const query = token === undefined ? "" : `?token=${encodeURIComponent(token)}`;
  return exports.default.fetch(
    new Request(`${ORIGIN}/ws/chats/${chatId}${query}`, {
      headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": protocol },
    }),
  );
}

/** Connects and says hello; returns the client once the welcome has arrived. */
export async function join(chatId: string, token: string, since = 0, protocol: SocketProtocol = SOCKET_PROTOCOL) {
  const res = await upgrade(chatId, token, protocol);
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  const client = new ChatClient(res.webSocket!);
  client.send({ type: "hello", since });
  const welcome = await client.next("welcome");
  return { client, welcome };
}

/** Joins as an operator and reads the replay up to and including the operator's own join message. */
export async function operatorJoins(chatId: string, token: string) {
  const { client, welcome } = await join(chatId, token);
  for (;;) {
    const { message } = await client.next("msg");
    if (message.event === "join" && message.author.id === welcome.you.id) return client;
  }
}

// ---- Admin API and lobby helpers -----------------------------------------------------------
import type { LobbyServerFrame } from "../src/shared/lobby-protocol.ts";
import type { Problem } from "../src/shared/protocol.ts";

export const ADMIN = "/api/admin/v1";

/** Calls the admin API: `admin("/departments", key, { method: "POST", json })`. */
export function admin(
  path: string,
  token: string | undefined,
  init: RequestInit & { json?: unknown } = {},
): Promise<Response> {
  return call(ADMIN + path, { ...init, ...(token === undefined ? {} : { token }) });
}

/** Asserts a problem response of this status and code, and returns its body. */
export async function expectProblem(res: Response, status: number, code: string): Promise<Problem> {
  const body = await res.text();
  expect({ status: res.status, body }).toMatchObject({ status });
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const problem = JSON.parse(body) as Problem;
  expect(problem).toMatchObject({ status, code });
  return problem;
}

/** Asserts a JSON answer of this status and returns its body. */
export async function expectJson<T>(res: Response, status: number): Promise<T> {
  const body = await res.text();
  expect({ status: res.status, body }).toMatchObject({ status });
  return JSON.parse(body) as T;
}

/** Opens a lobby socket as this operator and waits for its first snapshot. */
export async function connectLobby(token: string) {
  const res = await exports.default.fetch(
    new Request(`${ORIGIN}/ws/lobby?token=${encodeURIComponent(token)}`, { headers: { Upgrade: "websocket" } }),
  );
  expect(res.status).toBe(101);
  res.webSocket!.accept();
  const client = new ChatClient<LobbyServerFrame>(res.webSocket!);
  const snapshot = await client.next("lobby");
  return { client, snapshot };
}

/** A lobby socket of an operator who is online (so the queue reaches them), with its snapshot. */
export async function onlineLobby(token: string) {
  const { client, snapshot } = await connectLobby(token);
  if (snapshot.you.status === "online") return { client, snapshot };
  client.send({ type: "presence", status: "online" });
  await client.next("presence");
  return { client, snapshot: await client.next("lobby") };
}

// ---- Inbound email -----------------------------------------------------------------------------
import worker from "../src/worker/index.ts";

export type Delivery = { rejected: string | undefined };

/** Hands a raw email (CRLF lines) to the Worker's email() handler the way Email Routing does, and
 * says whether the handler rejected it. */
export async function deliverEmail(
  to: string,
  raw: string,
  options: { from?: string; headers?: Record<string, string> } = {},
): Promise<Delivery> {
  const bytes = new TextEncoder().encode(raw);
  const delivery: Delivery = { rejected: undefined };
  const headerLines = raw
    .slice(0, raw.indexOf("\r\n\r\n"))
    .split("\r\n")
    .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()] as [string, string]);
  const message = {
    from: options.from ?? "vera@example.org",
    to,
    raw: new Response(bytes).body!,
    rawSize: bytes.byteLength,
    headers: new Headers([...headerLines, ...Object.entries(options.headers ?? {})]),
    canBeForwarded: false,
    setReject(reason: string) {
      delivery.rejected = reason;
    },
  } as unknown as ForwardableEmailMessage;
  await worker.email(message, env);
  return delivery;
}

/** Polls `read` until `check` holds, and answers that value: for what follows through a queue
 * (the search index, reports), seconds after the event. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
