// `npm run bench`: R rooms x P participants, M messages per room, against `wrangler dev`, through
// Parley (auth, validation, every message stored in the ChatRoom's SQLite), through BareBroadcast
// (bench/worker.ts: relay only) and through StoredBroadcast (bench/worker.ts: insert into SQLite,
// then send to every socket, the sender's echo standing for the ack) on the same runtime, in
// alternating rounds. Prints
// one JSON object on stdout; progress goes to stderr. docs/benchmarks.md explains the method.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO, ROOT } from "../scripts/local-dev.ts";
import { groupCpuSeconds, serverMemory, startBenchServer, type BenchServer } from "./bench-server.ts";
import { socketProtocols } from "../src/shared/socket-auth.ts";
import type { OperatorLoginResponse, ServerFrame, VisitorSessionResponse } from "../src/shared/protocol.ts";

const TIMEOUT_MS = 60_000;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const numeric = ["rooms", "participants", "messages", "window", "warmup", "rounds", "visitors"] as const;
const { values: flags } = parseArgs({
  options: {
    ...Object.fromEntries(numeric.map((name) => [name, { type: "string" as const }])),
    url: { type: "string" },
    /** Bare, then stored, then Parley, each with only its own sockets open: for runs too big to hold both at
     * once (wrangler dev's runtime restarted near 5,000 sockets), and so each has its own memory. */
    apart: { type: "boolean", default: false },
    /** "off": chats publish no events (EVENT_PIPELINE), to measure what the event pipeline costs. */
    pipeline: { type: "string", default: "on" },
    /** "off": the queue's consumer acks events without indexing them (the rooms' cost alone). */
    consumer: { type: "string", default: "on" },
  },
});
if (flags.pipeline !== "on" && flags.pipeline !== "off") throw new Error("--pipeline is on or off");
/** A whole number from `--name N`, else BENCH_NAME in the environment, else the default. */
function option(name: (typeof numeric)[number], fallback: number, min = 1): number {
  const raw =
    (flags as unknown as Record<string, string | undefined>)[name] ?? process.env[`BENCH_${name.toUpperCase()}`];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
  return value;
}
const config = {
  rooms: option("rooms", 20),
  participants: option("participants", 3, 2),
  /** Per room and round. */
  messages: option("messages", 100),
  /** Messages each room's sender may have in flight (sent, not yet acknowledged). */
  window: option("window", 10),
  /** Messages per room sent before measuring, to wake every object and warm the JIT. */
  warmup: option("warmup", 10, 0),
  /** The scenarios take turns this many times, so drifting background load hits each alike. */
  rounds: option("rounds", 3),
  /** Live visitors on the account's sites while Parley's rounds run: presence sockets to its
   * Lobby, each moving to another page every 30 s on average, watched by an operator's console. */
  visitors: option("visitors", 0, 0),
};

/** One scenario's pass: each room's sender keeps `window` messages in flight, and every receiver
 * checks that it gets each message once and in order. */
class Round {
  readonly latencies: number[] = [];
  readonly counts = { delivered: 0, duplicate: 0, outOfOrder: 0 };
  readonly cpu = { server: 0, client: 0 };
  seconds = 0;
  failure: string | undefined;
  readonly tag: string;
  readonly expected: number;
  private readonly messages: number;
  private readonly send: (room: number, cid: string) => void;
  private finish = () => {};
  /** Per room: send times, the next index to send, how many are in flight, and per receiver
   * which messages arrived and the highest index and seq seen. */
  private readonly rooms: {
    sentAt: Float64Array;
    next: number;
    inFlight: number;
    receivers: { got: Uint8Array; index: number; seq: number }[];
  }[];

  constructor(tag: string, messages: number, send: (room: number, cid: string) => void) {
    [this.tag, this.messages, this.send] = [tag, messages, send];
    this.expected = config.rooms * (config.participants - 1) * messages;
    this.rooms = Array.from({ length: config.rooms }, () => ({
      sentAt: new Float64Array(messages),
      next: 0,
      inFlight: 0,
      receivers: Array.from({ length: config.participants - 1 }, () => ({
        got: new Uint8Array(messages),
        index: -1,
        seq: -1,
      })),
    }));
  }

