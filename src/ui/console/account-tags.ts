// The account's tags, as the console knows them: loaded once per signed-in account on first use,
// and again whenever the tag picker opens or a chat names a tag the list does not have (an admin
// added it since). Chats hold tag ids; their names come from here, so a renamed tag reads anew
// after the next load, and an id the account no longer has is simply not shown.
import { createSignal } from "solid-js";
import type { Tag } from "../../shared/tags.ts";
import { api } from "./api.ts";
import { session } from "./session.ts";

const [loaded, setLoaded] = createSignal<{ accountId: string; tags: readonly Tag[] } | null>(null);
let loading: Promise<void> | null = null;
/** The account a load was last started for: a failed first load is not retried at every read. */
let triedFor: string | null = null;

/** Fetches the list again; one fetch at a time. A failure keeps the list there was. */
export function reloadAccountTags(): Promise<void> {
  const accountId = session()?.operator.accountId;
  if (!accountId) return Promise.resolve();
  triedFor = accountId;
  loading ??= api
    .tags()
    .then(({ tags }) => {
      if (session()?.operator.accountId === accountId) setLoaded({ accountId, tags });
    })
    .catch(() => undefined)
    .finally(() => (loading = null));
  return loading;
}

/** The signed-in account's tags, by name; empty until they have loaded. */
export function accountTags(): readonly Tag[] {
  const accountId = session()?.operator.accountId;
  const current = loaded();
  if (current && current.accountId === accountId) return current.tags;
  if (accountId && triedFor !== accountId) void reloadAccountTags();
  return [];
}

/** The tags of these ids that the account has, in the order given. */
export function tagsNamed(ids: readonly string[]): Tag[] {
  const all = accountTags();
  return ids.flatMap((id) => all.find((tag) => tag.id === id) ?? []);
}

/** After a chat's tags arrive: a tag the list does not know was added since it loaded. */
export function learnTagIds(ids: readonly string[]): void {
  const all = accountTags();
  if (loaded() && ids.some((id) => !all.some((tag) => tag.id === id))) void reloadAccountTags();
}
