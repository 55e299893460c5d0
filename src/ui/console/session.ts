// The signed-in operator. The token lives in localStorage so a reload keeps the session; it ends
// on sign-out, when the token's time is up, or when the server answers 401 to anything.
import { createSignal } from "solid-js";
import type { OperatorLoginResponse } from "../../shared/protocol.ts";
import { readJson, removeKey, storageKeys, writeJson, writeText } from "./storage.ts";

export type Session = OperatorLoginResponse;
/** "deactivated": an admin deactivated this operator; the sign-in page says so. */
type SessionEnd = "signed_out" | "expired" | "deactivated";

function storedSession(): Session | null {
  const saved = readJson<Session>(storageKeys.session);
  return saved && typeof saved.token === "string" && saved.expiresAt > Date.now() ? saved : null;
}

const initial = storedSession();
const [session, setSession] = createSignal<Session | null>(initial);
/** Why the last session ended, so the sign-in page can say "your session expired". */
const [sessionEnd, setSessionEnd] = createSignal<SessionEnd | null>(
  initial === null && readJson(storageKeys.session) !== undefined ? "expired" : null,
);
if (initial === null) removeKey(storageKeys.session);

export { session, sessionEnd };

let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function scheduleExpiry(current: Session | null): void {
  clearTimeout(expiryTimer);
  if (current) expiryTimer = setTimeout(() => endSession("expired"), Math.max(0, current.expiresAt - Date.now()));
}
scheduleExpiry(initial);

export function startSession(next: Session): void {
  writeJson(storageKeys.session, next);
  writeText(storageKeys.lastEmail, next.operator.email);
  setSessionEnd(null);
  setSession(next);
  scheduleExpiry(next);
}

/** Ends the session. Drafts and unsent messages stay in storage (keyed by operator), so signing
 * in again picks up exactly where the operator was. */
export function endSession(reason: SessionEnd): void {
  if (!session()) return;
  removeKey(storageKeys.session);
  clearTimeout(expiryTimer);
  setSessionEnd(reason);
  setSession(null);
}

/** The operator's own "Sign out": the server ends the session (the request carries the token,
 * read before it is forgotten here), and this console forgets it at once, whether or not the
 * server could be reached. */
export function signOut(logout: () => Promise<unknown>): void {
  void logout().catch(() => undefined);
  endSession("signed_out");
}

/** A 401 answer ends the session only if it was for the current token: a request still in
 * flight from before a new sign-in must not sign the new session out. */
export function tokenRejected(token: string, reason: SessionEnd = "expired"): void {
  if (session()?.token === token) endSession(reason);
}

// Another browser tab of the console signing in or out is followed here too.
window.addEventListener("storage", (event) => {
  if (event.key !== storageKeys.session) return;
  const next = storedSession();
  if (next && next.token !== session()?.token) {
    setSessionEnd(null);
    setSession(next);
    scheduleExpiry(next);
  } else if (!next && session()) {
    endSession("signed_out");
  }
});
