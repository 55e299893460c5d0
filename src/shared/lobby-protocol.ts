// Frames of the account's Lobby socket (`/ws/lobby`): operator presence and the queue of waiting
// chats. Imported by the Lobby object, the Worker and the console; documented in docs/protocol.md.
import * as v from "valibot";
import { MAX_TEXT_LENGTH, VISITOR_ID_PATTERN, type ErrorFrame, type PongFrame } from "./protocol.ts";

export { VISITOR_ID_PATTERN };

export const presenceStatuses = ["online", "away"] as const;

/** How a department's waiting chats find an operator (docs/routing.md). `everyone`: every online
 * member sees the chat and the first to accept gets it. `round_robin`: it rings one member at a
 * time, whoever was offered a chat longest ago first. `least_busy`: it rings the member with the
 * fewest chats, ties going to whoever was offered one longest ago. */
export const routingModes = ["everyone", "round_robin", "least_busy"] as const;
export type RoutingMode = (typeof routingModes)[number];
/** How long a chat rings for one operator before it moves on, unless the department says. */
export const DEFAULT_RING_TIMEOUT_S = 30;
export const MIN_RING_TIMEOUT_S = 5;
export const MAX_RING_TIMEOUT_S = 300;
/** Offers an operator may let run out in a row before they are set to away. */
export const MISSED_OFFERS_BEFORE_AWAY = 2;
export type PresenceStatus = (typeof presenceStatuses)[number];

/** An operator as the lobby sees them. `connected` is false when no console of theirs is open,
 * whatever status they chose last. */
export type OperatorPresence = {
  id: string;
  name: string;
  status: PresenceStatus;
  connected: boolean;
  departmentIds: string[];
};

/** A chat waiting for an operator. `departmentId` null means any operator of the account.
 * `offline` (with the visitor's email) marks a message left while no operator was online;
 * `visitorEmail` is there whenever the visitor gave one (pre-chat form, email reply);
 * `firstMessage` is the start of the visitor's first message, once they wrote one (a `waiting`
 * notice for a chat already listed brings it). */
export type WaitingChat = {
  chatId: string;
  departmentId: string | null;
  visitorName: string;
  since: number;
  offline?: true;
  visitorEmail?: string;
  firstMessage?: string;
  /** A chat under way whose visitor got no answer in time (the department's reassignment): it is
   * offered to another operator, who joins with its history; those in it stay. */
  unanswered?: true;
  /** In the automatic modes: whom it rings now, until when, and whether everyone may take it
   * (every member online has passed it). Absent in the `everyone` mode. */
  assignment?: WaitingAssignment;
};
export type WaitingAssignment = {
  mode: Exclude<RoutingMode, "everyone">;
  offeredTo: { id: string; name: string } | null;
  /** When the ring ends, server time; null while it rings for nobody. */
  expiresAt: number | null;
  /** Every member online has declined it or let it ring out: any member may accept it now. */
  openToAll: boolean;
};
/** Whether `operatorId` may accept this waiting chat now: in the `everyone` mode anyone who may
 * take it, in the automatic ones the operator it rings for, or anyone once all have passed. */
export function mayAcceptWaiting(chat: WaitingChat, operatorId: string): boolean {
  const a = chat.assignment;
  return !a || a.openToAll || a.offeredTo?.id === operatorId;
}
/** How much of the visitor's first message a waiting card shows. */
export const WAITING_PREVIEW_LENGTH = 200;

// ---- Client → Lobby --------------------------------------------------------------------------
export const PresenceFrame = v.strictObject({
  type: v.literal("presence"),
  status: v.picklist(presenceStatuses, "bad_frame"),
});
/** The operator a waiting chat rings for says no: it moves on to the next member at once. */
export const DeclineFrame = v.strictObject({
  type: v.literal("decline"),
  chatId: v.pipe(v.string("bad_frame"), v.minLength(1, "bad_frame"), v.maxLength(64, "bad_frame")),
});
export type DeclineFrame = v.InferOutput<typeof DeclineFrame>;
export const lobbyClientFrameSchemas = { presence: PresenceFrame, decline: DeclineFrame } as const;

