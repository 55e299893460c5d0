// Account settings live as one JSON object in accounts.settings, holding only what admins have
// set: defaults apply to the rest, so a new default reaches every account that never changed it.
import { eq, sql } from "drizzle-orm";
import { DEFAULT_SETTINGS, type Settings } from "../../shared/admin-api.ts";
import { database } from "./index.ts";
import { accounts } from "./schema.ts";

type StoredSettings = Partial<Settings>;

function merge(accountName: string, stored: string): Settings {
  // Everything stored went through SettingsUpdate on the way in.
  return { displayName: accountName, ...DEFAULT_SETTINGS, ...(JSON.parse(stored) as StoredSettings) };
}

/** The account's settings, or undefined when there is no such account. */
export async function readSettings(db: D1Database, accountId: string): Promise<Settings | undefined> {
  const row = await database(db)
    .select({ name: accounts.name, settings: accounts.settings })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  return row && merge(row.name, row.settings);
}

/** Applies a validated change and returns the settings after it. One statement, so two admins
 * changing different settings at once both keep their change. */
export async function updateSettings(
  db: D1Database,
  accountId: string,
  change: StoredSettings,
): Promise<Settings | undefined> {
  const row = await database(db)
    .update(accounts)
    // json_patch (RFC 7396) merges the change into what is stored; no setting is ever null.
    .set({ settings: sql`json_patch(${accounts.settings}, ${JSON.stringify(change)})` })
    .where(eq(accounts.id, accountId))
    .returning({ name: accounts.name, settings: accounts.settings })
    .get();
  return row && merge(row.name, row.settings);
}
