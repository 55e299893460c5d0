// Request and response schemas of the admin API (`/api/admin/v1`), defined once: the Worker
// validates with them, TypeScript types come from them, the OpenAPI document is generated from
// them, and the console's Control Panel imports the same types. The shapes the chat API shares
// with it (ChatSummarySchema, CannedResponseSchema, ProblemSchema, MessageSchema) are in
// protocol.ts.
import * as v from "valibot";
import {
  apiKeyRoles,
  CannedResponseSchema,
  cannedLevels,
  chatStatuses,
  ChatSummarySchema,
  Id,
  MAX_TEXT_LENGTH,
  MessageSchema,
  named,
  operatorRoles,
  singleLine,
  Timestamp,
} from "./protocol.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./passwords.ts";
import { widgetLanguages } from "./widget-api.ts";
import { BusinessHoursSchema } from "./business-hours.ts";
import { DEFAULT_RING_TIMEOUT_S, MAX_RING_TIMEOUT_S, MIN_RING_TIMEOUT_S, routingModes } from "./lobby-protocol.ts";

// Every message here is shown to a person next to the field it is about (the problem document's
// `fields`), so each says in words what the field needs.
/** A required line of text; `what` names it in the messages ("The name", "The title"). One line
 * it is: names and titles go into transcripts and email headers, where a line break could forge
 * a line or a header. */
function line(what: string, max = 100) {
  return v.pipe(
    v.string(`${what} must be text.`),
    singleLine(what),
    v.trim(),
    v.minLength(1, `${what} cannot be empty.`),
    v.maxLength(max, `${what} can be at most ${max} characters long.`),
  );
}
const Name = line("The name");
const Email = v.pipe(
  v.string("The email address must be text."),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254, "An email address can be at most 254 characters long."),
  v.email("Enter an email address like name@example.com."),
);
const Password = v.pipe(
  v.string("The password must be text."),
  v.minLength(PASSWORD_MIN_LENGTH, `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`),
  v.maxLength(PASSWORD_MAX_LENGTH, `A password can be at most ${PASSWORD_MAX_LENGTH} characters long.`),
);
const Role = v.picklist(operatorRoles, "A role is owner, admin or operator.");

// ---- Pagination --------------------------------------------------------------------------------
export const MAX_PAGE = 100;
export const PageQuery = v.strictObject({
  /** The `nextCursor` of the previous page. */
  cursor: v.optional(Id),
  limit: v.optional(
    v.pipe(v.string(), v.digits(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE)),
  ),
});
export function pageOf<T extends v.GenericSchema>(item: T) {
  return v.object({ items: v.array(item), nextCursor: v.nullable(v.string()) });
}
export type Page<T> = { items: T[]; nextCursor: string | null };

// ---- Departments -------------------------------------------------------------------------------
/** How long a chat may wait for an operator before it is missed, unless the department says. */
export const DEFAULT_MAX_WAIT_S = 600;
export const MIN_MAX_WAIT_S = 30;
export const MAX_MAX_WAIT_S = 86_400; // 24 hours
/** The range of `reassignAfterSeconds`, when it is set. */
export const MIN_REASSIGN_S = 30;
export const MAX_REASSIGN_S = 3600;
export const Department = named(
  "Department",
  v.object({
    id: v.string(),
    name: v.string(),
    /** How its waiting chats find an operator (docs/routing.md). */
    routingMode: v.picklist(routingModes),
    /** In the automatic modes, how long a chat rings for one operator before it moves on. */
    ringTimeoutSeconds: v.number(),
    /** How long a chat may wait before it is missed. */
    maxWaitSeconds: v.number(),
    /** A chat under way whose visitor got no operator answer for this long is offered to another
     * operator; null: never. */
    reassignAfterSeconds: v.nullable(v.number()),
    /** When it takes chats (outside, the widget offers to leave a message); null: always. */
    businessHours: v.nullable(BusinessHoursSchema),
    createdAt: Timestamp,
  }),
);
export type Department = v.InferOutput<typeof Department>;
const DepartmentName = line("The department name");
const RoutingMode = v.picklist(routingModes, 'A routing mode is "everyone", "round_robin" or "least_busy".');
function seconds(what: string, min: number, max: number) {
  return v.pipe(
    v.number(`${what} must be a number of seconds.`),
    v.integer(`${what} must be a whole number of seconds.`),
    v.minValue(min, `${what} must be at least ${min} seconds.`),
    v.maxValue(max, `${what} can be at most ${max} seconds.`),
  );
}
const RingTimeout = seconds("The ring time", MIN_RING_TIMEOUT_S, MAX_RING_TIMEOUT_S);
const MaxWait = seconds("The longest wait", MIN_MAX_WAIT_S, MAX_MAX_WAIT_S);
const ReassignAfter = seconds("The time to an answer", MIN_REASSIGN_S, MAX_REASSIGN_S);
export const DepartmentCreate = v.strictObject({
  name: DepartmentName,
  routingMode: v.optional(RoutingMode, "everyone"),
  ringTimeoutSeconds: v.optional(RingTimeout, DEFAULT_RING_TIMEOUT_S),
  maxWaitSeconds: v.optional(MaxWait, DEFAULT_MAX_WAIT_S),
  reassignAfterSeconds: v.optional(v.nullable(ReassignAfter), null),
  businessHours: v.optional(v.nullable(BusinessHoursSchema), null),
});
export const DepartmentUpdate = v.strictObject({
  name: v.optional(DepartmentName),
  routingMode: v.optional(RoutingMode),
  ringTimeoutSeconds: v.optional(RingTimeout),
  maxWaitSeconds: v.optional(MaxWait),
  reassignAfterSeconds: v.optional(v.nullable(ReassignAfter)),
  businessHours: v.optional(v.nullable(BusinessHoursSchema)),
});

