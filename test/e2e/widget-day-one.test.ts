// Issue 11, the widget's day-one defects, walked the way a visitor walks them on the demo site,
// every form left at its defaults: the pre-chat form with "Any department" starts a chat; a
// refused start says so; the visitor is told they wait, and their place in the queue; the offline
// form takes focus; a too large file names the limit; and axe-core finds nothing to fix in the
// widget open, showing the pre-chat form, the offline form, or a chat with an operator's answer.
// The first two tests need nobody online, so they come first, before any console has connected.
import { closeSync, openSync, ftruncateSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Department } from "../../src/shared/admin-api.ts";
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
  waitingChat,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const chatIdOf = (page: Page) =>
  page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
        ?.chatId,
  );
/** Whether this element of the widget has the focus (inside the widget's shadow root). */
const focused = (page: Page, id: string) =>
  widget(page, id).evaluate((node) => (node.getRootNode() as { activeElement?: unknown }).activeElement === node);

/** The demo shop with the widget opened: launcher clicked, window shown. */
async function visitDemo(): Promise<Page> {
  const { page } = await suite.open(`${suite.server.origin}/demo/`);
  await widget(page, "parley-launcher").click();
  await widget(page, "parley-window").waitFor();
  return page;
}

async function operator(): Promise<Page> {
  const { page } = await suite.open();
  await signIn(page, ALICE);
  await goOnline(page);
  return page;
}

