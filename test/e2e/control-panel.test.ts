// The Control Panel in a real browser against a real `wrangler dev`: an owner creates, edits,
// reorders and deletes canned responses of every level there, and the console's canned responses
// bar (hers, and a teammate's in another browser) follows at once, in the level's colour, without
// a reload. Operators without an admin role get no Control Panel, and manage their own responses
// from "My responses" only when an admin allows it in Settings. Routing is set there too: a
// department's mode, ring time and longest wait, when it passes on unanswered chats and its
// business hours, an operator's capacity and the account's.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Department, Operator, Settings } from "../../src/shared/admin-api.ts";
import type { CannedLevel } from "../../src/shared/protocol.ts";
import { DEMO } from "../../scripts/local-dev.ts";
import {
  ALICE,
  BOB,
  accept,
  byTestId,
  chatTab,
  eventually,
  goOnline,
  messages,
  screenshot,
  signIn,
  type DemoOperator,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const server = suite.server;

/** The exact colours of the manual's levels: company red, department green, operator dark blue. */
const COLOURS: Record<CannedLevel, string> = {
  company: "rgb(198, 40, 40)",
  department: "rgb(46, 125, 50)",
  operator: "rgb(13, 44, 107)",
};
const SUPPORT = DEMO.departments.find((d) => d.name === "Support")!;
const SALES = DEMO.departments.find((d) => d.name === "Sales")!;

/** What the admin API says now, to check what the panel saved. */
async function adminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${server.origin}/api/admin/v1${path}`, {
    headers: { Authorization: `Bearer ${server.apiKey}` },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function consoleFor(operator: DemoOperator): Promise<Page> {
  const opening = await suite.open();
  await signIn(opening.page, operator);
  // Set once; a reload of the page would lose it.
  await opening.page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
  return opening.page;
}

const notReloaded = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded === true);

/** The options of the canned responses bar, as the operator sees them. */
function barOptions(page: Page) {
  return byTestId(byTestId(page, "canned-select"), "canned-option").evaluateAll((options) =>
    options.map((option) => ({
      title: option.textContent ?? "",
      level: option.dataset.level,
      colour: option.ownerDocument.defaultView!.getComputedStyle(option).color,
    })),
  );
}
const barTitles = async (page: Page) => (await barOptions(page)).map((o) => o.title);

const row = (page: Page, title: string): Locator =>
  byTestId(page, "cp-canned-row").filter({ has: page.getByText(title, { exact: true }) });

async function openControlPanel(page: Page): Promise<void> {
  await byTestId(page, "control-panel-link").click();
  await byTestId(page, "cp-canned").waitFor();
  await row(page, "Greeting").waitFor();
}

async function backToChats(page: Page): Promise<void> {
  await byTestId(page, "cp-back").click();
  await byTestId(page, "cp-canned").waitFor({ state: "detached" });
  await byTestId(page, "message-input").waitFor({ state: "visible" });
}

async function createResponse(
  page: Page,
  level: CannedLevel,
  ownerId: string | null,
  title: string,
  text: string,
): Promise<void> {
  await byTestId(page, "cp-canned-level").selectOption(level);
  if (ownerId) await byTestId(page, "cp-canned-owner").selectOption(ownerId);
  await byTestId(page, "cp-canned-title").fill(title);
  await byTestId(page, "cp-canned-text").fill(text);
  await byTestId(page, "cp-canned-shortcut").fill(`e2e-${level}`);
  await byTestId(page, "cp-canned-save").click();
  await row(page, title).waitFor();
  expect(await row(page, title).getAttribute("data-level")).toBe(level);
  // An empty form again, for the next one.
  await eventually(() => byTestId(page, "cp-canned-title").inputValue()).toBe("");
}

describe("Control Panel: canned responses", () => {
  it("creates, edits, reorders and deletes responses of every level, and the console's bars follow without a reload", async () => {
    const alice = await consoleFor(ALICE);
    const bob = await consoleFor(BOB);
    await byTestId(bob, "canned-select").waitFor();
    const created: Record<CannedLevel, { ownerId: string | null; title: string }> = {
      company: { ownerId: null, title: "E2E company welcome" },
      department: { ownerId: SUPPORT.id, title: "E2E support hours" },
      operator: { ownerId: ALICE.id, title: "E2E Alice sign-off" },
    };

    await openControlPanel(alice);
    await screenshot(alice, "cp-01-canned-page");
    for (const [level, { ownerId, title }] of Object.entries(created) as [
      CannedLevel,
      (typeof created)[CannedLevel],
    ][]) {
      await createResponse(alice, level, ownerId, title, `${title}: text`);
      // The panel shows it in its level's colour too.
      const colour = await byTestId(row(alice, title), "cp-canned-title-text").evaluate(
        (el) => el.ownerDocument.defaultView!.getComputedStyle(el).color,
      );
      expect(colour, `${level} title colour in the panel`).toBe(COLOURS[level]);
    }
    await screenshot(alice, "cp-02-created");

    await backToChats(alice);
    // Alice's bar: each new response, at its level, in its colour.
    for (const [level, { title }] of Object.entries(created) as [CannedLevel, { title: string }][]) {
      await eventually(
        async () => (await barOptions(alice)).find((o) => o.title.startsWith(title)),
        `${level} response in Alice's bar`,
      ).toMatchObject({ level, colour: COLOURS[level] });
    }
    // Bob's bar (another browser, told by the lobby): the company's and his department's, not Alice's own.
    await eventually(async () =>
      (await barOptions(bob)).filter((o) => o.title.startsWith("E2E")).map((o) => [o.level, o.colour]),
    ).toEqual([
      ["company", COLOURS.company],
      ["department", COLOURS.department],
    ]);
    await screenshot(alice, "cp-03-console-bar");

    // Edit the company response, delete the department one, move the company one to the top.
    await openControlPanel(alice);
    await byTestId(row(alice, created.company.title), "cp-canned-edit").click();
    await byTestId(alice, "cp-canned-edit-title").fill("E2E company hello");
    await byTestId(alice, "cp-canned-edit-save").click();
    await row(alice, "E2E company hello").waitFor();
    await byTestId(row(alice, created.department.title), "cp-canned-delete").click();
    await byTestId(alice, "cp-canned-delete-confirm").click();
    await row(alice, created.department.title).waitFor({ state: "detached" });
    // By keyboard: the company group was Greeting, Goodbye, then the new one.
    const companyTitles = () =>
      byTestId(byTestId(alice, "cp-canned-group").first(), "cp-canned-title-text").allTextContents();
    const up = byTestId(row(alice, "E2E company hello"), "cp-canned-up");
    await up.focus();
    await alice.keyboard.press("Enter");
    await eventually(companyTitles).toEqual(["Greeting", "E2E company hello", "Goodbye"]);
    await eventually(() => up.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true); // focus stays on the moved row's button
    await alice.keyboard.press("Enter");
    await eventually(companyTitles).toEqual(["E2E company hello", "Greeting", "Goodbye"]);
    // At the top its up button is disabled, and the focus moved to its down button.
    await eventually(() =>
      byTestId(row(alice, "E2E company hello"), "cp-canned-down").evaluate(
        (el) => el === el.ownerDocument.activeElement,
      ),
    ).toBe(true);
    expect(await up.isDisabled()).toBe(true);
    await screenshot(alice, "cp-04-edited");

    await backToChats(alice);
    for (const page of [alice, bob]) {
      await eventually(
        async () => (await barTitles(page)).filter((t) => !t.includes("Sales")).map((t) => t.split(" · ")[0]),
        "the bar after edit, delete and reorder",
      ).toEqual(
        page === alice
          ? ["E2E company hello", "Greeting", "Goodbye", "Checking", created.operator.title]
          : ["E2E company hello", "Greeting", "Goodbye"],
      );
    }
    expect(await notReloaded(alice), "Alice's console was not reloaded").toBe(true);
    expect(await notReloaded(bob), "Bob's console was not reloaded").toBe(true);
  });

  it("shows API validation messages next to the field they are about", async () => {
    const alice = await consoleFor(ALICE);
    await openControlPanel(alice);
    await byTestId(alice, "cp-canned-title").fill("Bad shortcut");
    await byTestId(alice, "cp-canned-text").fill("Some text");
    await byTestId(alice, "cp-canned-shortcut").fill("no spaces allowed");
    await byTestId(alice, "cp-canned-save").click();
    await byTestId(alice, "cp-canned-problem").waitFor();
    const shortcut = byTestId(alice, "cp-canned-shortcut");
    expect(await shortcut.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await shortcut.getAttribute("aria-describedby"))!.split(" ");
    const described = await Promise.all(describedBy.map((id) => alice.locator(`[id="${id}"]`).textContent()));
    expect(described.join(" ")).toContain("A shortcut is 1-32 letters, digits, _ or -.");
    await screenshot(alice, "cp-05-validation");
  });
});

