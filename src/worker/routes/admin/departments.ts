// Departments of the account. Deleting one takes its memberships and its canned responses with
// it; its chats stay, with no department.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { ulid } from "ulid";
import { Department, DepartmentCreate, DepartmentUpdate, PageQuery, pageOf } from "../../../shared/admin-api.ts";
import { database, isUniqueViolation } from "../../../server/db/index.ts";
import { cannedResponses, chats, departments, operatorDepartments } from "../../../server/db/schema.ts";
import { fieldProblem, ProblemError } from "../../../server/problems.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { departmentRemoved, routingChanged } from "./live.ts";
import { describe } from "./openapi.ts";
import { pageWindow } from "./pagination.ts";

const columns = {
  id: departments.id,
  name: departments.name,
  routingMode: departments.routingMode,
  ringTimeoutSeconds: departments.ringTimeoutSeconds,
  maxWaitSeconds: departments.maxWaitSeconds,
  reassignAfterSeconds: departments.reassignAfterSeconds,
  businessHours: departments.businessHours,
  createdAt: departments.createdAt,
};
const NOT_FOUND = "There is no such department in this account.";
const DUPLICATE = "The account already has a department of that name.";
const DUPLICATE_409 = `${DUPLICATE} (\`conflict\`, with \`fields\` naming \`name\`)`;

function mine(accountId: string, id: string) {
  return and(eq(departments.accountId, accountId), eq(departments.id, id));
}

function duplicateName(error: unknown): never {
  if (isUniqueViolation(error)) throw fieldProblem(409, "conflict", "name", DUPLICATE);
  throw error;
}

export const departmentRoutes = new Hono<AppEnv>()
  .get(
    "/departments",
    describe(
      API_DOCS && {
        id: "listDepartments",
        tag: "Departments",
        summary: "List departments",
        input: "query",
        ok: { status: 200, description: "A page of departments, oldest first.", schema: pageOf(Department) },
      },
    ),
    validate("query", PageQuery),
    async (c) => {
      const window = pageWindow(departments.id, c.req.valid("query"));
      const rows = await database(c.env.DB)
        .select(columns)
        .from(departments)
        .where(and(eq(departments.accountId, c.var.principal.accountId), window.where))
        .orderBy(window.orderBy)
        .limit(window.limit);
      return c.json(window.page(rows, (row) => row));
    },
  )
  .post(
    "/departments",
    describe(
      API_DOCS && {
        id: "createDepartment",
        tag: "Departments",
        summary: "Create a department",
        input: "body",
        ok: { status: 201, description: "The new department.", schema: Department },
        errors: { 409: DUPLICATE_409 },
      },
    ),
    validate("json", DepartmentCreate),
    async (c) => {
      const row = await database(c.env.DB)
        .insert(departments)
        .values({ id: `dep_${ulid()}`, accountId: c.var.principal.accountId, ...c.req.valid("json") })
        .returning(columns)
        .get()
        .catch(duplicateName);
      await routingChanged(c.env, c.var.principal.accountId);
      return c.json(row satisfies Department, 201);
    },
  )
  .get(
    "/departments/:id",
    describe(
      API_DOCS && {
        id: "getDepartment",
        tag: "Departments",
        summary: "Get a department",
        ok: { status: 200, description: "The department.", schema: Department },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const row = await database(c.env.DB)
        .select(columns)
        .from(departments)
        .where(mine(c.var.principal.accountId, c.req.param("id")))
        .get();
      if (!row) throw new ProblemError(404, "not_found", NOT_FOUND);
      return c.json(row);
    },
  )
  .patch(
    "/departments/:id",
    describe(
      API_DOCS && {
        id: "updateDepartment",
        tag: "Departments",
        summary: "Change a department",
        description:
          "Its name, and how its waiting chats find an operator: `routingMode` (`everyone`: all online members see the chat, the first to accept gets it; " +
          "`round_robin` and `least_busy`: it rings for one member at a time, for `ringTimeoutSeconds`, then the next), and `maxWaitSeconds`, " +
          "after which a chat nobody took is missed. `reassignAfterSeconds` (null: off, 30–3600): a chat under way whose visitor got no operator answer for that long is offered to another operator, with its history. `businessHours` (null: always open) is a weekly schedule in a time zone plus closed dates; " +
          "outside them the widget offers to leave a message and new chats for the department are refused (`409 department_closed`). Changes apply to chats waiting now. See docs/routing.md.",
        input: "body",
        ok: { status: 200, description: "The department as it is now.", schema: Department },
        errors: { 404: true, 409: DUPLICATE_409 },
      },
    ),
    validate("json", DepartmentUpdate),
    async (c) => {
      const change = c.req.valid("json");
      const db = database(c.env.DB);
      const where = mine(c.var.principal.accountId, c.req.param("id"));
      const row = Object.keys(change).length
        ? await db.update(departments).set(change).where(where).returning(columns).get().catch(duplicateName)
        : await db.select(columns).from(departments).where(where).get();
      if (!row) throw new ProblemError(404, "not_found", NOT_FOUND);
      if (
        change.routingMode !== undefined ||
        change.ringTimeoutSeconds !== undefined ||
        change.maxWaitSeconds !== undefined
      )
        await routingChanged(c.env, c.var.principal.accountId);
      return c.json(row satisfies Department);
    },
  )
  .delete(
    "/departments/:id",
    describe(
      API_DOCS && {
        id: "deleteDepartment",
        tag: "Departments",
        summary: "Delete a department",
        description:
          "Its memberships and its canned responses are deleted with it; its chats remain, with `departmentId` null, and its waiting chats now wait for any operator.",
        ok: { status: 204, description: "Deleted." },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const accountId = c.var.principal.accountId;
      const id = c.req.param("id");
      const db = database(c.env.DB);
      if (!(await db.select({ id: departments.id }).from(departments).where(mine(accountId, id)).get()))
        throw new ProblemError(404, "not_found", NOT_FOUND);
      // The foreign keys would cascade most of this, but the canned responses' owner is not a
      // foreign key (it names a department or an operator), so every step is spelled out, in one
      // batch: all of it happens or none of it.
      await db.batch([
        db.delete(operatorDepartments).where(eq(operatorDepartments.departmentId, id)),
        db
          .update(chats)
          .set({ departmentId: null })
          .where(and(eq(chats.accountId, accountId), eq(chats.departmentId, id))),
        db
          .delete(cannedResponses)
          .where(
            and(
              eq(cannedResponses.accountId, accountId),
              eq(cannedResponses.level, "department"),
              eq(cannedResponses.ownerId, id),
            ),
          ),
        db.delete(departments).where(mine(accountId, id)),
      ]);
      await departmentRemoved(c.env, accountId, id);
      return c.body(null, 204);
    },
  );