function admin(path: string, method: string, body?: unknown): Promise<Response> {
  return fetch(`${suite.server.origin}/api/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${suite.server.apiKey}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Changes account settings for the length of `run`, then puts them back. */
async function withSettings(change: Record<string, unknown>, run: () => Promise<void>): Promise<void> {
  const before = (await (await admin("/settings", "GET")).json()) as Record<string, unknown>;
  expect((await admin("/settings", "PATCH", change)).status).toBe(200);
  try {
    await run();
  } finally {
    const back = Object.fromEntries(Object.keys(change).map((key) => [key, before[key]]));
    expect((await admin("/settings", "PATCH", back)).status).toBe(200);
  }
}

async function visitorSays(page: Page, text: string): Promise<void> {
  await widget(page, "parley-input").fill(text);
  await widget(page, "parley-send").click();
}
/** The visitor's message, once the server has stored it (it has its seq). */
const stored = (page: Page, text: string) =>
  widget(page, "parley-message").and(page.locator("[data-seq]")).filter({ hasText: text });

describe("the widget on day one", () => {
  it("nobody online: the leave-a-message form takes the focus, on its first empty field", async () => {
    const visitor = await visitDemo();
    await widget(visitor, "parley-offline-form").waitFor();
    await eventually(() => focused(visitor, "parley-offline-name"), "the offline form's name field has the focus").toBe(
      true,
    );
    await screenshot(visitor, "day-one-offline-form");
    // Typing goes where the focus is: straight into the form.
    await visitor.keyboard.type("Olga Offline");
    expect(await widget(visitor, "parley-offline-name").inputValue()).toBe("Olga Offline");
  });

  it("nobody online: the widget with its offline form passes axe-core's WCAG 2.1 A/AA rules", async () => {
    const visitor = await visitDemo();
    await widget(visitor, "parley-offline-form").waitFor();
    await expectAccessible(visitor, "the widget showing the offline form");
  });

  it("a file over the account's limit says the limit, and sends nothing", async () => {
    await operator();
    const visitor = await visitDemo();
    await widget(visitor, "parley-input").waitFor();
    const dir = mkdtempSync(join(tmpdir(), "parley-big-"));
    try {
      const path = join(dir, "holiday-video.mp4");
      const fd = openSync(path, "w");
      ftruncateSync(fd, 10 * 1024 * 1024 + 1); // the default limit is 10 MB
      closeSync(fd);
      await widget(visitor, "parley-file-input").setInputFiles(path);
      const error = widget(visitor, "parley-upload-error");
      await error.waitFor();
      expect(await error.textContent()).toBe("This file is larger than the 10 MB limit.");
      await screenshot(visitor, "day-one-file-too-large");
      expect(await chatIdOf(visitor)).toBeUndefined(); // no chat was started for it
      await widget(visitor, "parley-upload-dismiss").click();
      expect(await widget(visitor, "parley-upload").count()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pre-chat form left at its defaults (Any department): the chat starts and the operator gets the message", async () => {
    await withSettings({ preChatForm: true }, async () => {
      const alice = await operator();
      const visitor = await visitDemo();
      await widget(visitor, "parley-prechat").waitFor();
      expect(await widget(visitor, "parley-prechat-department").locator("option:checked").textContent()).toBe(
        "Any department",
      );
      await screenshot(visitor, "day-one-prechat-form");
      await widget(visitor, "parley-prechat-start").click();
      await widget(visitor, "parley-input").waitFor();
      await visitorSays(visitor, "Do you sell decaf beans?");
      await stored(visitor, "Do you sell decaf beans?").waitFor({ timeout: 15_000 });
      const chatId = (await chatIdOf(visitor))!;
      await waitingChat(alice, chatId).waitFor();
      await accept(alice, chatId);
      await chatTab(alice, chatId).click();
      await messages(alice).filter({ hasText: "Do you sell decaf beans?" }).waitFor();
    });
  });

  it("a chat the server refuses to start (its department deleted meanwhile) says so instead of 'Sending…' forever", async () => {
    const created = await admin("/departments", "POST", { name: "Wholesale" });
    expect(created.status).toBe(201);
    const department = (await created.json()) as Department;
    let deleted = false;
    try {
      await withSettings({ preChatForm: true }, async () => {
        await operator();
        const visitor = await visitDemo();
        await widget(visitor, "parley-prechat-department").selectOption({ label: "Wholesale" });
        expect((await admin(`/departments/${department.id}`, "DELETE")).status).toBe(204);
        deleted = true;
        await widget(visitor, "parley-prechat-start").click();
        await widget(visitor, "parley-input").waitFor();
        await visitorSays(visitor, "Do you deliver by the pallet?");
        const message = widget(visitor, "parley-message").filter({ hasText: "Do you deliver by the pallet?" });
        await eventually(() => message.textContent()).toContain("Not delivered");
        expect(await widget(visitor, "parley-window").locator(".status").textContent()).toBe(
          "The chat is not available right now.",
        );
      });
    } finally {
      if (!deleted) await admin(`/departments/${department.id}`, "DELETE");
    }
  });

  it("tells the visitor they wait for an operator, with their place in the queue, in English and German, until one joins", async () => {
    const alice = await operator();
    const early = await suite.visitor("Early Bird"); // waits already: first in the queue
    const visitor = await visitDemo();
    await visitorSays(visitor, "Is anyone there?");
    const notice = widget(visitor, "parley-waiting");
    await eventually(() => notice.textContent()).toBe("Waiting for an operator… You are number 2 in the queue.");
    await screenshot(visitor, "day-one-waiting");

    await withSettings({ language: "de" }, async () => {
      const german = await visitDemo();
      await visitorSays(german, "Ist jemand da?");
      await eventually(() => widget(german, "parley-waiting").textContent()).toBe(
        "Warten auf einen Mitarbeiter… Sie sind Nummer 3 in der Warteschlange.",
      );
    });

    // The chat ahead is taken: the visitor moves up (the widget asks again every ~10 s).
    await accept(alice, early.chatId);
    await eventually(() => notice.textContent(), "moved up in the queue", 30_000).toBe(
      "Waiting for an operator… You are number 1 in the queue.",
    );

    // Alice takes the visitor's chat: no more waiting.
    const chatId = (await chatIdOf(visitor))!;
    await accept(alice, chatId);
    await widget(visitor, "parley-message").filter({ hasText: "Alice joined the chat" }).waitFor();
    await eventually(() => notice.isVisible()).toBe(false);
  });

  it("passes axe-core's WCAG 2.1 A/AA rules opened, showing the pre-chat form, and in a chat with an operator's answer", async () => {
    const alice = await operator();
    const visitor = await visitDemo();
    await widget(visitor, "parley-input").waitFor();
    await expectAccessible(visitor, "the widget opened");

    await visitorSays(visitor, "Which roast is the mildest?");
    await stored(visitor, "Which roast is the mildest?").waitFor();
    const chatId = (await chatIdOf(visitor))!;
    await accept(alice, chatId);
    await chatTab(alice, chatId).click();
    await byTestId(alice, "message-input").fill("Our Morning Blend is the mildest.");
    await byTestId(alice, "message-input").press("Enter");
    await widget(visitor, "parley-message").filter({ hasText: "Our Morning Blend is the mildest." }).waitFor();
    await expectAccessible(visitor, "the widget in a chat with an operator's answer");

    await withSettings({ preChatForm: true }, async () => {
      const next = await visitDemo();
      await widget(next, "parley-prechat").waitFor();
      await expectAccessible(next, "the widget showing the pre-chat form");
    });
  });
});
