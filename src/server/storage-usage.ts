// How many bytes of files an account's chats hold in R2, kept as one D1 row per account
// (storage_usage) so that an upload can be checked against the account's storage quota without
// listing the bucket. Uploads add to it (countStorage), deleting a chat's files takes away from
// it (releaseStorage). docs/storage.md tells the whole story.
import { eq, sql } from "drizzle-orm";
import { database } from "./db/index.ts";
import { storageUsage } from "./db/schema.ts";

/** The bytes the account's files take now. An account without a row yet (its files were sent
 * before usage was counted) gets it computed once from R2, by listing every object under its
 * prefix, and stored. Should two requests do that at once, the first row written stays; an
 * upload stored in that moment may then be counted twice, which errs on the side of refusing. */
export async function storageUsed(db: D1Database, bucket: R2Bucket, accountId: string): Promise<number> {
  const row = await database(db)
    .select({ bytes: storageUsage.bytes })
    .from(storageUsage)
    .where(eq(storageUsage.accountId, accountId))
    .get();
  if (row) return row.bytes;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `${accountId}/`, ...(cursor ? { cursor } : {}) });
    for (const object of page.objects) bytes += object.size;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const stored = await database(db)
    .insert(storageUsage)
    .values({ accountId, bytes })
    .onConflictDoUpdate({ target: storageUsage.accountId, set: { bytes: sql`${storageUsage.bytes}` } })
    .returning({ bytes: storageUsage.bytes })
    .get();
  return stored?.bytes ?? bytes;
}

/** Adds a stored file's bytes to the account's usage, only if the total stays within `quotaBytes`,
 * in one statement: of two uploads that both passed the check before their bodies were read,
 * only as many are counted as fit, and the caller deletes (and refuses) the one that was not.
 * True when it was counted. */
export async function countStorage(
  db: D1Database,
  accountId: string,
  bytes: number,
  quotaBytes: number,
): Promise<boolean> {
  if (bytes > quotaBytes) return false;
  const counted = await database(db)
    .insert(storageUsage)
    .values({ accountId, bytes })
    .onConflictDoUpdate({
      target: storageUsage.accountId,
      set: { bytes: sql`${storageUsage.bytes} + ${bytes}` },
      setWhere: sql`${storageUsage.bytes} + ${bytes} <= ${quotaBytes}`,
    })
    .returning({ bytes: storageUsage.bytes })
    .all();
  return counted.length > 0;
}

/** Takes deleted files' bytes off the account's usage (never below zero). For whatever deletes
 * files from R2: a file whose message could not be recorded, retention, erasure. An account
 * with no row yet needs nothing: its usage is computed from R2 when next needed. */
export async function releaseStorage(db: D1Database, accountId: string, bytes: number): Promise<void> {
  if (bytes <= 0) return;
  await database(db)
    .update(storageUsage)
    .set({ bytes: sql`max(0, ${storageUsage.bytes} - ${bytes})` })
    .where(eq(storageUsage.accountId, accountId));
}
