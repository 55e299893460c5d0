// `Range: bytes=…` on file downloads (RFC 9110 §14), so a media player can seek and a broken
// download can resume. One range only: several in one request, or another unit, are answered with
// the whole file, as the RFC allows a server that does not do them.

/** What R2's get() takes, or "unsatisfiable" for a range that starts past the file's end. */
export type ByteRange = { offset: number; length: number } | "unsatisfiable";

const SINGLE = /^bytes=(\d*)-(\d*)$/;

/** The range a `Range` header asks of a file of `size` bytes; null: send the whole file. */
export function byteRange(header: string | undefined, size: number): ByteRange | null {
  const match = header ? SINGLE.exec(header.trim()) : null;
  if (!match) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "") {
    // The last N bytes.
    if (last === "") return null;
    const suffix = Math.min(Number(last), size);
    return suffix === 0 ? "unsatisfiable" : { offset: size - suffix, length: suffix };
  }
  const offset = Number(first);
  if (last !== "" && Number(last) < offset) return null;
  if (offset >= size) return "unsatisfiable";
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return { offset, length: end - offset + 1 };
}
