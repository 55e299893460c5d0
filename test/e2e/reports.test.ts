// Reports in a real browser against `wrangler dev`, as a team reads them: a chat answered a moment
// ago reaches the figures through the real EVENTS queue and D1's aggregates; the page shows its
// totals, charts with their tables, the visitor's comment as text, the busiest hours, and saves the
// same as CSV; an operator sees only the chats they answered.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  accept,
  byTestId,
  chatTab,
  eventually,
  expectAccessible,
  goOnline,
  screenshot,
  signIn,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const today = new Date().toISOString().slice(0, 10);

describe("Reports", () => {
  it("shows a chat answered a moment ago, with its rating comment, and saves the figures as CSV", async () => {
    const { page } = await suite.open();
    await signIn(page, ALICE);
    await goOnline(page);
    const bot = await suite.visitor("Rita Reporter");
    await bot.say("Is the blue teapot back in stock?");
    await accept(page, bot.chatId);
    await chatTab(page, bot.chatId).click();
    await bot.waitForEvent("join");
    await byTestId(page, "message-input").fill("It is, since this morning.");
    await byTestId(page, "message-input").press("Enter");
    await bot.waitForOperatorMessage("It is, since this morning.");
    bot.rate("good", "<b>Superb</b> & quick");

    // A new user's way in: the Reports link in the top bar, everything at its defaults.
    await byTestId(page, "reports-link").click();
    const started = byTestId(page, "report-started");
    await started.waitFor();
    // The figures follow through the queue within seconds: show again until they are in.
    await eventually(async () => {
      await byTestId(page, "report-show").click();
      await page.waitForTimeout(300);
      return page.locator(".report-comments").textContent();
    }, "the rating reaches the report").toContain("Superb");
    expect(await started.locator("dd").textContent()).toBe("1");
    expect(await byTestId(page, "report-answered").locator("dd").textContent()).toBe("1");
    expect(await byTestId(page, "report-good-share").locator("dd").textContent()).toContain("100 %");
    expect(await byTestId(page, "report-first-answer").locator("dd").textContent()).toMatch(/\d+ s/);
    // The comment is text: the visitor's markup is not the page's.
    const comments = byTestId(page, "report-comments");
    expect(await comments.locator("q").textContent()).toBe("<b>Superb</b> & quick");
    expect(await comments.locator("b").count()).toBe(0);
    // Each chart draws on a canvas and carries a table with the same numbers for screen readers.
    const chats = byTestId(page, "report-chart-chats");
    expect(await chats.locator("canvas").count()).toBe(1);
    expect(await chats.locator("table tr", { hasText: today }).locator("td").allTextContents()).toEqual([
      "1",
      "1",
      "0",
    ]);
    expect(await byTestId(page, "report-heat-map").locator("tbody td:not(.empty)").allTextContents()).toEqual(["1"]);
    await expectAccessible(page, "the Reports page");
    await screenshot(page, "reports-01-page");

    const [download] = await Promise.all([page.waitForEvent("download"), byTestId(page, "report-csv").click()]);
    const csv = (await readFile((await download.path())!, "utf8")).trimEnd().split("\r\n");
    expect(csv[0]).toBe("day,started,answered,missed,offline,closed,ratedGood,ratedBad,firstAnswerMedian");
    expect(csv).toContainEqual(expect.stringMatching(new RegExp(`^${today},1,1,0,0,0,1,0,\\d+$`)));
    expect(csv.at(-1)).toMatch(/^total,1,1,0,0,0,1,0,\d+$/);
    bot.close();
  });

  it("shows an operator only the chats they answered, with no choice of anyone else", async () => {
    const { page } = await suite.open();
    await signIn(page, BOB);
    await byTestId(page, "reports-link").click();
    await byTestId(page, "report-started").waitFor();
    expect(await byTestId(page, "report-departmentId").count()).toBe(0);
    expect(await byTestId(page, "report-operatorId").count()).toBe(0);
    expect(await page.locator(".reports-page").textContent()).toContain("Your own figures");
    // Alice answered the only chat.
    expect(await byTestId(page, "report-started").locator("dd").textContent()).toBe("0");
    await screenshot(page, "reports-02-operator");
  });
});
