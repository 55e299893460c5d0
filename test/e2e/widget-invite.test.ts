// Issue 5 part C in a real browser against `wrangler dev`: a visitor on the demo site shows up in
// the operator's visitor list; the operator invites them with the Invite button; the widget opens
// with the invitation; the visitor's reply starts the chat with the operator already in it; then
// the operator transfers it to Bob (another browser profile), who sees the whole history.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ALICE, BOB, byTestId, chatTab, eventually, goOnline, messages, screenshot, signIn } from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
/** Polls until `probe` gives something truthy, and returns it. */
async function until<T>(probe: () => Promise<T>, timeout = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function operator(who: typeof ALICE): Promise<Page> {
  const { page } = await suite.open();
  await signIn(page, who);
  await goOnline(page);
  return page;
}

describe("live visitors, invitation and transfer", () => {
  it("invites a visitor from the visitor list, chats, and transfers the chat to Bob with its history", async () => {
    const alice = await operator(ALICE);
    const { page: visitor } = await suite.open(`${suite.server.origin}/demo/`);
    await widget(visitor, "parley-launcher").waitFor();
    const visitorId = await until(() => visitor.evaluate(() => localStorage.getItem("parley.visitor.acc_demo")));
    expect(visitorId).toBeTruthy();

    const row = alice.locator(`[data-testid="visitor-row"][data-visitor-id="${visitorId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await eventually(() => row.textContent()).toContain("Demo Coffee Roasters");
    expect(await byTestId(row, "visitor-url").textContent()).toContain("/demo/");

    // A real click (pointer events and all), as an operator would: the row's URL once spilled over
    // this button and took the click, which a DOM-dispatched click did not notice.
    await row.locator("button").click();
    expect(await row.locator("button").getAttribute("aria-pressed")).toBe("true");
    await byTestId(alice, "invite-button").waitFor();
    expect(await byTestId(alice, "invite-button").textContent()).toBe("Invite");
    await byTestId(alice, "message-input").fill("Hi! Looking for a coffee that suits you?");
    await screenshot(alice, "20-visitor-invite");
    await byTestId(alice, "invite-button").click();

    const invitation = widget(visitor, "parley-invitation");
    await invitation.waitFor({ state: "visible", timeout: 15_000 });
    expect(await invitation.textContent()).toContain("Looking for a coffee");
    expect(await invitation.textContent()).toContain("Alice");

    await widget(visitor, "parley-input").fill("Yes please, something fruity");
    await widget(visitor, "parley-send").click();
    const chatId = await until(() =>
      visitor.evaluate(
        () =>
          (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } })
            .session?.chatId,
      ),
    );
    expect(chatId).toMatch(/^c_/);
    // The operator's invitation is the chat's first message, and Alice is in the chat already.
    await widget(visitor, "parley-message").filter({ hasText: "Looking for a coffee" }).waitFor();
    await chatTab(alice, chatId!).waitFor({ timeout: 15_000 });
    await chatTab(alice, chatId!).click();
    await messages(alice).filter({ hasText: "something fruity" }).waitFor();
    await messages(alice).filter({ hasText: "Looking for a coffee" }).waitFor();
    expect(await byTestId(alice, "send-button").count()).toBe(1);
    await byTestId(alice, "message-input").fill("Try our Ethiopian Yirgacheffe.");
    await byTestId(alice, "message-input").press("Enter");
    await widget(visitor, "parley-message").filter({ hasText: "Yirgacheffe" }).waitFor();
    await eventually(() =>
      alice.locator(`[data-testid="visitor-row"][data-visitor-id="${visitorId}"]`).textContent(),
    ).toContain("chatting");

    // Transfer to Bob.
    const bob = await operator(BOB);
    // The account's departments are offered besides colleagues.
    await eventually(() =>
      byTestId(alice, "transfer-target").locator('optgroup[label="Department"] option').allTextContents(),
    ).toEqual(["Sales", "Support"]);
    await byTestId(alice, "transfer-target").selectOption(`operator:${BOB.id}`);
    await screenshot(alice, "21-transfer");
    await byTestId(alice, "transfer-button").click();
    await chatTab(bob, chatId!).waitFor({ timeout: 15_000 });
    await chatTab(bob, chatId!).click();
    for (const text of ["Looking for a coffee", "something fruity", "Yirgacheffe", "transferred the chat to Bob"]) {
      await messages(bob).filter({ hasText: text }).first().waitFor();
    }
    await widget(visitor, "parley-message").filter({ hasText: "Bob joined the chat" }).waitFor();
    await byTestId(bob, "message-input").fill("Hello, Bob here.");
    await byTestId(bob, "message-input").press("Enter");
    await widget(visitor, "parley-message").filter({ hasText: "Bob here" }).waitFor();
  });
});
