// The one definition of every frame that crosses a chat WebSocket and every body of the chat
// HTTP API. The ChatRoom object, the Worker, the console and the widget all import from here;
// docs/protocol.md describes the same shapes for integrators.
import * as v from "valibot";
import type { BusinessHours } from "./business-hours.ts";
import { fnv1a } from "./hash.ts";

/** Longest message a participant may send, in UTF-16 code units (what JS string length counts). */
export const MAX_TEXT_LENGTH = 5000;
/** Longest client message id; clients use a UUID or similar. */
export const MAX_CID_LENGTH = 64;
/** Typing frames faster than this (per socket) are dropped without an error. */
export const TYPING_MIN_INTERVAL_MS = 250;
/** Longest comment a visitor may give with a rating. */
export const MAX_RATING_COMMENT_LENGTH = 1000;
/** A visitor may send this many messages at once, then VISITOR_MESSAGES_PER_SECOND on average
 * (a token bucket per visitor in the chat's room). More gets a `rate_limited` error with the cid
 * and `retryAfterMs`; the message is not stored, and the client sends it again after that time.
 * Far above what a person types; it stops scripts flooding a chat (and the index writes behind
 * every message). Operators are staff on authenticated accounts and are not limited. */
export const VISITOR_MESSAGE_BURST = 20;
export const VISITOR_MESSAGES_PER_SECOND = 2;
/** Most messages one history page (HTTP or replay batch) returns. */
export const MAX_HISTORY_PAGE = 200;

// How sockets carry tokens: a file of its own so the widget's chat part takes nothing else.
export { SOCKET_PROTOCOL, SOCKET_PROTOCOL_V1, SOCKET_TOKEN_PREFIX, socketProtocols } from "./socket-auth.ts";

/** Application-level keepalive, answered by the runtime without waking a hibernating room. */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

// ---------------------------------------------------------------------------------------------
// Error codes shared by the WebSocket `error` frame and the HTTP problem documents.
// ---------------------------------------------------------------------------------------------
export const errorCodes = [
  "bad_json",
  "bad_frame",
  "unknown_type",
  "text_empty",
  "text_too_long",
  "hello_required",
  "forbidden",
  /** The operator was deactivated by an admin: their console signs out. */
  "deactivated",
  "chat_closed",
  "bad_seq",
  "validation_failed",
  "token_missing",
  "token_invalid",
  "token_expired",
  "bad_credentials",
  "upgrade_required",
  "already_taken",
  /** The chat rings for another operator now (automatic routing); it is theirs to take. */
  "offered_elsewhere",
  /** The operator has as many chats as their capacity allows. */
  "at_capacity",
  /** The department is outside its business hours: leave a message instead. */
  "department_closed",
  "not_found",
  "conflict",
  "last_owner",
  "invitation_used",
  /** An invitation whose operator was deactivated or deleted since it was sent. */
  "invitation_revoked",
  "too_large",
  "email_invalid",
  "rate_limited",
  /** The account already has as many chats waiting as it may (QUEUE_MAX_WAITING): try later. */
  "queue_full",
  "unsupported_media_type",
  "email_failed",
  "internal",
  // File transfer: see docs/protocol.md, "Files".
  "length_required",
  "file_empty",
  "file_type_not_allowed",
  "file_type_mismatch",
  "upload_incomplete",
  "link_expired",
  "link_invalid",
  "range_not_satisfiable",
  /** 507: the file would take the account past its storage quota (docs/storage.md). */
  "storage_quota_exceeded",
  // Webhook endpoint URLs: see docs/webhooks.md.
  "webhook_url_invalid",
  "webhook_url_not_https",
  "webhook_url_private",
] as const;
export type ErrorCode = (typeof errorCodes)[number];
/** Refusals of a sent message (an `error` frame with its cid) that a resend will not change: the
 * clients show the message as not delivered instead of sending it again. */
