// Request and response schemas of the admin API (`/api/admin/v1`), defined once: the Worker
// validates with them, TypeScript types come from them, the OpenAPI document is generated from
// them, and the console's Control Panel imports the same types.
import * as v from "valibot";
import { cannedLevels, chatStatuses, operatorRoles } from "./protocol.ts";

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));
const Email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email());
const Password = v.pipe(v.string(), v.minLength(10, "Passwords need at least 10 characters."), v.maxLength(1024));
const Timestamp = v.pipe(v.number(), v.description("Milliseconds since the epoch"));

// ---- Pagination --------------------------------------------------------------------------------
export const MAX_PAGE = 100;
export const PageQuery = v.strictObject({
  /** The `nextCursor` of the previous page. */
  cursor: v.optional(Id),
  limit: v.optional(v.pipe(v.string(), v.digits(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE))),
});
export function pageOf<T extends v.GenericSchema>(item: T) {
  return v.object({ items: v.array(item), nextCursor: v.nullable(v.string()) });
}
export type Page<T> = { items: T[]; nextCursor: string | null };

// ---- Departments -------------------------------------------------------------------------------
export const Department = v.object({ id: v.string(), name: v.string(), createdAt: Timestamp });
export type Department = v.InferOutput<typeof Department>;
export const DepartmentCreate = v.strictObject({ name: Name });
export const DepartmentUpdate = v.strictObject({ name: Name });

// ---- Operators ---------------------------------------------------------------------------------
export const Operator = v.object({
  id: v.string(),
  email: v.string(),
  name: v.string(),
  role: v.picklist(operatorRoles),
  departmentIds: v.array(v.string()),
  active: v.boolean(),
  /** False until an invited operator has chosen a password. */
  hasPassword: v.boolean(),
  createdAt: Timestamp,
});
export type Operator = v.InferOutput<typeof Operator>;
export const OperatorCreate = v.strictObject({
  email: Email,
  name: Name,
  role: v.optional(v.picklist(operatorRoles), "operator"),
  departmentIds: v.optional(v.pipe(v.array(Id), v.maxLength(100)), []),
  /** Without a password the answer carries an invitation token for the operator to choose one. */
  password: v.optional(Password),
});
export const OperatorUpdate = v.strictObject({
  name: v.optional(Name),
  role: v.optional(v.picklist(operatorRoles)),
  departmentIds: v.optional(v.pipe(v.array(Id), v.maxLength(100))),
  /** false deactivates: the operator's sessions and sockets stop working at once. */
  active: v.optional(v.boolean()),
});
export const PasswordReset = v.strictObject({ password: Password });
export const Invitation = v.object({ token: v.string(), expiresAt: Timestamp });
export const OperatorCreated = v.object({ operator: Operator, invitation: v.nullable(Invitation) });
export const InvitationAccept = v.strictObject({ token: v.pipe(v.string(), v.minLength(1), v.maxLength(2048)), password: Password });

// ---- Canned responses --------------------------------------------------------------------------
const Title = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));
const CannedText = v.pipe(v.string(), v.check((text) => text.trim().length > 0, "The text is empty."), v.maxLength(5000));
const Shortcut = v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9_-]{1,32}$/i, "A shortcut is 1-32 letters, digits, _ or -."));
export const CannedResponseSchema = v.object({
  id: v.string(),
  level: v.picklist(cannedLevels),
  ownerId: v.nullable(v.string()),
  title: v.string(),
  text: v.string(),
  shortcut: v.nullable(v.string()),
  position: v.number(),
});
export const CannedCreate = v.strictObject({
  level: v.picklist(cannedLevels),
  /** The department (level department) or operator (level operator); absent for company. */
  ownerId: v.optional(Id),
  title: Title,
  text: CannedText,
  shortcut: v.optional(v.nullable(Shortcut)),
});
export const CannedUpdate = v.strictObject({ title: v.optional(Title), text: v.optional(CannedText), shortcut: v.optional(v.nullable(Shortcut)) });
/** Sets the order of one group (a level and owner): every id of the group, in the new order. */
export const CannedReorder = v.strictObject({ level: v.picklist(cannedLevels), ownerId: v.optional(Id), ids: v.pipe(v.array(Id), v.minLength(1), v.maxLength(500)) });
export const CannedListQuery = v.strictObject({ level: v.optional(v.picklist(cannedLevels)), ownerId: v.optional(Id) });

// ---- API keys ----------------------------------------------------------------------------------
export const ApiKey = v.object({
  id: v.string(),
  name: v.string(),
  /** The first characters of the key, to tell keys apart; the key itself is never shown again. */
  prefix: v.string(),
  createdAt: Timestamp,
  lastUsedAt: v.nullable(Timestamp),
  revokedAt: v.nullable(Timestamp),
});
export const ApiKeyCreate = v.strictObject({ name: Name });
export const ApiKeyCreated = v.object({ apiKey: ApiKey, secret: v.pipe(v.string(), v.description("Shown once; store it now.")) });

// ---- Account settings --------------------------------------------------------------------------
const Origin = v.pipe(v.string(), v.url(), v.check((url) => /^https?:\/\/[^/]+$/.test(url), "An origin is scheme://host[:port] with no path."));
export const Settings = v.object({
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
});
export type Settings = v.InferOutput<typeof Settings>;
export const SettingsUpdate = v.strictObject({
  displayName: v.optional(Name),
  widgetColor: v.optional(v.pipe(v.string(), v.hexColor("A colour is #rgb or #rrggbb."))),
  greeting: v.optional(v.pipe(v.string(), v.maxLength(500))),
  offlineMessage: v.optional(v.pipe(v.string(), v.maxLength(500))),
  allowedOrigins: v.optional(v.pipe(v.array(Origin), v.maxLength(50))),
  fileSizeLimitBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100 * 1024 * 1024))),
  allowedFileTypes: v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(/^[a-z0-9.+-]+\/[a-z0-9.+*-]+$/i, "A file type is a MIME type such as image/png or image/*."))), v.maxLength(50))),
  transcriptSenderName: v.optional(Name),
  operatorsManageOwnResponses: v.optional(v.boolean()),
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
