// What a file's first bytes say it is, from a table of our own. The npm package file-type did
// this before and cost 24 KiB gzip of the Worker's 100 KiB budget (issue 14) with strtok3,
// @tokenizer/inflate and debug, for some 190 formats read through an async tokenizer; a support
// chat needs the formats people send there (pictures, documents, office files, archives, audio,
// video, fonts, executables, so those can be told apart from what their names claim) and gets
// them here from the same 4,100-byte head, synchronously. The MIME types and extensions are
// file-type's (22.3), so stored and served types did not change for what both know; where its
// check is a word a text could start with ("BM", "GIF", "FORM", "SQLi") the check here reads a
// few bytes more. Anything else is nobody's format here: `detectType` returns undefined.

/** A format recognised from the content: its MIME type and the extension that goes with it. */
export type Signature = { mime: string; ext: string };

/** The MIME type of each extension the table can return. */
const MIME: Record<string, string> = {
  // Pictures
  jpg: "image/jpeg",
  jls: "image/jls",
  png: "image/png",
  apng: "image/apng",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  ico: "image/x-icon",
  cur: "image/x-icon",
  tif: "image/tiff",
  cr2: "image/x-canon-cr2",
  cr3: "image/x-canon-cr3",
  nef: "image/x-nikon-nef",
  arw: "image/x-sony-arw",
  dng: "image/x-adobe-dng",
  orf: "image/x-olympus-orf",
  rw2: "image/x-panasonic-rw2",
  raf: "image/x-fujifilm-raf",
  heic: "image/heic",
  avif: "image/avif",
  jxl: "image/jxl",
  jxr: "image/vnd.ms-photo",
  jp2: "image/jp2",
  jpx: "image/jpx",
  jpm: "image/jpm",
  mj2: "image/mj2",
  j2c: "image/j2c",
  psd: "image/vnd.adobe.photoshop",
  xcf: "image/x-xcf",
  icns: "image/icns",
  dwg: "image/vnd.dwg",
  // Documents
  pdf: "application/pdf",
  ps: "application/postscript",
  eps: "application/eps",
  rtf: "application/rtf",
  xml: "application/xml",
  ics: "text/calendar",
  vcf: "text/vcard",
  vtt: "text/vtt",
  reg: "application/x-ms-regedit",
  pgp: "application/pgp-encrypted",
  cfb: "application/x-cfb",
  chm: "application/vnd.ms-htmlhelp",
  mobi: "application/x-mobipocket-ebook",
  epub: "application/epub+zip",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  vsdx: "application/vnd.visio",
  "3mf": "model/3mf",
  odt: "application/vnd.oasis.opendocument.text",
  ott: "application/vnd.oasis.opendocument.text-template",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  ots: "application/vnd.oasis.opendocument.spreadsheet-template",
  odp: "application/vnd.oasis.opendocument.presentation",
  otp: "application/vnd.oasis.opendocument.presentation-template",
  odg: "application/vnd.oasis.opendocument.graphics",
  otg: "application/vnd.oasis.opendocument.graphics-template",
  pages: "application/vnd.apple.pages",
  numbers: "application/vnd.apple.numbers",
  key: "application/vnd.apple.keynote",
  sqlite: "application/x-sqlite3",
  // Archives
  zip: "application/zip",
  jar: "application/java-archive",
  apk: "application/vnd.android.package-archive",
  xpi: "application/x-xpinstall",
  tar: "application/x-tar",
  gz: "application/gzip",
  bz2: "application/x-bzip2",
  "7z": "application/x-7z-compressed",
  rar: "application/x-rar-compressed",
  xz: "application/x-xz",
  zst: "application/zstd",
  lz: "application/lzip",
  lz4: "application/x-lz4",
  cab: "application/vnd.ms-cab-compressed",
  deb: "application/x-deb",
  ar: "application/x-unix-archive",
  rpm: "application/x-rpm",
  // Audio and video
  mp3: "audio/mpeg",
  mp2: "audio/mpeg",
  mp1: "audio/mpeg",
  aac: "audio/aac",
  m4a: "audio/x-m4a",
  m4b: "audio/mp4",
  m4p: "video/mp4",
  m4v: "video/x-m4v",
  f4v: "video/mp4",
  f4p: "video/mp4",
  f4a: "audio/mp4",
  f4b: "audio/mp4",
  mp4: "video/mp4",
  mov: "video/quicktime",
  "3gp": "video/3gpp",
  "3g2": "video/3gpp2",
  webm: "video/webm",
  mkv: "video/matroska",
  avi: "video/vnd.avi",
  wav: "audio/wav",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  spx: "audio/ogg",
  opus: "audio/ogg; codecs=opus",
  ogv: "video/ogg",
  ogm: "video/ogg",
  ogx: "application/ogg",
  flac: "audio/flac",
  mid: "audio/midi",
  aif: "audio/aiff",
  amr: "audio/amr",
  flv: "video/x-flv",
  mpg: "video/mpeg",
  // Programs and fonts
  exe: "application/x-msdownload",
  elf: "application/x-elf",
  macho: "application/x-mach-binary",
  class: "application/java-vm",
  wasm: "application/wasm",
  lnk: "application/x-ms-shortcut",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  ttc: "font/collection",
};

