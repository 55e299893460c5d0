// The browser side of the console tests: launching the system's Chromium through playwright-core
// (no downloaded browser), signing an operator in, screenshots, and a TCP proxy that can cut the
// network between the browser and `wrangler dev` the way a dropped Wi-Fi would.
import { existsSync, mkdirSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { DEMO, ROOT } from "../../scripts/local-dev.ts";

/** Debian's package; PARLEY_CHROMIUM points elsewhere (a Chrome or Chromium of any other system). */
export const CHROMIUM = process.env.PARLEY_CHROMIUM || "/usr/bin/chromium";
export const SCREENSHOTS = join(ROOT, "test", "e2e", "screenshots");

/** Launches headless Chromium. Without one the console's tests cannot run, and say so plainly
 * instead of skipping: `npm test` is meant to test everything. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The console's browser tests need Chromium at ${CHROMIUM}, and there is none.\n` +
        "Install it with `sudo apt-get install chromium` (Debian/Ubuntu; .ci/run does this itself),\n" +
        "or point PARLEY_CHROMIUM at an installed Chrome or Chromium binary.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** expect.poll with room for a loaded 2-core machine (its default gives up after one second).
 * Probes must not wait themselves: use count(), isVisible(), allTextContents(), evaluateAll(). */
export function eventually<T>(probe: () => Promise<T> | T, message?: string, timeout = 15_000) {
  return expect.poll(probe, { timeout, interval: 100, ...(message ? { message } : {}) });
}

export type DemoOperator = (typeof DEMO.operators)[number];
export const ALICE = DEMO.operators[0]!;
export const BOB = DEMO.operators[1]!;

/** A fresh browser profile (own localStorage) with one console page, errors collected. */
export async function openConsole(
  browser: Browser,
  origin: string,
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  // Anything the Content-Security-Policy blocked is a failure too: the console must run under it.
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
      pageErrors.push(`CSP: ${message.text()}`);
  });
  await page.goto(origin);
  return { context, page, pageErrors };
}

export const byTestId = (scope: Page | Locator, id: string) => scope.locator(`[data-testid="${id}"]`);
export const chatTab = (page: Page, chatId: string) =>
  page.locator(`[data-testid="chat-tab"][data-chat-id="${chatId}"]`);
export const waitingChat = (page: Page, chatId: string) =>
  page.locator(`[data-testid="waiting-chat"][data-chat-id="${chatId}"]`);
export const messages = (page: Page) => byTestId(byTestId(page, "history-area"), "message");

/** Signs in through the form and waits for the console proper (its presence switch). */
export async function signIn(page: Page, operator: DemoOperator): Promise<void> {
  await byTestId(page, "login-email").fill(operator.email);
  await byTestId(page, "login-password").fill(DEMO.password);
  await byTestId(page, "login-submit").click();
  await byTestId(page, "presence-select").waitFor({ state: "visible", timeout: 15_000 });
}

/** Goes online the way an operator does, with the presence switch. */
export async function goOnline(page: Page): Promise<void> {
  await byTestId(page, "presence-select").selectOption("online");
}

/** Accepts a waiting chat with its button and waits for the chat's tab. */
export async function accept(page: Page, chatId: string): Promise<void> {
  await byTestId(waitingChat(page, chatId), "accept-chat").click();
  await chatTab(page, chatId).waitFor({ state: "visible", timeout: 15_000 });
}

/** A full-page screenshot under test/e2e/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** A plain TCP proxy in front of `wrangler dev`. A page loaded through it talks to the server only
 * through it, so `cut()` is a real network failure for the page: its sockets are reset (close code
 * 1006, no close frame) and every new connection is refused until `restore()`. */
export class CuttableProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly targetPort: number;
  private down = false;
  port = 0;

  constructor(targetPort: number) {
    this.targetPort = targetPort;
    this.server = createServer((client) => {
      if (this.down) return void client.resetAndDestroy();
      const upstream = connect(this.targetPort, "127.0.0.1");
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(a);
        a.on("error", () => b.destroy());
        a.on("close", () => {
          this.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (typeof address !== "object" || !address) throw new Error("proxy has no port");
    this.port = address.port;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The WCAG 2.1 A and AA rules of axe-core, the bar the console, the Control Panel and the widget
 * must clear. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Runs axe-core on what the page shows now (the widget's open shadow root included) and fails
 * with each violation's rule, impact and first offending elements, so the message says what to fix. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`.trim())
        .join(" | ")}`,
  );
  expect(found, `axe-core WCAG 2.1 A/AA violations on ${what}`).toEqual([]);
}
