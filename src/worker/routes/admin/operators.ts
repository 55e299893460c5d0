// Operators of the account: create (with a password, or an invitation to choose one), change
// name, role and departments, deactivate, reset the password.
//
// Owners are protected twice over: only an owner (or an owner API key, which acts as one) may
// give or take the owner role, invite or create an owner, deactivate an owner or set an owner's
// password; and the last active owner can never be demoted or deactivated, so an account always
// has someone who can run it. An admin's API key is held to exactly what the admin may do.
import { and, eq, sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { ulid } from "ulid";
import {
  Operator,
  OperatorCreate,
  OperatorCreated,
  OperatorUpdate,
  PageQuery,
  pageOf,
  PasswordReset,
} from "../../../shared/admin-api.ts";
import { hashPassword, hasPassword, UNUSABLE_PASSWORD_HASH } from "../../auth/password.ts";
import { isOwnerLevel, type Principal } from "../../auth/principal.ts";
import { signSignUpInvitation } from "../../auth/tokens.ts";
import { database, isUniqueViolation } from "../../../server/db/index.ts";
import { departmentIdsByOperator, foreignDepartments, setDepartments } from "../../db/operators.ts";
import { operators } from "../../../server/db/schema.ts";
import { fieldProblem, ProblemError } from "../../../server/problems.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { keysFollowCreator } from "./api-keys.ts";
import { disconnectOperator, operatorChanged, routingChanged } from "./live.ts";
import { describe } from "./openapi.ts";
import { pageWindow } from "./pagination.ts";

const columns = {
  id: operators.id,
  email: operators.email,
  name: operators.name,
  role: operators.role,
  active: operators.active,
  passwordHash: operators.passwordHash,
  maxChats: operators.maxChats,
  createdAt: operators.createdAt,
};
type Row = Pick<typeof operators.$inferSelect, keyof typeof columns>;

const NOT_FOUND = "There is no such operator in this account.";
const EMAIL_TAKEN = "An operator with this email already exists (emails are unique across Parley).";
const EMAIL_TAKEN_409 = `${EMAIL_TAKEN} (\`conflict\`, with \`fields\` naming \`email\`)`;
const LAST_OWNER = "This is the account's last active owner; make someone else an owner first.";
const OWNERS_ONLY =
  "Only an owner (or an owner API key) may give or take the owner role, create or invite an owner, deactivate an owner or set an owner's password.";

function toOperator(row: Row, departmentIds: string[]): Operator {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    departmentIds,
    active: row.active,
    hasPassword: hasPassword(row.passwordHash),
    maxChats: row.maxChats,
    createdAt: row.createdAt,
  };
}

function mine(accountId: string, id: string) {
  return and(eq(operators.accountId, accountId), eq(operators.id, id));
}

async function findOperator(db: D1Database, accountId: string, id: string): Promise<Row> {
  const row = await database(db).select(columns).from(operators).where(mine(accountId, id)).get();
  if (!row) throw new ProblemError(404, "not_found", NOT_FOUND);
  return row;
}

/** De-duplicated department ids, each a department of the account (else 404). */
async function checkDepartments(db: D1Database, accountId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const foreign = await foreignDepartments(db, accountId, unique);
  if (foreign.length)
    throw new ProblemError(
      404,
      "not_found",
      `No department ${foreign.map((id) => JSON.stringify(id)).join(", ")} in this account.`,
    );
  return unique;
}

function requireOwnerLevel(principal: Principal): void {
  if (!isOwnerLevel(principal)) throw new ProblemError(403, "forbidden", OWNERS_ONLY);
}

