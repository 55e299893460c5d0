// File names as senders' systems give them are untrusted text that ends up in other people's
// chat windows, download dialogs and emails. What is kept is a plain name: no path, no control
// or bidi characters (an override can make "gpj.exe" read as "exe.jpg"), not hidden, not empty.
import { MAX_FILE_NAME_LENGTH } from "../../shared/protocol.ts";

/** When nothing usable is left of a name. */
export const FALLBACK_FILE_NAME = "file";

// \p{Cc}: C0 and C1 controls, DEL. \p{Cf}: format characters, which include the bidi embeddings,
// overrides and isolates (U+202A-202E, U+2066-2069), the marks U+200E/200F/061C and zero-width ones.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
// Line breaks, tabs and every other run of spacing become one space (before the controls go, so
// "a\tb" keeps its gap).
const SPACING = /[\p{Zl}\p{Zp}\s]+/gu;

/** The extension of a name, lower-case and without the dot ("" when there is none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** A safe display and download name for whatever the sender's system called the file. */
export function sanitizeFileName(raw: string): string {
  const base =
    raw
      .normalize("NFC")
      .split(/[/\\]/)
      .filter((part) => part.trim() !== "")
      .at(-1) ?? "";
  const cleaned = base
    .replace(SPACING, " ")
    .replace(INVISIBLE, "")
    .trim()
    // A leading dot hides a file on Unix ("..", "." vanish altogether); Windows drops trailing ones.
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  return capLength(cleaned) || FALLBACK_FILE_NAME;
}

/** Cuts a name to MAX_FILE_NAME_LENGTH characters (code points, so no emoji is cut in half),
 * keeping its extension when the extension is of a sensible length. */
export function capLength(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= MAX_FILE_NAME_LENGTH) return name;
  const ext = extensionOf(name);
  const keep = ext && ext.length <= 16 ? Array.from(name.slice(name.length - ext.length - 1)) : [];
  return (
    chars
      .slice(0, MAX_FILE_NAME_LENGTH - keep.length)
      .join("")
      .trimEnd() + keep.join("")
  );
}
