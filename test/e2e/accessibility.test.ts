// WCAG 2.1 A/AA with axe-core on every screen a person meets: the sign-in page, the console with
// a chat open, each Control Panel page, and the widget open and in a chat. Each screen is reached
// the way a person reaches it, with every form left at its defaults.
import type { Page } from "playwright-core";
import { describe, it } from "vitest";
// The Control Panel pages (route.ts reads location, so it is not imported here).
const adminPages = ["canned", "departments", "operators", "api-keys", "settings"];
import { ALICE, accept, byTestId, chatTab, expectAccessible, goOnline, signIn } from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

describe("accessibility (axe-core, WCAG 2.1 A/AA)", () => {
  it("the sign-in page", async () => {
    const { page } = await suite.open();
    await byTestId(page, "login-email").waitFor();
    await expectAccessible(page, "the sign-in page");
  });

  it("the widget, open and then in a chat, and the console with that chat open", async () => {
    const visitorPage = (await suite.open(`${suite.server.origin}/demo/`)).page;
    await widget(visitorPage, "parley-launcher").click();
    await widget(visitorPage, "parley-window").waitFor();
    await expectAccessible(visitorPage, "the open widget");

    await widget(visitorPage, "parley-input").fill("Hello, is anyone there?");
    await widget(visitorPage, "parley-send").click();
    await widget(visitorPage, "parley-message").and(visitorPage.locator("[data-seq]")).first().waitFor();
    const chatId = await visitorPage.evaluate(() => (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session?.chatId);

    const { page } = await suite.open();
    await signIn(page, ALICE);
    await goOnline(page);
    await accept(page, chatId!);
    await byTestId(page, "message-input").fill("Hello! How can I help?");
    await byTestId(page, "send-button").click();
    await widget(visitorPage, "parley-message").filter({ hasText: "How can I help" }).waitFor();
    await expectAccessible(visitorPage, "the widget in a chat");
    await chatTab(page, chatId!).waitFor();
    await expectAccessible(page, "the console with a chat open");
  });

  it("each Control Panel page", async () => {
    const { page } = await suite.open();
    await signIn(page, ALICE);
    for (const name of adminPages) {
      await page.evaluate((hash) => (location.hash = hash), `#/admin/${name}`);
      await byTestId(page, `cp-${name}`).waitFor();
      await page.waitForLoadState("networkidle");
      await expectAccessible(page, `the Control Panel's ${name} page`);
    }
    await page.evaluate(() => (location.hash = "#/my-responses"));
    await page.waitForLoadState("networkidle");
    await expectAccessible(page, "My responses");
  });
});
