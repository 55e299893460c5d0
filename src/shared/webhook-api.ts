// The admin API's webhook shapes (/api/admin/v1/webhooks): validated by the Worker, described in
// the OpenAPI document, imported as types by the Control Panel. What a URL may be (https, public)
// depends on the deployment, so the route checks that (src/server/webhooks/url.ts), not the schema.
import * as v from "valibot";
import { named, singleLine, Timestamp } from "./protocol.ts";
import { webhookDeliveryStatuses, webhookEventTypes } from "./webhooks.ts";

/** Most endpoints one account may have. */
export const MAX_WEBHOOKS_PER_ACCOUNT = 20;
export const MAX_WEBHOOK_URL_LENGTH = 2000;
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 200;

// The answers' schemas are for the OpenAPI document only: marked pure, so the Worker drops them.
export const WebhookEndpoint = /* @__PURE__ */ named(
  "WebhookEndpoint",
  /* @__PURE__ */ v.object({
    id: /* @__PURE__ */ v.string(),
    url: /* @__PURE__ */ v.string(),
    description: /* @__PURE__ */ v.string(),
    /** The event types it receives. */
    events: /* @__PURE__ */ v.array(/* @__PURE__ */ v.picklist(webhookEventTypes)),
    enabled: /* @__PURE__ */ v.boolean(),
    /** Why Parley disabled it (it failed for 24 hours); null when an admin did, or it is enabled. */
    disabledReason: /* @__PURE__ */ v.nullable(/* @__PURE__ */ v.string()),
    /** Since when its deliveries have been failing; null while they succeed. */
    failingSince: /* @__PURE__ */ v.nullable(Timestamp),
    /** Until when the secret before the last rotation still signs too (a second `v1=`). */
    previousSecretExpiresAt: /* @__PURE__ */ v.nullable(Timestamp),
    createdAt: Timestamp,
  }),
);
export type WebhookEndpoint = v.InferOutput<typeof WebhookEndpoint>;

const Url = v.pipe(
  v.string("The URL must be text."),
  v.trim(),
  v.maxLength(MAX_WEBHOOK_URL_LENGTH, `A URL can be at most ${MAX_WEBHOOK_URL_LENGTH} characters long.`),
);
const Events = v.pipe(
  v.array(v.picklist(webhookEventTypes, "Not a webhook event type.")),
  v.minLength(1, "Choose at least one event."),
  v.transform((events) => webhookEventTypes.filter((type) => events.includes(type))),
);
const Description = v.pipe(
  v.string("The description must be text."),
  singleLine("The description"),
  v.trim(),
  v.maxLength(
    MAX_WEBHOOK_DESCRIPTION_LENGTH,
    `A description can be at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters long.`,
  ),
);

/** Leaving out `events` subscribes to every type. */
export const WebhookCreate = v.strictObject({
  url: Url,
  description: v.optional(Description, ""),
  events: v.optional(Events, [...webhookEventTypes]),
});
/** `enabled: true` also clears why it was disabled, and its failing streak. */
export const WebhookUpdate = v.strictObject({
  url: v.optional(Url),
  description: v.optional(Description),
  events: v.optional(Events),
  enabled: v.optional(v.boolean("enabled is true or false.")),
});

/** The signing secret: answered by create and rotate only, never again. */
const Secret = /* @__PURE__ */ v.pipe(
  /* @__PURE__ */ v.string(),
  /* @__PURE__ */ v.description("whsec_…; shown once: store it now."),
);
export const WebhookCreated = /* @__PURE__ */ v.object({ endpoint: WebhookEndpoint, secret: Secret });
export type WebhookCreated = v.InferOutput<typeof WebhookCreated>;

export const WebhookDelivery = /* @__PURE__ */ named(
  "WebhookDelivery",
  /* @__PURE__ */ v.object({
    id: /* @__PURE__ */ v.string(),
    eventId: /* @__PURE__ */ v.string(),
    eventType: /* @__PURE__ */ v.picklist(webhookEventTypes),
    chatId: /* @__PURE__ */ v.string(),
    status: /* @__PURE__ */ v.picklist(webhookDeliveryStatuses),
    /** The receiver's last HTTP status; null if it never answered (timeout, network). */
    responseStatus: /* @__PURE__ */ v.nullable(/* @__PURE__ */ v.number()),
    /** How long the last attempt took, ms. */
    durationMs: /* @__PURE__ */ v.nullable(/* @__PURE__ */ v.number()),
    attempts: /* @__PURE__ */ v.number(),
    lastError: /* @__PURE__ */ v.nullable(/* @__PURE__ */ v.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type WebhookDelivery = v.InferOutput<typeof WebhookDelivery>;