export const finalSendErrors = [
  "chat_closed",
  "text_empty",
  "text_too_long",
  "forbidden",
  "bad_frame",
] as const satisfies readonly ErrorCode[];
export type FinalSendError = (typeof finalSendErrors)[number];

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------
/** Names a schema in the admin API's OpenAPI document (its components) instead of inlining it at
 * every use. */
/* @__NO_SIDE_EFFECTS__ */
export function named<const Schema extends v.GenericSchema>(ref: string, schema: Schema) {
  return v.pipe(schema, v.metadata<v.InferOutput<Schema>, { ref: string }>({ ref }));
}
export const Timestamp = v.pipe(v.number(), v.description("Milliseconds since the epoch"));

export const participantKinds = ["visitor", "operator"] as const;
export type ParticipantKind = (typeof participantKinds)[number];

export const ParticipantSchema = v.object({
  kind: v.picklist(participantKinds),
  id: v.string(),
  name: v.string(),
});
export type Participant = v.InferOutput<typeof ParticipantSchema>;

/** `missed`: it waited longer than the account's queue timeout and no operator took it (it stays
 * missed when the visitor then closes it; an operator joining, or an email reply that puts it back
 * in the queue, makes it active or waiting again). */
export const chatStatuses = ["waiting", "active", "closed", "missed"] as const;
export type ChatStatus = (typeof chatStatuses)[number];

export const operatorRoles = ["owner", "admin", "operator"] as const;
export type OperatorRole = (typeof operatorRoles)[number];
/** The roles an admin API key can have: it acts as an operator of that role would. */
export const apiKeyRoles = ["owner", "admin"] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];
const ROLE_RANK: Record<OperatorRole, number> = { operator: 0, admin: 1, owner: 2 };
/** Whether `role` may do at least what `than` may (owner > admin > operator). */
export function roleAtLeast(role: OperatorRole, than: OperatorRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[than];
}
/** The lower of two roles. */
export function roleAtMost<R extends OperatorRole>(role: R, cap: R): R {
  return ROLE_RANK[role] <= ROLE_RANK[cap] ? role : cap;
}

/** Canned responses exist at three levels; the console colours them red, green, dark blue. */
export const cannedLevels = ["company", "department", "operator"] as const;
export type CannedLevel = (typeof cannedLevels)[number];

/** System events recorded in the log next to text messages. */
/** `transfer`: an operator handed the chat to a colleague or a department (the text says to whom).
 * `reopen`: the visitor wrote again by email when no operator could read it (the chat had ended,
 * or every operator had left), so the chat waits in its department's queue again. */
export const systemEvents = ["join", "leave", "close", "transfer", "reopen"] as const;
export type SystemEvent = (typeof systemEvents)[number];

/** The visitor's verdict on a chat, given once it has ended (or before). */
export const ratings = ["good", "bad"] as const;
export type Rating = (typeof ratings)[number];

/** `file`: a participant sent a file; its text is the file's name, `file` says more.
 * `note`: an operator's private note: in the log for operators, never sent to the visitor. */
export const messageKinds = ["text", "system", "file", "note"] as const;

/** What a file message carries. The bytes stay in R2 (key scoped to account and chat) and are
 * fetched through a signed, expiring link; `id` names the file within its chat. */
export const FileAttachmentSchema = v.object({
  id: v.string(),
  /** Sanitised: no path, no control characters. */
  name: v.string(),
  /** Bytes. */
  size: v.number(),
  /** The MIME type found from the content. */
  type: v.string(),
});
export type FileAttachment = v.InferOutput<typeof FileAttachmentSchema>;