/** Every extension `detectType` can return: a name ending in one of these claims a format we
 * recognise, so content we do not recognise may not wear it. */
export const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set(Object.keys(MIME));

const found = (ext: string, mime = MIME[ext]!): Signature => ({ ext, mime });

/** The extension of each MIME type (the first, where two share one). */
const EXTENSION_OF: Record<string, string> = {};
for (const [ext, mime] of Object.entries(MIME)) EXTENSION_OF[mime] ??= ext;

/** Whether `head` holds `magic` (a string of byte values: "\x89PNG") at `offset`. */
function has(head: Uint8Array, magic: string, offset = 0): boolean {
  if (offset + magic.length > head.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[offset + i] !== magic.charCodeAt(i)) return false;
  return true;
}

/** Bytes as a string, one character per byte (for names and brands, which are ASCII). */
const latin1 = (head: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...head.subarray(start, Math.min(end, head.length)));

/** An unsigned integer of `size` bytes (at most 4) at `offset`; 0 past the end of the head. */
function uint(head: Uint8Array, offset: number, size: number, littleEndian: boolean): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + (head[offset + (littleEndian ? size - 1 - i : i)] ?? 0);
  return value;
}

// ---- Formats that need more than fixed bytes -------------------------------------------------

const OFFICE_FOLDERS = [
  ["word/", "docx"],
  ["xl/", "xlsx"],
  ["ppt/", "pptx"],
  ["visio/", "vsdx"],
] as const;

/** ZIP and what is built on it, from the names of the entries whose local headers are in the
 * head (the central directory at the end is out of reach): OOXML by its `word/`, `xl/`, `ppt/`
 * folders, OpenDocument and EPUB by the `mimetype` entry they must store first, Java, Android,
 * Firefox extensions and iWork by a telling entry. The type inside [Content_Types].xml
 * (deflated) is not read, so a macro-enabled or template Office file counts as the plain one. */
