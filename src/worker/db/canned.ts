// Canned-response queries shared by the admin API and the operators' own-response routes.
// A group is one level and owner (the company, one department, one operator); `position`
// orders a group, and a new response goes last in its group.
import { and, asc, eq, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { CannedLevel, CannedResponse } from "../../shared/protocol.ts";
import { fieldProblem } from "../../server/problems.ts";
import { database } from "../../server/db/index.ts";
import { cannedResponses } from "../../server/db/schema.ts";

const t = cannedResponses;

/** The columns that make a CannedResponse, for `select` and `returning`. */
export const cannedColumns = {
  id: t.id,
  level: t.level,
  ownerId: t.ownerId,
  title: t.title,
  text: t.text,
  shortcut: t.shortcut,
  position: t.position,
};

/** Company first, then departments, then operators; within a level by owner, then position. */
export const cannedOrder = [
  sql`CASE ${t.level} WHEN 'company' THEN 0 WHEN 'department' THEN 1 ELSE 2 END`,
  asc(t.ownerId),
  asc(t.position),
  asc(t.id),
];

export function inGroup(accountId: string, level: CannedLevel, ownerId: string | null): SQL {
  return and(
    eq(t.accountId, accountId),
    eq(t.level, level),
    ownerId === null ? isNull(t.ownerId) : eq(t.ownerId, ownerId),
  )!;
}

type CannedFields = { title: string; text: string; shortcut?: string | null | undefined };

/** Adds a response at the end of its group; the position is computed in the same statement, so
 * two responses created at once do not share it. */
export async function insertCanned(
  db: D1Database,
  group: { accountId: string; level: CannedLevel; ownerId: string | null; id: string },
  fields: CannedFields,
): Promise<CannedResponse> {
  const last = database(db)
    .select({ next: sql`coalesce(max(${t.position}) + 1, 0)` })
    .from(t)
    .where(inGroup(group.accountId, group.level, group.ownerId));
  return database(db)
    .insert(t)
    .values({
      ...group,
      title: fields.title,
      text: fields.text,
      shortcut: fields.shortcut ?? null,
      position: sql`(${last})`,
    })
    .returning(cannedColumns)
    .get();
}

type CannedGroupKey = { accountId: string; level: CannedLevel; ownerId: string | null };

const WHOSE: Record<CannedLevel, string> = {
  company: "The company response",
  department: "This department's response",
  operator: "This operator's response",
};

/** Refuses (409 conflict, field `shortcut`) a shortcut another response of the same group (level
 * and owner) already has: typing it in the console would offer two responses for one word. Case
 * does not count, as the console's "/" completion ignores it. `exceptId`: the response being
 * changed, which may keep its own. */
export async function requireFreeShortcut(
  db: D1Database,
  group: CannedGroupKey,
  shortcut: string | null | undefined,
  exceptId?: string,
  whose = WHOSE[group.level],
): Promise<void> {
  if (!shortcut) return;
  const clash = await database(db)
    .select({ title: t.title, shortcut: t.shortcut })
    .from(t)
    .where(
      and(
        inGroup(group.accountId, group.level, group.ownerId),
        sql`lower(${t.shortcut}) = lower(${shortcut})`,
        exceptId === undefined ? undefined : ne(t.id, exceptId),
      ),
    )
    .get();
  if (!clash) return;
  const capitals = clash.shortcut === shortcut ? "" : " (capitals do not count)";
  throw fieldProblem(
    409,
    "conflict",
    "shortcut",
    `${whose} “${clash.title}” already has the shortcut /${clash.shortcut}${capitals}; choose another.`,
  );
}

export async function findCanned(db: D1Database, accountId: string, id: string): Promise<CannedResponse | undefined> {
  return database(db)
    .select(cannedColumns)
    .from(t)
    .where(and(eq(t.accountId, accountId), eq(t.id, id)))
    .get();
}

/** Changes the given fields of one response of the account; undefined if there is none. */
export async function updateCanned(
  db: D1Database,
  accountId: string,
  id: string,
  change: Partial<CannedFields>,
): Promise<CannedResponse | undefined> {
  return database(db)
    .update(t)
    .set({ ...change, updatedAt: Date.now() })
    .where(and(eq(t.accountId, accountId), eq(t.id, id)))
    .returning(cannedColumns)
    .get();
}

export async function deleteCanned(db: D1Database, accountId: string, id: string): Promise<boolean> {
  const deleted = await database(db)
    .delete(t)
    .where(and(eq(t.accountId, accountId), eq(t.id, id)))
    .returning({ id: t.id });
  return deleted.length > 0;
}
