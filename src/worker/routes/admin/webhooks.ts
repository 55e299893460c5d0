// The account's webhook endpoints (docs/webhooks.md). A URL must be https and public (checked
// here, with the deployment's WEBHOOK_ALLOW_LOCAL); a refused one stores nothing. The signing
// secret is answered by create and rotate only. After a rotation the previous secret keeps
// signing alongside the new one for 24 hours, so receivers can switch without missing a delivery.
import { and, eq, sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { ulid } from "ulid";
import { PageQuery, pageOf } from "../../../shared/admin-api.ts";
import {
  MAX_WEBHOOKS_PER_ACCOUNT,
  WebhookCreate,
  WebhookCreated,
  WebhookEndpoint,
  WebhookUpdate,
} from "../../../shared/webhook-api.ts";
import { database } from "../../../server/db/index.ts";
import { webhookEndpoints } from "../../../server/db/schema.ts";
import { ProblemError } from "../../../server/problems.ts";
import { checkWebhookUrl } from "../../../server/webhooks/url.ts";
import { API_KEY_PREFIX, generateApiKey } from "../../auth/api-keys.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { describe } from "./openapi.ts";
import { pageWindow } from "./pagination.ts";

/** What the API shows of an endpoint: all but its secrets and account. */
export function shown({
  secret: _s,
  previousSecret: _p,
  accountId: _a,
  ...endpoint
}: typeof webhookEndpoints.$inferSelect) {
  return endpoint satisfies WebhookEndpoint;
}
export const NO_WEBHOOK = "No such webhook endpoint in this account.";
const ROTATION_OVERLAP_MS = 86_400_000;

/** The row, or the 404 of an endpoint this account does not have. */
export function found<T>(row: T | undefined): T {
  if (!row) throw new ProblemError(404, "not_found", NO_WEBHOOK);
  return row;
}

export function ownEndpoint(accountId: string, id: string) {
  return and(eq(webhookEndpoints.accountId, accountId), eq(webhookEndpoints.id, id));
}

const newSecret = () => `whsec_${generateApiKey().slice(API_KEY_PREFIX.length)}`;
const allowLocal = (env: Env) => env.WEBHOOK_ALLOW_LOCAL === "true";

export const webhookRoutes = new Hono<AppEnv>()
  .get(
    "/webhooks",
    describe(
      API_DOCS && {
        id: "listWebhooks",
        tag: "Webhooks",
        summary: "List webhook endpoints",
        input: "query",
        ok: {
          status: 200,
          description: "A page of endpoints, oldest first; no secrets.",
          schema: pageOf(WebhookEndpoint),
        },
      },
    ),
    validate("query", PageQuery),
    async (c) => {
      const window = pageWindow(webhookEndpoints.id, c.req.valid("query"));
      const rows = await database(c.env.DB)
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.accountId, c.var.principal.accountId), window.where))
        .orderBy(window.orderBy)
        .limit(window.limit);
      return c.json(window.page(rows, shown));
    },
  )
  .post(
    "/webhooks",
    describe(
      API_DOCS && {
        id: "createWebhook",
        tag: "Webhooks",
        summary: "Add a webhook endpoint",
        description:
          "Leaving out `events` subscribes to all of them. A URL that is not https (`webhook_url_not_https`), cannot be read (`webhook_url_invalid`, also for a user name or password in it) or names this machine or a private network (`webhook_url_private`) is refused with 422.",
        input: "body",
        ok: {
          status: 201,
          description: "The endpoint, and its signing secret: shown only now.",
          schema: WebhookCreated,
        },
        errors: { 409: `The account has ${MAX_WEBHOOKS_PER_ACCOUNT} endpoints, the most it may.` },
      },
    ),
    validate("json", WebhookCreate),
    async (c) => {
      const accountId = c.var.principal.accountId;
      const body = c.req.valid("json");
      const url = checkWebhookUrl(body.url, allowLocal(c.env));
      const db = database(c.env.DB);
      const have = await db
        .select({ id: webhookEndpoints.id })
        .from(webhookEndpoints)
        .where(eq(webhookEndpoints.accountId, accountId));
      if (have.length >= MAX_WEBHOOKS_PER_ACCOUNT)
        throw new ProblemError(409, "conflict", `An account may have ${MAX_WEBHOOKS_PER_ACCOUNT} webhook endpoints.`);
      const secret = newSecret();
      const row = await db
        .insert(webhookEndpoints)
        .values({ id: `wh_${ulid()}`, accountId, ...body, url, secret })
        .returning()
        .get();
      return c.json({ endpoint: shown(row), secret } satisfies WebhookCreated, 201);
    },
  )
  .get(
    "/webhooks/:id",
    describe(
      API_DOCS && {
        id: "getWebhook",
        tag: "Webhooks",
        summary: "Get a webhook endpoint",
        ok: { status: 200, description: "The endpoint; its secret is never shown again.", schema: WebhookEndpoint },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const row = await database(c.env.DB)
        .select()
        .from(webhookEndpoints)
        .where(ownEndpoint(c.var.principal.accountId, c.req.param("id")))
        .get();
      return c.json(shown(found(row)));
    },
  )
  .patch(
    "/webhooks/:id",
    describe(
      API_DOCS && {
        id: "updateWebhook",
        tag: "Webhooks",
        summary: "Change a webhook endpoint",
        description:
          "`enabled: true` also clears why Parley disabled it. A new URL is checked as when adding one (422 with `webhook_url_*`).",
        input: "body",
        ok: { status: 200, description: "The endpoint as it is now.", schema: WebhookEndpoint },
        errors: { 404: true },
      },
    ),
    validate("json", WebhookUpdate),
    async (c) => {
      const { url, ...changes } = c.req.valid("json");
      const checked = url === undefined ? {} : { url: checkWebhookUrl(url, allowLocal(c.env)) };
      // Enabling starts afresh: its old failing streak would disable it again at the next failure.
      const enabling = changes.enabled ? { disabledReason: null, failingSince: null } : {};
      const row = await database(c.env.DB)
        .update(webhookEndpoints)
        .set({ ...changes, ...checked, ...enabling })
        .where(ownEndpoint(c.var.principal.accountId, c.req.param("id")))
        .returning()
        .get();
      return c.json(shown(found(row)));
    },
  )
  .delete(
    "/webhooks/:id",
    describe(
      API_DOCS && {
        id: "deleteWebhook",
        tag: "Webhooks",
        summary: "Delete a webhook endpoint",
        description: "Its delivery log goes with it, and deliveries still waiting are not sent.",
        ok: { status: 204, description: "Deleted." },
        errors: { 404: true },
      },
    ),
    async (c) => {
      found(
        await database(c.env.DB)
          .delete(webhookEndpoints)
          .where(ownEndpoint(c.var.principal.accountId, c.req.param("id")))
          .returning({ id: webhookEndpoints.id })
          .get(),
      );
      return c.body(null, 204);
    },
  )
  .post(
    "/webhooks/:id/rotate-secret",
    describe(
      API_DOCS && {
        id: "rotateWebhookSecret",
        tag: "Webhooks",
        summary: "Rotate a webhook endpoint's secret",
        description:
          "For 24 hours deliveries carry two `v1=` signatures, one with the new secret and one with the one it replaces.",
        ok: {
          status: 200,
          description: "The endpoint, and its new secret: shown only now.",
          schema: WebhookCreated,
        },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const secret = newSecret();
      // One statement, so two rotations at once each keep the secret the other replaced.
      const row = await database(c.env.DB)
        .update(webhookEndpoints)
        .set({
          secret,
          previousSecret: sql`${webhookEndpoints.secret}`,
          previousSecretExpiresAt: Date.now() + ROTATION_OVERLAP_MS,
        })
        .where(ownEndpoint(c.var.principal.accountId, c.req.param("id")))
        .returning()
        .get();
      return c.json({ endpoint: shown(found(row)), secret } satisfies WebhookCreated);
    },
  );