function zip(head: Uint8Array): Signature | undefined {
  if (!has(head, "PK\x03\x04")) {
    // An empty or spanned archive.
    return head[0] === 0x50 && head[1] === 0x4b && [3, 5, 7].includes(head[2]!) && [4, 6, 8].includes(head[3]!)
      ? found("zip")
      : undefined;
  }
  let contentTypes = false;
  let office: string | undefined;
  const iwork = { document: false, slides: false, tables: false };
  // When the walk ends: iWork by the entries seen (as file-type: Pages unless there were slides
  // or tables), a ZIP otherwise.
  const other = () => found(iwork.document ? (iwork.slides ? "key" : iwork.tables ? "numbers" : "pages") : "zip");
  for (let at = 0; has(head, "PK\x03\x04", at);) {
    const flags = uint(head, at + 6, 2, true);
    const method = uint(head, at + 8, 2, true);
    const size = uint(head, at + 18, 4, true);
    const nameEnd = at + 30 + uint(head, at + 26, 2, true);
    const dataStart = nameEnd + uint(head, at + 28, 2, true);
    // The head ends inside the archive: [Content_Types].xml may well come later.
    if (at + 30 > head.length || nameEnd > head.length) return office ? found(office) : other();
    const name = latin1(head, at + 30, nameEnd);
    if (name === "mimetype") {
      // Stored, as both require; a deflated one is not read.
      const type =
        method === 0
          ? latin1(head, dataStart, dataStart + size)
              .trim()
              .toLowerCase()
          : "";
      const ext = (type === MIME.epub || type.startsWith("application/vnd.oasis.opendocument.")) && EXTENSION_OF[type];
      return found(ext || "zip");
    }
    if (name === "META-INF/MANIFEST.MF") return found("jar");
    if (name === "META-INF/mozilla.rsa") return found("xpi");
    if (/^classes\d*\.dex$/.test(name)) return found("apk");
    if (name === "[Content_Types].xml") contentTypes = true;
    // Before [Content_Types].xml has been seen, only a part of Office's own (XML) counts: a ZIP
    // of someone's folder called "word" is not a Word file.
    const folder = OFFICE_FOLDERS.find(([prefix]) => name.startsWith(prefix))?.[1];
    if (folder && (contentTypes || /\.(xml|rels)$/.test(name))) office ??= folder;
    if (name.startsWith("3D/") && name.endsWith(".model")) office ??= "3mf";
    iwork.document ||= name === "Index/Document.iwa";
    iwork.slides ||= name.startsWith("Index/MasterSlide");
    iwork.tables ||= name.startsWith("Index/Tables/");
    if (contentTypes && office) return found(office);
    // The next entry: after the data, or, when its size comes after it (flag bit 3), at the next
    // local header signature.
    const sizeKnown = !(flags & 8) || (size !== 0 && size !== 0xffffffff);
    let next = sizeKnown ? dataStart + size : head.indexOf(0x50, dataStart);
    while (!sizeKnown && next >= 0 && !has(head, "PK\x03\x04", next)) next = head.indexOf(0x50, next + 1);
    if (next < 0 || next + 30 > head.length) return office ? found(office) : other();
    at = next;
  }
  // The central directory: the whole archive has been seen, and it is no Office file.
  return other();
}

/** ISO base media files (MP4, QuickTime, HEIF, AVIF, 3GPP) by the major brand of their `ftyp`
 * box; QuickTime files without one by their first box. */
const BRANDS: Record<string, Signature> = {
  avif: found("avif"),
  avis: found("avif"),
  mif1: found("heic", "image/heif"),
  msf1: found("heic", "image/heif-sequence"),
  heic: found("heic"),
  heix: found("heic"),
  hevc: found("heic", "image/heic-sequence"),
  hevx: found("heic", "image/heic-sequence"),
  qt: found("mov"),
  M4V: found("m4v"),
  M4VH: found("m4v"),
  M4VP: found("m4v"),
  M4P: found("m4p"),
  M4B: found("m4b"),
  M4A: found("m4a"),
  F4V: found("f4v"),
  F4P: found("f4p"),
  F4A: found("f4a"),
  F4B: found("f4b"),
  crx: found("cr3"),
};
function isoMedia(head: Uint8Array): Signature | undefined {
  if (["free", "mdat", "moov", "wide"].some((box) => has(head, box, 4))) return found("mov");
  if (!has(head, "ftyp", 4) || !(head[8]! & 0x60)) return undefined;
  const brand = latin1(head, 8, 12).replace("\0", " ").trim();
  return BRANDS[brand] ?? found(brand.startsWith("3g2") ? "3g2" : brand.startsWith("3g") ? "3gp" : "mp4");
}

/** RIFF: WebP, AVI, WAV. */
function riff(head: Uint8Array): Signature | undefined {
  if (!has(head, "RIFF")) return undefined;
  return has(head, "WEBP", 8)
    ? found("webp")
    : has(head, "AVI", 8)
      ? found("avi")
      : has(head, "WAVE", 8)
        ? found("wav")
        : undefined;
}

