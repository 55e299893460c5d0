// The visitor context panel in a real browser against `wrangler dev`: a visitor browses two pages
// of the demo site with the widget and chats; the operator who accepts sees, beside the chat, the
// visitor's pages (newest first), their browser and their earlier chat, which opens read-only.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  ALICE,
  accept,
  byTestId,
  chatTab,
  eventually,
  expectAccessible,
  goOnline,
  messages,
  screenshot,
  signIn,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const chatIdOf = (page: Page) =>
  page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
        ?.chatId ?? null,
  );

async function visitorSays(visitor: Page, text: string): Promise<void> {
  if (!(await widget(visitor, "parley-window").isVisible())) await widget(visitor, "parley-launcher").click();
  await widget(visitor, "parley-input").fill(text);
  await widget(visitor, "parley-send").click();
}

describe("the visitor context panel", () => {
  it("shows the visitor's pages, browser and earlier chat beside the chat", async () => {
    const { page: alice } = await suite.open();
    await signIn(alice, ALICE);
    await goOnline(alice);

    // An earlier chat, from the shop's front page, which Alice answers and ends.
    const { page: visitor } = await suite.open(`${suite.server.origin}/demo/`);
    await widget(visitor, "parley-launcher").waitFor();
    await visitorSays(visitor, "Do you sell decaf?");
    await eventually(() => chatIdOf(visitor)).toMatch(/^c_/);
    const earlierId = (await chatIdOf(visitor))!;
    await accept(alice, earlierId);
    await chatTab(alice, earlierId).click();
    await messages(alice).filter({ hasText: "Do you sell decaf?" }).waitFor();
    await byTestId(alice, "close-chat").click();
    await widget(visitor, "parley-message").filter({ hasText: "ended" }).first().waitFor();
    await byTestId(alice, "dismiss-chat").click();

    // The visitor moves on to the About page and writes again: a new chat.
    await visitor.getByRole("link", { name: "About" }).click();
    await visitor.waitForURL(/page=about/);
    await widget(visitor, "parley-launcher").waitFor();
    const row = alice.locator(`[data-testid="visitor-row"] [data-testid="visitor-url"]`, { hasText: "page=about" });
    await row.waitFor({ timeout: 15_000 });
    await visitorSays(visitor, "Back again: what about decaf beans?");
    await eventually(async () => {
      const id = await chatIdOf(visitor);
      return id !== null && id !== earlierId;
    }).toBe(true);
    const chatId = (await chatIdOf(visitor))!;
    await accept(alice, chatId);
    await chatTab(alice, chatId).click();
    await messages(alice).filter({ hasText: "what about decaf" }).waitFor();

    // Beside the chat: both pages of the visit, newest first, as links to them.
    const panel = byTestId(alice, "visitor-context");
    const pages = byTestId(panel, "context-page");
    await eventually(() => pages.count()).toBe(2);
    const [newest, oldest] = await pages.allTextContents();
    expect(newest).toContain("About us · Demo Coffee Roasters");
    expect(newest).toContain("/demo/?page=about");
    expect(oldest).toContain("Demo Coffee Roasters");
    expect(oldest).toContain("/demo/");
    const link = pages.first().locator("a");
    expect(await link.getAttribute("href")).toBe(`${suite.server.origin}/demo/?page=about`);
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    // The browser, from the User-Agent the chat started with (headless Chromium on Linux).
    expect(await byTestId(panel, "context-browser").textContent()).toMatch(/^Chrome \d+ on Linux$/);
    expect(await byTestId(panel, "context-time-on-site").textContent()).not.toBe("Not on the site now");
    // The earlier chat, by the same browser.
    const earlier = byTestId(panel, "context-chat");
    expect(await earlier.count()).toBe(1);
    expect(await earlier.textContent()).toContain("Ended");
    expect(await earlier.textContent()).toContain("same browser");
    await screenshot(alice, "visitor-context-01-panel");
    await expectAccessible(alice, "the console with the visitor context panel");

    // It opens read-only in History: its messages, and nothing to type into but a transcript address.
    await earlier.getByRole("link").click();
    const past = alice.locator(".past-chat");
    await byTestId(past, "past-messages").getByText("Do you sell decaf?").waitFor();
    expect(await past.locator("textarea").count()).toBe(0);
    await screenshot(alice, "visitor-context-02-earlier-chat");
    await expectAccessible(alice, "an earlier chat, read-only");
    // Back in the browser returns to the chat, with the panel.
    await alice.goBack();
    await panel.waitFor();

    // Folded away, the panel leaves the chat its room; the choice survives a reload.
    await byTestId(panel, "context-toggle").click();
    expect(await byTestId(panel, "context-toggle").getAttribute("aria-expanded")).toBe("false");
    expect(await pages.count()).toBe(0);
    await alice.reload();
    await chatTab(alice, chatId).click();
    expect(await byTestId(alice, "context-toggle").getAttribute("aria-expanded")).toBe("false");
    await byTestId(alice, "context-toggle").click();
    await eventually(() => byTestId(alice, "context-page").count()).toBe(2);
  });
});
