// What the visitor wrote in a reply, without what their mail program added: the quoted transcript
// (lines starting with ">"), the attribution line above it ("On Tue, … wrote:", split over two
// lines by some programs; German "Am … schrieb …:"), Outlook's "Original Message" / underscore
// block, and a signature after the standard "-- " separator. Capped to a chat message's length.
import { MAX_TEXT_LENGTH } from "../../shared/protocol.ts";

/** A line from which everything below is the quoted original or a signature. */
function isCutMarker(line: string): boolean {
  if (line === "-- ") return true; // RFC 3676 signature separator, trailing space and all
  const trimmed = line.trim();
  return (
    /^-{2,}\s*(original message|ursprüngliche nachricht|forwarded message|weitergeleitete nachricht)\s*-{2,}$/i.test(
      trimmed,
    ) || /^_{10,}$/.test(trimmed)
  );
}
const ATTRIBUTION_START = /^(on|am)\s/i;
const ATTRIBUTION_END = /(wrote|schrieb[^:]*):\s*$/i;

/** Index of the first line that begins the quoted original (or the signature), or -1. */
function cutIndex(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isCutMarker(line)) return i;
    if (!ATTRIBUTION_START.test(line.trim())) continue;
    // Gmail and Apple Mail wrap a long attribution ("…, Parley <transcripts@…>\nwrote:"), so up
    // to three lines are read as one. It names a date, so a visitor's own sentence starting
    // "On …" and ending "… wrote:" a line later, without a digit, is kept.
    for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
      const candidate = lines
        .slice(i, i + span)
        .map((l) => l.trim())
        .join(" ");
      if (ATTRIBUTION_END.test(candidate) && /\d/.test(candidate)) return i;
    }
  }
  return -1;
}

export function replyText(body: string): string {
  let lines = body.replace(/\r\n?/g, "\n").split("\n");
  const cut = cutIndex(lines);
  if (cut >= 0) lines = lines.slice(0, cut);
  const text = lines
    .filter((line) => !line.trimStart().startsWith(">"))
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return text.length > MAX_TEXT_LENGTH ? `${text.slice(0, MAX_TEXT_LENGTH - 1).trimEnd()}…` : text;
}
