// How many bytes of files an account's chats hold in R2, kept as one D1 row per account
// (storage_usage) so that an upload can be checked against the account's storage quota without
// listing the bucket. Uploads add to it (countStorage), deleting a chat's files takes away from
// it (releaseStorage). docs/storage.md tells the whole story.

/** The bytes the account's files take now. An account without a row yet (its files were sent
 * before usage was counted) gets it computed once from R2, by listing every object under its
 * prefix, and stored. Should two requests do that at once, the first row written stays; an
 * upload stored in that moment may then be counted twice, which errs on the side of refusing. */
export async function storageUsed(db: D1Database, bucket: R2Bucket, accountId: string): Promise<number> {
  const row = await db
    .prepare("SELECT bytes FROM storage_usage WHERE account_id = ?")
    .bind(accountId)
    .first<{ bytes: number }>();
  if (row) return row.bytes;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `${accountId}/`, ...(cursor ? { cursor } : {}) });
    for (const object of page.objects) bytes += object.size;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const stored = await db
    .prepare(
      "INSERT INTO storage_usage (account_id, bytes) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET bytes = bytes RETURNING bytes",
    )
    .bind(accountId, bytes)
    .first<{ bytes: number }>();
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
  const counted = await db
    .prepare(
      `INSERT INTO storage_usage (account_id, bytes) VALUES (?1, ?2)
       ON CONFLICT (account_id) DO UPDATE SET bytes = bytes + ?2 WHERE bytes + ?2 <= ?3 RETURNING bytes`,
    )
    .bind(accountId, bytes, quotaBytes)
    .all();
  return counted.results.length > 0;
}

/** Takes deleted files' bytes off the account's usage (never below zero). For whatever deletes
 * files from R2: a file whose message could not be recorded, retention, erasure. An account
 * with no row yet needs nothing: its usage is computed from R2 when next needed. */
export async function releaseStorage(db: D1Database, accountId: string, bytes: number): Promise<void> {
  if (bytes <= 0) return;
  await db
    .prepare("UPDATE storage_usage SET bytes = max(0, bytes - ?) WHERE account_id = ?")
    .bind(bytes, accountId)
    .run();
}
