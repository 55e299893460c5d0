// The shareable chat page (/chat/<account>, docs/chat-page.md) in a real browser against a real
// `wrangler dev`: the widget's own chat, full-page on Parley's origin, for a visitor who came by a
// link; an operator answering in the console; the Control Panel's link to it. Widget elements are
// found by data-testid inside the chat's open shadow root, which Playwright's CSS locators pierce.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO } from "../../scripts/local-dev.ts";
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
const SUPPORT = "dep_demo_support";
const chatPage = (query = "") => `${suite.server.origin}/chat/${DEMO.accountId}${query}`;

async function adminApi<T>(method: string, path: string, json?: unknown): Promise<T> {
  const response = await fetch(`${suite.server.origin}/api/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${suite.server.apiKey}`, "Content-Type": "application/json" },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
const departmentOf = async (chatId: string) =>
  (await adminApi<{ chat: { departmentId: string | null } }>("GET", `/chats/${chatId}`)).chat.departmentId;

/** The chat page in a browser profile of its own (CSP violations fail the test, as in the console). */
async function visit(query = "", viewport = { width: 1280, height: 800 }): Promise<Page> {
  const { page } = await suite.open(chatPage(query));
  await page.setViewportSize(viewport);
  await byTestId(page, "parley-window").waitFor();
  return page;
}

async function operatorOnline(): Promise<Page> {
  const { page } = await suite.open();
  await signIn(page, ALICE);
  await goOnline(page);
  return page;
}

async function visitorSays(page: Page, text: string): Promise<string> {
  await byTestId(page, "parley-input").fill(text);
  await byTestId(page, "parley-send").click();
  await byTestId(page, "parley-message").and(page.locator("[data-seq]")).filter({ hasText: text }).first().waitFor();
  const chatId = await page.evaluate(
    (key) => (JSON.parse(localStorage.getItem(key) ?? "{}") as { session?: { chatId: string } }).session?.chatId,
    `parley.widget.${DEMO.accountId}`,
  );
  expect(chatId).toMatch(/^c_/);
  return chatId!;
}

describe("the chat page", () => {
  // First, while no operator has been online on this server: the page takes a message instead.
  it("takes an offline message while nobody is online", async () => {
    const visitor = await visit();
    await byTestId(visitor, "parley-offline-form").waitFor();
    await byTestId(visitor, "parley-offline-name").fill("Olga");
    await byTestId(visitor, "parley-offline-email").fill("olga@example.com");
    await byTestId(visitor, "parley-offline-text").fill("Please call me back about my order.");
    await screenshot(visitor, "chat-page-01-offline-desktop");
    await byTestId(visitor, "parley-offline-send").click();
    await byTestId(visitor, "parley-offline-sent").waitFor();
  });

  it("chats with an operator: the visitor writes, the operator answers, the visitor sees it", async () => {
    const operator = await operatorOnline();
    const visitor = await visit();
    // The account's face, as the widget shows it: its name in the title and the header, its colour.
    const config = await adminApi<{ displayName: string; widgetColor: string }>("GET", "/settings");
    expect(await visitor.title()).toBe(config.displayName);
    const header = visitor.locator("[data-testid=parley-window] header");
    expect(await header.locator("h2").textContent()).toBe(config.displayName);
    const colour = await header.evaluate(
      (node) => node.ownerDocument.defaultView!.getComputedStyle(node).backgroundColor,
    );
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(config.widgetColor.slice(i, i + 2), 16));
    expect(colour).toBe(`rgb(${r}, ${g}, ${b})`);
    // No launcher and no close button: the chat is the page, filling the window's height.
    expect(await byTestId(visitor, "parley-launcher").count()).toBe(0);
    expect((await byTestId(visitor, "parley-window").boundingBox())?.height).toBe(800);
    await byTestId(visitor, "parley-offline-form").waitFor({ state: "hidden" });

    const chatId = await visitorSays(visitor, "Hello from your chat link!");
    expect(await departmentOf(chatId)).toBeNull();
    await accept(operator, chatId);
    await chatTab(operator, chatId).click();
    await messages(operator).filter({ hasText: "Hello from your chat link!" }).waitFor();
    await byTestId(operator, "message-input").fill("Hi! Glad you found us. <b>How</b> can I help?");
    await byTestId(operator, "message-input").press("Enter");
    const reply = byTestId(visitor, "parley-message").filter({ hasText: "Glad you found us" });
    await reply.waitFor();
    expect(await reply.getAttribute("data-author")).toBe("operator");
    expect(await reply.locator("b").count()).toBe(0);
    await screenshot(visitor, "chat-page-02-chat-desktop");
    await expectAccessible(visitor, "the chat page with a chat going");
  });

  it("puts the chat in the link's department, also on a phone; an unknown department is the usual routing", async () => {
    await operatorOnline();
    const phone = { width: 390, height: 844 };
    const visitor = await visit(`?department=${SUPPORT}`, phone);
    const chatId = await visitorSays(visitor, "A question for support");
    expect(await departmentOf(chatId)).toBe(SUPPORT);
    const box = await byTestId(visitor, "parley-window").boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    await screenshot(visitor, "chat-page-03-phone");

    const other = await visit("?department=dep_gone", phone);
    const otherChat = await visitorSays(other, "And one for anyone");
    expect(await departmentOf(otherChat)).toBeNull();
    expect(await byTestId(other, "parley-window").textContent()).not.toContain("not available");
  });

  it("chooses the link's department in the pre-chat form", async () => {
    await adminApi("PATCH", "/settings", { preChatForm: true });
    try {
      await operatorOnline();
      const visitor = await visit(`?department=${SUPPORT}`, { width: 390, height: 844 });
      await byTestId(visitor, "parley-prechat").waitFor();
      expect(await byTestId(visitor, "parley-prechat-department").inputValue()).toBe(SUPPORT);
      await screenshot(visitor, "chat-page-04-prechat-phone");
      await expectAccessible(visitor, "the chat page's pre-chat form on a phone");
      await byTestId(visitor, "parley-prechat-name").fill("Pia");
      await byTestId(visitor, "parley-prechat-start").click();
      const chatId = await visitorSays(visitor, "Started from the form");
      expect(await departmentOf(chatId)).toBe(SUPPORT);
    } finally {
      await adminApi("PATCH", "/settings", { preChatForm: false });
    }
  });

  it("shows an account's name that looks like HTML as text", async () => {
    const { displayName } = await adminApi<{ displayName: string }>("GET", "/settings");
    const hostile = `<img src=x onerror="window.pwned=1">`;
    await adminApi("PATCH", "/settings", { displayName: hostile });
    try {
      const visitor = await visit();
      expect(await visitor.title()).toBe(hostile);
      expect(await visitor.locator("[data-testid=parley-window] header h2").textContent()).toBe(hostile);
      expect(await visitor.locator("img").count()).toBe(0);
      expect(await visitor.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    } finally {
      await adminApi("PATCH", "/settings", { displayName });
    }
  });

  it("answers a link to no account with a 404 page", async () => {
    const { page } = await suite.open(`${suite.server.origin}/chat/acc_nobody`);
    const response = await page.reload();
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "This chat link does not lead anywhere" }).waitFor();
    expect(await page.locator("#root").count()).toBe(0);
    await expectAccessible(page, "the chat page's 404 page");
  });
});

describe("the Control Panel's chat page link", () => {
  it("shows the link, for a department too, and copies it", async () => {
    const { page: alice, context } = await suite.open();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: suite.server.origin });
    await signIn(alice, ALICE);
    await alice.goto(`${suite.server.origin}/#/admin/settings`);
    const link = byTestId(alice, "cp-chat-page-link");
    await eventually(() => link.inputValue()).toBe(chatPage());
    await byTestId(alice, "cp-chat-page-department").selectOption(SUPPORT);
    await eventually(() => link.inputValue()).toBe(chatPage(`?department=${SUPPORT}`));
    await byTestId(alice, "cp-chat-page-copy").click();
    await eventually(() => byTestId(alice, "cp-chat-page-copy").textContent()).toBe("Copied");
    expect(
      await alice.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).toBe(chatPage(`?department=${SUPPORT}`));
    await screenshot(alice, "chat-page-05-control-panel");
    await expectAccessible(alice, "the Settings page with the chat page link");

    // The copied link is the page.
    const visitor = await visit(`?department=${SUPPORT}`);
    expect(await visitor.title()).toBe((await adminApi<{ displayName: string }>("GET", "/settings")).displayName);
  });
});