/** Ogg, by the codec of its first stream. */
const OGG: [string, string][] = [
  ["OpusHead", "opus"],
  ["\x80theora", "ogv"],
  ["\x01video\0", "ogm"],
  ["\x7fFLAC", "oga"],
  ["Speex  ", "spx"],
  ["\x01vorbis", "ogg"],
];
function ogg(head: Uint8Array): Signature | undefined {
  if (!has(head, "OggS")) return undefined;
  return found(OGG.find(([magic]) => has(head, magic, 28))?.[1] ?? "ogx");
}

/** Matroska and WebM, by the DocType element in the EBML header. */
function ebml(head: Uint8Array): Signature | undefined {
  if (!has(head, "\x1a\x45\xdf\xa3")) return undefined;
  // An EBML variable-length integer at `at`: its value (the length marker kept for IDs, dropped
  // for sizes) and where it ends.
  const vint = (at: number, isId: boolean): [number, number] | undefined => {
    const first = head[at];
    if (!first) return undefined;
    const length = Math.clz32(first) - 23;
    let value = isId ? first : first & (0xff >> length);
    for (let i = 1; i < length; i++) value = value * 256 + (head[at + i] ?? 0);
    return [value, at + length];
  };
  const root = vint(4, false);
  if (!root) return undefined;
  let at = root[1];
  const end = Math.min(head.length, at + root[0]);
  while (at < end) {
    const id = vint(at, true);
    const size = id ? vint(id[1], false) : undefined;
    if (!id || !size) return undefined;
    if (id[0] === 0x4282) {
      const docType = latin1(head, size[1], size[1] + Math.min(size[0], 64)).split("\0")[0];
      return docType === "webm" ? found("webm") : docType === "matroska" ? found("mkv") : undefined;
    }
    at = size[1] + size[0];
  }
  return undefined;
}

/** PNG, or APNG when an animation control chunk comes before the image data. */
function png(head: Uint8Array): Signature | undefined {
  if (!has(head, "\x89PNG\r\n\x1a\n")) return undefined;
  if (!has(head, "\0\0\0\x0dIHDR", 8) && !has(head, "CgBI", 12)) return undefined;
  for (let at = 8; at + 8 <= head.length; at += 12 + uint(head, at, 4, false)) {
    if (has(head, "acTL", at + 4)) return found("apng");
    if (has(head, "IDAT", at + 4)) break;
  }
  return found("png");
}

/** TIFF, and the camera raw formats built on it (by a maker's mark or a tag of the first IFD). */
function tiff(head: Uint8Array): Signature | undefined {
  const little = has(head, "II");
  if (!little && !has(head, "MM")) return undefined;
  const version = uint(head, 2, 2, little);
  if (version === 43) return found("tif");
  if (version !== 42) return undefined;
  // The first IFD may lie past the head (many writers put it after the image): still a TIFF.
  const ifd = uint(head, 4, 4, little);
  if (ifd >= 6 && has(head, "CR", 8)) return found("cr2");
  const mark = ifd >= 8 ? `${uint(head, 8, 2, little)},${uint(head, 10, 2, little)}` : "";
  if (mark === "28,254" || mark === "31,11") return found("nef");
  for (let tag = 0; tag < uint(head, ifd, 2, little) && ifd + 14 + tag * 12 <= head.length; tag++) {
    const id = uint(head, ifd + 2 + tag * 12, 2, little);
    if (id === 50341) return found("arw");
    if (id === 50706) return found("dng");
  }
  return found("tif");
}

/** An MP3, MP2 or MP1 frame, or an ADTS (AAC) frame, at the start. */
function mpegAudio(head: Uint8Array): Signature | undefined {
  const [b0, b1 = 0, b2 = 0] = head;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  if ((b1 & 0x16) === 0x10) return found("aac");
  // 0xfffe is a UTF-16 byte order mark as well; then a reserved version, bit rate or sample rate.
  if (b1 === 0xfe || (b1 & 0x18) === 0x08 || (b2 & 0xf0) === 0xf0 || (b2 & 0x0c) === 0x0c) return undefined;
  const layer = (b1 & 0x06) >> 1;
  return layer ? found(["mp3", "mp2", "mp1"][layer - 1]!) : undefined;
}

