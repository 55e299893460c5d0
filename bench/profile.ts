// `npm run bench:profile -- [bench flags]`: a CPU profile of the Worker's isolate (the Worker, its
// Durable Objects and the queue consumer, which share it under `wrangler dev`) while `npm run
// bench` runs against it with the flags given. It starts its own bench server, samples through
// wrangler's inspector (Chrome DevTools protocol) and prints, on stdout, one JSON object: the
// isolate's time by entry point (which scenario's or job's code ran) and the functions with the
// most time of their own. The whole profile is written to --out (default
// /tmp/parley-bench.cpuprofile) for Chrome DevTools' Performance panel.
//
// What it cannot see: work outside the isolate's JavaScript — SQLite commits, the local queue and
// D1 (other services of the runtime), wrangler's proxy. `npm run bench`'s server CPU counts those.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { startBenchServer } from "./bench-server.ts";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const log = (line: string) => process.stderr.write(`[bench:profile] ${line}\n`);
const { values: flags, tokens } = parseArgs({
  options: {
    out: { type: "string", default: "/tmp/parley-bench.cpuprofile" },
    /** Microseconds between samples: finer makes a bigger profile for the inspector to carry. */
    interval: { type: "string", default: "500" },
  },
  strict: false,
  tokens: true,
});
// Everything that is not ours goes to bench/run.ts as given.
const benchArgs = tokens.flatMap((token) =>
  token.kind === "option" && (token.name === "out" || token.name === "interval")
    ? []
    : token.kind === "option"
      ? [token.rawName, ...(token.value === undefined ? [] : [token.value])]
      : token.kind === "positional"
        ? [token.value]
        : [],
);

/** A small Chrome DevTools protocol client over wrangler's inspector. The proxy refuses a
 * connection without a DevTools Origin, and a profile comes back as one large message. */
async function inspector(port: number) {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error("the inspector lists no target");
  // Node's WebSocket (undici) takes headers in its options, beyond the standard's protocols.
  const ws = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { origin: "https://devtools.devprod.cloudflare.dev" },
  } as unknown as string[]);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", reject, { once: true });
  });
  let lastId = 0;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  });
  ws.addEventListener("close", () => {
    for (const { reject } of pending.values()) reject(new Error("the inspector closed"));
  });
  return {
    call<T>(method: string, params: object = {}): Promise<T> {
      const id = ++lastId;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (r: unknown) => void, reject }));
    },
    close: () => ws.close(),
  };
}

/** Names a sampled function as `Class.method` or `function`, with its line in the bundle
 * (bench/worker.ts and all it imports, as wrangler built it): the top-level definition it lies
 * in says which class it belongs to. */
function labeller(bundle: string[]) {
  const TOP_LEVEL = /^(?:var (\w+) = class|(?:async )?function\*? (\w+)|var (\w+) =)/;
  return ({ functionName, url, lineNumber }: CallFrame): string => {
    const name = functionName || "(anonymous)";
    if (!url.endsWith("worker.js")) return url ? `${name} (${url.split("/").pop()})` : name;
    let owner: string | undefined;
    for (let line = lineNumber; line >= 0 && owner === undefined; line--) {
      const match = TOP_LEVEL.exec(bundle[line] ?? "");
      if (match) owner = match[1] ?? "";
    }
    return `${owner && owner !== name ? `${owner}.` : ""}${name}:${lineNumber + 1}`;
  };
}

/** Percentages of the sampled time, by entry point (the outermost function of each sample) and
 * by function (its own time only), the largest first. */
function summarize(profile: CpuProfile, label: (frame: CallFrame) => string, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const timeOf = new Map<number, number>();
  profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...timeOf.values()].reduce((a, b) => a + b, 0);
  const entries = new Map<string, number>();
  const selves = new Map<string, number>();
  for (const [id, time] of timeOf) {
    let entry = id;
    // Up to the child of the root: the event handler, timer or native the runtime called.
    while (parentOf.has(entry) && parentOf.has(parentOf.get(entry)!)) entry = parentOf.get(entry)!;
    const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + time);
    add(entries, label(byId.get(entry)!.callFrame));
    add(selves, label(byId.get(id)!.callFrame));
  }
  const percent = (map: Map<string, number>) =>
    Object.fromEntries(
      [...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([key, time]) => [key, Math.round((time / total) * 1000) / 10]),
    );
  return { sampledSeconds: Math.round(total / 1e4) / 100, byEntryPoint: percent(entries), bySelfTime: percent(selves) };
}

const server = await startBenchServer(log);
try {
  const devtools = await inspector(server.inspectorPort);
  await devtools.call("Profiler.enable");
  await devtools.call("Profiler.setSamplingInterval", { interval: Number(flags.interval) });
  await devtools.call("Profiler.start");
  log(`profiling; npm run bench -- ${benchArgs.join(" ")}`);
  const benchOutput: Buffer[] = [];
  const exitCode = await new Promise<number | null>((resolve) => {
    const bench = spawn(process.execPath, ["bench/run.ts", "--url", server.origin, ...benchArgs], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    bench.stdout.on("data", (chunk: Buffer) => benchOutput.push(chunk));
    bench.on("exit", resolve);
  });
  const { profile } = await devtools.call<{ profile: CpuProfile }>("Profiler.stop");
  const bundle = readFileSync(join(dirname(server.stateDir), "bundle", "worker.js"), "utf8").split("\n");
  devtools.close();
  if (exitCode !== 0) throw new Error(`the bench failed (exit ${exitCode})`);
  writeFileSync(flags.out as string, JSON.stringify(profile));
  log(`profile written to ${flags.out}`);
  const bench = JSON.parse(Buffer.concat(benchOutput).toString()) as Record<string, unknown>;
  console.log(
    JSON.stringify(
      { bench: { config: bench.config, ratioToStored: bench.ratioToStored }, ...summarize(profile, labeller(bundle)) },
      null,
      2,
    ),
  );
} finally {
  await server.stop();
}
