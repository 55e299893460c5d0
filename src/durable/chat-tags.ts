// A chat's tags, as its ChatRoom holds them: one row per tag in the room's storage (who put it on
// and when), mirrored into D1's chat_tags for the History list and search filters. The room owns
// the list; D1 follows it. A tag deleted from the account goes from D1 by its foreign key's
// cascade, and from a room the next time that room reads its tags for an operator
// (`forgetDeletedTags`), so no room keeps or shows a tag that is gone.
import type { Participant } from "../shared/protocol.ts";

export const CHAT_TAGS_SCHEMA = `
CREATE TABLE IF NOT EXISTS tags (tag_id TEXT PRIMARY KEY, added_by TEXT NOT NULL, added_at INTEGER NOT NULL);`;

/** The chat's tag ids, in the order they were put on. */
export function readTagIds(storage: SqlStorage): string[] {
  return storage
    .exec<{ tag_id: string }>("SELECT tag_id FROM tags ORDER BY rowid")
    .toArray()
    .map((row) => row.tag_id);
}

/** Makes `tagIds` the chat's tags: those it keeps keep their place and who added them. */
export function writeTagIds(storage: SqlStorage, tagIds: readonly string[], by: Participant, at: number): void {
  const wanted = JSON.stringify(tagIds);
  storage.exec("DELETE FROM tags WHERE tag_id NOT IN (SELECT value FROM json_each(?))", wanted);
  for (const id of tagIds)
    storage.exec("INSERT OR IGNORE INTO tags (tag_id, added_by, added_at) VALUES (?, ?, ?)", id, by.id, at);
}

/** D1's copy of a chat's tags, replaced in one batch. Only tags of the chat's account that still
 * exist are written: one deleted since the Worker checked it is skipped, not a failed batch. */
export async function mirrorChatTags(db: D1Database, chatId: string, accountId: string, tagIds: readonly string[]) {
  await db.batch([
    db.prepare("DELETE FROM chat_tags WHERE chat_id = ?").bind(chatId),
    db
      .prepare(
        "INSERT INTO chat_tags (chat_id, tag_id) SELECT ?1, id FROM tags WHERE account_id = ?2 AND id IN (SELECT value FROM json_each(?3))",
      )
      .bind(chatId, accountId, JSON.stringify(tagIds)),
  ]);
}

/** Drops from the room the tags the account has deleted since they were put on (D1 lost them by
 * its cascade). Returns whether any went. */
export async function forgetDeletedTags(storage: SqlStorage, db: D1Database): Promise<boolean> {
  const held = readTagIds(storage);
  if (!held.length) return false;
  const { results } = await db
    .prepare("SELECT id FROM tags WHERE id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(held))
    .all<{ id: string }>();
  const existing = new Set(results.map((row) => row.id));
  const gone = held.filter((id) => !existing.has(id));
  // Only these: a tag put on while D1 was being asked is not among them.
  if (gone.length)
    storage.exec("DELETE FROM tags WHERE tag_id IN (SELECT value FROM json_each(?))", JSON.stringify(gone));
  return gone.length > 0;
}
