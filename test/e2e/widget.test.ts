// The visitor widget in a real browser against a real `wrangler dev`: a visitor on the demo site
// (/demo/, which embeds widget.js the way a customer's page does) and an operator in the console,
// each in their own browser profile. Widget elements are found by data-testid inside its open
// shadow root, which Playwright's CSS locators pierce.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/local-dev.ts";
import {
  ALICE,
  accept,
  byTestId,
  chatTab,
  eventually,
  goOnline,
  launchChromium,
  messages,
  openConsole,
  screenshot,
  signIn,
} from "./browser.ts";
import { DevServer } from "./server.ts";

const server = new DevServer();
let browser: Browser;
let opened: { context: BrowserContext; pageErrors: string[] }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  await server.setUp();
});

afterEach(async () => {
  const errors = opened.flatMap((o) => o.pageErrors);
  await Promise.all(opened.map((o) => o.context.close()));
  opened = [];
  expect(errors, "uncaught errors in the pages").toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server.tearDown();
});

type VisitorOptions = { viewport?: { width: number; height: number }; locale?: string; beforeLoad?: string };

/** The demo shop in a fresh browser profile, its widget's launcher shown. */
async function visitDemo({
  viewport = { width: 1100, height: 750 },
  locale = "en-US",
  beforeLoad,
}: VisitorOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  opened.push({ context, pageErrors });
  if (beforeLoad) await page.addInitScript(beforeLoad);
  await page.goto(`${server.origin}/demo/`);
  await widget(page, "parley-launcher").waitFor();
  return page;
}

async function operatorConsole(): Promise<Page> {
  const opening = await openConsole(browser, server.origin);
  opened.push(opening);
  await signIn(opening.page, ALICE);
  await goOnline(opening.page);
  return opening.page;
}

const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
/** What the visitor sees: [author, text] of each message, in order. */
const visitorLog = (page: Page) =>
  widget(page, "parley-message").evaluateAll((nodes) =>
    nodes.map((n) => [n.dataset.author, n.querySelector(".bubble")?.textContent ?? ""]),
  );
const chatIdOf = (page: Page) =>
  page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
        ?.chatId,
  );

async function visitorSays(page: Page, text: string): Promise<void> {
  await widget(page, "parley-input").fill(text);
  await widget(page, "parley-send").click();
  // Stored once it has its seq: the pending copy is replaced by the acknowledged one.
  await widget(page, "parley-message").and(page.locator("[data-seq]")).filter({ hasText: text }).first().waitFor();
}

/** A visitor who opened the chat and wrote, and an operator who took the chat and shows it. */
async function startChat(first: string) {
  const visitor = await visitDemo();
  await widget(visitor, "parley-launcher").click();
  await widget(visitor, "parley-window").waitFor();
  await visitorSays(visitor, first);
  const chatId = (await chatIdOf(visitor))!;
  expect(chatId).toMatch(/^c_/);
  const operator = await operatorConsole();
  await accept(operator, chatId);
  await chatTab(operator, chatId).click();
  await messages(operator).filter({ hasText: first }).waitFor();
  return { visitor, operator, chatId };
}

async function operatorSays(page: Page, text: string): Promise<void> {
  await byTestId(page, "message-input").fill(text);
  await byTestId(page, "message-input").press("Enter");
}