/** Most chats one operator may be given at once, when a capacity is set. */
export const MAX_CHATS_LIMIT = 100;
/** A capacity, or null; `unset` says what null means where it is set (an operator's: the
 * account's default; the account's: no limit). */
function maxChats(unset: string) {
  return v.nullable(
    v.pipe(
      v.number("A capacity must be a number of chats."),
      v.integer("A capacity must be a whole number of chats."),
      v.minValue(1, `A capacity must be at least 1 chat; leave it empty for ${unset}.`),
      v.maxValue(MAX_CHATS_LIMIT, `A capacity can be at most ${MAX_CHATS_LIMIT} chats.`),
    ),
  );
}
const MaxChats = maxChats("the account's default");

// ---- Operators ---------------------------------------------------------------------------------
export const Operator = named(
  "Operator",
  v.object({
    id: v.string(),
    email: v.string(),
    name: v.string(),
    role: v.picklist(operatorRoles),
    departmentIds: v.array(v.string()),
    active: v.boolean(),
    /** False until an invited operator has chosen a password. */
    hasPassword: v.boolean(),
    /** Most chats routing gives them at once; null: the account's default (Settings). */
    maxChats: v.nullable(v.number()),
    createdAt: Timestamp,
  }),
);
export type Operator = v.InferOutput<typeof Operator>;
export const OperatorCreate = v.strictObject({
  email: Email,
  name: Name,
  role: v.optional(Role, "operator"),
  departmentIds: v.optional(v.pipe(v.array(Id), v.maxLength(100)), []),
  /** Without a password the answer carries an invitation token for the operator to choose one. */
  password: v.optional(Password),
  maxChats: v.optional(MaxChats, null),
});
export const OperatorUpdate = v.strictObject({
  name: v.optional(Name),
  role: v.optional(Role),
  departmentIds: v.optional(v.pipe(v.array(Id), v.maxLength(100))),
  /** false deactivates: the operator's sessions and sockets stop working at once. */
  active: v.optional(v.boolean()),
  maxChats: v.optional(MaxChats),
});
export const PasswordReset = v.strictObject({ password: Password });
const SignUpInvitation = v.object({
  token: v.pipe(
    v.string(),
    v.description(
      "Shown once. Hand it on as the console link <console origin>/#/invitation/<token>, where the operator chooses a password; or they send it with a password to POST /api/operator/invitations/accept.",
    ),
  ),
  expiresAt: Timestamp,
});
export const OperatorCreated = v.object({ operator: Operator, invitation: v.nullable(SignUpInvitation) });
export type OperatorCreated = v.InferOutput<typeof OperatorCreated>;
const SignUpInvitationToken = v.pipe(
  v.string(),
  v.minLength(1, "The invitation link has no token."),
  v.maxLength(2048, "This is not an invitation token."),
);
export const SignUpInvitationAccept = v.strictObject({ token: SignUpInvitationToken, password: Password });
/** `POST /api/operator/invitations/lookup`: who a sign-up invitation is for, before accepting it. The
 * token travels in the body, not the URL, so it stays out of logs. */
export const SignUpInvitationLookup = v.strictObject({ token: SignUpInvitationToken });
/** The answer for a good invitation only; a bad one is a problem saying just why it is not
 * usable (`token_invalid`, `token_expired`, `invitation_used`, `invitation_revoked`). */
export const SignUpInvitationDetails = v.object({ name: v.string(), email: v.string(), expiresAt: Timestamp });
export type SignUpInvitationDetails = v.InferOutput<typeof SignUpInvitationDetails>;

