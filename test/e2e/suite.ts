// One browser test file's fixtures: a fresh `wrangler dev`, one Chromium, and pages and test
// visitors that are closed after every test. A test fails if any page it opened threw.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { DEMO } from "../../scripts/local-dev.ts";
import { launchChromium, openConsole } from "./browser.ts";
import { DevServer } from "./server.ts";
import { VisitorBot } from "./visitor-bot.ts";

export type BrowserSuite = ReturnType<typeof browserSuite>;

/** Call at the top level of a test file: registers the hooks and returns the fixtures. */
export function browserSuite(options: ConstructorParameters<typeof DevServer>[0] = {}) {
  const server = new DevServer(options);
  let browser: Browser | undefined;
  let opened: { context: BrowserContext; pageErrors: string[] }[] = [];
  let bots: VisitorBot[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    await server.setUp();
  });

  afterEach(async () => {
    const errors = opened.flatMap((o) => o.pageErrors);
    for (const bot of bots) bot.close();
    bots = [];
    await Promise.all(opened.map((o) => o.context.close()));
    opened = [];
    expect(errors, "uncaught errors in a page").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server.tearDown();
  });

  return {
    server,
    /** A page at `origin` (the console by default) in a browser profile of its own. */
    async open(origin = server.origin): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
      if (!browser) throw new Error("the browser is not up yet: call open() inside a test");
      const opening = await openConsole(browser, origin);
      opened.push(opening);
      return opening;
    },
    /** A test visitor of the demo account speaking the WebSocket protocol; `null`: one who gives
     * no name. With `departmentId` the chat waits in that department's queue; `email`: the
     * address the visitor gives. */
    async visitor(name: string | null, departmentId?: string, email?: string): Promise<VisitorBot> {
      const bot = await VisitorBot.start(server.origin, {
        accountId: DEMO.accountId,
        name,
        ...(departmentId ? { departmentId } : {}),
        ...(email ? { email } : {}),
      });
      bots.push(bot);
      return bot;
    },
  };
}
