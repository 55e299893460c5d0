// The signature table (src/worker/files/signatures.ts) on the starts of real files of every format
// it knows (test/file-samples.ts) and on content it must not claim, then the upload rules built on
// it (content-type.ts): which names content may wear, known to the table or not.
import { describe, expect, it } from "vitest";
import { admitFile, SNIFF_BYTES, sniffType } from "../src/worker/files/content-type.ts";
import { detectType, KNOWN_EXTENSIONS } from "../src/worker/files/signatures.ts";
import { bytes, NOT_A_FORMAT, SAMPLES, type Sample } from "./file-samples.ts";

const sample = (what: string): Sample => SAMPLES.find((s) => s.what === what)!;
/** An account's allowed types for these tests: everything they send but unknown binaries. */
const ALLOWED = [
  "image/*",
  "text/*",
  "application/pdf",
  "application/gzip",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/** What admitFile does with the name: the name it keeps, or the code it refuses with. */
async function admit(name: string, content: Uint8Array, allowed = ALLOWED): Promise<string> {
  const sniffed = await sniffType(content, true);
  try {
    return admitFile(name, sniffed, allowed);
  } catch (error) {
    return `refused: ${(error as { code: string }).code}`;
  }
}

describe("the signature table", () => {
  it.each(SAMPLES.map((s) => [s.what, s] as const))("knows %s", (_, { bytes, ext, mime }) => {
    expect(detectType(bytes)).toEqual({ ext, mime });
    expect(KNOWN_EXTENSIONS.has(ext)).toBe(true);
  });

  it("decides the same from the first SNIFF_BYTES of a longer file", () => {
    const tail = new Uint8Array(8000).fill(0x5a);
    for (const { what, bytes: start, ext } of SAMPLES) {
      const head = bytes(start, tail).subarray(0, Math.max(SNIFF_BYTES, start.length));
      expect(detectType(head)?.ext, what).toBe(ext);
    }
  });

  it.each(NOT_A_FORMAT.map((s) => [s.what, s.bytes] as const))("claims nothing for %s", (_, content) => {
    expect(detectType(content)).toBeUndefined();
  });

  it("knows the formats people send in a support chat, and no format twice under two names", () => {
    for (const ext of ["png", "jpg", "heic", "pdf", "docx", "xlsx", "pptx", "odt", "zip", "mp4", "mp3", "exe"])
      expect(KNOWN_EXTENSIONS.has(ext), ext).toBe(true);
    // Other names of a format are SAME_FORMAT's business (content-type.ts), not the table's.
    for (const alias of ["jpeg", "tiff", "midi", "htm"]) expect(KNOWN_EXTENSIONS.has(alias), alias).toBe(false);
  });
});

describe("names and content, with the table", () => {
  const PNG = sample("PNG (1x1)").bytes;
  const TEXT = bytes("Order 1234: two chairs, one table.\n");

  it("accepts a known format under its own extensions and gives it one when the name has none", async () => {
    expect(await admit("photo.png", PNG)).toBe("photo.png");
    expect(await admit("photo.JPEG", sample("JPEG (JFIF)").bytes)).toBe("photo.JPEG");
    expect(await admit("scan", sample("PDF").bytes)).toBe("scan.pdf");
    expect(await admit("backup.tar.gz", sample("gzip").bytes)).toBe("backup.tar.gz");
    expect(await admit("backup.tgz", sample("gzip").bytes)).toBe("backup.tgz");
    expect(await admit("Angebot.xlsx", sample("Excel").bytes)).toBe("Angebot.xlsx");
  });

  it("accepts a macro-enabled Office file under its own extension, though the table calls it docx", async () => {
    const docm = sample("Word, macro-enabled").bytes;
    expect((await sniffType(docm, true)).ext).toBe("docx");
    expect(await admit("Bericht.docm", docm)).toBe("Bericht.docm");
  });

  it("lets an old Office file keep its .doc name, sent only where the account allows compound files", async () => {
    const doc = sample("Word .doc (compound file)").bytes;
    expect(await admit("Angebot.doc", doc)).toBe("refused: file_type_not_allowed");
    expect(await admit("Angebot.doc", doc, [...ALLOWED, "application/x-cfb"])).toBe("Angebot.doc");
    expect(await admit("Angebot.pdf", doc, [...ALLOWED, "application/x-cfb"])).toBe("refused: file_type_mismatch");
  });

  it("refuses a known format under another format's extension", async () => {
    expect(await admit("contract.pdf", PNG)).toBe("refused: file_type_mismatch");
    expect(await admit("cute-cat.png", sample("Windows program").bytes)).toBe("refused: file_type_mismatch");
    expect(await admit("report.docx", sample("ZIP").bytes)).toBe("refused: file_type_mismatch");
  });

  it("lets text wear no extension the table knows, but its own text formats' and unknown ones", async () => {
    for (const name of ["setup.exe", "photo.png", "report.docx", "clip.mp4", "font.woff2"])
      expect(await admit(name, TEXT), name).toBe("refused: file_type_mismatch");
    for (const name of ["notes.txt", "notes.md", "data.csv", "drawing.svg", "invite.ics", "notes"])
      expect(await admit(name, TEXT), name).toBe(name);
  });

  it("stores what nobody recognises as application/octet-stream, if the account allows it", async () => {
    const unknown = NOT_A_FORMAT.find((s) => s.what === "random bytes")!.bytes;
    expect(await sniffType(unknown, true)).toEqual({ mime: "application/octet-stream", ext: null, checkText: false });
    expect(await admit("data.bin", unknown)).toBe("refused: file_type_not_allowed");
    expect(await admit("data.bin", unknown, ["application/octet-stream"])).toBe("data.bin");
    // Not under the name of a format the table would have recognised.
    expect(await admit("data.zip", unknown, ["application/octet-stream"])).toBe("refused: file_type_mismatch");
  });

  it("treats text it recognises as its format, and other text as plain text to be checked to the end", async () => {
    expect(await sniffType(sample("iCalendar").bytes, false)).toEqual({
      mime: "text/calendar",
      ext: "ics",
      checkText: false,
    });
    expect(await sniffType(TEXT, false)).toEqual({ mime: "text/plain", ext: null, checkText: true });
    expect(await sniffType(TEXT, true)).toEqual({ mime: "text/plain", ext: null, checkText: false });
  });
});
