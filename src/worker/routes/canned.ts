// The canned responses an operator may use, merged for the console's bar: the company's, then
// those of the operator's departments, then the operator's own — each in the admins' order.
// When the account allows it (setting operatorsManageOwnResponses, off by default as the manual
// says), operators also create, edit and delete their own operator-level responses here.
import { and, eq, inArray, or } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { ulid } from "ulid";
import { OwnCannedCreate, OwnCannedUpdate } from "../../shared/admin-api.ts";
import type { CannedResponse, CannedResponsesResponse } from "../../shared/protocol.ts";
import { requireOperator } from "../auth/guards.ts";
import type { OperatorPrincipal } from "../auth/principal.ts";
import {
  cannedColumns,
  cannedOrder,
  deleteCanned,
  findCanned,
  insertCanned,
  requireFreeShortcut,
  updateCanned,
} from "../db/canned.ts";
import { database } from "../../server/db/index.ts";
import { departmentIdsOf } from "../db/operators.ts";
import { cannedResponses } from "../../server/db/schema.ts";
import { readSettings } from "../../server/db/settings.ts";
import { ProblemError } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";
import { configChanged } from "./admin/live.ts";

const YOURS = "Your response";

/** Refuses unless the account lets operators manage their own responses. */
async function requireOwnResponses(env: Env, me: OperatorPrincipal): Promise<void> {
  const settings = await readSettings(env.DB, me.accountId);
  if (!settings?.operatorsManageOwnResponses) {
    throw new ProblemError(
      403,
      "forbidden",
      "In this account canned responses are managed by admins, in the Control Panel.",
    );
  }
}

/** One of the operator's own responses. Someone else's operator-level response is not theirs to
 * see, so it is as good as absent (404); a company or department one they see but may not change. */
async function findOwn(env: Env, me: OperatorPrincipal, id: string): Promise<CannedResponse> {
  const found = await findCanned(env.DB, me.accountId, id);
  if (!found || (found.level === "operator" && found.ownerId !== me.operatorId))
    throw new ProblemError(404, "not_found", "You have no such canned response.");
  if (found.level !== "operator")
    throw new ProblemError(403, "forbidden", "Company and department responses are managed by admins.");
  return found;
}

export const cannedRoutes = new Hono<AppEnv>()
  .use(requireOperator)
  .get("/", async (c) => {
    const me = c.var.operator;
    const departmentIds = await departmentIdsOf(c.env.DB, me.operatorId);
    const t = cannedResponses;
    const visible = or(
      eq(t.level, "company"),
      departmentIds.length ? and(eq(t.level, "department"), inArray(t.ownerId, departmentIds)) : undefined,
      and(eq(t.level, "operator"), eq(t.ownerId, me.operatorId)),
    );
    const responses: CannedResponse[] = await database(c.env.DB)
      .select(cannedColumns)
      .from(t)
      .where(and(eq(t.accountId, me.accountId), visible))
      .orderBy(...cannedOrder);
    return c.json({ responses } satisfies CannedResponsesResponse);
  })
  .post("/", validate("json", OwnCannedCreate), async (c) => {
    const me = c.var.operator;
    await requireOwnResponses(c.env, me);
    const body = c.req.valid("json");
    await requireFreeShortcut(
      c.env.DB,
      { accountId: me.accountId, level: "operator", ownerId: me.operatorId },
      body.shortcut,
      undefined,
      YOURS,
    );
    const created = await insertCanned(
      c.env.DB,
      { id: `cr_${ulid()}`, accountId: me.accountId, level: "operator", ownerId: me.operatorId },
      body,
    );
    await configChanged(c.env, me.accountId, "canned");
    return c.json(created, 201);
  })
  .patch("/:id", validate("json", OwnCannedUpdate), async (c) => {
    const me = c.var.operator;
    await requireOwnResponses(c.env, me);
    const own = await findOwn(c.env, me, c.req.param("id"));
    const body = c.req.valid("json");
    await requireFreeShortcut(
      c.env.DB,
      { accountId: me.accountId, level: "operator", ownerId: me.operatorId },
      body.shortcut,
      own.id,
      YOURS,
    );
    const updated = await updateCanned(c.env.DB, me.accountId, own.id, body);
    if (!updated) throw new ProblemError(404, "not_found", "You have no such canned response.");
    await configChanged(c.env, me.accountId, "canned");
    return c.json(updated);
  })
  .delete("/:id", async (c) => {
    const me = c.var.operator;
    await requireOwnResponses(c.env, me);
    const own = await findOwn(c.env, me, c.req.param("id"));
    await deleteCanned(c.env.DB, me.accountId, own.id);
    await configChanged(c.env, me.accountId, "canned");
    return c.body(null, 204);
  });
