// The console's HTTP client: adds the operator's token, turns problem+json answers into ApiError,
// and ends the session on any 401, because a rejected token will not get better by retrying.
import type * as v from "valibot";
import type {
  SignUpInvitationAccept,
  SignUpInvitationDetails,
  SignUpInvitationLookup,
  OwnCannedCreate,
  OwnCannedUpdate,
} from "../../shared/admin-api.ts";
import type {
  AcceptResponse,
  InvitationRequest,
  InvitationResponse,
  JoinResponse,
  TransferRequest,
  TransferResponse,
} from "../../shared/lobby-protocol.ts";
import type {
  CannedResponse,
  CannedResponsesResponse,
  ChatsResponse,
  DepartmentsResponse,
  FileLinkResponse,
  HistoryPage,
  OperatorLoginResponse,
  OperatorProfile,
  Problem,
  ProblemField,
  TranscriptRequest,
  TranscriptResponse,
} from "../../shared/protocol.ts";
import type { HistoryChat, HistoryFilters, HistoryListPage, SearchPage } from "../../shared/history.ts";
import { socketProtocols } from "../../shared/socket-auth.ts";
import type { StorageUsage } from "../../shared/storage-api.ts";
import type { ChatTagsRequest, ChatTagsResponse, TagsResponse } from "../../shared/tags.ts";
import type { VisitorContext } from "../../shared/visitor-context.ts";
import { session, tokenRejected } from "./session.ts";

/** `status` 0 and code "network" mean the request never got an answer. `errors` lists what a
 * validation failure (422) found, as "field: message" lines; `fields` the same (and a conflict's
 * field) by field, for a form to show each next to its field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: Problem["code"] | "network",
    detail: string,
    readonly errors: readonly string[] = [],
    readonly fields: readonly ProblemField[] = [],
  ) {
    super(detail);
  }
}

type RequestOptions = { method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; body?: unknown; authenticated?: boolean };

/** Exported for the Control Panel's admin client, which speaks to the same origin the same way. */
export async function request<T>(
  path: string,
  { method = "GET", body, authenticated = true }: RequestOptions = {},
): Promise<T> {
  const token = authenticated ? session()?.token : undefined;
  if (authenticated && !token) throw new ApiError(401, "token_missing", "You are signed out.");
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached. Check your connection.");
  }
  // 204 (a delete, a password reset) has no body to parse.
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
  const problem = (await response.json().catch(() => null)) as Partial<Problem> | null;
  if (response.status === 401 && token) tokenRejected(token);
  if (response.status === 403 && problem?.code === "deactivated" && token) tokenRejected(token, "deactivated");
  const errors = Array.isArray(problem?.errors) ? problem.errors : [];
  const fields = Array.isArray(problem?.fields)
    ? problem.fields.filter((f) => typeof f?.path === "string" && typeof f.message === "string")
    : [];
  throw new ApiError(
    response.status,
    problem?.code ?? "internal",
    problem?.detail ?? `The server answered ${response.status}.`,
    errors,
    fields,
  );
}

/** A query string of the filters that are set. */
function queryOf(params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== "") query.set(key, String(value));
  return query.toString();
}
/** History filters as the console holds them (the query's strings, before the server reads them). */
export type HistoryQuery = { [K in keyof HistoryFilters]?: string } & { q?: string };

/** The newest page of a chat: `before` larger than any seq can be. */
const NEWEST = Number.MAX_SAFE_INTEGER;

