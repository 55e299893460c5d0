// The signature table (src/worker/files/signatures.ts) on the starts of real files of every format
// it knows (test/file-samples.ts) and on content it must not claim.
import { describe, expect, it } from "vitest";
import { SNIFF_BYTES } from "../src/worker/files/content-type.ts";
import { detectType, KNOWN_EXTENSIONS } from "../src/worker/files/signatures.ts";
import { bytes, NOT_A_FORMAT, SAMPLES } from "./file-samples.ts";

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
