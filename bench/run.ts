// `npm run bench`: R rooms x P participants, M messages per room, against `wrangler dev`, once
// through Parley (auth, validation, every message stored in the ChatRoom's SQLite) and once
// through BareBroadcast (bench/worker.ts: relay only) on the same runtime. Prints one JSON object
// on stdout; progress goes to stderr. docs/benchmarks.md explains the method and a recorded run.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { applyLocalMigrations, DEMO, ROOT, seedDemo, startWrangler, waitForHealth } from "../scripts/local-dev.ts";
import type { OperatorLoginResponse, ServerFrame, VisitorSessionResponse } from "../src/shared/protocol.ts";

const CONFIG = join(ROOT, "bench", "wrangler.bench.toml");

const { values: flags } = parseArgs({
  options: {
    rooms: { type: "string" },
    participants: { type: "string" },
    messages: { type: "string" },
    window: { type: "string" },
    warmup: { type: "string" },
    url: { type: "string" },
  },
});

/** A whole-number option from `--name N`, else BENCH_NAME in the environment, else the default. */
function option(name: "rooms" | "participants" | "messages" | "window" | "warmup", fallback: number, min = 1): number {
  const raw = flags[name] ?? process.env[`BENCH_${name.toUpperCase()}`];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
  return value;
}

const config = {
  rooms: option("rooms", 20),
  participants: option("participants", 3, 2),
  messages: option("messages", 100),
  /** Unacknowledged messages each room's sender may have in flight. */
  window: option("window", 10),
  /** Messages per room sent and discarded before measuring, to warm up both objects and the JIT. */
  warmup: option("warmup", 10, 0),
};
const TIMEOUT_MS = 60_000;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** One scenario's messages for one pass (warm-up or measured). Room senders keep `window`
 * messages in flight; every receiver checks it gets each message once, in order. */
class Round {
  readonly latencies: number[] = [];
  readonly counts = { missing: 0, duplicate: 0, outOfOrder: 0 };
  readonly done: Promise<void>;
  private finish!: () => void;
  private readonly expected: number;
  private delivered = 0;
  private startedAt = 0;
  private finishedAt = 0;
  private readonly sentAt: Float64Array[];
  private readonly nextIndex: number[];
  private readonly inFlight: number[];
  /** Per room, per receiver: which messages arrived, and the last index and seq seen. */
  private readonly seen: { got: Uint8Array; lastIndex: number; lastSeq: number }[][];

  readonly tag: string;
  private readonly send: (room: number, cid: string) => void;

  constructor(tag: string, send: (room: number, cid: string) => void) {
    this.tag = tag;
    this.send = send;
    const { rooms, participants } = config;
    this.expected = rooms * (participants - 1) * this.size();
    this.sentAt = Array.from({ length: rooms }, () => new Float64Array(this.size()));
    this.nextIndex = new Array<number>(rooms).fill(0);
    this.inFlight = new Array<number>(rooms).fill(0);
    this.seen = Array.from({ length: rooms }, () =>
      Array.from({ length: participants - 1 }, () => ({ got: new Uint8Array(this.size()), lastIndex: -1, lastSeq: -1 })),
    );
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  size(): number {
    return this.tag === "warmup" ? config.warmup : config.messages;
  }

  async run(): Promise<void> {
    this.startedAt = performance.now();
    if (this.expected === 0) return;
    for (let room = 0; room < config.rooms; room++) this.pump(room);
    const timer = setTimeout(() => this.finish(), TIMEOUT_MS);
    await this.done;
    clearTimeout(timer);
    if (!this.finishedAt) this.finishedAt = performance.now();
  }

  /** The index of a cid of this round, or -1 for a frame left over from an earlier round. */
  indexOf(cid: string | null | undefined): number {
    const [tag, index] = (cid ?? "").split("-");
    return tag === this.tag ? Number(index) : -1;
  }

  /** The sender may send one more message in this room (an ack, or a receipt at the pacing receiver). */
  release(room: number): void {
    this.inFlight[room]!--;
    this.pump(room);
  }

  receive(room: number, receiver: number, index: number, seq: number): void {
    const now = performance.now();
    const seen = this.seen[room]![receiver]!;
    if (seen.got[index]) {
      this.counts.duplicate++;
      return;
    }
    seen.got[index] = 1;
    if (index < seen.lastIndex || seq <= seen.lastSeq) this.counts.outOfOrder++;
    seen.lastIndex = Math.max(seen.lastIndex, index);
    seen.lastSeq = Math.max(seen.lastSeq, seq);
    this.latencies.push(now - this.sentAt[room]![index]!);
    if (++this.delivered === this.expected) {
      this.finishedAt = now;
      this.finish();
    }
  }

  private pump(room: number): void {
    while (this.inFlight[room]! < config.window && this.nextIndex[room]! < this.size()) {
      const index = this.nextIndex[room]!++;
      this.inFlight[room]!++;
      this.sentAt[room]![index] = performance.now();
      this.send(room, `${this.tag}-${index}`);
    }
  }

  result() {
    const seconds = (this.finishedAt - this.startedAt) / 1000;
    const sorted = Float64Array.from(this.latencies).sort();
    const percentile = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN);
    const round2 = (n: number) => Math.round(n * 100) / 100;
    return {
      deliveries: this.delivered,
      seconds: Math.round(seconds * 1000) / 1000,
      deliveriesPerSecond: Math.round(this.delivered / seconds),
      p50Ms: round2(percentile(0.5)),
      p99Ms: round2(percentile(0.99)),
      ...this.counts,
      missing: this.expected - this.delivered,
    };
  }
}

