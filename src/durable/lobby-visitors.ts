// The live-visitor half of the account's Lobby: what each widget presence socket carries, and
// how that becomes the `LiveVisitor` operators see. Kept out of lobby.ts so the operator half
// stays readable; the Lobby class calls into these.
//
// Each page view with the widget holds one hibernating socket, tagged "visitors" and "v:<id>";
// its page lives in the socket's attachment (so the object keeps no per-visitor state in memory
// or storage, and a page view costs one socket and nothing else). Invitations, which must
// survive hibernation and be claimed exactly once, are rows in the object's SQLite.
import type { LiveVisitor } from "../shared/lobby-protocol.ts";

export const OPERATORS_TAG = "operators";
export const VISITORS_TAG = "visitors";
export const visitorTag = (visitorId: string) => `v:${visitorId}`;

/** Header the Worker sets, after the origin check, on a widget's presence socket. */
export const LOBBY_VISITOR_HEADER = "X-Parley-Visitor";
/** What that header says: the visitor, their account, and the shard index of the object it is
 * sent to (null: the account's lobby itself). */
export type LobbyVisitorHeader = { id: string; accountId: string; shard: number | null };

export type VisitorPage = Omit<LiveVisitor, "id" | "invitation">;
/** What each visitor socket carries through hibernation (must stay under 2 KB serialized:
 * URLs and titles are cut to MAX_VISITOR_URL / MAX_VISITOR_TITLE by the frame schema). */
export type VisitorSocket = { kind: "visitor"; id: string; connectedAt: number; page: VisitorPage | null };

export type InvitationRow = { id: string; visitor_id: string; operator_id: string; operator_name: string; text: string; expires_at: number; chat_id: string | null };

export const INVITATIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS invitations (
  id TEXT PRIMARY KEY, visitor_id TEXT NOT NULL, operator_id TEXT NOT NULL, operator_name TEXT NOT NULL,
  text TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, chat_id TEXT
);
CREATE INDEX IF NOT EXISTS invitations_visitor ON invitations (visitor_id);`;

export function isVisitorSocket(attachment: unknown): attachment is VisitorSocket {
  return typeof attachment === "object" && attachment !== null && (attachment as { kind?: unknown }).kind === "visitor";
}

/** The visitor as operators see them, from their most recently opened page (a visitor may have
 * several tabs open) and their open invitation. Null until the first `page` frame arrived. */
export function liveVisitor(sockets: readonly VisitorSocket[], invitation: InvitationRow | undefined): LiveVisitor | null {
  const latest = sockets.filter((s) => s.page).sort((a, b) => b.page!.pageSince - a.page!.pageSince)[0];
  if (!latest?.page) return null;
  return {
    id: latest.id,
    ...latest.page,
    // Chatting in any tab is chatting.
    chatting: sockets.some((s) => s.page?.chatting),
    chatId: sockets.find((s) => s.page?.chatId)?.page?.chatId ?? null,
    invitation: invitation ? { id: invitation.id, operatorId: invitation.operator_id, operatorName: invitation.operator_name, expiresAt: invitation.expires_at } : null,
  };
}
