// Email in the browser tests: the .eml files `wrangler dev` writes for the EMAIL binding (their
// paths are in the server's log), parsed with postal-mime as a mail program would, and replies
// posted to wrangler's local stand-in for Email Routing.
import { readFileSync } from "node:fs";
import PostalMime, { type Email } from "postal-mime";
import { expect } from "vitest";
import { eventually } from "./browser.ts";
import type { DevServer } from "./server.ts";

/** The first email to `to` sent after `before` emails had been: waits for wrangler to log it, then
 * parses it. (By recipient: under load an earlier test's email can be logged late.) */
export async function nextEmail(server: DevServer, before: number, to: string): Promise<{ raw: string; email: Email }> {
  const find = async () => {
    for (const file of server.sentEmails().slice(before)) {
      const raw = readFileSync(file, "utf8");
      const email = await PostalMime.parse(raw);
      if (email.to?.some((address) => address.address === to)) return { raw, email };
    }
    return undefined;
  };
  await eventually(find, `a new .eml to ${to} in wrangler's log`).toBeTruthy();
  return (await find())!;
}

/** Every string appears in `text`, each after the one before. */
export function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" in order`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

/** Posts a raw email to wrangler's local stand-in for Email Routing, as if `from` had sent it to `to`. */
export function deliver(server: DevServer, from: string, to: string, raw: string): Promise<Response> {
  const query = new URLSearchParams({ from, to });
  return fetch(`${server.origin}/cdn-cgi/handler/email?${query}`, { method: "POST", body: raw });
}

/** A reply as a mail program writes it: the new text, then the quoted email below it. */
export function replyMail(options: { from: string; to: string; text: string; inReplyTo: string | undefined }): string {
  return [
    `From: ${options.from}`,
    `To: ${options.to}`,
    "Subject: Re: your chat",
    `Message-ID: <${crypto.randomUUID()}@example.org>`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`] : []),
    "Date: Thu, 26 Nov 2026 11:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    options.text,
    "",
    "On Thu, 26 Nov 2026 at 10:00, Demo <transcripts@parley.localhost> wrote:",
    "> Your chat with Demo",
    "> [10:00] <b>Eve</b>: <script>alert(1)</script>",
    "",
  ].join("\r\n");
}
