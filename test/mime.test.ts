// The raw MIME the classic send_email binding sends (src/server/email/mime.ts), parsed back with
// postal-mime as a mail program would: every header and both parts must come out as they went in,
// whatever the script, the length of a line or the characters a name holds.
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { transcriptMime } from "../src/server/email/mime.ts";
import type { TranscriptEmail } from "../src/server/email/transcript.ts";

function email(overrides: Partial<TranscriptEmail> = {}): TranscriptEmail {
  return {
    from: { name: "Support Team", email: "transcripts@parley.example" },
    to: "vera@example.org",
    replyTo: "reply+01hz.abcdefghijklmnopqrstuvwx@parley.example",
    subject: "Your chat with Company",
    text: "Hello\n",
    html: "<p>Hello</p>",
    headers: { "X-Auto-Response-Suppress": "All" },
    ...overrides,
  };
}

/** Every line of the message: CRLF-terminated, ASCII only, within RFC 5322's 78 characters. */
function expectWellFormedLines(raw: string): void {
  expect(raw.endsWith("\r\n")).toBe(true);
  expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  expect(raw).toMatch(/^[\x20-\x7e\r\n]*$/);
  for (const line of raw.split("\r\n")) expect(line.length, line).toBeLessThanOrEqual(78);
  // RFC 2047 §2: a line holding an encoded-word is at most 76 characters.
  for (const line of raw.split("\r\n").filter((l) => l.includes("=?")))
    expect(line.length, line).toBeLessThanOrEqual(76);
}

describe("the transcript as MIME", () => {
  it("round-trips non-ASCII names, subjects and bodies, and long lines", async () => {
    const subject = `Ihr Gespräch mit „Müller & Söhne“ — 会话记录 🧾 ${"Ünïcödé wörds ".repeat(12)}end`;
    const text = `Grüße aus Köln 👋\n${"ä".repeat(3000)}\n${"x".repeat(5000)}\nEnd 😀\n`;
    const html = `<!DOCTYPE html><p>${"Привет, мир! ".repeat(400)}</p><p>👋🏽 e\u0301</p>`;
    const raw = transcriptMime(
      email({
        from: { name: "Zoë „Ops“ Ünterstützung, Köln 日本語サポート", email: "t@parley.example" },
        subject,
        text,
        html,
      }),
    );
    expectWellFormedLines(raw);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.from).toEqual({ name: "Zoë „Ops“ Ünterstützung, Köln 日本語サポート", address: "t@parley.example" });
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(html);
    expect(parsed.attachments).toEqual([]);
  });

  it("carries To, Reply-To, Message-ID, Date and the auto-reply headers, and passes reply headers through", async () => {
    const now = new Date("2026-03-04T05:06:07Z");
    const raw = transcriptMime(
      email({
        headers: {
          "X-Auto-Response-Suppress": "All",
          "In-Reply-To": "<CAF+abc.123@mail.example.net>",
          References: `<first@mail.example.net> ${Array.from({ length: 6 }, (_, i) => `<ref-${i}-0123456789@mail.example.net>`).join(" ")}`,
        },
      }),
      now,
    );
    expectWellFormedLines(raw);
    expect(raw).toMatch(/^MIME-Version: 1\.0\r$/m);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated\r$/m);
    expect(raw).toMatch(/^Date: Wed, 04 Mar 2026 05:06:07 \+0000\r$/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toEqual({ name: "Support Team", address: "transcripts@parley.example" });
    expect(parsed.to).toEqual([{ name: "", address: "vera@example.org" }]);
    expect(parsed.replyTo).toEqual([{ name: "", address: "reply+01hz.abcdefghijklmnopqrstuvwx@parley.example" }]);
    expect(parsed.messageId).toMatch(/^<[0-9a-f]{32}@parley\.example>$/);
    expect(new Date(parsed.date!).toISOString()).toBe(now.toISOString());
    expect(parsed.inReplyTo).toBe("<CAF+abc.123@mail.example.net>");
    expect(parsed.references?.replace(/\s+/g, " ")).toBe(
      `<first@mail.example.net> ${Array.from({ length: 6 }, (_, i) => `<ref-${i}-0123456789@mail.example.net>`).join(" ")}`,
    );
    const header = (key: string) => parsed.headers.find((h) => h.key === key)?.value;
    expect(header("auto-submitted")).toBe("auto-generated");
    expect(header("x-auto-response-suppress")).toBe("All");
    expect(parsed.text).toBe("Hello\n");
    expect(parsed.html).toBe("<p>Hello</p>");
  });

  it("leaves out Reply-To when there is none, and writes a new boundary and Message-ID each time", async () => {
    const a = transcriptMime(email({ replyTo: null }));
    const b = transcriptMime(email({ replyTo: null }));
    expect(a).not.toMatch(/^Reply-To:/im);
    expect((await PostalMime.parse(a)).replyTo).toBeUndefined();
    const boundary = (raw: string) => /boundary="([^"]+)"/.exec(raw)?.[1];
    expect(boundary(a)).toMatch(/^=_parley_[0-9a-f]{32}$/);
    expect(boundary(a)).not.toBe(boundary(b));
    expect((await PostalMime.parse(a)).messageId).not.toBe((await PostalMime.parse(b)).messageId);
  });

  it("quotes ASCII names with specials, and encodes text that only looks like an encoded-word", async () => {
    const name = 'Company <mail> & Co, "Ltd" \\ Support';
    const subject = "Literally =?UTF-8?B?SGk=?= and a long ASCII subject ".repeat(4).trim();
    const raw = transcriptMime(email({ from: { name, email: "t@parley.example" }, subject }));
    expectWellFormedLines(raw);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toEqual({ name, address: "t@parley.example" });
    expect(parsed.subject).toBe(subject);
    // An empty name leaves a bare address.
    const bare = await PostalMime.parse(transcriptMime(email({ from: { name: "", email: "t@parley.example" } })));
    expect(bare.from).toEqual({ name: "", address: "t@parley.example" });
  });

  it("keeps a long plain subject readable, folded at spaces", async () => {
    const subject = "Your conversation with the support team of a company with a rather long name, 4 March 2026";
    const raw = transcriptMime(email({ subject }));
    expectWellFormedLines(raw);
    expect(raw).toContain("Subject: Your conversation");
    expect((await PostalMime.parse(raw)).subject).toBe(subject);
  });

  it("refuses what would add a header or an address instead of writing it", () => {
    expect(() => transcriptMime(email({ subject: "Hi\r\nBcc: victim@example.net" }))).toThrow(/control character/);
    expect(() =>
      transcriptMime(email({ from: { name: "Evil\nBcc: victim@example.net", email: "t@parley.example" } })),
    ).toThrow(/control character/);
    expect(() => transcriptMime(email({ to: "vera@example.org>, victim@example.net" }))).toThrow(/address/);
    expect(() => transcriptMime(email({ replyTo: "a@b.example\r\nBcc: c@d.example" }))).toThrow(/address/);
    expect(() => transcriptMime(email({ headers: { "X-Bad\r\nBcc": "x" } }))).toThrow(/header name/);
    expect(() => transcriptMime(email({ headers: { "X-Bad": "x\r\nBcc: victim@example.net" } }))).toThrow(
      /control character/,
    );
  });
});
