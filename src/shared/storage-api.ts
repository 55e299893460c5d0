// How much of its file storage quota an account uses: `GET /api/admin/v1/storage` for admins and
// API keys, `GET /api/operator/storage` for the console, which tells an operator before an upload
// starts that the file would not fit (docs/storage.md).
import * as v from "valibot";
import { named } from "./protocol.ts";

// For the OpenAPI document only: marked pure, so the Worker drops it.
export const StorageUsage = /* @__PURE__ */ named(
  "StorageUsage",
  /* @__PURE__ */ v.object({
    /** Bytes the files of the account's chats take in all. */
    usedBytes: /* @__PURE__ */ v.number(),
    /** The `storageQuotaBytes` setting: uploads that would pass it are refused (507). */
    quotaBytes: /* @__PURE__ */ v.number(),
  }),
);
export type StorageUsage = v.InferOutput<typeof StorageUsage>;
