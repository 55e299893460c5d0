// A chat's personal data leaving the room, for good (erasure, retention) or as a copy (export):
// docs/privacy.md. The room keeps the chat's truth (messages, rating, files' metadata); its files
// are in R2 under "<account>/<chat>/", and the D1 index, search rows, report facts and webhook
// log hold copies, all keyed by the chat's id.
import type { ChatMessage, ChatRating } from "../shared/protocol.ts";
import { readSettings } from "../server/db/settings.ts";

const DAY_MS = 86_400_000;

/** What an erasure took away, for the receipt. */
export type ErasedChat = { chatId: string; messages: number; files: number; bytes: number };
/** A chat as its visitor may have it: every message but operators' notes, and the rating. */
export type ChatExport = { messages: ChatMessage[]; rating: ChatRating | null };

export const RETENTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS retention (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), due_at INTEGER NOT NULL);`;

/** Deletes every file of the chat from R2, a page of keys at a time; answers what it deleted. */
export async function deleteChatFiles(
  bucket: R2Bucket,
  accountId: string,
  chatId: string,
): Promise<{ files: number; bytes: number }> {
  const prefix = `${accountId}/${chatId}/`;
  let files = 0;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
    if (page.objects.length) await bucket.delete(page.objects.map((object) => object.key));
    files += page.objects.length;
    bytes += page.objects.reduce((sum, object) => sum + object.size, 0);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { files, bytes };
}

/** Takes the chat out of every D1 table at once: its index row, and by cascade its search rows,
 * operators, tags and report facts (the day's aggregates stay, anonymous); its webhook deliveries
 * (their bodies hold its messages); and its files' bytes from the account's storage use. */
export async function eraseChatRows(db: D1Database, accountId: string, chatId: string, bytes: number) {
  await db.batch([
    db.prepare("DELETE FROM chats WHERE id = ? AND account_id = ?").bind(chatId, accountId),
    db.prepare("DELETE FROM webhook_deliveries WHERE chat_id = ? AND account_id = ?").bind(chatId, accountId),
    db.prepare("UPDATE storage_usage SET bytes = max(0, bytes - ?) WHERE account_id = ?").bind(bytes, accountId),
  ]);
}

/** When a chat that closed at `closedAt` is due for deletion under the account's retention now,
 * or null when the account keeps chats. Read each time: the setting may have changed. */
export async function retentionDueAt(db: D1Database, accountId: string, closedAt: number): Promise<number | null> {
  const days = (await readSettings(db, accountId))?.retentionDays ?? null;
  return days === null ? null : closedAt + days * DAY_MS;
}
