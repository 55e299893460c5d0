// The operator console under load and under a bad network, in a real browser against a real
// `wrangler dev`: thirty live chats at once, and a dropped connection that must lose nothing and
// show nothing twice.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  CuttableProxy,
  accept,
  byTestId,
  eventually,
  chatTab,
  goOnline,
  messages,
  screenshot,
  signIn,
  type DemoOperator,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";
import type { VisitorBot } from "./visitor-bot.ts";

const suite = browserSuite();
const server = suite.server;

async function consoleFor(operator: DemoOperator, origin = server.origin): Promise<Page> {
  const opening = await suite.open(origin);
  await signIn(opening.page, operator);
  await goOnline(opening.page);
  return opening.page;
}

async function visitor(name: string): Promise<VisitorBot> {
  return suite.visitor(name);
}

const messageAt = (page: Page, seq: number) => messages(page).and(page.locator(`[data-seq="${seq}"]`));

/** Each tab's unread badge as a number, 0 where none is shown. */
async function unreadByChat(page: Page): Promise<Map<string, number>> {
  const pairs = await byTestId(page, "chat-tab").evaluateAll((tabs) =>
    tabs.map((tab) => {
      const badge = tab.querySelector('[data-testid="unread-count"]');
      return [
        tab.dataset.chatId as string,
        badge && badge.checkVisibility() ? Number(badge.textContent.match(/\d+/)?.[0] ?? NaN) : 0,
      ] as const;
    }),
  );
  return new Map(pairs);
}

describe("many chats and a bad network", () => {
  it("holds 30 concurrent chats in tabs, every one of them live", { timeout: 120_000 }, async () => {
    const page = await consoleFor(ALICE);
    const guests = await Promise.all(Array.from({ length: 30 }, (_, i) => visitor(`Guest ${i + 1}`)));
    for (const guest of guests) await accept(page, guest.chatId);
    expect(await byTestId(page, "chat-tab").count()).toBe(30);
    for (const guest of guests) expect(await chatTab(page, guest.chatId).count()).toBe(1);

    // Every visitor writes once; each tab but the one shown counts it as unread.
    const first = guests[0]!;
    const last = guests[29]!;
    await chatTab(page, first.chatId).click();
    await Promise.all(guests.map((guest, i) => guest.say(`Hello from guest ${i + 1}`)));
    await eventually(
      async () =>
        [...(await unreadByChat(page)).entries()]
          .filter(([, n]) => n === 1)
          .map(([id]) => id)
          .sort(),
      "tabs with one unread",
      30_000,
    ).toEqual(
      guests
        .slice(1)
        .map((g) => g.chatId)
        .sort(),
    );
    expect((await unreadByChat(page)).get(first.chatId)).toBe(0);

    // The 30th writes again: its badge counts two; opening it shows both and clears the badge.
    await last.say("Are you still there?");
    await eventually(async () => (await unreadByChat(page)).get(last.chatId)).toBe(2);
    await screenshot(page, "08-thirty-chats");
    await chatTab(page, last.chatId).click();
    await messages(page).filter({ hasText: "Are you still there?" }).waitFor();
    await messages(page).filter({ hasText: "Hello from guest 30" }).waitFor();
    await eventually(async () => (await unreadByChat(page)).get(last.chatId)).toBe(0);

    await byTestId(page, "message-input").fill("Yes, I am here.");
    await byTestId(page, "message-input").press("Enter");
    await last.waitForOperatorMessage("Yes, I am here.");
    // Nobody else got it.
    for (const guest of guests.slice(0, 29)) expect(guest.operatorTexts()).toEqual([]);
  });

  it(
    "shows a reconnecting banner while the network is down and then every missed message exactly once, in order",
    { timeout: 90_000 },
    async () => {
      // The page reaches the server only through this proxy, so cutting it is a real network loss.
      const proxy = new CuttableProxy(server.port);
      await proxy.start();
      try {
        const page = await consoleFor(BOB, proxy.origin);
        const bot = await visitor("Dora");
        await accept(page, bot.chatId);
        await chatTab(page, bot.chatId).click();
        await bot.waitForEvent("join");
        // A reply reaching the visitor proves the chat socket live before it is cut.
        await byTestId(page, "message-input").fill("Hello Dora, how can I help?");
        await byTestId(page, "message-input").press("Enter");
        await bot.waitForOperatorMessage("Hello Dora, how can I help?");
        await messageAt(page, await bot.say("Before the drop")).waitFor();
        expect(await byTestId(page, "reconnecting").isVisible()).toBe(false);

        proxy.cut();
        await byTestId(page, "reconnecting").waitFor({ state: "visible", timeout: 15_000 });
        const missed: number[] = [];
        for (let i = 1; i <= 5; i++) missed.push(await bot.say(`Missed ${i}`));
        // What the operator sends meanwhile waits and goes out once the connection is back.
        await byTestId(page, "message-input").fill("Sorry, my connection dropped.");
        await byTestId(page, "message-input").press("Enter");
        await screenshot(page, "09-reconnecting");

        proxy.restore();
        await byTestId(page, "reconnecting").waitFor({ state: "hidden", timeout: 45_000 });
        for (const seq of missed) await messageAt(page, seq).waitFor();
        await bot.waitForOperatorMessage("Sorry, my connection dropped.");
        await messageAt(page, await bot.say("Live again")).waitFor();
        await screenshot(page, "10-reconnected");

        await eventually(
          () => messages(page).and(page.locator("[data-pending]")).count(),
          "messages still pending",
        ).toBe(0);
        // The console shows the chat's whole log, each message once, in seq order: the same
        // seqs the visitor has, with the texts in the same places.
        const shown = await messages(page).evaluateAll((els) =>
          els.map((el) => ({
            seq: Number(el.dataset.seq),
            author: el.dataset.author as string,
            text: el.textContent as string,
          })),
        );
        const seqs = shown.map((m) => m.seq);
        expect(new Set(seqs).size, `unique seqs in ${JSON.stringify(seqs)}`).toBe(seqs.length);
        expect(seqs, "ascending seqs").toEqual([...seqs].sort((a, b) => a - b));
        expect(seqs).toEqual(bot.messages.map((m) => m.seq));
        for (const [i, m] of bot.messages.entries()) {
          expect(shown[i]!.author).toBe(m.kind === "system" ? "system" : m.author.kind);
          if (m.kind === "text") expect(shown[i]!.text).toContain(m.text);
        }
        for (let i = 1; i <= 5; i++)
          expect(
            await messages(page)
              .filter({ hasText: `Missed ${i}` })
              .count(),
          ).toBe(1);
        expect(bot.operatorTexts()).toEqual(["Hello Dora, how can I help?", "Sorry, my connection dropped."]);
      } finally {
        await proxy.stop();
      }
    },
  );
});
