// What a file is, decided from its bytes, never from its name or the Content-Type the sender
// claims: magic numbers from our signature table (signatures.ts) for binary formats, and "valid
// UTF-8 without NUL bytes" for plain text. Then two rules: the type must be one the account allows, and the name's
// extension must not claim another format than the content is (an .exe renamed .png, a PNG named
// .pdf), since people trust the extension when they open a download.
import { ProblemError } from "../../server/problems.ts";
import { capLength, extensionOf } from "./names.ts";
import { detectType, KNOWN_EXTENSIONS } from "./signatures.ts";

/** Bytes read before deciding: enough for every format the signature table knows (a tar header
 * ends at 512; ZIP entry names and ID3 tags are looked for as far as the head goes). */
export const SNIFF_BYTES = 4100;

export const PLAIN_TEXT = "text/plain";
const UNKNOWN_BINARY = "application/octet-stream";

export type SniffedType = {
  /** The MIME type the file is stored and served as. */
  mime: string;
  /** The extension that goes with the content, when the content is a format the table knows. */
  ext: string | null;
  /** The rest of the file must be checked as it streams past (plain text: UTF-8 to the end). */
  checkText: boolean;
};

/** Extensions a name may carry for content detected as the key (the table's own extension is
 * always fine). */
const SAME_FORMAT: Record<string, readonly string[]> = {
  jpg: ["jpeg", "jpe", "jfif"],
  apng: ["png"],
  tif: ["tiff"],
  heic: ["heif"],
  mpg: ["mpeg"],
  mp4: ["m4v"],
  mov: ["qt"],
  mid: ["midi"],
  aif: ["aiff", "aifc"],
  gz: ["tgz"],
  ps: ["eps"],
  xml: ["svg", "xsl", "xsd", "rss", "atom"],
  ttf: ["ttc"],
  // The table tells Office files by their folders, not by the type [Content_Types].xml declares
  // (deflated), so macro-enabled files and templates are detected as the plain format.
  docx: ["docm", "dotx", "dotm"],
  xlsx: ["xlsm", "xltx", "xltm"],
  pptx: ["pptm", "ppsx", "ppsm", "potx", "potm"],
  // Old Office files are all one container format (Compound File Binary): a .doc is a cfb file.
  // Whether they may be sent is the account's list of types to say (application/x-cfb).
  cfb: ["doc", "xls", "ppt", "msg"],
};
/** Formats the table knows that are text inside: a text file may carry their extension even when
 * its first bytes do not give it away (XML without a declaration, say). */
const TEXT_FORMATS = new Set(["xml", "ics", "vcf", "vtt", "reg"]);

function isPlainText(head: Uint8Array, complete: boolean): boolean {
  if (head.includes(0)) return false;
  try {
    // stream: true lets the sample end inside a multi-byte character; the rest is checked later.
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(head, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** What the first bytes of a file say it is. `complete`: `head` is the whole file. (Async for its
 * callers' sake; the table itself answers synchronously.) */
export async function sniffType(head: Uint8Array, complete: boolean): Promise<SniffedType> {
  const found = detectType(head);
  if (found) return { mime: found.mime, ext: found.ext, checkText: false };
  if (isPlainText(head, complete)) return { mime: PLAIN_TEXT, ext: null, checkText: !complete };
  return { mime: UNKNOWN_BINARY, ext: null, checkText: false };
}

/** Whether the account's list (exact types or `type/*`) allows this type. */
function typeAllowed(mime: string, allowed: readonly string[]): boolean {
  const type = mime.toLowerCase();
  return allowed.some((entry) => {
    const rule = entry.toLowerCase();
    return rule.endsWith("/*") ? type.startsWith(rule.slice(0, -1)) : type === rule;
  });
}

/** Whether the name's extension agrees with the content. No extension always agrees. */
function extensionAgrees(name: string, sniffed: SniffedType): boolean {
  const ext = extensionOf(name);
  if (!ext) return true;
  if (sniffed.ext) return ext === sniffed.ext || (SAME_FORMAT[sniffed.ext] ?? []).includes(ext);
  // Content the table does not recognise may not wear the extension of a format it does.
  if (sniffed.mime === PLAIN_TEXT && TEXT_FORMATS.has(ext)) return true;
  return !KNOWN_EXTENSIONS.has(ext);
}

/** Applies both rules (415 otherwise) and returns the name to store: a file of a known format
 * whose name had no extension gets its extension, so it opens with the right program. */
export function admitFile(name: string, sniffed: SniffedType, allowed: readonly string[]): string {
  if (!extensionAgrees(name, sniffed)) {
    const what = sniffed.ext
      ? `a ${sniffed.ext.toUpperCase()} file (${sniffed.mime})`
      : sniffed.mime === PLAIN_TEXT
        ? "plain text"
        : "of an unknown type";
    throw new ProblemError(
      415,
      "file_type_mismatch",
      `The file's content is ${what}, but its name ends in .${extensionOf(name)}. Rename it or send the right file.`,
    );
  }
  if (!typeAllowed(sniffed.mime, allowed)) {
    throw new ProblemError(
      415,
      "file_type_not_allowed",
      `Files of type ${sniffed.mime} may not be sent here. Allowed: ${allowed.join(", ") || "none"}.`,
    );
  }
  return sniffed.ext && !extensionOf(name) ? capLength(`${name}.${sniffed.ext}`) : name;
}