export const MessageSchema = v.object({
  seq: v.number(),
  /** The sender's client id for text, file and note messages; null for system messages. */
  cid: v.nullable(v.string()),
  kind: v.picklist(messageKinds),
  /** Set on system messages only. */
  event: v.nullable(v.picklist(systemEvents)),
  author: ParticipantSchema,
  text: v.string(),
  /** Server time the message was stored, ms since the epoch. */
  at: v.number(),
  /** Set on file messages only. */
  file: v.optional(FileAttachmentSchema),
  /** "email": the visitor wrote this by replying to a transcript, not in the widget. */
  via: v.optional(v.picklist(["email"])),
});
export type ChatMessage = v.InferOutput<typeof MessageSchema>;

const MessageText = v.pipe(
  v.string("bad_frame"),
  v.check((text) => text.trim().length > 0, "text_empty"),
  v.maxLength(MAX_TEXT_LENGTH, "text_too_long"),
);
const Seq = v.pipe(v.number("bad_frame"), v.integer("bad_frame"), v.minValue(0, "bad_seq"));

// ---------------------------------------------------------------------------------------------
// Client → server frames
// ---------------------------------------------------------------------------------------------
export const HelloFrame = v.strictObject({
  type: v.literal("hello"),
  /** The last seq the client already has; 0 for a fresh client. */
  since: Seq,
});
const Cid = v.pipe(v.string("bad_frame"), v.minLength(1, "bad_frame"), v.maxLength(MAX_CID_LENGTH, "bad_frame"));
export const SendFrame = v.strictObject({ type: v.literal("message"), cid: Cid, text: MessageText });
/** An operator's private note: stored in the log like a message, seen by operators only. */
export const NoteFrame = v.strictObject({ type: v.literal("note"), cid: Cid, text: MessageText });
export const TypingFrame = v.strictObject({
  type: v.literal("typing"),
  active: v.boolean("bad_frame"),
  /** The visitor's current draft, shown to operators as a live preview; operators send none. */
  draft: v.optional(v.pipe(v.string("bad_frame"), v.maxLength(MAX_TEXT_LENGTH, "text_too_long"))),
});
export const ReadFrame = v.strictObject({ type: v.literal("read"), seq: Seq });
/** Ends the chat for everyone; visitors and operators may both close. */
export const CloseFrame = v.strictObject({ type: v.literal("close") });
/** An operator leaves the chat; the chat goes on for the others. */
export const LeaveFrame = v.strictObject({ type: v.literal("leave") });

/** The visitor rates the chat, usually after it ended; rating again replaces the rating. */
export const RateFrame = v.strictObject({
  type: v.literal("rate"),
  rating: v.picklist(ratings, "bad_frame"),
  comment: v.optional(v.pipe(v.string("bad_frame"), v.maxLength(MAX_RATING_COMMENT_LENGTH, "text_too_long"))),
});

export const clientFrameSchemas = {
  hello: HelloFrame,
  message: SendFrame,
  note: NoteFrame,
  typing: TypingFrame,
  read: ReadFrame,
  close: CloseFrame,
  leave: LeaveFrame,
  rate: RateFrame,
} as const;
export type ClientFrameType = keyof typeof clientFrameSchemas;
export type ClientFrame = { [K in ClientFrameType]: v.InferOutput<(typeof clientFrameSchemas)[K]> }[ClientFrameType];

/** Which participant kinds may send each frame. */
export const frameSenders: Record<ClientFrameType, readonly ParticipantKind[]> = {
  hello: ["visitor", "operator"],
  message: ["visitor", "operator"],
  note: ["operator"],
  typing: ["visitor", "operator"],
  read: ["visitor", "operator"],
  close: ["visitor", "operator"],
  leave: ["operator"],
  rate: ["visitor"],
};

export type FrameParseResult<Frame = ClientFrame> =
  { ok: true; frame: Frame } | { ok: false; code: ErrorCode; message: string; cid?: string };

// Pure: the widget imports this module for a constant or two and must not carry every code.
const issueCodes = /* @__PURE__ */ new Set<string>(errorCodes);

/** Parses one raw WebSocket message against a map of frame schemas keyed by `type`, or says
 * which error code it earns. Used for the chat socket and the lobby socket alike. */
