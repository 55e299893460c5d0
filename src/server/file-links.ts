// Signed, expiring download links. A link names account, chat and file in its path and carries a
// signature over exactly those (and its expiry), so changing any part of it breaks it: a link to
// one chat's file can never be bent into another chat's. Participants get short-lived links
// (GET /api/chats/{chatId}/files/{fileId}/link); emailed transcripts may mint long-lived ones.
import { signJwt, verifyJwt } from "./jwt.ts";

/** Ids that may appear in a file's path: what our own ids are made of, nothing that could
 * change the path (no "/", "..", "%"). */
export const FILE_PATH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The path a signed link points at; the signature goes in its `sig` query parameter. */
function filePath(ref: FileRef): string {
  return `/api/files/${encodeURIComponent(ref.accountId)}/${encodeURIComponent(ref.chatId)}/${encodeURIComponent(ref.fileId)}`;
}

/** A link to one file that works until `ttlMs` from now, e.g.
 * `signedFileUrl(env, "https://chat.example", ref, 7 * 24 * 3600_000)` for a transcript. `baseUrl`
 * is Parley's own origin (the request's, or the configured public URL). */
export async function signedFileUrl(
  env: Pick<Env, "AUTH_SECRET">,
  baseUrl: string,
  ref: FileRef,
  ttlMs: number,
): Promise<{ url: string; expiresAt: number }> {
  // The signature holds whole seconds; the expiry reported is the one that is enforced.
  const expiresAt = Math.floor((Date.now() + ttlMs) / 1000) * 1000;
  const sig = await signFileLink(ref, env.AUTH_SECRET, expiresAt);
  const url = new URL(filePath(ref), baseUrl);
  url.searchParams.set("sig", sig);
  return { url: url.toString(), expiresAt };
}

// A download link carries a JWT of its own kind (typ "file", its own audience) naming account,
// chat and file, so it opens that one file until it expires and nothing else; verifyToken never
// takes it for a session.

const FILE_LINK_AUDIENCE = "parley:file";

export type FileRef = { accountId: string; chatId: string; fileId: string };

async function signFileLink(ref: FileRef, secret: string | undefined, expiresAtMs: number): Promise<string> {
  return signJwt(
    {
      typ: "file",
      acc: ref.accountId,
      chat: ref.chatId,
      file: ref.fileId,
      aud: FILE_LINK_AUDIENCE,
      exp: Math.floor(expiresAtMs / 1000),
    },
    secret,
  );
}

type FileLinkResult =
  { ok: true; ref: FileRef; expiresAt: number } | { ok: false; reason: "link_invalid" | "link_expired" };

export async function verifyFileLink(token: string, secret: string | undefined): Promise<FileLinkResult> {
  // The signature is checked before the expiry (jwt.ts), so only a genuine link is ever "expired".
  const verified = await verifyJwt(token, secret, FILE_LINK_AUDIENCE);
  if (!verified.ok) return { ok: false, reason: verified.expired ? "link_expired" : "link_invalid" };
  const { typ, acc, chat, file, exp } = verified.payload;
  if (typ !== "file" || typeof acc !== "string" || typeof chat !== "string" || typeof file !== "string")
    return { ok: false, reason: "link_invalid" };
  return { ok: true, ref: { accountId: acc, chatId: chat, fileId: file }, expiresAt: exp * 1000 };
}
