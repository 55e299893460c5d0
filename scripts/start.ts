// `npm start`: the whole of Parley on this machine, no account or keys needed. Applies the local
// D1 migrations, seeds the demo account (idempotently: local data survives restarts), builds the
// UI and runs `wrangler dev` on PORT (default 8787), then prints where everything is.
import {
  applyLocalMigrations,
  build,
  DEMO,
  ensureDevVars,
  seedDemo,
  startWrangler,
  stopWrangler,
  waitForHealth,
} from "./local-dev.ts";

const port = Number(process.env.PORT ?? 8787);
const origin = `http://localhost:${port}`;

ensureDevVars();
build();
applyLocalMigrations();
const { apiKey } = await seedDemo();
const child = startWrangler({ port });
// wrangler runs in its own process group, so Ctrl+C reaches it only through us.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => void stopWrangler(child, signal));
process.on("exit", () => {
  if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
});
child.on("exit", (code) => process.exit(code ?? 0));

await waitForHealth(origin, child);
const [alice, bob] = DEMO.operators;
console.log(`
Parley is running.
Console: ${origin}/
Demo site: ${origin}/demo/
API: ${origin}/api/health
Operator: ${alice!.email} / ${DEMO.password}
Operator 2: ${bob!.email} / ${DEMO.password}
Account id: ${DEMO.accountId}
Admin API key: ${apiKey}
Docs: docs/protocol.md
`);
