// The little of a MIME message (RFC 2045–2049) an inbound reply needs: the text the visitor wrote,
// the From header's address and the Message-ID. Hand-written rather than a full parser on
// purpose: postal-mime cost the Worker about 25 KiB gzip (60 KB of it an HTML entity table), and
// a reply needs no attachments, display names or other headers. The work is done on a "binary
// string" (one char per byte) so boundaries and headers are found with string operations, and
// text is decoded from its charset only at the leaf that holds it.

export interface ParsedEmail {
  /** The reply's plain text: its text/plain parts, or else the text of its text/html part. */
  text: string;
  /** The From header's address, as written (unchecked), or null. */
  from: string | null;
  /** The Message-ID header as written, or null. */
  messageId: string | null;
}

/** Multipart nesting deeper than this is not a reply a person wrote; its insides are skipped. */
const MAX_DEPTH = 16;

type Part = { headers: Map<string, string>; body: string };

function toBinary(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function fromBinary(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** Splits headers from body at the first empty line; header names are lower-cased, folded lines
 * joined, and the first of a repeated header kept. */
function splitPart(raw: string): Part {
  const blank = /^\r?\n|\r?\n\r?\n/.exec(raw);
  const head = blank ? raw.slice(0, blank.index) : raw;
  const body = blank ? raw.slice(blank.index + blank[0].length) : "";
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n(?=[ \t])/g, "").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** A Content-Type or Content-Disposition value: its lower-cased main value and its parameters. */
function parseStructured(value: string | undefined): { value: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  const semi = (value ?? "").indexOf(";");
  const main = (semi < 0 ? (value ?? "") : value!.slice(0, semi)).trim().toLowerCase();
  if (semi >= 0) {
    const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
    for (let m; (m = re.exec(value!.slice(semi)));) {
      const name = m[1]!.toLowerCase();
      if (!params.has(name)) params.set(name, m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!.trim());
    }
  }
  return { value: main, params };
}

/** A line without its trailing spaces and tabs (and CR). A loop, not /[ \t]+$/, which backtracks
 * quadratically over a long run of spaces; not trimEnd(), which would also take a 0xA0 byte. */
function trimSpaces(line: string): string {
  let end = line.length;
  if (line[end - 1] === "\r") end--;
  while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
  return line.slice(0, end) + (line.endsWith("\r") ? "\r" : "");
}

function decodeTransfer(body: string, encoding: string | undefined): string {
  switch (encoding?.trim().toLowerCase()) {
    case "base64": {
      let b64 = body.replace(/[^A-Za-z0-9+/]/g, "");
      if (b64.length % 4 === 1) b64 = b64.slice(0, -1);
      try {
        return atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
      } catch {
        return "";
      }
    }
    case "quoted-printable":
      return body
        .split("\n")
        .map(trimSpaces)
        .join("\n")
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    default: // 7bit, 8bit, binary, or none
      return body;
  }
}

/** Bytes in a charset TextDecoder knows; an unknown or missing label is read as UTF-8. */
function decodeCharset(binary: string, charset: string | undefined): string {
  const bytes = fromBinary(binary);
  try {
    return new TextDecoder(charset?.trim() || "utf-8").decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

/** RFC 3676 format=flowed: a line ending in a space continues on the next (the signature
 * separator "-- " excepted); a leading space is stuffing. */
function unflow(text: string, delSp: boolean): string {
  let out = "";
  let open = false;
  for (let line of text.split(/\r?\n/)) {
    if (line.startsWith(" ")) line = line.slice(1);
    out += (open ? "" : out ? "\n" : "") + line;
    open = line.endsWith(" ") && line !== "-- ";
    if (open && delSp) out = out.slice(0, -1);
  }
  return out;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  copy: "©",
  reg: "®",
  trade: "™",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  bull: "•",
  middot: "·",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  sect: "§",
  deg: "°",
  times: "×",
  shy: "",
  zwnj: "",
  zwj: "",
  auml: "ä",
  ouml: "ö",
  uuml: "ü",
  Auml: "Ä",
  Ouml: "Ö",
  Uuml: "Ü",
  szlig: "ß",
  eacute: "é",
  egrave: "è",
  agrave: "à",
  ccedil: "ç",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{0,31});/gi, (entity, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : "\ufffd";
    }
    return ENTITIES[name] ?? ENTITIES[name.toLowerCase()] ?? entity;
  });
}

const BLOCK_TAGS = new Set(
  "br p div h1 h2 h3 h4 h5 h6 ul ol li table tr blockquote pre hr section article header footer".split(" "),
);
const HIDDEN_TAGS = new Set(["head", "style", "script", "title"]);

/** The text a mail program would show for an HTML body, with line breaks for <br> and where
 * blocks begin and end. One pass with indexOf, no regular expression over the whole body that
 * could backtrack on an unclosed tag. */
export function htmlToText(html: string): string {
  let text = "";
  for (let i = 0; i < html.length;) {
    const lt = html.indexOf("<", i);
    text += html.slice(i, lt < 0 ? html.length : lt).replace(/\s+/g, " ");
    if (lt < 0) break;
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const gt = html.indexOf(">", lt);
    if (gt < 0) {
      text += html.slice(lt).replace(/\s+/g, " "); // a "<" that opens no tag is text
      break;
    }
    const tag = /^<(\/?)([a-z][a-z0-9]*)/i.exec(html.slice(lt, Math.min(gt, lt + 16)));
    const name = tag?.[2]!.toLowerCase() ?? "";
    i = gt + 1;
    if (HIDDEN_TAGS.has(name) && !tag![1]) {
      const close = new RegExp(`</${name}\\s*>`, "gi");
      close.lastIndex = i;
      i = close.exec(html) ? close.lastIndex : html.length;
    } else if (BLOCK_TAGS.has(name)) text += "\n";
  }
  return decodeEntities(text)
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The decoded text/plain and text/html leaves of a part, in order; attachments, nested
 * messages and other types are skipped, and of a multipart/alternative only the best child
 * (one with plain text, else one with HTML) counts. */
function collect(part: Part, out: { plain: string[]; html: string[] }, depth: number, defaultType: string): void {
  if (parseStructured(part.headers.get("content-disposition")).value === "attachment") return;
  const type = parseStructured(part.headers.get("content-type") || defaultType);
  if (type.value.startsWith("multipart/")) {
    const boundary = type.params.get("boundary");
    if (!boundary || depth >= MAX_DEPTH) return;
    const children = splitMultipart(part.body, boundary).map(splitPart);
    const childType = type.value === "multipart/digest" ? "message/rfc822" : "text/plain";
    if (type.value !== "multipart/alternative") {
      for (const child of children) collect(child, out, depth + 1, childType);
      return;
    }
    const options = children.map((child) => {
      const found = { plain: [] as string[], html: [] as string[] };
      collect(child, found, depth + 1, childType);
      return found;
    });
    const best = options.find((o) => o.plain.length) ?? options.find((o) => o.html.length);
    if (best) {
      out.plain.push(...best.plain);
      out.html.push(...best.html);
    }
    return;
  }
  if (type.value !== "text/plain" && type.value !== "text/html") return;
  let text = decodeCharset(
    decodeTransfer(part.body, part.headers.get("content-transfer-encoding")),
    type.params.get("charset"),
  );
  if (type.value === "text/html") return void out.html.push(text);
  if (type.params.get("format")?.toLowerCase() === "flowed")
    text = unflow(text, type.params.get("delsp")?.toLowerCase() === "yes");
  out.plain.push(text);
}

/** The bodies between "--boundary" lines, up to the closing "--boundary--". */
function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  const delimiter = "--" + boundary;
  let start = -1;
  for (let at = 0; at <= body.length;) {
    const end = body.indexOf("\n", at);
    const lineEnd = end < 0 ? body.length : end;
    // A delimiter line may have trailing white space; the line break before it belongs to it.
    const rest = body.startsWith(delimiter, at)
      ? trimSpaces(body.slice(at + delimiter.length, lineEnd)).replace(/\r$/, "")
      : null;
    if (rest === "" || rest === "--") {
      if (start >= 0) parts.push(body.slice(start, at).replace(/\r?\n$/, ""));
      if (rest.startsWith("--")) return parts;
      start = lineEnd + 1;
    }
    at = lineEnd + 1;
  }
  if (start >= 0 && start < body.length) parts.push(body.slice(start)); // unterminated: keep the last
  return parts;
}

/** The address of the first mailbox in an address header: inside its angle brackets, or the
 * bare address. Quoted display names and comments are set aside first (in one pass), so
 * brackets and commas inside them count for nothing; encoded-words (RFC 2047) are left encoded,
 * since only display names have them. */
function firstAddress(value: string): string | null {
  let bare = "";
  let quoted = false;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && (quoted || comment)) i++;
    else if (quoted) quoted = c !== '"';
    else if (c === "(") comment++;
    else if (comment) comment -= c === ")" ? 1 : 0;
    else if (c === '"') quoted = true;
    else bare += c;
  }
  bare = bare.replace(/^[^:<@]*:/, ""); // a group's name ("Friends: a@b, c@d;")
  const mailbox = bare.split(",").find((m) => m.trim()) ?? "";
  const lt = mailbox.indexOf("<");
  const gt = mailbox.indexOf(">", lt);
  const address = (lt >= 0 && gt > lt ? mailbox.slice(lt + 1, gt) : mailbox).trim().replace(/;$/, "").trim();
  return address || null;
}

export function parseEmail(raw: ArrayBuffer | Uint8Array): ParsedEmail {
  const message = splitPart(toBinary(raw instanceof Uint8Array ? raw : new Uint8Array(raw)));
  const found = { plain: [] as string[], html: [] as string[] };
  collect(message, found, 0, "text/plain");
  // Raw UTF-8 in headers (RFC 6532) is read as such.
  const header = (name: string) => decodeCharset(message.headers.get(name) ?? "", "utf-8");
  return {
    text: found.plain.length ? found.plain.join("\n") : htmlToText(found.html.join("\n")),
    from: firstAddress(header("from")),
    messageId: header("message-id") || null,
  };
}
