// `node bench/lobby-visitors.ts`: how far one account's Lobby Durable Object goes with live
// visitors. Against its own `wrangler dev` (the bench config, as bench/run.ts starts it), opens
// visitor presence sockets (`/ws/visitors`) in steps up to each count of --counts, each sending a
// `page` frame as the widget does and pinging every 25 s like it. At each step: the RSS of the
// workerd processes, an operator's lobby socket connecting (time to its `visitors` snapshot and
// how many visitors it lists), and the time for one visitor's page change to reach that operator.
// Prints one JSON object on stdout; progress goes to stderr. docs/benchmarks.md has the figures.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO, ROOT } from "../scripts/local-dev.ts";
import { groupCpuSeconds, serverMemory, startBenchServer } from "./bench-server.ts";
import type { LobbyServerFrame } from "../src/shared/lobby-protocol.ts";
import type { OperatorLoginResponse } from "../src/shared/protocol.ts";

const log = (line: string) => process.stderr.write(`[lobby-bench] ${line}\n`);

const { values: flags } = parseArgs({
  options: {
    counts: { type: "string", default: "250,500,1000,2000" },
    /** Sockets being opened at once. */
    concurrency: { type: "string", default: "50" },
    /** Page changes timed per step. */
    changes: { type: "string", default: "5" },
    /** Objects the account's visitors are spread over (LOBBY_VISITOR_SHARDS); 1 = the lobby itself. */
    shards: { type: "string", default: "1" },
    /** Whole-run budget in seconds; the run stops (and reports) when it is spent. */
    budget: { type: "string", default: "600" },
  },
});
const counts = flags.counts.split(",").map(Number);
const concurrency = Number(flags.concurrency);
const changes = Number(flags.changes);
const deadline = Date.now() + Number(flags.budget) * 1000;
if (counts.some((n, i) => !Number.isInteger(n) || n < 1 || (i > 0 && n <= counts[i - 1]!)))
  throw new Error("--counts must be rising whole numbers, e.g. 250,500,1000");

const STEP_TIMEOUT_MS = 120_000;
const FRAME_TIMEOUT_MS = 30_000;
const PING_MS = 25_000;

/** Everything that went wrong, counted over the run. */
const trouble = {
  openFailures: 0,
  unexpectedCloses: 0,
  closeCodes: {} as Record<string, number>,
  errorFramesToVisitors: 0,
  errorFramesToOperator: 0,
  messages: [] as string[],
};
let closing = false;
const note = (message: string) => {
  if (trouble.messages.length < 20) trouble.messages.push(message);
  log(message);
};

type Visitor = { id: string; ws: WebSocket; url: string };
const visitors: Visitor[] = [];

function pageFrame(url: string, k: number): string {
  return JSON.stringify({
    type: "page",
    url,
    title: `Bench page ${k}`,
    referrer: "https://search.example/?q=parley",
    onSiteMs: 1000 * k,
    chatting: false,
    chatId: null,
  });
}

