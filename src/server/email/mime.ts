// The transcript as raw MIME (RFC 5322 + 2045/2046), for the classic send_email binding, which
// takes `new EmailMessage(from, to, raw)`. mimetext assembles the headers (encoding the display
// name and subject as RFC 2047 words) and the multipart/alternative structure; its browser build
// is the one that runs in workerd without nodejs_compat (its Node build imports node:os).
import { createMimeMessage, Mailbox } from "mimetext/browser";
import type { TranscriptEmail } from "./transcript.ts";

/** Base64 of the UTF-8 bytes in 76-character lines (RFC 2045 §6.8). mimetext writes part bodies
 * as given, so the body is encoded here: 7bit would break on non-ASCII text and on lines longer
 * than SMTP's 998 characters. */
function base64Lines(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/.{76}(?=.)/g, "$&\r\n");
}

export function transcriptMime(email: TranscriptEmail): string {
  const message = createMimeMessage();
  message.setSender({ name: email.from.name, addr: email.from.email });
  message.setRecipient(email.to);
  message.setSubject(email.subject);
  if (email.replyTo) message.setHeader("Reply-To", new Mailbox(email.replyTo));
  // RFC 3834: generated, not written; well-behaved auto-responders do not answer it, so an
  // "out of office" never lands in the chat through the Reply-To address.
  message.setHeader("Auto-Submitted", "auto-generated");
  for (const [name, value] of Object.entries(email.headers)) message.setHeader(name, value);
  message.addMessage({
    contentType: "text/plain",
    charset: "UTF-8",
    encoding: "base64",
    data: base64Lines(email.text),
  });
  message.addMessage({ contentType: "text/html", charset: "UTF-8", encoding: "base64", data: base64Lines(email.html) });
  return message.asRaw();
}
