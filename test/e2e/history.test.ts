// History and search in a real browser against `wrangler dev`, as an operator uses them: a word a
// visitor wrote a moment ago is found (through the real EVENTS queue and the FTS5 index), marked
// in the result, and the result opens the chat read-only at that message; the History list shows
// the chat without any search. Everything a person typed is shown as text.
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

describe("History", () => {
  it("finds a message sent a moment ago, marks the words, and opens the chat read-only at it", async () => {
    const { page } = await suite.open();
    await signIn(page, ALICE);
    await goOnline(page);
    const bot = await suite.visitor("Hester <b>Prynne</b>");
    await accept(page, bot.chatId);
    await chatTab(page, bot.chatId).click();
    await bot.waitForEvent("join");
    const seq = await bot.say("My order of <i>quinces</i> arrived squashed");
    await bot.say("Can you send new quinces?");

    // A new user's way in: the History link in the top bar, the search box, Enter.
    await byTestId(page, "history-link").click();
    await byTestId(page, "history-chats").waitFor();
    const search = byTestId(page, "history-q");
    // Indexed through the queue within seconds: search again until it is there.
    await eventually(async () => {
      await search.fill("quinces squashed");
      await search.press("Enter");
      await page.waitForTimeout(300);
      return byTestId(page, "search-hit").count();
    }, "the message is found").toBe(1);
    const hit = byTestId(page, "search-hit").first();
    expect(await hit.getAttribute("data-chat-id")).toBe(bot.chatId);
    // The visitor's markup is text; only the matched words are marked, by us.
    expect(await hit.locator(".search-snippet").textContent()).toBe("My order of <i>quinces</i> arrived squashed");
    expect(await hit.locator("mark").allTextContents()).toEqual(["quinces", "squashed"]);
    expect(await hit.locator("i, b").count()).toBe(0);
    expect(await hit.locator(".history-who").textContent()).toBe("Hester <b>Prynne</b>");
    await expectAccessible(page, "the History page with a search result");
    await screenshot(page, "history-01-search");

    await hit.click();
    const found = page.locator(`.past-chat [data-seq="${seq}"]`);
    await found.waitFor();
    expect(await found.getAttribute("class")).toContain("found");
    expect(await page.locator("#past-chat-title").textContent()).toBe("Chat with Hester <b>Prynne</b>");
    expect(await byTestId(page, "past-messages").textContent()).toContain("Can you send new quinces?");
    // Read-only: no message box.
    expect(await page.locator(".past-chat textarea").count()).toBe(0);
    await expectAccessible(page, "a past chat opened from History");
    // Its transcript goes out from here as from a tab: the same button and form.
    const past = page.locator(".past-chat");
    await byTestId(past, "transcript-button").click();
    await byTestId(past, "transcript-email").fill("hester@example.org");
    await screenshot(page, "history-02-past-chat");
    await byTestId(past, "transcript-send").click();
    await eventually(() => byTestId(past, "transcript-sent").textContent()).toContain("hester@example.org");
    await screenshot(page, "history-03-transcript-sent");

    // Back to the same results; the list without words shows the chat too.
    await byTestId(page, "history-back").click();
    await byTestId(page, "search-hit").first().waitFor();
    await search.fill("");
    await search.press("Enter");
    await eventually(() => byTestId(page, "history-chat").filter({ hasText: "Hester <b>Prynne</b>" }).count()).toBe(1);
    bot.close();
  });
});
