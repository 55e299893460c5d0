// A webhook endpoint's delivery log (the last 7 days, newest first) and "send again": the stored
// body goes out once more, as a new chain of attempts with the same event id (receivers that
// already have it drop it by that id).
import { and, eq } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { PageQuery, pageOf } from "../../../shared/admin-api.ts";
import { WebhookDelivery } from "../../../shared/webhook-api.ts";
import { database } from "../../../server/db/index.ts";
import { webhookDeliveries, webhookEndpoints } from "../../../server/db/schema.ts";
import { ProblemError } from "../../../server/problems.ts";
import type { WebhookJob } from "../../../server/webhooks/fan-out.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { describe } from "./openapi.ts";
import { pageWindow } from "./pagination.ts";
import { found, ownEndpoint } from "./webhooks.ts";

/** What the API shows of a delivery: all but its body and owners. */
function shown({ payload: _p, endpointId: _e, accountId: _a, ...delivery }: typeof webhookDeliveries.$inferSelect) {
  return delivery satisfies WebhookDelivery;
}

/** The caller's endpoint, or 404. */
async function endpointOf(db: D1Database, accountId: string, id: string) {
  return found(await database(db).select().from(webhookEndpoints).where(ownEndpoint(accountId, id)).get());
}

export const webhookDeliveryRoutes = new Hono<AppEnv>()
  .get(
    "/webhooks/:id/deliveries",
    describe(
      API_DOCS && {
        id: "listWebhookDeliveries",
        tag: "Webhooks",
        summary: "List an endpoint's deliveries",
        description: "The last 7 days, newest first: older entries are deleted.",
        input: "query",
        ok: { status: 200, description: "A page of deliveries, newest first.", schema: pageOf(WebhookDelivery) },
        errors: { 404: true },
      },
    ),
    validate("query", PageQuery),
    async (c) => {
      const endpoint = await endpointOf(c.env.DB, c.var.principal.accountId, c.req.param("id"));
      const window = pageWindow(webhookDeliveries.id, c.req.valid("query"), true);
      const rows = await database(c.env.DB)
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.endpointId, endpoint.id), window.where))
        .orderBy(window.orderBy)
        .limit(window.limit);
      return c.json(window.page(rows, shown));
    },
  )
  .post(
    "/webhooks/:id/deliveries/:deliveryId/resend",
    describe(
      API_DOCS && {
        id: "resendWebhookDelivery",
        tag: "Webhooks",
        summary: "Send a delivery again",
        description:
          "The same body and event id, signed anew, with a fresh 24 hours of retries. A disabled endpoint is refused (`conflict`): enable it first.",
        ok: { status: 200, description: "The delivery, pending again.", schema: WebhookDelivery },
        errors: { 404: true, 409: "The endpoint is disabled (`conflict`)." },
      },
    ),
    async (c) => {
      const endpoint = await endpointOf(c.env.DB, c.var.principal.accountId, c.req.param("id"));
      if (!endpoint.enabled) throw new ProblemError(409, "conflict", "Enable the endpoint first.");
      const now = Date.now();
      const row = await database(c.env.DB)
        .update(webhookDeliveries)
        .set({ status: "pending", updatedAt: now })
        .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.id, c.req.param("deliveryId"))))
        .returning()
        .get();
      if (!row) throw new ProblemError(404, "not_found", "No such delivery (the log keeps 7 days).");
      await c.env.WEBHOOK_DELIVERIES.send({ id: row.id, since: now } satisfies WebhookJob);
      return c.json(shown(row));
    },
  );
