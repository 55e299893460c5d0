// `npm run faults`: the fault drill of test/e2e/faults.ts at full size, printed as JSON (progress
// on stderr). Busy chats through a proxy that resets connections at random, against a `wrangler
// dev` that is killed and restarted on the same state; then every chat's log is checked against
// every ack any client got. Exit code 1 if anything acknowledged was lost, duplicated or reordered.
// Flags: --runs (3) --chats (10) --seconds (40) --kills per run (2) --cuts per run (150) --rate
// messages per second over all chats (20). docs/reliability.md has the latest figures.
import { parseArgs } from "node:util";
import { DevServer } from "../test/e2e/server.ts";
import { runFaultDrill, type DrillReport } from "../test/e2e/faults.ts";

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    chats: { type: "string", default: "10" },
    seconds: { type: "string", default: "40" },
    kills: { type: "string", default: "2" },
    cuts: { type: "string", default: "150" },
    rate: { type: "string", default: "20" },
  },
});
const whole = (name: keyof typeof flags, min: number) => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
  return value;
};
const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);

const runs: DrillReport[] = [];
for (let run = 1; run <= whole("runs", 1); run++) {
  const server = new DevServer();
  log(`run ${run}: starting wrangler dev`);
  await server.setUp();
  try {
    const report = await runFaultDrill(server, {
      chats: whole("chats", 1),
      seconds: whole("seconds", 5),
      kills: whole("kills", 0),
      cuts: whole("cuts", 0),
      messagesPerSecond: whole("rate", 1),
      log: (line) => log(`run ${run}: ${line}`),
    });
    log(
      `run ${run}: ${report.acknowledged} acknowledged, ${report.lost} lost, ${report.duplicated} duplicated, ${report.outOfOrder} out of order, ${report.kills} kills, ${report.cuts} cuts, ${report.reconnects} reconnects`,
    );
    runs.push(report);
  } finally {
    await server.tearDown();
  }
}
const total = (
  key:
    "acknowledged" | "lost" | "duplicated" | "outOfOrder" | "clientsBehind" | "kills" | "cuts" | "reconnects" | "sent",
) => runs.reduce((n, r) => n + r[key], 0);
const summary = {
  runs: runs.length,
  sent: total("sent"),
  acknowledged: total("acknowledged"),
  lost: total("lost"),
  duplicated: total("duplicated"),
  outOfOrder: total("outOfOrder"),
  clientsBehind: total("clientsBehind"),
  kills: total("kills"),
  cuts: total("cuts"),
  reconnects: total("reconnects"),
  date: new Date().toISOString(),
};
console.log(JSON.stringify({ summary, runs: runs.map(({ chats: _chats, ...rest }) => rest) }, null, 2));
process.exit(summary.lost || summary.duplicated || summary.outOfOrder || summary.clientsBehind ? 1 : 0);
