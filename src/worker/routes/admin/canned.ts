// Canned responses at their three levels, managed here by admins (the console manual: they are
// created from the Control Panel). Every change is announced to the account's open consoles at
// once with a `config_changed` lobby frame, so the canned-responses bar follows without a reload.
import { and, eq, sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { ulid } from "ulid";
import {
  CannedCreate,
  CannedGroup,
  CannedListQuery,
  CannedReorder,
  CannedUpdate,
  pageOf,
} from "../../../shared/admin-api.ts";
import { CannedResponseSchema, type CannedLevel } from "../../../shared/protocol.ts";
import {
  cannedColumns,
  cannedOrder,
  deleteCanned,
  findCanned,
  inGroup,
  insertCanned,
  requireFreeShortcut,
  updateCanned,
} from "../../db/canned.ts";
import { database } from "../../../server/db/index.ts";
import { cannedResponses, departments, operators } from "../../../server/db/schema.ts";
import { ProblemError } from "../../../server/problems.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { configChanged } from "./live.ts";
import { describe } from "./openapi.ts";

const NOT_FOUND = "There is no such canned response in this account.";
const OWNER_404 =
  "`ownerId` is not a department (level department) or operator (level operator) of this account (`not_found`).";
const SHORTCUT_409 =
  "Another response of the same group (level and owner) already has this `shortcut`, in any case (`conflict`, with `fields` naming `shortcut`).";

/** The owner of a group, checked: none at company level; a department or an operator of the
 * account at the other two levels. */
async function groupOwner(
  db: D1Database,
  accountId: string,
  level: CannedLevel,
  ownerId: string | undefined,
): Promise<string | null> {
  if (level === "company") {
    if (ownerId !== undefined)
      throw new ProblemError(422, "validation_failed", "Company-level responses have no ownerId.", [
        "ownerId: not allowed at level company",
      ]);
    return null;
  }
  if (ownerId === undefined)
    throw new ProblemError(422, "validation_failed", `A ${level}-level response needs an ownerId.`, [
      `ownerId: required at level ${level}`,
    ]);
  const table = level === "department" ? departments : operators;
  const owner = await database(db)
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.accountId, accountId), eq(table.id, ownerId)))
    .get();
  if (!owner)
    throw new ProblemError(404, "not_found", `There is no ${level} ${JSON.stringify(ownerId)} in this account.`);
  return owner.id;
}

async function listGroup(db: D1Database, accountId: string, level: CannedLevel, ownerId: string | null) {
  return database(db)
    .select(cannedColumns)
    .from(cannedResponses)
    .where(inGroup(accountId, level, ownerId))
    .orderBy(...cannedOrder);
}

