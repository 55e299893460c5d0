// The starts of real files, one or more per format the signature table knows
// (src/worker/files/signatures.ts), built the way the programs that write them lay them out:
// headers with their real fields, ZIP archives with real local headers (CRC, sizes, a data
// descriptor where a streaming writer puts one), boxes, chunks and EBML elements with their sizes.
// Each comes with the MIME type and extension file-type 22.3 gave it, which the table keeps, but
// for the few marked "file-type:" where the table decides otherwise on purpose.

/** Bytes from strings (one byte per character: "\x89PNG"), single bytes and byte arrays. */
export function bytes(...parts: (string | number | Uint8Array | readonly number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === "number") out.push(part);
    else if (typeof part === "string") for (const char of part) out.push(char.charCodeAt(0));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}
const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const be16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const be32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const utf16le = (text: string) => bytes(...[...text].flatMap((c) => le16(c.charCodeAt(0))));

function crc32(data: Uint8Array): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

type Entry = { name: string; data?: string; deflate?: boolean; descriptor?: boolean };

/** A ZIP archive as a writer lays it out: local header, data (deflated as one stored deflate
 * block, or kept as is), a data descriptor when the writer streams, then the central directory. */
export function zip(entries: Entry[], { central = true } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  for (const { name, data = "", deflate = false, descriptor = false } of entries) {
    const raw = bytes(data);
    const body = deflate ? bytes(0x01, le16(raw.length), le16(~raw.length & 0xffff), raw) : raw;
    const crc = crc32(raw);
    const flags = descriptor ? 0x0808 : 0x0800;
    const method = deflate ? 8 : 0;
    const sizes = [...le32(crc), ...le32(body.length), ...le32(raw.length)];
    const local = bytes(
      "PK\x03\x04",
      le16(20),
      le16(flags),
      le16(method),
      le16(0x6000),
      le16(0x5a21),
      descriptor ? new Array(12).fill(0) : sizes,
      le16(name.length),
      le16(0),
      name,
      body,
      descriptor ? bytes("PK\x07\x08", sizes) : [],
    );
    directory.push(
      bytes("PK\x01\x02", le16(20), le16(20), le16(flags), le16(method), le16(0x6000), le16(0x5a21), sizes),
      bytes(le16(name.length), le16(0), le16(0), le16(0), le16(0), le32(0), le32(offset), name),
    );
    parts.push(local);
    offset += local.length;
  }
  if (central) {
    const size = directory.reduce((sum, part) => sum + part.length, 0);
    parts.push(...directory, bytes("PK\x05\x06", le16(0), le16(0), le16(entries.length), le16(entries.length)));
    parts.push(bytes(le32(size), le32(offset), le16(0)));
  }
  return bytes(...parts);
}

