// Tags in a real browser against a real `wrangler dev`: an owner keeps the account's tags on the
// Control Panel's Tags page (add, a duplicate refused at the field, rename, delete after a
// confirm); an operator opens a chat, ticks a tag in the header's picker, and the chip shows in
// the header and the chat's tab, and is still there after a reload.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Page as ListPage } from "../../src/shared/admin-api.ts";
import type { Tag } from "../../src/shared/tags.ts";
import {
  ALICE,
  BOB,
  accept,
  byTestId,
  chatTab,
  eventually,
  expectAccessible,
  goOnline,
  screenshot,
  signIn,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const server = suite.server;

async function tagsNow(): Promise<string[]> {
  const response = await fetch(`${server.origin}/api/admin/v1/tags?limit=100`, {
    headers: { Authorization: `Bearer ${server.apiKey}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as ListPage<Tag>).items.map((tag) => tag.name).sort();
}

const tagRow = (page: Page, name: string) =>
  byTestId(page, "cp-tag-row").filter({ has: page.getByText(name, { exact: true }) });

async function addTag(page: Page, name: string): Promise<void> {
  await byTestId(page, "cp-tag-name").fill(name);
  await byTestId(page, "cp-tag-save").click();
}

describe("tags", () => {
  it("an admin keeps the tag list in the Control Panel; an operator tags a chat, and the chip stays over a reload", async () => {
    // ---- The owner's Control Panel ----------------------------------------------------------
    const alice = (await suite.open()).page;
    await signIn(alice, ALICE);
    await byTestId(alice, "control-panel-link").click();
    await byTestId(alice, "cp-nav-tags").click();
    await byTestId(alice, "cp-tags").waitFor();
    await addTag(alice, "VIP");
    await tagRow(alice, "VIP").waitFor();
    await addTag(alice, "Billing question");
    await tagRow(alice, "Billing question").waitFor();
    // Capitals do not make another tag: the API's answer is shown at the field, and nothing is added.
    await addTag(alice, "vip");
    await eventually(() => byTestId(alice, "cp-problem").textContent()).toContain("already has the tag “VIP”");
    expect(await byTestId(alice, "cp-tag-name").getAttribute("aria-invalid")).toBe("true");
    // Rename, then a throwaway tag deleted after its confirm.
    await byTestId(tagRow(alice, "Billing question"), "cp-tag-edit").click();
    await byTestId(alice, "cp-tag-edit-name").fill("Billing");
    await byTestId(alice, "cp-tag-edit-save").click();
    await tagRow(alice, "Billing").waitFor();
    await byTestId(alice, "cp-tag-name").fill("Scratch");
    await byTestId(alice, "cp-tag-save").click();
    await tagRow(alice, "Scratch").waitFor();
    await byTestId(tagRow(alice, "Scratch"), "cp-tag-delete").click();
    await byTestId(tagRow(alice, "Scratch"), "cp-tag-delete-confirm").click();
    await tagRow(alice, "Scratch").waitFor({ state: "detached" });
    expect(await tagsNow()).toEqual(["Billing", "VIP"]);
    await screenshot(alice, "tags-01-control-panel");
    await expectAccessible(alice, "the Control Panel's Tags page");

    // ---- An operator tags a chat ------------------------------------------------------------
    const bob = (await suite.open()).page;
    await signIn(bob, BOB);
    await goOnline(bob);
    const visitor = await suite.visitor("Tess");
    await accept(bob, visitor.chatId);
    await chatTab(bob, visitor.chatId).click();
    await byTestId(bob, "tag-picker-button").click();
    const picker = byTestId(bob, "tag-picker");
    await picker.waitFor();
    expect(await byTestId(bob, "tag-picker-button").getAttribute("aria-expanded")).toBe("true");
    await eventually(() => picker.locator("label").allTextContents()).toEqual(["Billing", "VIP"]);
    await picker.getByLabel("VIP").check();
    const headerChips = byTestId(byTestId(bob, "tag-chips"), "tag-chip");
    await eventually(() => headerChips.allTextContents()).toEqual(["VIP"]);
    const tabChips = byTestId(chatTab(bob, visitor.chatId), "tag-chip");
    await eventually(() => tabChips.allTextContents()).toEqual(["VIP"]);
    await screenshot(bob, "tags-02-picker");
    await expectAccessible(bob, "the console with the tag picker open");
    // Escape closes the list and gives the focus back to its button.
    await bob.keyboard.press("Escape");
    await picker.waitFor({ state: "detached" });
    const pickerButton = byTestId(bob, "tag-picker-button");
    await eventually(() => pickerButton.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // ---- After a reload the tab (and the header) still show it ------------------------------
    await bob.reload();
    await chatTab(bob, visitor.chatId).waitFor();
    await eventually(() => byTestId(chatTab(bob, visitor.chatId), "tag-chip").allTextContents()).toEqual(["VIP"]);
    await chatTab(bob, visitor.chatId).click();
    await eventually(() => byTestId(byTestId(bob, "tag-chips"), "tag-chip").allTextContents()).toEqual(["VIP"]);
    await screenshot(bob, "tags-03-after-reload");
  });
});
