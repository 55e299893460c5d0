// Files in chats: upload into R2 by a participant, a signed link on request, and the
// download that link opens. Who may: the chat's own visitor and the operators in the chat send;
// whoever may read the chat's history (its visitor, its account's operators and API keys) may
// ask for a link; the link itself, until it expires, opens that one file for whoever holds it.
import { Hono } from "hono/tiny";
import { ulid } from "ulid";
import type { FileRefusal } from "../../durable/chat-room.ts";
import { formatFileSize } from "../../shared/files.ts";
import {
  FILE_LINK_TTL_MS,
  FileUploadQuery,
  type FileLinkResponse,
  type FileUploadResponse,
  type Participant,
} from "../../shared/protocol.ts";
import { requirePrincipal } from "../auth/guards.ts";
import { type Principal } from "../auth/principal.ts";
import { FILE_PATH_ID, signedFileUrl, verifyFileLink, type FileRef } from "../../server/file-links.ts";
import { readSettings } from "../../server/db/settings.ts";
import { admitFile, sniffType } from "../files/content-type.ts";
import { fileResponse } from "../files/download.ts";
import { byteRange } from "../files/byte-range.ts";
import { sanitizeFileName } from "../files/names.ts";
import { fileKey, readHead, storeUpload } from "../files/store.ts";
import { requireStorageRoom, storageFull } from "../files/quota.ts";
import { countStorage, releaseStorage, storageUsed } from "../../server/storage-usage.ts";
import { ProblemError, problemResponse } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";
import { requireAllowedOrigin } from "../origin-policy.ts";
import { requireWithinRateLimit } from "../rate-limit.ts";
import { findChatFor } from "../chat-access.ts";

function refusal(code: FileRefusal): ProblemError {
  switch (code) {
    case "forbidden":
      return new ProblemError(
        403,
        "forbidden",
        "Only the chat's visitor and the operators in the chat may send files to it.",
      );
    case "chat_closed":
      return new ProblemError(409, "chat_closed", "This chat has ended.");
    case "conflict":
      return new ProblemError(409, "conflict", "This cid already names another message of yours.");
    case "not_found":
      return new ProblemError(404, "not_found", "There is no such chat.");
  }
}

/** The declared body size. Required: the size limit is checked before a byte is read, and R2
 * needs the length up front to take the bytes as a stream. */
function declaredLength(request: Request): number {
  const header = request.headers.get("Content-Length");
  if (header === null || !request.body)
    throw new ProblemError(411, "length_required", "Send the file as the raw body with a Content-Length header.");
  if (!/^\d{1,16}$/.test(header))
    throw new ProblemError(400, "upload_incomplete", "The Content-Length header is not a number of bytes.");
  const length = Number(header);
  if (length === 0) throw new ProblemError(422, "file_empty", "The file is empty.");
  return length;
}

function sender(principal: Principal): Participant {
  if (principal.kind === "visitor") return { kind: "visitor", id: principal.visitorId, name: principal.name };
  if (principal.kind === "operator") return { kind: "operator", id: principal.operatorId, name: principal.name };
  throw new ProblemError(403, "forbidden", "Only the chat's visitor and operators may send files.");
}

