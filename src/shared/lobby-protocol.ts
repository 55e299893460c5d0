// Frames of the account's Lobby socket (`/ws/lobby`): operator presence and the queue of waiting
// chats. Imported by the Lobby object, the Worker and the console; documented in docs/protocol.md.
import * as v from "valibot";
import type { ErrorFrame, PongFrame } from "./protocol.ts";

export const presenceStatuses = ["online", "away"] as const;
export type PresenceStatus = (typeof presenceStatuses)[number];

/** An operator as the lobby sees them. `connected` is false when no console of theirs is open,
 * whatever status they chose last. */
export type OperatorPresence = { id: string; name: string; status: PresenceStatus; connected: boolean; departmentIds: string[] };

/** A chat waiting for an operator. `departmentId` null means any operator of the account. */
export type WaitingChat = { chatId: string; departmentId: string | null; visitorName: string; since: number };

// ---- Client → Lobby --------------------------------------------------------------------------
export const PresenceFrame = v.strictObject({ type: v.literal("presence"), status: v.picklist(presenceStatuses, "bad_frame") });
export const lobbyClientFrameSchemas = { presence: PresenceFrame } as const;
export type LobbyClientFrame = v.InferOutput<typeof PresenceFrame>;

// ---- Lobby → client --------------------------------------------------------------------------
/** Sent on connect and whenever the operator comes online: the whole picture at once. */
export type LobbySnapshot = { type: "lobby"; you: OperatorPresence; operators: OperatorPresence[]; waiting: WaitingChat[] };
/** An operator's status or connection changed. */
export type PresenceNotice = { type: "presence"; operator: OperatorPresence };
/** A chat entered the queue of one of your departments (sent to online operators only). */
export type WaitingNotice = { type: "waiting"; chat: WaitingChat };
/** A chat left the queue: accepted by `by`, or ended by the visitor (`by` null). */
export type DequeuedNotice = { type: "dequeued"; chatId: string; by: { id: string; name: string } | null };
/** What a `config_changed` notice is about. */
export const configTopics = ["canned", "settings"] as const;
export type ConfigTopic = (typeof configTopics)[number];
/** Admins changed the account's canned responses or settings: the console refetches what it
 * shows of them (e.g. GET /api/operator/canned-responses), so changes apply without a reload. */
export type ConfigChangedNotice = { type: "config_changed"; what: ConfigTopic };
export type LobbyServerFrame = LobbySnapshot | PresenceNotice | WaitingNotice | DequeuedNotice | ConfigChangedNotice | ErrorFrame | PongFrame;

/** Close code of the sockets of an operator who has just been deactivated (lobby and chats). */
export const DEACTIVATED_CLOSE_CODE = 4003;

// ---- HTTP ------------------------------------------------------------------------------------
/** Answer to `POST /api/operator/chats/:chatId/accept`; a chat already taken is a 409 `already_taken`. */
export type AcceptResponse = { chatId: string; acceptedBy: string };
