import { eq } from "drizzle-orm";
import { database } from "./index.ts";
import { operatorDepartments } from "./schema.ts";

export async function departmentIdsOf(db: D1Database, operatorId: string): Promise<string[]> {
  const rows = await database(db).select({ id: operatorDepartments.departmentId }).from(operatorDepartments).where(eq(operatorDepartments.operatorId, operatorId));
  return rows.map((row) => row.id);
}
