// The file storage quota in real browsers against a real `wrangler dev`: when the account's
// storage has no room for a file, the operator in the console and the visitor in the widget are
// told so before anything is uploaded; the Control Panel's Settings page shows the space used and
// saves the quota and the retention, left at their defaults or changed.
import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Settings } from "../../src/shared/admin-api.ts";
import type { HistoryPage } from "../../src/shared/protocol.ts";
import type { StorageUsage } from "../../src/shared/storage-api.ts";
import { ALICE, accept, byTestId, chatTab, eventually, goOnline, messages, screenshot, signIn } from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const server = suite.server;
const KB = 1024;
const MB = 1024 * KB;
const DEFAULT_QUOTA = 5 * 1024 * MB;

const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function adminCall<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${server.origin}/api/admin/v1${path}`, {
    method: init.method ?? "GET",
    headers: { Authorization: `Bearer ${server.apiKey}`, "Content-Type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}
const setQuota = (storageQuotaBytes: number) =>
  adminCall<Settings>("/settings", { method: "PATCH", body: { storageQuotaBytes } });

/** The signed-in operator's token, as the console keeps it (src/ui/console/storage.ts). */
const operatorToken = (page: Page) =>
  page.evaluate(() => (JSON.parse(localStorage.getItem("parley.session") ?? "{}") as { token: string }).token);

async function fileMessages(chatId: string, token: string): Promise<string[]> {
  const res = await fetch(`${server.origin}/api/chats/${chatId}/messages`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as HistoryPage).messages.filter((m) => m.kind === "file").map((m) => m.text);
}

/** Every upload a page starts (POST …/files), to prove none was. */
function uploadsOf(page: Page): Request[] {
  const seen: Request[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && /\/api\/chats\/[^/]+\/files/.test(request.url())) seen.push(request);
  });
  return seen;
}

/** A visitor on the demo site who wrote, and Alice, who took the chat. */
async function chatOnDemoSite() {
  const { page: operator } = await suite.open();
  await signIn(operator, ALICE);
  await goOnline(operator);
  const { page: visitor } = await suite.open(`${server.origin}/demo/`);
  await widget(visitor, "parley-launcher").click();
  await widget(visitor, "parley-input").fill("Hello, I have a file for you.");
  await widget(visitor, "parley-send").click();
  await widget(visitor, "parley-message").and(visitor.locator("[data-seq]")).first().waitFor();
  const chatId = await visitor.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
        ?.chatId,
  );
  expect(chatId).toMatch(/^c_/);
  await accept(operator, chatId!);
  await chatTab(operator, chatId!).click();
  await messages(operator).filter({ hasText: "a file for you" }).waitFor();
  return { visitor, operator, chatId: chatId! };
}

describe("a full file storage", () => {
  it("tells the operator and the visitor before uploading, and nothing is sent", async () => {
    const { visitor, operator, chatId } = await chatOnDemoSite();
    const token = await operatorToken(operator);
    const used = (await adminCall<StorageUsage>("/storage")).usedBytes;
    // Room for what is there and 400 KB more; a 300 KB file takes most of it.
    await setQuota(Math.max(MB, used + 400 * KB));
    try {
      const quota = Math.max(MB, used + 400 * KB);
      const filler = quota - used - 100 * KB;
      const stored = await fetch(`${server.origin}/api/chats/${chatId}/files?name=filler.txt&cid=filler`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
        body: Buffer.alloc(filler, 0x61),
      });
      expect(stored.status).toBe(201);
      await messages(operator).filter({ hasText: "filler.txt" }).waitFor();

      // The operator picks a file that does not fit: the composer area says so, and no upload starts.
      const operatorUploads = uploadsOf(operator);
      await byTestId(operator, "file-input").setInputFiles({
        name: "catalogue.txt",
        mimeType: "text/plain",
        buffer: Buffer.alloc(300 * KB, 0x62),
      });
      const error = byTestId(operator, "upload-error");
      await error.waitFor();
      const usage = await adminCall<StorageUsage>("/storage");
      const mb = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;
      expect(await error.textContent()).toBe(
        `Not sent: the account's file storage is full (${mb(usage.usedBytes)} of ${mb(usage.quotaBytes)} used). An admin can raise the quota in Settings.`,
      );
      console.log("operator sees:", await error.textContent());
      await screenshot(operator, "storage-quota-console-full");
      expect(operatorUploads).toEqual([]);

      // The visitor's widget reads the room left with its config: a page opened now knows it.
      await visitor.reload();
      // The window was open, so it opens again by itself.
      await widget(visitor, "parley-message").filter({ hasText: "filler.txt" }).first().waitFor();
      const visitorUploads = uploadsOf(visitor);
      await widget(visitor, "parley-file-input").setInputFiles({
        name: "photo-album.txt",
        mimeType: "text/plain",
        buffer: Buffer.alloc(300 * KB, 0x63),
      });
      const visitorError = widget(visitor, "parley-upload-error");
      await visitorError.waitFor();
      expect(await visitorError.textContent()).toBe("This file cannot be sent now: there is no room for it.");
      await screenshot(visitor, "storage-quota-widget-full");
      expect(visitorUploads).toEqual([]);

      // A small file still fits, from either side.
      await byTestId(operator, "upload-dismiss").click();
      await byTestId(operator, "file-input").setInputFiles({
        name: "note.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("Order 1234"),
      });
      await messages(operator).filter({ hasText: "note.txt" }).waitFor();
      expect(await fileMessages(chatId, token)).toEqual(["filler.txt", "note.txt"]);
    } finally {
      await setQuota(DEFAULT_QUOTA);
    }
  });
});