export const fileRoutes = new Hono<AppEnv>()
  .post("/:chatId/files", requirePrincipal("operator", "visitor"), validate("query", FileUploadQuery), async (c) => {
    const principal = c.var.principal;
    const who = sender(principal);
    const { name: claimedName, cid } = c.req.valid("query");
    const { chat, room } = await findChatFor(c.env, principal, c.req.param("chatId"));
    const settings = await readSettings(c.env.DB, chat.accountId);
    if (!settings) throw new ProblemError(404, "not_found", "There is no such account.");
    // The widget uploads from the customer's site, like its socket: that site must be allowed.
    if (principal.kind === "visitor") {
      requireAllowedOrigin(settings, c.req.raw);
      // Files cost storage: one address may send only so many a minute (src/worker/rate-limit.ts).
      await requireWithinRateLimit(c.env.VISITOR_LIMITER, c.req.raw, `upload|${chat.accountId}`);
    }

    // Everything that can be refused without the bytes is refused before reading them.
    const length = declaredLength(c.req.raw);
    if (length > settings.fileSizeLimitBytes) {
      throw new ProblemError(
        413,
        "too_large",
        `Files may be at most ${formatFileSize(settings.fileSizeLimitBytes)}; this one is ${formatFileSize(length)}.`,
      );
    }
    const prepared = await room.prepareFile(who, cid);
    if (!prepared.ok) throw refusal(prepared.code);
    if (prepared.existing) {
      // A retry of an upload already stored: the same message again, and the bytes are not kept.
      await c.req.raw.body?.cancel();
      return c.json({ message: prepared.existing } satisfies FileUploadResponse, 200);
    }
    await requireStorageRoom(c.env, chat.accountId, settings.storageQuotaBytes, length);

    const reader = c.req.raw.body!.getReader();
    const ref: FileRef = { accountId: chat.accountId, chatId: chat.id, fileId: `f_${ulid()}` };
    const key = fileKey(ref);
    let name: string;
    let type: string;
    try {
      const head = await readHead(reader, length);
      const sniffed = await sniffType(head.bytes, head.complete);
      name = admitFile(sanitizeFileName(claimedName), sniffed, settings.allowedFileTypes);
      type = sniffed.mime;
      await storeUpload(c.env.FILES, reader, {
        key,
        head,
        declaredLength: length,
        sniffed,
        name,
        uploadedBy: `${who.kind}:${who.id}`,
      });
    } catch (error) {
      await reader.cancel().catch(() => {});
      throw error;
    }

    // The bytes are stored; now they count. Two uploads may both have passed the check above
    // while the account had room for one: this adds the size only if it still fits, atomically
    // in D1, so the one that does not fit is deleted and refused here.
    if (!(await countStorage(c.env.DB, chat.accountId, length, settings.storageQuotaBytes))) {
      await c.env.FILES.delete(key);
      throw storageFull(await storageUsed(c.env.DB, c.env.FILES, chat.accountId), settings.storageQuotaBytes, length);
    }
    // Now the message. Should that fail, the bytes go too, and stop counting.
    const forget = () => Promise.all([c.env.FILES.delete(key), releaseStorage(c.env.DB, chat.accountId, length)]);
    let recorded;
    try {
      recorded = await room.recordFile(who, cid, { id: ref.fileId, name, size: length, type });
    } catch (error) {
      await forget();
      throw error;
    }
    if (!recorded.ok || !recorded.created) await forget();
    if (!recorded.ok) throw refusal(recorded.code);
    return c.json({ message: recorded.message } satisfies FileUploadResponse, recorded.created ? 201 : 200);
  })
  .get("/:chatId/files/:fileId/link", requirePrincipal("operator", "visitor", "apiKey"), async (c) => {
    const { chat } = await findChatFor(c.env, c.var.principal, c.req.param("chatId"));
    const fileId = c.req.param("fileId");
    const ref: FileRef = { accountId: chat.accountId, chatId: chat.id, fileId };
    if (!FILE_PATH_ID.test(fileId) || !(await c.env.FILES.head(fileKey(ref))))
      throw new ProblemError(404, "not_found", "This chat has no such file.");
    const link: FileLinkResponse = await signedFileUrl(c.env, new URL(c.req.url).origin, ref, FILE_LINK_TTL_MS);
    return c.json(link);
  });

/** `GET /api/files/{accountId}/{chatId}/{fileId}?sig=…`: no token, the signature is the permission. */
export const downloadRoutes = new Hono<AppEnv>().get("/:accountId/:chatId/:fileId", async (c) => {
  const sig = c.req.query("sig");
  if (!sig) return problemResponse(403, "link_invalid", "This link is not signed.");
  const verified = await verifyFileLink(sig, c.env.AUTH_SECRET);
  if (!verified.ok) {
    return verified.reason === "link_expired"
      ? problemResponse(
          410,
          "link_expired",
          "This link has expired. Open the file from the chat again for a fresh link.",
        )
      : problemResponse(403, "link_invalid", "This link is not valid.");
  }
  // The signature covers account, chat and file: a path that names anything else is refused.
  const { ref } = verified;
  const path = { accountId: c.req.param("accountId"), chatId: c.req.param("chatId"), fileId: c.req.param("fileId") };
  if (path.accountId !== ref.accountId || path.chatId !== ref.chatId || path.fileId !== ref.fileId) {
    return problemResponse(403, "link_invalid", "This link is not valid.");
  }
  const key = fileKey(ref);
  const rangeHeader = c.req.header("Range");
  // A range needs the size first (to answer 416 past the end); whole downloads go in one call.
  const head = rangeHeader ? await c.env.FILES.head(key) : null;
  const range = head ? byteRange(rangeHeader, head.size) : null;
  if (range === "unsatisfiable") {
    const refused = problemResponse(416, "range_not_satisfiable", "The file is shorter than that range.");
    refused.headers.set("Content-Range", `bytes */${head!.size}`);
    return refused;
  }
  // A browser revalidating its copy: R2 answers without a body when the copy is current (304).
  // Only these two: a failed If-Match would come back the same way and is not a 304.
  const onlyIf = new Headers();
  for (const name of ["If-None-Match", "If-Modified-Since"]) {
    const value = c.req.header(name);
    if (value) onlyIf.set(name, value);
  }
  const object = await c.env.FILES.get(key, { onlyIf, ...(range ? { range } : {}) });
  if (!object) return problemResponse(404, "not_found", "This file no longer exists.");
  return fileResponse(object, verified.expiresAt);
});
