// The fault drill behind `npm run faults` and test/e2e/faults.test.ts: busy chats (a visitor and
// two operators each, everyone sending) through a proxy that can cut any connection, against a
// real `wrangler dev` that is killed (SIGKILL, wrangler and workerd alike) and restarted on the
// same local state while the chats go on. Clients behave as the widget and console do
// (docs/protocol.md): a message is resent with the same cid until acked, and a socket that drops
// reconnects and says hello with the last seq it holds. At the end every chat's log is read back
// and checked against everything any client was ever acknowledged.
import { randomUUID } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { DEMO } from "../../scripts/local-dev.ts";
import {
  ackedMessage,
  socketProtocols,
  type ChatMessage,
  type HistoryPage,
  type OperatorLoginResponse,
  type Participant,
  type ServerFrame,
  type VisitorSessionResponse,
} from "../../src/shared/protocol.ts";
import type { DevServer } from "./server.ts";

/** A TCP proxy whose target can move (a restarted wrangler gets a new port) and which can reset
 * one connection or all of them, the way a network failure does (no close frame: 1006). */
export class FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  port = 0;
  targetPort: number;

  constructor(targetPort: number) {
    this.targetPort = targetPort;
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, "127.0.0.1");
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const drop = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      for (const socket of pair) socket.on("error", drop).on("close", drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Resets one open connection chosen at random; false if none is open. */
  cutOne(): boolean {
    const all = [...this.pairs];
    const pair = all[Math.floor(Math.random() * all.length)];
    if (!pair) return false;
    this.pairs.delete(pair);
    pair[0].resetAndDestroy();
    pair[1].destroy();
    return true;
  }

  async stop(): Promise<void> {
    for (const [client, upstream] of this.pairs) (client.resetAndDestroy(), upstream.destroy());
    this.pairs.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

type Credentials = { chatId: string; token: string; who: string };

/** One participant's socket to one chat, resilient as the real clients are. Keeps its own
 * ledger: every ack it got (cid → seq) and every message it saw (seq → message). */
class DrillClient {
  readonly acked = new Map<string, number>();
  readonly seen = new Map<number, ChatMessage>();
  /** Sent, not acked yet: resent on every reconnect with the same cid. */
  readonly pending = new Map<string, string>();
  /** The same seq delivered twice to this client within one connection. */
  duplicateDeliveries = 0;
  /** A seq seen with two different contents: the log changed under the client. */
  conflicts = 0;
  errors: string[] = [];
  rateLimited = 0;
  connections = 0;
  private ws: WebSocket | null = null;
  private welcomed = false;
  /** This visitor as the room names them (its welcome): the author of its own acked messages. */
  private you: Participant | undefined;
  private stopped = false;
  private seenThisConnection = new Set<number>();
  private sentCount = 0;

  private readonly origin: () => string;
  readonly credentials: Credentials;

  constructor(origin: () => string, credentials: Credentials) {
    this.origin = origin;
    this.credentials = credentials;
  }

  /** The highest seq such that every seq up to it has been seen. */
  get contiguousSeq(): number {
    let seq = 0;
    while (this.seen.has(seq + 1)) seq++;
    return seq;
  }

  connect(): void {
    if (this.stopped) return;
    const { chatId, token } = this.credentials;
    // As the widget and the console do: the token in a subprotocol, speaking parley.v2 (short acks).
    const ws = new WebSocket(`${this.origin().replace(/^http/, "ws")}/ws/chats/${chatId}`, socketProtocols(token));
    this.ws = ws;
    this.welcomed = false;
    this.seenThisConnection = new Set();
    ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "hello", since: this.contiguousSeq })));
    ws.addEventListener("message", (event) => this.receive(JSON.parse(String(event.data)) as ServerFrame));
    const again = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.welcomed = false;
      if (!this.stopped) setTimeout(() => this.connect(), 50 + Math.random() * 250);
    };
    ws.addEventListener("close", again);
    ws.addEventListener("error", again);
  }

  /** Sends one new message now if connected, or keeps it for the next connection. */
  send(): void {
    const cid = `${this.credentials.who}-${++this.sentCount}-${randomUUID().slice(0, 8)}`;
    const text = `${this.credentials.who} says ${this.sentCount}`;
    this.pending.set(cid, text);
    if (this.welcomed) this.trySend({ type: "message", cid, text });
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
    this.ws = null;
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        this.connections++;
        this.welcomed = true;
        this.you = frame.you;
        for (const [cid, text] of this.pending) this.trySend({ type: "message", cid, text });
        return;
      case "msg":
        return this.record(frame.message);
      case "ack": {
        const earlier = this.acked.get(frame.cid);
        if (earlier !== undefined && earlier !== frame.seq) this.conflicts++;
        this.acked.set(frame.cid, frame.seq);
        const text = this.pending.get(frame.cid);
        this.pending.delete(frame.cid);
        if (text !== undefined && this.you && !this.seen.has(frame.seq))
          this.seen.set(frame.seq, ackedMessage(frame, { text }, this.you));
        return;
      }
      case "error":
        // Faster than the room takes from one visitor: the same message again once allowed, as
        // the widget does (the drill's talk is bursty, not a flood).
        if (frame.code === "rate_limited" && frame.cid) {
          const cid = frame.cid;
          setTimeout(() => {
            const text = this.pending.get(cid);
            if (text !== undefined && this.welcomed) this.trySend({ type: "message", cid, text });
          }, frame.retryAfterMs ?? 1000);
          this.rateLimited++;
          return;
        }
        if (this.errors.length < 10) this.errors.push(`${frame.code}: ${frame.message}`);
        return;
      default:
        return;
    }
  }

  private record(message: ChatMessage): void {
    if (this.seenThisConnection.has(message.seq)) this.duplicateDeliveries++;
    this.seenThisConnection.add(message.seq);
    const known = this.seen.get(message.seq);
    if (known && known.cid !== message.cid) this.conflicts++;
    if (!known) this.seen.set(message.seq, message);
  }

  private trySend(frame: unknown): void {
    try {
      this.ws?.send(JSON.stringify(frame));
    } catch {
      // Closing: the pending message goes again on the next connection.
    }
  }
}

