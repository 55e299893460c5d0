// WCAG 2.1 A/AA with axe-core on the console's screens: the sign-in page (fresh, and after a
// deactivation signed the operator out), the console with chats open and waiting, in invite mode.
// The Control Panel's pages and the widget have theirs in control-panel-day-one.test.ts and
// widget-day-one.test.ts. Each screen is reached as a person reaches it, forms at their defaults.
import { describe, it } from "vitest";
import {
  ALICE,
  accept,
  byTestId,
  chatTab,
  eventually,
  expectAccessible,
  goOnline,
  messages,
  signIn,
  waitingChat,
} from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();

describe("accessibility of the console (axe-core, WCAG 2.1 A/AA)", () => {
  it("the sign-in page", async () => {
    const { page } = await suite.open();
    await byTestId(page, "login-email").waitFor();
    await expectAccessible(page, "the sign-in page");
  });

  it("the console with a chat open, another waiting, and the typing and unread marks shown", async () => {
    const { page } = await suite.open();
    await signIn(page, ALICE);
    await goOnline(page);
    const first = await suite.visitor("Vera");
    await first.say("Hello, is anyone there?");
    await accept(page, first.chatId);
    await byTestId(page, "message-input").fill("Hello Vera! How can I help?");
    await byTestId(page, "send-button").click();
    await first.waitForOperatorMessage(/How can I help/);
    await first.say("I need a new password.");
    await eventually(() => messages(page).filter({ hasText: "new password" }).count()).toBe(1);
    const second = await suite.visitor("Walt");
    await second.say("Do you ship to Austria?");
    await waitingChat(page, second.chatId).waitFor();
    await chatTab(page, first.chatId).waitFor();
    await expectAccessible(page, "the console with a chat open and one waiting");
  });
});