describe("the Settings page", () => {
  it("shows the space used and saves the quota and the retention, changed or left at their defaults", async () => {
    const { page } = await suite.open();
    await signIn(page, ALICE);
    await byTestId(page, "control-panel-link").click();
    await byTestId(page, "cp-nav-settings").click();
    const quota = byTestId(page, "cp-settings-storageQuota");
    const retention = byTestId(page, "cp-settings-retention");
    await quota.waitFor();
    expect(await quota.inputValue()).toBe("5");
    expect(await retention.inputValue()).toBe("off");
    expect(await byTestId(page, "cp-settings-retentionDays").count()).toBe(0);
    const usage = await adminCall<StorageUsage>("/storage");
    const used = `${Math.round((usage.usedBytes / MB) * 10) / 10} MB of 5 GB used`;
    await eventually(() => byTestId(page, "cp-settings-storageUsed").textContent()).toBe(used);

    // Another setting saved with these two left as they are: nothing of theirs goes, no error.
    await byTestId(page, "cp-settings-greeting").fill("Hi! Ask us anything.");
    await byTestId(page, "cp-settings-save").click();
    await eventually(() => byTestId(page, "cp-settings-saved").textContent()).toBe("Settings saved.");
    expect(await adminCall<Settings>("/settings")).toMatchObject({
      greeting: "Hi! Ask us anything.",
      storageQuotaBytes: DEFAULT_QUOTA,
      retentionDays: null,
    });

    // Too few days: the API's message next to the field, nothing saved.
    await retention.selectOption("on");
    const days = byTestId(page, "cp-settings-retentionDays");
    expect(await days.inputValue()).toBe("365");
    await days.fill("10");
    await byTestId(page, "cp-settings-save").click();
    await page.getByText("Retention is at least 30 days.", { exact: true }).waitFor();
    expect((await adminCall<Settings>("/settings")).retentionDays).toBeNull();

    await days.fill("90");
    await quota.fill("2.5");
    await quota.blur();
    await byTestId(page, "cp-settings-save").click();
    await eventually(() => byTestId(page, "cp-settings-saved").textContent()).toBe("Settings saved.");
    expect(await adminCall<Settings>("/settings")).toMatchObject({
      storageQuotaBytes: 2.5 * 1024 * MB,
      retentionDays: 90,
    });
    await eventually(() => byTestId(page, "cp-settings-storageUsed").textContent()).toMatch(/ of 2\.5 GB used$/);
    await byTestId(page, "cp-settings-storageUsed").scrollIntoViewIfNeeded();
    await screenshot(page, "storage-quota-settings");

    // Back to the defaults: off, and 5 GB.
    await retention.selectOption("off");
    await quota.fill("5");
    await quota.blur();
    await byTestId(page, "cp-settings-save").click();
    await eventually(() => byTestId(page, "cp-settings-saved").textContent()).toBe("Settings saved.");
    expect(await adminCall<Settings>("/settings")).toMatchObject({
      storageQuotaBytes: DEFAULT_QUOTA,
      retentionDays: null,
    });
  });
});
