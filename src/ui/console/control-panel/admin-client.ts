// The Control Panel's client of the public admin API (/api/admin/v1), called with the signed-in
// operator's token like every other console request. Shapes come from the contract in
// src/shared/admin-api.ts, imported as types only: importing its values would bring valibot and
// every schema into the browser bundle.
import type { ErasureReceipt, PrivacyExport, PrivacySubject } from "../../../shared/privacy.ts";
import type * as v from "valibot";
import type {
  ApiKey as ApiKeySchema,
  ApiKeyCreate,
  ApiKeyCreated,
  Account,
  CannedCreate,
  CannedGroup,
  CannedReorder,
  CannedUpdate,
  Department,
  DepartmentCreate,
  DepartmentUpdate,
  MAX_CHATS_LIMIT,
  MAX_MAX_WAIT_S,
  MAX_PAGE,
  MAX_REASSIGN_S,
  MIN_MAX_WAIT_S,
  MIN_REASSIGN_S,
  Operator,
  OperatorCreate,
  OperatorCreated,
  OperatorUpdate,
  Page,
  Settings,
  SettingsUpdate,
} from "../../../shared/admin-api.ts";
import type { AuditEntry } from "../../../shared/audit.ts";
import type { MAX_RING_TIMEOUT_S, MIN_RING_TIMEOUT_S } from "../../../shared/lobby-protocol.ts";
import type { CannedLevel, CannedResponse } from "../../../shared/protocol.ts";
import type { StorageUsage } from "../../../shared/storage-api.ts";
import type { MAX_TAG_NAME_LENGTH, Tag, TagCreate, TagUpdate } from "../../../shared/tags.ts";
import type {
  WebhookCreate,
  WebhookCreated,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookUpdate,
} from "../../../shared/webhook-api.ts";
import { request } from "../api.ts";

export type { AuditEntry, Department, Operator, Settings, Tag, WebhookCreated, WebhookDelivery, WebhookEndpoint };
export type ApiKey = v.InferOutput<typeof ApiKeySchema>;
export type NewCanned = v.InferInput<typeof CannedCreate>;
export type CannedChanges = v.InferInput<typeof CannedUpdate>;
export type NewOperator = v.InferInput<typeof OperatorCreate>;
type OperatorChanges = v.InferInput<typeof OperatorUpdate>;
export type DepartmentChanges = v.InferInput<typeof DepartmentUpdate>;
export type SettingsChanges = v.InferInput<typeof SettingsUpdate>;

const BASE = "/api/admin/v1";
/** The contract's largest page; typed by it, so the two cannot drift apart. */
const PAGE_SIZE: typeof MAX_PAGE = 100;
/** The contract's limits the pages name in their hints, typed by it in the same way (its values
 * would bring their modules' schemas along). */
export const MIN_RING_S: typeof MIN_RING_TIMEOUT_S = 5;
export const MAX_RING_S: typeof MAX_RING_TIMEOUT_S = 300;
export const MIN_WAIT_S: typeof MIN_MAX_WAIT_S = 30;
export const MAX_WAIT_S: typeof MAX_MAX_WAIT_S = 86_400;
export const MOST_CHATS: typeof MAX_CHATS_LIMIT = 100;
export const MIN_REASSIGN: typeof MIN_REASSIGN_S = 30;
export const MAX_REASSIGN: typeof MAX_REASSIGN_S = 3600;
export const TAG_NAME_MAX: typeof MAX_TAG_NAME_LENGTH = 40;

type PrivacySubjectInput = v.InferInput<typeof PrivacySubject>;

const path = (resource: string, id?: string) =>
  id === undefined ? `${BASE}/${resource}` : `${BASE}/${resource}/${encodeURIComponent(id)}`;

/** Every item of a paginated list: the panel shows whole lists (an account has tens of
 * departments and operators, not thousands), so it follows the cursor to the end. */
