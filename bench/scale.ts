// `npm run bench:scale`: how Parley's figures change from 10 to 100 to 1,000 concurrent chats (a
// visitor sending and two operators receiving in each), each step a separate `npm run bench`
// (bench/run.ts --apart) with its own fresh wrangler dev, so every figure comes with the bare
// broadcast object's measured in the same run. Prints the JSON of every step, then the table
// docs/benchmarks.md shows. Flags: --steps 10,100,1000; --deliveries per round and scenario
// (about; messages per room are derived from it), --rounds, --window, --visitors-per-chat (1:
// that many live visitors per chat on the sites, in the account's Lobby, during Parley's rounds).
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../scripts/local-dev.ts";

const { values: flags } = parseArgs({
  options: {
    steps: { type: "string", default: "10,100,1000" },
    deliveries: { type: "string", default: "8000" },
    rounds: { type: "string", default: "2" },
    window: { type: "string", default: "5" },
    /** Live visitors on the sites, per chat, while Parley's rounds run (bench/run.ts --visitors). */
    "visitors-per-chat": { type: "string", default: "1" },
  },
});
const log = (line: string) => process.stderr.write(`[bench:scale] ${line}\n`);
const steps = flags.steps.split(",").map(Number);

type Summary = {
  deliveriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  deliveriesPerServerCpuSecond: number | null;
  workerdRssMb?: number;
  missing: number;
  duplicate: number;
  outOfOrder: number;
  errorFrames?: number;
};
type Report = {
  parley: Summary;
  bare: Summary;
  ratio: Record<string, number | null>;
  idleWorkerdRssMb?: number;
  liveVisitors?: { count: number; navigations: number; noticesToConsole: number; errorFrames: number };
};
const results: { chats: number; messagesPerChat: number; report: Report }[] = [];

for (const chats of steps) {
  // Two receivers per chat: deliveries = chats x messages x 2.
  const messages = Math.max(5, Math.round(Number(flags.deliveries) / (chats * 2)));
  log(`${chats} chats, ${messages} messages each per round`);
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, "bench", "run.ts"),
      "--apart",
      "--rooms",
      String(chats),
      "--participants",
      "3",
      "--messages",
      String(messages),
      "--rounds",
      flags.rounds,
      "--window",
      flags.window,
      "--warmup",
      "2",
      "--visitors",
      String(chats * Number(flags["visitors-per-chat"])),
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (run.status !== 0) {
    log(`the ${chats}-chat step failed (exit ${run.status}); stopping here`);
    process.exitCode = 1;
    break;
  }
  const report = JSON.parse(run.stdout) as Report;
  console.log(JSON.stringify({ chats, messagesPerChat: messages, ...report }));
  results.push({ chats, messagesPerChat: messages, report });
}

const n = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x)
    ? "–"
    : x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const lines = [
  "| concurrent chats (live visitors) | deliveries/s (ratio) | p50 ms (ratio) | p99 ms (ratio) | max ms (ratio) | deliveries per server CPU-s (ratio) | workerd RSS MB, Parley / bare (ratio over idle) | lost, duplicated, reordered |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ...results.map(
    ({ chats, report: { parley: p, bare: b, ratio: r, idleWorkerdRssMb, liveVisitors } }) =>
      `| ${n(chats)} (${n(liveVisitors?.count ?? 0)}) | ${n(p.deliveriesPerSecond)} (${n(r.deliveriesPerSecond, 2)}) | ${n(p.p50Ms, 1)} (${n(r.p50, 2)}) | ${n(p.p99Ms, 1)} (${n(r.p99, 2)}) | ${n(p.maxMs, 1)} (${n(r.max, 2)}) | ${n(p.deliveriesPerServerCpuSecond)} (${n(r.deliveriesPerServerCpuSecond, 2)}) | ${n(p.workerdRssMb)} / ${n(b.workerdRssMb)}, idle ${n(idleWorkerdRssMb)} (${n(r.workerdRssOverIdle, 2)}) | ${p.missing}, ${p.duplicate}, ${p.outOfOrder} |`,
  ),
];
console.log(lines.join("\n"));
log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
);
