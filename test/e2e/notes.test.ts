// Private notes in a real browser against `wrangler dev`: a visitor on the demo site chats with
// Alice, who invites Bob (another browser profile) into the chat; Alice writes a note, Bob sees it
// marked as a private note, and the visitor's widget never shows it, live or replayed after a reload.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  accept,
  byTestId,
  chatTab,
  expectAccessible,
  goOnline,
  messages,
  screenshot,
  signIn,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const NOTE = "VIP customer: refund without asking for the receipt";

async function operator(who: typeof ALICE): Promise<Page> {
  const { page } = await suite.open();
  await signIn(page, who);
  await goOnline(page);
  return page;
}

/** The demo shop's widget, open, after the visitor wrote `text`; returns the page and chat id. */
async function visitorWrites(text: string): Promise<{ visitor: Page; chatId: string }> {
  const { page: visitor } = await suite.open(`${suite.server.origin}/demo/`);
  await widget(visitor, "parley-launcher").click();
  await widget(visitor, "parley-input").fill(text);
  await widget(visitor, "parley-send").click();
  await widget(visitor, "parley-message").and(visitor.locator("[data-seq]")).filter({ hasText: text }).waitFor();
  const chatId = await visitor.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
        ?.chatId,
  );
  expect(chatId).toMatch(/^c_/);
  return { visitor, chatId: chatId! };
}

describe("private notes", () => {
  it("a note is seen by a colleague, marked as private, and not by the visitor", async () => {
    const alice = await operator(ALICE);
    const bob = await operator(BOB);
    const { visitor, chatId } = await visitorWrites("Hello, my parcel has not arrived");
    await accept(alice, chatId);
    await chatTab(alice, chatId).click();
    await messages(alice).filter({ hasText: "my parcel" }).waitFor();
    // Bob joins as a colleague; Alice stays.
    await byTestId(alice, "transfer-target").selectOption(`operator:${BOB.id}`);
    await byTestId(alice, "invite-colleague").click();
    await chatTab(bob, chatId).waitFor({ timeout: 15_000 });
    await chatTab(bob, chatId).click();
    await messages(bob).filter({ hasText: "my parcel" }).waitFor();

    // Alice switches the composer to a note: the toggle says so, and so does the input.
    const toggle = byTestId(alice, "note-toggle");
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    await toggle.click();
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    expect(await byTestId(alice, "note-hint").textContent()).toContain("only operators see it");
    expect(await byTestId(alice, "message-input").getAttribute("placeholder")).toContain("Private note");
    expect(await byTestId(alice, "send-button").textContent()).toBe("Add note");
    await byTestId(alice, "message-input").fill(NOTE);
    await screenshot(alice, "notes-01-writing-a-note");
    await expectAccessible(alice, "the console writing a private note");
    await byTestId(alice, "message-input").press("Enter");

    const mine = messages(alice).and(alice.locator('[data-kind="note"][data-seq]')).filter({ hasText: NOTE });
    await mine.waitFor();
    expect(await byTestId(mine, "private-note-label").textContent()).toContain("Private note");
    // Bob gets it live, marked as a private note.
    const theirs = messages(bob).and(bob.locator('[data-kind="note"]')).filter({ hasText: NOTE });
    await theirs.waitFor();
    expect(await byTestId(theirs, "private-note-label").textContent()).toContain("only operators see this");
    expect(await theirs.textContent()).toContain("Alice");
    await screenshot(bob, "notes-02-colleague-sees-the-note");

    // Alt+N goes back to writing to the visitor, who gets the message after the note and not the note.
    await byTestId(alice, "message-input").press("Alt+KeyN");
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    expect(await byTestId(alice, "note-hint").count()).toBe(0);
    await byTestId(alice, "message-input").fill("Sorry about that, we are refunding you today.");
    await byTestId(alice, "message-input").press("Enter");
    await widget(visitor, "parley-message").filter({ hasText: "refunding you today" }).waitFor();
    await messages(bob).filter({ hasText: "refunding you today" }).waitFor();
    expect(await widget(visitor, "parley-window").textContent()).not.toContain("VIP customer");
    expect(await widget(visitor, "parley-message").filter({ hasText: "VIP" }).count()).toBe(0);
    // The message to the visitor is not marked as a note in the console.
    expect(
      await messages(alice).filter({ hasText: "refunding you today" }).getByTestId("private-note-label").count(),
    ).toBe(0);
    await screenshot(visitor, "notes-03-visitor-without-the-note");

    // Alice writes another note and a message while the visitor's page reloads: the widget says
    // hello from the last seq it holds and is replayed what it missed, without the note.
    const reloading = visitor.reload();
    await toggle.click();
    await byTestId(alice, "message-input").fill("Second note: she ordered twice");
    await byTestId(alice, "message-input").press("Enter");
    await messages(alice)
      .and(alice.locator('[data-kind="note"][data-seq]'))
      .filter({ hasText: "Second note" })
      .waitFor();
    await toggle.click();
    await byTestId(alice, "message-input").fill("Anything else I can do?");
    await byTestId(alice, "message-input").press("Enter");
    await reloading;
    await widget(visitor, "parley-message").filter({ hasText: "Anything else" }).waitFor();
    const shown = await widget(visitor, "parley-message").allTextContents();
    expect(shown.join("\n")).not.toMatch(/VIP customer|Second note/);
    expect(await messages(bob).filter({ hasText: "Second note" }).count()).toBe(1);

    // "Seen" is for what the visitor got: when they read past a note, it stays on Alice's message.
    await toggle.click();
    await byTestId(alice, "message-input").fill("Third note: closing the ticket");
    await byTestId(alice, "message-input").press("Enter");
    await messages(alice)
      .and(alice.locator('[data-kind="note"][data-seq]'))
      .filter({ hasText: "Third note" })
      .waitFor();
    await widget(visitor, "parley-input").fill("No, thank you!");
    await widget(visitor, "parley-send").click();
    await messages(alice).filter({ hasText: "No, thank you!" }).waitFor();
    // The visitor's read receipt follows their message on the same socket; let it land.
    await alice.waitForTimeout(1_000);
    const receipts = byTestId(byTestId(alice, "history-area"), "read-receipt");
    expect(await receipts.count()).toBe(1);
    expect(
      await messages(alice)
        .filter({ has: byTestId(alice, "read-receipt") })
        .textContent(),
    ).toContain("Anything else");
    await screenshot(alice, "notes-04-operator-history-with-notes");

    // After the end, notes still go in (for whoever follows up); messages do not.
    await byTestId(alice, "close-chat").click();
    await widget(visitor, "parley-message").filter({ hasText: "Alice ended the chat" }).waitFor();
    await byTestId(alice, "message-input").fill("Follow-up: refund issued");
    await byTestId(alice, "message-input").press("Enter");
    await messages(bob).and(bob.locator('[data-kind="note"]')).filter({ hasText: "Follow-up" }).waitFor();
    await toggle.click();
    expect(await byTestId(alice, "message-input").isDisabled()).toBe(true);
    expect(await byTestId(alice, "message-input").getAttribute("placeholder")).toContain("Use Note");
  });
});
