// Signed, expiring download links. A link names account, chat and file in its path and carries a
// signature over exactly those (and its expiry), so changing any part of it breaks it: a link to
// one chat's file can never be bent into another chat's. Participants get short-lived links
// (GET /api/chats/{chatId}/files/{fileId}/link); emailed transcripts may mint long-lived ones.
import { signFileLink, type FileRef } from "../auth/tokens.ts";

/** Ids that may appear in a file's path: what our own ids are made of, nothing that could
 * change the path (no "/", "..", "%"). */
export const FILE_PATH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The path a signed link points at; the signature goes in its `sig` query parameter. */
export function filePath(ref: FileRef): string {
  return `/api/files/${encodeURIComponent(ref.accountId)}/${encodeURIComponent(ref.chatId)}/${encodeURIComponent(ref.fileId)}`;
}

/** A link to one file that works until `ttlMs` from now, e.g.
 * `signedFileUrl(env, "https://chat.example", ref, 7 * 24 * 3600_000)` for a transcript. `baseUrl`
 * is Parley's own origin (the request's, or the configured public URL). */
export async function signedFileUrl(env: Pick<Env, "AUTH_SECRET">, baseUrl: string, ref: FileRef, ttlMs: number): Promise<{ url: string; expiresAt: number }> {
  // The signature holds whole seconds; the expiry reported is the one that is enforced.
  const expiresAt = Math.floor((Date.now() + ttlMs) / 1000) * 1000;
  const sig = await signFileLink(ref, env.AUTH_SECRET, expiresAt);
  const url = new URL(filePath(ref), baseUrl);
  url.searchParams.set("sig", sig);
  return { url: url.toString(), expiresAt };
}