describe("Control Panel: beside the chats", () => {
  it("keeps the open chats connected while the Control Panel is shown in their place", async () => {
    const alice = await consoleFor(ALICE);
    await goOnline(alice);
    const bot = await suite.visitor("Petra");
    await accept(alice, bot.chatId);
    await chatTab(alice, bot.chatId).click();
    await bot.waitForEvent("join");
    const socketsOpened: string[] = [];
    alice.on("websocket", (socket) => socketsOpened.push(socket.url()));

    await openControlPanel(alice);
    expect(await byTestId(alice, "history-area").isVisible()).toBe(false);
    await bot.say("Are you still there?");
    // The lobby stays beside the panel, and the reply comes in while the panel is open.
    expect(await byTestId(alice, "presence-select").isVisible()).toBe(true);
    await eventually(
      () => byTestId(chatTab(alice, bot.chatId), "unread-count").count(),
      "unread mark while the panel is open",
    ).toBe(1);
    await backToChats(alice);
    await messages(alice).filter({ hasText: "Are you still there?" }).waitFor();
    expect(socketsOpened, "no socket was reopened").toEqual([]);
    expect(await notReloaded(alice)).toBe(true);
  });
});

describe("Control Panel: who sees it", () => {
  it("is not offered to operators without an admin role, not even by its address", async () => {
    const bob = await consoleFor(BOB);
    expect(await byTestId(bob, "control-panel-link").count()).toBe(0);
    await bob.goto(`${server.origin}/#/admin/canned`);
    await byTestId(bob, "presence-select").waitFor();
    expect(await byTestId(bob, "control-panel").count()).toBe(0);
    expect(await byTestId(bob, "message-input").isVisible()).toBe(true);

    const alice = await consoleFor(ALICE);
    expect(await byTestId(alice, "control-panel-link").isVisible()).toBe(true);
  });

  it("lets operators manage their own responses only once an admin allows it in Settings", async () => {
    const bob = await consoleFor(BOB);
    await byTestId(bob, "my-responses-link").click();
    await byTestId(bob, "my-response-title").fill("Bob's own");
    await byTestId(bob, "my-response-text").fill("Bob here, how can I help?");
    await byTestId(bob, "my-response-save").click();
    await byTestId(bob, "my-responses-refused").waitFor();
    await screenshot(bob, "cp-06-my-responses-refused");

    const alice = await consoleFor(ALICE);
    await openControlPanel(alice);
    await byTestId(alice, "cp-nav-settings").click();
    await byTestId(alice, "cp-settings-operatorsManageOwnResponses").check();
    await byTestId(alice, "cp-settings-save").click();
    await eventually(() => byTestId(alice, "cp-settings-saved").textContent()).toBe("Settings saved.");

    // Bob opens the page afresh (the refusal was this page's answer, not a setting it knows).
    await byTestId(bob, "cp-back").click();
    await byTestId(bob, "my-responses-link").click();
    await byTestId(bob, "my-response-title").fill("Bob's own");
    await byTestId(bob, "my-response-text").fill("Bob here, how can I help?");
    await byTestId(bob, "my-response-save").click();
    await row(bob, "Bob's own").waitFor();
    await screenshot(bob, "cp-07-my-responses");
    await byTestId(bob, "cp-back").click();
    await eventually(async () => (await barOptions(bob)).find((o) => o.title.startsWith("Bob's own"))).toMatchObject({
      level: "operator",
      colour: COLOURS.operator,
    });
  });
});