export function parseFrame<Schemas extends Record<string, v.GenericSchema>>(
  raw: string | ArrayBuffer,
  schemas: Schemas,
): FrameParseResult<{ [K in keyof Schemas]: v.InferOutput<Schemas[K]> }[keyof Schemas]> {
  if (typeof raw !== "string") return { ok: false, code: "bad_frame", message: "Frames are JSON text, not binary." };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: "bad_json", message: "The frame is not valid JSON." };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, code: "bad_frame", message: "A frame is a JSON object with a type." };
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== "string" || !Object.hasOwn(schemas, type)) {
    return { ok: false, code: "unknown_type", message: `Unknown frame type ${JSON.stringify(type ?? null)}.` };
  }
  const result = v.safeParse(schemas[type]!, data);
  if (result.success) return { ok: true, frame: result.output };
  const issue = result.issues[0];
  const code = issueCodes.has(issue.message) ? (issue.message as ErrorCode) : "bad_frame";
  const path = issue.path?.map((p) => String(p.key)).join(".");
  const cid = typeof (data as { cid?: unknown }).cid === "string" ? (data as { cid: string }).cid : undefined;
  return { ok: false, code, message: describeFrameError(code, path), ...(cid ? { cid } : {}) };
}

export function parseClientFrame(raw: string | ArrayBuffer): FrameParseResult {
  return parseFrame(raw, clientFrameSchemas);
}

function describeFrameError(code: ErrorCode, path: string | undefined): string {
  switch (code) {
    case "text_empty":
      return "The message is empty.";
    case "text_too_long":
      return `Text is limited to ${MAX_TEXT_LENGTH} characters.`;
    case "bad_seq":
      return "A seq is a whole number of 0 or more.";
    default:
      return path ? `The field "${path}" is missing, of the wrong type or not allowed.` : "The frame is malformed.";
  }
}

// ---------------------------------------------------------------------------------------------
// Server → client frames
// ---------------------------------------------------------------------------------------------
export type ParticipantState = Participant & { lastReadSeq: number; online: boolean };
/** A chat's rating as the room stores and announces it. */
export type ChatRating = { rating: Rating; comment: string | null; at: number };

export type WelcomeFrame = {
  type: "welcome";
  /** `rating` only once the visitor has rated the chat. */
  chat: { id: string; status: ChatStatus; rating?: ChatRating };
  you: Participant;
  participants: ParticipantState[];
  /** The newest seq in the chat; messages after the client's `since` up to this follow at once. */
  lastSeq: number;
  /** The chat's tags (shared/tags.ts): to operators only, never to the visitor. */
  tagIds?: string[];
};
export type MessageFrame = { type: "msg"; message: ChatMessage };
/** The answer to a `message` (or `note`) frame, to the socket that sent it; everyone else
 * (operators only, for a note) gets the message as a `msg`. Short on a parley.v2 socket: the cid
 * with the seq and server time it was stored under, the sender having the rest (ackedMessage). */
export type ShortAckFrame = { type: "ack"; cid: string; seq: number; at: number };
/** The whole stored message as an ack: the answer to a resend of a cid already stored (the stored
 * message counts, whatever the resend said), and every ack on a parley.v1 socket. */
export type MessageAckFrame = { type: "ack" } & ChatMessage & { cid: string };
export type AckFrame = ShortAckFrame | MessageAckFrame;

/** The message an ack confirms, for the client that sent it: the stored one when the ack carries
 * it, else what was sent (its text, a note if it went as one, written by `you` as the welcome
 * named them) under the seq and time of the ack. */
