// The Settings page's fields about keeping data: the file storage quota, with what the account's
// files take now, and how long ended chats are kept (docs/storage.md, docs/privacy.md). Part of
// the page's form: values go into its draft and are saved with the rest.
import { createEffect, createSignal, on, Show, type Accessor } from "solid-js";
import { formatStorageSize } from "../../../shared/files.ts";
import type { ApiError } from "../api.ts";
import type { StorageUsage } from "../../../shared/storage-api.ts";
import { admin, type Settings } from "./admin-client.ts";
import { errorsFor, Field } from "./forms.tsx";

const GB = 1024 ** 3;
/** The days offered when retention is switched on; the API takes 30 to 3650. */
const FIRST_RETENTION_DAYS = 365;

export function DataSettings(props: {
  draft: Settings;
  /** The settings as stored: the usage is read again whenever they are (re)loaded or saved. */
  stored: Accessor<Settings | undefined>;
  edit: <K extends keyof Settings>(key: K, value: Settings[K]) => void;
  problem: ApiError | null;
}) {
  // A signal, not a resource: a resource would suspend (and blank) the whole page while it loads.
  const [usage, setUsage] = createSignal<StorageUsage | "failed">();
  createEffect(
    on(props.stored, (stored) => {
      if (stored) void admin.storage().then(setUsage, () => setUsage("failed"));
    }),
  );
  const usageText = () => {
    const got = usage();
    if (!got) return "Reading the space used…";
    if (got === "failed") return "The space used could not be read.";
    return `${formatStorageSize(got.usedBytes)} of ${formatStorageSize(got.quotaBytes)} used`;
  };
  const retention = () => props.draft.retentionDays;
  return (
    <>
      <Field
        label="File storage quota (GB)"
        hint="The most space the files sent in this account's chats may take. A file that would pass it is not sent."
        class="cp-number"
        errors={errorsFor(props.problem, "storageQuotaBytes")}
      >
        <input
          type="number"
          min="0"
          step="any"
          data-testid="cp-settings-storageQuota"
          value={Math.round((props.draft.storageQuotaBytes / GB) * 1000) / 1000}
          onChange={(e) => props.edit("storageQuotaBytes", Math.round(e.currentTarget.valueAsNumber * GB))}
        />
      </Field>
      <p class="hint" data-testid="cp-settings-storageUsed">
        {usageText()}
      </p>
      <Field
        label="Delete chats after they end"
        hint="Off: chats are kept. Deleting applies to chats that ended earlier too."
        errors={errorsFor(props.problem, "retentionDays")}
      >
        <span class="cp-retention">
          <select
            data-testid="cp-settings-retention"
            value={retention() === null ? "off" : "on"}
            onChange={(e) => props.edit("retentionDays", e.currentTarget.value === "off" ? null : FIRST_RETENTION_DAYS)}
          >
            <option value="off">Off</option>
            <option value="on">After a number of days</option>
          </select>
          <Show when={retention() !== null}>
            <input
              type="number"
              inputMode="numeric"
              aria-label="Days after a chat ends"
              data-testid="cp-settings-retentionDays"
              value={retention() || ""}
              // Emptied while typing: 0, which the API refuses with its message, rather than off.
              onInput={(e) => props.edit("retentionDays", Number(e.currentTarget.value))}
            />
            <span>days (30 to 3650)</span>
          </Show>
        </span>
      </Field>
    </>
  );
}
