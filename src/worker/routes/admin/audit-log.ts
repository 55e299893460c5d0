// Reading the audit log (audit.ts writes it): the caller's account only, newest first, paged by
// the rows' ids (larger is later), filtered by who, which action and when.
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { pageOf } from "../../../shared/admin-api.ts";
import { AuditEntry, AuditLogQuery } from "../../../shared/audit.ts";
import { database } from "../../../server/db/index.ts";
import { auditLog } from "../../../server/db/schema.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { describe } from "./openapi.ts";

const DEFAULT_PAGE_SIZE = 50;

/** Exactly this action, or those that start with it when it ends in `*`. */
function actionIs(action: string) {
  if (!action.endsWith("*")) return eq(auditLog.action, action);
  const prefix = action.slice(0, -1);
  return sql`substr(${auditLog.action}, 1, ${prefix.length}) = ${prefix}`;
}

function shown({ accountId: _a, changes, ...row }: typeof auditLog.$inferSelect): AuditEntry {
  return { ...row, changes: changes === null ? null : JSON.parse(changes) };
}

export const auditLogRoutes = new Hono<AppEnv>().get(
  "/audit-log",
  describe(
    API_DOCS && {
      id: "listAuditLog",
      tag: "Audit log",
      summary: "List the audit log",
      description:
        "Every admin API request that changed or tried to change something (any method but GET), newest first, kept a year. " +
        "`action` is exact (`PATCH /departments/:id`) or a prefix ending in `*` (`DELETE *`); `from` and `to` are ms since the epoch.",
      input: "query",
      ok: { status: 200, description: "A page of entries, newest first.", schema: pageOf(AuditEntry) },
    },
  ),
  validate("query", AuditLogQuery),
  async (c) => {
    const query = c.req.valid("query");
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await database(c.env.DB)
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.accountId, c.var.principal.accountId),
          query.cursor === undefined ? undefined : lt(auditLog.id, query.cursor),
          query.actorId === undefined ? undefined : eq(auditLog.actorId, query.actorId),
          query.action === undefined ? undefined : actionIs(query.action),
          query.from === undefined ? undefined : gte(auditLog.at, query.from),
          query.to === undefined ? undefined : lt(auditLog.at, query.to),
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(size + 1);
    const more = rows.length > size;
    const items = rows.slice(0, size).map(shown);
    return c.json({ items, nextCursor: more ? String(items[items.length - 1]!.id) : null });
  },
);
