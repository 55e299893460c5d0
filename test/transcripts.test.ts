// Chat transcripts by email and replies to them, in the Workers runtime: real Worker, D1 and
// ChatRoom objects. The transcript's MIME is built from a real chat and parsed back with
// postal-mime, the way a mail program reads it. The pool's EMAIL binding accepts sends without
// showing them to the test, so what the recipient gets is checked here through the builder and
// in test/e2e/transcripts.test.ts through the .eml file `wrangler dev` writes.
import { env } from "cloudflare:workers";
import PostalMime from "postal-mime";
import { beforeAll, describe, expect, it } from "vitest";
import { chatRoomOf, MAX_TRANSCRIPT_MESSAGES } from "../src/durable/chat-room.ts";
import type { Page } from "../src/shared/admin-api.ts";
import {
  TRANSCRIPTS_PER_HOUR,
  type ChatMessage,
  type ChatSummary,
  type HistoryPage,
  type TranscriptResponse,
} from "../src/shared/protocol.ts";
import { transcriptMime } from "../src/server/email/mime.ts";
import { parseRecipientAddress } from "../src/worker/email/recipient-address.ts";
import { chatOfReplyAddress, replyAddressFor } from "../src/server/email/reply-address.ts";
import { replyText } from "../src/worker/email/reply-text.ts";
import { sendEmail } from "../src/server/email/send.ts";
import { buildTranscript, type TranscriptInput } from "../src/server/email/transcript.ts";
import { transcriptLanguage } from "../src/server/email/transcript-texts.ts";
import {
  admin,
  call,
  connectLobby,
  deliverEmail,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let acc: SeededAccount;
let other: SeededAccount;
const tokens = { ann: "", bob: "", owner: "", stranger: "" };
const DOMAIN = env.TRANSCRIPT_REPLY_DOMAIN;

beforeAll(async () => {
  acc = await seedAccount("mail");
  other = await seedAccount("mailother");
  tokens.ann = (await login(acc.emails.ann)).token;
  tokens.bob = (await login(acc.emails.bob)).token;
  tokens.owner = (await login(acc.emails.owner)).token;
  tokens.stranger = (await login(other.emails.ann)).token;
});

/** A chat where the visitor and Ann have talked; closed unless `open`. */
async function conversation(options: { visitorName?: string; lines?: string[]; open?: boolean } = {}) {
  const chat = await startChat(acc.id, { name: options.visitorName ?? "Vera Visitor" });
  const { client: visitor } = await join(chat.chatId, chat.token);
  const operator = await operatorJoins(chat.chatId, tokens.ann);
  const lines = options.lines ?? ["Hello, is anyone there?", "operator:Yes, Ann here. How can I help?"];
  for (const [i, line] of lines.entries()) {
    const [who, text] = line.startsWith("operator:") ? [operator, line.slice("operator:".length)] : [visitor, line];
    who.send({ type: "message", cid: `m${i}`, text });
    await who.next("ack");
  }
  if (!options.open) {
    visitor.send({ type: "close" });
    await operator.next("msg");
    await expect.poll(async () => (await summary(chat.chatId))?.status).toBe("closed");
  }
  visitor.close();
  return { ...chat, operator };
}

async function history(chatId: string, token = tokens.ann): Promise<ChatMessage[]> {
  return (await expectJson<HistoryPage>(await call(`/api/chats/${chatId}/messages?limit=200`, { token }), 200))
    .messages;
}

async function summary(chatId: string): Promise<ChatSummary | undefined> {
  const page = await expectJson<Page<ChatSummary>>(await admin("/chats?limit=100", acc.apiKey), 200);
  return page.items.find((c) => c.id === chatId);
}

function sendTranscript(chatId: string, email: unknown, token: string | undefined = tokens.ann): Promise<Response> {
  return call(`/api/chats/${chatId}/transcript`, { method: "POST", json: { email }, ...(token ? { token } : {}) });
}

/** Builds the transcript of a real chat the way the route does, as MIME, and parses it back. */
async function transcriptOf(chatId: string, overrides: Partial<TranscriptInput> = {}) {
  const take = await chatRoomOf(env, chatId).takeTranscript("operator");
  if (!take.ok) throw new Error(`no transcript: ${take.code}`);
  const email = buildTranscript({
    ...take.source,
    accountName: "Company <mail> & Co",
    senderName: "Support Team",
    fromAddress: env.TRANSCRIPT_FROM,
    to: "vera@example.org",
    replyTo: await replyAddressFor(env.AUTH_SECRET, chatId, DOMAIN),
    fileLink: (file) => `https://files.example/${file.id}?sig=abc&exp=1`,
    ...overrides,
  });
  const raw = transcriptMime(email);
  return { email, raw, parsed: await PostalMime.parse(raw), source: take.source };
}

/** Every string appears in `text`, each after the one before. */
function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

describe("the transcript email", () => {
  it("is multipart/alternative with a text and an HTML part holding every message in order, with times in UTC", async () => {
    const lines = [
      "Hello, is anyone there?",
      "operator:Yes, Ann here.\nWhat can I do for you?",
      "Grüße aus Köln 👋 — do you ship to Germany?",
      "operator:We do!",
    ];
    const chat = await conversation({ lines });
    const { raw, parsed, source } = await transcriptOf(chat.chatId);

    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(parsed.from).toEqual({ name: "Support Team", address: env.TRANSCRIPT_FROM });
    expect(parsed.to).toEqual([{ name: "", address: "vera@example.org" }]);
    expect(parsed.subject).toBe(
      `Transcript of your chat with Company <mail> & Co (${new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(source.startedAt)})`,
    );
    expect(parsed.text).toBeTruthy();
    expect(parsed.html).toBeTruthy();

    const texts = [
      "Ann joined the chat",
      ...lines.map((l) => l.replace(/^operator:/, "")),
      "Vera Visitor ended the chat",
    ];
    expect(source.messages.map((m) => m.text)).toEqual(texts);
    // Plain text: multi-line messages keep their lines (indented under the first).
    expectInOrder(
      parsed.text!,
      texts.map((t) => t.split("\n")[0]!),
    );
    expect(parsed.text).toContain("What can I do for you?");
    expect(parsed.text).toContain("All times are UTC.");
    const utc = new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(source.messages[1]!.at);
    expect(parsed.text).toContain(`[${utc}] Vera Visitor: Hello, is anyone there?`);
    // HTML: the same, in order; line breaks as <br>; the non-ASCII text intact.
    expectInOrder(parsed.html!, [
      "Ann joined the chat",
      "Hello, is anyone there?",
      "Yes, Ann here.<br>What can I do for you?",
      "Grüße aus Köln 👋",
      "We do!",
      "Vera Visitor ended the chat",
    ]);
    expect(parsed.html).toContain("All times are UTC.");
    // System messages in the quieter style, text messages with their author.
    expect(parsed.html).toMatch(
      /<p data-seq="1" style="[^"]*font-style:italic[^"]*">[0-9:]+ · Ann joined the chat<\/p>/,
    );
    expect(parsed.html).toMatch(/<strong[^>]*>Ann<\/strong>/);
  });

  it("is written in German when the account's language (or, for \"auto\", the asker's browser) is German", async () => {
    const chat = await conversation({
      visitorName: "<b>Vera</b>",
      lines: ["Hallo, ist jemand da?", "operator:Ja, hier ist Ann."],
    });
    const { parsed, source } = await transcriptOf(chat.chatId, { language: "de" });
    const date = new Intl.DateTimeFormat("de-DE", {
      timeZone: "UTC",
      day: "numeric",
      month: "long",
      year: "numeric",
    }).format(source.startedAt);
    expect(parsed.subject).toBe(`Verlauf Ihres Chats mit Company <mail> & Co (${date})`);
    const weekday = new Intl.DateTimeFormat("de-DE", { timeZone: "UTC", weekday: "long" }).format(source.startedAt);
    expectInOrder(parsed.text!, [
      "Ihr Chat mit Company <mail> & Co",
      `Begonnen ${weekday}`,
      "Alle Zeiten in UTC.",
      "Ann ist dem Chat beigetreten",
      "<b>Vera</b>: Hallo, ist jemand da?",
      "Ann: Ja, hier ist Ann.",
      "<b>Vera</b> hat den Chat beendet",
      "Antworten Sie auf diese E-Mail",
    ]);
    expect(parsed.html).toContain('<html lang="de">');
    expectInOrder(parsed.html!, [
      "Ihr Chat mit Company &lt;mail&gt; &amp; Co",
      "Ann ist dem Chat beigetreten",
      "&lt;b&gt;Vera&lt;/b&gt;",
      "Hallo, ist jemand da?",
      "&lt;b&gt;Vera&lt;/b&gt; hat den Chat beendet",
    ]);
    expect(parsed.html).not.toContain("<b>Vera</b>");
  });

  it("chooses its language from the account's setting, and for \"auto\" from the asker's Accept-Language", () => {
    expect(transcriptLanguage("de", "en-US,en;q=0.9")).toBe("de");
    expect(transcriptLanguage("en", "de-DE")).toBe("en");
    expect(transcriptLanguage("auto", "de-DE,de;q=0.9,en;q=0.8")).toBe("de");
    expect(transcriptLanguage("auto", "fr-FR,fr;q=0.9,en;q=0.5,de;q=0.4")).toBe("en");
    expect(transcriptLanguage("auto", "en;q=0.2, de;q=0.9")).toBe("de");
    expect(transcriptLanguage("auto", "fr")).toBe("en");
    expect(transcriptLanguage("auto", "de;q=0")).toBe("en");
    expect(transcriptLanguage("auto", null)).toBe("en");
  });

  it("escapes every typed string in the HTML part: messages, names, the account's name", async () => {
    const chat = await conversation({
      visitorName: "<b>Vera</b>",
      lines: ["<script>alert(1)</script>", "operator:Fine & \"quoted\" 'too'", "<img src=x onerror=alert(2)>"],
    });
    const { parsed } = await transcriptOf(chat.chatId);
    const html = parsed.html!;
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;Vera&lt;/b&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(2)&gt;");
    expect(html).toContain("Fine &amp; &quot;quoted&quot; &#39;too&#39;");
    expect(html).toContain("Your chat with Company &lt;mail&gt; &amp; Co");
    for (const raw of ["<script>", "<b>Vera</b>", "<img src=x", "<mail>"]) expect(html).not.toContain(raw);
    // The text part carries them as written: it is never rendered as HTML.
    expect(parsed.text).toContain("<b>Vera</b>: <script>alert(1)</script>");
  });

  it("renders a file message as a link when fileLink gives one, and as name and size when not", async () => {
    const chat = await conversation({ open: true });
    const take = await chatRoomOf(env, chat.chatId).takeTranscript("operator");
    if (!take.ok) throw new Error(take.code);
    const at = take.source.messages.at(-1)!.at + 1000;
    const file = (seq: number, id: string, name: string): ChatMessage => ({
      seq,
      cid: `f${seq}`,
      kind: "file",
      event: null,
      author: { kind: "visitor", id: chat.visitorId, name: "Vera Visitor" },
      text: name,
      at,
      file: { id, name, size: 12_345, type: "application/pdf" },
    });
    const messages = [
      ...take.source.messages,
      file(90, "file_1", "invoice <1>.pdf"),
      file(91, "file_2", "plan.pdf"),
      file(92, "file_3", "evil.pdf"),
    ];
    const links: Record<string, string | null> = {
      file_1: "https://files.example/acc/c/file_1?sig=a&exp=2",
      file_2: null,
      file_3: "javascript:alert(1)",
    };
    const email = buildTranscript({
      ...take.source,
      messages,
      accountName: "Company",
      senderName: "Parley",
      fromAddress: env.TRANSCRIPT_FROM,
      to: "vera@example.org",
      replyTo: null,
      fileLink: (f) => links[f.id] ?? null,
    });
    const parsed = await PostalMime.parse(transcriptMime(email));
    expect(parsed.html).toContain(
      '<a href="https://files.example/acc/c/file_1?sig=a&amp;exp=2" style="color:#2457d6">invoice &lt;1&gt;.pdf</a> <span style="color:#5b6472">(12 KB)</span>',
    );
    expect(parsed.text).toContain(
      "Vera Visitor: sent a file: invoice <1>.pdf (12 KB) https://files.example/acc/c/file_1?sig=a&exp=2",
    );
    // No link to give: the name and size, as text.
    expect(parsed.html).toContain("📎 plan.pdf <span");
    expect(parsed.html).not.toContain(">plan.pdf</a>");
    expect(parsed.text).toContain("sent a file: plan.pdf (12 KB)\n");
    // Only http(s) links make it into the email.
    expect(parsed.html).not.toContain("javascript:");
    expect(parsed.text).not.toContain("javascript:");
    // Without a Reply-To there is no promise that replying works.
    expect(parsed.replyTo).toBeUndefined();
    expect(parsed.text).not.toContain("Reply to this email");
  });

  it("carries a signed Reply-To for its chat, and a sender name cannot add headers", async () => {
    const chat = await conversation();
    const { parsed, raw } = await transcriptOf(chat.chatId, {
      senderName: "Evil\r\nBcc: victim@example.net\r\nX-Injected: 1",
    });
    const replyTo = parsed.replyTo?.[0];
    expect(replyTo?.address).toMatch(
      new RegExp(`^reply\\+${chat.chatId}\\.[a-z2-7]{24}@${DOMAIN.replaceAll(".", "\\.")}$`),
    );
    expect(await chatOfReplyAddress(env.AUTH_SECRET, replyTo!.address!, DOMAIN)).toEqual({
      ok: true,
      chatId: chat.chatId,
    });
    expect(parsed.text).toContain("Reply to this email to write to us again");
    expect(parsed.from).toEqual({ name: "Evil Bcc: victim@example.net X-Injected: 1", address: env.TRANSCRIPT_FROM });
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.map((h) => h.key)).not.toContain("x-injected");
    expect(raw).not.toMatch(/^Bcc:/im);
  });

  it("keeps the newest messages of a very long chat and says how many are left out", async () => {
    const chat = await conversation({ open: true });
    const take = await chatRoomOf(env, chat.chatId).takeTranscript("operator");
    if (!take.ok) throw new Error(take.code);
    const email = buildTranscript({
      ...take.source,
      omitted: 7,
      accountName: "C",
      senderName: "P",
      fromAddress: env.TRANSCRIPT_FROM,
      to: "a@b.example",
      replyTo: null,
      fileLink: () => null,
    });
    expect(email.text).toContain("7 earlier messages are not included.");
    expect(take.source.omitted).toBe(0);
    expect(MAX_TRANSCRIPT_MESSAGES).toBeGreaterThanOrEqual(1000);
  });

  it("refuses to send with an unknown EMAIL_MODE instead of falling back to the classic binding", async () => {
    const email = buildTranscript({
      chatId: "c_x",
      status: "closed",
      startedAt: 0,
      closedAt: 0,
      visitorName: "V",
      messages: [],
      omitted: 0,
      accountName: "C",
      senderName: "P",
      fromAddress: env.TRANSCRIPT_FROM,
      to: "a@b.example",
      replyTo: null,
      fileLink: () => null,
    });
    await expect(sendEmail({ ...env, EMAIL_MODE: "smtp" }, email)).rejects.toThrow(/EMAIL_MODE/);
    // Both configured forms go through the real binding.
    await sendEmail({ ...env, EMAIL_MODE: "mime" }, email);
    await sendEmail({ ...env, EMAIL_MODE: "service" }, email);
  });
});

