// Signed links to the files shown in the console, asked for once and reused until shortly before
// they expire, so a history redraw does not ask again for every file in it.
import type { FileLinkResponse } from "../../shared/protocol.ts";
import { api } from "./api.ts";

/** A link this close to its expiry is replaced rather than handed out. */
const RENEW_BEFORE_MS = 60_000;

const links = new Map<string, { link: Promise<FileLinkResponse>; expiresAt: number }>();

export function fileLink(chatId: string, fileId: string): Promise<FileLinkResponse> {
  const key = `${chatId}/${fileId}`;
  const held = links.get(key);
  if (held && held.expiresAt - Date.now() > RENEW_BEFORE_MS) return held.link;
  const entry = { link: api.fileLink(chatId, fileId), expiresAt: Number.POSITIVE_INFINITY };
  links.set(key, entry);
  entry.link.then(
    (link) => (entry.expiresAt = link.expiresAt),
    () => links.delete(key),
  );
  return entry.link;
}

/** Whether a link handed out earlier still works for a click now. */
export function linkStillGood(link: FileLinkResponse | undefined): link is FileLinkResponse {
  return !!link && link.expiresAt - Date.now() > RENEW_BEFORE_MS / 2;
}