function openVisitor(origin: string, k: number): Promise<Visitor> {
  const id = randomUUID();
  const url = `https://shop.example/products/${k}`;
  const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/ws/visitors?account=${DEMO.accountId}&visitor=${id}`);
  return new Promise((resolve, reject) => {
    let open = false;
    ws.addEventListener("open", () => {
      open = true;
      ws.send(pageFrame(url, k));
      resolve({ id, ws, url });
    });
    ws.addEventListener("message", (event) => {
      if ((JSON.parse(String(event.data)) as { type: string }).type === "error") {
        trouble.errorFramesToVisitors++;
        note(`visitor ${k}: error frame ${String(event.data).slice(0, 200)}`);
      }
    });
    ws.addEventListener("error", () => {
      if (!open) {
        trouble.openFailures++;
        reject(new Error(`visitor socket ${k} failed to open`));
      }
    });
    ws.addEventListener("close", (event) => {
      if (closing || !open) return;
      trouble.unexpectedCloses++;
      trouble.closeCodes[event.code] = (trouble.closeCodes[event.code] ?? 0) + 1;
      note(`visitor ${k} closed: ${event.code} ${event.reason}`);
    });
  });
}

/** Opens visitor sockets until there are `target`, `concurrency` at a time; the open failures
 * are counted and do not stop the others. */
async function openVisitors(origin: string, target: number): Promise<number> {
  const startedAt = performance.now();
  let next = visitors.length;
  const worker = async () => {
    while (next < target && Date.now() < deadline) {
      const k = next++;
      try {
        visitors.push(await openVisitor(origin, k));
      } catch (error) {
        if (trouble.messages.length < 20) note((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - startedAt;
}

/** The operator's lobby socket, with a queue of the frames it received. */
type Operator = {
  ws: WebSocket;
  frames: { at: number; frame: LobbyServerFrame; bytes: number }[];
  waiters: (() => void)[];
};

async function connectOperator(
  origin: string,
  token: string,
): Promise<{ operator: Operator; snapshotMs: number; listed: number; snapshotBytes: number }> {
  const startedAt = performance.now();
  const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/ws/lobby?token=${encodeURIComponent(token)}`);
  const operator: Operator = { ws, frames: [], waiters: [] };
  ws.addEventListener("message", (event) => {
    const data = String(event.data);
    const frame = JSON.parse(data) as LobbyServerFrame;
    if (frame.type === "error") {
      trouble.errorFramesToOperator++;
      note(`operator: error frame ${data.slice(0, 200)}`);
    }
    operator.frames.push({ at: performance.now(), frame, bytes: Buffer.byteLength(data) });
    for (const wake of operator.waiters.splice(0)) wake();
  });
  ws.addEventListener("close", (event) => {
    if (closing) return;
    trouble.unexpectedCloses++;
    trouble.closeCodes[event.code] = (trouble.closeCodes[event.code] ?? 0) + 1;
    note(`operator socket closed: ${event.code} ${event.reason}`);
    for (const wake of operator.waiters.splice(0)) wake();
  });
  const snapshot = await nextFrame(operator, (f) => f.type === "visitors", FRAME_TIMEOUT_MS);
  const frame = snapshot.frame as Extract<LobbyServerFrame, { type: "visitors" }>;
  return {
    operator,
    snapshotMs: snapshot.at - startedAt,
    listed: frame.visitors.length,
    snapshotBytes: snapshot.bytes,
  };
}

/** The first frame (already received or still to come) that matches; frames before it are dropped. */
async function nextFrame(
  operator: Operator,
  match: (frame: LobbyServerFrame) => boolean,
  timeoutMs: number,
): Promise<Operator["frames"][number]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const index = operator.frames.findIndex((f) => match(f.frame));
    if (index >= 0) return operator.frames.splice(0, index + 1)[index]!;
    operator.frames.length = 0;
    if (Date.now() >= until || operator.ws.readyState > 1) throw new Error(`no matching frame within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
      operator.waiters.push(() => (clearTimeout(timer), resolve()));
    });
  }
}

/** Moves visitors to new pages one at a time and times each `visitor` notice to the operator. */
async function timePageChanges(operator: Operator, step: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < changes; i++) {
    const visitor = visitors[Math.floor(((i + 0.5) / changes) * visitors.length)]!;
    const url = `https://shop.example/checkout/${step}-${i}`;
    const startedAt = performance.now();
    visitor.ws.send(pageFrame(url, i));
    const got = await nextFrame(
      operator,
      (f) => f.type === "visitor" && f.visitor.id === visitor.id && f.visitor.url === url,
      FRAME_TIMEOUT_MS,
    );
    times.push(round(got.at - startedAt));
    visitor.url = url;
  }
  return times;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readUlimit(): number | null {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    return line ? Number(line.split(/\s{2,}/)[1]) : null;
  } catch {
    return null;
  }
}

