// The Reply-To address of a transcript: `reply+<chatId>.<signature>@<reply domain>`. Whoever holds
// it may write into that chat as its visitor, by email, so it is a capability: the signature is an
// HMAC of the chat id under the server's AUTH_SECRET, and an address that does not verify is
// refused. Changing AUTH_SECRET invalidates the addresses in every transcript sent before.
const LOCAL_PREFIX = "reply+";
/** Domain separation: the same secret also signs session tokens, which must never verify here. */
const SIGNATURE_CONTEXT = "parley:transcript-reply:v1:";
/** 15 bytes = 120 bits, 24 base32 characters: the local part stays within RFC 5321's 64. */
const SIGNATURE_BYTES = 15;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

const encoder = new TextEncoder();

function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

async function signature(secret: string, chatId: string): Promise<string> {
  if (secret.length < 32) throw new Error("AUTH_SECRET must be set to at least 32 characters");
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(SIGNATURE_CONTEXT + chatId));
  return base32(new Uint8Array(mac).slice(0, SIGNATURE_BYTES));
}

/** Chat ids are `c_` and a ULID (upper case). Some mail systems lower-case the local part of an
 * address, so the id is read back case-insensitively and put back in its one canonical form. */
function canonicalChatId(raw: string): string {
  return /^c_[0-9a-z]{26}$/i.test(raw) ? `c_${raw.slice(2).toUpperCase()}` : raw;
}

export async function replyAddressFor(secret: string, chatId: string, domain: string): Promise<string> {
  const id = canonicalChatId(chatId);
  return `${LOCAL_PREFIX}${id}.${await signature(secret, id)}@${domain}`;
}

type ReplyTarget = { ok: true; chatId: string } | { ok: false; reason: "not_a_reply_address" | "bad_signature" };

/** The chat a reply address is for, if the address is one of ours and its signature holds. */
export async function chatOfReplyAddress(secret: string, address: string, domain: string): Promise<ReplyTarget> {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at).toLowerCase();
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase() || !local.startsWith(LOCAL_PREFIX)) {
    return { ok: false, reason: "not_a_reply_address" };
  }
  const rest = address.slice(LOCAL_PREFIX.length, at);
  const dot = rest.lastIndexOf(".");
  if (dot <= 0) return { ok: false, reason: "bad_signature" };
  const chatId = canonicalChatId(rest.slice(0, dot));
  const given = encoder.encode(rest.slice(dot + 1).toLowerCase());
  const expected = encoder.encode(await signature(secret, chatId));
  // timingSafeEqual throws on different lengths; a wrong length is simply a wrong signature.
  if (given.byteLength !== expected.byteLength || !crypto.subtle.timingSafeEqual(given, expected))
    return { ok: false, reason: "bad_signature" };
  return { ok: true, chatId };
}