export type DrillOptions = {
  chats: number;
  seconds: number;
  kills: number;
  cuts: number;
  messagesPerSecond: number;
  log?: (line: string) => void;
};

export type ChatVerdict = {
  chatId: string;
  messages: number;
  acked: number;
  /** Acknowledged but not in the log. */
  lost: number;
  /** A cid stored more than once, or an acked cid stored under another seq. */
  duplicated: number;
  /** Seqs not 1, 2, 3… without gaps. */
  outOfOrder: number;
  /** Clients whose final view differs from the log. */
  clientsBehind: number;
};

export type DrillReport = {
  config: Omit<DrillOptions, "log">;
  kills: number;
  cuts: number;
  reconnects: number;
  sent: number;
  acknowledged: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  clientsBehind: number;
  duplicateDeliveries: number;
  conflicts: number;
  errorFrames: string[];
  chats: ChatVerdict[];
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Reads a chat's whole log over HTTP, page by page. */
async function readLog(origin: string, chatId: string, token: string): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  for (let after = 0; ;) {
    const page = await json<HistoryPage>(
      await fetch(`${origin}/api/chats/${chatId}/messages?after=${after}&limit=200`, {
        headers: { Authorization: `Bearer ${token}` },
      }),
    );
    all.push(...page.messages);
    if (!page.messages.length || !page.hasMore) return all;
    after = page.messages.at(-1)!.seq;
  }
}