// ---- Lobby → client --------------------------------------------------------------------------
/** Sent on connect and whenever the operator comes online: the whole picture at once. */
export type LobbySnapshot = {
  type: "lobby";
  you: OperatorPresence;
  operators: OperatorPresence[];
  waiting: WaitingChat[];
};
/** An operator's status or connection changed. */
export type PresenceNotice = { type: "presence"; operator: OperatorPresence };
/** A chat entered the queue of one of your departments (sent to online operators only). */
export type WaitingNotice = { type: "waiting"; chat: WaitingChat };
/** A chat left the queue: accepted by `by`, or ended by the visitor (`by` null). */
export type DequeuedNotice = { type: "dequeued"; chatId: string; by: { id: string; name: string } | null };
/** A chat waited longer than the account's queue timeout (QUEUE_MISSED_AFTER_S) and nobody took
 * it: it left the queue and is `missed` in the chat index. Offline messages never expire. */
export type MissedNotice = { type: "missed"; chatId: string; missedAt: number };
/** What a `config_changed` notice is about. */
export const configTopics = ["canned", "settings", "tags"] as const;
export type ConfigTopic = (typeof configTopics)[number];
/** Admins changed the account's canned responses or settings: the console refetches what it
 * shows of them (e.g. GET /api/operator/canned-responses), so changes apply without a reload. */
export type ConfigChangedNotice = { type: "config_changed"; what: ConfigTopic };
/** Every visitor on the account's sites now; sent after the `lobby` snapshot on connect. */
export type VisitorsSnapshot = { type: "visitors"; visitors: LiveVisitor[] };
/** A visitor arrived, navigated, started or ended a chat, or was invited. */
export type VisitorNotice = { type: "visitor"; visitor: LiveVisitor };
/** The visitor's last page with the widget was closed (or went silent). */
export type VisitorLeftNotice = { type: "visitor_left"; visitorId: string };
/** The visitor answered this operator's invitation: the chat exists and the operator is in it. */
export type InvitationAcceptedNotice = {
  type: "invitation_accepted";
  invitationId: string;
  visitorId: string;
  chatId: string;
  visitorName: string;
};
/** An operator was deactivated: they leave the team list and are no transfer target any more.
 * (Reactivated, they appear again with their next connect.) */
export type OperatorGoneNotice = { type: "operator_gone"; operatorId: string };
/** A chat was handed to you by a colleague (transfer, or "invite colleague"): you are in it now. */
export type ChatAssignedNotice = {
  type: "chat_assigned";
  chatId: string;
  visitorName: string;
  by: { id: string; name: string };
};
/** You let MISSED_OFFERS_BEFORE_AWAY chats in a row ring out, so the lobby set you away (a
 * `presence` notice follows): chats stop ringing for you until you go online again. */
export type SetAwayNotice = { type: "set_away"; reason: "missed_offers"; missed: number };
export type LobbyServerFrame =
  | LobbySnapshot
  | SetAwayNotice
  | PresenceNotice
  | OperatorGoneNotice
  | WaitingNotice
  | DequeuedNotice
  | MissedNotice
  | ConfigChangedNotice
  | VisitorsSnapshot
  | VisitorNotice
  | VisitorLeftNotice
  | InvitationAcceptedNotice
  | ChatAssignedNotice
  | ErrorFrame
  | PongFrame;

/** Close code of the sockets of an operator who has just been deactivated (lobby and chats). */
export const DEACTIVATED_CLOSE_CODE = 4003;
/** Close code of a widget presence socket that kept flooding `page` frames (more than 10 a second
 * for 10 seconds in a row; limits in src/durable/page-limit.ts). Reason "flooding". */
export const FLOODING_CLOSE_CODE = 4029;

