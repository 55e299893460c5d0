// Streams an upload's body into R2 without holding it in memory: the first few KB are read to
// decide the file's type, then those bytes and the rest flow through a checking stream into a
// FixedLengthStream (R2 needs to know the length up front) and on into the bucket. Whatever goes
// wrong on the way (too many bytes, too few, text that stops being UTF-8, the sender going away)
// errors the stream, and the object is deleted, so a failed upload leaves nothing behind.
import { ProblemError } from "../../server/problems.ts";
import type { FileRef } from "../../server/file-links.ts";
import { SNIFF_BYTES, type SniffedType } from "./content-type.ts";

/** Where a file's bytes live: scoped to account and chat, so one chat's key never names another's. */
export function fileKey(ref: FileRef): string {
  return `${ref.accountId}/${ref.chatId}/${ref.fileId}`;
}

type UploadHead = { bytes: Uint8Array; complete: boolean };

/** Reads up to SNIFF_BYTES (or the whole body, if shorter) from the reader. */
export async function readHead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  declaredLength: number,
): Promise<UploadHead> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const wanted = Math.min(SNIFF_BYTES, declaredLength);
  while (size < wanted) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, complete: size >= declaredLength };
}

/** Plain text must stay valid UTF-8 without NULs to its last byte, not only in the sample. */
function textChecker(): { check(chunk: Uint8Array): void; finish(): void } {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const refuse = () =>
    new ProblemError(
      415,
      "file_type_not_allowed",
      "The file looked like plain text but is not: it has bytes that are not UTF-8 text.",
    );
  return {
    check(chunk) {
      if (chunk.includes(0)) throw refuse();
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        throw refuse();
      }
    },
    finish() {
      try {
        decoder.decode();
      } catch {
        throw refuse();
      }
    },
  };
}

/** The head, then the rest of the body, each chunk counted (and checked, for text). It errors if
 * the body turns out longer or shorter than declared. */
function checkedBody(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  head: UploadHead,
  declaredLength: number,
  sniffed: SniffedType,
): ReadableStream<Uint8Array> {
  const text = sniffed.checkText ? textChecker() : null;
  let seen = head.bytes.byteLength;
  if (seen > declaredLength)
    throw new ProblemError(
      400,
      "upload_incomplete",
      `The body is longer than its Content-Length of ${declaredLength} bytes.`,
    );
  text?.check(head.bytes);
  let sentHead = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        if (head.bytes.byteLength) return controller.enqueue(head.bytes);
      }
      const { done, value } = await reader.read();
      if (done) {
        if (seen !== declaredLength)
          throw new ProblemError(
            400,
            "upload_incomplete",
            `The upload ended after ${seen} of ${declaredLength} bytes.`,
          );
        text?.finish();
        return controller.close();
      }
      seen += value.byteLength;
      if (seen > declaredLength)
        throw new ProblemError(
          400,
          "upload_incomplete",
          `The body is longer than its Content-Length of ${declaredLength} bytes.`,
        );
      text?.check(value);
      controller.enqueue(value);
    },
    async cancel(reason) {
      await reader.cancel(reason);
    },
  });
}

type StoreOptions = {
  key: string;
  head: UploadHead;
  declaredLength: number;
  sniffed: SniffedType;
  name: string;
  uploadedBy: string;
};

/** Streams the upload into R2 under `key`. On any failure the object is deleted and a problem is
 * thrown: the stream's own (400, 415) when it refused, else 400 upload_incomplete. */
export async function storeUpload(
  bucket: R2Bucket,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  options: StoreOptions,
): Promise<void> {
  const { key, head, declaredLength, sniffed } = options;
  const fixed = new FixedLengthStream(declaredLength);
  const body = checkedBody(reader, head, declaredLength, sniffed);
  const piping = body.pipeTo(fixed.writable);
  const putting = bucket.put(key, fixed.readable, {
    httpMetadata: { contentType: sniffed.mime },
    customMetadata: { name: options.name, uploadedBy: options.uploadedBy },
  });
  const [piped, put] = await Promise.allSettled([piping, putting]);
  if (piped.status === "fulfilled" && put.status === "fulfilled") return;
  await bucket.delete(key);
  await reader.cancel().catch(() => {});
  const reason = piped.status === "rejected" ? piped.reason : (put as PromiseRejectedResult).reason;
  if (reason instanceof ProblemError) throw reason;
  throw new ProblemError(
    400,
    "upload_incomplete",
    "The upload did not arrive whole; nothing was stored. Please try again.",
  );
}