describe("the visitor widget", () => {
  it("chats both ways with an operator: greeting, typing both ways, read state, links, HTML as text", async () => {
    const visitor = await visitDemo();
    expect(await widget(visitor, "parley-window").count()).toBe(0); // the chat part loads on open
    await widget(visitor, "parley-launcher").click();
    await widget(visitor, "parley-window").getByText("Hi! How can we help?").waitFor();
    await visitorSays(visitor, "Hello, do you ship to Vienna?");
    const chatId = (await chatIdOf(visitor))!;

    const operator = await operatorConsole();
    await accept(operator, chatId);
    await chatTab(operator, chatId).click();
    await messages(operator).filter({ hasText: "Hello, do you ship to Vienna?" }).waitFor();
    await widget(visitor, "parley-message").filter({ hasText: "Alice joined the chat" }).waitFor();
    // The operator's console has the chat open, so it has read the visitor's message.
    await eventually(() => widget(visitor, "parley-message").filter({ hasText: "Vienna" }).textContent()).toContain(
      "Seen",
    );

    // The operator types: the visitor sees who.
    await byTestId(operator, "message-input").fill("Yes, we d");
    await eventually(() => widget(visitor, "parley-window").textContent()).toContain("Alice is typing");
    await byTestId(operator, "message-input").fill("Yes, we do: see https://example.com/shipping <i>really</i>");
    await byTestId(operator, "message-input").press("Enter");
    const reply = widget(visitor, "parley-message").filter({ hasText: "Yes, we do" });
    await reply.waitFor();
    expect(await reply.getAttribute("data-author")).toBe("operator");
    expect(await reply.locator(".bubble").textContent()).toBe(
      "Yes, we do: see https://example.com/shipping <i>really</i>",
    );
    expect(await reply.locator("i").count()).toBe(0);
    const link = reply.locator("a");
    expect(await link.getAttribute("href")).toBe("https://example.com/shipping");
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    await eventually(() => widget(visitor, "parley-window").textContent()).not.toContain("is typing");

    // The visitor types: the operator sees the draft.
    await eventually(async () => {
      await widget(visitor, "parley-input").fill(
        `Great, and can I pay by inv${"o".repeat(Math.floor(Math.random() * 3))}`,
      );
      return (await byTestId(operator, "typing-preview").allTextContents()).join(" ");
    }).toContain("can I pay by inv");

    // HTML typed by the visitor is text on both sides.
    const html = `<b>bold</b><img src=x onerror="window.pwned=1">`;
    await visitorSays(visitor, html);
    const shown = messages(operator).filter({ hasText: "<b>bold</b>" });
    await shown.waitFor();
    expect(await shown.locator("b, img").count()).toBe(0);
    const own = widget(visitor, "parley-message").filter({ hasText: "<b>bold</b>" });
    expect(await own.locator(".bubble").textContent()).toBe(html);
    expect(await own.locator("b, img").count()).toBe(0);
    expect(await visitor.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await screenshot(visitor, "widget-01-visitor");
    await screenshot(operator, "widget-02-operator");

    expect(await visitorLog(visitor)).toEqual([
      ["visitor", "Hello, do you ship to Vienna?"],
      ["system", "Alice joined the chat"],
      ["operator", "Yes, we do: see https://example.com/shipping <i>really</i>"],
      ["visitor", html],
    ]);
  });

  it("keeps the chat over a reload: nothing lost, nothing twice, in order", async () => {
    const { visitor, operator, chatId } = await startChat("Before the reload");
    await operatorSays(operator, "One");
    await widget(visitor, "parley-message").filter({ hasText: "One" }).waitFor();

    // The operator writes while the visitor's page is going away and coming back.
    const reloading = visitor.reload();
    await operatorSays(operator, "Two");
    await operatorSays(operator, "Three");
    await reloading;
    // The window was open, so it opens again by itself.
    await widget(visitor, "parley-message").filter({ hasText: "Three" }).waitFor();
    await visitorSays(visitor, "After the reload");
    await messages(operator).filter({ hasText: "After the reload" }).waitFor();

    expect(await visitorLog(visitor)).toEqual([
      ["visitor", "Before the reload"],
      ["system", "Alice joined the chat"],
      ["operator", "One"],
      ["operator", "Two"],
      ["operator", "Three"],
      ["visitor", "After the reload"],
    ]);
    const seqs = await widget(visitor, "parley-message").evaluateAll((nodes) =>
      nodes.map((n) => Number(n.dataset.seq)),
    );
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(await messages(operator).filter({ hasText: "After the reload" }).count()).toBe(1);
    expect(await chatIdOf(visitor)).toBe(chatId);
  });

  it("ends the chat from the widget; the next message starts a new one", async () => {
    const { visitor, operator, chatId } = await startChat("I am done soon");
    await widget(visitor, "parley-window").getByRole("button", { name: "End chat" }).click();
    await widget(visitor, "parley-window").getByText("The chat has ended").waitFor();
    await messages(operator).filter({ hasText: "ended the chat" }).waitFor();
    await visitorSays(visitor, "Me again");
    await eventually(() => chatIdOf(visitor)).not.toBe(chatId);
    expect(await visitorLog(visitor)).toEqual([["visitor", "Me again"]]);
  });

  it("answers the JS API, queued calls included, keyboard and a phone-sized screen, in German", async () => {
    // The stub from docs/widget.md, with calls made before widget.js arrives.
    const stub = `window.Parley = window.Parley || new Proxy({ q: [] }, { get: (t, k) => (k in t ? t[k] : (...a) => t.q.push([k, a])) });
      window.events = []; Parley.on("open", () => events.push("open")); Parley.on("close", () => events.push("close"));
      Parley.identify({ name: "Queued Quinn" }); Parley.open();`;
    // Someone is online, so the chat (not the offline form, which would take the focus) opens.
    await operatorConsole();
    const visitor = await visitDemo({ viewport: { width: 390, height: 844 }, locale: "de-DE", beforeLoad: stub });
    const win = widget(visitor, "parley-window");
    await win.waitFor();
    expect(await visitor.evaluate(() => (globalThis as unknown as { events: string[] }).events)).toEqual(["open"]);
    // Full screen on a phone, focus in the input, German labels.
    expect(await win.boundingBox()).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    type Doc = {
      querySelector(
        s: string,
      ): { shadowRoot: { activeElement: { getAttribute(n: string): string | null } | null } | null } | null;
    };
    const activeId = () =>
      visitor.evaluate(() =>
        (globalThis as unknown as { document: Doc }).document
          .querySelector("#parley-widget")
          ?.shadowRoot?.activeElement?.getAttribute("data-testid"),
      );
    expect(await activeId()).toBe("parley-input");
    expect(await widget(visitor, "parley-send").textContent()).toBe("Senden");
    const started = visitor.waitForRequest((r) => r.url().endsWith("/api/visitor/sessions"));
    await visitorSays(visitor, "Hallo");
    // The chat's visitor is the presence socket's visitor (the console shows their pages).
    const presenceId = await visitor.evaluate(() => localStorage.getItem("parley.visitor.acc_demo"));
    expect(presenceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse((await started).postData()!)).toEqual({
      accountId: "acc_demo",
      name: "Queued Quinn",
      visitorId: presenceId,
    });
    await screenshot(visitor, "widget-03-phone");

    await visitor.keyboard.press("Escape");
    await win.waitFor({ state: "hidden" });
    expect(await activeId()).toBe("parley-launcher");
    expect(await widget(visitor, "parley-launcher").getAttribute("aria-label")).toBe("Chatten Sie mit uns");
    await visitor.evaluate(() =>
      (globalThis as unknown as { Parley: { setTexts(t: object): void; open(): void } }).Parley.setTexts({
        send: "Abschicken",
      }),
    );
    await visitor.evaluate(() => (globalThis as unknown as { Parley: { open(): void } }).Parley.open());
    await win.waitFor();
    expect(await widget(visitor, "parley-send").textContent()).toBe("Abschicken");
    expect(await visitor.evaluate(() => (globalThis as unknown as { events: string[] }).events)).toEqual([
      "open",
      "close",
      "open",
    ]);
  });

  it("speaks the account's language when the account chose one, whatever the browser's", async () => {
    const setLanguage = (language: string) =>
      fetch(`${server.origin}/api/admin/v1/settings`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${server.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ language }),
      });
    expect((await setLanguage("de")).status).toBe(200);
    try {
      const visitor = await visitDemo({ locale: "en-US" });
      await eventually(() => widget(visitor, "parley-launcher").getAttribute("aria-label")).toBe("Chatten Sie mit uns");
    } finally {
      expect((await setLanguage("auto")).status).toBe(200);
    }
  });
});

describe("widget.js as served and built", () => {
  it("is served with CORS and caching, and the launcher is under 10 KB gzip", async () => {
    const loader = await fetch(`${server.origin}/widget.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(loader.headers.get("Cache-Control")).toContain("max-age=300");
    const chatFile = readdirSync(join(ROOT, "dist/ui/widget")).find((f) => /^chat-[\w-]{8}\.js$/.test(f))!; // the chat part itself, not chat-forms-*.js
    const chat = await fetch(`${server.origin}/widget/${chatFile}`);
    expect(chat.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(chat.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");

    const gzip = (file: string) => gzipSync(readFileSync(join(ROOT, "dist/ui", file))).length;
    const launcher = gzip("widget.js");
    const chatPart = gzip(`widget/${chatFile}`);
    console.log(`widget.js ${launcher} B gzip (before the chat opens); chat part ${chatPart} B gzip`);
    expect(launcher).toBeLessThan(10 * 1024);
    // Even with the chat part, a visitor who opens the chat loads less than the target.
    expect(launcher + chatPart).toBeLessThan(10 * 1024);
  });
});