/** Runs the drill against `server` (already set up) and returns what it found. */
export async function runFaultDrill(server: DevServer, options: DrillOptions): Promise<DrillReport> {
  const log = options.log ?? (() => {});
  const proxy = new FaultProxy(server.port);
  await proxy.start();
  const origin = () => proxy.origin;
  try {
    const [alice, bob] = await Promise.all(
      DEMO.operators.slice(0, 2).map(
        async (op) =>
          (
            await json<OperatorLoginResponse>(
              await fetch(`${server.origin}/api/operator/login`, {
                method: "POST",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify({ email: op.email, password: DEMO.password }),
              }),
            )
          ).token,
      ),
    );
    const clients: DrillClient[] = [];
    const rooms: { chatId: string; clients: DrillClient[] }[] = [];
    for (let i = 0; i < options.chats; i++) {
      const session = await json<VisitorSessionResponse>(
        await fetch(`${server.origin}/api/visitor/sessions`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ accountId: DEMO.accountId, name: `Drill ${i + 1}` }),
        }),
      );
      for (const token of [alice!, bob!])
        await json(
          await fetch(`${server.origin}/api/operator/chats/${session.chatId}/join`, {
            method: "POST",
            headers: { Authorization: `Bearer ${token}` },
          }),
        );
      const members = [
        new DrillClient(origin, { chatId: session.chatId, token: session.token, who: `v${i}` }),
        new DrillClient(origin, { chatId: session.chatId, token: alice!, who: `a${i}` }),
        new DrillClient(origin, { chatId: session.chatId, token: bob!, who: `b${i}` }),
      ];
      rooms.push({ chatId: session.chatId, clients: members });
      clients.push(...members);
    }
    for (const client of clients) client.connect();

    // Everyone talks for the whole run: each tick, a random client sends.
    let running = true;
    let sent = 0;
    const talk = (async () => {
      const gap = 1000 / options.messagesPerSecond;
      while (running) {
        clients[Math.floor(Math.random() * clients.length)]!.send();
        sent++;
        await sleep(gap);
      }
    })();

    // Socket cuts spread over the run; kills at even intervals, each followed by a restart.
    let cuts = 0;
    const cutter = (async () => {
      const gap = (options.seconds * 1000) / Math.max(options.cuts, 1);
      while (running && cuts < options.cuts) {
        await sleep(gap * (0.5 + Math.random()));
        if (proxy.cutOne()) cuts++;
      }
    })();
    let kills = 0;
    const start = Date.now();
    for (let k = 1; k <= options.kills; k++) {
      await sleep(Math.max(0, start + (k * options.seconds * 1000) / (options.kills + 1) - Date.now()));
      log(`kill ${k}: ${sent} sent so far`);
      await server.kill();
      await server.start();
      proxy.targetPort = server.port;
      kills++;
      log(`restarted on port ${server.port}`);
    }
    await sleep(Math.max(0, start + options.seconds * 1000 - Date.now()));
    running = false;
    await Promise.all([talk, cutter]);

    // Drain: every message gets acked and every client catches up, or the drill says who did not.
    const drainUntil = Date.now() + 60_000;
    for (;;) {
      const logs = await Promise.all(rooms.map((room) => readLog(server.origin, room.chatId, alice!)));
      const settled = rooms.every((room, i) =>
        room.clients.every((c) => c.pending.size === 0 && c.contiguousSeq >= logs[i]!.length),
      );
      if (settled || Date.now() > drainUntil) break;
      await sleep(250);
    }
    for (const client of clients) client.stop();

    const verdicts: ChatVerdict[] = [];
    for (const room of rooms) {
      const messages = (await readLog(server.origin, room.chatId, alice!)).filter((m) => m.kind === "text");
      const all = await readLog(server.origin, room.chatId, alice!);
      const outOfOrder = all.filter((m, i) => m.seq !== i + 1).length;
      const byCid = new Map<string, number[]>();
      for (const m of messages)
        byCid.set(`${m.author.id}|${m.cid}`, [...(byCid.get(`${m.author.id}|${m.cid}`) ?? []), m.seq]);
      let lost = 0;
      let duplicated = [...byCid.values()].filter((seqs) => seqs.length > 1).length;
      let acked = 0;
      for (const client of room.clients) {
        for (const [cid, seq] of client.acked) {
          acked++;
          const stored = messages.filter((m) => m.cid === cid);
          if (!stored.length) lost++;
          else if (stored.length === 1 && stored[0]!.seq !== seq) duplicated++;
        }
      }
      const clientsBehind = room.clients.filter((c) => all.some((m) => c.seen.get(m.seq)?.cid !== m.cid)).length;
      verdicts.push({
        chatId: room.chatId,
        messages: messages.length,
        acked,
        lost,
        duplicated,
        outOfOrder,
        clientsBehind,
      });
    }
    const sum = (key: keyof ChatVerdict) => verdicts.reduce((n, v) => n + (v[key] as number), 0);
    const { log: _log, ...config } = options;
    return {
      config,
      kills,
      cuts,
      reconnects: clients.reduce((n, c) => n + c.connections - 1, 0),
      sent,
      acknowledged: sum("acked"),
      lost: sum("lost"),
      duplicated: sum("duplicated"),
      outOfOrder: sum("outOfOrder"),
      clientsBehind: sum("clientsBehind"),
      duplicateDeliveries: clients.reduce((n, c) => n + c.duplicateDeliveries, 0),
      conflicts: clients.reduce((n, c) => n + c.conflicts, 0),
      errorFrames: clients.flatMap((c) => c.errors).slice(0, 10),
      chats: verdicts,
    };
  } finally {
    await proxy.stop();
  }
}
