// `npm run bench:routing`: routing at scale (docs/routing.md, docs/benchmarks.md "Routing at
// scale"). Against its own `wrangler dev` (the bench config, as bench/run.ts starts it), per
// routing mode: one department with O operators (made through the admin API with passwords, signed
// in with POST /api/operator/login), each with a lobby socket open and online, capacity C each
// (the account's default), ring time 300 s (the most allowed, so nothing rings out during a run).
// Then, in order:
//
// 1. `offerWithRoom`: N chats start one after another (POST /api/visitor/sessions); for each, the
//    time from the start to its `waiting` card with `assignment.offeredTo` arriving at that
//    operator's console. The queue grows from 0 to N ringing chats; every operator has room until
//    the last one (N = O x C fills them exactly).
// 2. `accepting`: every operator accepts what rings for them (POST /api/operator/chats/:id/accept),
//    so they are full with chats under way and the queue is empty.
// 3. `queueWhenFull`: N more chats start; nobody has room, so each only waits. Time from the start
//    of chat k to its `waiting` card at the console of operator k mod O (every card goes to all O
//    consoles one after another, so a card timed at the first console alone would flatter it).
// 4. `placeFreed`: S steps, each: the visitor of one of an operator's chats ends it (the `close`
//    frame on the chat socket); time to the next offer (to that operator, the only one with room)
//    at their console; they decline it; time to the next offer; they accept that one; one new chat
//    tops the queue up to N again.
//
// Server CPU is the wrangler dev process group's, from /proc (bench-server.ts), per phase: it
// includes everything the phase made the server do (the Worker, the chat rooms, D1), not only the
// Lobby. `--modes everyone` runs phase 1 alone with nothing routed, as a control for what a chat
// start costs without routing (each card timed as in phase 3). Prints one JSON object on stdout;
// progress goes to stderr.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO, ROOT } from "../scripts/local-dev.ts";
import { groupCpuSeconds, serverMemory, startBenchServer, type BenchServer } from "./bench-server.ts";
import type { LobbyServerFrame, RoutingMode, WaitingChat } from "../src/shared/lobby-protocol.ts";
import { socketProtocols } from "../src/shared/socket-auth.ts";
import type { OperatorLoginResponse, ServerFrame, VisitorSessionResponse } from "../src/shared/protocol.ts";

const log = (line: string) => process.stderr.write(`[bench:routing] ${line}\n`);

const { values: flags } = parseArgs({
  options: {
    modes: { type: "string", default: "round_robin,least_busy" },
    operators: { type: "string", default: "200" },
    capacity: { type: "string", default: "5" },
    /** Chats started in phase 1 and again in phase 3; the queue's size in phase 4. */
    chats: { type: "string", default: "1000" },
    /** Phase 4's steps (each: a chat ends, a decline, an accept). */
    steps: { type: "string", default: "100" },
    /** Chat starts in flight at once in phases 1 and 3. */
    concurrency: { type: "string", default: "1" },
  },
});
function whole(name: keyof typeof flags, min: number): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
  return value;
}
const config = {
  modes: flags.modes!.split(",") as RoutingMode[],
  operators: whole("operators", 1),
  capacity: whole("capacity", 1),
  chats: whole("chats", 1),
  steps: whole("steps", 0),
  concurrency: whole("concurrency", 1),
};
for (const mode of config.modes)
  if (!["everyone", "round_robin", "least_busy"].includes(mode)) throw new Error(`unknown routing mode ${mode}`);

