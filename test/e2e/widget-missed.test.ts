// A chat nobody takes, in a real browser against `wrangler dev` with a 2-second queue timeout: the
// lobby's alarm moves it to missed, the console's waiting list drops it, and the visitor's widget
// stops waiting, says no operator could take the chat and offers to continue it by email.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ALICE, eventually, goOnline, signIn, waitingChat } from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite({ vars: { QUEUE_MISSED_AFTER_S: "2" } });
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const chatIdOf = (page: Page) =>
  page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
        ?.chatId,
  );

describe("a chat nobody takes in time", () => {
  it("leaves the console's waiting list, and the widget offers to continue by email, which gets through", async () => {
    const { page: alice } = await suite.open();
    await signIn(alice, ALICE);
    await goOnline(alice);

    const { page: visitor } = await suite.open();
    await visitor.goto(`${suite.server.origin}/demo/`);
    await widget(visitor, "parley-launcher").click();
    await widget(visitor, "parley-window").waitFor();
    await widget(visitor, "parley-input").fill("Is anybody there?");
    await widget(visitor, "parley-send").click();
    await eventually(() => chatIdOf(visitor)).toMatch(/^c_/);
    const chatId = (await chatIdOf(visitor))!;
    await waitingChat(alice, chatId).waitFor();
    expect(await widget(visitor, "parley-offline-form").isHidden()).toBe(true);

    // The timeout passes; the widget asks every ~10 s.
    await waitingChat(alice, chatId).waitFor({ state: "detached", timeout: 20_000 });
    await eventually(() => widget(visitor, "parley-waiting").textContent(), undefined, 30_000).toContain(
      "no operator could take your chat",
    );
    // The chat goes on by email: the widget asks only for the address (its name is known) and
    // takes one more word if the visitor has one.
    await widget(visitor, "parley-offline-form").waitFor();
    expect(await widget(visitor, "parley-offline-name").isHidden()).toBe(true);
    await widget(visitor, "parley-offline-email").fill("mia@example.org");
    await widget(visitor, "parley-offline-text").fill("Please write back about my order.");
    await widget(visitor, "parley-offline-send").click();
    await widget(visitor, "parley-offline-sent").waitFor();
    // The same chat waits again as an offline message (those never expire), with the address and
    // the whole conversation for whoever takes it.
    const card = waitingChat(alice, chatId);
    await card.waitFor();
    await eventually(() => card.textContent()).toContain("mia@example.org");
    expect(await card.textContent()).toContain("Is anybody there?");
  });
});