export function ackedMessage(ack: AckFrame, sent: { text: string; note?: true }, you: Participant): ChatMessage {
  const { type: _ack, ...fields } = ack;
  return "author" in fields
    ? fields
    : { ...fields, kind: sent.note ? "note" : "text", event: null, author: you, text: sent.text };
}
export type TypingNotice = { type: "typing"; from: Participant; active: boolean; draft?: string };
export type ReadNotice = { type: "read"; from: Participant; seq: number };
/** `retryAfterMs` comes with `rate_limited`: when the refused message may be sent again. */
export type ErrorFrame = { type: "error"; code: ErrorCode; message: string; cid?: string; retryAfterMs?: number };
/** The visitor rated the chat (sent to everyone in it, the visitor's own sockets included). */
export type RatingNotice = { type: "rating" } & ChatRating;
/** The runtime's answer to PING_FRAME. */
export type PongFrame = { type: "pong" };
/** The chat's tags changed (the whole list): to its operators' sockets only. */
export type TagsNotice = { type: "tags"; tagIds: string[] };
export type ServerFrame =
  | WelcomeFrame
  | MessageFrame
  | AckFrame
  | TypingNotice
  | ReadNotice
  | RatingNotice
  | ErrorFrame
  | PongFrame
  | TagsNotice;

// ---------------------------------------------------------------------------------------------
// HTTP bodies
// ---------------------------------------------------------------------------------------------
const Email = v.pipe(v.string(), v.trim(), v.maxLength(254), v.email());
/** C0 controls (line feed, carriage return, tab, ...), DEL, C1 controls (NEL among them) and
 * the Unicode line and paragraph separators: whatever could start a new line in a transcript or
 * an email header. */
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A check for text that must stay on one line (names, subjects): `what` names it in the message.
 * Marked free of side effects, so that the widget, which imports this module for a constant or
 * two, does not carry valibot for schemas it never uses. */
/* @__NO_SIDE_EFFECTS__ */
export function singleLine(what: string) {
  return v.check(
    (text: string) => !LINE_BREAKING.test(text),
    `${what} must be one line, without line breaks, tabs or other control characters.`,
  );
}
const Name = v.pipe(v.string(), singleLine("The name"), v.trim(), v.minLength(1), v.maxLength(100));
/** Every id Parley mints or seeds (acc_…, c_…, dep_…, op_…, cr_…, key_…, inv_…) and every
 * pagination cursor: letters, digits, _ and -. Anything else (NULs, slashes, dots) is refused
 * before it reaches a query. */
export const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "An id is 1-64 letters, digits, _ or -."));
/** Presence ids are minted by the widget (random, kept in localStorage). */
export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export const VisitorSessionRequest = v.strictObject({
  accountId: Id,
  /** The widget's presence id (docs/protocol.md, "Live visitors"): the chat's visitor is that
   * visitor, so the console can show the pages of their visit and their earlier chats. */
  visitorId: v.optional(
    v.pipe(v.string(), v.regex(VISITOR_ID_PATTERN, "A visitor id is 16-64 letters, digits, _ or -.")),
  ),
  name: v.optional(Name),
  email: v.optional(Email),
  departmentId: v.optional(Id),
  /** The operator's invitation this chat answers (docs/protocol.md, "Live visitors"). */
  invitationId: v.optional(Id),
});
export type VisitorSessionRequest = v.InferOutput<typeof VisitorSessionRequest>;
/** `invitedBy`: the invitation was still good, so the chat starts with that operator in it. */
export type VisitorSessionResponse = {
  token: string;
  chatId: string;
  visitorId: string;
  expiresAt: number;
  invitedBy?: { id: string; name: string };
};

/** `GET /api/chats/{chatId}/queue`, for the chat's own visitor token only: whether the chat still
 * waits for an operator and, while it does, its place in its department's queue (1: next up).
 * Offline messages, answered by email, do not count. The widget asks every ~10 s while waiting. */
/** `missed: true`: it waited longer than the queue timeout and nobody took it; it waits no more. */
export type QueuePositionResponse = { waiting: true; position: number } | { waiting: false; missed?: true };

