// What a new team meets in its first hour in the console (issue 11), walked in a real browser
// against a real `wrangler dev`, every form left at its defaults: chats that arrive while the
// operator types, telling visitors apart, a history that stays at the newest message, invite
// mode, answers to an offline message, deactivation, and the composer's small things.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO } from "../../scripts/local-dev.ts";
import type {
  CannedResponsesResponse,
  OfflineMessageResponse,
  OperatorLoginResponse,
} from "../../src/shared/protocol.ts";
import {
  ALICE,
  BOB,
  accept,
  byTestId,
  chatTab,
  eventually,
  expectAccessible,
  goOnline,
  messages,
  screenshot,
  signIn,
  waitingChat,
} from "./browser.ts";
import { deliver, expectInOrder, nextEmail, replyMail } from "./mail.ts";
import { browserSuite } from "./suite.ts";

// Answers to an offline message are mailed after a short pause (30 s in production); 1 s here.
const suite = browserSuite({ vars: { ANSWER_MAIL_DELAY_SECONDS: "1" } });
const server = suite.server;
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function consoleFor(operator = ALICE): Promise<Page> {
  const { page } = await suite.open();
  await signIn(page, operator);
  await goOnline(page);
  return page;
}

async function apiLogin(email: string): Promise<string> {
  const res = await fetch(`${server.origin}/api/operator/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: DEMO.password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as OperatorLoginResponse).token;
}

async function asOperator(token: string, path: string, body: unknown = undefined): Promise<Response> {
  return fetch(`${server.origin}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function admin(path: string, method: string, body: unknown): Promise<Response> {
  return fetch(`${server.origin}/api/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

const activeTabId = (page: Page) =>
  page.locator('[data-testid="chat-tab"][aria-selected="true"]').getAttribute("data-chat-id");
const tabIds = (page: Page) =>
  byTestId(page, "chat-tab").evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute("data-chat-id")));
const focusedTestId = (page: Page) => page.locator(":focus").getAttribute("data-testid");

describe("a chat that arrives while the operator types", () => {
  it("appears as a tab at the end with an unread mark and never takes the selection, the focus or the draft", async () => {
    const alice = await consoleFor();
    const vera = await suite.visitor("Vera");
    await vera.say("Hi, I need help with my order.");
    await accept(alice, vera.chatId);

    // Bob takes another chat and hands it to Alice while she is in the middle of a word.
    const walt = await suite.visitor("Walt");
    await walt.say("Do you ship to Austria?");
    const bob = await apiLogin(BOB.email);
    expect((await asOperator(bob, `/api/operator/chats/${walt.chatId}/accept`)).status).toBe(200);
    const input = byTestId(alice, "message-input");
    await input.click();
    await alice.keyboard.type("Hello Ve");
    expect(
      (await asOperator(bob, `/api/operator/chats/${walt.chatId}/transfer`, { operatorId: ALICE.id })).status,
    ).toBe(200);
    await chatTab(alice, walt.chatId).waitFor();
    await alice.keyboard.type("ra, let me look.");

    expect(await activeTabId(alice)).toBe(vera.chatId);
    expect(await focusedTestId(alice)).toBe("message-input");
    expect(await input.inputValue()).toBe("Hello Vera, let me look.");
    expect(await tabIds(alice)).toEqual([vera.chatId, walt.chatId]);
    await eventually(() => byTestId(chatTab(alice, walt.chatId), "unread-count").count()).toBe(1);
    await screenshot(alice, "day-one-transfer-arrives");

    await alice.keyboard.press("Enter");
    await vera.waitForOperatorMessage("Hello Vera, let me look.");
    // Walt's chat got nothing of it; its own box is empty.
    expect(walt.operatorTexts()).not.toContain("Hello Vera, let me look.");
    await chatTab(alice, walt.chatId).click();
    expect(await input.inputValue()).toBe("");
  });

  it("keeps the tabs' order across a reload, new ones at the end", async () => {
    const alice = await consoleFor();
    const bots = [];
    for (const name of ["Ann", "Ben", "Cleo"]) {
      const bot = await suite.visitor(name);
      await bot.say(`I am ${name}.`);
      await accept(alice, bot.chatId);
      bots.push(bot);
    }
    const before = await tabIds(alice);
    expect(before.slice(-3)).toEqual(bots.map((b) => b.chatId));
    await alice.reload();
    await chatTab(alice, bots[2]!.chatId).waitFor();
    await eventually(() => tabIds(alice)).toEqual(before);
    for (const bot of bots) {
      await chatTab(alice, bot.chatId).click();
      await byTestId(alice, "close-chat").click();
      await byTestId(alice, "dismiss-chat").click();
    }
  });
});

describe("telling chats apart", () => {
  it("names anonymous visitors 'Visitor NNNN' and shows each waiting card's first message, department and page", async () => {
    const alice = await consoleFor();
    // A visitor on the demo site, pre-chat form off (the default), writes without giving a name.
    const { page: visitor } = await suite.open(`${server.origin}/demo/`);
    await widget(visitor, "parley-launcher").click();
    await widget(visitor, "parley-input").fill("Is the <b>blue</b> jacket in stock?");
    await widget(visitor, "parley-send").click();
    await widget(visitor, "parley-message").and(visitor.locator("[data-seq]")).first().waitFor();
    const chatId = (await visitor.evaluate(
      () =>
        (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
          ?.chatId,
    ))!;
    const other = await suite.visitor(null);
    await other.say("Hello?");

    const card = waitingChat(alice, chatId);
    await card.waitFor();
    const name = (await card.locator(".waiting-name").textContent())!;
    expect(name).toMatch(/^Visitor \d{4}$/);
    await eventually(() => byTestId(card, "waiting-preview").allTextContents()).toEqual([
      "Is the <b>blue</b> jacket in stock?",
    ]);
    expect(await byTestId(card, "waiting-department").textContent()).toBe("Any department");
    await eventually(() => byTestId(card, "waiting-page").allTextContents()).toEqual([expect.stringMatching(/^on /)]);
    const otherName = await waitingChat(alice, other.chatId).locator(".waiting-name").textContent();
    expect(otherName).toMatch(/^Visitor \d{4}$/);
    expect(otherName).not.toBe(name);
    await screenshot(alice, "day-one-waiting-cards");
    await expectAccessible(alice, "the waiting cards and the visitor list");

    await accept(alice, chatId);
    expect(await chatTab(alice, chatId).locator(".tab-name").textContent()).toBe(name);
    await byTestId(alice, "close-chat").click();
    await byTestId(alice, "dismiss-chat").click();
  });
});

describe("the history", () => {
  it("stays at the newest message when an image loads, and offers a jump to new messages after scrolling up", async () => {
    const alice = await consoleFor();
    const vera = await suite.visitor("Vera");
    await vera.say("I will send you a photo of the damage.");
    await accept(alice, vera.chatId);
    // Within the visitor's burst allowance (20 at once).
    for (let i = 1; i <= 15; i++) await vera.say(`Line ${i} of my long story.`);
    await eventually(() => messages(alice).filter({ hasText: "Line 15 of" }).count()).toBe(1);

    // A tall PNG, drawn by the browser, uploaded by the visitor as a file message.
    // (A string, evaluated in the page: this file is compiled without the DOM's types.)
    const png = await alice.evaluate<number[]>(`(async () => {
      const canvas = document.createElement("canvas");
      canvas.width = 300;
      canvas.height = 900;
      const context = canvas.getContext("2d");
      context.fillStyle = "#c0392b";
      context.fillRect(0, 0, 300, 900);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      return [...new Uint8Array(await blob.arrayBuffer())];
    })()`);
    const upload = await fetch(`${server.origin}/api/chats/${vera.chatId}/files?name=damage.png&cid=photo1`, {
      method: "POST",
      headers: { Authorization: `Bearer ${vera.session.token}`, "Content-Type": "image/png" },
      body: new Uint8Array(png),
    });
    expect(upload.status).toBe(201);
    const history = byTestId(alice, "history-area");
    type Loadable = { complete: boolean; naturalHeight: number };
    await eventually(() =>
      history
        .locator("img")
        .evaluateAll((images) =>
          images.some((img) => (img as unknown as Loadable).complete && (img as unknown as Loadable).naturalHeight > 0),
        ),
    ).toBe(true);
    const distanceFromBottom = () => history.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await eventually(distanceFromBottom).toBeLessThan(48);

    // Reading further up: a new message does not pull the view down, a jump does.
    await history.evaluate((el) => (el.scrollTop = 0));
    await vera.say("Did you get it?");
    const jump = byTestId(alice, "jump-to-newest");
    await jump.waitFor();
    expect(await jump.textContent()).toContain("1 new message");
    expect(await distanceFromBottom()).toBeGreaterThan(200);
    await screenshot(alice, "day-one-jump-to-newest");
    await expectAccessible(alice, "the history with an image and the jump to new messages");
    await jump.click();
    await eventually(distanceFromBottom).toBeLessThan(48);
    await eventually(() => jump.count()).toBe(0);

    // Coming back to this tab from another one lands at the newest message, image and all.
    const walt = await suite.visitor("Walt");
    await walt.say("Hello!");
    await accept(alice, walt.chatId);
    await chatTab(alice, vera.chatId).click();
    await eventually(distanceFromBottom).toBeLessThan(48);
  });
});

describe("invite mode", () => {
  it("shows the picked visitor, not the chat it came from; Escape and a sent invitation return to that chat, draft intact", async () => {
    const alice = await consoleFor();
    const vera = await suite.visitor("Vera");
    await vera.say("Hi!");
    await accept(alice, vera.chatId);
    await byTestId(alice, "message-input").fill("Half a sentence");

    const { page: shopper } = await suite.open(`${server.origin}/demo/`);
    await widget(shopper, "parley-launcher").waitFor();
    const row = byTestId(alice, "visitor-row")
      .filter({ hasNot: byTestId(alice, "visitor-chatting") })
      .first();
    await row.waitFor();
    await row.locator("button").click();
    await byTestId(alice, "invite-header").waitFor();
    expect(await byTestId(alice, "invite-header").textContent()).toContain("Invite the visitor on");
    expect(await byTestId(alice, "invite-page").textContent()).toContain("/demo/");
    expect(await byTestId(alice, "invite-time").textContent()).toBeTruthy();
    // The chat's own header and history are not shown meanwhile.
    expect(await byTestId(alice, "close-chat").count()).toBe(0);
    expect(await messages(alice).count()).toBe(0);
    await screenshot(alice, "day-one-invite-mode");
    await expectAccessible(alice, "invite mode");

    await byTestId(alice, "message-input").click();
    await alice.keyboard.press("Escape");
    await byTestId(alice, "invite-header").waitFor({ state: "detached" });
    expect(await activeTabId(alice)).toBe(vera.chatId);
    expect(await byTestId(alice, "message-input").inputValue()).toBe("Half a sentence");

    await row.locator("button").click();
    await byTestId(alice, "message-input").fill("Can I help you find something?");
    await byTestId(alice, "invite-button").click();
    await byTestId(alice, "invite-header").waitFor({ state: "detached" });
    expect(await byTestId(alice, "message-input").inputValue()).toBe("Half a sentence");
    await widget(shopper, "parley-invitation").waitFor();
  });
});

describe("answers to an offline message", () => {
  it("go to the visitor by email, the console says so, and the visitor's reply comes back into the chat", async () => {
    const res = await fetch(`${server.origin}/api/visitor/offline-messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        accountId: DEMO.accountId,
        name: "Olga",
        email: "olga@example.org",
        text: "Please call me back about order 1234.",
      }),
    });
    const { chatId } = (await res.json()) as OfflineMessageResponse;
    const alice = await consoleFor();
    await accept(alice, chatId);
    const notice = byTestId(alice, "answers-by-email");
    await notice.waitFor();
    expect(await notice.textContent()).toContain("olga@example.org");
    await screenshot(alice, "day-one-answers-by-email");
    await expectAccessible(alice, "an offline message's chat");

    const before = server.sentEmails().length;
    await byTestId(alice, "message-input").fill("Hello Olga, we will call you today.");
    await byTestId(alice, "send-button").click();
    await byTestId(alice, "message-input").fill("Which number is best?");
    await byTestId(alice, "send-button").click();
    const { email } = await nextEmail(server, before, "olga@example.org");
    expect(email.subject).toBe("Demo answered your message");
    expectInOrder(email.text!, [
      "Please call me back about order 1234.",
      "Alice: Hello Olga, we will call you today.",
      "Alice: Which number is best?",
      "Reply to this email",
    ]);
    // The two lines went out as one email.
    expect(server.sentEmails().length).toBe(before + 1);

    const replyTo = email.replyTo?.[0]?.address;
    expect(replyTo).toMatch(/^reply\+/);
    const delivered = await deliver(
      server,
      "olga@example.org",
      replyTo!,
      replyMail({
        from: "Olga <olga@example.org>",
        to: replyTo!,
        text: "The mobile one, please.",
        inReplyTo: email.messageId,
      }),
    );
    expect(delivered.status).toBe(200);
    await eventually(() => messages(alice).filter({ hasText: "The mobile one, please." }).count()).toBe(1);
  });
});

