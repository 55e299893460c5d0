// The audit log of the admin API: one entry per request that changed (or tried to change)
// something, written by the admin API's own middleware (src/worker/routes/admin/audit.ts) and read
// back at `GET /api/admin/v1/audit-log`. Entries are kept a year and cannot be edited (triggers of
// migration 0011). docs/audit-log.md says what is recorded and what is left out.
import * as v from "valibot";
import { PageQuery } from "./admin-api.ts";
import { Id, named, Timestamp } from "./protocol.ts";

export const auditActorKinds = ["operator", "apiKey"] as const;
export type AuditActorKind = (typeof auditActorKinds)[number];

// The answer's schema is for the OpenAPI document only: marked pure, so the Worker drops it.
export const AuditEntry = /* @__PURE__ */ named(
  "AuditEntry",
  /* @__PURE__ */ v.object({
    /** Larger is later. */
    id: /* @__PURE__ */ v.number(),
    at: Timestamp,
    actorKind: /* @__PURE__ */ v.picklist(auditActorKinds),
    /** The operator's id, or the API key's. */
    actorId: /* @__PURE__ */ v.string(),
    /** Their name at the time (an operator's name, or the key's). */
    actorName: /* @__PURE__ */ v.nullable(/* @__PURE__ */ v.string()),
    address: /* @__PURE__ */ v.pipe(
      /* @__PURE__ */ v.nullable(/* @__PURE__ */ v.string()),
      /* @__PURE__ */ v.description("The client's IP address, when known."),
    ),
    action: /* @__PURE__ */ v.pipe(
      /* @__PURE__ */ v.string(),
      /* @__PURE__ */ v.description('The method and the route, with its parameters named: "PATCH /departments/:id".'),
    ),
    targetId: /* @__PURE__ */ v.pipe(
      /* @__PURE__ */ v.nullable(/* @__PURE__ */ v.string()),
      /* @__PURE__ */ v.description("The `:id` of the route, or the id a create answered with; null if neither."),
    ),
    status: /* @__PURE__ */ v.pipe(
      /* @__PURE__ */ v.number(),
      /* @__PURE__ */ v.description("The HTTP status of the answer; 4xx when it was refused."),
    ),
    changes: /* @__PURE__ */ v.pipe(
      /* @__PURE__ */ v.unknown(),
      /* @__PURE__ */ v.description(
        'The JSON body that was sent, with any field named like a password, secret, token or key as "[redacted]" and long texts and lists cut; null if there was none.',
      ),
    ),
  }),
);
export type AuditEntry = v.InferOutput<typeof AuditEntry>;

const Millis = v.pipe(v.string(), v.digits(), v.transform(Number));

export const AuditLogQuery = v.strictObject({
  /** `limit`, as every list has it; `cursor` is the id of the last entry of the previous page. */
  ...PageQuery.entries,
  cursor: v.optional(Millis),
  actorId: v.optional(Id),
  /** "PATCH /departments/:id" exactly, or a prefix ending in `*`: "DELETE *", "POST /operators*". */
  action: v.optional(v.pipe(v.string(), v.maxLength(200))),
  /** At or after, ms since the epoch. */
  from: v.optional(Millis),
  /** Before, ms since the epoch. */
  to: v.optional(Millis),
});
