// `npm run bench:search`: full-text search at scale (docs/benchmarks.md, "Search"). Against its own
// `wrangler dev` (the bench config, as bench/run.ts starts it):
//
// 1. Loads M messages (default 1,000,000) into the demo account's search index, spread over chats
//    of 100 messages, in requests of 2,000 events that the bench worker hands to the queue
//    consumer's own code (consumeEvents, batches of 100: what the EVENTS queue delivers). Texts
//    are 6–18 words drawn from a 50,000-word vocabulary with Zipf's law (s = 1), as words in
//    chats are: a few very common, most rare.
// 2. Times searches as an operator makes them (GET /api/operator/search, first page of 25, over
//    HTTP), R times each: the commonest word, a word of rank 100, a rare word (rank 40,000), two
//    common words together, the start of a word ("abc*", a prefix), and the commonest word within one
//    department's chats.
// 3. Reports p50 and p95 per query, the load rate, and the D1 database's size on disk (the rows,
//    their index and the FTS5 index together) before and after.
//
// Prints one JSON object on stdout; progress goes to stderr.
import { readdirSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO } from "../scripts/local-dev.ts";
import { groupCpuSeconds, startBenchServer } from "./bench-server.ts";
import type { ChatEvent } from "../src/shared/events.ts";
import type { SearchPage } from "../src/shared/history.ts";
import type { OperatorLoginResponse } from "../src/shared/protocol.ts";

const log = (line: string) => process.stderr.write(`[bench:search] ${line}\n`);
const { values: flags } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    repeats: { type: "string", default: "30" },
    /** Also time the queries again after FTS5's 'optimize' (one segment). */
    optimize: { type: "boolean", default: false },
  },
});
const TOTAL = Number(flags.messages);
const REPEATS = Number(flags.repeats);
if (!Number.isInteger(TOTAL) || TOTAL < 1000) throw new Error("--messages must be a whole number of at least 1000");
const PER_CHAT = 100;
const PER_REQUEST = 2000;
const VOCABULARY = 50_000;
const SALES = "dep_demo_sales";

// ---- Text: pseudo-words with Zipf-distributed ranks -------------------------------------------
const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "du", "ga", "bi", "zo", "fe", "hu", "ja"];
/** The word of a rank: its digits in base 16 as syllables, so every rank has its own word. */
function word(rank: number): string {
  let out = "";
  for (let n = rank + 16; n > 0; n = Math.floor(n / 16)) out += SYLLABLES[n % 16];
  return out;
}
const cumulative: number[] = [];
for (let r = 1, total = 0; r <= VOCABULARY; r++) cumulative.push((total += 1 / r));
let seed = 20261207;
function random(): number {
  seed = (seed * 1664525 + 1013904223) % 2 ** 32;
  return seed / 2 ** 32;
}
function zipfRank(): number {
  const target = random() * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low + 1;
}
function sentence(): string {
  const length = 6 + Math.floor(random() * 13);
  return Array.from({ length }, () => word(zipfRank())).join(" ");
}

// ---- Measuring -----------------------------------------------------------------------------------
function d1Bytes(stateDir: string): number {
  let bytes = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (dir.includes("d1") && /\.sqlite(-wal)?$/.test(entry.name)) bytes += statSync(path).size;
    }
  };
  walk(stateDir);
  return bytes;
}
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
function percentile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10;
}

