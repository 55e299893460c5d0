// The transcript as raw MIME (RFC 5322 + 2045/2046/2047), for the classic send_email binding,
// which takes `new EmailMessage(from, to, raw)`. Written by hand rather than with a library: the
// message is always the same shape (one multipart/alternative with a text and an HTML part), and
// the libraries for it bring polyfills or heavy dependencies into the Worker (mimetext pulled in
// core-js-pure; emailjs-mime-builder needs ramda and a TextEncoder polyfill; @mailchain's composer
// needs date-fns), while this needs only TextEncoder, btoa and crypto, which workerd has.
import type { TranscriptEmail } from "./transcript.ts";

const CRLF = "\r\n";
/** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters and MUST be at most 998. */
const SOFT_LINE = 78;
const HARD_LINE = 998;
/** UTF-8 bytes in one encoded-word: 39 bytes are 52 base64 characters, a 64-character word, so
 * even "Auto-Submitted: " and a word stay within RFC 2047's 76 characters a line. */
const WORD_BYTES = 39;

const utf8 = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Base64 of the UTF-8 bytes in 76-character lines (RFC 2045 §6.8): safe for any text, any line
 * length, and any transport (7bit would break on non-ASCII and on lines longer than 998). */
function base64Body(text: string): string {
  return base64(utf8.encode(text)).replace(/.{76}(?=.)/g, `$&${CRLF}`);
}

/** Printable ASCII and spaces only: what a header may carry as is. */
const PLAIN = /^[\x20-\x7e]*$/;

function assertNoControls(what: string, value: string): void {
  // The callers clean their text (transcript.ts clean()); a line break here would start a new header.
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new Error(`${what} has a control character`);
}

/** RFC 2047 "B" encoded-words for `text`, each at most WORD_BYTES of UTF-8 and never splitting a
 * character, so every word decodes on its own (§5: each word must be a whole character sequence). */
function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk: number[] = [];
  for (const char of text) {
    const bytes = utf8.encode(char);
    if (chunk.length + bytes.length > WORD_BYTES) (words.push(encodedWord(chunk)), (chunk = []));
    chunk.push(...bytes);
  }
  if (chunk.length || !words.length) words.push(encodedWord(chunk));
  return words;
}
const encodedWord = (bytes: number[]) => `=?UTF-8?B?${base64(Uint8Array.from(bytes))}?=`;

/** Unstructured text (Subject): as is when it is plain ASCII, otherwise as encoded-words. Plain
 * text holding "=?" is encoded too, or a client would decode it as a word it never was. */
function unstructured(what: string, text: string): string[] {
  assertNoControls(what, text);
  return PLAIN.test(text) && !text.includes("=?") ? text.split(" ") : encodedWords(text);
}

/** A display name (RFC 5322 §3.2.5 phrase): atoms as is, other ASCII as one quoted string, and
 * anything else as encoded-words, which a phrase may hold (RFC 2047 §5 (3)). */
function phrase(name: string): string[] {
  assertNoControls("a display name", name);
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(name) && !name.includes("=?")) return name.split(" ");
  if (PLAIN.test(name) && !name.includes("=?")) return [`"${name.replace(/["\\]/g, "\\$&")}"`];
  return encodedWords(name);
}

/** A bare addr-spec: nothing that could close the angle brackets, add an address or a header. */
function address(addr: string): string {
  if (!/^[^\s<>(),;:"\\@]+@[^\s<>(),;:"\\@]+$/.test(addr)) throw new Error(`not a plain email address: ${addr}`);
  return addr;
}

function mailbox(mbox: { name: string; email: string }): string[] {
  const name = mbox.name.trim();
  return name ? [...phrase(name), `<${address(mbox.email)}>`] : [address(mbox.email)];
}

/** One header field, its tokens joined by spaces and folded before a space whenever the line
 * would pass 78 characters (RFC 5322 §2.2.3). A token longer than a line stays whole. */
function header(name: string, tokens: string[]): string {
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) throw new Error(`not a header name: ${name}`);
  for (const token of tokens) assertNoControls(`header ${name}`, token);
  let field = `${name}:`;
  let line = field.length;
  for (const token of tokens) {
    if (line + 1 + token.length > SOFT_LINE && line > name.length + 1 && token)
      ((field += `${CRLF} ${token}`), (line = 1 + token.length));
    else ((field += ` ${token}`), (line += 1 + token.length));
    if (line > HARD_LINE) throw new Error(`header ${name} has a line longer than ${HARD_LINE} characters`);
  }
  return field;
}

/** RFC 5322 §3.3 date-time in UTC: "Tue, 01 Dec 2026 20:04:00 +0000". */
const dateHeader = (now: Date) => now.toUTCString().replace(/GMT$/, "+0000");

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function transcriptMime(email: TranscriptEmail, now = new Date()): string {
  const domain = address(email.from.email).split("@")[1]!;
  // "=_" never occurs in base64, so the boundary cannot turn up inside a part (RFC 2046 §5.1.1).
  const boundary = `=_parley_${randomHex(16)}`;
  const headers = [
    header("Date", [dateHeader(now)]),
    header("From", mailbox(email.from)),
    header("To", [address(email.to)]),
    ...(email.replyTo ? [header("Reply-To", [address(email.replyTo)])] : []),
    header("Message-ID", [`<${randomHex(16)}@${domain}>`]),
    header("Subject", unstructured("the subject", email.subject)),
    header("MIME-Version", ["1.0"]),
    // RFC 3834: generated, not written; well-behaved auto-responders do not answer it, so an
    // "out of office" never lands in the chat through the Reply-To address.
    header("Auto-Submitted", ["auto-generated"]),
    ...Object.entries(email.headers).map(([name, value]) => header(name, unstructured(`header ${name}`, value))),
    header("Content-Type", ["multipart/alternative;", `boundary="${boundary}"`]),
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=UTF-8`,
      "Content-Transfer-Encoding: base64",
      "",
      base64Body(body),
    ].join(CRLF);
  return [...headers, "", part("text/plain", email.text), part("text/html", email.html), `--${boundary}--`, ""].join(
    CRLF,
  );
}
