// The server both benches run against: their own `wrangler dev` of bench/worker.ts on a fresh,
// migrated and seeded state directory with a throwaway secret (docs/benchmarks.md, "Running it"),
// and the CPU time its processes use.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyLocalMigrations,
  ROOT,
  seedDemo,
  startWrangler,
  stopWrangler,
  waitForHealth,
  wrangler,
} from "../scripts/local-dev.ts";

export const BENCH_CONFIG = join(ROOT, "bench", "wrangler.bench.toml");

/** `apiKey`: the demo account's admin API key, for benches that configure the account first. */
/** `stateDir`: where wrangler dev keeps its local state (D1's SQLite files), for benches that
 * measure it. */
export type BenchServer = {
  origin: string;
  group: number;
  apiKey: string;
  stateDir: string;
  /** wrangler's inspector (Chrome DevTools protocol) for the runtime: for CPU profiles. */
  inspectorPort: number;
  stop: () => Promise<void>;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** `vars`: more Worker vars for this run (e.g. LOBBY_VISITOR_SHARDS), on top of the secret. */
export async function startBenchServer(
  log: (line: string) => void,
  tempPrefix = "parley-bench-",
  vars: Record<string, string> = {},
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), tempPrefix));
  const persistTo = join(dir, "state");
  log(`bundling the bench worker; migrations and the demo seed in ${persistTo}`);
  // A bundle made once and served with --no-bundle: wrangler dev otherwise rebuilds on every
  // edit under src/ and drops every socket mid-run.
  let apiKey: string;
  try {
    wrangler(["deploy", "--dry-run", "--outdir", join(dir, "bundle"), "--config", BENCH_CONFIG]);
    applyLocalMigrations(persistTo, BENCH_CONFIG);
    ({ apiKey } = await seedDemo(persistTo, BENCH_CONFIG));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const logFile = join(dir, "wrangler.log");
  const child: ChildProcess = startWrangler({
    port,
    persistTo,
    config: BENCH_CONFIG,
    quiet: true,
    logFile,
    // The script before the flags: --var takes every word after it. The secret goes on the command
    // line, so there is no file to clean up; the inspector port is ours, as 9229 may be taken.
    extraArgs: [
      join(dir, "bundle", "worker.js"),
      "--no-bundle",
      "--inspector-port",
      String(inspectorPort),
      "--log-level",
      "warn",
      "--var",
      `AUTH_SECRET:${randomBytes(32).toString("base64url")}`,
      ...Object.entries(vars).map(([name, value]) => `${name}:${value}`),
    ],
  });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await stopWrangler(child);
      rmSync(dir, { recursive: true, force: true });
    })());
  // wrangler runs in a process group of its own, so Ctrl+C reaches it only through us.
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void stop().finally(() => process.exit(130)));
  const origin = `http://127.0.0.1:${port}`;
  log(`starting wrangler dev on ${origin}`);
  try {
    await waitForHealth(origin, child);
  } catch (error) {
    const tail = readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
    await stop();
    throw new Error(`${(error as Error).message}\n${tail}`);
  }
  if (child.pid === undefined) throw new Error("wrangler dev has no pid");
  return { origin, group: child.pid, apiKey, stateDir: persistTo, inspectorPort, stop };
}

/** CPU seconds used so far by a process group (wrangler and its workerd runtimes), from Linux's
 * /proc; utime and stime are in clock ticks of 1/100 s. NaN without a group to watch (--url). */
export function groupCpuSeconds(pgid: number | undefined): number {
  if (pgid === undefined) return NaN;
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks / 100;
}

/** RSS in MB of each workerd process of the wrangler process group, and of the group in all. */
export function serverMemory(pgid: number): { workerdMb: number[]; workerdTotalMb: number; groupTotalMb: number } {
  const workerd: number[] = [];
  let group = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      group += kb;
      if (/^Name:\s+workerd/m.test(status)) workerd.push(roundTo(kb / 1024, 1));
    } catch {
      // The process ended while we looked.
    }
  }
  return {
    workerdMb: workerd.sort((a, b) => b - a),
    workerdTotalMb: roundTo(
      workerd.reduce((a, b) => a + b, 0),
      1,
    ),
    groupTotalMb: roundTo(group / 1024, 1),
  };
}

const roundTo = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
