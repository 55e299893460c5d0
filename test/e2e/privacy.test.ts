// Privacy in the Control Panel, as an admin answers a visitor's request: export everything about
// them (a JSON file with their chat and no operator notes), then erase it, with a receipt; a
// second erasure finds nothing, and the chat is gone from History.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  ALICE,
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

describe("Privacy", () => {
  it("exports a visitor's chats as a file and erases them with a receipt", async () => {
    const { page } = await suite.open();
    await signIn(page, ALICE);
    await goOnline(page);
    const bot = await suite.visitor("Greta Gone", undefined, "greta@example.org");
    await bot.say("Please forget me <b>soon</b>");
    await accept(page, bot.chatId);
    await chatTab(page, bot.chatId).click();
    await bot.waitForEvent("join");
    bot.close();

    await byTestId(page, "control-panel-link").click();
    await page.locator('a[href="#/admin/privacy"]').click();
    await byTestId(page, "cp-privacy").waitFor();
    await byTestId(page, "privacy-subject").fill("GRETA@example.org");
    const [download] = await Promise.all([page.waitForEvent("download"), byTestId(page, "privacy-export").click()]);
    const archive = JSON.parse(await readFile((await download.path())!, "utf8"));
    expect(archive.chats.map((c: { id: string }) => c.id)).toEqual([bot.chatId]);
    expect(JSON.stringify(archive)).toContain("Please forget me <b>soon</b>");
    await eventually(() => byTestId(page, "privacy-exported").textContent()).toContain("Exported 1 chat");
    await expectAccessible(page, "the Privacy page");
    await screenshot(page, "privacy-01-exported");

    await byTestId(page, "privacy-erase").click();
    await byTestId(page, "privacy-erase-confirm").click();
    const receipt = byTestId(page, "privacy-receipt");
    await eventually(() => receipt.textContent()).toContain("Erased 1 chat");
    await screenshot(page, "privacy-02-erased");
    await byTestId(page, "privacy-erase").click();
    await byTestId(page, "privacy-erase-confirm").click();
    await eventually(() => receipt.textContent()).toContain("Nothing found");

    // History no longer knows the chat.
    await page.goto(page.url().replace(/#.*$/, `#/history/${bot.chatId}`));
    await page.getByText("There is no such chat in this account.").waitFor();
  });
});