// ---- Canned responses --------------------------------------------------------------------------
const Title = line("The title");
/** As long as a message may be: the console sends a canned response as one. */
const CannedText = v.pipe(
  v.string("The text must be text."),
  v.check((text) => text.trim().length > 0, "The text cannot be empty."),
  v.maxLength(MAX_TEXT_LENGTH, `The text can be at most ${MAX_TEXT_LENGTH} characters long.`),
);
// Patterns without flags: JSON Schema (and so the OpenAPI document) has no way to say "/i".
const Shortcut = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^[A-Za-z0-9_-]{1,32}$/, "A shortcut is 1-32 letters, digits, _ or -."),
);
export const CannedCreate = v.strictObject({
  level: v.picklist(cannedLevels),
  /** The department (level department) or operator (level operator); absent for company. */
  ownerId: v.optional(Id),
  title: Title,
  text: CannedText,
  shortcut: v.optional(v.nullable(Shortcut)),
});
export const CannedUpdate = v.strictObject({
  title: v.optional(Title),
  text: v.optional(CannedText),
  shortcut: v.optional(v.nullable(Shortcut)),
});
/** Sets the order of one group (a level and owner): every id of the group, in the new order. */
export const CannedReorder = v.strictObject({
  level: v.picklist(cannedLevels),
  ownerId: v.optional(Id),
  ids: v.pipe(v.array(Id), v.minLength(1), v.maxLength(500)),
});
export const CannedListQuery = v.strictObject({ level: v.optional(v.picklist(cannedLevels)), ownerId: v.optional(Id) });
/** One group (a level and owner) in its order: the answer to a reorder. */
export const CannedGroup = v.object({ items: v.array(CannedResponseSchema) });
/** An operator's own response (`/api/operator/canned-responses`, when the account allows it):
 * level operator and owner the operator are implied. */
export const OwnCannedCreate = v.strictObject({
  title: Title,
  text: CannedText,
  shortcut: v.optional(v.nullable(Shortcut)),
});
export const OwnCannedUpdate = CannedUpdate;

// ---- API keys ----------------------------------------------------------------------------------
const ApiKeyRoleSchema = v.picklist(apiKeyRoles, "A key's role is owner or admin.");
export const ApiKey = named(
  "ApiKey",
  v.object({
    id: v.string(),
    name: v.string(),
    /** What the key may do: what an operator of this role may. Never above its creator's role: a
     * key follows its creator down (owner → admin) and is revoked when they are deactivated or
     * become a plain operator. */
    role: ApiKeyRoleSchema,
    /** The operator who created it (a key made with a key: that key's creator); null for keys made
     * by the seed or `npm run account:create`, and keys made with those. */
    createdBy: v.nullable(v.string()),
    /** The first characters of the key, to tell keys apart; the key itself is never shown again. */
    prefix: v.string(),
    createdAt: Timestamp,
    lastUsedAt: v.nullable(Timestamp),
    revokedAt: v.nullable(Timestamp),
  }),
);
export type ApiKey = v.InferOutput<typeof ApiKey>;
export const ApiKeyCreate = v.strictObject({
  name: line("The key's name"),
  /** At most the creator's own role; owner keys only by owners. Defaults to the creator's role. */
  role: v.optional(ApiKeyRoleSchema),
});
export const ApiKeyCreated = v.object({
  apiKey: ApiKey,
  secret: v.pipe(v.string(), v.description("Shown once; store it now.")),
});
export type ApiKeyCreated = v.InferOutput<typeof ApiKeyCreated>;