describe("recipient addresses", () => {
  it("accepts one plain address and refuses lists, names, line breaks and junk", () => {
    expect(parseRecipientAddress(" Vera.Visitor+chat@Example.ORG ")).toEqual({
      ok: true,
      address: "Vera.Visitor+chat@example.org",
    });
    expect(parseRecipientAddress("o'neil@sub.example.co.uk")).toEqual({
      ok: true,
      address: "o'neil@sub.example.co.uk",
    });
    for (const bad of [
      "",
      "a@b.c\r\nBcc: x@y.z",
      "a@b.example\nBcc: x@y.z",
      "a@b.example\r",
      "a@b.c, d@e.f",
      "a@b.example; d@e.example",
      "Vera <vera@example.org>",
      '"Vera" <vera@example.org>',
      "<vera@example.org>",
      "vera@example.org (Vera)",
      "vera@@example.org",
      "vera@example",
      "vera@-example.org",
      "vera@exa_mple.org",
      "vera@example.c",
      ".vera@example.org",
      "ve..ra@example.org",
      "vera@[127.0.0.1]",
      "vera smith@example.org",
      "vera@example.org\u0000",
      "müller@example.org",
      `${"a".repeat(65)}@example.org`,
      `a@${Array.from({ length: 5 }, () => "b".repeat(60)).join(".")}.org`,
    ]) {
      expect(parseRecipientAddress(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("POST /api/chats/:chatId/transcript", () => {
  it("lets an operator send it during the chat and after it ended, counting down the hour's allowance", async () => {
    const chat = await conversation({ open: true });
    const during = await expectJson<TranscriptResponse>(await sendTranscript(chat.chatId, "Vera@Example.org"), 200);
    expect(during).toEqual({ to: "Vera@example.org", remaining: TRANSCRIPTS_PER_HOUR - 1 });
    chat.operator.send({ type: "close" });
    await expect.poll(async () => (await summary(chat.chatId))?.status).toBe("closed");
    // Bob was never in the chat; operators of the account may read it, so may send it.
    const after = await expectJson<TranscriptResponse>(
      await sendTranscript(chat.chatId, "vera@example.org", tokens.bob),
      200,
    );
    expect(after.remaining).toBe(TRANSCRIPTS_PER_HOUR - 2);
  });

  it("lets the visitor send their own chat's transcript once an operator has answered", async () => {
    const chat = await startChat(acc.id);
    await expectProblem(await sendTranscript(chat.chatId, "vera@example.org", chat.token), 409, "conflict");
    const { client: visitor } = await join(chat.chatId, chat.token);
    visitor.send({ type: "message", cid: "v1", text: "Hi" });
    await visitor.next("ack");
    const operator = await operatorJoins(chat.chatId, tokens.ann);
    // Ann has joined but said nothing yet.
    await expectProblem(await sendTranscript(chat.chatId, "vera@example.org", chat.token), 409, "conflict");
    operator.send({ type: "message", cid: "o1", text: "Hello!" });
    await operator.next("ack");
    expect(
      await expectJson<TranscriptResponse>(await sendTranscript(chat.chatId, "vera@example.org", chat.token), 200),
    ).toEqual({ to: "vera@example.org", remaining: TRANSCRIPTS_PER_HOUR - 1 });
    for (const c of [visitor, operator]) c.close();
  });

  it("refuses other accounts' operators, other chats' visitors, API keys and anonymous callers", async () => {
    const chat = await conversation();
    const otherChat = await startChat(acc.id);
    await expectProblem(await sendTranscript(chat.chatId, "x@example.org", tokens.stranger), 403, "forbidden");
    await expectProblem(await sendTranscript(chat.chatId, "x@example.org", otherChat.token), 403, "forbidden");
    await expectProblem(await sendTranscript(chat.chatId, "x@example.org", acc.apiKey), 403, "forbidden");
    await expectProblem(await sendTranscript(chat.chatId, "x@example.org", ""), 401, "token_missing");
    await expectProblem(await sendTranscript("c_nosuchchat", "x@example.org"), 404, "not_found");
    // None of them used up any of the chat's allowance.
    expect(
      (await expectJson<TranscriptResponse>(await sendTranscript(chat.chatId, "x@example.org"), 200)).remaining,
    ).toBe(TRANSCRIPTS_PER_HOUR - 1);
  });

  it("refuses invalid addresses and header injection with 422 email_invalid, sending nothing", async () => {
    const chat = await conversation();
    for (const bad of [
      "a@b.c\r\nBcc: x@y.z",
      "a@b.example\nBcc: x@y.z",
      "a@b.c, d@e.f",
      "a@b.example;d@e.example",
      "Vera <vera@example.org>",
      '"a@b.example" <c@d.example>',
      "not-an-address",
      "",
    ]) {
      const problem = await expectProblem(await sendTranscript(chat.chatId, bad), 422, "email_invalid");
      expect(problem.detail, JSON.stringify(bad)).toBeTruthy();
    }
    expect((await expectProblem(await sendTranscript(chat.chatId, "a@b.c, d@e.f"), 422, "email_invalid")).detail).toBe(
      "Enter one address only.",
    );
    await expectProblem(await sendTranscript(chat.chatId, ["a@b.example"]), 422, "validation_failed");
    await expectProblem(
      await call(`/api/chats/${chat.chatId}/transcript`, {
        method: "POST",
        token: tokens.ann,
        json: { email: "a@b.example", cc: "c@d.example" },
      }),
      422,
      "validation_failed",
    );
    // Nothing was sent: the whole hour's allowance is still there.
    expect(
      (await expectJson<TranscriptResponse>(await sendTranscript(chat.chatId, "a@b.example"), 200)).remaining,
    ).toBe(TRANSCRIPTS_PER_HOUR - 1);
  });

  it("allows five an hour per chat, then answers 429 with Retry-After; other chats are not affected", async () => {
    const chat = await conversation();
    for (let i = 1; i <= TRANSCRIPTS_PER_HOUR; i++) {
      expect(
        (await expectJson<TranscriptResponse>(await sendTranscript(chat.chatId, `v${i}@example.org`), 200)).remaining,
      ).toBe(TRANSCRIPTS_PER_HOUR - i);
    }
    const refused = await sendTranscript(chat.chatId, "v6@example.org", chat.token);
    const retryAfter = Number(refused.headers.get("Retry-After"));
    const problem = await expectProblem(refused, 429, "rate_limited");
    expect(problem.detail).toMatch(/Try again in \d+ minutes?/);
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const another = await conversation();
    await expectJson<TranscriptResponse>(await sendTranscript(another.chatId, "v@example.org"), 200);
  });
});

// ---- Replies by email --------------------------------------------------------------------------

function replyEmail(
  to: string,
  body: string,
  options: { messageId?: string | null; extraHeaders?: string[] } = {},
): string {
  const id = options.messageId === undefined ? `<${crypto.randomUUID()}@mail.example.org>` : options.messageId;
  return [
    "From: Vera Visitor <vera@example.org>",
    `To: ${to}`,
    "Subject: Re: Transcript of your chat with Company mail",
    ...(id ? [`Message-ID: ${id}`] : []),
    "Date: Thu, 26 Nov 2026 10:30:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    ...(options.extraHeaders ?? []),
    "",
    body.replace(/\n/g, "\r\n"),
  ].join("\r\n");
}

const QUOTED = `

On Thu, 26 Nov 2026 at 10:02, Support Team <transcripts@parley.localhost>
wrote:
> Your chat with Company mail
> [10:02] Vera Visitor: Hello, is anyone there?
> [10:03] Ann: Yes, Ann here.
`;

describe("replies to a transcript", () => {
  it("appends a signed reply to an ended chat as the visitor's message, once, and the chat waits again", async () => {
    const chat = await conversation();
    const before = await history(chat.chatId);
    const { client: lobby } = await connectLobby(tokens.ann);
    lobby.send({ type: "presence", status: "online" });
    await lobby.next("lobby");
    const to = await replyAddressFor(env.AUTH_SECRET, chat.chatId, DOMAIN);
    const raw = replyEmail(to, `Do you have it in <b>blue</b>?\nThanks!${QUOTED}`);

    expect(await deliverEmail(to, raw)).toEqual({ rejected: undefined });
    const after = await history(chat.chatId);
    const added = after.slice(before.length);
    expect(added).toMatchObject([
      {
        kind: "system",
        event: "reopen",
        author: { kind: "visitor", id: chat.visitorId },
        text: "Vera Visitor wrote again by email; the chat is waiting for an operator",
      },
      {
        kind: "text",
        author: { kind: "visitor", id: chat.visitorId, name: "Vera Visitor" },
        text: "Do you have it in <b>blue</b>?\nThanks!",
        via: "email",
      },
    ]);
    expect(added[1]!.cid).toMatch(/^email:[0-9a-f]{64}$/);
    // Operators see it waiting in the queue; the index says so, with the sender's address kept.
    expect((await lobby.next("waiting")).chat).toMatchObject({
      chatId: chat.chatId,
      visitorName: "Vera Visitor",
      visitorEmail: "vera@example.org",
    });
    expect(await summary(chat.chatId)).toMatchObject({
      status: "waiting",
      closedAt: null,
      operatorIds: [],
      visitorEmail: "vera@example.org",
    });

    // Email Routing delivering the same email again changes nothing.
    expect(await deliverEmail(to, raw)).toEqual({ rejected: undefined });
    expect(await history(chat.chatId)).toEqual(after);

    // An operator takes it like any waiting chat and answers in it.
    await expectJson(
      await call(`/api/operator/chats/${chat.chatId}/accept`, { method: "POST", token: tokens.ann }),
      200,
    );
    expect((await history(chat.chatId)).at(-1)).toMatchObject({
      kind: "system",
      event: "join",
      author: { name: "Ann" },
    });
    expect(await summary(chat.chatId)).toMatchObject({ status: "active" });
    lobby.close();
  });

  it("reaches the operators in a chat that is still going on, live, without reopening it", async () => {
    const chat = await conversation({ open: true });
    const to = await replyAddressFor(env.AUTH_SECRET, chat.chatId, DOMAIN);
    expect(
      await deliverEmail(to, replyEmail(to, `I had to leave, sorry.\n-- \nVera, sent from my phone${QUOTED}`)),
    ).toEqual({ rejected: undefined });
    let live = await chat.operator.next("msg");
    while (live.message.via !== "email") live = await chat.operator.next("msg");
    expect(live.message).toMatchObject({
      kind: "text",
      author: { kind: "visitor", id: chat.visitorId },
      text: "I had to leave, sorry.",
      via: "email",
    });
    expect((await history(chat.chatId)).filter((m) => m.event === "reopen")).toEqual([]);
    expect(await summary(chat.chatId)).toMatchObject({ status: "active" });
    chat.operator.close();
  });

  it("refuses forged and altered reply addresses and appends nothing", async () => {
    const chat = await conversation();
    const target = await conversation();
    const before = { chat: await history(chat.chatId), target: await history(target.chatId) };
    const genuine = await replyAddressFor(env.AUTH_SECRET, chat.chatId, DOMAIN);
    const signature = genuine.slice(genuine.lastIndexOf(".", genuine.indexOf("@")) + 1, genuine.indexOf("@"));
    const flipped = signature.replace(/^./, (c) => (c === "a" ? "b" : "a"));
    const forged = [
      // Another chat's id under this chat's signature.
      `reply+${target.chatId}.${signature}@${DOMAIN}`,
      // One character of the signature changed, cut short, or missing.
      `reply+${chat.chatId}.${flipped}@${DOMAIN}`,
      `reply+${chat.chatId}.${signature.slice(0, -1)}@${DOMAIN}`,
      `reply+${chat.chatId}@${DOMAIN}`,
      // Signed with another secret.
      await replyAddressFor("another-secret-that-is-also-long-enough-0123456789", target.chatId, DOMAIN),
    ];
    for (const to of forged) {
      const delivery = await deliverEmail(to, replyEmail(to, "Let me in"));
      expect(delivery.rejected, to).toBe("This reply address is not valid.");
    }
    // The right signature at another domain, or not a reply address at all.
    expect((await deliverEmail(genuine.replace(DOMAIN, "elsewhere.example"), replyEmail(genuine, "hi"))).rejected).toBe(
      "There is no mailbox at this address.",
    );
    expect((await deliverEmail(`sales@${DOMAIN}`, replyEmail(`sales@${DOMAIN}`, "hi"))).rejected).toBe(
      "There is no mailbox at this address.",
    );
    expect(await history(chat.chatId)).toEqual(before.chat);
    expect(await history(target.chatId)).toEqual(before.target);
    expect(await summary(target.chatId)).toMatchObject({ status: "closed" });
  });

  it("accepts the address with its local part lower-cased by a mail server on the way", async () => {
    const chat = await conversation();
    const to = await replyAddressFor(env.AUTH_SECRET, chat.chatId, DOMAIN);
    expect(await deliverEmail(to.toLowerCase(), replyEmail(to.toLowerCase(), "Lower case works too."))).toEqual({
      rejected: undefined,
    });
    expect((await history(chat.chatId)).at(-1)).toMatchObject({ text: "Lower case works too.", via: "email" });
  });

  it("drops auto-replies silently and bounces replies with nothing of their own", async () => {
    const chat = await conversation();
    const before = await history(chat.chatId);
    const to = await replyAddressFor(env.AUTH_SECRET, chat.chatId, DOMAIN);
    expect(
      await deliverEmail(
        to,
        replyEmail(to, "I am out of the office until Monday.", { extraHeaders: ["Auto-Submitted: auto-replied"] }),
      ),
    ).toEqual({ rejected: undefined });
    expect(await deliverEmail(to, replyEmail(to, "Away.", { extraHeaders: ["Precedence: auto_reply"] }))).toEqual({
      rejected: undefined,
    });
    expect((await deliverEmail(to, replyEmail(to, QUOTED))).rejected).toBe(
      "The reply has no text of its own above the quoted transcript.",
    );
    expect(await history(chat.chatId)).toEqual(before);
    expect(await summary(chat.chatId)).toMatchObject({ status: "closed" });
  });

  it("tells a redelivery by its Message-ID, and an email without one by its content", async () => {
    const chat = await conversation({ open: true });
    const to = await replyAddressFor(env.AUTH_SECRET, chat.chatId, DOMAIN);
    const same = replyEmail(to, "One.", { messageId: "<fixed-1@mail.example.org>" });
    await deliverEmail(to, same);
    // Same Message-ID, relayed with another Date: still the same email.
    await deliverEmail(to, same.replace("10:30:00", "10:31:00"));
    const noId = replyEmail(to, "Two.", { messageId: null });
    await deliverEmail(to, noId);
    await deliverEmail(to, noId);
    await deliverEmail(to, replyEmail(to, "Three.", { messageId: "<fixed-2@mail.example.org>" }));
    expect((await history(chat.chatId)).filter((m) => m.via === "email").map((m) => m.text)).toEqual([
      "One.",
      "Two.",
      "Three.",
    ]);
    chat.operator.close();
  });
});

describe("reply text", () => {
  it("keeps what the visitor wrote and drops quotes, attributions, signatures and forwarded originals", () => {
    expect(
      replyText(
        "Blue, please.\r\n\r\nOn Thu, 26 Nov 2026 at 10:02, Parley <t@p.example> wrote:\r\n> old\r\n> older\r\n",
      ),
    ).toBe("Blue, please.");
    expect(replyText("Ja, gerne.\n\nAm 26.11.2026 um 10:02 schrieb Parley <t@p.example>:\n> alt")).toBe("Ja, gerne.");
    expect(replyText("Top.\n\n-----Original Message-----\nFrom: Parley\nSent: Thursday\n\nold text")).toBe("Top.");
    expect(replyText("Top.\n\n________________________________\nFrom: Parley\nold")).toBe("Top.");
    expect(replyText("Inline answer\n> quoted question\nmore of mine\n> another quote")).toBe(
      "Inline answer\nmore of mine",
    );
    expect(replyText("Thanks\n-- \nVera\nACME Ltd")).toBe("Thanks");
    // A sentence of the visitor's own that happens to start with "On" is kept.
    expect(replyText("On Monday my brother wrote:\nthat it was broken.")).toBe(
      "On Monday my brother wrote:\nthat it was broken.",
    );
    expect(replyText("x".repeat(6000))).toHaveLength(5000);
    expect(replyText("> only a quote")).toBe("");
  });
});
