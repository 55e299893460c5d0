// The widget's ways in and out, in a real browser against `wrangler dev`: a message left while no
// operator is online, the visitor's rating after the chat ends (seen live in the console), and the
// pre-chat form's department choice feeding that department's queue, a department outside its
// business hours marked closed there and offering a message even with its operator online, and an
// invitation's reply going straight to the operator even with the pre-chat form on.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO } from "../../scripts/local-dev.ts";
import type { ChatDetail } from "../../src/shared/admin-api.ts";
import {
  ALICE,
  accept,
  BOB,
  byTestId,
  chatTab,
  eventually,
  goOnline,
  messages,
  signIn,
  waitingChat,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function visitDemo(): Promise<Page> {
  const { page } = await suite.open();
  await page.goto(`${suite.server.origin}/demo/`);
  await widget(page, "parley-launcher").click();
  await widget(page, "parley-window").waitFor();
  return page;
}

async function operator(who = ALICE): Promise<Page> {
  const { page } = await suite.open();
  await signIn(page, who);
  await goOnline(page);
  return page;
}

const chatIdOf = (page: Page) =>
  page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
        ?.chatId,
  );

function setPreChatForm(on: boolean) {
  return fetch(`${suite.server.origin}/api/admin/v1/settings`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${suite.server.apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ preChatForm: on }),
  });
}

