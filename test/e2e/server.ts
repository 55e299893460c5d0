// Starts `wrangler dev` for a test file on a free port with its own fresh local state.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyLocalMigrations,
  ensureDevVars,
  seedDemo,
  startWrangler,
  stopWrangler,
  waitForHealth,
} from "../../scripts/local-dev.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export class DevServer {
  readonly persistTo = mkdtempSync(join(tmpdir(), "parley-e2e-"));
  port = 0;
  apiKey = "";
  private child: ChildProcess | undefined;

  private readonly options: { vars?: Record<string, string> };

  /** `vars`: wrangler [vars] to set for this server only (`--var KEY:VALUE`). Written out, not as a
   * parameter property: scripts/faults.ts runs this file in Node, which only strips types. */
  constructor(options: { vars?: Record<string, string> } = {}) {
    this.options = options;
  }

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What wrangler printed, e.g. the path of each email the EMAIL binding wrote to an .eml file. */
  get logFile() {
    return join(this.persistTo, "wrangler.log");
  }

  /** The .eml files this server's send_email binding wrote, oldest first (wrangler logs each path). */
  sentEmails(): string[] {
    if (!existsSync(this.logFile)) return [];
    return [...readFileSync(this.logFile, "utf8").matchAll(/Email: (\S+\.eml)/g)].map((m) => m[1]!);
  }

  async setUp(): Promise<void> {
    ensureDevVars();
    applyLocalMigrations(this.persistTo);
    this.apiKey = (await seedDemo(this.persistTo)).apiKey;
    await this.start();
  }

  /** Starts wrangler on a free port. The port is free when picked but another process may take
   * it before wrangler binds it, so a start that fails is tried again on another port; the
   * last failure says what wrangler printed. */
  async start(): Promise<void> {
    const logFile = this.logFile;
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      const extraArgs = Object.entries(this.options.vars ?? {}).flatMap(([key, value]) => ["--var", `${key}:${value}`]);
      this.child = startWrangler({ port: this.port, persistTo: this.persistTo, quiet: true, logFile, extraArgs });
      try {
        await waitForHealth(this.origin, this.child);
        return;
      } catch (error) {
        await stopWrangler(this.child);
        if (attempt === 3) {
          const log = existsSync(logFile)
            ? readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n")
            : "(no log)";
          throw new Error(`${(error as Error).message}\n--- wrangler.log ---\n${log}`);
        }
      }
    }
  }

  /** Stops the runtime the way a crash would (SIGKILL to wrangler and workerd alike), keeping
   * its persisted state. */
  async kill(): Promise<void> {
    if (this.child) await stopWrangler(this.child, "SIGKILL");
  }

  async tearDown(): Promise<void> {
    if (this.child) await stopWrangler(this.child);
    rmSync(this.persistTo, { recursive: true, force: true });
  }
}