export const api = {
  login: (email: string, password: string) =>
    request<OperatorLoginResponse>("/api/operator/login", {
      method: "POST",
      body: { email, password },
      authenticated: false,
    }),
  /** Whom a sign-up invitation is for; the token is the credential, sent in the body. */
  lookupSignUpInvitation: (token: string) =>
    request<SignUpInvitationDetails>("/api/operator/invitations/lookup", {
      method: "POST",
      body: { token } satisfies v.InferInput<typeof SignUpInvitationLookup>,
      authenticated: false,
    }),
  acceptSignUpInvitation: (token: string, password: string) =>
    request<OperatorLoginResponse>("/api/operator/invitations/accept", {
      method: "POST",
      body: { token, password } satisfies v.InferInput<typeof SignUpInvitationAccept>,
      authenticated: false,
    }),
  me: () => request<OperatorProfile>("/api/operator/me"),
  /** The account's file storage use and quota, asked before each upload. */
  storage: () => request<StorageUsage>("/api/operator/storage"),
  /** Ends this session on the server too (its token is refused from then on, its sockets closed). */
  logout: () => request<void>("/api/operator/logout", { method: "POST" }),
  myChats: () => request<ChatsResponse>("/api/operator/chats?status=active"),
  acceptChat: (chatId: string) =>
    request<AcceptResponse>(`/api/operator/chats/${encodeURIComponent(chatId)}/accept`, { method: "POST" }),
  /** Proactive invitations to visitors, transfer, joining a chat. */
  inviteVisitor: (visitorId: string, text: string) =>
    request<InvitationResponse>("/api/operator/invitations", {
      method: "POST",
      body: { visitorId, text } satisfies v.InferInput<typeof InvitationRequest>,
    }),
  transferChat: (chatId: string, body: v.InferInput<typeof TransferRequest>) =>
    request<TransferResponse>(`/api/operator/chats/${encodeURIComponent(chatId)}/transfer`, { method: "POST", body }),
  /** The account's departments, for the transfer control. */
  departments: () => request<DepartmentsResponse>("/api/operator/departments"),
  joinChat: (chatId: string) =>
    request<JoinResponse>(`/api/operator/chats/${encodeURIComponent(chatId)}/join`, { method: "POST" }),
  cannedResponses: () => request<CannedResponsesResponse>("/api/operator/canned-responses"),
  /** The account's tags, by name; and a chat's, set as a whole list. */
  tags: () => request<TagsResponse>("/api/operator/tags"),
  setChatTags: (chatId: string, tagIds: string[]) =>
    request<ChatTagsResponse>(`/api/operator/chats/${encodeURIComponent(chatId)}/tags`, {
      method: "PUT",
      body: { tagIds } satisfies ChatTagsRequest,
    }),
  /** The operator's own responses; the server answers 403 unless the account's setting
   * operatorsManageOwnResponses is on. */
  createMyResponse: (body: v.InferInput<typeof OwnCannedCreate>) =>
    request<CannedResponse>("/api/operator/canned-responses", { method: "POST", body }),
  updateMyResponse: (id: string, body: v.InferInput<typeof OwnCannedUpdate>) =>
    request<CannedResponse>(`/api/operator/canned-responses/${encodeURIComponent(id)}`, { method: "PATCH", body }),
  deleteMyResponse: (id: string) =>
    request<void>(`/api/operator/canned-responses/${encodeURIComponent(id)}`, { method: "DELETE" }),
  /** Emails the chat's transcript; 422 email_invalid, 429 rate_limited say why not. */
  sendTranscript: (chatId: string, email: string) =>
    request<TranscriptResponse>(`/api/chats/${encodeURIComponent(chatId)}/transcript`, {
      method: "POST",
      body: { email } satisfies TranscriptRequest,
    }),
  /** Messages older than `before` (the newest ones without it), oldest first. */
  history: (chatId: string, before = NEWEST, limit = 50) =>
    request<HistoryPage>(`/api/chats/${encodeURIComponent(chatId)}/messages?before=${before}&limit=${limit}`),
  /** Past chats of the account, newest first; with `q`, the messages that match instead. */
  pastChats: (query: HistoryQuery) => request<HistoryListPage>(`/api/operator/history?${queryOf(query)}`),
  search: (query: HistoryQuery) => request<SearchPage>(`/api/operator/search?${queryOf(query)}`),
  pastChat: (chatId: string) => request<HistoryChat>(`/api/operator/history/${encodeURIComponent(chatId)}`),
  /** The visitor beside a chat: who, from where, the pages of their visit, their earlier chats. */
  visitorContext: (chatId: string) =>
    request<VisitorContext>(`/api/operator/chats/${encodeURIComponent(chatId)}/context`),
  /** A signed link to a file of the chat, good for an hour (file-links.ts keeps it that long).
   * Uploads go through common/file-upload.ts, which reports progress. */
  fileLink: (chatId: string, fileId: string) =>
    request<FileLinkResponse>(`/api/chats/${encodeURIComponent(chatId)}/files/${encodeURIComponent(fileId)}/link`),
};

/** A socket's URL on this origin, null while signed out. Browsers cannot set headers on a
 * WebSocket, so the token goes in socketTokenProtocols, asked for at each attempt, so a reconnect
 * always uses the current token. */
export function socketUrl(path: string): string | null {
  if (!session()?.token) return null;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

export function socketTokenProtocols(): string[] {
  const token = session()?.token;
  return token ? socketProtocols(token) : [];
}
