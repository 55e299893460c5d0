// The audit log in a real browser against a real `wrangler dev`: an owner changes a setting in
// the Control Panel, opens the Audit log and finds that change (who, what, the result, what was
// sent, shown as text), next to a refused attempt made with an API key; older entries come with
// "Load more".
import { describe, expect, it } from "vitest";
import { ALICE, byTestId, eventually, expectAccessible, screenshot, signIn } from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const server = suite.server;

function adminApi(path: string, init: { method: string; json: unknown }): Promise<Response> {
  return fetch(`${server.origin}/api/admin/v1${path}`, {
    method: init.method,
    headers: { Authorization: `Bearer ${server.apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify(init.json),
  });
}

describe("the Audit log page", () => {
  it("shows the owner's own change, a refused attempt by a key, as text, and older entries on demand", async () => {
    // Older entries, enough for a second page (the panel shows 100 at a time).
    for (let i = 0; i < 100; i++)
      expect((await adminApi("/tags", { method: "POST", json: { name: `Old ${i}` } })).status).toBe(201);
    const refused = await adminApi("/settings", {
      method: "PATCH",
      json: { widgetColor: "blue", secret: "never-shown" },
    });
    expect(refused.status).toBe(422);

    const { page } = await suite.open();
    await signIn(page, ALICE);
    await byTestId(page, "control-panel-link").click();
    await byTestId(page, "cp-nav-settings").click();
    const greeting = "<b>Hello</b> & welcome <img src=x onerror=alert(1)>";
    await byTestId(page, "cp-settings-greeting").fill(greeting);
    await byTestId(page, "cp-settings-save").click();
    await eventually(() => byTestId(page, "cp-settings-saved").textContent()).toBe("Settings saved.");

    await byTestId(page, "cp-nav-audit-log").click();
    await byTestId(page, "cp-audit-log").waitFor();
    const entries = byTestId(page, "cp-audit-entry");
    await entries.first().waitFor();
    expect(await entries.count()).toBe(100);

    const mine = entries.first();
    expect(await mine.getAttribute("data-action")).toBe("PATCH /settings");
    const cells = await mine.locator("td").allInnerTexts();
    expect(cells[1]).toBe(`${ALICE.name} (operator)`);
    expect(cells[2]).not.toBe("—"); // wrangler dev gives the client's address
    expect(cells[3]).toContain("Changed the settings");
    expect(cells[5]).toBe("Done (200)");
    await mine.getByText("Show").click();
    const changes = byTestId(mine, "cp-audit-changes");
    expect(JSON.parse(await changes.innerText())).toEqual({ greeting });
    expect(await changes.locator("b, img").count()).toBe(0);

    const attempt = entries.nth(1);
    const attemptCells = await attempt.locator("td").allInnerTexts();
    expect(attemptCells[1]).toBe("Demo admin key (API key)");
    expect(attemptCells[5]).toBe("Refused (422)");
    await attempt.getByText("Show").click();
    expect(JSON.parse(await byTestId(attempt, "cp-audit-changes").innerText())).toEqual({
      widgetColor: "blue",
      secret: "[redacted]",
    });
    await screenshot(page, "audit-log-01-entries");
    await expectAccessible(page, "the Audit log page, with two entries unfolded");

    await byTestId(page, "cp-audit-more").click();
    await eventually(() => entries.count()).toBeGreaterThan(100);
    const ids = await entries.evaluateAll((rows) => rows.map((row) => row.textContent));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