/** A tar header at the start: the "ustar" magic, or an old header whose checksum adds up. */
function tar(head: Uint8Array): Signature | undefined {
  if (has(head, "ustar", 257) && (head[262] === 0 || head[262] === 0x20)) return found("tar");
  if (head.length < 512 || !has(head, "\0\0\0\0\0\0", 257)) return undefined;
  const stored = parseInt(latin1(head, 148, 154), 8);
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) sum += i < 148 || i >= 156 ? head[i]! : 0;
  return stored === sum ? found("tar") : undefined;
}

// ---- The table -------------------------------------------------------------------------------

/** Fixed bytes: the extension, then pairs of offset and bytes that must all be there. */
type Magic = readonly [ext: string, ...checks: (number | string)[]];
type Rule = Magic | ((head: Uint8Array) => Signature | undefined);

/** Tried in order; the first that matches decides (file-type's order where two could). */
const RULES: readonly Rule[] = [
  (head) =>
    head[0] === 0x42 && head[1] === 0x4d && [12, 40, 52, 56, 64, 108, 124].includes(uint(head, 14, 4, true))
      ? found("bmp")
      : undefined,
  ["exe", 0, "MZ"],
  ["eps", 0, "%!PS-Adobe-", 14, " EPSF-"],
  ["ps", 0, "%!"],
  ["gif", 0, "GIF87a"],
  ["gif", 0, "GIF89a"],
  ["jxr", 0, "II\xbc"],
  ["gz", 0, "\x1f\x8b\x08"],
  ["bz2", 0, "BZh"],
  (head) => {
    // ID3 tags before MPEG audio (or FLAC, AAC): skipped, and what follows decides. A tag longer
    // than the head is taken for MP3.
    if (!has(head, "ID3") || head.length < 10) return undefined;
    const end =
      10 + (((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f));
    return end > head.length ? found("mp3") : detectType(head.subarray(end));
  },
  ["jls", 0, "\xff\xd8\xff\xf7"],
  ["jpg", 0, "\xff\xd8\xff"],
  ["psd", 0, "8BPS"],
  ["aif", 0, "FORM", 8, "AIFF"],
  ["aif", 0, "FORM", 8, "AIFC"],
  ["icns", 0, "icns"],
  zip,
  ogg,
  ["mid", 0, "MThd"],
  ["woff", 0, "wOFF\0\x01\0\0"],
  ["woff", 0, "wOFFOTTO"],
  ["woff2", 0, "wOF2\0\x01\0\0"],
  ["woff2", 0, "wOF2OTTO"],
  ["lz", 0, "LZIP"],
  ["flac", 0, "fLaC"],
  ["pdf", 0, "%PDF"],
  ["wasm", 0, "\0asm"],
  tiff,
  ebml,
  ["sqlite", 0, "SQLite format 3\0"],
  ["cab", 0, "MSCF"],
  ["cab", 0, "ISc("],
  ["rpm", 0, "\xed\xab\xee\xdb"],
  ["eps", 0, "\xc5\xd0\xd3\xc6"],
  ["zst", 0, "\x28\xb5\x2f\xfd"],
  ["elf", 0, "\x7fELF"],
  ["ttc", 0, "ttcf"],
  ["macho", 0, "\xfe\xed\xfa\xce"],
  ["macho", 0, "\xfe\xed\xfa\xcf"],
  ["macho", 0, "\xce\xfa\xed\xfe"],
  ["macho", 0, "\xcf\xfa\xed\xfe"],
  ["lz4", 0, "\x04\x22\x4d\x18"],
  ["otf", 0, "OTTO\0"],
  ["amr", 0, "#!AMR"],
  ["rtf", 0, "{\\rtf"],
  ["flv", 0, "FLV\x01"],
  (head) => {
    // MPEG program stream: MPEG-1 or MPEG-2 by the pack header (file-type's types for these).
    if (!has(head, "\0\0\x01\xba")) return undefined;
    const b4 = head[4] ?? 0;
    return (b4 & 0xf1) === 0x21
      ? found("mpg", "video/MP1S")
      : (b4 & 0xc4) === 0x44
        ? found("mpg", "video/MP2P")
        : undefined;
  },
  ["chm", 0, "ITSF"],
  (head) => {
    // Java classes and Mach-O universal binaries share their magic number.
    if (!has(head, "\xca\xfe\xba\xbe")) return undefined;
    const count = uint(head, 4, 4, false);
    return count > 0 && count <= 30 ? found("macho") : uint(head, 6, 2, false) > 30 ? found("class") : undefined;
  },
  ["xz", 0, "\xfd7zXZ\0"],
  ["xml", 0, "<?xml "],
  ["7z", 0, "7z\xbc\xaf\x27\x1c"],
  ["rar", 0, "Rar!\x1a\x07\0"],
  ["rar", 0, "Rar!\x1a\x07\x01"],
  (head) => {
    const digits = has(head, "AC") ? latin1(head, 2, 6) : "";
    const version = /^\d{4}$/.test(digits) ? Number(digits) : 0;
    return version >= 1000 && version <= 1050 ? found("dwg") : undefined;
  },
  (head) => (has(head, "!<arch>") ? found(has(head, "debian-binary", 8) ? "deb" : "ar") : undefined),
  (head) =>
    has(head, "WEBVTT") && [undefined, 0, 0x0a, 0x0d, 0x09, 0x20].includes(head[6]) ? found("vtt") : undefined,
  png,
  isoMedia,
  ["orf", 0, "IIRO\x08\0\0\0\x18"],
  ["xcf", 0, "gimp xcf "],
  ["reg", 0, "REGEDIT4\r\n"],
  riff,
  ["rw2", 0, "IIU\0\x18\0\0\0\x88\xe7\x74\xd8"],
  ["j2c", 0, "\xff\x4f\xff\x51"],
  (head) => {
    if (!has(head, "\0\0\0\x0cjP  \r\n\x87\n")) return undefined;
    const ext = { "jp2 ": "jp2", "jpx ": "jpx", "jpm ": "jpm", mjp2: "mj2" }[latin1(head, 20, 24)];
    return ext ? found(ext) : undefined;
  },
  ["jxl", 0, "\xff\x0a"],
  ["jxl", 0, "\0\0\0\x0cJXL \r\n\x87\n"],
  ["xml", 0, "\xfe\xff\0<\0?\0x\0m\0l\0 "],
  ["cfb", 0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
  ["vcf", 0, "BEGIN:VCARD"],
  ["ics", 0, "BEGIN:VCALENDAR"],
  ["raf", 0, "FUJIFILMCCD-RAW"],
  ["mobi", 60, "BOOKMOBI"],
  ["lnk", 0, "L\0\0\0\x01\x14\x02\0\0\0\0\0\xc0\0\0\0\0\0\0\x46"],
  tar,
  ["xml", 0, "\xff\xfe<\0?\0x\0m\0l\0 \0"],
  ["reg", 0, "\xff\xfe" + [..."Windows Registry Editor Version 5.00\r\n"].join("\0") + "\0"],
  ["pgp", 0, "-----BEGIN PGP MESSAGE-----"],
  // Last, as in file-type: two or four bytes that other content can start with as well.
  ["mpg", 0, "\0\0\x01\xba"],
  ["mpg", 0, "\0\0\x01\xb3"],
  ["ttf", 0, "\0\x01\0\0\0"],
  ["ico", 0, "\0\0\x01\0"],
  ["cur", 0, "\0\0\x02\0"],
  mpegAudio,
];

function matches(head: Uint8Array, [, ...checks]: Magic): boolean {
  for (let i = 0; i < checks.length; i += 2) if (!has(head, checks[i + 1] as string, checks[i] as number)) return false;
  return true;
}

/** The format of a file whose first bytes (up to SNIFF_BYTES, or all of it) are `head`, when it is
 * one the table knows. */
export function detectType(head: Uint8Array): Signature | undefined {
  // A UTF-8 byte order mark before text formats (XML, vCard).
  if (has(head, "\xef\xbb\xbf")) return detectType(head.subarray(3));
  for (const rule of RULES) {
    const type = typeof rule === "function" ? rule(head) : matches(head, rule) ? found(rule[0]) : undefined;
    if (type) return type;
  }
  return undefined;
}
