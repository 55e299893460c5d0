// Bench-only Worker entry (bench/wrangler.bench.toml). It serves the real Parley app unchanged and
// adds two baselines: BareBroadcast, the least a chat room on Durable Objects can do (relay each
// frame to the other sockets; no storage, no auth, no validation), and StoredBroadcast, the least
// a chat room that keeps its messages can do (insert each into SQLite, then send it to every
// socket, the sender's echo standing for the ack). `npm run bench` measures all three on the same
// runtime so Parley's figures can be read as ratios to them. Never deployed: the
// production entry is src/worker/index.ts, which knows nothing of this file.
import { DurableObject } from "cloudflare:workers";
import { app } from "../src/worker/index.ts";
import { consumeEvents } from "../src/worker/events.ts";

export { ChatRoom, Lobby } from "../src/worker/index.ts";

type BenchEnv = Env & {
  BARE_BROADCAST: DurableObjectNamespace<BareBroadcast>;
  STORED_BROADCAST: DurableObjectNamespace<StoredBroadcast>;
};

export class BareBroadcast extends DurableObject<BenchEnv> {
  override async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    // Hibernation API, like ChatRoom, so both pay the same runtime path per frame.
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) {
      if (socket === ws) continue;
      try {
        socket.send(data);
      } catch {
        // A peer closing mid-broadcast is not the sender's problem.
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}

/** Stores each frame's message as the next row of its SQLite table, then sends the stored row to
 * every socket, the sender included: what Parley's store-then-ack-then-broadcast must at least do,
 * without auth, validation, dedup by cid or rate limits. */
export class StoredBroadcast extends DurableObject<BenchEnv> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, cid TEXT, text TEXT NOT NULL, at INTEGER NOT NULL)",
    );
  }

  override async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(_ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const { cid, text } = JSON.parse(String(data)) as { cid: string; text: string };
    const at = Date.now();
    const { seq } = this.sql
      .exec<{ seq: number }>("INSERT INTO messages (cid, text, at) VALUES (?, ?, ?) RETURNING seq", cid, text, at)
      .one();
    const frame = JSON.stringify({ seq, cid, text, at });
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(frame);
      } catch {
        // A peer closing mid-broadcast is not the sender's problem.
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}

const BASELINE_PATH = /^\/bench\/(bare|stored)\/([^/]+)$/;

/** `npm run bench:search`: chats for its messages (the index keeps rows of chats it knows only). */
async function addChats(
  env: BenchEnv,
  body: { accountId: string; departmentId: string | null; chatIds: string[] },
): Promise<Response> {
  const insert = env.DB.prepare(
    "INSERT INTO chats (id, account_id, department_id, visitor_id, visitor_name, status) VALUES (?, ?, ?, ?, ?, 'closed') ON CONFLICT DO NOTHING",
  );
  await env.DB.batch(
    body.chatIds.map((id, i) => insert.bind(id, body.accountId, body.departmentId, `v_${id}`, `Visitor ${i}`)),
  );
  return new Response(null, { status: 204 });
}

/** `npm run bench:search`: events through the queue consumer's own code (consumeEvents), in
 * batches of 100 as the queue hands them over, without the queue's batching delay. */
async function indexEvents(env: BenchEnv, body: { events: unknown[] }): Promise<Response> {
  let failed = 0;
  for (let i = 0; i < body.events.length; i += 100) {
    const messages = body.events.slice(i, i + 100).map((event, j) => ({
      id: `bench-${i + j}`,
      timestamp: new Date(),
      attempts: 1,
      body: JSON.stringify(event),
      ack() {},
      retry() {
        failed++;
      },
    }));
    const batch = { queue: "parley-events", messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch;
    await consumeEvents(batch, env);
  }
  return Response.json({ failed });
}

export default {
  // BENCH_CONSUMER "off" (npm run bench -- --consumer off) acks events unread: the rooms' side of the
  // pipeline alone, without the index writes that share this machine's cores.
  queue: (batch: MessageBatch, env: BenchEnv) =>
    (env as { BENCH_CONSUMER?: string }).BENCH_CONSUMER === "off" ? batch.ackAll() : consumeEvents(batch, env),
  async fetch(request: Request, env: BenchEnv, ctx: ExecutionContext): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/bench/chats") return addChats(env, await request.json());
    if (request.method === "POST" && path === "/bench/index") return indexEvents(env, await request.json());
    if (request.method === "POST" && path === "/bench/optimize") {
      // FTS5's own command: merges the index's segments into one.
      await env.DB.prepare("INSERT INTO message_search(message_search) VALUES ('optimize')").run();
      return new Response(null, { status: 204 });
    }
    const match = BASELINE_PATH.exec(path);
    if (match && request.method === "GET") {
      if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
        return new Response("Expected a WebSocket upgrade", { status: 426 });
      const namespace: DurableObjectNamespace = match[1] === "bare" ? env.BARE_BROADCAST : env.STORED_BROADCAST;
      return namespace.get(namespace.idFromName(decodeURIComponent(match[2]!))).fetch(request);
    }
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<BenchEnv>;