const OOXML = "application/vnd.openxmlformats-officedocument.";
const ODF = "application/vnd.oasis.opendocument.";
/** [Content_Types].xml as Office writes it, naming the main part's type. */
const contentTypes = (part: string, type: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${part}" ContentType="${OOXML}${type}.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`;
/** An Office file as Word, Excel and PowerPoint write it: [Content_Types].xml first. */
const office = (main: string, type: string) =>
  zip([
    { name: "[Content_Types].xml", data: contentTypes(main, type), deflate: true },
    { name: "_rels/.rels", data: RELS, deflate: true },
    { name: main, data: "<?xml version='1.0'?><document/>", deflate: true },
  ]);
/** OpenDocument and EPUB: a stored `mimetype` entry first. */
const packaged = (type: string, main: string) =>
  zip([
    { name: "mimetype", data: type },
    { name: "META-INF/manifest.xml", data: "<manifest/>", deflate: true },
    { name: main, deflate: true },
  ]);

/** A PNG chunk (the CRC is not checked by anyone here, but is a CRC). */
const chunk = (type: string, data: Uint8Array | number[] = []) =>
  bytes(be32(data.length), type, data, be32(crc32(bytes(type, data))));
const IHDR = chunk("IHDR", [...be32(1), ...be32(1), 8, 6, 0, 0, 0]);
/** An ISO BMFF file: an ftyp box with its major brand, then the start of an mdat. */
const ftyp = (brand: string, compatible: string) =>
  bytes(be32(24), "ftyp", brand, be32(0), compatible, "isom", be32(16), "mdat", new Array(8).fill(0));
/** An EBML header with its DocType, then the start of a Segment. */
const ebml = (docType: string) => {
  const body = bytes(
    [0x42, 0x86, 0x81, 1], // EBMLVersion 1
    [0x42, 0xf7, 0x81, 1], // EBMLReadVersion 1
    [0x42, 0xf2, 0x81, 4], // EBMLMaxIDLength 4
    [0x42, 0xf3, 0x81, 8], // EBMLMaxSizeLength 8
    [0x42, 0x82, 0x80 | docType.length],
    docType,
    [0x42, 0x87, 0x81, 4], // DocTypeVersion 4
    [0x42, 0x85, 0x81, 2], // DocTypeReadVersion 2
  );
  return bytes("\x1a\x45\xdf\xa3", 0x80 | body.length, body, "\x18\x53\x80\x67", 0x01, new Array(7).fill(0xff));
};
const riff = (form: string, first: Uint8Array) => bytes("RIFF", le32(4 + first.length), form, first);
/** An Ogg page holding the first packet of a stream. */
const ogg = (packet: string) =>
  bytes("OggS", 0, 0x02, new Array(8).fill(0), le32(0x1234), le32(0), le32(0), 1, packet.length, packet);
/** A TIFF with one IFD right after the header holding the given tags (id, type SHORT, one value). */
function tiff(littleEndian: boolean, tags: number[], prefix: number[] = []) {
  const u16 = littleEndian ? le16 : be16;
  const u32 = littleEndian ? le32 : be32;
  const ifd = 8 + prefix.length;
  const entries = tags.flatMap((tag) => [...u16(tag), ...u16(3), ...u32(1), ...u16(1), 0, 0]);
  return bytes(littleEndian ? "II" : "MM", u16(42), u32(ifd), prefix, u16(tags.length), entries, u32(0));
}
/** A POSIX tar header for one file, with its checksum. */
function tarHeader(magic: "ustar\x0000" | "") {
  const header = new Uint8Array(512);
  const put = (at: number, text: string) => header.set(bytes(text), at);
  put(0, "notes/readme.txt");
  put(100, "0000644\0");
  put(108, "0001750\0");
  put(116, "0001750\0");
  put(124, "00000000014\0");
  put(136, "14614154272\0");
  put(148, "        ");
  put(156, "0");
  if (magic) (put(257, magic), put(265, "vera"), put(297, "vera"));
  const sum = header.reduce((a, b) => a + b, 0);
  put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
  return bytes(header, "Hello, tar.\n", new Array(500).fill(0));
}
const mp3Frame = [0xff, 0xfb, 0x90, 0x64, ...new Array(60).fill(0)];
const id3 = (after: number[] | Uint8Array, declared?: number) => {
  const frame = bytes("TIT2", be32(6), 0, 0, 3, "Song\0");
  const size = declared ?? frame.length;
  const syncsafe = [(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f];
  return bytes("ID3", 4, 0, 0, syncsafe, frame, after);
};

export type Sample = { what: string; bytes: Uint8Array; ext: string; mime: string };

export const SAMPLES: Sample[] = [
  // Pictures
  {
    what: "PNG (1x1)",
    ext: "png",
    mime: "image/png",
    bytes: Uint8Array.from(
      atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
      (c) => c.charCodeAt(0),
    ),
  },
  {
    what: "APNG",
    ext: "apng",
    mime: "image/apng",
    bytes: bytes("\x89PNG\r\n\x1a\n", IHDR, chunk("acTL", [...be32(2), ...be32(0)]), chunk("IDAT", [0x78, 0x9c])),
  },
  {
    what: "JPEG (JFIF)",
    ext: "jpg",
    mime: "image/jpeg",
    bytes: bytes(0xff, 0xd8, 0xff, 0xe0, be16(16), "JFIF\0", 1, 1, 0, be16(72), be16(72), 0, 0, 0xff, 0xdb),
  },
  {
    what: "JPEG (Exif)",
    ext: "jpg",
    mime: "image/jpeg",
    bytes: bytes(0xff, 0xd8, 0xff, 0xe1, be16(100), "Exif\0\0MM\0*"),
  },
  {
    what: "GIF89a",
    ext: "gif",
    mime: "image/gif",
    bytes: bytes("GIF89a", le16(1), le16(1), 0x80, 0, 0, 0, 0, 0, 0xff),
  },
  { what: "GIF87a", ext: "gif", mime: "image/gif", bytes: bytes("GIF87a", le16(10), le16(10), 0, 0, 0, ",") },
  { what: "WebP", ext: "webp", mime: "image/webp", bytes: riff("WEBP", bytes("VP8L", le32(10), 0x2f, 0, 0, 0, 0)) },
  {
    what: "BMP",
    ext: "bmp",
    mime: "image/bmp",
    bytes: bytes("BM", le32(58), le32(0), le32(54), le32(40), le32(1), le32(1), le16(1), le16(24), le32(0), le32(4)),
  },
  {
    what: "ICO",
    ext: "ico",
    mime: "image/x-icon",
    bytes: bytes(le16(0), le16(1), le16(1), 16, 16, 0, 0, le16(1), le16(32), le32(1128), le32(22), "\x89PNG"),
  },
  { what: "TIFF, little-endian", ext: "tif", mime: "image/tiff", bytes: tiff(true, [256, 257, 258]) },
  { what: "TIFF, big-endian", ext: "tif", mime: "image/tiff", bytes: tiff(false, [256, 257]) },
  { what: "DNG", ext: "dng", mime: "image/x-adobe-dng", bytes: tiff(true, [254, 256, 50706]) },
  {
    what: "Canon CR2",
    ext: "cr2",
    mime: "image/x-canon-cr2",
    bytes: tiff(true, [256], [0x43, 0x52, 2, 0, 0, 0, 0, 0]),
  },
  { what: "HEIC", ext: "heic", mime: "image/heic", bytes: ftyp("heic", "mif1") },
  { what: "HEIF", ext: "heic", mime: "image/heif", bytes: ftyp("mif1", "heic") },
  { what: "AVIF", ext: "avif", mime: "image/avif", bytes: ftyp("avif", "mif1") },
  {
    what: "Photoshop",
    ext: "psd",
    mime: "image/vnd.adobe.photoshop",
    bytes: bytes("8BPS", be16(1), new Array(6).fill(0), be16(3), be32(1), be32(1), be16(8), be16(3)),
  },
  {
    what: "JPEG XL (container)",
    ext: "jxl",
    mime: "image/jxl",
    bytes: bytes(be32(12), "JXL \r\n\x87\n", be32(20), "ftyp", "jxl ", be32(0), "jxl "),
  },
  {
    what: "JPEG 2000",
    ext: "jp2",
    mime: "image/jp2",
    bytes: bytes(be32(12), "jP  \r\n\x87\n", be32(20), "ftyp", "jp2 ", be32(0), "jp2 "),
  },
  { what: "AutoCAD drawing", ext: "dwg", mime: "image/vnd.dwg", bytes: bytes("AC1032", 0, 0, 0, 0, 0, 0x3b, 0x0e) },
  // Documents
  { what: "PDF", ext: "pdf", mime: "application/pdf", bytes: bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n") },
  { what: "PostScript", ext: "ps", mime: "application/postscript", bytes: bytes("%!PS-Adobe-3.0\n%%Creator: dvips\n") },
  {
    what: "EPS",
    ext: "eps",
    mime: "application/eps",
    bytes: bytes("%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"),
  },
  {
    what: "RTF",
    ext: "rtf",
    mime: "application/rtf",
    bytes: bytes("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}}Hi}"),
  },
  {
    what: "XML",
    ext: "xml",
    mime: "application/xml",
    bytes: bytes('<?xml version="1.0" encoding="UTF-8"?>\n<order/>'),
  },
  {
    what: "XML after a UTF-8 byte order mark",
    ext: "xml",
    mime: "application/xml",
    bytes: bytes("\xef\xbb\xbf<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>"),
  },
  {
    what: "XML in UTF-16",
    ext: "xml",
    mime: "application/xml",
    bytes: bytes(0xff, 0xfe, utf16le('<?xml version="1.0" encoding="UTF-16"?><a/>')),
  },
  {
    what: "iCalendar",
    ext: "ics",
    mime: "text/calendar",
    bytes: bytes("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parley//EN\r\nEND:VCALENDAR\r\n"),
  },
  {
    what: "vCard",
    ext: "vcf",
    mime: "text/vcard",
    bytes: bytes("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Vera\r\nEND:VCARD\r\n"),
  },
  {
    what: "Word .doc (compound file)",
    ext: "cfb",
    mime: "application/x-cfb",
    bytes: bytes("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", new Array(16).fill(0), le16(0x3e), le16(3), le16(0xfffe)),
  },
  {
    what: "Word",
    ext: "docx",
    mime: `${OOXML}wordprocessingml.document`,
    bytes: office("word/document.xml", "wordprocessingml.document"),
  },
  {
    what: "Excel",
    ext: "xlsx",
    mime: `${OOXML}spreadsheetml.sheet`,
    bytes: office("xl/workbook.xml", "spreadsheetml.sheet"),
  },
  {
    what: "PowerPoint",
    ext: "pptx",
    mime: `${OOXML}presentationml.presentation`,
    bytes: office("ppt/presentation.xml", "presentationml.presentation"),
  },
  {
    // file-type: docm (from the type [Content_Types].xml declares, which the table does not inflate).
    what: "Word, macro-enabled",
    ext: "docx",
    mime: `${OOXML}wordprocessingml.document`,
    bytes: zip([
      {
        name: "[Content_Types].xml",
        data: contentTypes("word/document.xml", "x").replace(
          `${OOXML}x.main+xml`,
          "application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
        deflate: true,
      },
      { name: "_rels/.rels", data: RELS, deflate: true },
      { name: "word/document.xml", data: "<document/>", deflate: true },
      { name: "word/vbaProject.bin", data: "\xd0\xcf\x11\xe0" },
    ]),
  },
  {
    what: "Word, [Content_Types].xml last (LibreOffice)",
    ext: "docx",
    mime: `${OOXML}wordprocessingml.document`,
    bytes: zip([
      { name: "_rels/.rels", data: RELS, deflate: true },
      { name: "docProps/app.xml", data: "<Properties/>", deflate: true },
      { name: "word/document.xml", data: "<document/>", deflate: true },
      {
        name: "[Content_Types].xml",
        data: contentTypes("word/document.xml", "wordprocessingml.document"),
        deflate: true,
      },
    ]),
  },
  {
    what: "Excel, written streaming (data descriptors)",
    ext: "xlsx",
    mime: `${OOXML}spreadsheetml.sheet`,
    bytes: zip(
      [
        {
          name: "[Content_Types].xml",
          data: contentTypes("xl/workbook.xml", "spreadsheetml.sheet"),
          deflate: true,
          descriptor: true,
        },
        { name: "_rels/.rels", data: RELS, deflate: true, descriptor: true },
        { name: "xl/workbook.xml", data: "<workbook/>", deflate: true, descriptor: true },
      ],
      { central: false },
    ),
  },
  {
    what: "Word, the head ending before [Content_Types].xml",
    ext: "docx",
    mime: `${OOXML}wordprocessingml.document`,
    bytes: zip([
      { name: "word/document.xml", data: "<w:p>Hallo</w:p>".repeat(300), deflate: true },
      {
        name: "[Content_Types].xml",
        data: contentTypes("word/document.xml", "wordprocessingml.document"),
        deflate: true,
      },
    ]).subarray(0, 4100),
  },
  { what: "OpenDocument text", ext: "odt", mime: `${ODF}text`, bytes: packaged(`${ODF}text`, "content.xml") },
  {
    what: "OpenDocument spreadsheet",
    ext: "ods",
    mime: `${ODF}spreadsheet`,
    bytes: packaged(`${ODF}spreadsheet`, "content.xml"),
  },
  {
    what: "OpenDocument presentation",
    ext: "odp",
    mime: `${ODF}presentation`,
    bytes: packaged(`${ODF}presentation`, "content.xml"),
  },
  {
    what: "EPUB",
    ext: "epub",
    mime: "application/epub+zip",
    bytes: packaged("application/epub+zip", "OEBPS/content.opf"),
  },
  {
    what: "Java archive",
    ext: "jar",
    mime: "application/java-archive",
    bytes: zip([
      { name: "META-INF/", data: "" },
      { name: "META-INF/MANIFEST.MF", data: "Manifest-Version: 1.0\r\n\r\n", deflate: true },
    ]),
  },
  {
    what: "Android package",
    ext: "apk",
    mime: "application/vnd.android.package-archive",
    bytes: zip([
      { name: "AndroidManifest.xml", data: "\x03\x00\x08\x00", deflate: true },
      { name: "classes.dex", data: "dex\n035\0" },
    ]),
  },
  {
    what: "Pages",
    ext: "pages",
    mime: "application/vnd.apple.pages",
    bytes: zip([
      { name: "Index/Document.iwa", data: "\x00\x9a\x02\x08\x01" },
      { name: "Index/ViewState.iwa", data: "\x00\x10\x00" },
      { name: "Metadata/Properties.plist", data: "bplist00" },
    ]),
  },
  {
    what: "Numbers",
    ext: "numbers",
    mime: "application/vnd.apple.numbers",
    bytes: zip([
      { name: "Index/Document.iwa", data: "\x00\x9a\x02\x08\x01" },
      { name: "Index/Tables/DataList.iwa", data: "\x00\x10\x00" },
    ]),
  },
  {
    what: "Keynote",
    ext: "key",
    mime: "application/vnd.apple.keynote",
    bytes: zip([
      { name: "Index/Document.iwa", data: "\x00\x9a\x02\x08\x01" },
      { name: "Index/MasterSlide-1234.iwa", data: "\x00\x10\x00" },
    ]),
  },
  {
    what: "ZIP holding a slide of a Keynote file, but not the file",
    ext: "zip",
    mime: "application/zip",
    bytes: zip([{ name: "Index/MasterSlide-1234.iwa", data: "\x00\x10\x00" }]),
  },
  {
    what: "SQLite",
    ext: "sqlite",
    mime: "application/x-sqlite3",
    bytes: bytes("SQLite format 3\0", be16(4096), 1, 1, 0, 64, 32, 32),
  },
  // Archives
  {
    what: "ZIP",
    ext: "zip",
    mime: "application/zip",
    bytes: zip([
      { name: "photos/", data: "" },
      { name: "photos/readme.txt", data: "Two photos of the damaged chair.\n", deflate: true },
    ]),
  },
  {
    what: "ZIP whose folder is called word/, without [Content_Types].xml",
    ext: "zip",
    mime: "application/zip",
    bytes: zip([{ name: "word/notes.txt", data: "not an Office file" }]),
  },
  {
    what: "ZIP of a folder called word/ holding XML, without [Content_Types].xml",
    ext: "zip",
    mime: "application/zip",
    bytes: zip([{ name: "word/export.xml", data: "<?xml version='1.0'?><orders/>", deflate: true }]),
  },
  {
    // file-type: docx (it guesses from the folder's name when the head ends).
    what: "ZIP of a folder called word/, the head ending inside it",
    ext: "zip",
    mime: "application/zip",
    bytes: zip([
      { name: "word/letter to Vera.txt", data: "Dear Vera, ".repeat(400) },
      { name: "word/notes.txt", data: "more" },
    ]).subarray(0, 4100),
  },
  { what: "empty ZIP", ext: "zip", mime: "application/zip", bytes: bytes("PK\x05\x06", new Array(18).fill(0)) },
  { what: "tar (POSIX)", ext: "tar", mime: "application/x-tar", bytes: tarHeader("ustar\x0000") },
  { what: "tar (old, checksum only)", ext: "tar", mime: "application/x-tar", bytes: tarHeader("") },
  {
    what: "gzip",
    ext: "gz",
    mime: "application/gzip",
    bytes: bytes(0x1f, 0x8b, 0x08, 0x08, le32(0x65000000), 0, 3, "order.txt\0", 0x01, le16(2), le16(0xfffd), "hi"),
  },
  { what: "bzip2", ext: "bz2", mime: "application/x-bzip2", bytes: bytes("BZh91AY&SY", be32(0x12345678), 0, 0) },
  {
    what: "7-Zip",
    ext: "7z",
    mime: "application/x-7z-compressed",
    bytes: bytes("7z\xbc\xaf\x27\x1c", 0, 4, le32(0), le32(0x20), le32(0), le32(0), le32(0)),
  },
  {
    what: "RAR 5",
    ext: "rar",
    mime: "application/x-rar-compressed",
    bytes: bytes("Rar!\x1a\x07\x01\x00", le32(0x33), 0x0b, 1),
  },
  {
    what: "RAR 4",
    ext: "rar",
    mime: "application/x-rar-compressed",
    bytes: bytes("Rar!\x1a\x07\x00", 0xcf, 0x90, 0x73),
  },
  { what: "xz", ext: "xz", mime: "application/x-xz", bytes: bytes("\xfd7zXZ\0", 0, 4, le32(0xe6d6b446)) },
  {
    what: "Zstandard",
    ext: "zst",
    mime: "application/zstd",
    bytes: bytes(0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x05, 0x29, 0),
  },
  // Audio and video
  { what: "MP3 with an ID3 tag", ext: "mp3", mime: "audio/mpeg", bytes: id3(mp3Frame) },
  { what: "MP3 whose ID3 tag is longer than the head", ext: "mp3", mime: "audio/mpeg", bytes: id3([0, 0, 0], 100_000) },
  { what: "MP3 without a tag", ext: "mp3", mime: "audio/mpeg", bytes: bytes(mp3Frame) },
  { what: "AAC (ADTS)", ext: "aac", mime: "audio/aac", bytes: bytes(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc) },
  {
    what: "FLAC",
    ext: "flac",
    mime: "audio/flac",
    bytes: bytes("fLaC", 0x80, 0, 0, 34, be16(4096), be16(4096), new Array(30).fill(0)),
  },
  { what: "FLAC with an ID3 tag", ext: "flac", mime: "audio/flac", bytes: id3(bytes("fLaC", 0x80, 0, 0, 34)) },
  { what: "MP4", ext: "mp4", mime: "video/mp4", bytes: ftyp("isom", "avc1") },
  { what: "M4A", ext: "m4a", mime: "audio/x-m4a", bytes: ftyp("M4A ", "mp42") },
  { what: "QuickTime (ftyp)", ext: "mov", mime: "video/quicktime", bytes: ftyp("qt  ", "qt  ") },
  {
    what: "QuickTime (no ftyp)",
    ext: "mov",
    mime: "video/quicktime",
    bytes: bytes(be32(8), "wide", be32(1000), "mdat", new Array(16).fill(0)),
  },
  { what: "3GPP", ext: "3gp", mime: "video/3gpp", bytes: ftyp("3gp5", "3gp5") },
  { what: "WebM", ext: "webm", mime: "video/webm", bytes: ebml("webm") },
  { what: "Matroska", ext: "mkv", mime: "video/matroska", bytes: ebml("matroska") },
  {
    what: "AVI",
    ext: "avi",
    mime: "video/vnd.avi",
    bytes: riff("AVI ", bytes("LIST", le32(192), "hdrl", "avih", le32(56))),
  },
  {
    what: "WAV",
    ext: "wav",
    mime: "audio/wav",
    bytes: riff("WAVE", bytes("fmt ", le32(16), le16(1), le16(1), le32(8000), le32(16000), le16(2), le16(16))),
  },
  {
    what: "Ogg Vorbis",
    ext: "ogg",
    mime: "audio/ogg",
    bytes: ogg("\x01vorbis\0\0\0\0\x01\x44\xac\0\0\0\0\0\0\x80\xbb\0\0\0\0\0\0\xb8\x01"),
  },
  {
    what: "Opus",
    ext: "opus",
    mime: "audio/ogg; codecs=opus",
    bytes: ogg("OpusHead\x01\x02\x38\x01\x80\xbb\0\0\0\0\0"),
  },
  { what: "MIDI", ext: "mid", mime: "audio/midi", bytes: bytes("MThd", be32(6), be16(1), be16(2), be16(480), "MTrk") },
  {
    what: "AIFF",
    ext: "aif",
    mime: "audio/aiff",
    bytes: bytes("FORM", be32(46), "AIFF", "COMM", be32(18), be16(1), be32(0), be16(16)),
  },
  // Programs and fonts
  {
    what: "Windows program",
    ext: "exe",
    mime: "application/x-msdownload",
    bytes: bytes("MZ", 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, new Array(46).fill(0), le32(0x80)),
  },
  {
    what: "ELF",
    ext: "elf",
    mime: "application/x-elf",
    bytes: bytes("\x7fELF", 2, 1, 1, 0, new Array(8).fill(0), le16(3), le16(0x3e), le32(1)),
  },
  {
    what: "Mach-O, 64-bit",
    ext: "macho",
    mime: "application/x-mach-binary",
    bytes: bytes(0xcf, 0xfa, 0xed, 0xfe, le32(0x01000007), le32(3), le32(2)),
  },
  {
    what: "Mach-O, universal",
    ext: "macho",
    mime: "application/x-mach-binary",
    bytes: bytes(0xca, 0xfe, 0xba, 0xbe, be32(2), be32(0x01000007), be32(3)),
  },
  {
    what: "Java class",
    ext: "class",
    mime: "application/java-vm",
    bytes: bytes(0xca, 0xfe, 0xba, 0xbe, be16(0), be16(65), be16(29), 0x0a, be16(2)),
  },
  { what: "WOFF", ext: "woff", mime: "font/woff", bytes: bytes("wOFF", be32(0x10000), be32(2000), be16(12), be16(0)) },
  {
    what: "WOFF2",
    ext: "woff2",
    mime: "font/woff2",
    bytes: bytes("wOF2", be32(0x10000), be32(2000), be16(12), be16(0)),
  },
  {
    what: "TrueType",
    ext: "ttf",
    mime: "font/ttf",
    bytes: bytes(be32(0x10000), be16(15), be16(128), be16(3), be16(112), "DSIG"),
  },
  {
    what: "OpenType (CFF)",
    ext: "otf",
    mime: "font/otf",
    bytes: bytes("OTTO", be16(11), be16(128), be16(3), be16(48)),
  },
];

/** Content no format claims; each must come back undefined. The first few start with the word
 * file-type took for a magic number, which the table reads further. */
export const NOT_A_FORMAT: { what: string; bytes: Uint8Array }[] = [
  { what: "plain text", bytes: bytes("Order 1234: two chairs, one table.\nDanke sch\xc3\xb6n!\n") },
  { what: "text starting with BM", bytes: bytes("BMW 320d, invoice 2024-118, please check the total\n") },
  { what: "text starting with GIF", bytes: bytes("GIF export fails with error 12 on the settings page\n") },
  { what: "text starting with FORM", bytes: bytes("FORMULAR 7: Antrag auf R\xc3\xbcckerstattung\n") },
  { what: "text starting with SQLi", bytes: bytes("SQLite says the database is locked.\n") },
  { what: "a Markdown file", bytes: bytes("# Notes\n\n- one\n- two\n") },
  {
    what: "random bytes",
    bytes: (() => {
      // xorshift32 from a fixed seed: the same bytes every run.
      let x = 0x9e3779b9;
      return Uint8Array.from({ length: 4100 }, () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x & 0xff));
    })(),
  },
  { what: "an empty file", bytes: new Uint8Array() },
  { what: "half a PNG signature", bytes: bytes("\x89PNG") },
  { what: "a RIFF form nobody here knows", bytes: riff("QLCM", bytes("fmt ", le32(0))) },
  { what: "an EBML file of another kind", bytes: ebml("mka-ish") },
  { what: "UTF-16 text", bytes: bytes(0xff, 0xfe, utf16le("Hello, this is UTF-16 text.")) },
];