describe("deactivation", () => {
  it("signs the operator out at once with a message, and colleagues no longer see them", async () => {
    const alice = await consoleFor();
    const bob = await consoleFor(BOB);
    await eventually(() => alice.locator(".teammate").filter({ hasText: "Bob" }).count()).toBe(1);
    const vera = await suite.visitor("Vera");
    await vera.say("Hello");
    await accept(alice, vera.chatId);
    await eventually(() =>
      byTestId(alice, "transfer-target").locator("option").filter({ hasText: "Bob" }).count(),
    ).toBe(1);

    expect((await admin(`/operators/${BOB.id}`, "PATCH", { active: false })).status).toBe(200);
    await byTestId(bob, "session-deactivated").waitFor({ timeout: 15_000 });
    expect(await byTestId(bob, "login-email").isVisible()).toBe(true);
    await screenshot(bob, "day-one-deactivated");
    await expectAccessible(bob, "the sign-in page after a deactivation");
    await eventually(() => alice.locator(".teammate").filter({ hasText: "Bob" }).count()).toBe(0);
    expect(await byTestId(alice, "transfer-target").locator("option").filter({ hasText: "Bob" }).count()).toBe(0);
    expect((await admin(`/operators/${BOB.id}`, "PATCH", { active: true })).status).toBe(200);
  });
});

