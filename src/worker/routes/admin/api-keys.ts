// API keys of the account. Only a SHA-256 of a key is stored; the secret is in the answer that
// creates it and nowhere else. Revoking is immediate: every request looks the key up.
import { and, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { ulid } from "ulid";
import { ApiKey, ApiKeyCreate, ApiKeyCreated, PageQuery, pageOf } from "../../../shared/admin-api.ts";
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey } from "../../auth/api-keys.ts";
import { database } from "../../db/index.ts";
import { apiKeys } from "../../db/schema.ts";
import { ProblemError, validate, type AppEnv } from "../../http.ts";
import { describe } from "./openapi.ts";
import { pageWindow } from "./pagination.ts";

// Never the hash: what a key list may show.
const columns = { id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt };
const NOT_FOUND = "There is no such API key in this account.";

function mine(accountId: string, id: string) {
  return and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, id));
}

export const apiKeyRoutes = new Hono<AppEnv>()
  .get(
    "/api-keys",
    describe({
      id: "listApiKeys",
      tag: "API keys",
      summary: "List API keys",
      description: "Revoked keys are listed too, with `revokedAt`. `lastUsedAt` is to the minute.",
      input: "query",
      ok: { status: 200, description: "A page of keys, oldest first; never their secrets.", schema: pageOf(ApiKey) },
    }),
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
    describe({ id: "createApiKey", tag: "API keys", summary: "Create an API key", input: "body", ok: { status: 201, description: "The key and its secret, which is shown this once.", schema: ApiKeyCreated } }),
    validate("json", ApiKeyCreate),
    async (c) => {
      const secret = generateApiKey();
      const apiKey = await database(c.env.DB)
        .insert(apiKeys)
        .values({ id: `key_${ulid()}`, accountId: c.var.principal.accountId, name: c.req.valid("json").name, keyHash: await hashApiKey(secret), prefix: apiKeyDisplayPrefix(secret) })
        .returning(columns)
        .get();
      return c.json({ apiKey, secret }, 201);
    },
  )
  .delete(
    "/api-keys/:id",
    describe({
      id: "revokeApiKey",
      tag: "API keys",
      summary: "Revoke an API key",
      description: "From the next request on, the key is refused (401). A key may revoke itself. Revoking a revoked key changes nothing.",
      ok: { status: 204, description: "Revoked." },
      errors: { 404: true },
    }),
    async (c) => {
      const accountId = c.var.principal.accountId;
      const id = c.req.param("id");
      const db = database(c.env.DB);
      const revoked = await db.update(apiKeys).set({ revokedAt: Date.now() }).where(and(mine(accountId, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
      if (!revoked.length && !(await db.select({ id: apiKeys.id }).from(apiKeys).where(mine(accountId, id)).get())) throw new ProblemError(404, "not_found", NOT_FOUND);
      return c.body(null, 204);
    },
  );
