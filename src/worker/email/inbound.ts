// The Worker's email() handler: replies to a transcript's Reply-To address continue the chat.
// Email Routing delivers mail for reply+<chat>.<signature>@TRANSCRIPT_REPLY_DOMAIN here. A reply
// whose address does not verify is refused (setReject: the sender gets a bounce) and changes
// nothing; a good one is parsed, stripped of the quoted transcript and appended to the chat as
// the visitor's message, once per Message-ID however often it is delivered.
import { eq } from "drizzle-orm";
import { EMAIL_CID_PREFIX } from "../../durable/chat-log.ts";
import { chatRoomOf } from "../../durable/chat-room.ts";
import { parseRecipientAddress } from "./recipient-address.ts";
import { database } from "../../server/db/index.ts";
import { chats } from "../../server/db/schema.ts";
import { chatOfReplyAddress } from "../../server/email/reply-address.ts";
import { parseEmail } from "./parse-email.ts";
import { replyText } from "./reply-text.ts";

/** Replies are text; anything bigger carries attachments we do not keep, and costs parse time. */
const MAX_REPLY_BYTES = 5 * 1024 * 1024;

/** Auto-replies ("out of office", vacation notices, list mail) are dropped without a bounce:
 * bouncing an automatic message is how mail loops start (RFC 3834). */
function isAutomatic(headers: Headers): boolean {
  const submitted = headers.get("auto-submitted")?.trim().toLowerCase();
  if (submitted && submitted !== "no") return true;
  const precedence = headers.get("precedence")?.trim().toLowerCase();
  return (
    (precedence !== undefined && ["bulk", "junk", "list", "auto_reply"].includes(precedence)) ||
    headers.has("x-autoreply") ||
    headers.has("x-autorespond")
  );
}

async function sha256Hex(data: BufferSource): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function receiveEmail(message: ForwardableEmailMessage, env: Env): Promise<void> {
  const domain = env.TRANSCRIPT_REPLY_DOMAIN;
  const target = domain
    ? await chatOfReplyAddress(env.AUTH_SECRET, message.to, domain)
    : ({ ok: false, reason: "not_a_reply_address" } as const);
  if (!target.ok) {
    // The address is never echoed back or logged: a forged one tells the forger nothing.
    return message.setReject(
      target.reason === "bad_signature" ? "This reply address is not valid." : "There is no mailbox at this address.",
    );
  }
  if (message.rawSize > MAX_REPLY_BYTES)
    return message.setReject("The reply is too large. Please write it again without attachments.");
  if (isAutomatic(message.headers)) {
    console.log(`automatic reply for chat ${target.chatId} dropped`);
    return;
  }
  const chat = await database(env.DB)
    .select({ id: chats.id, visitorEmail: chats.visitorEmail })
    .from(chats)
    .where(eq(chats.id, target.chatId))
    .get();
  if (!chat) return message.setReject("This chat no longer exists.");

  const raw = await new Response(message.raw).arrayBuffer();
  const email = parseEmail(raw);
  const text = replyText(email.text);
  if (!text) return message.setReject("The reply has no text of its own above the quoted transcript.");
  // One message per email: its Message-ID names it across redeliveries (without one, its bytes do).
  const cid =
    EMAIL_CID_PREFIX + (await sha256Hex(email.messageId ? new TextEncoder().encode(email.messageId.trim()) : raw));
  // The From header's address (the envelope sender may be a bounce address), if it is a plain one.
  const from = parseRecipientAddress(email.from ?? message.from);
  const visitorEmail = chat.visitorEmail ?? (from.ok ? from.address : null);

  const result = await chatRoomOf(env, chat.id).appendEmailReply({ cid, text, visitorEmail });
  if (!result.ok) return message.setReject("This chat no longer exists.");
}
