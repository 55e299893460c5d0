// Issue 11, the Control Panel's day-one defects, walked as people walk them, every form left at
// its defaults: an owner invites an operator and hands on the link the panel shows; the invitee
// opens it in a browser of their own, chooses a password and is signed in, and the link then
// says it was used. A bad widget colour and a shortcut the group already has are refused with the
// API's message next to the field. And every Control Panel page, My responses and the invitation
// page pass axe-core's WCAG 2.1 A/AA rules, with and without an error on show.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SignJWT } from "jose";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { ApiKey, Operator, OperatorCreated, Page as ListPage, Settings } from "../../src/shared/admin-api.ts";
import type { CannedResponse } from "../../src/shared/protocol.ts";
import { DEMO, ROOT } from "../../scripts/local-dev.ts";
import {
  ALICE,
  BOB,
  byTestId,
  eventually,
  expectAccessible,
  screenshot,
  signIn,
  type DemoOperator,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const server = suite.server;

async function adminApi<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const response = await fetch(`${server.origin}/api/admin/v1${path}`, {
    method: init.method ?? "GET",
    headers: {
      Authorization: `Bearer ${server.apiKey}`,
      ...(init.json === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

async function consoleFor(operator: DemoOperator): Promise<Page> {
  const { page } = await suite.open();
  await signIn(page, operator);
  return page;
}

async function openPanelPage(
  page: Page,
  name: "canned" | "departments" | "operators" | "api-keys" | "settings",
): Promise<void> {
  if ((await byTestId(page, "control-panel").count()) === 0) await byTestId(page, "control-panel-link").click();
  await byTestId(page, `cp-nav-${name}`).click();
  await byTestId(page, `cp-${name}`).waitFor();
  await byTestId(page, "cp-load-problem").waitFor({ state: "detached" });
  await page.getByText("Loading…").first().waitFor({ state: "detached" });
}

/** The texts a control's aria-describedby points at: what a screen reader reads with it. */
async function description(page: Page, control: ReturnType<typeof byTestId>): Promise<string> {
  const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(" ");
}

/** Its field's box: the label, the control, the hint and the error shown next to it. */
const fieldOf = (control: ReturnType<typeof byTestId>) =>
  control.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' cp-field ')][1]");

const text = (page: Page) => page.locator("body").innerText();

describe("an invited operator signs up", () => {
  it("through the link the Control Panel shows, in a browser of their own, once", async () => {
    const alice = await consoleFor(ALICE);
    await openPanelPage(alice, "operators");
    const email = `nina.${Date.now()}@demo.parley.test`;
    // Email and name typed; role, departments and "first sign-in" left as the form has them.
    await byTestId(alice, "cp-operator-email").fill(email);
    await byTestId(alice, "cp-operator-name").fill("Nina Newcomer");
    expect(await byTestId(alice, "cp-operator-invite").isChecked(), "an invitation is the default").toBe(true);
    await byTestId(alice, "cp-operator-save").click();

    const shown = byTestId(alice, "cp-invitation");
    await shown.waitFor();
    expect(await shown.innerText()).toContain("Invitation link for Nina Newcomer");
    await alice.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
    await byTestId(alice, "cp-invitation-copy").click();
    await eventually(() => byTestId(alice, "cp-invitation-copy").innerText()).toBe("Copied");
    const link = await alice.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(link).toMatch(
      new RegExp(`^${server.origin.replace(/[.]/g, "\\.")}/#/invitation/[\\w-]+\\.[\\w-]+\\.[\\w-]+$`),
    );
    expect(await byTestId(alice, "cp-invitation-value").inputValue()).toBe(link);
    await screenshot(alice, "day1-01-invitation-link");
    await expectAccessible(alice, "the Operators page showing an invitation link");
    // Once: after "Done" the link is gone from the page.
    await byTestId(alice, "cp-invitation-done").click();
    await shown.waitFor({ state: "detached" });
    expect(await text(alice)).not.toContain(link);

    // Nina, in a fresh browser profile, signed out.
    const { page: nina } = await suite.open(link);
    await byTestId(nina, "invitation-page").waitFor();
    await byTestId(nina, "invitation-greeting").waitFor();
    expect(await byTestId(nina, "invitation-greeting").innerText()).toContain("Nina Newcomer");
    expect(await byTestId(nina, "invitation-greeting").innerText()).toContain(email);
    expect(await nina.getByRole("heading", { name: "Choose your password" }).isVisible()).toBe(true);
    const password = byTestId(nina, "invitation-password");
    expect(await description(nina, password)).toContain("At least 10 characters");
    await screenshot(nina, "day1-02-choose-password");
    await expectAccessible(nina, "the invitation's Choose your password page");

    // Two different passwords: said at the second field, nothing sent.
    await password.fill("nina's own password");
    await byTestId(nina, "invitation-confirmation").fill("nina's own pasword");
    await byTestId(nina, "invitation-submit").click();
    const confirmation = byTestId(nina, "invitation-confirmation");
    await eventually(() => confirmation.getAttribute("aria-invalid")).toBe("true");
    expect(await description(nina, confirmation)).toContain("The two passwords are not the same");
    await eventually(
      () => confirmation.evaluate((el) => el === el.ownerDocument.activeElement),
      "the focus is on the field to correct",
    ).toBe(true);
    await screenshot(nina, "day1-02b-passwords-differ");
    await expectAccessible(nina, "the Choose your password page with an error");

    await confirmation.fill("nina's own password");
    await byTestId(nina, "invitation-submit").click();
    await byTestId(nina, "presence-select").waitFor({ state: "visible", timeout: 15_000 });
    expect(await nina.locator(".operator-name").innerText()).toBe("Nina Newcomer");
    // Signed in with the role the form gave her (operator): no Control Panel.
    expect(await byTestId(nina, "control-panel-link").count()).toBe(0);
    expect(nina.url(), "the token is not left in the address").not.toContain("invitation");
    await nina.reload();
    await byTestId(nina, "presence-select").waitFor({ state: "visible", timeout: 15_000 });

    // The same link again, in yet another browser: used, said in words, with a way to sign in.
    const { page: again } = await suite.open(link);
    await byTestId(again, "invitation-unusable-title").waitFor();
    expect(await byTestId(again, "invitation-unusable-title").innerText()).toBe(
      "This invitation has already been used",
    );
    expect(await byTestId(again, "invitation-unusable").innerText()).toContain("Sign in with your email and password");
    await screenshot(again, "day1-03-invitation-used");
    await expectAccessible(again, "the page of an invitation already used");
    await byTestId(again, "invitation-to-sign-in").click();
    await byTestId(again, "login-email").fill(email);
    await byTestId(again, "login-password").fill("nina's own password");
    await byTestId(again, "login-submit").click();
    await byTestId(again, "presence-select").waitFor({ state: "visible", timeout: 15_000 });
    expect(again.url()).not.toContain("invitation");
  });

  it("says in words why a malformed, expired or withdrawn invitation cannot be used", async () => {
    const secret = /^AUTH_SECRET=(.+)$/m.exec(readFileSync(join(ROOT, ".dev.vars"), "utf8"))![1]!.trim();
    const invite = async (name: string) =>
      adminApi<OperatorCreated>("/operators", {
        method: "POST",
        json: { email: `${name.toLowerCase()}.${Date.now()}@demo.parley.test`, name },
      });
    const deactivated = await invite("Dora");
    await adminApi<Operator>(`/operators/${deactivated.operator.id}`, { method: "PATCH", json: { active: false } });
    const expiring = await invite("Ezra");
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ typ: "invitation", acc: DEMO.accountId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(expiring.operator.id)
      .setIssuer("parley")
      .setAudience("parley:invitation")
      .setIssuedAt(now - 8 * 24 * 3600)
      .setExpirationTime(now - 24 * 3600)
      .sign(new TextEncoder().encode(secret));

    const cases = [
      [
        "a malformed link",
        "not-a-real-token",
        "This invitation link is not valid",
        "check that you opened the whole link",
      ],
      ["an expired invitation", expired, "This invitation has expired", "invite you again"],
      [
        "a deactivated operator's invitation",
        deactivated.invitation!.token,
        "This invitation was withdrawn",
        "deactivated or removed",
      ],
    ] as const;
    for (const [what, token, title, words] of cases) {
      const { page } = await suite.open(`${server.origin}/#/invitation/${token}`);
      await byTestId(page, "invitation-unusable-title").waitFor();
      expect(await byTestId(page, "invitation-unusable-title").innerText(), what).toBe(title);
      expect(await byTestId(page, "invitation-unusable").innerText(), what).toContain(words);
      expect(await byTestId(page, "invitation-password").count(), `${what}: no password form`).toBe(0);
      await expectAccessible(page, `the page of ${what}`);
      await screenshot(page, `day1-07-invitation-${what.replace(/\W+/g, "-")}`);
      await byTestId(page, "invitation-to-sign-in").click();
      await byTestId(page, "login-email").waitFor();
    }
    // Nothing was accepted on the way.
    for (const id of [deactivated.operator.id, expiring.operator.id])
      expect((await adminApi<Operator>(`/operators/${id}`)).hasPassword).toBe(false);
  });
});

describe("Control Panel errors next to their fields", () => {
  it("a bad widget colour in Settings, everything else at its defaults: the message at the colour, nothing saved", async () => {
    const before = await adminApi<Settings>("/settings");
    const alice = await consoleFor(ALICE);
    await openPanelPage(alice, "settings");
    const colour = byTestId(alice, "cp-settings-widgetColor");
    await colour.fill("blue-ish");
    await byTestId(alice, "cp-settings-save").click();
    await byTestId(alice, "cp-settings-problem").waitFor();
    const message = "Widget colour must be a hex colour like #0a7cff.";
    expect(await colour.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, colour)).toContain(message);
    expect(await fieldOf(colour).innerText()).toContain(message);
    // The colour field is far above the save button: the focus goes to it, which scrolls it into view.
    await eventually(
      () => colour.evaluate((el) => el === el.ownerDocument.activeElement),
      "the focus is on the colour field",
    ).toBe(true);
    expect(await text(alice)).not.toContain("The request json is not valid.");
    await screenshot(alice, "day1-04-settings-colour-error");
    await expectAccessible(alice, "Settings with a field error");
    expect(await adminApi<Settings>("/settings")).toEqual(before);

    // Corrected, it saves, and the error goes.
    await colour.fill("#0a7cff");
    await byTestId(alice, "cp-settings-save").click();
    await eventually(() => byTestId(alice, "cp-settings-saved").textContent()).toBe("Settings saved.");
    expect(await colour.getAttribute("aria-invalid")).toBeNull();
    expect((await adminApi<Settings>("/settings")).widgetColor).toBe("#0a7cff");
  });

  it("a canned response whose shortcut its level already has: the message at the shortcut, nothing saved", async () => {
    const existing = (await adminApi<ListPage<CannedResponse>>("/canned-responses?level=company")).items.find(
      (r) => r.shortcut,
    )!;
    const before = (await adminApi<ListPage<CannedResponse>>("/canned-responses")).items;
    const alice = await consoleFor(ALICE);
    await openPanelPage(alice, "canned");
    // The level is left at its default: company, where `existing` is.
    expect(await byTestId(alice, "cp-canned-level").inputValue()).toBe("company");
    await byTestId(alice, "cp-canned-title").fill("Another greeting");
    await byTestId(alice, "cp-canned-text").fill("Hi there!");
    const shortcut = byTestId(alice, "cp-canned-shortcut");
    await shortcut.fill(existing.shortcut!.toUpperCase());
    await byTestId(alice, "cp-canned-save").click();
    await byTestId(alice, "cp-canned-problem").waitFor();
    expect(await shortcut.getAttribute("aria-invalid")).toBe("true");
    const said = `“${existing.title}” already has the shortcut /${existing.shortcut} (capitals do not count); choose another.`;
    expect(await description(alice, shortcut)).toContain(said);
    expect(await fieldOf(shortcut).innerText()).toContain(said);
    await screenshot(alice, "day1-05-canned-shortcut-error");
    await expectAccessible(alice, "Canned responses with a field error");
    expect((await adminApi<ListPage<CannedResponse>>("/canned-responses")).items).toEqual(before);
    expect(await byTestId(alice, "cp-canned-row").filter({ hasText: "Another greeting" }).count()).toBe(0);

    // Editing another response to the same shortcut is refused the same way, at its field.
    const other = before.find((r) => r.level === "company" && r.id !== existing.id)!;
    const row = byTestId(alice, "cp-canned-row").filter({ has: alice.getByText(other.title, { exact: true }) });
    await byTestId(row, "cp-canned-edit").click();
    const editShortcut = byTestId(alice, "cp-canned-edit-shortcut");
    await editShortcut.fill(existing.shortcut!);
    await byTestId(alice, "cp-canned-edit-save").click();
    await eventually(() => editShortcut.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, editShortcut)).toContain(`already has the shortcut /${existing.shortcut}`);
    await expectAccessible(alice, "a canned response's edit form with a field error");
    expect((await adminApi<ListPage<CannedResponse>>("/canned-responses")).items).toEqual(before);
  });
});

describe("API keys at their defaults", () => {
  it("are owner keys for an owner and admin keys for an admin, and the list says so and who made them", async () => {
    const alice = await consoleFor(ALICE);
    await openPanelPage(alice, "api-keys");
    const role = byTestId(alice, "cp-api-key-role");
    expect(await role.inputValue()).toBe("owner");
    expect(await role.locator("option").allTextContents()).toEqual(["Owner", "Admin"]);
    const ownersKey = `Owner's key ${Date.now()}`;
    await byTestId(alice, "cp-api-key-name").fill(ownersKey);
    await byTestId(alice, "cp-api-key-save").click();
    await byTestId(alice, "cp-api-key-secret").waitFor();
    const ownerRow = byTestId(alice, "cp-api-key-row").filter({ hasText: ownersKey });
    expect(await byTestId(ownerRow, "cp-api-key-role-cell").textContent()).toBe("Owner");
    expect(await byTestId(ownerRow, "cp-api-key-creator").textContent()).toBe(ALICE.name);

    // An admin, signed in: the form offers admin keys only, and that is what it makes.
    const email = `keys-admin.${Date.now()}@demo.parley.test`;
    const created = await adminApi<OperatorCreated>("/operators", {
      method: "POST",
      json: { email, name: "Ada Admin", role: "admin", password: DEMO.password },
    });
    const ada = await consoleFor({
      ...ALICE,
      id: created.operator.id,
      email,
      name: "Ada Admin",
      role: "admin",
    } as unknown as DemoOperator);
    await openPanelPage(ada, "api-keys");
    const adaRole = byTestId(ada, "cp-api-key-role");
    expect(await adaRole.inputValue()).toBe("admin");
    expect(await adaRole.locator("option").allTextContents()).toEqual(["Admin"]);
    const adminsKey = `Admin's key ${Date.now()}`;
    await byTestId(ada, "cp-api-key-name").fill(adminsKey);
    await byTestId(ada, "cp-api-key-save").click();
    await byTestId(ada, "cp-api-key-secret").waitFor();
    const adminRow = byTestId(ada, "cp-api-key-row").filter({ hasText: adminsKey });
    expect(await byTestId(adminRow, "cp-api-key-role-cell").textContent()).toBe("Admin");
    expect(await byTestId(adminRow, "cp-api-key-creator").textContent()).toBe("Ada Admin");
    // The key npm start made belongs to no operator.
    const setupRow = byTestId(ada, "cp-api-key-row").filter({ hasText: "Account setup" });
    expect(await setupRow.count()).toBeGreaterThan(0);

    const keys = (await adminApi<ListPage<ApiKey>>("/api-keys?limit=100")).items;
    expect(keys.find((k) => k.name === ownersKey)).toMatchObject({ role: "owner", createdBy: ALICE.id });
    expect(keys.find((k) => k.name === adminsKey)).toMatchObject({ role: "admin", createdBy: created.operator.id });
    await adminApi(`/operators/${created.operator.id}`, { method: "PATCH", json: { active: false } });
    expect(
      (await adminApi<ListPage<ApiKey>>("/api-keys?limit=100")).items.find((k) => k.name === adminsKey)!.revokedAt,
    ).not.toBeNull();
  });
});

describe("accessibility of the Control Panel (axe-core, WCAG 2.1 A/AA)", () => {
  it("every page, and each with an error on show", async () => {
    const alice = await consoleFor(ALICE);
    for (const name of ["canned", "departments", "operators", "api-keys", "settings"] as const) {
      await openPanelPage(alice, name);
      await expectAccessible(alice, `the Control Panel's ${name} page`);
    }
    // An error on each form that has one to show, at defaults but for the one bad value.
    await openPanelPage(alice, "departments");
    await byTestId(alice, "cp-department-name").fill(DEMO.departments[0]!.name);
    await byTestId(alice, "cp-department-save").click();
    const department = byTestId(alice, "cp-department-name");
    await eventually(() => department.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, department)).toContain("already has a department of that name");
    await expectAccessible(alice, "Departments with a field error");

    await openPanelPage(alice, "operators");
    await byTestId(alice, "cp-operator-email").fill(BOB.email);
    await byTestId(alice, "cp-operator-name").fill("Bob again");
    await byTestId(alice, "cp-operator-save").click();
    const email = byTestId(alice, "cp-operator-email");
    await eventually(() => email.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, email)).toContain("already exists");
    await expectAccessible(alice, "Operators with a field error");

    await openPanelPage(alice, "api-keys");
    await byTestId(alice, "cp-api-key-name").fill("   ");
    await byTestId(alice, "cp-api-key-save").click();
    const keyName = byTestId(alice, "cp-api-key-name");
    await eventually(() => keyName.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, keyName)).toContain("cannot be empty");
    await expectAccessible(alice, "API keys with a field error");
  });

  it("the panel's open states: editors, confirmations, a password set now, a new key's secret", async () => {
    const alice = await consoleFor(ALICE);
    const check = (what: string) => expectAccessible(alice, what);
    await openPanelPage(alice, "canned");
    for (const level of ["department", "operator"] as const) {
      await byTestId(alice, "cp-canned-level").selectOption(level);
      await byTestId(alice, "cp-canned-owner").waitFor();
      await check(`the canned form at level ${level}`);
    }
    const firstRow = byTestId(alice, "cp-canned-row").first();
    await byTestId(firstRow, "cp-canned-edit").click();
    await byTestId(alice, "cp-canned-edit-title").waitFor();
    await check("a canned response's edit form");
    await byTestId(alice, "cp-canned-edit-cancel").click();
    await byTestId(firstRow, "cp-canned-delete").click();
    await byTestId(alice, "cp-canned-delete-confirm").waitFor();
    await check("a canned response's delete confirmation");
    await byTestId(alice, "cp-canned-delete-cancel").click();

    await openPanelPage(alice, "departments");
    const department = byTestId(alice, "cp-department-row").first();
    await byTestId(department, "cp-department-edit").click();
    await byTestId(alice, "cp-department-edit-name").waitFor();
    await check("a department's edit form");
    // Business hours: the schedule under "Open at all hours", with a closed date.
    await byTestId(alice, "cp-department-all-hours").uncheck();
    await byTestId(alice, "cp-hours-closed-date-input").fill("2026-12-24");
    await byTestId(alice, "cp-hours-closed-date-add").click();
    await byTestId(alice, "cp-hours-closed-date").waitFor();
    await check("a department's edit form with business hours");
    // The ring time shows for the modes that ring; a value out of range is refused at its field,
    // and a day's interval that ends before it starts at its day.
    await byTestId(alice, "cp-department-routing-mode").selectOption("least_busy");
    await byTestId(alice, "cp-department-ring-timeout").fill("2");
    await byTestId(alice, "cp-hours-mon-to").fill("08:00");
    await byTestId(alice, "cp-department-edit-save").click();
    const ring = byTestId(alice, "cp-department-ring-timeout");
    await eventually(() => ring.getAttribute("aria-invalid")).toBe("true");
    expect(await description(alice, ring)).toContain("The ring time must be at least 5 seconds.");
    expect(await description(alice, byTestId(alice, "cp-hours-mon-to"))).toContain("must end after it starts");
    await check("a department's edit form with the ring time and an interval refused");
    await alice.keyboard.press("Escape");
    await byTestId(department, "cp-department-delete").click();
    await check("a department's delete confirmation");
    await byTestId(alice, "cp-department-delete-cancel").click();

    await openPanelPage(alice, "operators");
    await byTestId(alice, "cp-operator-with-password").check();
    await byTestId(alice, "cp-operator-password").waitFor();
    await check("the operator form with a password set now");
    const bob = byTestId(alice, "cp-operator-row").filter({ hasText: BOB.email });
    await byTestId(bob, "cp-operator-edit").click();
    await byTestId(alice, "cp-operator-edit-name").waitFor();
    await check("an operator's edit form");
    await alice.keyboard.press("Escape");
    await byTestId(bob, "cp-operator-reset-password").click();
    await byTestId(alice, "cp-operator-new-password").waitFor();
    await check("an operator's new password form");
    await alice.keyboard.press("Escape");
    await byTestId(bob, "cp-operator-deactivate").click();
    await check("an operator's deactivate confirmation");
    await byTestId(alice, "cp-operator-deactivate-cancel").click();

    await openPanelPage(alice, "api-keys");
    await byTestId(alice, "cp-api-key-name").fill("CRM sync");
    await byTestId(alice, "cp-api-key-save").click();
    await byTestId(alice, "cp-api-key-secret").waitFor();
    await check("a new API key's secret, shown once");
    await byTestId(byTestId(alice, "cp-api-key-row").first(), "cp-api-key-revoke").click();
    await check("an API key's revoke confirmation");
  });

  it("My responses: refused, allowed, and with an error on show", async () => {
    const bob = await consoleFor(BOB);
    await adminApi("/settings", { method: "PATCH", json: { operatorsManageOwnResponses: false } });
    await byTestId(bob, "my-responses-link").click();
    await byTestId(bob, "my-response-title").waitFor();
    await expectAccessible(bob, "My responses");
    await byTestId(bob, "my-response-title").fill("Mine");
    await byTestId(bob, "my-response-text").fill("Bob here.");
    await byTestId(bob, "my-response-save").click();
    await byTestId(bob, "my-responses-refused").waitFor();
    await expectAccessible(bob, "My responses, refused");

    await adminApi("/settings", { method: "PATCH", json: { operatorsManageOwnResponses: true } });
    await byTestId(bob, "cp-back").click();
    await byTestId(bob, "my-responses-link").click();
    await byTestId(bob, "my-response-title").fill("Bob's hello");
    await byTestId(bob, "my-response-text").fill("Bob here, hello!");
    await byTestId(bob, "my-response-shortcut").fill("bobhi");
    await byTestId(bob, "my-response-save").click();
    await byTestId(bob, "cp-canned-row").filter({ hasText: "Bob's hello" }).waitFor();
    await expectAccessible(bob, "My responses with a response");
    // The same shortcut again among his own: refused at the field.
    await byTestId(bob, "my-response-title").fill("Bob's hello again");
    await byTestId(bob, "my-response-text").fill("Hello again!");
    await byTestId(bob, "my-response-shortcut").fill("BobHi");
    await byTestId(bob, "my-response-save").click();
    const shortcut = byTestId(bob, "my-response-shortcut");
    await eventually(() => shortcut.getAttribute("aria-invalid")).toBe("true");
    expect(await description(bob, shortcut)).toContain("Your response “Bob's hello” already has the shortcut /bobhi");
    await screenshot(bob, "day1-06-my-responses-error");
    await expectAccessible(bob, "My responses with a field error");
    expect(await byTestId(bob, "cp-canned-row").filter({ hasText: "Bob's hello again" }).count()).toBe(0);
  });
});
