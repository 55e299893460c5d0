// Nothing acknowledged is lost, duplicated or reordered when `wrangler dev` is killed mid-chat and
// restarted on the same state, or when connections are reset at random: a small run of the drill
// in test/e2e/faults.ts (`npm run faults` runs it bigger; docs/reliability.md has its figures).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFaultDrill } from "./faults.ts";
import { DevServer } from "./server.ts";

const server = new DevServer();
beforeAll(() => server.setUp(), 120_000);
afterAll(() => server.tearDown());

describe("faults during busy chats", () => {
  it(
    "a kill and restart of the runtime and random connection resets lose and duplicate nothing acknowledged",
    { timeout: 240_000 },
    async () => {
      const report = await runFaultDrill(server, { chats: 4, seconds: 20, kills: 1, cuts: 60, messagesPerSecond: 15 });
      expect(report.kills).toBe(1);
      expect(report.cuts).toBeGreaterThan(20);
      expect(report.acknowledged).toBeGreaterThan(150);
      // Every message sent was acknowledged in the end (resent with its cid until it was).
      expect(report.acknowledged).toBe(report.sent);
      expect({
        lost: report.lost,
        duplicated: report.duplicated,
        outOfOrder: report.outOfOrder,
        clientsBehind: report.clientsBehind,
        conflicts: report.conflicts,
      }).toEqual({
        lost: 0,
        duplicated: 0,
        outOfOrder: 0,
        clientsBehind: 0,
        conflicts: 0,
      });
    },
  );
});