export const operatorRoutes = new Hono<AppEnv>()
  .get(
    "/operators",
    describe(
      API_DOCS && {
        id: "listOperators",
        tag: "Operators",
        summary: "List operators",
        input: "query",
        ok: { status: 200, description: "A page of operators, oldest first.", schema: pageOf(Operator) },
      },
    ),
    validate("query", PageQuery),
    async (c) => {
      const window = pageWindow(operators.id, c.req.valid("query"));
      const rows = await database(c.env.DB)
        .select(columns)
        .from(operators)
        .where(and(eq(operators.accountId, c.var.principal.accountId), window.where))
        .orderBy(window.orderBy)
        .limit(window.limit);
      const departments = await departmentIdsByOperator(
        c.env.DB,
        rows.map((row) => row.id),
      );
      return c.json(window.page(rows, (row) => toOperator(row, departments.get(row.id) ?? [])));
    },
  )
  .post(
    "/operators",
    describe(
      API_DOCS && {
        id: "createOperator",
        tag: "Operators",
        summary: "Create an operator",
        description:
          "With `password` the operator can sign in at once. Without it the answer carries an `invitation` token, shown once and good for 7 days, " +
          "which the operator exchanges for a session at `POST /api/operator/invitations/accept` with a password of their choosing (the console does this at " +
          "`<console origin>/#/invitation/<token>`, the link the Control Panel shows); until then they cannot sign in. They get the role stored for them when they accept.",
        input: "body",
        ok: {
          status: 201,
          description: "The operator, and the invitation if no password was given.",
          schema: OperatorCreated,
        },
        errors: {
          403: OWNERS_ONLY,
          404: "A department in `departmentIds` is not one of this account's (`not_found`).",
          409: EMAIL_TAKEN_409,
        },
      },
    ),
    validate("json", OperatorCreate),
    async (c) => {
      const body = c.req.valid("json");
      const me = c.var.principal;
      if (body.role === "owner") requireOwnerLevel(me);
      const departmentIds = await checkDepartments(c.env.DB, me.accountId, body.departmentIds);
      const id = `op_${ulid()}`;
      const passwordHash = body.password === undefined ? UNUSABLE_PASSWORD_HASH : await hashPassword(body.password);
      const db = database(c.env.DB);
      const [inserted] = await db
        .batch([
          db
            .insert(operators)
            .values({
              id,
              accountId: me.accountId,
              email: body.email,
              name: body.name,
              role: body.role,
              passwordHash,
              maxChats: body.maxChats,
            })
            .returning(columns),
          ...setDepartments(c.env.DB, id, departmentIds),
        ])
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw fieldProblem(409, "conflict", "email", EMAIL_TAKEN);
          throw error;
        });
      const invitation =
        body.password === undefined ? await signSignUpInvitation(me.accountId, id, body.role, c.env.AUTH_SECRET) : null;
      return c.json({ operator: toOperator(inserted[0]!, departmentIds), invitation }, 201);
    },
  )
  .get(
    "/operators/:id",
    describe(
      API_DOCS && {
        id: "getOperator",
        tag: "Operators",
        summary: "Get an operator",
        ok: { status: 200, description: "The operator.", schema: Operator },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const row = await findOperator(c.env.DB, c.var.principal.accountId, c.req.param("id"));
      const departments = await departmentIdsByOperator(c.env.DB, [row.id]);
      return c.json(toOperator(row, departments.get(row.id) ?? []));
    },
  )
  .patch(
    "/operators/:id",
    describe(
      API_DOCS && {
        id: "updateOperator",
        tag: "Operators",
        summary: "Change an operator",
        description:
          "Name, role, departments (the whole list), capacity (`maxChats`, null for the account's default) and `active`. Deactivating (`active: false`) takes effect at once: their token stops working " +
          "and their open console and chat sockets are closed (code 4003). The API keys they created follow them: deactivated or made a plain operator, " +
          "their keys are revoked; an owner made admin has their owner keys made admin keys.",
        input: "body",
        ok: { status: 200, description: "The operator as they are now.", schema: Operator },
        errors: { 403: OWNERS_ONLY, 404: true, 409: `${LAST_OWNER} (\`last_owner\`)` },
      },
    ),
    validate("json", OperatorUpdate),
    async (c) => {
      const body = c.req.valid("json");
      const me = c.var.principal;
      const before = await findOperator(c.env.DB, me.accountId, c.req.param("id"));
      const roleChanges = body.role !== undefined && body.role !== before.role;
      const deactivates = body.active === false && before.active;
      if (
        (roleChanges && (body.role === "owner" || before.role === "owner")) ||
        (deactivates && before.role === "owner")
      )
        requireOwnerLevel(me);
      const departmentIds = body.departmentIds && (await checkDepartments(c.env.DB, me.accountId, body.departmentIds));

      const db = database(c.env.DB);
      const change = {
        ...(body.name !== undefined && { name: body.name }),
        ...(body.role !== undefined && { role: body.role }),
        ...(body.active !== undefined && { active: body.active }),
        ...(body.maxChats !== undefined && { maxChats: body.maxChats }),
      };
      if (Object.keys(change).length) {
        // An active owner who stops being one must leave another active owner behind. Checked in
        // the UPDATE itself, so two owners demoting each other at once cannot both succeed.
        const losesOwner = before.role === "owner" && before.active && (roleChanges || deactivates);
        const otherOwners = sql`(SELECT count(*) FROM ${operators} o WHERE o.account_id = ${me.accountId} AND o.role = 'owner' AND o.active = 1 AND o.id <> ${before.id}) > 0`;
        const updated = await db
          .update(operators)
          .set(change)
          .where(and(mine(me.accountId, before.id), losesOwner ? otherOwners : undefined))
          .returning({ id: operators.id });
        if (!updated.length) throw new ProblemError(409, "last_owner", LAST_OWNER);
      }
      if (departmentIds) await db.batch(setDepartments(c.env.DB, before.id, departmentIds));

      const after = await findOperator(c.env.DB, me.accountId, before.id);
      if (roleChanges || deactivates) await keysFollowCreator(c.env.DB, me.accountId, after);
      const currentDepartments = (await departmentIdsByOperator(c.env.DB, [after.id])).get(after.id) ?? [];
      if (deactivates) await disconnectOperator(c.env, me.accountId, after.id, "deactivated");
      else if (body.name !== undefined || departmentIds)
        await operatorChanged(c.env, me.accountId, {
          id: after.id,
          name: after.name,
          departmentIds: currentDepartments,
        });
      if (body.maxChats !== undefined && body.maxChats !== before.maxChats) await routingChanged(c.env, me.accountId);
      return c.json(toOperator(after, currentDepartments));
    },
  )
  .post(
    "/operators/:id/password",
    describe(
      API_DOCS && {
        id: "setOperatorPassword",
        tag: "Operators",
        summary: "Set an operator's password",
        description:
          "Also completes an invitation: an invited operator can then sign in with this password, and their invitation is used up.",
        input: "body",
        ok: { status: 204, description: "The password is set." },
        errors: { 403: OWNERS_ONLY, 404: true },
      },
    ),
    validate("json", PasswordReset),
    async (c) => {
      const me = c.var.principal;
      const target = await findOperator(c.env.DB, me.accountId, c.req.param("id"));
      if (target.role === "owner") requireOwnerLevel(me);
      const passwordHash = await hashPassword(c.req.valid("json").password);
      // A new password ends every session signed with the old one (a reset is often because one
      // leaked): their tokens stop working and their open consoles are closed.
      await database(c.env.DB)
        .update(operators)
        .set({ passwordHash, sessionVersion: sql`${operators.sessionVersion} + 1` })
        .where(mine(me.accountId, target.id));
      await disconnectOperator(c.env, me.accountId, target.id, "session_ended");
      return c.body(null, 204);
    },
  );