async function post(origin: string, path: string, body: unknown): Promise<Response> {
  const response = await fetch(origin + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

const server = await startBenchServer(log, "parley-bench-search-");
try {
  const origin = server.origin;
  const login = await post(origin, "/api/operator/login", { email: DEMO.operators[0]!.email, password: DEMO.password });
  const { token } = (await login.json()) as OperatorLoginResponse;
  const sizeBefore = d1Bytes(server.stateDir);

  // 1. Load.
  const chats = Math.ceil(TOTAL / PER_CHAT);
  const chatId = (i: number) => `c_bench_${String(i).padStart(7, "0")}`;
  for (let first = 0; first < chats; first += 500) {
    const ids = Array.from({ length: Math.min(500, chats - first) }, (_, i) => chatId(first + i));
    // Every other group of chats is Sales', for the filtered query.
    const departmentId = (first / 500) % 2 === 0 ? SALES : null;
    await post(origin, "/bench/chats", { accountId: DEMO.accountId, departmentId, chatIds: ids });
  }
  log(`${chats} chats made; loading ${TOTAL} messages`);
  const started = performance.now();
  const cpuBefore = groupCpuSeconds(server.group);
  let failed = 0;
  const at0 = Date.now() - TOTAL;
  for (let sent = 0; sent < TOTAL;) {
    const events: ChatEvent[] = [];
    for (; events.length < PER_REQUEST && sent < TOTAL; sent++) {
      const chat = chatId(Math.floor(sent / PER_CHAT));
      const seq = (sent % PER_CHAT) + 1;
      events.push({
        id: `${chat}.${seq}`,
        type: "message.created",
        accountId: DEMO.accountId,
        chatId: chat,
        at: at0 + sent,
        message: {
          seq,
          cid: `b${seq}`,
          kind: "text",
          event: null,
          author:
            seq % 2
              ? { kind: "visitor", id: `v_${chat}`, name: "Visitor" }
              : { kind: "operator", id: "op", name: "Alice" },
          text: sentence(),
          at: at0 + sent,
        },
      });
    }
    failed += ((await (await post(origin, "/bench/index", { events })).json()) as { failed: number }).failed;
    if (sent % 100_000 === 0) log(`${sent} indexed, ${Math.round(sent / ((performance.now() - started) / 1000))}/s`);
  }
  const loadSeconds = (performance.now() - started) / 1000;
  // The runtime's CPU for the load (Worker, consumer code and D1 together): what indexing costs
  // the machine per message, beside how fast it went.
  const loadCpuSeconds = groupCpuSeconds(server.group) - cpuBefore;
  const sizeAfter = d1Bytes(server.stateDir);

  // 2. Queries.
  const queries: Record<string, string> = {
    commonWord: `q=${word(1)}`,
    rank100Word: `q=${word(100)}`,
    rareWord: `q=${word(40_000)}`,
    twoCommonWords: `q=${encodeURIComponent(`${word(2)} ${word(3)}`)}`,
    prefix: `q=${encodeURIComponent(`${word(100).slice(0, 3)}*`)}`,
    commonWordInDepartment: `q=${word(1)}&departmentId=${SALES}`,
  };
  type Timing = { p50Ms: number; p95Ms: number; firstPageHits: number; more: boolean };
  async function timeQueries(): Promise<Record<string, Timing>> {
    const results: Record<string, Timing> = {};
    for (const [name, query] of Object.entries(queries)) {
      const times: number[] = [];
      let page: SearchPage | undefined;
      for (let i = 0; i < REPEATS + 2; i++) {
        const begin = performance.now();
        const response = await fetch(`${origin}/api/operator/search?${query}&limit=25`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        page = (await response.json()) as SearchPage;
        if (!response.ok) throw new Error(`${name}: ${response.status} ${JSON.stringify(page)}`);
        // The first two warm the connection and the runtime.
        if (i >= 2) times.push(performance.now() - begin);
      }
      times.sort((a, b) => a - b);
      results[name] = {
        p50Ms: percentile(times, 0.5),
        p95Ms: percentile(times, 0.95),
        firstPageHits: page!.items.length,
        more: page!.nextCursor !== null,
      };
      log(`${name}: p50 ${results[name]!.p50Ms} ms, p95 ${results[name]!.p95Ms} ms`);
    }
    return results;
  }
  const results = await timeQueries();
  let optimized: { seconds: number; queries: Record<string, Timing> } | undefined;
  if (flags.optimize) {
    const begin = performance.now();
    await post(origin, "/bench/optimize", {});
    const seconds = Math.round((performance.now() - begin) / 100) / 10;
    log(`optimize took ${seconds} s`);
    optimized = { seconds, queries: await timeQueries() };
  }
  console.log(
    JSON.stringify(
      {
        config: { messages: TOTAL, perChat: PER_CHAT, vocabulary: VOCABULARY, repeats: REPEATS, cpus: cpus().length },
        load: {
          seconds: Math.round(loadSeconds),
          messagesPerSecond: Math.round(TOTAL / loadSeconds),
          serverCpuMsPer1000Messages: Math.round((loadCpuSeconds * 1e7) / TOTAL) / 10,
          failed,
        },
        d1SizeMb: {
          before: mb(sizeBefore),
          after: mb(sizeAfter),
          perMillionMessages: mb(((sizeAfter - sizeBefore) * 1e6) / TOTAL),
        },
        queries: results,
        ...(optimized ? { afterOptimize: optimized } : {}),
      },
      null,
      2,
    ),
  );
} finally {
  await server.stop();
}
