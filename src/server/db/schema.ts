// D1 schema: configuration and indexes only. The message log lives in each ChatRoom object.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { apiKeyRoles, cannedLevels, chatStatuses, operatorRoles, ratings } from "../../shared/protocol.ts";
import { DEFAULT_RING_TIMEOUT_S, routingModes } from "../../shared/lobby-protocol.ts";
import { DEFAULT_MAX_WAIT_S } from "../../shared/admin-api.ts";
import type { BusinessHours } from "../../shared/business-hours.ts";
import { webhookEventTypes, type WebhookDeliveryStatus, type WebhookEventType } from "../../shared/webhooks.ts";

/** Milliseconds since the epoch, set by the database when the row is written. */
const createdAt = () =>
  integer("created_at")
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** JSON object of account settings (widget colour, greeting, ...); shaped by the admin API. */
  settings: text("settings").notNull().default("{}"),
  createdAt: createdAt(),
});

export const departments = sqliteTable(
  "departments",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** How its waiting chats find an operator (shared/lobby-protocol.ts, docs/routing.md). */
    routingMode: text("routing_mode", { enum: routingModes }).notNull().default("everyone"),
    ringTimeoutSeconds: integer("ring_timeout_s").notNull().default(DEFAULT_RING_TIMEOUT_S),
    maxWaitSeconds: integer("max_wait_s").notNull().default(DEFAULT_MAX_WAIT_S),
    /** Unanswered reassignment (durable/unanswered.ts); null: off. */
    reassignAfterSeconds: integer("reassign_after_s"),
    /** JSON BusinessHours (shared/business-hours.ts); null: always open. */
    businessHours: text("business_hours", { mode: "json" }).$type<BusinessHours>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("departments_account_name").on(t.accountId, t.name)],
);

export const operators = sqliteTable(
  "operators",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Sign-in is by email alone, so an email belongs to one operator across all accounts. */
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    role: text("role", { enum: operatorRoles }).notNull().default("operator"),
    /** PBKDF2-SHA256, see src/worker/auth/password.ts for the format. */
    passwordHash: text("password_hash").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** Carried in every session token (`ver`); a password change raises it, which signs out every
     * session signed before. */
    sessionVersion: integer("session_version").notNull().default(0),
    /** Most chats routing gives them at once; null: the account's default. */
    maxChats: integer("max_chats"),
    createdAt: createdAt(),
  },
  (t) => [index("operators_account").on(t.accountId)],
);

/** Sessions an operator signed out of before their token expired: such a token is refused, and
 * the objects refuse its sockets at their next `hello`. A row is of no use once `expiresAt` (the
 * token's own end) has passed, and is deleted with the next sign-out. */
export const endedSessions = sqliteTable("ended_sessions", {
  sessionId: text("session_id").primaryKey(),
  operatorId: text("operator_id")
    .notNull()
    .references(() => operators.id, { onDelete: "cascade" }),
  expiresAt: integer("expires_at").notNull(),
});

