// Transcripts by email against a real `wrangler dev`, in a real browser: the operator sends one
// from the console, the visitor asks for one in the widget, and each time the test reads the .eml
// file wrangler wrote for the EMAIL binding (its path is in the server's log), parses it with
// postal-mime the way a mail program would and checks what the recipient reads. A reply to the
// transcript, posted to wrangler's local inbound endpoint, then continues the chat in the console.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { ChatMessage, HistoryPage } from "../../src/shared/protocol.ts";
import {
  ALICE,
  accept,
  byTestId,
  chatTab,
  eventually,
  goOnline,
  messages,
  screenshot,
  signIn,
  waitingChat,
} from "./browser.ts";
import { deliver as deliverMail, expectInOrder, nextEmail as nextMail, replyMail } from "./mail.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const widget = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
/** The text of whatever matches, "" while nothing does: a probe that never waits. */
const textOf = async (locator: ReturnType<typeof widget>) => (await locator.allTextContents()).join("");

async function consoleFor(): Promise<Page> {
  const { page } = await suite.open();
  await signIn(page, ALICE);
  await goOnline(page);
  return page;
}

async function history(chatId: string): Promise<ChatMessage[]> {
  const res = await fetch(`${suite.server.origin}/api/chats/${chatId}/messages?limit=200`, {
    headers: { Authorization: `Bearer ${suite.server.apiKey}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as HistoryPage).messages;
}

const sentEmails = () => suite.server.sentEmails();
const nextEmail = (before: number, to: string) => nextMail(suite.server, before, to);
const deliver = (from: string, to: string, raw: string) => deliverMail(suite.server, from, to, raw);
const reply = (to: string, text: string, inReplyTo: string | undefined) =>
  replyMail({ from: "Eve <eve@example.org>", to, text, inReplyTo });

describe("transcripts by email", () => {
  it("the operator emails an ended chat's transcript from the console; the .eml holds every message, HTML-escaped; a reply continues the chat", async () => {
    const alice = await consoleFor();
    const bot = await suite.visitor("<b>Eve</b>");
    await accept(alice, bot.chatId);
    await chatTab(alice, bot.chatId).click();
    await bot.waitForEvent("join");
    await bot.say("<script>alert(1)</script>");
    await byTestId(alice, "message-input").fill("Hello <i>Eve</i> & welcome!");
    await byTestId(alice, "send-button").click();
    await bot.waitForOperatorMessage("Hello <i>Eve</i> & welcome!");
    await bot.say("Grüße — thanks, that's all.");
    await messages(alice).filter({ hasText: "that's all" }).waitFor();
    // Ended by the operator: the tab stays, the composer is off, the transcript button is not.
    await byTestId(alice, "close-chat").click();
    await eventually(() => byTestId(alice, "message-input").isDisabled()).toBe(true);

    const before = sentEmails().length;
    await byTestId(alice, "transcript-button").click();
    const address = byTestId(alice, "transcript-email");
    await address.waitFor();
    expect(await address.inputValue()).toBe(""); // the visitor gave no email
    await address.fill("eve@example.org, mallory@example.net");
    await byTestId(alice, "transcript-send").click();
    await eventually(() => textOf(byTestId(alice, "transcript-error"))).toBe("Enter one address only.");
    await address.fill("eve@example.org");
    await byTestId(alice, "transcript-send").click();
    await eventually(() => textOf(byTestId(alice, "transcript-sent"))).toBe(
      "Transcript sent to eve@example.org (4 more possible this hour).",
    );
    expect(await byTestId(alice, "transcript-form").count(), "the form closes once sent").toBe(0);
    await screenshot(alice, "transcript-sent");

    const { raw, email } = await nextEmail(before, "eve@example.org");
    expect(sentEmails()).toHaveLength(before + 1); // the refused address sent nothing
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(email.to).toEqual([{ name: "", address: "eve@example.org" }]);
    expect(email.from).toEqual({ name: "Parley", address: "transcripts@parley.localhost" });
    expect(email.subject).toMatch(/^Transcript of your chat with Demo \(/);
    const log = await history(bot.chatId);
    expect(log.map((m) => m.text)).toEqual([
      "Alice joined the chat",
      "<script>alert(1)</script>",
      "Hello <i>Eve</i> & welcome!",
      "Grüße — thanks, that's all.",
      "Alice ended the chat",
    ]);
    expectInOrder(
      email.text!,
      log.map((m) => m.text),
    );
    expectInOrder(email.html!, [
      "Alice joined the chat",
      "&lt;script&gt;alert(1)&lt;/script&gt;",
      "Hello &lt;i&gt;Eve&lt;/i&gt; &amp; welcome!",
      "Grüße — thanks, that&#39;s all.",
      "Alice ended the chat",
    ]);
    expect(email.html).toContain("&lt;b&gt;Eve&lt;/b&gt;");
    for (const unsafe of ["<script>", "<b>Eve</b>", "<i>Eve</i>"]) expect(email.html).not.toContain(unsafe);
    expect(email.text).toContain("All times are UTC.");

    // The visitor answers the email: the chat had ended, so it waits again, and Alice takes it.
    const replyTo = email.replyTo?.[0]?.address;
    expect(replyTo).toMatch(new RegExp(`^reply\\+${bot.chatId}\\.[a-z2-7]{24}@parley\\.localhost$`));
    const forged = replyTo!.replace(/\.[a-z2-7]{24}@/, ".aaaaaaaaaaaaaaaaaaaaaaaa@");
    const refused = await deliver("eve@example.org", forged, reply(forged, "Let me in.", email.messageId));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("This reply address is not valid.");

    const delivered = await deliver(
      "eve@example.org",
      replyTo!,
      reply(replyTo!, "One more thing: do you ship to Austria?", email.messageId),
    );
    expect(await delivered.text()).toBe("Worker successfully processed email");
    await waitingChat(alice, bot.chatId).waitFor();
    await accept(alice, bot.chatId);
    await chatTab(alice, bot.chatId).click();
    const answer = messages(alice).filter({ hasText: "do you ship to Austria?" });
    await answer.waitFor();
    expect(await byTestId(answer, "via-email").textContent()).toBe("by email");
    expect(await messages(alice).filter({ hasText: "Let me in." }).count()).toBe(0);
    const after = await history(bot.chatId);
    expect(after.slice(log.length).map((m) => [m.kind, m.event, m.text])).toEqual([
      ["system", "reopen", "<b>Eve</b> wrote again by email; the chat is waiting for an operator"],
      ["text", null, "One more thing: do you ship to Austria?"],
      ["system", "join", "Alice joined the chat"],
    ]);

    // The tab is live again: Alice answers, and answers the email with the next transcript.
    await eventually(() => byTestId(alice, "message-input").isEnabled()).toBe(true);
    await byTestId(alice, "message-input").fill("Yes, we ship to Austria.");
    await byTestId(alice, "send-button").click();
    await messages(alice).filter({ hasText: "Yes, we ship to Austria." }).and(alice.locator("[data-seq]")).waitFor();
    await screenshot(alice, "transcript-reply");
    const second = sentEmails().length;
    await byTestId(alice, "transcript-button").click();
    expect(await byTestId(alice, "transcript-email").inputValue()).toBe("eve@example.org");
    await byTestId(alice, "transcript-send").click();
    await eventually(() => textOf(byTestId(alice, "transcript-sent"))).toBe(
      "Transcript sent to eve@example.org (3 more possible this hour).",
    );
    const { email: next } = await nextEmail(second, "eve@example.org");
    expectInOrder(next.text!, [
      "<script>alert(1)</script>",
      "Alice ended the chat",
      "wrote again by email",
      "(by email): One more thing: do you ship to Austria?",
      "Alice joined the chat",
      "Alice: Yes, we ship to Austria.",
    ]);
  });

  it("the visitor asks for the transcript in the widget after the chat ends", async () => {
    const alice = await consoleFor();
    const { page: visitor } = await suite.open();
    await visitor.goto(`${suite.server.origin}/demo/`);
    await widget(visitor, "parley-launcher").click();
    await widget(visitor, "parley-input").fill("Do you have size 44?");
    await widget(visitor, "parley-send").click();
    await eventually(() =>
      visitor.evaluate(
        () =>
          (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } })
            .session?.chatId,
      ),
    ).toMatch(/^c_/);
    const chatId = (await visitor.evaluate(
      () =>
        (JSON.parse(localStorage.getItem("parley.widget.acc_demo")!) as { session: { chatId: string } }).session.chatId,
    ))!;
    // The chat is listed once its session exists, before the message is in; accepting only after
    // keeps the log's order (and so the transcript's) the one asserted below.
    await eventually(async () => (await history(chatId)).some((m) => m.text === "Do you have size 44?")).toBe(true);
    await accept(alice, chatId);
    await chatTab(alice, chatId).click();
    await byTestId(alice, "message-input").fill("We do, in blue & black.");
    await byTestId(alice, "send-button").click();
    await widget(visitor, "parley-message").filter({ hasText: "in blue & black" }).waitFor();

    await widget(visitor, "parley-window").getByRole("button", { name: "End chat" }).click();
    const form = widget(visitor, "parley-transcript");
    await form.waitFor();
    expect(await form.textContent()).toContain("Email me this transcript");
    await widget(visitor, "parley-transcript-email").fill("not an address");
    await widget(visitor, "parley-transcript-send").click();
    await eventually(() => textOf(widget(visitor, "parley-transcript-error"))).toBe(
      "Please enter a valid email address.",
    );

    const before = sentEmails().length;
    await widget(visitor, "parley-transcript-email").fill("size44@example.org");
    await widget(visitor, "parley-transcript-send").click();
    await eventually(() => textOf(widget(visitor, "parley-transcript-sent"))).toBe(
      "We have sent the transcript to size44@example.org.",
    );
    await screenshot(visitor, "widget-transcript");
    const { email } = await nextEmail(before, "size44@example.org");
    expect(email.to?.[0]).toMatchObject({ address: "size44@example.org" });
    expectInOrder(email.text!, [
      "Do you have size 44?",
      "Alice joined the chat",
      "We do, in blue & black.",
      "ended the chat",
    ]);
    // The visitor gave no name: the server named them "Visitor NNNN", the transcript says so too.
    expect(email.text).toMatch(/Visitor \d{4} ended the chat/);
    expect(email.html).toContain("We do, in blue &amp; black.");
  });
});
