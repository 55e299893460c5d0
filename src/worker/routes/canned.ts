// The canned responses an operator may use, merged for the console's bar: the company's, then
// those of the operator's departments, then the operator's own — each in the admins' order.
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import type { CannedResponse } from "../../shared/protocol.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { database } from "../db/index.ts";
import { departmentIdsOf } from "../db/operators.ts";
import { cannedResponses } from "../db/schema.ts";
import { ProblemError, type AppEnv } from "../http.ts";

export const cannedRoutes = new Hono<AppEnv>().get("/", requirePrincipal("operator"), async (c) => {
  const me = c.var.principal;
  if (me.kind !== "operator") throw new ProblemError(403, "forbidden", "Operators only.");
  const departmentIds = await departmentIdsOf(c.env.DB, me.operatorId);
  const t = cannedResponses;
  const visible = or(
    eq(t.level, "company"),
    departmentIds.length ? and(eq(t.level, "department"), inArray(t.ownerId, departmentIds)) : undefined,
    and(eq(t.level, "operator"), eq(t.ownerId, me.operatorId)),
  );
  const levelOrder = sql`CASE ${t.level} WHEN 'company' THEN 0 WHEN 'department' THEN 1 ELSE 2 END`;
  const responses: CannedResponse[] = await database(c.env.DB)
    .select({ id: t.id, level: t.level, ownerId: t.ownerId, title: t.title, text: t.text, shortcut: t.shortcut, position: t.position })
    .from(t)
    .where(and(eq(t.accountId, me.accountId), visible))
    .orderBy(levelOrder, t.ownerId, asc(t.position), asc(t.title));
  return c.json({ responses });
});