// ---- Account settings --------------------------------------------------------------------------
/** One check, so a bad entry gets one message. */
const Origin = v.pipe(
  v.string(),
  v.check(
    (url) => /^https?:\/\/[^/]+$/.test(url) && URL.canParse(url),
    "An origin is a scheme and host with no path, like https://www.example.com.",
  ),
);
export const Settings = named(
  "Settings",
  v.object({
    displayName: v.string(),
    widgetColor: v.string(),
    greeting: v.string(),
    offlineMessage: v.string(),
    allowedOrigins: v.array(v.string()),
    fileSizeLimitBytes: v.number(),
    allowedFileTypes: v.array(v.string()),
    transcriptSenderName: v.string(),
    /** Off by default, as in the manual: only admins manage canned responses. */
    operatorsManageOwnResponses: v.boolean(),
    /** Off by default: the widget asks for name, email and department before the chat starts. */
    preChatForm: v.boolean(),
    /** The widget's language for every visitor, or "auto" for each visitor's browser language. */
    language: v.picklist(widgetLanguages),
    /** Most chats routing gives one operator at once, unless the operator has their own; null:
     * no limit ("as many chats concurrently as you can handle"). */
    maxChatsPerOperator: v.nullable(v.number()),
    /** Days after a chat ends that it is deleted everywhere (docs/privacy.md); null: kept. */
    retentionDays: v.nullable(v.number()),
    /** Most bytes of files the account's chats may hold in all (docs/privacy.md). */
    storageQuotaBytes: v.number(),
  }),
);
export type Settings = v.InferOutput<typeof Settings>;
export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 3650;
export const MAX_STORAGE_QUOTA_BYTES = 10 * 1024 ** 4;
export const SettingsUpdate = v.strictObject({
  displayName: v.optional(line("The display name")),
  widgetColor: v.optional(
    v.pipe(
      v.string("Widget colour must be a hex colour like #0a7cff."),
      v.hexColor("Widget colour must be a hex colour like #0a7cff."),
    ),
  ),
  greeting: v.optional(v.pipe(v.string(), v.maxLength(500, "The greeting can be at most 500 characters long."))),
  offlineMessage: v.optional(
    v.pipe(v.string(), v.maxLength(500, "The offline message can be at most 500 characters long.")),
  ),
  allowedOrigins: v.optional(v.pipe(v.array(Origin), v.maxLength(50, "At most 50 origins."))),
  fileSizeLimitBytes: v.optional(
    v.pipe(
      v.number("The file size limit must be a number."),
      v.integer("The file size limit must be a whole number of bytes."),
      v.minValue(1, "The file size limit must be more than 0."),
      v.maxValue(100 * 1024 * 1024, "The file size limit can be at most 100 MB."),
    ),
  ),
  allowedFileTypes: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(),
          v.regex(/^[A-Za-z0-9.+-]+\/[A-Za-z0-9.+*-]+$/, "A file type is a MIME type such as image/png or image/*."),
        ),
      ),
      v.maxLength(50, "At most 50 file types."),
    ),
  ),
  transcriptSenderName: v.optional(line("The sender name")),
  operatorsManageOwnResponses: v.optional(v.boolean()),
  preChatForm: v.optional(v.boolean()),
  language: v.optional(v.picklist(widgetLanguages, 'A language is "auto", "en" or "de".')),
  maxChatsPerOperator: v.optional(maxChats("no limit")),
  retentionDays: v.optional(
    v.nullable(
      v.pipe(
        v.number("Retention is a number of days, or null to keep chats."),
        v.integer("Retention is a whole number of days."),
        v.minValue(MIN_RETENTION_DAYS, `Retention is at least ${MIN_RETENTION_DAYS} days.`),
        v.maxValue(MAX_RETENTION_DAYS, `Retention is at most ${MAX_RETENTION_DAYS} days.`),
      ),
    ),
  ),
  storageQuotaBytes: v.optional(
    v.pipe(
      v.number("The storage quota must be a number of bytes."),
      v.integer("The storage quota must be a whole number of bytes."),
      v.minValue(1024 * 1024, "The storage quota is at least 1 MB."),
      v.maxValue(MAX_STORAGE_QUOTA_BYTES, "The storage quota is at most 10 TB."),
    ),
  ),
});
export const DEFAULT_SETTINGS: Omit<Settings, "displayName"> = {
  widgetColor: "#2457d6",
  greeting: "Hi! How can we help?",
  offlineMessage: "We are away right now. Leave a message and we will get back to you by email.",
  allowedOrigins: [],
  fileSizeLimitBytes: 10 * 1024 * 1024,
  allowedFileTypes: ["image/*", "application/pdf", "text/plain"],
  transcriptSenderName: "Parley",
  operatorsManageOwnResponses: false,
  preChatForm: false,
  language: "auto",
  maxChatsPerOperator: null,
  retentionDays: null,
  storageQuotaBytes: 5 * 1024 ** 3,
};

// ---- Chats -------------------------------------------------------------------------------------
export const ChatListQuery = v.strictObject({
  ...PageQuery.entries,
  status: v.optional(v.picklist(chatStatuses)),
  departmentId: v.optional(Id),
  operatorId: v.optional(Id),
  /** Started at or after, ms since the epoch. */
  from: v.optional(v.pipe(v.string(), v.digits(), v.transform(Number))),
  /** Started before, ms since the epoch. */
  to: v.optional(v.pipe(v.string(), v.digits(), v.transform(Number))),
});

/** Most messages `GET /chats/:id` returns; longer chats page on through /api/chats/:id/messages. */
export const MAX_CHAT_MESSAGES = 1000;
export const ChatDetail = v.object({
  chat: ChatSummarySchema,
  messages: v.pipe(v.array(named("Message", MessageSchema)), v.maxLength(MAX_CHAT_MESSAGES)),
});
export type ChatDetail = v.InferOutput<typeof ChatDetail>;

// ---- Account -----------------------------------------------------------------------------------
export const Account = v.object({ id: v.string(), name: v.string() });
