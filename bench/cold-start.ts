// `npm run bench:cold`: how long a fresh runtime takes to answer. The production Worker is bundled
// once as `wrangler deploy` would (minified, per wrangler.toml), then served N times by a new
// `wrangler dev --no-bundle` on migrated, seeded state; each time the bench measures from the
// process start to the first answer of /api/health, and from there to the first widget config
// (which also reads D1). Prints one JSON object; docs/benchmarks.md ("Cold start") has the figures.
import { statSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import {
  DEMO,
  ROOT,
  applyLocalMigrations,
  seedDemo,
  startWrangler,
  stopWrangler,
  wrangler,
} from "../scripts/local-dev.ts";
import { freePort } from "./bench-server.ts";

const log = (line: string) => process.stderr.write(`[cold] ${line}\n`);
const { values } = parseArgs({ options: { starts: { type: "string", default: "7" } } });
const starts = Number(values.starts);
if (!Number.isInteger(starts) || starts < 1) throw new Error("--starts must be a whole number of at least 1");

/** Milliseconds until `url` answers 200, polling every 5 ms; the process must stay up. */
async function firstAnswer(url: string, since: number, alive: () => boolean): Promise<number> {
  for (;;) {
    if (!alive()) throw new Error("wrangler dev exited before answering");
    try {
      const res = await fetch(url);
      if (res.ok) {
        await res.arrayBuffer();
        return performance.now() - since;
      }
      // The runtime answers but refuses: waiting longer will not help.
      if (res.status < 500) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(url)) throw error;
      // Not listening yet.
    }
    if (performance.now() - since > 90_000) throw new Error(`${url} did not answer within 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

const dir = mkdtempSync(join(tmpdir(), "parley-cold-"));
try {
  const bundle = join(dir, "bundle");
  const persistTo = join(dir, "state");
  log("bundling the Worker as deployed; migrations and the demo seed");
  wrangler(["deploy", "--dry-run", "--outdir", bundle]);
  applyLocalMigrations(persistTo);
  await seedDemo(persistTo);
  const script = join(bundle, "index.js");
  const health: number[] = [];
  const config: number[] = [];
  for (let run = 1; run <= starts; run++) {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const since = performance.now();
    const child = startWrangler({
      port,
      persistTo,
      // Named, or wrangler takes the script alone and leaves out every binding of the config.
      config: join(ROOT, "wrangler.toml"),
      quiet: true,
      logFile: join(dir, "wrangler.log"),
      extraArgs: [script, "--no-bundle", "--inspector-port", String(await freePort()), "--log-level", "warn"],
    });
    try {
      const alive = () => child.exitCode === null;
      const healthMs = await firstAnswer(`${origin}/api/health`, since, alive);
      const afterHealth = performance.now();
      await firstAnswer(`${origin}/api/widget/config?account=${DEMO.accountId}`, afterHealth, alive);
      const configMs = performance.now() - afterHealth;
      health.push(healthMs);
      config.push(configMs);
      log(`start ${run}: /api/health after ${round(healthMs)} ms, then the widget config after ${round(configMs)} ms`);
    } catch (error) {
      const tail = readFileSync(join(dir, "wrangler.log"), "utf8").split("\n").slice(-30).join("\n");
      throw new Error(`${(error as Error).message}\n--- wrangler.log ---\n${tail}`);
    } finally {
      await stopWrangler(child);
    }
  }
  const code = readFileSync(script);
  console.log(
    JSON.stringify(
      {
        starts,
        worker: { bytes: statSync(script).size, gzipBytes: gzipSync(code).length },
        healthMs: { median: round(median(health)), min: round(Math.min(...health)), max: round(Math.max(...health)) },
        widgetConfigAfterHealthMs: {
          median: round(median(config)),
          min: round(Math.min(...config)),
          max: round(Math.max(...config)),
        },
        date: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