async function all<T>(resource: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page: Page<T> = await request<Page<T>>(path(resource) + query);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export const admin = {
  account: () => request<v.InferOutput<typeof Account>>(path("account")),
  departments: {
    list: () => all<Department>("departments"),
    create: (body: v.InferInput<typeof DepartmentCreate>) =>
      request<Department>(path("departments"), { method: "POST", body }),
    update: (id: string, body: DepartmentChanges) =>
      request<Department>(path("departments", id), { method: "PATCH", body }),
    remove: (id: string) => request<void>(path("departments", id), { method: "DELETE" }),
  },
  operators: {
    list: () => all<Operator>("operators"),
    create: (body: NewOperator) =>
      request<v.InferOutput<typeof OperatorCreated>>(path("operators"), { method: "POST", body }),
    update: (id: string, body: OperatorChanges) => request<Operator>(path("operators", id), { method: "PATCH", body }),
    setPassword: (id: string, password: string) =>
      request<void>(`${path("operators", id)}/password`, { method: "POST", body: { password } }),
  },
  canned: {
    /** Every response of the account, ordered company, department, operator, then owner, then position. */
    list: async () => (await request<Page<CannedResponse>>(path("canned-responses"))).items,
    create: (body: NewCanned) => request<CannedResponse>(path("canned-responses"), { method: "POST", body }),
    update: (id: string, body: CannedChanges) =>
      request<CannedResponse>(path("canned-responses", id), { method: "PATCH", body }),
    remove: (id: string) => request<void>(path("canned-responses", id), { method: "DELETE" }),
    /** `ids` is the whole group (one level and owner) in its new order. */
    reorder: (level: CannedLevel, ownerId: string | null, ids: string[]) => {
      const body: v.InferInput<typeof CannedReorder> = ownerId === null ? { level, ids } : { level, ownerId, ids };
      return request<v.InferOutput<typeof CannedGroup>>(`${path("canned-responses")}/order`, { method: "PUT", body });
    },
  },
  apiKeys: {
    list: () => all<ApiKey>("api-keys"),
    create: (body: v.InferInput<typeof ApiKeyCreate>) =>
      request<v.InferOutput<typeof ApiKeyCreated>>(path("api-keys"), { method: "POST", body }),
    revoke: (id: string) => request<void>(path("api-keys", id), { method: "DELETE" }),
  },
  tags: {
    list: () => all<Tag>("tags"),
    create: (name: string) =>
      request<Tag>(path("tags"), { method: "POST", body: { name } satisfies v.InferInput<typeof TagCreate> }),
    rename: (id: string, name: string) =>
      request<Tag>(path("tags", id), { method: "PATCH", body: { name } satisfies v.InferInput<typeof TagUpdate> }),
    remove: (id: string) => request<void>(path("tags", id), { method: "DELETE" }),
  },
  webhooks: {
    list: () => all<WebhookEndpoint>("webhooks"),
    create: (body: v.InferInput<typeof WebhookCreate>) =>
      request<WebhookCreated>(path("webhooks"), { method: "POST", body }),
    update: (id: string, body: v.InferInput<typeof WebhookUpdate>) =>
      request<WebhookEndpoint>(path("webhooks", id), { method: "PATCH", body }),
    remove: (id: string) => request<void>(path("webhooks", id), { method: "DELETE" }),
    rotateSecret: (id: string) => request<WebhookCreated>(`${path("webhooks", id)}/rotate-secret`, { method: "POST" }),
    /** The newest deliveries (the log keeps 7 days). */
    deliveries: async (id: string) =>
      (await request<Page<WebhookDelivery>>(`${path("webhooks", id)}/deliveries?limit=${PAGE_SIZE}`)).items,
    resend: (id: string, deliveryId: string) =>
      request<WebhookDelivery>(`${path("webhooks", id)}/deliveries/${encodeURIComponent(deliveryId)}/resend`, {
        method: "POST",
      }),
  },
  auditLog: {
    /** One page, newest first; `cursor` is the `nextCursor` of the page before. */
    page: (cursor?: string) =>
      request<Page<AuditEntry>>(
        `${path("audit-log")}?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      ),
  },
  settings: {
    get: () => request<Settings>(path("settings")),
    update: (body: SettingsChanges) => request<Settings>(path("settings"), { method: "PATCH", body }),
  },
  storage: () => request<StorageUsage>(path("storage")),
  /** One visitor's data (docs/privacy.md): a page of their chats, or their chats erased. */
  privacy: {
    export: (subject: PrivacySubjectInput) =>
      request<PrivacyExport>(path("privacy/export"), { method: "POST", body: subject }),
    erase: (subject: PrivacySubjectInput) =>
      request<ErasureReceipt>(path("privacy/erase"), { method: "POST", body: subject }),
  },
};
