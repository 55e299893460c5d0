import { and, eq, inArray, sql } from "drizzle-orm";
import { database } from "../../server/db/index.ts";
import { departments, operatorDepartments } from "../../server/db/schema.ts";

export async function departmentIdsOf(db: D1Database, operatorId: string): Promise<string[]> {
  const rows = await database(db)
    .select({ id: operatorDepartments.departmentId })
    .from(operatorDepartments)
    .where(eq(operatorDepartments.operatorId, operatorId));
  return rows.map((row) => row.id);
}

// Lists of ids are bound as one JSON parameter and read with json_each: D1 allows at most 100
// bound parameters per statement, which a long list would pass.
const idsIn = (ids: readonly string[]) => sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`;

/** The departments of each of the given operators, for lists. */
export async function departmentIdsByOperator(db: D1Database, operatorIds: string[]): Promise<Map<string, string[]>> {
  const byOperator = new Map<string, string[]>(operatorIds.map((id) => [id, []]));
  if (!operatorIds.length) return byOperator;
  const rows = await database(db)
    .select({ operatorId: operatorDepartments.operatorId, departmentId: operatorDepartments.departmentId })
    .from(operatorDepartments)
    .where(inArray(operatorDepartments.operatorId, idsIn(operatorIds)))
    .orderBy(operatorDepartments.departmentId);
  for (const row of rows) byOperator.get(row.operatorId)?.push(row.departmentId);
  return byOperator;
}

/** The ids in `ids` that are not departments of the account. */
export async function foreignDepartments(db: D1Database, accountId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const found = await database(db)
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.accountId, accountId), inArray(departments.id, idsIn(ids))));
  const known = new Set(found.map((row) => row.id));
  return ids.filter((id) => !known.has(id));
}

/** The statements that make `departmentIds` an operator's departments, for a batch. */
export function setDepartments(db: D1Database, operatorId: string, departmentIds: readonly string[]) {
  const d = database(db);
  return [
    d.delete(operatorDepartments).where(eq(operatorDepartments.operatorId, operatorId)),
    d
      .insert(operatorDepartments)
      .select(sql`SELECT ${operatorId}, value FROM json_each(${JSON.stringify(departmentIds)})`),
  ] as const;
}