describe("the composer", () => {
  it("spaces a canned response from the words around it", async () => {
    const alice = await consoleFor();
    const vera = await suite.visitor("Vera");
    await vera.say("Hi");
    await accept(alice, vera.chatId);
    const input = byTestId(alice, "message-input");
    await input.fill("Hi Vera!");
    const option = byTestId(alice, "canned-option").first();
    const text = (await alice.evaluate(async () => {
      const res = await fetch("/api/operator/canned-responses", {
        headers: { Authorization: `Bearer ${JSON.parse(localStorage.getItem("parley.session")!).token}` },
      });
      return ((await res.json()) as CannedResponsesResponse).responses;
    }))!;
    const id = (await option.getAttribute("value"))!;
    // Choosing a response inserts it at once (the bar's Insert button would add it again).
    await byTestId(alice, "canned-select").selectOption(id);
    expect(await input.inputValue()).toBe(`Hi Vera! ${text.find((r) => r.id === id)!.text}`);
  });

  it("keeps its toolbar on one line after a transcript is sent, and says the size limit of a file that is too large", async () => {
    const alice = await consoleFor();
    // A laptop-sized window, where the note beside the buttons used to push them onto a second line.
    await alice.setViewportSize({ width: 1024, height: 768 });
    const vera = await suite.visitor("Vera");
    await vera.say("Hi");
    await accept(alice, vera.chatId);
    const toolbar = alice.locator(".composer-toolbar");
    const height = await toolbar.evaluate((el) => el.getBoundingClientRect().height);
    await byTestId(alice, "transcript-button").click();
    await byTestId(alice, "transcript-email").fill("vera@example.org");
    await byTestId(alice, "transcript-send").click();
    await byTestId(alice, "transcript-sent").waitFor();
    expect(await toolbar.evaluate((el) => el.getBoundingClientRect().height)).toBe(height);

    expect((await admin("/settings", "PATCH", { fileSizeLimitBytes: 1024 })).status).toBe(200);
    await byTestId(alice, "file-input").setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.alloc(5000, "a"),
    });
    await eventually(() => byTestId(alice, "history-area").textContent()).toContain("at most 1 KB");
    expect((await admin("/settings", "PATCH", { fileSizeLimitBytes: 10 * 1024 * 1024 })).status).toBe(200);
  });

  it("says 'ended the chat' as the widget does", async () => {
    const alice = await consoleFor();
    const vera = await suite.visitor("Vera");
    await vera.say("Thanks, bye!");
    await accept(alice, vera.chatId);
    await byTestId(alice, "close-chat").click();
    await eventually(() => messages(alice).filter({ hasText: "Alice ended the chat" }).count()).toBe(1);
  });
});
