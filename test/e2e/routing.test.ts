// Routing (docs/routing.md) in a real browser against `wrangler dev`, as two operators see it: the
// demo's Sales department rings one operator at a time (round robin, the shortest ring time, 5 s).
// A chat rings for one of Alice and Bob: their card is marked ringing and counts down, the
// other's card says whom it rings for and cannot be accepted. Declined, it rings for the
// colleague; let ring out there too (the Lobby's alarm, real time), it opens to both. Another
// chat, from the demo site's pre-chat form, is accepted by the one it rings for: it opens as a tab
// and the visitor sees them join.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Department, Operator } from "../../src/shared/admin-api.ts";
import {
  ALICE,
  BOB,
  byTestId,
  chatTab,
  eventually,
  expectAccessible,
  goOnline,
  signIn,
  waitingChat,
  type DemoOperator,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const SALES = "dep_demo_sales";
const RING_S = 5;

async function adminApi<T>(path: string, json: unknown): Promise<T> {
  const response = await fetch(`${suite.server.origin}/api/admin/v1${path}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${suite.server.apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify(json),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

type Desk = { who: DemoOperator; page: Page };

/** An operator's console, signed in and online. */
async function desk(who: DemoOperator): Promise<Desk> {
  const { page } = await suite.open();
  await signIn(page, who);
  await goOnline(page);
  return { who, page };
}

/** Both online, each seeing the other online in their Team list: a chat that arrives now has
 * both to ring for. */
async function aliceAndBob(): Promise<[Desk, Desk]> {
  const desks = [await desk(ALICE), await desk(BOB)] as [Desk, Desk];
  for (const [me, other] of [desks, [desks[1], desks[0]]] as const) {
    await me.page.locator(".teammate.online").filter({ hasText: other.who.name }).waitFor({ timeout: 15_000 });
  }
  return desks;
}

const card = (desk: Desk, chatId: string) => waitingChat(desk.page, chatId);
const isRinging = async (desk: Desk, chatId: string) =>
  (await desk.page.locator(`[data-testid="waiting-chat"][data-chat-id="${chatId}"].ringing`).count()) > 0;
const routingText = (desk: Desk, chatId: string) => byTestId(card(desk, chatId), "waiting-routing").textContent();
const acceptButton = (desk: Desk, chatId: string): Locator => byTestId(card(desk, chatId), "accept-chat");
const countdown = async (desk: Desk, chatId: string) =>
  Number.parseInt((await byTestId(card(desk, chatId), "ring-countdown").textContent()) ?? "", 10);

/** Whose console the chat rings in, once it rings in one: [theirs, the other's]. */
async function ringing(desks: [Desk, Desk], chatId: string): Promise<[Desk, Desk]> {
  let found: [Desk, Desk] | undefined;
  await eventually(async () => {
    for (const [me, other] of [desks, [desks[1], desks[0]]] as const) {
      if (await isRinging(me, chatId)) found = [me, other];
    }
    return found !== undefined;
  }, `the chat ${chatId} rings for someone`).toBe(true);
  return found!;
}

/** What the one it rings for sees, and what their colleague sees. */
async function expectRingsFor(ringer: Desk, colleague: Desk, chatId: string): Promise<void> {
  await eventually(() => isRinging(ringer, chatId)).toBe(true);
  await eventually(() => routingText(ringer, chatId)).toMatch(/^Ringing for you: \d+ s$/);
  expect(await acceptButton(ringer, chatId).isEnabled()).toBe(true);
  expect(await byTestId(card(ringer, chatId), "decline-chat").isVisible()).toBe(true);

  await eventually(() => routingText(colleague, chatId)).toBe(`Ringing for ${ringer.who.name}`);
  expect(await isRinging(colleague, chatId)).toBe(false);
  expect(await acceptButton(colleague, chatId).isDisabled()).toBe(true);
  expect(await byTestId(card(colleague, chatId), "decline-chat").count()).toBe(0);
}

beforeAll(async () => {
  // Bob joins Alice in Sales, which rings one of them at a time.
  const bob = await adminApi<Operator>(`/operators/${BOB.id}`, { departmentIds: [SALES, "dep_demo_support"] });
  expect(bob.departmentIds).toContain(SALES);
  const sales = await adminApi<Department>(`/departments/${SALES}`, {
    routingMode: "round_robin",
    ringTimeoutSeconds: RING_S,
  });
  expect(sales).toMatchObject({ routingMode: "round_robin", ringTimeoutSeconds: RING_S });
});

afterAll(async () => {
  // Each test file has its own wrangler dev; put Sales back anyway, for anything added later.
  await adminApi(`/departments/${SALES}`, { routingMode: "everyone", ringTimeoutSeconds: 30 }).catch(() => {});
});

describe("round robin in Sales, 5 s rings, Alice and Bob online", () => {
  it("rings for one with a countdown; declined, it rings for the other; let ring out there, it opens to both", async () => {
    const desks = await aliceAndBob();
    const visitor = await suite.visitor("Rita Ringing", SALES);
    await visitor.say("Do you ship beans abroad?");
    const chatId = visitor.chatId;

    // (a) It rings for one of them; the other sees for whom. The one it rings for declines.
    const [first, second] = await ringing(desks, chatId);
    await expectRingsFor(first, second, chatId);
    await byTestId(card(first, chatId), "decline-chat").click();

    // It rings for the colleague now, and the first one's card says so.
    await expectRingsFor(second, first, chatId);
    // The countdown goes down, second by second, from the ring time.
    const start = await countdown(second, chatId);
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThanOrEqual(RING_S);
    await eventually(() => countdown(second, chatId)).toBeLessThan(start);
    // Both cards pass axe-core's WCAG 2.1 A/AA rules (the ring may run out meanwhile: no matter).
    await expectAccessible(second.page, "a chat ringing for you");
    await expectAccessible(first.page, "a chat ringing for a colleague");

    // (b) The colleague lets it ring out: everyone has passed, so anyone may take it.
    for (const desk of [first, second]) {
      await eventually(() => routingText(desk, chatId), undefined, (RING_S + 10) * 1000).toBe(
        "Everyone passed: anyone may take it",
      );
      expect(await isRinging(desk, chatId)).toBe(false);
      expect(await acceptButton(desk, chatId).isEnabled()).toBe(true);
      expect(await byTestId(card(desk, chatId), "decline-chat").count()).toBe(0);
    }
  }, 120_000);

  it("the one it rings for accepts: the chat opens as their tab, leaves the colleague's list, and the visitor sees them join", async () => {
    const desks = await aliceAndBob();
    const settings = (preChatForm: boolean) => adminApi("/settings", { preChatForm });
    await settings(true);
    try {
      const { page: visitor } = await suite.open(`${suite.server.origin}/demo/`);
      const widget = (id: string) => visitor.locator(`[data-testid="${id}"]`);
      await widget("parley-launcher").click();
      await widget("parley-prechat-name").fill("Sam Sales");
      await widget("parley-prechat-email").fill("sam@example.org");
      await widget("parley-prechat-department").selectOption(SALES);
      await widget("parley-prechat-start").click();
      await widget("parley-input").fill("Which roast for espresso?");
      await widget("parley-send").click();
      let chatId: string | undefined;
      await eventually(async () => {
        chatId = await visitor.evaluate(
          () =>
            (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } })
              .session?.chatId,
        );
        return chatId;
      }).toMatch(/^c_/);

      // (c) Accepted by the one it rings for.
      const [ringer, colleague] = await ringing(desks, chatId!);
      await expectRingsFor(ringer, colleague, chatId!);
      await acceptButton(ringer, chatId!).click();
      await chatTab(ringer.page, chatId!).waitFor({ timeout: 15_000 });
      await eventually(() => card(colleague, chatId!).count()).toBe(0);
      await widget("parley-message")
        .filter({ hasText: `${ringer.who.name} joined the chat` })
        .waitFor();
    } finally {
      await settings(false);
    }
  }, 120_000);
});