const server = await startBenchServer(log, "parley-lobby-bench-", { LOBBY_VISITOR_SHARDS: flags.shards });
let exitCode = 0;
const steps: Record<string, unknown>[] = [];
let stoppedBecause: string | null = null;
let pinger: ReturnType<typeof setInterval> | undefined;
const baseline = { ...serverMemory(server.group) };
try {
  const login = await fetch(`${server.origin}/api/operator/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: DEMO.operators[0]!.email, password: DEMO.password }),
  });
  if (!login.ok) throw new Error(`operator login: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as OperatorLoginResponse;
  // Wake the Lobby once with the operator (and leave), so the baseline includes the object itself.
  const warm = await connectOperator(server.origin, token);
  closing = true;
  warm.operator.ws.close(1000, "warm-up done");
  await sleep(1000);
  closing = false;
  Object.assign(baseline, serverMemory(server.group));
  log(`baseline: ${JSON.stringify(baseline)}`);
  // Every visitor pings like the widget does, so the Lobby's 90 s sweep keeps them.
  pinger = setInterval(() => {
    for (const v of visitors) if (v.ws.readyState === 1) v.ws.send('{"type":"ping"}');
  }, PING_MS);

  for (const target of counts) {
    if (Date.now() > deadline) {
      stoppedBecause = "time budget spent";
      break;
    }
    log(`opening visitor sockets up to ${target}`);
    const troubleBefore =
      trouble.openFailures + trouble.unexpectedCloses + trouble.errorFramesToVisitors + trouble.errorFramesToOperator;
    const cpuBefore = groupCpuSeconds(server.group);
    const openMs = await Promise.race([openVisitors(server.origin, target), sleep(STEP_TIMEOUT_MS).then(() => NaN)]);
    const openCpu = groupCpuSeconds(server.group) - cpuBefore;
    // Let the last page frames be handled before measuring.
    await sleep(2000);
    const memory = serverMemory(server.group);
    const open = visitors.filter((v) => v.ws.readyState === 1).length;
    log(`${open} visitor sockets open; ${JSON.stringify(memory)}`);
    const { operator, snapshotMs, listed, snapshotBytes } = await connectOperator(server.origin, token);
    const pageChangeMs = await timePageChanges(operator, target);
    closing = true;
    operator.ws.close(1000, "step done");
    await sleep(300);
    closing = false;
    const step = {
      visitors: target,
      open,
      openSeconds: round(openMs / 1000),
      opensPerSecond: Number.isNaN(openMs)
        ? null
        : round((target - (counts[counts.indexOf(target) - 1] ?? 0)) / (openMs / 1000), 1),
      serverCpuSecondsOpening: round(openCpu),
      rss: memory,
      rssOverBaselineMb: round(memory.workerdTotalMb - baseline.workerdTotalMb, 1),
      operatorSnapshotMs: round(snapshotMs),
      operatorSnapshotListed: listed,
      operatorSnapshotBytes: snapshotBytes,
      pageChangeToOperatorMs: pageChangeMs,
      pageChangeMedianMs: median(pageChangeMs),
      newTrouble:
        trouble.openFailures +
        trouble.unexpectedCloses +
        trouble.errorFramesToVisitors +
        trouble.errorFramesToOperator -
        troubleBefore,
    };
    steps.push(step);
    log(JSON.stringify(step));
    if (step.newTrouble > 0 || listed !== target || open !== target) {
      stoppedBecause = `at ${target}: ${open} open, ${listed} listed, ${step.newTrouble} errors or closures`;
      break;
    }
  }
} catch (error) {
  stoppedBecause = error instanceof Error ? error.message : String(error);
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  exitCode = 1;
} finally {
  clearInterval(pinger);
  const client = process.memoryUsage().rss;
  closing = true;
  for (const v of visitors) v.ws.close(1000, "bench done");
  await sleep(500);
  console.log(
    JSON.stringify(
      {
        config: {
          counts,
          concurrency,
          changes,
          shards: Number(flags.shards),
          server: "wrangler dev (bench/wrangler.bench.toml) started by the script",
        },
        baselineRss: baseline,
        steps,
        trouble,
        stoppedBecause,
        clientRssMb: round(client / 2 ** 20, 1),
        ulimitN: readUlimit(),
        node: process.version,
        wrangler: (
          JSON.parse(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8")) as {
            version: string;
          }
        ).version,
        cpus: cpus().length,
        memGb: round(totalmem() / 2 ** 30, 1),
        date: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
  await server.stop();
}
process.exit(exitCode || (stoppedBecause ? 1 : 0));
