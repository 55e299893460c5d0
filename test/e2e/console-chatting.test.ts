// The operator console in a real browser against a real `wrangler dev`: signing in, taking a
// chat from the queue (and losing the race for one), chatting with a test visitor that speaks the
// WebSocket protocol, canned responses, and the resizable layout. What is asserted is what an
// operator sees and relies on, found through the console's data-testid contract.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cannedLevels, type CannedLevel } from "../../src/shared/protocol.ts";
import {
  ALICE,
  BOB,
  accept,
  byTestId,
  eventually,
  chatTab,
  goOnline,
  messages,
  screenshot,
  signIn,
  waitingChat,
  type DemoOperator,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";
import type { VisitorBot } from "./visitor-bot.ts";

const suite = browserSuite();

/** A console page signed in as `operator` and online, in its own browser profile. */
async function consoleFor(operator: DemoOperator = ALICE): Promise<Page> {
  const opening = await suite.open();
  await signIn(opening.page, operator);
  await goOnline(opening.page);
  return opening.page;
}

async function visitor(name: string): Promise<VisitorBot> {
  return suite.visitor(name);
}

/** A new visitor's chat, accepted in `page` and shown there. */
async function chatWith(page: Page, name: string): Promise<VisitorBot> {
  const bot = await visitor(name);
  await accept(page, bot.chatId);
  await chatTab(page, bot.chatId).click();
  await bot.waitForEvent("join");
  return bot;
}

/** The shown message with this seq. */
const messageAt = (page: Page, seq: number) => messages(page).and(page.locator(`[data-seq="${seq}"]`));
const input = (page: Page) => byTestId(page, "message-input");
const attr = (locator: Locator, name: string) => locator.getAttribute(name);

describe("signing in and taking chats", () => {
  it("signs in, goes online, takes a waiting chat, keeps the session over a reload and signs out", async () => {
    const opening = await suite.open();
    const { page } = opening;
    await byTestId(page, "login-email").waitFor();
    await screenshot(page, "01-sign-in");
    await signIn(page, ALICE);
    await goOnline(page);
    await eventually(() => byTestId(page, "presence-select").inputValue()).toBe("online");

    const bot = await visitor("Wendy");
    const waiting = waitingChat(page, bot.chatId);
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain("Wendy");
    await screenshot(page, "02-waiting-chat");

    await byTestId(waiting, "accept-chat").click();
    await chatTab(page, bot.chatId).waitFor();
    expect(await chatTab(page, bot.chatId).textContent()).toContain("Wendy");
    // The visitor learns who took the chat; the queue no longer offers it.
    expect((await bot.waitForEvent("join")).author).toMatchObject({ kind: "operator", name: "Alice" });
    await waiting.waitFor({ state: "detached" });

    await page.reload();
    await chatTab(page, bot.chatId).waitFor();
    await eventually(() => byTestId(page, "presence-select").inputValue()).toBe("online");

    await byTestId(page, "sign-out").click();
    await byTestId(page, "login-email").waitFor();
    expect(await chatTab(page, bot.chatId).count()).toBe(0);
    await page.reload();
    await byTestId(page, "login-email").waitFor();
    expect(await byTestId(page, "presence-select").count()).toBe(0);
  });

  it("gives a chat two operators accept at the same moment to exactly one of them", async () => {
    const alice = await consoleFor(ALICE);
    const bob = await consoleFor(BOB);
    // No department: the chat waits for every operator of the account, Alice and Bob alike.
    const bot = await visitor("Rita");
    const buttons = [alice, bob].map((page) => byTestId(waitingChat(page, bot.chatId), "accept-chat"));
    await Promise.all(buttons.map((button) => button.waitFor()));
    const answers = new Map<Page, number>();
    for (const page of [alice, bob]) {
      page.on("response", (response) => {
        if (response.url().endsWith(`/api/operator/chats/${bot.chatId}/accept`)) answers.set(page, response.status());
      });
    }

    // Both click at once. The loser's button may vanish under its click when the winner's
    // `dequeued` arrives first, so a click that found nothing to click is not a failure here.
    await Promise.allSettled(buttons.map((button) => button.click({ timeout: 5_000 })));

    const hasTab = async (page: Page) => (await chatTab(page, bot.chatId).count()) === 1;
    await eventually(
      async () => Number(await hasTab(alice)) + Number(await hasTab(bob)),
      "tabs for the chat in both consoles",
    ).toBe(1);
    const [winner, loser, winnerName] = (await hasTab(alice)) ? [alice, bob, "Alice"] : [bob, alice, "Bob"];
    // The loser is told, or at least no longer offered the chat; they never get its tab.
    await eventually(
      async () =>
        (await byTestId(loser, "accept-notice").isVisible()) || (await waitingChat(loser, bot.chatId).count()) === 0,
    ).toBe(true);
    await screenshot(loser, "03-accept-race-lost");
    expect(await chatTab(loser, bot.chatId).count()).toBe(0);
    expect(await chatTab(winner, bot.chatId).count()).toBe(1);
    // The server agrees: one 200; the loser's request, if it got out in time, was refused.
    expect(answers.get(winner)).toBe(200);
    expect([409, undefined]).toContain(answers.get(loser));

    // The visitor sees exactly one operator join: the winner.
    const join = await bot.waitForEvent("join");
    expect(join.author.name).toBe(winnerName);
    await bot.say("Who is there?");
    await chatTab(winner, bot.chatId).click();
    await messages(winner).filter({ hasText: "Who is there?" }).waitFor();
    expect(bot.messages.filter((m) => m.event === "join")).toHaveLength(1);
    expect(await chatTab(loser, bot.chatId).count()).toBe(0);
  });
});

describe("chatting with a visitor", () => {
  it("shows the visitor's typing draft and messages, and sends replies with Enter and with Send", async () => {
    const page = await consoleFor();
    const bot = await chatWith(page, "Tom");

    // A widget repeats its typing state while the visitor types; typing frames are not stored, so
    // one sent before the console's socket is up would simply be missed.
    await eventually(async () => {
      bot.typing("Where is my ord");
      return (await byTestId(page, "typing-preview").allTextContents()).join(" ");
    }).toContain("Where is my ord");
    await byTestId(chatTab(page, bot.chatId), "typing-mark").waitFor();

    const asked = await bot.say("Where is my order?");
    const question = messageAt(page, asked);
    await question.waitFor();
    expect(await attr(question, "data-author")).toBe("visitor");
    expect(await question.textContent()).toContain("Where is my order?");
    // A sent message ends the preview.
    await byTestId(page, "typing-preview").waitFor({ state: "hidden" });

    await input(page).fill("It left our warehouse today.");
    await input(page).press("Enter");
    const byEnter = await bot.waitForOperatorMessage("It left our warehouse today.");
    expect(byEnter.author.name).toBe("Alice");
    expect(await input(page).inputValue()).toBe("");
    const shownEnter = messageAt(page, byEnter.seq);
    await shownEnter.waitFor();
    expect(await attr(shownEnter, "data-author")).toBe("operator");
    expect(await shownEnter.textContent()).toContain("It left our warehouse today.");

    await input(page).fill("Anything else?");
    await byTestId(page, "send-button").click();
    const byButton = await bot.waitForOperatorMessage("Anything else?");
    await messageAt(page, byButton.seq).waitFor();
    expect(await input(page).inputValue()).toBe("");
    expect(bot.operatorTexts()).toEqual(["It left our warehouse today.", "Anything else?"]);
    await eventually(async () => {
      bot.typing("Yes, can I change the delivery add");
      return (await byTestId(page, "typing-preview").allTextContents()).join(" ");
    }).toContain("Yes, can I change the delivery add");
    await screenshot(page, "04-chat");
  });

  it("adds a newline with Shift+Enter and disables Send while there is nothing to send", async () => {
    const page = await consoleFor();
    const bot = await chatWith(page, "Nina");
    const send = byTestId(page, "send-button");

    expect(await input(page).inputValue()).toBe("");
    expect(await send.isDisabled()).toBe(true);
    await input(page).fill("   ");
    expect(await send.isDisabled()).toBe(true);
    await input(page).fill("x");
    expect(await send.isEnabled()).toBe(true);
    await input(page).fill("");
    expect(await send.isDisabled()).toBe(true);

    await input(page).click();
    await input(page).pressSequentially("First line");
    await input(page).press("Shift+Enter");
    await input(page).pressSequentially("Second line");
    expect(await input(page).inputValue()).toBe("First line\nSecond line");
    await input(page).press("Enter");
    const sent = await bot.waitForOperatorMessage("First line\nSecond line");
    expect(bot.operatorTexts()).toEqual(["First line\nSecond line"]);
    // Shown on two lines, as typed.
    const shown = messageAt(page, sent.seq);
    await shown.waitFor();
    expect(await shown.innerText()).toMatch(/First line\nSecond line/);
    expect(await send.isDisabled()).toBe(true);
  });

  it("shows HTML as text and turns URLs and emails into links that open safely", async () => {
    const page = await consoleFor();
    const bot = await chatWith(page, "Hacker");

    const fromVisitor = await bot.say("Try <b>x</b> at https://example.com/track?id=7. Or mail help@example.com");
    await input(page).fill("<b>x</b> is not bold, see https://parley.dev/docs");
    await input(page).press("Enter");
    const fromOperator = await bot.waitForOperatorMessage("<b>x</b> is not bold, see https://parley.dev/docs");

    for (const seq of [fromVisitor, fromOperator.seq]) {
      const shown = messageAt(page, seq);
      await shown.waitFor();
      expect(await shown.locator("b").count()).toBe(0);
      expect(await shown.textContent()).toContain("<b>x</b>");
    }
    const visitorMessage = messageAt(page, fromVisitor);
    expect(await visitorMessage.locator('a[href="https://example.com/track?id=7"]').count()).toBe(1);
    expect(await visitorMessage.locator('a[href="mailto:help@example.com"]').count()).toBe(1);
    expect(await messageAt(page, fromOperator.seq).locator('a[href="https://parley.dev/docs"]').count()).toBe(1);
    const links = await byTestId(page, "history-area").locator("a[href]").all();
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) {
      expect(await attr(link, "href")).toMatch(/^(https?:|mailto:)/);
      expect(await attr(link, "target")).toBe("_blank");
      expect((await attr(link, "rel"))?.split(/\s+/)).toEqual(expect.arrayContaining(["noopener", "noreferrer"]));
    }
    await screenshot(page, "05-links");
  });

  it("inserts canned responses of every level, coloured by level, at the cursor, and again with the lightning button", async () => {
    const page = await consoleFor();
    const bot = await chatWith(page, "Carl");
    const select = byTestId(page, "canned-select");
    const options = byTestId(select, "canned-option");
    await options.first().waitFor({ state: "attached" });
    // Nothing chosen yet: nothing to insert.
    expect(await byTestId(page, "canned-insert").isDisabled()).toBe(true);
    expect(await byTestId(page, "canned-lightning").isDisabled()).toBe(true);

    // Alice's list: the company's, her department's (Sales), her own.
    const listed = await options.evaluateAll((els) =>
      els.map((el) => ({
        level: el.dataset.level,
        text: el.textContent,
        value: el.value,
        color: el.ownerDocument.defaultView.getComputedStyle(el).color,
      })),
    );
    expect(listed.map((o) => o.level)).toEqual(["company", "company", "department", "operator"]);
    for (const [title, level] of [
      ["Greeting", "company"],
      ["Goodbye", "company"],
      ["Sales hours", "department"],
      ["Checking", "operator"],
    ]) {
      expect(listed.find((o) => o.text?.includes(title!))?.level).toBe(level);
    }
    for (const option of listed)
      expect(colourName(option.color), `${option.level} option colour ${option.color}`).toBe(
        expectedColour[option.level as CannedLevel],
      );

    const texts: Record<CannedLevel, string> = {
      company: "Hello! How can I help you today?",
      department: "Sales is here Monday to Friday, 9:00 to 17:00.",
      operator: "Let me check that for you, one moment please.",
    };
    const between = (text: string) => new RegExp(`^<<\\s?${escapeRegExp(text)}\\s?>>$`);
    for (const level of cannedLevels) {
      // The cursor between "<<" and ">>": choosing a response puts its text exactly there.
      await input(page).fill("<<>>");
      await input(page).press("End");
      await input(page).press("ArrowLeft");
      await input(page).press("ArrowLeft");
      await select.selectOption(listed.find((o) => o.level === level)!.value);
      await eventually(() => input(page).inputValue(), `${level} response inserted`).toMatch(between(texts[level]));
    }
    await screenshot(page, "06-canned");

    // The Insert button inserts the chosen one at the cursor again.
    await input(page).fill("<<>>");
    await input(page).press("End");
    await input(page).press("ArrowLeft");
    await input(page).press("ArrowLeft");
    await byTestId(page, "canned-insert").click();
    await eventually(() => input(page).inputValue()).toMatch(between(texts.operator));

    // The lightning button inserts the chosen response again without opening the list.
    await input(page).fill("");
    await byTestId(page, "canned-lightning").click();
    await eventually(() => input(page).inputValue()).toBe(texts.operator);
    await byTestId(page, "canned-lightning").click();
    await eventually(async () => (await input(page).inputValue()).split(texts.operator).length - 1).toBe(2);
    await input(page).fill("");
    await byTestId(page, "canned-lightning").click();
    await byTestId(page, "send-button").click();
    expect((await bot.waitForOperatorMessage(texts.operator)).text).toBe(texts.operator);
  });

  it("lets the operator drag the splitter to resize the history and tabs areas, and keeps the sizes over a reload", async () => {
    const page = await consoleFor();
    const bot = await chatWith(page, "Sam");
    await bot.say("Hi!");
    const history = byTestId(page, "history-area");
    const tabs = byTestId(page, "tabs-area");
    const box = async (locator: Locator) => {
      const b = await locator.boundingBox();
      if (!b) throw new Error("not rendered");
      return b;
    };
    // The manual: a double-arrow pointer over the movable area; the text input itself does not resize.
    expect(
      await byTestId(page, "splitter").evaluate((el) => el.ownerDocument.defaultView.getComputedStyle(el).cursor),
    ).toMatch(/^(row-resize|ns-resize|col-resize|ew-resize)$/);
    expect(await input(page).evaluate((el) => el.ownerDocument.defaultView.getComputedStyle(el).resize)).toBe("none");
    const [h0, t0, s0] = [await box(history), await box(tabs), await box(byTestId(page, "splitter"))];
    // Which way the areas are stacked decides which way the splitter moves.
    const vertical = Math.abs(h0.y - t0.y) > Math.abs(h0.x - t0.x);
    const size = (b: { width: number; height: number }) => (vertical ? b.height : b.width);
    // Away from the tabs area, into the history: the tabs area grows, the history shrinks.
    const towardsTabs = vertical ? Math.sign(t0.y - h0.y) : Math.sign(t0.x - h0.x);
    const distance = -80 * towardsTabs;

    await page.mouse.move(s0.x + s0.width / 2, s0.y + s0.height / 2);
    await page.mouse.down();
    await page.mouse.move(
      s0.x + s0.width / 2 + (vertical ? 0 : distance),
      s0.y + s0.height / 2 + (vertical ? distance : 0),
      { steps: 10 },
    );
    await page.mouse.up();

    const [h1, t1] = [await box(history), await box(tabs)];
    expect(size(h0) - size(h1), "history area shrinks").toBeGreaterThan(40);
    expect(size(t1) - size(t0), "tabs area grows").toBeGreaterThan(40);
    await screenshot(page, "07-resized");

    await page.reload();
    await chatTab(page, bot.chatId).waitFor();
    await history.waitFor();
    await eventually(
      async () => Math.abs(size(await box(history)) - size(h1)),
      "history area size after reload",
    ).toBeLessThanOrEqual(2);
    expect(Math.abs(size(await box(tabs)) - size(t1)), "tabs area size after reload").toBeLessThanOrEqual(2);
  });

  it("shows the send-file and transcript buttons in a live chat", async () => {
    const page = await consoleFor();
    await chatWith(page, "Fay");
    for (const id of ["send-file", "transcript-button"]) {
      expect(await byTestId(page, id).isVisible(), `${id} is shown`).toBe(true);
      expect(await byTestId(page, id).isEnabled(), `${id} works in a live chat`).toBe(true);
    }
  });
});

const expectedColour: Record<CannedLevel, string> = { company: "red", department: "green", operator: "dark blue" };

/** Names a CSS rgb() colour by hue and lightness, so any reasonable red, green or dark blue passes. */
function colourName(css: string): string {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((c) => c / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  if (max - min < 0.15) return `grey ${css}`;
  let hue = max === r ? ((g - b) / (max - min)) % 6 : max === g ? (b - r) / (max - min) + 2 : (r - g) / (max - min) + 4;
  hue = (hue * 60 + 360) % 360;
  if (hue < 20 || hue >= 340) return "red";
  if (hue >= 80 && hue < 160) return "green";
  if (hue >= 200 && hue < 260) return lightness <= 0.4 ? "dark blue" : `light blue ${css}`;
  return `other ${css}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