/** `POST /api/visitor/offline-messages`: a message left while no operator was online. */
export const OfflineMessageRequest = v.strictObject({
  accountId: Id,
  name: Name,
  email: Email,
  departmentId: v.optional(Id),
  text: v.pipe(
    v.string(),
    v.check((text) => text.trim().length > 0, "The message is empty."),
    v.maxLength(MAX_TEXT_LENGTH),
  ),
});
export type OfflineMessageRequest = v.InferOutput<typeof OfflineMessageRequest>;
export type OfflineMessageResponse = { chatId: string };

/** A chat nobody took in time (missed) continues by email: the visitor leaves their address and,
 * if they like, one more message (`cid` makes a retry safe). POST /api/chats/:chatId/continue-by-email. */
export const ContinueByEmailRequest = v.strictObject({
  email: Email,
  cid: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CID_LENGTH)),
  text: v.optional(
    v.pipe(
      v.string(),
      v.check((text) => text.trim().length > 0, "The message is empty."),
      v.maxLength(MAX_TEXT_LENGTH),
    ),
  ),
});
export type ContinueByEmailRequest = v.InferOutput<typeof ContinueByEmailRequest>;
export type ContinueByEmailResponse = { chatId: string; email: string };

export const OperatorLoginRequest = v.strictObject({
  email: Email,
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});
export type OperatorLoginRequest = v.InferOutput<typeof OperatorLoginRequest>;
export type OperatorProfile = { id: string; accountId: string; email: string; name: string; role: OperatorRole };
export type OperatorLoginResponse = { token: string; expiresAt: number; operator: OperatorProfile };

export const HistoryQuery = v.strictObject({
  /** Messages with seq greater than this (for catching up); default 0. */
  after: v.optional(v.pipe(v.string(), v.digits(), v.transform(Number))),
  /** Messages with seq smaller than this (for scrolling up); overrides `after`. */
  before: v.optional(v.pipe(v.string(), v.digits(), v.transform(Number))),
  limit: v.optional(
    v.pipe(v.string(), v.digits(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(MAX_HISTORY_PAGE)),
  ),
});
export type HistoryQuery = v.InferOutput<typeof HistoryQuery>;
export type HistoryPage = { messages: ChatMessage[]; lastSeq: number; hasMore: boolean };

export const ChatListQuery = v.strictObject({
  status: v.optional(v.picklist(chatStatuses)),
});
export const ChatSummarySchema = named(
  "ChatSummary",
  v.object({
    id: v.string(),
    departmentId: v.nullable(v.string()),
    visitorId: v.string(),
    visitorName: v.string(),
    status: v.picklist(chatStatuses),
    /** The operators in the chat now (joined and not left). */
    operatorIds: v.array(v.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    closedAt: v.nullable(Timestamp),
    /** The visitor's rating, once given. */
    rating: v.nullable(v.picklist(ratings)),
    /** Left through the widget's offline form while no operator was online. */
    offline: v.boolean(),
    visitorEmail: v.nullable(v.string()),
    /** When it waited past the queue timeout with nobody taking it (status `missed`); kept if an operator takes it later. */
    missedAt: v.nullable(Timestamp),
  }),
);
export type ChatSummary = v.InferOutput<typeof ChatSummarySchema>;
/** `GET /api/operator/chats?status=…`: the chats the operator is in now. */
export type ChatsResponse = { chats: ChatSummary[] };

/** GET /api/operator/departments: the departments of the operator's own account, by name. */
/** `businessHours` null: always open (shared/business-hours.ts decides, isOpenAt). */
export type DepartmentSummary = { id: string; name: string; businessHours: BusinessHours | null };
export type DepartmentsResponse = { departments: DepartmentSummary[] };

/** A canned response as the console's bar and the admin API list it. */
export const CannedResponseSchema = named(
  "CannedResponse",
  v.object({
    id: v.string(),
    level: v.picklist(cannedLevels),
    /** The department or operator it belongs to; null at company level. */
    ownerId: v.nullable(v.string()),
    title: v.string(),
    text: v.string(),
    shortcut: v.nullable(v.string()),
    position: v.number(),
  }),
);
export type CannedResponse = v.InferOutput<typeof CannedResponseSchema>;
/** `GET /api/operator/canned-responses`: every response the operator may use, in bar order. */
export type CannedResponsesResponse = { responses: CannedResponse[] };

// ---------------------------------------------------------------------------------------------
// Files: upload, links, download. The bytes go to R2; the log keeps a file message.
// ---------------------------------------------------------------------------------------------
/** Longest file name kept, in characters; a longer one is cut before its extension. */
export const MAX_FILE_NAME_LENGTH = 200;
/** How long a link handed to a participant (GET .../files/{fileId}/link) works. */
export const FILE_LINK_TTL_MS = 60 * 60 * 1000;
// Which images are previewed, and file sizes for people: src/shared/files.ts.

/** `POST /api/chats/{chatId}/files?name=…&cid=…`: the raw bytes are the body. `name` is the
 * file's name as the sender's system has it (percent-encoded in the URL); the server sanitises it.
 * `cid` makes a retried upload idempotent, as for text messages. */
export const FileUploadQuery = v.strictObject({
  name: v.pipe(v.string(), v.minLength(1, "A file needs a name."), v.maxLength(1024)),
  cid: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CID_LENGTH)),
});
export type FileUploadQuery = v.InferOutput<typeof FileUploadQuery>;
/** The stored file message (201; 200 when the cid was already stored, for a retry). */
export type FileUploadResponse = { message: ChatMessage };
/** A signed link to one file, good until `expiresAt` (ms since the epoch). */
export type FileLinkResponse = { url: string; expiresAt: number };