  async run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    const timer = setTimeout(
      () => this.fail(`timed out after ${TIMEOUT_MS} ms with ${this.counts.delivered} of ${this.expected} deliveries`),
      TIMEOUT_MS,
    );
    const startedAt = performance.now();
    for (let room = 0; room < config.rooms; room++) this.pump(room);
    if (this.expected > 0) await done;
    this.seconds = (performance.now() - startedAt) / 1000;
    clearTimeout(timer);
  }

  fail(reason: string): void {
    this.failure ??= reason;
    this.finish();
  }

  /** The index in a cid of this round, or -1 for a frame left over from an earlier one. */
  indexOf(cid: string | null | undefined): number {
    const [tag, index] = (cid ?? "").split("-");
    return tag === this.tag ? Number(index) : -1;
  }

  /** One message in the room is settled (acked, or seen by the pacing receiver): send another. */
  release(room: number): void {
    this.rooms[room]!.inFlight--;
    this.pump(room);
  }

  receive(room: number, receiver: number, index: number, seq: number): void {
    const now = performance.now();
    const seen = this.rooms[room]!.receivers[receiver]!;
    if (seen.got[index]) {
      this.counts.duplicate++;
      return;
    }
    seen.got[index] = 1;
    if (index < seen.index || seq <= seen.seq) this.counts.outOfOrder++;
    [seen.index, seen.seq] = [Math.max(seen.index, index), Math.max(seen.seq, seq)];
    this.latencies.push(now - this.rooms[room]!.sentAt[index]!);
    if (++this.counts.delivered === this.expected) this.finish();
  }

  private pump(room: number): void {
    const r = this.rooms[room]!;
    for (; r.inFlight < config.window && r.next < this.messages; r.next++, r.inFlight++) {
      r.sentAt[r.next] = performance.now();
      this.send(room, `${this.tag}-${r.next}`);
    }
  }
}

type ScenarioName = "bare" | "stored" | "parley";
/** A scenario's rooms (socket 0 of each sends, the rest receive) and how a message goes out. */
type Scenario = {
  name: ScenarioName;
  rooms: WebSocket[][];
  send: (room: number, cid: string) => void;
  errorFrames: number;
  round?: Round;
};

const textFor = (cid: string) => `Bench message ${cid}, about as long as a short chat line.`;
/** Set while a round runs: a socket closing then (wrangler dev restarting, say) fails it at once. */
let running: Round | undefined;
let closing = false;

function openSocket(url: string, protocols?: string[]): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols);
  ws.addEventListener(
    "close",
    (event) => closing || running?.fail(`a socket closed unexpectedly (${event.code} ${event.reason})`),
  );
  return new Promise((resolve, reject) => {
    ws.addEventListener("open", () => resolve(ws));
    ws.addEventListener("error", () => reject(new Error(`WebSocket ${url} failed to open`)));
  });
}