describe("Control Panel: routing", () => {
  const field = (page: Page, id: string) => byTestId(page, id);
  /** The hint and error a screen reader reads with a control. */
  async function description(page: Page, control: Locator): Promise<string> {
    const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
    return (await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(" ");
  }

  it("sets a department's mode, ring time and longest wait; the ring time only for the modes that ring", async () => {
    const alice = await consoleFor(ALICE);
    await openControlPanel(alice);
    await byTestId(alice, "cp-nav-departments").click();
    const sales = byTestId(alice, "cp-department-row").filter({ hasText: SALES.name });
    await eventually(() => byTestId(sales, "cp-department-mode").textContent()).toBe(
      "Everyone sees it (first to accept)",
    );
    expect(await byTestId(sales, "cp-department-timing").textContent()).toBe("waits up to 10 min");

    await byTestId(sales, "cp-department-edit").click();
    expect(await field(alice, "cp-department-ring-timeout").count()).toBe(0);
    expect(await field(alice, "cp-department-max-wait").inputValue()).toBe("600");
    await field(alice, "cp-department-routing-mode").selectOption("round_robin");
    expect(await field(alice, "cp-department-ring-timeout").inputValue()).toBe("30");
    await field(alice, "cp-department-ring-timeout").fill("20");
    await field(alice, "cp-department-max-wait").fill("900");
    expect(await description(alice, field(alice, "cp-department-max-wait"))).toContain("That is 15 min.");
    await byTestId(alice, "cp-department-edit-save").click();
    await eventually(() => byTestId(sales, "cp-department-mode").textContent()).toBe("Round robin");
    expect(await byTestId(sales, "cp-department-timing").textContent()).toBe("rings 20 s each · waits up to 15 min");
    expect(await adminGet<Department>(`/departments/${SALES.id}`)).toMatchObject({
      routingMode: "round_robin",
      ringTimeoutSeconds: 20,
      maxWaitSeconds: 900,
    });
    await screenshot(alice, "cp-08-department-routing");

    // A longest wait out of range is refused at its field, and nothing is saved.
    await byTestId(sales, "cp-department-edit").click();
    await field(alice, "cp-department-max-wait").fill("10");
    await byTestId(alice, "cp-department-edit-save").click();
    const wait = field(alice, "cp-department-max-wait");
    await eventually(() => wait.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, wait)).toContain("The longest wait must be at least 30 seconds.");
    expect((await adminGet<Department>(`/departments/${SALES.id}`)).maxWaitSeconds).toBe(900);

    // Back to everyone: the ring time goes out of sight and is kept as it was.
    await field(alice, "cp-department-max-wait").fill("600");
    await field(alice, "cp-department-routing-mode").selectOption("everyone");
    expect(await field(alice, "cp-department-ring-timeout").count()).toBe(0);
    await byTestId(alice, "cp-department-edit-save").click();
    await eventually(() => byTestId(sales, "cp-department-mode").textContent()).toBe(
      "Everyone sees it (first to accept)",
    );
    expect(await adminGet<Department>(`/departments/${SALES.id}`)).toMatchObject({
      routingMode: "everyone",
      ringTimeoutSeconds: 20,
      maxWaitSeconds: 600,
    });
  });

  it("sets a department's business hours and when it passes on unanswered chats, sending only those", async () => {
    const alice = await consoleFor(ALICE);
    await openControlPanel(alice);
    await byTestId(alice, "cp-nav-departments").click();
    const support = byTestId(alice, "cp-department-row").filter({ hasText: SUPPORT.name });
    await eventually(() => byTestId(support, "cp-department-hours").textContent()).toBe("open at all hours");

    await byTestId(support, "cp-department-edit").click();
    const reassign = field(alice, "cp-department-reassign");
    expect(await reassign.inputValue()).toBe("");
    expect(await description(alice, reassign)).toContain("Empty: never.");
    expect(await field(alice, "cp-department-all-hours").isChecked()).toBe(true);
    expect(await field(alice, "cp-hours-time-zone").count()).toBe(0);
    await field(alice, "cp-department-all-hours").uncheck();
    // A schedule starts from the browser's own zone and weekdays 09:00-17:00.
    const zone = field(alice, "cp-hours-time-zone");
    expect(await zone.inputValue()).toBe(await alice.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
    expect(
      await zone.evaluate(
        (input) =>
          input.ownerDocument.getElementById(input.getAttribute("list")!)?.querySelector('[value="Europe/Berlin"]') !==
          null,
      ),
    ).toBe(true);
    for (const day of ["mon", "tue", "wed", "thu", "fri"]) {
      expect(await field(alice, `cp-hours-${day}-closed`).isChecked(), day).toBe(false);
      expect(await field(alice, `cp-hours-${day}-from`).inputValue(), day).toBe("09:00");
      expect(await field(alice, `cp-hours-${day}-to`).inputValue(), day).toBe("17:00");
    }
    for (const day of ["sat", "sun"]) {
      expect(await field(alice, `cp-hours-${day}-closed`).isChecked(), day).toBe(true);
      expect(await field(alice, `cp-hours-${day}-from`).count(), day).toBe(0);
    }
    await zone.fill("Europe/Berlin");
    await field(alice, "cp-hours-closed-date-input").fill("2026-12-24");
    await field(alice, "cp-hours-closed-date-add").click();
    await eventually(() => field(alice, "cp-hours-closed-date").allTextContents()).toEqual(["2026-12-24×"]);
    expect(await field(alice, "cp-hours-closed-date-input").inputValue()).toBe("");
    await reassign.fill("90");
    expect(await description(alice, reassign)).toContain("That is 1 min 30 s.");
    await screenshot(alice, "cp-09-department-hours");

    const sent = alice.waitForRequest((r) => r.method() === "PATCH" && r.url().endsWith(`/departments/${SUPPORT.id}`));
    await byTestId(alice, "cp-department-edit-save").click();
    expect(Object.keys((await sent).postDataJSON() as object).sort()).toEqual([
      "businessHours",
      "reassignAfterSeconds",
    ]);
    await eventually(() => byTestId(support, "cp-department-hours").textContent()).toBe(
      "open Mon–Fri 09:00–17:00 (Europe/Berlin) · 1 closed date",
    );
    expect(await byTestId(support, "cp-department-timing").textContent()).toBe(
      "waits up to 10 min · passes on unanswered chats after 1 min 30 s",
    );
    const weekday = [{ from: "09:00", to: "17:00" }];
    const saved = await adminGet<Department>(`/departments/${SUPPORT.id}`);
    expect(saved).toMatchObject({
      name: SUPPORT.name,
      routingMode: "everyone",
      maxWaitSeconds: 600,
      reassignAfterSeconds: 90,
    });
    expect(saved.businessHours).toEqual({
      timeZone: "Europe/Berlin",
      weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
      closedDates: ["2026-12-24"],
    });
    await screenshot(alice, "cp-10-department-hours-row");

    // An interval that ends before it starts is refused at its day, and nothing is saved.
    await byTestId(support, "cp-department-edit").click();
    expect(await field(alice, "cp-hours-time-zone").inputValue()).toBe("Europe/Berlin");
    expect(await field(alice, "cp-department-reassign").inputValue()).toBe("90");
    await field(alice, "cp-hours-wed-from").fill("17:00");
    await field(alice, "cp-hours-wed-to").fill("09:00");
    await byTestId(alice, "cp-department-edit-save").click();
    const from = field(alice, "cp-hours-wed-from");
    await eventually(() => from.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, from)).toContain("An opening interval must end after it starts");
    expect(await byTestId(field(alice, "cp-hours-wed"), "cp-hours-wed-to").getAttribute("aria-invalid")).toBe("true");
    expect(await field(alice, "cp-hours-thu-from").getAttribute("aria-invalid")).toBeNull();
    expect(await byTestId(alice, "cp-problem").textContent()).toBe(
      "Not saved: An opening interval must end after it starts (split one that passes midnight).",
    );
    await eventually(() => from.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true); // the first field marked
    expect(await adminGet<Department>(`/departments/${SUPPORT.id}`)).toEqual(saved);
    await screenshot(alice, "cp-11-department-hours-refused");

    // Open at all hours again, passing nothing on: both back to null.
    await field(alice, "cp-hours-wed-from").fill("09:00");
    await field(alice, "cp-hours-wed-to").fill("17:00");
    await field(alice, "cp-department-reassign").fill("");
    await field(alice, "cp-department-all-hours").check();
    await byTestId(alice, "cp-department-edit-save").click();
    await eventually(() => byTestId(support, "cp-department-hours").textContent()).toBe("open at all hours");
    expect(await byTestId(support, "cp-department-timing").textContent()).toBe("waits up to 10 min");
    expect(await adminGet<Department>(`/departments/${SUPPORT.id}`)).toMatchObject({
      reassignAfterSeconds: null,
      businessHours: null,
    });
  });

  it("sets the account's most chats per operator, and an operator's own, new or edited; empty is the default", async () => {
    const alice = await consoleFor(ALICE);
    await openControlPanel(alice);
    await byTestId(alice, "cp-nav-settings").click();
    const most = field(alice, "cp-settings-maxChatsPerOperator");
    expect(await most.inputValue()).toBe("");
    await most.fill("4");
    await byTestId(alice, "cp-settings-save").click();
    await eventually(() => byTestId(alice, "cp-settings-saved").textContent()).toBe("Settings saved.");
    expect((await adminGet<Settings>("/settings")).maxChatsPerOperator).toBe(4);

    await byTestId(alice, "cp-nav-operators").click();
    const bob = byTestId(alice, "cp-operator-row").filter({ hasText: BOB.email });
    await byTestId(bob, "cp-operator-edit").click();
    const capacity = field(alice, "cp-operator-edit-max-chats");
    expect(await capacity.inputValue()).toBe("");
    expect(await description(alice, capacity)).toContain("Empty: the account's default (4 chats, set in Settings).");
    await capacity.fill("0");
    await byTestId(alice, "cp-operator-edit-save").click();
    await eventually(() => capacity.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, capacity)).toContain(
      "A capacity must be at least 1 chat; leave it empty for the account's default.",
    );
    await capacity.fill("2");
    await byTestId(alice, "cp-operator-edit-save").click();
    await eventually(() => byTestId(bob, "cp-operator-capacity").textContent()).toBe("up to 2 chats at once");
    expect((await adminGet<Operator>(`/operators/${BOB.id}`)).maxChats).toBe(2);

    await byTestId(bob, "cp-operator-edit").click();
    expect(await field(alice, "cp-operator-edit-max-chats").inputValue()).toBe("2");
    await field(alice, "cp-operator-edit-max-chats").fill("");
    await byTestId(alice, "cp-operator-edit-save").click();
    await eventually(() => byTestId(bob, "cp-operator-capacity").count()).toBe(0);
    expect((await adminGet<Operator>(`/operators/${BOB.id}`)).maxChats).toBeNull();

    // A new operator with a capacity of their own.
    const email = `cara.${Date.now()}@demo.parley.test`;
    await field(alice, "cp-operator-email").fill(email);
    await field(alice, "cp-operator-name").fill("Cara Capacity");
    await field(alice, "cp-operator-max-chats").fill("3");
    await byTestId(alice, "cp-operator-save").click();
    const cara = byTestId(alice, "cp-operator-row").filter({ hasText: email });
    await eventually(() => byTestId(cara, "cp-operator-capacity").textContent()).toBe("up to 3 chats at once");
    expect(await field(alice, "cp-operator-max-chats").inputValue()).toBe("");
    const id = await cara.getAttribute("data-id");
    expect((await adminGet<Operator>(`/operators/${id}`)).maxChats).toBe(3);

    // No limit again for the account.
    await byTestId(alice, "cp-nav-settings").click();
    await field(alice, "cp-settings-maxChatsPerOperator").fill("");
    await byTestId(alice, "cp-settings-save").click();
    await eventually(() => byTestId(alice, "cp-settings-saved").textContent()).toBe("Settings saved.");
    expect((await adminGet<Settings>("/settings")).maxChatsPerOperator).toBeNull();
  });
});