export const operatorDepartments = sqliteTable(
  "operator_departments",
  {
    operatorId: text("operator_id")
      .notNull()
      .references(() => operators.id, { onDelete: "cascade" }),
    departmentId: text("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.operatorId, t.departmentId] }),
    index("operator_departments_department").on(t.departmentId),
  ],
);

export const cannedResponses = sqliteTable(
  "canned_responses",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    level: text("level", { enum: cannedLevels }).notNull(),
    /** The department id or operator id the response belongs to; null at company level. */
    ownerId: text("owner_id"),
    title: text("title").notNull(),
    text: text("text").notNull(),
    shortcut: text("shortcut"),
    /** Admin-chosen order within one level and owner. */
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer("updated_at")
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("canned_account_level_owner").on(t.accountId, t.level, t.ownerId, t.position)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the secret, hex; the secret itself is shown once and never stored. */
    keyHash: text("key_hash").notNull().unique(),
    /** The first characters of the secret, so people can tell their keys apart. */
    prefix: text("prefix").notNull(),
    /** What the key may do, as an operator of this role may; never above its creator's role. */
    role: text("role", { enum: apiKeyRoles }).notNull().default("owner"),
    /** The operator who created it; null for keys of the seed and the CLI (owner keys). Not a
     * foreign key: a key whose creator is gone is refused (principal.ts), never orphaned into a
     * creator-less, owner-like key. */
    createdBy: text("created_by"),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_keys_account").on(t.accountId), index("api_keys_created_by").on(t.createdBy)],
);

/** An index of chats for lists and filters; the chat's truth is its ChatRoom object. */
export const chats = sqliteTable(
  "chats",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    departmentId: text("department_id").references(() => departments.id, { onDelete: "set null" }),
    visitorId: text("visitor_id").notNull(),
    visitorName: text("visitor_name").notNull(),
    visitorEmail: text("visitor_email"),
    status: text("status", { enum: chatStatuses }).notNull().default("waiting"),
    /** JSON array of the ids of the operators in the chat now (joined and not left). */
    operatorIds: text("operator_ids").notNull().default("[]"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at")
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    closedAt: integer("closed_at"),
    /** The visitor's rating and comment, once given (the ChatRoom holds the same). */
    rating: text("rating", { enum: ratings }),
    ratingComment: text("rating_comment"),
    /** Left through the widget's offline form while no operator was online. */
    offline: integer("offline", { mode: "boolean" }).notNull().default(false),
    /** When it moved from the queue to `missed` (nobody took it in time); kept if it is taken later. */
    missedAt: integer("missed_at"),
    /** Where the visitor was when the chat started, from the request that started it (the edge's
     * `request.cf.country` and the browser's User-Agent, cut to 300 characters); null if unknown. */
    visitorCountry: text("visitor_country"),
    visitorUserAgent: text("visitor_user_agent"),
  },
  (t) => [
    index("chats_account_status").on(t.accountId, t.status, t.updatedAt),
    index("chats_account_created").on(t.accountId, t.createdAt),
  ],
);

/** The account's tag list (admin API, Control Panel); operators put them on chats. */
export const tags = sqliteTable(
  "tags",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("tags_account_name").on(t.accountId, t.name)],
);

/** An account's webhook endpoints (docs/webhooks.md). The secrets sign deliveries, so they are
 * kept as they are; the API shows one only when it is made. After a rotation the previous secret
 * signs too, until `previousSecretExpiresAt`. */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** JSON array of webhook event types (shared/webhooks.ts). */
    events: text("events", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** Why the delivery consumer disabled it; null when enabled or disabled by an admin. */
    disabledReason: text("disabled_reason"),
    /** The first failed attempt since the last success; null while deliveries succeed. */
    failingSince: integer("failing_since"),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_endpoints_account").on(t.accountId, t.id)],
);

/** The delivery log: one row per (endpoint, event), kept 7 days (older rows are deleted as new ones
 * are written). `payload` is the body as sent, so "send again" sends the very same bytes. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    accountId: text("account_id").notNull(),
    chatId: text("chat_id").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type", { enum: webhookEventTypes }).notNull(),
    payload: text("payload").notNull(),
    status: text("status").$type<WebhookDeliveryStatus>().notNull().default("pending"),
    responseStatus: integer("response_status"),
    durationMs: integer("duration_ms"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at")
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event").on(t.endpointId, t.eventId),
    index("webhook_deliveries_endpoint").on(t.endpointId, t.id),
    index("webhook_deliveries_created").on(t.createdAt),
    // Erasing a chat deletes its deliveries (their bodies hold its messages).
    index("webhook_deliveries_chat").on(t.chatId),
  ],
);

/** Every admin action (docs/privacy.md, "Audit log"): who, when, from which address, what. Rows
 * are never changed and are deleted only when a year old (triggers in migrations/0011 refuse
 * anything else). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    /** Larger is later: the log lists newest first by it. */
    id: integer("id").primaryKey(),
    accountId: text("account_id").notNull(),
    at: integer("at").notNull(),
    actorKind: text("actor_kind", { enum: ["operator", "apiKey"] }).notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name"),
    /** The client's address (CF-Connecting-IP), when known. */
    address: text("address"),
    /** "METHOD /path" of the admin API route, with its ids. */
    action: text("action").notNull(),
    targetId: text("target_id"),
    status: integer("status").notNull(),
    /** JSON of what was asked to change (the request body, secrets left out), or null. */
    changes: text("changes"),
  },
  (t) => [index("audit_log_account").on(t.accountId, t.id), index("audit_log_at").on(t.at)],
);
