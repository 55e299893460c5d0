// The account's storage quota at upload time: a file that would take the account past it is
// refused (507) from its Content-Length alone, before a byte of its body is read.
import { formatFileSize, formatStorageSize } from "../../shared/files.ts";
import type { StorageUsage } from "../../shared/storage-api.ts";
import { readSettings } from "../../server/db/settings.ts";
import { ProblemError } from "../../server/problems.ts";
import { storageUsed } from "../../server/storage-usage.ts";

export function storageFull(usedBytes: number, quotaBytes: number, fileBytes: number): ProblemError {
  const left = Math.max(0, quotaBytes - usedBytes);
  return new ProblemError(
    507,
    "storage_quota_exceeded",
    `The account's file storage is too full for this file (${formatFileSize(fileBytes)}): ${formatStorageSize(left)} left of the ${formatStorageSize(quotaBytes)} quota. An admin can raise the quota in Settings.`,
  );
}

/** Refuses (507) a file of `fileBytes` that would not fit in what is left of the quota now. */
export async function requireStorageRoom(
  env: Env,
  accountId: string,
  quotaBytes: number,
  fileBytes: number,
): Promise<void> {
  const used = await storageUsed(env.DB, env.FILES, accountId);
  if (used + fileBytes > quotaBytes) throw storageFull(used, quotaBytes, fileBytes);
}

/** The account's usage and quota, for the console and the admin API. */
export async function readStorageUsage(env: Env, accountId: string): Promise<StorageUsage> {
  const [settings, usedBytes] = await Promise.all([
    readSettings(env.DB, accountId),
    storageUsed(env.DB, env.FILES, accountId),
  ]);
  if (!settings) throw new ProblemError(404, "not_found", "The account no longer exists.");
  return { usedBytes, quotaBytes: settings.storageQuotaBytes };
}
