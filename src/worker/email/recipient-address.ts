// Whether what a person typed (or an email's From) is one plain address to send a transcript or
// an answer to: the check behind `422 email_invalid` on POST /api/chats/:chatId/transcript, and
// the sender check of inbound email.
export type RecipientCheck = { ok: true; address: string } | { ok: false; reason: string };

// RFC 5321's dot-atom local part and a hostname of letters, digits and hyphens: no quoted local
// parts, comments, display names or IP literals. Stricter than RFC 5322 on purpose: the address
// goes into a header, and nothing a person types for their own mailbox needs more.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** One plain recipient address, or why not. Every check is about what could smuggle a second
 * recipient or header into the email (line breaks, lists, display names) or could never be
 * delivered. Spaces around the address are forgiven (pasted text); nothing else is rewritten. */
export function parseRecipientAddress(raw: string): RecipientCheck {
  const address = raw.replace(/^ +| +$/g, "");
  const bad = (reason: string): RecipientCheck => ({ ok: false, reason });
  if (!address) return bad("Enter an email address.");
  if (/[\u0000-\u001f\u007f]/.test(address))
    return bad("An address cannot contain line breaks, tabs or other control characters.");
  if (/[,;]/.test(address)) return bad("Enter one address only.");
  if (/[\s<>()"[\]\\:]/.test(address))
    return bad("Enter just the address, like name@example.com, without a name, quotes or brackets.");
  if (address.length > 254) return bad("This address is too long (at most 254 characters).");
  const at = address.indexOf("@");
  if (at < 0 || at !== address.lastIndexOf("@")) return bad("An address has exactly one @, like name@example.com.");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!local || local.length > 64 || !LOCAL_PART.test(local))
    return bad("The part before the @ is not a valid mailbox name.");
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || !TOP_LEVEL.test(labels.at(-1)!)) {
    return bad("The part after the @ is not a valid domain, like example.com.");
  }
  return { ok: true, address: `${local}@${domain.toLowerCase()}` };
}