/** One field a refusal is about: `path` names it as the request did (`widgetColor`,
 * `allowedOrigins.2`, `shortcut`), `message` says what is wrong in words for the person who
 * filled it in. */
const ProblemFieldSchema = named("ProblemField", v.object({ path: v.string(), message: v.string() }));
export type ProblemField = v.InferOutput<typeof ProblemFieldSchema>;
/** Body of every HTTP error: RFC 9457 problem details plus a stable machine `code`. */
export const ProblemSchema = named(
  "Problem",
  v.object({
    type: v.string(),
    title: v.string(),
    status: v.number(),
    code: v.picklist(errorCodes),
    detail: v.optional(v.string()),
    /** One "path: message" line per issue, for 422 validation_failed. */
    errors: v.optional(v.array(v.string())),
    /** The same issues by field (422), or the one field a conflict is about (409, e.g. a taken
     * department name or canned-response shortcut): `path` as in the request, `message` in words. */
    fields: v.optional(v.array(ProblemFieldSchema)),
  }),
);
export type Problem = v.InferOutput<typeof ProblemSchema>;

// ---------------------------------------------------------------------------------------------
// Transcripts by email
// ---------------------------------------------------------------------------------------------
/** Most transcripts one chat sends in an hour, the console's and the widget's together. */
export const TRANSCRIPTS_PER_HOUR = 5;

/** `POST /api/chats/:chatId/transcript`. The server then checks the address itself (one plain
 * address, nothing that could add a recipient or a header); refusals are `422 email_invalid`
 * with the reason in words. */
export const TranscriptRequest = v.strictObject({
  email: v.pipe(v.string(), v.maxLength(1000)),
});
export type TranscriptRequest = v.InferOutput<typeof TranscriptRequest>;
/** `to`: the address as sent (domain lowercased); `remaining`: transcripts the chat may still send this hour. */
export type TranscriptResponse = { to: string; remaining: number };

/** The name of a visitor who gave none: "Visitor 4821", derived from their visitor id, so the
 * same chat reads the same in tabs, waiting cards, the history and transcripts, and two
 * anonymous visitors can be told apart. */
export function anonymousVisitorName(visitorId: string): string {
  return `Visitor ${1000 + (fnv1a(visitorId) % 9000)}`;
}