const RING_TIMEOUT_S = 300;
const MAX_WAIT_S = 86_400;
const TIMEOUT_MS = 60_000;
const PING_MS = 25_000;
const PASSWORD = "bench-routing-password";

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** p50, p95 and max of a list of milliseconds. */
function spread(ms: readonly number[]) {
  const sorted = Float64Array.from(ms).sort();
  const at = (p: number) => round(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN);
  return { count: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** `cards`: when each chat's first `waiting` card reached this operator's console. */
type Operator = {
  id: string;
  email: string;
  token: string;
  ws: WebSocket;
  chats: { chatId: string }[];
  cards: Map<string, number>;
};
/** An offer as its operator's console saw it arrive. */
type OfferSeen = { chatId: string; operatorId: string; expiresAt: number | null; at: number };

/** One run: one routing mode on its own fresh server. */
class Run {
  readonly trouble = {
    errorFrames: 0,
    setAway: 0,
    unexpectedCloses: 0,
    /** An offer moved to another operator without a decline of ours: it rang out. */
    offersMovedUnasked: 0,
    /** A chat was offered while every operator was full. */
    offersWhileFull: 0,
    messages: [] as string[],
  };
  readonly operators: Operator[] = [];
  readonly visitorTokens = new Map<string, string>();
  /** The latest offer of each chat seen at its operator's console, while it waits. */
  readonly offers = new Map<string, OfferSeen>();
  /** Chats we declined, by the operator who did. */
  readonly passes = new Map<string, Set<string>>();
  /** The waiting queue as the first operator's console sees it: chat → since. */
  readonly waiting = new Map<string, number>();
  private offerWaiters: { match: (offer: OfferSeen) => boolean; resolve: (offer: OfferSeen) => void }[] = [];
  /** By operator and chat. */
  private cardWaiters = new Map<string, () => void>();
  closing = false;
  expectOffers = true;
  private pinger: ReturnType<typeof setInterval> | undefined;

  readonly mode: RoutingMode;
  readonly server: BenchServer;

  constructor(mode: RoutingMode, server: BenchServer) {
    [this.mode, this.server] = [mode, server];
  }

  note(message: string): void {
    if (this.trouble.messages.length < 20) this.trouble.messages.push(message);
    log(message);
  }

  async api<T>(method: string, path: string, body: unknown, token = this.server.apiKey): Promise<T> {
    const res = await fetch(`${this.server.origin}${path}`, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** The department, the capacity, the operators signed in with their consoles online. */
  async setUp(): Promise<string> {
    await this.api("PATCH", "/api/admin/v1/settings", { maxChatsPerOperator: config.capacity });
    const department = await this.api<{ id: string }>("POST", "/api/admin/v1/departments", {
      name: "Bench",
      routingMode: this.mode,
      ringTimeoutSeconds: RING_TIMEOUT_S,
      maxWaitSeconds: MAX_WAIT_S,
    });
    log(`creating ${config.operators} operators and signing them in`);
    const ids = Array.from({ length: config.operators }, (_, k) => k);
    const made: { id: string; email: string }[] = [];
    await pool(ids, 8, async (k) => {
      const email = `bench-${String(k).padStart(4, "0")}@routing.parley.test`;
      const { operator } = await this.api<{ operator: { id: string } }>("POST", "/api/admin/v1/operators", {
        email,
        name: `Bench ${String(k).padStart(4, "0")}`,
        departmentIds: [department.id],
        password: PASSWORD,
      });
      made[k] = { id: operator.id, email };
    });
    const tokens: string[] = [];
    await pool(made, 8, async (op, k) => {
      tokens[k] = (
        await this.api<OperatorLoginResponse>(
          "POST",
          "/api/operator/login",
          { email: op.email, password: PASSWORD },
          "",
        )
      ).token;
    });
    log(`opening ${config.operators} lobby sockets, going online`);
    await pool(made, 8, async (op, k) => {
      this.operators[k] = await this.connect(op.id, op.email, tokens[k]!, k === 0);
    });
    this.pinger = setInterval(() => {
      for (const op of this.operators) if (op.ws.readyState === 1) op.ws.send('{"type":"ping"}');
    }, PING_MS);
    return department.id;
  }

  private async connect(id: string, email: string, token: string, watchesQueue: boolean): Promise<Operator> {
    const ws = new WebSocket(`${this.server.origin.replace(/^http/, "ws")}/ws/lobby`, socketProtocols(token));
    const op: Operator = { id, email, token, ws, chats: [], cards: new Map() };
    let online: () => void;
    const isOnline = new Promise<void>((resolve) => (online = resolve));
    ws.addEventListener("message", (event) => {
      const at = performance.now();
      const frame = JSON.parse(String(event.data)) as LobbyServerFrame;
      if (frame.type === "lobby" && frame.you.status === "online") online();
      else if (frame.type === "waiting") this.onWaiting(op, frame.chat, at, watchesQueue);
      else if (frame.type === "dequeued" && watchesQueue) {
        this.waiting.delete(frame.chatId);
        this.offers.delete(frame.chatId);
      } else if (frame.type === "set_away") {
        this.trouble.setAway++;
        this.note(`${id} was set away: ${JSON.stringify(frame)}`);
      } else if (frame.type === "error") {
        this.trouble.errorFrames++;
        this.note(`${id}: error frame ${String(event.data).slice(0, 200)}`);
      }
    });
    ws.addEventListener("close", (event) => {
      if (this.closing) return;
      this.trouble.unexpectedCloses++;
      this.note(`${id}'s lobby socket closed: ${event.code} ${event.reason}`);
    });
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve());
      ws.addEventListener("error", () => reject(new Error(`${id}'s lobby socket failed to open`)));
    });
    ws.send(JSON.stringify({ type: "presence", status: "online" }));
    await isOnline;
    return op;
  }

  private onWaiting(op: Operator, chat: WaitingChat, at: number, watchesQueue: boolean): void {
    if (watchesQueue && !this.waiting.has(chat.chatId)) this.waiting.set(chat.chatId, chat.since);
    if (!op.cards.has(chat.chatId)) {
      op.cards.set(chat.chatId, at);
      this.cardWaiters.get(`${op.id} ${chat.chatId}`)?.();
    }
    const offeredTo = chat.assignment?.offeredTo;
    if (offeredTo?.id !== op.id) return;
    const expiresAt = chat.assignment!.expiresAt;
    const before = this.offers.get(chat.chatId);
    if (before && before.operatorId === op.id && before.expiresAt === expiresAt) return; // The same offer again.
    if (before && !this.passes.get(chat.chatId)?.has(before.operatorId)) {
      this.trouble.offersMovedUnasked++;
      this.note(`${chat.chatId} moved from ${before.operatorId} to ${op.id} without a decline`);
    }
    if (!this.expectOffers) this.trouble.offersWhileFull++;
    const offer = { chatId: chat.chatId, operatorId: op.id, expiresAt, at };
    this.offers.set(chat.chatId, offer);
    for (const waiter of this.offerWaiters.filter((w) => w.match(offer))) {
      this.offerWaiters.splice(this.offerWaiters.indexOf(waiter), 1);
      waiter.resolve(offer);
    }
  }

  /** The next offer (from now on) that matches. */
  nextOffer(match: (offer: OfferSeen) => boolean, what: string): Promise<OfferSeen> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no offer ${what} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      this.offerWaiters.push({ match, resolve: (offer) => (clearTimeout(timer), resolve(offer)) });
    });
  }

  /** The chat's first offer, seen already or still to come. */
  offerOf(chatId: string): Promise<OfferSeen> {
    const seen = this.offers.get(chatId);
    return seen ? Promise.resolve(seen) : this.nextOffer((o) => o.chatId === chatId, `of ${chatId}`);
  }

  /** When the chat's first card reached this operator's console, seen already or to come. */
  async cardOf(op: Operator, chatId: string): Promise<number> {
    const key = `${op.id} ${chatId}`;
    if (!op.cards.has(chatId))
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no waiting card of ${chatId} for ${op.id} within ${TIMEOUT_MS} ms`)),
          TIMEOUT_MS,
        );
        this.cardWaiters.set(key, () => (clearTimeout(timer), this.cardWaiters.delete(key), resolve()));
      });
    return op.cards.get(chatId)!;
  }

  async startChat(departmentId: string, name: string): Promise<{ chatId: string; startedAt: number; httpMs: number }> {
    const startedAt = performance.now();
    const session = await this.api<VisitorSessionResponse>(
      "POST",
      "/api/visitor/sessions",
      { accountId: DEMO.accountId, name, departmentId },
      "",
    );
    this.visitorTokens.set(session.chatId, session.token);
    return { chatId: session.chatId, startedAt, httpMs: performance.now() - startedAt };
  }

  async accept(op: Operator, chatId: string): Promise<number> {
    const startedAt = performance.now();
    await this.api("POST", `/api/operator/chats/${chatId}/accept`, {}, op.token);
    op.chats.push({ chatId });
    return performance.now() - startedAt;
  }

  /** The visitor's chat socket, said hello on; `close` ends the chat. */
  async visitorSocket(chatId: string): Promise<WebSocket> {
    const ws = new WebSocket(
      `${this.server.origin.replace(/^http/, "ws")}/ws/chats/${chatId}`,
      socketProtocols(this.visitorTokens.get(chatId)!),
    );
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "hello", since: 0 })));
      ws.addEventListener("message", (event) => {
        const frame = JSON.parse(String(event.data)) as ServerFrame;
        if (frame.type === "welcome") resolve();
        if (frame.type === "error") reject(new Error(`visitor hello in ${chatId}: ${frame.code} ${frame.message}`));
      });
      ws.addEventListener("error", () => reject(new Error(`visitor socket of ${chatId} failed to open`)));
    });
    return ws;
  }

  /** The chat routing should offer to `operatorId` next: the oldest waiting that rings for nobody
   * and that they have not passed (docs/routing.md, first in first out). */
  expectedFor(operatorId: string): string | undefined {
    let best: { chatId: string; since: number } | undefined;
    for (const [chatId, since] of this.waiting) {
      if (this.offers.has(chatId) || this.passes.get(chatId)?.has(operatorId)) continue;
      if (!best || since < best.since || (since === best.since && chatId < best.chatId)) best = { chatId, since };
    }
    return best?.chatId;
  }

  stop(): void {
    clearInterval(this.pinger);
    this.closing = true;
    for (const op of this.operators) op?.ws.close(1000, "bench done");
  }
}

/** Server and client CPU and wall time of one phase. */
async function metered<T>(run: Run, work: () => Promise<T>) {
  const [server, client, startedAt] = [groupCpuSeconds(run.server.group), process.cpuUsage(), performance.now()];
  const result = await work();
  const used = process.cpuUsage(client);
  return {
    result,
    seconds: round((performance.now() - startedAt) / 1000),
    serverCpuSeconds: round(groupCpuSeconds(run.server.group) - server),
    clientCpuSeconds: round((used.user + used.system) / 1e6),
  };
}

/** Latencies by how many chats waited when each started, in quarters of `total`. */
function byDepth(samples: { depth: number; ms: number }[], total: number) {
  const quarters: Record<string, ReturnType<typeof spread>> = {};
  for (let q = 0; q < 4; q++) {
    const [from, to] = [Math.round((q * total) / 4), Math.round(((q + 1) * total) / 4)];
    quarters[`${from}-${to - 1}`] = spread(samples.filter((s) => s.depth >= from && s.depth < to).map((s) => s.ms));
  }
  return quarters;
}

async function runMode(mode: RoutingMode) {
  const loadBefore = loadavg().map((x) => round(x));
  const server = await startBenchServer(log, "parley-routing-bench-");
  const run = new Run(mode, server);
  const report: Record<string, unknown> = { mode };
  try {
    const departmentId = await run.setUp();
    const routed = mode !== "everyone";

    // 1. Chats start while operators have room.
    log(`phase 1: ${config.chats} chats start one after another${routed ? ", each rings for an operator" : ""}`);
    const ramp: { depth: number; ms: number; httpMs: number }[] = [];
    let started = 0;
    const phase1 = await metered(run, () =>
      pool(
        Array.from({ length: config.chats }, (_, k) => k),
        config.concurrency,
        async (k) => {
          const depth = started++;
          const chat = await run.startChat(departmentId, `Ramp ${k}`);
          // Without routing, timed at the console of operator k mod O, as round robin would offer it.
          const at = routed
            ? (await run.offerOf(chat.chatId)).at
            : await run.cardOf(run.operators[k % run.operators.length]!, chat.chatId);
          ramp.push({ depth, ms: at - chat.startedAt, httpMs: chat.httpMs });
          if ((k + 1) % 100 === 0) log(`  ${k + 1} started; last ${round(at - chat.startedAt)} ms`);
        },
      ),
    );
    report[routed ? "offerWithRoom" : "cardWithoutRouting"] = {
      ...(routed ? { offers: ramp.length } : { chats: ramp.length }),
      startToCard: spread(ramp.map((s) => s.ms)),
      startToCardByWaiting: byDepth(ramp, config.chats),
      startHttp: spread(ramp.map((s) => s.httpMs)),
      seconds: phase1.seconds,
      serverCpuSeconds: phase1.serverCpuSeconds,
      serverCpuMsPerChat: round((phase1.serverCpuSeconds * 1000) / ramp.length),
      clientCpuSeconds: phase1.clientCpuSeconds,
    };
    log(JSON.stringify(report));
    if (!routed) return report;

    // 2. Everyone accepts what rings for them.
    log("phase 2: every operator accepts what rings for them");
    const byOperator = new Map(run.operators.map((op) => [op.id, op]));
    const pending = [...run.offers.values()];
    const acceptMs: number[] = [];
    const phase2 = await metered(run, () =>
      pool(pending, 8, async (offer) => {
        acceptMs.push(await run.accept(byOperator.get(offer.operatorId)!, offer.chatId));
      }),
    );
    // The rooms' staffing reports follow the accepts; let them land.
    for (let i = 0; i < 100 && run.waiting.size; i++) await sleep(100);
    await sleep(1000);
    report.accepting = {
      accepts: acceptMs.length,
      acceptHttp: spread(acceptMs),
      seconds: phase2.seconds,
      serverCpuSeconds: phase2.serverCpuSeconds,
      serverCpuMsPerAccept: round((phase2.serverCpuSeconds * 1000) / acceptMs.length),
      waitingAfter: run.waiting.size,
    };
    log(JSON.stringify(report.accepting));

    // 3. Chats start while nobody has room: they only wait.
    log(`phase 3: ${config.chats} more chats start, every operator full`);
    run.expectOffers = false;
    const fill: { depth: number; ms: number; httpMs: number }[] = [];
    started = 0;
    const phase3 = await metered(run, () =>
      pool(
        Array.from({ length: config.chats }, (_, k) => k),
        config.concurrency,
        async (k) => {
          const depth = started++;
          const chat = await run.startChat(departmentId, `Queued ${k}`);
          const at = await run.cardOf(run.operators[k % run.operators.length]!, chat.chatId);
          fill.push({ depth, ms: at - chat.startedAt, httpMs: chat.httpMs });
          if ((k + 1) % 100 === 0) log(`  ${k + 1} waiting; last ${round(at - chat.startedAt)} ms`);
        },
      ),
    );
    report.queueWhenFull = {
      chats: fill.length,
      startToCard: spread(fill.map((s) => s.ms)),
      startToCardByWaiting: byDepth(fill, config.chats),
      startHttp: spread(fill.map((s) => s.httpMs)),
      seconds: phase3.seconds,
      serverCpuSeconds: phase3.serverCpuSeconds,
      serverCpuMsPerChat: round((phase3.serverCpuSeconds * 1000) / fill.length),
      offersWhileFull: run.trouble.offersWhileFull,
    };
    log(JSON.stringify(report.queueWhenFull));

    // 4. A place frees: a chat ends, then a decline.
    log(`phase 4: ${config.steps} steps of a chat ending, a decline and an accept, ${run.waiting.size} waiting`);
    run.expectOffers = true;
    const endToOffer: number[] = [];
    const declineToOffer: number[] = [];
    const stepAccept: number[] = [];
    let asExpected = 0;
    let checked = 0;
    const waitingAtStart = run.waiting.size;
    const phase4 = await metered(run, async () => {
      for (let step = 0; step < config.steps; step++) {
        const op = run.operators[step % run.operators.length]!;
        const ending = op.chats.shift()!;
        const visitor = await run.visitorSocket(ending.chatId);
        const expected = run.expectedFor(op.id);
        const t0 = performance.now();
        const afterEnd = run.nextOffer((o) => o.operatorId === op.id && o.at >= t0, `to ${op.id} after a chat ended`);
        visitor.send(JSON.stringify({ type: "close" }));
        const first = await afterEnd;
        endToOffer.push(first.at - t0);
        visitor.close(1000, "ended");
        checked++;
        if (first.chatId === expected) asExpected++;
        // Declined: it is theirs to pass, and their place goes to the next chat.
        run.offers.delete(first.chatId);
        run.passes.set(first.chatId, new Set([...(run.passes.get(first.chatId) ?? []), op.id]));
        const expectedNext = run.expectedFor(op.id);
        const t1 = performance.now();
        const afterDecline = run.nextOffer((o) => o.operatorId === op.id && o.at >= t1, `to ${op.id} after a decline`);
        op.ws.send(JSON.stringify({ type: "decline", chatId: first.chatId }));
        const second = await afterDecline;
        declineToOffer.push(second.at - t1);
        checked++;
        if (second.chatId === expectedNext) asExpected++;
        stepAccept.push(await run.accept(op, second.chatId));
        // Back to a full queue (the accepted chat left it); the new chat rings for nobody.
        run.expectOffers = false;
        const topUp = await run.startChat(departmentId, `Top-up ${step}`);
        await run.cardOf(run.operators[0]!, topUp.chatId);
        run.expectOffers = true;
      }
    });
    const offers = endToOffer.length + declineToOffer.length;
    report.placeFreed = {
      steps: config.steps,
      waitingAtStart,
      chatEndToOffer: spread(endToOffer),
      declineToOffer: spread(declineToOffer),
      acceptHttp: spread(stepAccept),
      offers,
      offersToTheOldestChat: `${asExpected} of ${checked}`,
      seconds: phase4.seconds,
      serverCpuSeconds: phase4.serverCpuSeconds,
      serverCpuMsPerOffer: round((phase4.serverCpuSeconds * 1000) / offers),
      clientCpuSeconds: phase4.clientCpuSeconds,
    };
    log(JSON.stringify(report.placeFreed));
    report.workerdRssMb = serverMemory(server.group).workerdTotalMb;
    return report;
  } finally {
    report.trouble = run.trouble;
    report.loadAverage = { before: loadBefore, after: loadavg().map((x) => round(x)) };
    run.stop();
    await sleep(500);
    await server.stop();
  }
}

let exitCode = 0;
const runs: Record<string, unknown>[] = [];
try {
  for (const mode of config.modes) {
    log(`--- ${mode} ---`);
    const report = await runMode(mode);
    runs.push(report);
    const trouble = report.trouble as Run["trouble"];
    if (trouble.errorFrames || trouble.setAway || trouble.unexpectedCloses || trouble.offersMovedUnasked) exitCode = 1;
    if (trouble.offersWhileFull) exitCode = 1;
  }
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  exitCode = 1;
}
console.log(
  JSON.stringify(
    {
      config: {
        ...config,
        ringTimeoutSeconds: RING_TIMEOUT_S,
        server: "wrangler dev (bench/wrangler.bench.toml) per mode",
      },
      runs,
      node: process.version,
      wrangler: (
        JSON.parse(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8")) as {
          version: string;
        }
      ).version,
      cpus: cpus().length,
      date: new Date().toISOString(),
    },
    null,
    2,
  ),
);
process.exit(exitCode);