function setBusinessHours(departmentId: string, businessHours: unknown) {
  return fetch(`${suite.server.origin}/api/admin/v1/departments/${departmentId}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${suite.server.apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ businessHours }),
  });
}

describe("the widget's end of chat and offline paths", () => {
  it("leaves a message while nobody is online; an operator going online sees it waiting and reads it", async () => {
    const visitor = await visitDemo();
    const form = widget(visitor, "parley-offline-form");
    await form.waitFor();
    expect(await form.textContent()).toContain("We are away right now");
    await widget(visitor, "parley-offline-name").fill("Olga Offline");
    await widget(visitor, "parley-offline-email").fill("olga-at-example");
    await widget(visitor, "parley-offline-text").fill("Please call me back about order 42.");
    await widget(visitor, "parley-offline-send").click();
    await eventually(() => widget(visitor, "parley-offline-error").textContent()).toContain("valid email");
    await widget(visitor, "parley-offline-email").fill("olga@example.org");
    await widget(visitor, "parley-offline-send").click();
    await widget(visitor, "parley-offline-sent").waitFor();

    const alice = await operator();
    const row = byTestId(alice, "waiting-chat").filter({ hasText: "Olga Offline" });
    await row.waitFor();
    expect(await byTestId(row, "offline-mark").textContent()).toContain("olga@example.org");
    const chatId = (await row.getAttribute("data-chat-id"))!;
    await accept(alice, chatId);
    await chatTab(alice, chatId).click();
    await messages(alice).filter({ hasText: "Please call me back about order 42." }).waitFor();
    expect(await byTestId(alice, "offline-mark").first().textContent()).toContain("olga@example.org");
  });

  it("rates the chat after the visitor ends it; the operator sees the rating live", async () => {
    const alice = await operator();
    const visitor = await visitDemo();
    await widget(visitor, "parley-input").fill("Hello, a quick question");
    await widget(visitor, "parley-send").click();
    await eventually(() => chatIdOf(visitor)).toMatch(/^c_/);
    const chatId = (await chatIdOf(visitor))!;
    await accept(alice, chatId);
    await chatTab(alice, chatId).click();
    await messages(alice).filter({ hasText: "a quick question" }).waitFor();

    await widget(visitor, "parley-window").getByRole("button", { name: "End chat" }).click();
    const rating = widget(visitor, "parley-rating");
    await rating.waitFor();
    await widget(visitor, "parley-rating-bad").click();
    await widget(visitor, "parley-rating-comment").fill("Took too long.");
    await widget(visitor, "parley-rating-submit").click();
    await widget(visitor, "parley-rating-thanks").waitFor();

    const mark = byTestId(alice, "chat-rating").and(alice.locator('[data-rating="bad"]'));
    await eventually(() => mark.count()).toBeGreaterThanOrEqual(2); // the tab and the header
    expect(await byTestId(alice.locator(".chat-header"), "chat-rating").textContent()).toContain("Took too long.");
  });

  it("with the pre-chat form on, the chosen department's queue gets the chat; a department with nobody online offers a message", async () => {
    expect((await setPreChatForm(true)).status).toBe(200);
    try {
      const bob = await operator(BOB); // Support only
      const visitor = await visitDemo();
      await widget(visitor, "parley-prechat").waitFor();
      expect(await widget(visitor, "parley-input").isVisible()).toBe(false);
      await widget(visitor, "parley-prechat-name").fill("Petra Prechat");
      await widget(visitor, "parley-prechat-email").fill("petra@example.org");
      await widget(visitor, "parley-prechat-department").selectOption("dep_demo_support");
      await widget(visitor, "parley-prechat-start").click();
      await widget(visitor, "parley-input").waitFor();
      await widget(visitor, "parley-input").fill("Which plan suits me?");
      await widget(visitor, "parley-send").click();
      await eventually(() => chatIdOf(visitor)).toMatch(/^c_/);
      const chatId = (await chatIdOf(visitor))!;
      await waitingChat(bob, chatId).filter({ hasText: "Petra Prechat" }).waitFor();
      const listed = (await (
        await fetch(`${suite.server.origin}/api/admin/v1/chats/${chatId}`, {
          headers: { Authorization: `Bearer ${suite.server.apiKey}` },
        })
      ).json()) as ChatDetail;
      expect(listed.chat).toMatchObject({ departmentId: "dep_demo_support", visitorEmail: "petra@example.org" });

      // Sales has nobody online (Alice's console is closed): the visitor is offered a message.
      const second = await visitDemo();
      await widget(second, "parley-prechat-name").fill("Sam Sales");
      await widget(second, "parley-prechat-email").fill("sam@example.org");
      await widget(second, "parley-prechat-department").selectOption("dep_demo_sales");
      await widget(second, "parley-prechat-start").click();
      await widget(second, "parley-offline-form").waitFor();
      expect(await widget(second, "parley-offline-email").inputValue()).toBe("sam@example.org");
      expect(DEMO.operators.find((o) => o.id === "op_demo_bob")?.departmentIds).not.toContain("dep_demo_sales");
    } finally {
      await setPreChatForm(false);
    }
  });

  it("with the pre-chat form on, a department outside its business hours says so and offers a message though its operator is online", async () => {
    expect((await setPreChatForm(true)).status).toBe(200);
    // No open day at all: Support is closed whenever the test runs.
    expect((await setBusinessHours("dep_demo_support", { timeZone: "Europe/Berlin", weekly: {} })).status).toBe(200);
    try {
      const bob = await operator(BOB); // Support only, online: only the hours close it
      const visitor = await visitDemo();
      await widget(visitor, "parley-prechat").waitFor();
      const options = widget(visitor, "parley-prechat-department").locator("option");
      expect(await options.allTextContents()).toEqual([
        "Any department",
        "Sales",
        "Support (closed now: leave a message)",
      ]);
      await widget(visitor, "parley-prechat-name").fill("Clara Closed");
      await widget(visitor, "parley-prechat-email").fill("clara@example.org");
      await widget(visitor, "parley-prechat-department").selectOption("dep_demo_support");
      await widget(visitor, "parley-prechat-start").click();
      await widget(visitor, "parley-offline-form").waitFor();
      // No composer to type a chat into that the closed department could only refuse.
      expect(await widget(visitor, "parley-input").isHidden()).toBe(true);
      expect(await widget(visitor, "parley-offline-email").inputValue()).toBe("clara@example.org");
      await widget(visitor, "parley-offline-text").fill("Are you open on Saturday?");
      await widget(visitor, "parley-offline-send").click();
      await widget(visitor, "parley-offline-sent").waitFor();
      // The message waits in Support's queue for whoever answers it by email.
      const row = byTestId(bob, "waiting-chat").filter({ hasText: "Clara Closed" });
      await row.waitFor();
      expect(await byTestId(row, "offline-mark").textContent()).toContain("clara@example.org");
    } finally {
      await setBusinessHours("dep_demo_support", null);
      await setPreChatForm(false);
    }
  });

  it("with the pre-chat form on, a visitor answering an invitation skips the form and chats with the inviting operator", async () => {
    expect((await setPreChatForm(true)).status).toBe(200);
    try {
      const alice = await operator(ALICE);
      const { page: visitor } = await suite.open(`${suite.server.origin}/demo/`);
      await widget(visitor, "parley-launcher").waitFor();
      await eventually(() => visitor.evaluate(() => localStorage.getItem("parley.visitor.acc_demo"))).toBeTruthy();
      const visitorId = await visitor.evaluate(() => localStorage.getItem("parley.visitor.acc_demo"));
      const row = alice.locator(`[data-testid="visitor-row"][data-visitor-id="${visitorId}"]`);
      await row.locator("button").click();
      await byTestId(alice, "message-input").fill("Hello from Alice, anything I can do?");
      await byTestId(alice, "invite-button").click();

      await widget(visitor, "parley-invitation").waitFor({ state: "visible", timeout: 15_000 });
      // The invitation opened the window: the reply box is there, the pre-chat form is not.
      await widget(visitor, "parley-input").waitFor();
      expect(await widget(visitor, "parley-prechat").isVisible()).toBe(false);
      await widget(visitor, "parley-input").fill("Just browsing, thanks");
      await widget(visitor, "parley-send").click();
      await eventually(() => chatIdOf(visitor)).toMatch(/^c_/);
      const chatId = (await chatIdOf(visitor))!;
      await chatTab(alice, chatId).waitFor({ timeout: 15_000 });
      await chatTab(alice, chatId).click();
      await messages(alice).filter({ hasText: "Just browsing" }).waitFor();
    } finally {
      await setPreChatForm(false);
    }
  });
});