// ---- HTTP ------------------------------------------------------------------------------------
/** Answer to `POST /api/operator/chats/:chatId/accept`; a chat already taken is a 409 `already_taken`. */
export type AcceptResponse = { chatId: string; acceptedBy: string };
/** Answer to `POST /api/operator/chats/:chatId/join`: `joined` is the operator who joined. */
export type JoinResponse = { chatId: string; joined: string };

// ---- Live visitors (the widget's presence socket, `/ws/visitors`) ----------------------------
/** Longest page URL / referrer / title kept; longer ones are cut (a socket attachment is small). */
export const MAX_VISITOR_URL = 512;
export const MAX_VISITOR_TITLE = 160;
/** An invitation the visitor does not answer within this is void; a late reply starts a normal chat. */
export const INVITATION_TTL_MS = 120_000;

/** A visitor on one of the account's sites, as operators see them. */
export type LiveVisitor = {
  id: string;
  url: string;
  title: string;
  referrer: string;
  /** When the visit began (the widget's first page view in this browser session), server time. */
  onSiteSince: number;
  /** When this page was opened, server time. */
  pageSince: number;
  chatting: boolean;
  chatId: string | null;
  /** An invitation waiting for the visitor's answer, if any. */
  invitation: { id: string; operatorId: string; operatorName: string; expiresAt: number } | null;
};

/** Widget → lobby: the page the visitor is on (sent on open, on navigation, when chatting changes). */
export const PageFrame = v.strictObject({
  type: v.literal("page"),
  url: v.pipe(
    v.string("bad_frame"),
    v.transform((s) => s.slice(0, MAX_VISITOR_URL)),
  ),
  title: v.pipe(
    v.string("bad_frame"),
    v.transform((s) => s.slice(0, MAX_VISITOR_TITLE)),
  ),
  referrer: v.pipe(
    v.string("bad_frame"),
    v.transform((s) => s.slice(0, MAX_VISITOR_URL)),
  ),
  /** Milliseconds since the visit began, by the visitor's clock (so clock skew does not matter). */
  onSiteMs: v.pipe(v.number("bad_frame"), v.minValue(0, "bad_frame")),
  chatting: v.boolean("bad_frame"),
  chatId: v.optional(v.nullable(v.pipe(v.string("bad_frame"), v.maxLength(64, "bad_frame")))),
});
export const visitorClientFrameSchemas = { page: PageFrame } as const;

/** Lobby → widget: an operator invites the visitor to chat. `ttlMs` is how long it stands. */
export type InvitationFrame = {
  type: "invitation";
  invitation: { id: string; operator: { id: string; name: string }; text: string; ttlMs: number };
};
/** Lobby → widget: the invitation was withdrawn or has expired. */
export type InvitationGoneFrame = { type: "invitation_gone"; id: string };
export type VisitorServerFrame = InvitationFrame | InvitationGoneFrame | ErrorFrame | PongFrame;

// ---- HTTP: invitations, transfer, join ---------------------------------------------------------
export const InvitationRequest = v.strictObject({
  visitorId: v.pipe(v.string(), v.regex(VISITOR_ID_PATTERN)),
  text: v.pipe(
    v.string(),
    v.check((t) => t.trim().length > 0, "The invitation is empty."),
    v.maxLength(MAX_TEXT_LENGTH),
  ),
});
export type InvitationResponse = { id: string; visitorId: string; expiresAt: number };

/** Exactly one of operatorId and departmentId. `stay: true` (operators only) adds the colleague
 * and keeps you in the chat ("invite colleague") instead of handing it over. */
export const TransferRequest = v.pipe(
  v.strictObject({
    operatorId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
    departmentId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
    stay: v.optional(v.boolean()),
  }),
  v.check(
    (b) => (b.operatorId === undefined) !== (b.departmentId === undefined),
    "Give exactly one of operatorId and departmentId.",
  ),
  v.check((b) => !(b.stay && b.departmentId), "stay only goes with operatorId."),
);
export type TransferResponse = { chatId: string; to: { kind: "operator" | "department"; id: string; name: string } };
