// Whether the holder of a socket still may hold it. A socket outlives the request that opened it
// by hours, and the Worker checked its token only then; so the objects check again: its token's
// end on every frame and by alarm (an idle socket receives too), and at `hello` whether the
// operator is still active, still on the same session version (a password reset raises it) and
// has not signed this session out. A socket whose holder lost the right is closed with a code
// that tells the client why (docs/protocol.md, "Close codes").
import { DEACTIVATED_CLOSE_CODE } from "../shared/lobby-protocol.ts";
import type { ErrorFrame } from "../shared/protocol.ts";
import { closeQuietly, sendQuietly } from "./sockets.ts";

/** What an operator's socket must keep being true of its token. `id` null: a token signed before
 * sessions had ids, which can end only by expiry, deactivation or a password reset. */
export type OperatorSession = { expiresAt: number; version: number; id: string | null };
export type VisitorSession = { expiresAt: number };

/** The token's time is up, the session was signed out, or the password was reset: sign in again
 * (the console reconnects only after its own token is good). */
export const SESSION_ENDED_CLOSE_CODE = 4001;

type Standing = { ok: true } | { ok: false; code: "deactivated" | "token_expired"; closeCode: number; reason: string };

const DEACTIVATED: Standing = {
  ok: false,
  code: "deactivated",
  closeCode: DEACTIVATED_CLOSE_CODE,
  reason: "deactivated",
};
const ENDED: Standing = {
  ok: false,
  code: "token_expired",
  closeCode: SESSION_ENDED_CLOSE_CODE,
  reason: "session ended",
};

/** Sockets accepted before their holder's session was recorded carry none: they count as ended,
 * so they reconnect once, with a token that is checked again. */
export function sessionExpired(session: { expiresAt: number } | undefined, now = Date.now()): boolean {
  return !session || session.expiresAt <= now;
}

export function expiredStanding(): Standing {
  return ENDED;
}

/** What an admin's act (or the operator's own sign-out) means for the sockets it ends. */
export function standingAfter(why: "deactivated" | "session_ended"): Standing {
  return why === "deactivated" ? DEACTIVATED : ENDED;
}

/** Tells the socket why it is refused (an `error` frame), then closes it with the code that says
 * so. On a socket already going away, neither matters. */
export function refuseSocket(ws: WebSocket, standing: Standing): void {
  if (standing.ok) return;
  const frame: ErrorFrame = {
    type: "error",
    code: standing.code,
    message:
      standing.code === "deactivated"
        ? "This operator has been deactivated."
        : "This session has ended; sign in again.",
  };
  sendQuietly(ws, frame);
  closeQuietly(ws, standing.closeCode, standing.reason);
}

/** An operator's standing now, from D1: one read, made at `hello` (not per message). */
export async function operatorStanding(
  db: D1Database,
  accountId: string,
  operatorId: string,
  session: OperatorSession | undefined,
): Promise<Standing> {
  if (sessionExpired(session)) return ENDED;
  const row = await db
    .prepare(
      `SELECT o.active, o.session_version,
         EXISTS (SELECT 1 FROM ended_sessions e WHERE e.session_id = ?3) AS ended
       FROM operators o WHERE o.id = ?1 AND o.account_id = ?2`,
    )
    .bind(operatorId, accountId, session!.id ?? "")
    .first<{ active: number; session_version: number; ended: number }>();
  if (!row || !row.active) return DEACTIVATED;
  if (row.session_version !== session!.version || row.ended) return ENDED;
  return { ok: true };
}
