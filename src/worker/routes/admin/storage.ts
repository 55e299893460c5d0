// `GET /storage`: how much of the account's file storage quota its chats' files use.
import { Hono } from "hono/tiny";
import { StorageUsage } from "../../../shared/storage-api.ts";
import type { AppEnv } from "../../app-env.ts";
import { readStorageUsage } from "../../files/quota.ts";
import { describe } from "./openapi.ts";

export const storageRoutes = new Hono<AppEnv>().get(
  "/storage",
  describe(
    API_DOCS && {
      id: "getStorage",
      tag: "Settings",
      summary: "File storage used and the quota",
      description:
        "Bytes the files of the account's chats take in R2, and the `storageQuotaBytes` setting. An upload that would take the account past the quota is refused with 507 `storage_quota_exceeded` (docs/storage.md). Read-only: deleting chats (retention, erasure) frees space.",
      ok: { status: 200, description: "The usage and the quota.", schema: StorageUsage },
    },
  ),
  async (c) => c.json(await readStorageUsage(c.env, c.var.principal.accountId)),
);
