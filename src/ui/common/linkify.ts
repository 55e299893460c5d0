// Splits message text into plain text and links (http/https URLs and email addresses), so the
// view can build <a> elements from text nodes. Nothing here produces HTML: a message is shown
// exactly as typed, and only these two kinds of address become clickable.

type TextPart = { text: string; href?: undefined } | { text: string; href: string };

const ADDRESS = /\bhttps?:\/\/[^\s<>"']+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/giu;
/** Punctuation that ends a sentence rather than a URL: "see https://x.org." */
const TRAILING_PUNCTUATION = /[.,;:!?*]+$/;

/** Drops trailing punctuation and closing brackets that have no opening partner in the URL,
 * so "(https://x.org/a_(b))." keeps its inner brackets but not the sentence's. */
function trimUrl(url: string): string {
  let trimmed = url.replace(TRAILING_PUNCTUATION, "");
  for (const [open, close] of [
    ["(", ")"],
    ["[", "]"],
    ["{", "}"],
  ] as const) {
    while (trimmed.endsWith(close) && trimmed.split(close).length > trimmed.split(open).length) {
      trimmed = trimmed.slice(0, -1).replace(TRAILING_PUNCTUATION, "");
    }
  }
  return trimmed;
}

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const isUrl = /^https?:/i.test(match[0]);
    const address = isUrl ? trimUrl(match[0]) : match[0];
    if (isUrl && !/^https?:\/\/[^/?#\s]/i.test(address)) continue;
    const start = match.index;
    if (start > plainFrom) parts.push({ text: text.slice(plainFrom, start) });
    parts.push({ text: address, href: isUrl ? address : `mailto:${address}` });
    plainFrom = start + address.length;
    // What trimming gave back is plain text again; the regex goes on from the match's end,
    // which is fine because trimmed characters cannot start a new address.
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom) });
  return parts;
}