export const cannedRoutes = new Hono<AppEnv>()
  .get(
    "/canned-responses",
    describe(
      API_DOCS && {
        id: "listCannedResponses",
        tag: "Canned responses",
        summary: "List canned responses",
        description:
          "All of them (or of one level, or one owner), ordered company, department, operator, then by owner, then by position. `nextCursor` is always null.",
        input: "query",
        ok: { status: 200, description: "The responses.", schema: pageOf(CannedResponseSchema) },
      },
    ),
    validate("query", CannedListQuery),
    async (c) => {
      const { level, ownerId } = c.req.valid("query");
      const t = cannedResponses;
      const items = await database(c.env.DB)
        .select(cannedColumns)
        .from(t)
        .where(
          and(
            eq(t.accountId, c.var.principal.accountId),
            level && eq(t.level, level),
            ownerId === undefined ? undefined : eq(t.ownerId, ownerId),
          ),
        )
        .orderBy(...cannedOrder);
      return c.json({ items, nextCursor: null });
    },
  )
  .post(
    "/canned-responses",
    describe(
      API_DOCS && {
        id: "createCannedResponse",
        tag: "Canned responses",
        summary: "Create a canned response",
        description:
          "`ownerId` is required at levels department and operator, and not allowed at level company. The new response goes last in its group. " +
          "A shortcut is unique within its group, without regard to case.",
        input: "body",
        ok: { status: 201, description: "The new response.", schema: CannedResponseSchema },
        errors: { 404: OWNER_404, 409: SHORTCUT_409 },
      },
    ),
    validate("json", CannedCreate),
    async (c) => {
      const body = c.req.valid("json");
      const accountId = c.var.principal.accountId;
      const ownerId = await groupOwner(c.env.DB, accountId, body.level, body.ownerId);
      await requireFreeShortcut(c.env.DB, { accountId, level: body.level, ownerId }, body.shortcut);
      const created = await insertCanned(c.env.DB, { id: `cr_${ulid()}`, accountId, level: body.level, ownerId }, body);
      await configChanged(c.env, accountId, "canned");
      return c.json(created, 201);
    },
  )
  .put(
    "/canned-responses/order",
    describe(
      API_DOCS && {
        id: "reorderCannedResponses",
        tag: "Canned responses",
        summary: "Reorder one group",
        description:
          "A group is one level and owner. `ids` must be exactly the group's ids, each once, in the new order.",
        input: "body",
        ok: { status: 200, description: "The group in its new order.", schema: CannedGroup },
        errors: { 404: OWNER_404 },
      },
    ),
    validate("json", CannedReorder),
    async (c) => {
      const { level, ownerId: requested, ids } = c.req.valid("json");
      const accountId = c.var.principal.accountId;
      const ownerId = await groupOwner(c.env.DB, accountId, level, requested);
      const current = new Set((await listGroup(c.env.DB, accountId, level, ownerId)).map((row) => row.id));
      if (new Set(ids).size !== ids.length || ids.length !== current.size || ids.some((id) => !current.has(id))) {
        throw new ProblemError(422, "validation_failed", "`ids` must list every response of the group exactly once.", [
          `ids: expected the ${current.size} ids of the group`,
        ]);
      }
      // One statement for the whole group: each response's new position is its index in `ids`
      // (one created since the check above keeps its own).
      const order = JSON.stringify(ids);
      const t = cannedResponses;
      await database(c.env.DB)
        .update(t)
        .set({
          position: sql`coalesce((SELECT key FROM json_each(${order}) WHERE value = ${t.id}), ${t.position})`,
          updatedAt: Date.now(),
        })
        .where(inGroup(accountId, level, ownerId));
      await configChanged(c.env, accountId, "canned");
      return c.json({ items: await listGroup(c.env.DB, accountId, level, ownerId) });
    },
  )
  .get(
    "/canned-responses/:id",
    describe(
      API_DOCS && {
        id: "getCannedResponse",
        tag: "Canned responses",
        summary: "Get a canned response",
        ok: { status: 200, description: "The response.", schema: CannedResponseSchema },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const found = await findCanned(c.env.DB, c.var.principal.accountId, c.req.param("id"));
      if (!found) throw new ProblemError(404, "not_found", NOT_FOUND);
      return c.json(found);
    },
  )
  .patch(
    "/canned-responses/:id",
    describe(
      API_DOCS && {
        id: "updateCannedResponse",
        tag: "Canned responses",
        summary: "Change a canned response",
        description:
          "Title, text and shortcut (null removes it). Level and owner stay; to move a response, create it anew. A shortcut is unique within its group, without regard to case.",
        input: "body",
        ok: { status: 200, description: "The response as it is now.", schema: CannedResponseSchema },
        errors: { 404: true, 409: SHORTCUT_409 },
      },
    ),
    validate("json", CannedUpdate),
    async (c) => {
      const accountId = c.var.principal.accountId;
      const body = c.req.valid("json");
      const current = await findCanned(c.env.DB, accountId, c.req.param("id"));
      if (!current) throw new ProblemError(404, "not_found", NOT_FOUND);
      await requireFreeShortcut(
        c.env.DB,
        { accountId, level: current.level, ownerId: current.ownerId },
        body.shortcut,
        current.id,
      );
      const updated = await updateCanned(c.env.DB, accountId, current.id, body);
      if (!updated) throw new ProblemError(404, "not_found", NOT_FOUND);
      await configChanged(c.env, accountId, "canned");
      return c.json(updated);
    },
  )
  .delete(
    "/canned-responses/:id",
    describe(
      API_DOCS && {
        id: "deleteCannedResponse",
        tag: "Canned responses",
        summary: "Delete a canned response",
        ok: { status: 204, description: "Deleted." },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const accountId = c.var.principal.accountId;
      if (!(await deleteCanned(c.env.DB, accountId, c.req.param("id"))))
        throw new ProblemError(404, "not_found", NOT_FOUND);
      await configChanged(c.env, accountId, "canned");
      return c.body(null, 204);
    },
  );