/** A scenario: its rooms' sockets (index 0 sends, the rest receive) and how a message goes out. */
type Scenario = { name: string; rooms: WebSocket[][]; send: (room: number, cid: string, text: string) => void; errors: number; round?: Round };

const textFor = (cid: string) => `Bench message ${cid}, about as long as a short chat line.`;

function openSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.addEventListener("open", () => resolve(ws));
    ws.addEventListener("error", () => reject(new Error(`WebSocket ${url.replace(/token=[^&]+/, "token=…")} failed to open`)));
  });
}

async function post<T>(origin: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${origin}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function parleyScenario(origin: string): Promise<Scenario> {
  const scenario: Scenario = { name: "parley", rooms: [], errors: 0, send: (room, cid, text) => scenario.rooms[room]![0]!.send(JSON.stringify({ type: "message", cid, text })) };
  const operators = await Promise.all(
    DEMO.operators.map((o) => post<OperatorLoginResponse>(origin, "/api/operator/login", { email: o.email, password: DEMO.password })),
  );
  const wsOrigin = origin.replace(/^http/, "ws");
  scenario.rooms = await Promise.all(
    Array.from({ length: config.rooms }, async (_, room) => {
      const session = await post<VisitorSessionResponse>(origin, "/api/visitor/sessions", { accountId: DEMO.accountId, name: `Bench ${room}` });
      // The visitor sends; operators receive, with more than one socket each if P - 1 > operators.
      const tokens = [session.token, ...Array.from({ length: config.participants - 1 }, (_, k) => operators[k % operators.length]!.token)];
      const sockets: WebSocket[] = [];
      // One at a time, so each operator's join is settled before the next socket says hello.
      for (const [i, token] of tokens.entries()) {
        const ws = await openSocket(`${wsOrigin}/ws/chats/${session.chatId}?token=${encodeURIComponent(token)}`);
        await new Promise<void>((resolve, reject) => {
          ws.addEventListener("message", (event) => {
            const frame = JSON.parse(String(event.data)) as ServerFrame;
            // Settling an already settled promise is a no-op, so this listener can stay for good.
            if (frame.type === "welcome") resolve();
            else if (frame.type === "error") reject(new Error(`hello failed: ${frame.code} ${frame.message}`));
            onParleyFrame(scenario, room, i - 1, frame);
          });
          ws.send(JSON.stringify({ type: "hello", since: 0 }));
        });
        sockets.push(ws);
      }
      return sockets;
    }),
  );
  return scenario;
}

/** `receiver` is -1 for the sending visitor. System messages (joins) and other frames are ignored. */
function onParleyFrame(scenario: Scenario, room: number, receiver: number, frame: ServerFrame): void {
  const round = scenario.round;
  if (frame.type === "error") {
    scenario.errors++;
    log(`parley room ${room}: error frame ${frame.code}: ${frame.message}`);
  } else if (!round) {
    return;
  } else if (frame.type === "ack" && receiver === -1) {
    if (round.indexOf(frame.cid) >= 0) round.release(room);
  } else if (frame.type === "msg" && frame.message.kind === "text" && receiver >= 0) {
    const index = round.indexOf(frame.message.cid);
    if (index >= 0) round.receive(room, receiver, index, frame.message.seq);
  }
}

async function bareScenario(origin: string): Promise<Scenario> {
  const scenario: Scenario = { name: "bare", rooms: [], errors: 0, send: (room, cid, text) => scenario.rooms[room]![0]!.send(JSON.stringify({ cid, text, at: Date.now() })) };
  const wsOrigin = origin.replace(/^http/, "ws");
  const run = randomBytes(4).toString("hex");
  scenario.rooms = await Promise.all(
    Array.from({ length: config.rooms }, async (_, room) => {
      const sockets = await Promise.all(Array.from({ length: config.participants }, () => openSocket(`${wsOrigin}/bench/bare/${run}-${room}`)));
      sockets.forEach((ws, i) => {
        if (i === 0) return;
        ws.addEventListener("message", (event) => {
          const round = scenario.round;
          const { cid } = JSON.parse(String(event.data)) as { cid: string };
          const index = round ? round.indexOf(cid) : -1;
          if (!round || index < 0) return;
          // No acks here, and the relay keeps order, so the index stands in for Parley's seq.
          round.receive(room, i - 1, index, index);
          // There are no acks: the first receiver paces the sender instead.
          if (i === 1) round.release(room);
        });
      });
      return sockets;
    }),
  );
  return scenario;
}

async function pass(scenario: Scenario, tag: string): Promise<Round> {
  const round = new Round(tag, (room, cid) => scenario.send(room, cid, textFor(cid)));
  scenario.round = round;
  await round.run();
  return round;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Our own `wrangler dev` on a fresh, migrated and seeded state directory, with a throwaway secret. */
async function startServer(): Promise<{ origin: string; stop: () => Promise<void> }> {
  const persistTo = mkdtempSync(join(tmpdir(), "parley-bench-"));
  log(`applying migrations and the demo seed in ${persistTo}`);
  applyLocalMigrations(persistTo, CONFIG);
  await seedDemo(persistTo, CONFIG);
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const secret = randomBytes(32).toString("base64url");
  const child: ChildProcess = startWrangler({
    port,
    persistTo,
    config: CONFIG,
    quiet: true,
    // The secret on the command line rather than in a file: nothing to clean up or leak into git.
    // An explicit inspector port, because another `wrangler dev` may hold the default 9229.
    extraArgs: ["--var", `AUTH_SECRET:${secret}`, "--inspector-port", String(inspectorPort), "--log-level", "warn"],
  });
  // Drain wrangler's output (a full pipe would stall it) and keep the tail for error reports.
  const tail: string[] = [];
  const keep = (chunk: unknown) => {
    tail.push(...String(chunk).split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(persistTo, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  log(`starting wrangler dev on ${origin}`);
  try {
    await waitForHealth(origin, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${tail.join("\n")}`);
  }
  return { origin, stop };
}

const server = flags.url ? { origin: flags.url.replace(/\/$/, ""), stop: async () => {} } : await startServer();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void server.stop().finally(() => process.exit(130)));
let exitCode = 0;
try {
  log(`opening ${config.rooms} rooms x ${config.participants} sockets for each scenario`);
  const bare = await bareScenario(server.origin);
  const parley = await parleyScenario(server.origin);
  for (const scenario of [bare, parley]) await pass(scenario, "warmup");
  const results = { bare: (await pass(bare, "m")).result(), parley: (await pass(parley, "m")).result() };
  for (const scenario of [bare, parley]) for (const room of scenario.rooms) for (const ws of room) ws.close(1000, "bench done");
  const ratio = (key: "deliveriesPerSecond" | "p50Ms" | "p99Ms") => Math.round((results.parley[key] / results.bare[key]) * 1000) / 1000;
  const wrangler = (JSON.parse(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8")) as { version: string }).version;
  const report = {
    config: { ...config, server: flags.url ? server.origin : "wrangler dev started by the bench" },
    parley: { ...results.parley, errorFrames: parley.errors },
    bare: results.bare,
    ratio: { deliveriesPerSecond: ratio("deliveriesPerSecond"), p50: ratio("p50Ms"), p99: ratio("p99Ms") },
    node: process.version,
    wrangler,
    cpus: cpus().length,
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(report, null, 2));
  const p = results.parley;
  if (p.missing || p.duplicate || p.outOfOrder || parley.errors) {
    log("Parley did not deliver every message exactly once and in order");
    exitCode = 1;
  }
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  exitCode = 1;
} finally {
  await server.stop();
}
// Sockets still closing and fetch's keep-alive pool would hold the process open for a while.
process.exit(exitCode);
