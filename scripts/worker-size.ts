// `npm run size:worker`: the Worker as `wrangler deploy` would upload it (minified, per
// wrangler.toml), measured from a dry run. Prints its size and exits 1 when its gzip size is over
// WORKER_GZIP_CEILING_KIB, so `npm test` fails when the Worker grows. Needs `npm run build` first
// (the dry run checks the assets folder exists). Runs on Node 22+ (type stripping).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** The goal (issue 14): what every cold start parses, at most. */
const WORKER_GZIP_GOAL_KIB = 100;
/** What the Worker may not grow past: the goal itself since file-type gave way to our own
 * signature table (96.0 KiB then). Whatever is added now has to fit in what is left. */
const WORKER_GZIP_CEILING_KIB = 100;

const ROOT = new URL("..", import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), "parley-worker-size-"));
try {
  const run = spawnSync(join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", out], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
  // Wrangler's own figure is what the upload counts; the per-module lines show what it is made of.
  const total = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(run.stdout);
  if (!total) throw new Error(`no "Total Upload" line in wrangler's output:\n${run.stdout}`);
  const gzipKib = Number(total[2]);
  const modules = readdirSync(out).filter((file) => /\.(m?js|wasm)$/.test(file));
  const lines = modules.map((file) => {
    const bytes = readFileSync(join(out, file));
    return `  ${file}: ${(bytes.length / 1024).toFixed(1)} kB, ${(gzipSync(bytes).length / 1024).toFixed(1)} kB gzip`;
  });
  const over = gzipKib > WORKER_GZIP_CEILING_KIB;
  const goal = gzipKib <= WORKER_GZIP_GOAL_KIB ? "within" : "over";
  console.log(
    `Worker (as deployed)\n${lines.join("\n")}\n  total: ${total[1]} KiB, ${gzipKib} KiB gzip: ` +
      `${over ? "OVER" : "within"} the ${WORKER_GZIP_CEILING_KIB} KiB ceiling, ${goal} the ${WORKER_GZIP_GOAL_KIB} KiB goal`,
  );
  if (over) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
