// API keys of the account. Only a SHA-256 of a key is stored; the secret is in the answer that
// creates it and nowhere else. Revoking is immediate: every request looks the key up.
//
// A key has a role (owner or admin) and acts exactly as an operator of that role: no key is ever
// above the one who made it. It follows its creator: deactivated or made a plain operator, their
// keys are revoked; an owner made admin takes their owner keys down to admin with them.
import { and, eq, isNull } from "drizzle-orm";
import type { OperatorRole } from "../../../shared/protocol.ts";
import { Hono } from "hono/tiny";
import { ulid } from "ulid";
import { ApiKey, ApiKeyCreate, ApiKeyCreated, PageQuery, pageOf } from "../../../shared/admin-api.ts";
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey } from "../../auth/api-keys.ts";
import { adminRoleOf, isOwnerLevel } from "../../auth/principal.ts";
import { database } from "../../../server/db/index.ts";
import { apiKeys } from "../../../server/db/schema.ts";
import { fieldProblem, ProblemError } from "../../../server/problems.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { describe } from "./openapi.ts";
import { pageWindow } from "./pagination.ts";

// Never the hash: what a key list may show.
const columns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  role: apiKeys.role,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};
const NOT_FOUND = "There is no such API key in this account.";
const OWNER_KEYS = "Only an owner may create or revoke an owner key.";

/** After an operator's role or activity changed: their keys follow. Deactivated, or no longer an
 * admin at all: revoked. An owner made admin: their owner keys become admin keys. (Requests are
 * already held to this by principal.ts, which caps a key by its creator; this keeps the stored
 * keys, and so the list, true, and keeps a revoked key revoked if its creator comes back.) */
export async function keysFollowCreator(
  db: D1Database,
  accountId: string,
  operator: { id: string; role: OperatorRole; active: boolean },
): Promise<void> {
  const theirs = and(eq(apiKeys.accountId, accountId), eq(apiKeys.createdBy, operator.id), isNull(apiKeys.revokedAt));
  const d = database(db);
  if (!operator.active || operator.role === "operator")
    await d.update(apiKeys).set({ revokedAt: Date.now() }).where(theirs);
  else if (operator.role === "admin")
    await d
      .update(apiKeys)
      .set({ role: "admin" })
      .where(and(theirs, eq(apiKeys.role, "owner")));
}
function mine(accountId: string, id: string) {
  return and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, id));
}

export const apiKeyRoutes = new Hono<AppEnv>()
  .get(
    "/api-keys",
    describe(
      API_DOCS && {
        id: "listApiKeys",
        tag: "API keys",
        summary: "List API keys",
        description:
          "Revoked keys are listed too, with `revokedAt`. `lastUsedAt` is to the minute. `role` is what the key may do; `createdBy` the operator who made it " +
          "(null for keys of the seed or `npm run account:create`, and for keys made with those).",
        input: "query",
        ok: { status: 200, description: "A page of keys, oldest first; never their secrets.", schema: pageOf(ApiKey) },
      },
    ),
    validate("query", PageQuery),
    async (c) => {
      const window = pageWindow(apiKeys.id, c.req.valid("query"));
      const rows = await database(c.env.DB)
        .select(columns)
        .from(apiKeys)
        .where(and(eq(apiKeys.accountId, c.var.principal.accountId), window.where))
        .orderBy(window.orderBy)
        .limit(window.limit);
      return c.json(window.page(rows, (row) => row));
    },
  )
  .post(
    "/api-keys",
    describe(
      API_DOCS && {
        id: "createApiKey",
        tag: "API keys",
        summary: "Create an API key",
        description:
          "`role` (owner or admin) is what the key may do: exactly what an operator of that role may. It defaults to the creator's own role and can be no higher: " +
          "owner keys only by owners. The key records who created it (`createdBy`; a key made with a key records that key's creator) and follows them: " +
          "when they are deactivated or made a plain operator the key is revoked, when an owner is made admin their owner keys become admin keys.",
        input: "body",
        ok: { status: 201, description: "The key and its secret, which is shown this once.", schema: ApiKeyCreated },
        errors: { 403: `${OWNER_KEYS} (\`forbidden\`)` },
      },
    ),
    validate("json", ApiKeyCreate),
    async (c) => {
      const me = c.var.principal;
      const body = c.req.valid("json");
      const myRole = adminRoleOf(me);
      if (myRole === null)
        throw new ProblemError(403, "forbidden", "This needs an admin API key or an owner or admin operator.");
      const role = body.role ?? myRole;
      if (role === "owner" && myRole !== "owner") throw fieldProblem(403, "forbidden", "role", OWNER_KEYS);
      // A key made by a key belongs to the same person: it follows the same creator.
      const createdBy = me.kind === "operator" ? me.operatorId : me.kind === "apiKey" ? me.createdBy : null;
      const secret = generateApiKey();
      const apiKey = await database(c.env.DB)
        .insert(apiKeys)
        .values({
          id: `key_${ulid()}`,
          accountId: me.accountId,
          name: body.name,
          role,
          createdBy,
          keyHash: await hashApiKey(secret),
          prefix: apiKeyDisplayPrefix(secret),
        })
        .returning(columns)
        .get();
      return c.json({ apiKey, secret }, 201);
    },
  )
  .delete(
    "/api-keys/:id",
    describe(
      API_DOCS && {
        id: "revokeApiKey",
        tag: "API keys",
        summary: "Revoke an API key",
        description:
          "From the next request on, the key is refused (401). A key may revoke itself. Revoking a revoked key changes nothing. Only owners revoke owner keys.",
        ok: { status: 204, description: "Revoked." },
        errors: { 403: `${OWNER_KEYS} (\`forbidden\`)`, 404: true },
      },
    ),
    async (c) => {
      const me = c.var.principal;
      const accountId = me.accountId;
      const id = c.req.param("id");
      const db = database(c.env.DB);
      // As an admin cannot deactivate an owner, an admin cannot take an owner's key away.
      const target = await db.select({ role: apiKeys.role }).from(apiKeys).where(mine(accountId, id)).get();
      if (!target) throw new ProblemError(404, "not_found", NOT_FOUND);
      const itself = me.kind === "apiKey" && me.keyId === id;
      if (target.role === "owner" && !itself && !isOwnerLevel(me)) throw new ProblemError(403, "forbidden", OWNER_KEYS);
      await db
        .update(apiKeys)
        .set({ revokedAt: Date.now() })
        .where(and(mine(accountId, id), isNull(apiKeys.revokedAt)));
      return c.body(null, 204);
    },
  );