async function post<T>(origin: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${origin}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function parleyScenario(origin: string): Promise<Scenario> {
  const s: Scenario = {
    name: "parley",
    rooms: [],
    errorFrames: 0,
    send: (room, cid) => s.rooms[room]![0]!.send(JSON.stringify({ type: "message", cid, text: textFor(cid) })),
  };
  const operators = await Promise.all(
    DEMO.operators.map((o) =>
      post<OperatorLoginResponse>(origin, "/api/operator/login", { email: o.email, password: DEMO.password }),
    ),
  );
  s.rooms = await Promise.all(
    Array.from({ length: config.rooms }, async (_, room) => {
      const session = await post<VisitorSessionResponse>(origin, "/api/visitor/sessions", {
        accountId: DEMO.accountId,
        name: `Bench ${room}`,
      });
      // The visitor sends; operators receive, with several sockets each if P - 1 exceeds them.
      const tokens = [
        session.token,
        ...Array.from({ length: config.participants - 1 }, (_, k) => operators[k % operators.length]!.token),
      ];
      const sockets: WebSocket[] = [];
      // One at a time, so each operator's join (a system message to the others) settles first.
      for (const [i, token] of tokens.entries()) {
        const ws = await openSocket(
          `${origin.replace(/^http/, "ws")}/ws/chats/${session.chatId}`,
          socketProtocols(token),
        );
        await new Promise<void>((resolve, reject) => {
          ws.addEventListener("message", (event) => {
            const frame = JSON.parse(String(event.data)) as ServerFrame;
            // Settling a settled promise does nothing, so this listener serves the whole run.
            if (frame.type === "welcome") resolve();
            if (frame.type === "error") reject(new Error(`hello failed: ${frame.code} ${frame.message}`));
            onParleyFrame(s, room, i - 1, frame);
          });
          ws.send(JSON.stringify({ type: "hello", since: 0 }));
        });
        sockets.push(ws);
      }
      return sockets;
    }),
  );
  return s;
}

/** `receiver` is -1 for the visitor who sends. Joins (system messages) and other frames are ignored. */
function onParleyFrame(s: Scenario, room: number, receiver: number, frame: ServerFrame): void {
  if (frame.type === "error") {
    s.errorFrames++;
    log(`parley room ${room}: error frame ${frame.code}: ${frame.message}`);
  } else if (frame.type === "ack" && receiver === -1) {
    if (s.round && s.round.indexOf(frame.cid) >= 0) s.round.release(room);
  } else if (frame.type === "msg" && frame.message.kind === "text" && receiver >= 0) {
    const index = s.round ? s.round.indexOf(frame.message.cid) : -1;
    if (index >= 0) s.round!.receive(room, receiver, index, frame.message.seq);
  }
}

async function bareScenario(origin: string): Promise<Scenario> {
  const s: Scenario = {
    name: "bare",
    rooms: [],
    errorFrames: 0,
    send: (room, cid) => s.rooms[room]![0]!.send(JSON.stringify({ cid, text: textFor(cid), at: Date.now() })),
  };
  const run = randomBytes(4).toString("hex");
  s.rooms = await Promise.all(
    Array.from({ length: config.rooms }, async (_, room) => {
      const sockets = await Promise.all(
        Array.from({ length: config.participants }, () =>
          openSocket(`${origin.replace(/^http/, "ws")}/bench/bare/${run}-${room}`),
        ),
      );
      sockets.slice(1).forEach((ws, receiver) =>
        ws.addEventListener("message", (event) => {
          const index = s.round ? s.round.indexOf((JSON.parse(String(event.data)) as { cid: string }).cid) : -1;
          if (index < 0) return;
          // No seq here: the relay keeps order, so the index stands in for it.
          s.round!.receive(room, receiver, index, index);
          // No acks either: the first receiver paces the sender instead.
          if (receiver === 0) s.round!.release(room);
        }),
      );
      return sockets;
    }),
  );
  return s;
}

/** R rooms of P sockets on a StoredBroadcast object each: the sender's own echo is its ack, and
 * the stored row's seq is checked like Parley's. */
async function storedScenario(origin: string): Promise<Scenario> {
  const s: Scenario = {
    name: "stored",
    rooms: [],
    errorFrames: 0,
    send: (room, cid) => s.rooms[room]![0]!.send(JSON.stringify({ cid, text: textFor(cid) })),
  };
  const run = randomBytes(4).toString("hex");
  s.rooms = await Promise.all(
    Array.from({ length: config.rooms }, async (_, room) => {
      const sockets = await Promise.all(
        Array.from({ length: config.participants }, () =>
          openSocket(`${origin.replace(/^http/, "ws")}/bench/stored/${run}-${room}`),
        ),
      );
      sockets.forEach((ws, i) =>
        ws.addEventListener("message", (event) => {
          const frame = JSON.parse(String(event.data)) as { cid: string; seq: number };
          const index = s.round ? s.round.indexOf(frame.cid) : -1;
          if (index < 0) return;
          if (i === 0) s.round!.release(room);
          else s.round!.receive(room, i - 1, index, frame.seq);
        }),
      );
      return sockets;
    }),
  );
  return s;
}

/** The account's live visitors and an operator's console watching them, as the widget and the
 * console hold them; `stop` closes them all. Notices counted prove the Lobby kept up. */
async function liveVisitors(origin: string, count: number) {
  const ws = origin.replace(/^http/, "ws");
  const sockets: WebSocket[] = [];
  const counts = { notices: 0, errors: 0 };
  const alice = await post<OperatorLoginResponse>(origin, "/api/operator/login", {
    email: DEMO.operators[0]!.email,
    password: DEMO.password,
  });
  const console_ = await openSocket(`${ws}/ws/lobby`, socketProtocols(alice.token));
  console_.addEventListener("message", (event) => {
    const type = (JSON.parse(String(event.data)) as { type: string }).type;
    if (type === "visitor") counts.notices++;
    if (type === "error") counts.errors++;
  });
  const page = (k: number, n: number) =>
    JSON.stringify({
      type: "page",
      url: `https://shop.example/p/${k}/${n}`,
      title: `Page ${n}`,
      referrer: "",
      onSiteMs: 1000 * n,
      chatting: false,
    });
  for (let opened = 0; opened < count; opened += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - opened) }, () =>
        openSocket(`${ws}/ws/visitors?account=${DEMO.accountId}&visitor=${randomBytes(16).toString("hex")}`),
      ),
    );
    batch.forEach((socket, i) => socket.send(page(opened + i, 0)));
    sockets.push(...batch);
  }
  let navigations = 0;
  const mover = setInterval(() => {
    // About one visitor in 300 navigates every 100 ms: every visitor every 30 s on average.
    for (const [k, socket] of sockets.entries()) if (Math.random() < 1 / 300) socket.send(page(k, ++navigations));
  }, 100);
  return {
    counts,
    navigations: () => navigations,
    stop() {
      clearInterval(mover);
      for (const socket of [console_, ...sockets]) socket.close(1000, "bench done");
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** After a pass, the server may still be working for it: Parley's rooms send their events up to
 * EVENTS_SEND_AFTER_MS (1 s) after the last message, and the queue hands them to the consumer up
 * to max_batch_timeout (1 s) later. Counted into the next pass, that work made one scenario's
 * CPU-seconds another's. So every pass is followed by SETTLE_MIN_MS, then by 250 ms stretches
 * until one passes with the runtime as idle as before the rounds (at most SETTLE_MAX_MS), and a
 * pass's server CPU runs to there, less what the idle runtime would have used meanwhile. */
const SETTLE_MIN_MS = 2_500;
const SETTLE_MAX_MS = 10_000;
const SETTLE_STEP_MS = 250;
/** CPU-seconds per second of the runtime doing nothing, measured once before the rounds. */
let idleCpuRate = 0;

/** The least of five one-second probes: what is left of the setup and the warmup (joins, their
 * events) only ever adds to a probe, and counted as idle it would be taken off every pass. */
async function measureIdle(serverGroup: number | undefined): Promise<void> {
  if (serverGroup === undefined) return;
  await sleep(SETTLE_MIN_MS);
  const probes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [cpu, at] = [groupCpuSeconds(serverGroup), performance.now()];
    await sleep(1_000);
    probes.push((groupCpuSeconds(serverGroup) - cpu) / ((performance.now() - at) / 1000));
  }
  idleCpuRate = Math.min(...probes);
  log(
    `idle runtime: ${Math.round(idleCpuRate * 1000)} ms of CPU a second (probes: ${probes.map((p) => Math.round(p * 1000)).join(", ")})`,
  );
}

/** Waits for the server to finish what a pass left; returns how long it waited, in seconds. */
async function settle(serverGroup: number | undefined): Promise<number> {
  if (serverGroup === undefined) return 0;
  const begun = performance.now();
  await sleep(SETTLE_MIN_MS);
  // Idle is at most the idle rate plus a clock tick (1/100 s) of /proc's resolution per stretch.
  const idle = idleCpuRate * (SETTLE_STEP_MS / 1000) + 0.01;
  while (performance.now() - begun < SETTLE_MAX_MS) {
    const cpu = groupCpuSeconds(serverGroup);
    await sleep(SETTLE_STEP_MS);
    if (groupCpuSeconds(serverGroup) - cpu <= idle) break;
  }
  return (performance.now() - begun) / 1000;
}

async function pass(s: Scenario, tag: string, messages: number, serverGroup: number | undefined): Promise<Round> {
  const round = (s.round = running = new Round(tag, messages, s.send));
  const [server, client] = [groupCpuSeconds(serverGroup), process.cpuUsage()];
  await round.run();
  running = undefined;
  const used = process.cpuUsage(client);
  const settled = await settle(serverGroup);
  round.cpu.server = groupCpuSeconds(serverGroup) - server - idleCpuRate * settled;
  round.cpu.client = (used.user + used.system) / 1e6;
  if (round.failure) throw new Error(`${s.name} ${tag}: ${round.failure}`);
  return round;
}

function summarize(rounds: Round[]) {
  const sum = (pick: (r: Round) => number) => rounds.reduce((n, r) => n + pick(r), 0);
  const [deliveries, seconds, serverCpu] = [
    sum((r) => r.counts.delivered),
    sum((r) => r.seconds),
    sum((r) => r.cpu.server),
  ];
  const sorted = Float64Array.from(rounds.flatMap((r) => r.latencies)).sort();
  const percentile = (p: number) => Math.round(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! * 100) / 100;
  const metered = !Number.isNaN(serverCpu);
  return {
    deliveries,
    seconds: Math.round(seconds * 1000) / 1000,
    deliveriesPerSecond: Math.round(deliveries / seconds),
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    maxMs: Math.round((sorted[sorted.length - 1] ?? NaN) * 100) / 100,
    serverCpuSeconds: metered ? Math.round(serverCpu * 100) / 100 : null,
    deliveriesPerServerCpuSecond: metered ? Math.round(deliveries / serverCpu) : null,
    clientCpuSeconds: Math.round(sum((r) => r.cpu.client) * 100) / 100,
    missing: sum((r) => r.expected - r.counts.delivered),
    duplicate: sum((r) => r.counts.duplicate),
    outOfOrder: sum((r) => r.counts.outOfOrder),
  };
}

const server: Omit<BenchServer, "group" | "apiKey" | "stateDir" | "inspectorPort"> & { group?: number } = flags.url
  ? { origin: flags.url.replace(/\/$/, ""), group: undefined, stop: async () => {} }
  : await startBenchServer(log, undefined, { EVENT_PIPELINE: flags.pipeline!, BENCH_CONSUMER: flags.consumer! });
let exitCode = 0;
try {
  const rounds: Record<ScenarioName, Round[]> = { bare: [], stored: [], parley: [] };
  /** workerd's RSS (MB, all its processes) with each scenario's sockets open, at its highest. */
  const memory = {
    bare: 0,
    stored: 0,
    parley: 0,
    idle: server.group === undefined ? NaN : serverMemory(server.group).workerdTotalMb,
  };
  const sampleMemory = (name: ScenarioName) => {
    if (server.group !== undefined) memory[name] = Math.max(memory[name], serverMemory(server.group).workerdTotalMb);
  };
  const closeAll = (s: Scenario) => {
    closing = true;
    for (const room of s.rooms) for (const ws of room) ws.close(1000, "bench done");
    closing = false;
  };
  let parley: Scenario;
  let visitors: Awaited<ReturnType<typeof liveVisitors>> | undefined;
  if (flags.apart) {
    await measureIdle(server.group);
    for (const open of [bareScenario, storedScenario, parleyScenario]) {
      if (open === parleyScenario && config.visitors) {
        log(`opening ${config.visitors} live visitors and a console watching them`);
        visitors = await liveVisitors(server.origin, config.visitors);
      }
      log(`opening ${config.rooms} rooms x ${config.participants} sockets`);
      const s = await open(server.origin);
      if (s.name === "parley") parley = s;
      sampleMemory(s.name);
      if (config.warmup) await pass(s, "warmup", config.warmup, server.group);
      for (let k = 1; k <= config.rounds; k++) {
        log(`${s.name} round ${k} of ${config.rounds}`);
        rounds[s.name].push(await pass(s, `r${k}`, config.messages, server.group));
        sampleMemory(s.name);
      }
      closeAll(s);
      if (open === parleyScenario) visitors?.stop();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  } else {
    if (config.visitors) visitors = await liveVisitors(server.origin, config.visitors);
    log(`opening ${config.rooms} rooms x ${config.participants} sockets for each scenario`);
    const all = [await bareScenario(server.origin), await storedScenario(server.origin)];
    parley = await parleyScenario(server.origin);
    all.push(parley);
    if (config.warmup) for (const s of all) await pass(s, "warmup", config.warmup, server.group);
    await measureIdle(server.group);
    for (let k = 1; k <= config.rounds; k++) {
      log(`round ${k} of ${config.rounds}`);
      // Each round starts with another scenario: bare, stored, Parley; then stored, Parley, bare…
      for (let j = 0; j < all.length; j++) {
        const s = all[(k - 1 + j) % all.length]!;
        rounds[s.name].push(await pass(s, `r${k}`, config.messages, server.group));
      }
    }
    // Every scenario's sockets are open together here, so memory is not told apart.
    for (const s of all) closeAll(s);
    visitors?.stop();
  }
  closing = true;
  const results = {
    parley: {
      ...summarize(rounds.parley),
      errorFrames: parley!.errorFrames,
      ...(flags.apart ? { workerdRssMb: memory.parley } : {}),
    },
    bare: { ...summarize(rounds.bare), ...(flags.apart ? { workerdRssMb: memory.bare } : {}) },
    stored: { ...summarize(rounds.stored), ...(flags.apart ? { workerdRssMb: memory.stored } : {}) },
  };
  type Key = "deliveriesPerSecond" | "p50Ms" | "p99Ms" | "maxMs" | "deliveriesPerServerCpuSecond";
  const ratio = (key: Key, to: "bare" | "stored" = "bare") => {
    const [p, b] = [results.parley[key], results[to][key]];
    return p === null || b === null ? null : Math.round((p / b) * 1000) / 1000;
  };
  const report = {
    config: {
      ...config,
      pipeline: flags.pipeline,
      consumer: flags.consumer,
      server: flags.url ? server.origin : "wrangler dev started by the bench",
    },
    ...results,
    ratio: {
      deliveriesPerSecond: ratio("deliveriesPerSecond"),
      p50: ratio("p50Ms"),
      p99: ratio("p99Ms"),
      max: ratio("maxMs"),
      deliveriesPerServerCpuSecond: ratio("deliveriesPerServerCpuSecond"),
      // Memory above the idle runtime's, Parley's sockets over the bare ones'.
      ...(flags.apart
        ? {
            workerdRssOverIdle: Math.round(((memory.parley - memory.idle) / (memory.bare - memory.idle)) * 1000) / 1000,
          }
        : {}),
    },
    /** Parley divided by the stored baseline: what Parley costs beyond storing each message. */
    ratioToStored: {
      deliveriesPerSecond: ratio("deliveriesPerSecond", "stored"),
      p50: ratio("p50Ms", "stored"),
      p99: ratio("p99Ms", "stored"),
      max: ratio("maxMs", "stored"),
      deliveriesPerServerCpuSecond: ratio("deliveriesPerServerCpuSecond", "stored"),
      ...(flags.apart
        ? {
            workerdRssOverIdle:
              Math.round(((memory.parley - memory.idle) / (memory.stored - memory.idle)) * 1000) / 1000,
          }
        : {}),
    },
    /** The same, round by round (each round's Parley over the same round's stored baseline): how
     * far one round strays from the next on this machine, beside the whole run's figure above. */
    ratioToStoredByRound: rounds.parley.map((p, k) => {
      const s = rounds.stored[k]!;
      const per = (r: Round, over: number) => r.counts.delivered / over;
      const round3 = (n: number) => (Number.isFinite(n) ? Math.round(n * 1000) / 1000 : null);
      return {
        deliveriesPerSecond: round3(per(p, p.seconds) / per(s, s.seconds)),
        deliveriesPerServerCpuSecond: round3(per(p, p.cpu.server) / per(s, s.cpu.server)),
      };
    }),
    ...(flags.apart ? { idleWorkerdRssMb: memory.idle } : {}),
    ...(visitors
      ? {
          liveVisitors: {
            count: config.visitors,
            navigations: visitors.navigations(),
            noticesToConsole: visitors.counts.notices,
            errorFrames: visitors.counts.errors,
          },
        }
      : {}),
    node: process.version,
    wrangler: (
      JSON.parse(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8")) as { version: string }
    ).version,
    cpus: cpus().length,
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(report, null, 2));
  const p = results.parley;
  const st = results.stored;
  if (st.missing || st.duplicate || st.outOfOrder) {
    log("the stored baseline did not deliver every message exactly once and in order");
    exitCode = 1;
  }
  if (visitors?.counts.errors) {
    log("the live visitors' console got error frames");
    exitCode = 1;
  }
  if (p.missing || p.duplicate || p.outOfOrder || p.errorFrames) {
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
