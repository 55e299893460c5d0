// Which page of the console is showing, kept in location.hash (#/admin/canned, #/my-responses) so
// the back button, a reload and a shared link all land on the same page. The hash never reaches
// the server, so the Worker's asset routing has nothing to learn about these pages.
import { createSignal } from "solid-js";

const adminPages = [
  "canned",
  "departments",
  "tags",
  "operators",
  "api-keys",
  "webhooks",
  "privacy",
  "settings",
  "audit-log",
] as const;
export type AdminPage = (typeof adminPages)[number];
/** `sign-up-invitation`: the link an invited operator is sent (#/invitation/<token>), opened signed out. */
export type Route =
  | { kind: "chat" }
  | { kind: "admin"; page: AdminPage }
  | { kind: "my-responses" }
  /** Past chats: the list and search, or one chat read-only (`seq`: the message a search hit). */
  | { kind: "history"; chatId: string | null; seq: number | null }
  /** The team's figures (an operator's own for operators). */
  | { kind: "reports" }
  | { kind: "sign-up-invitation"; token: string };

function decoded(part: string | undefined): string {
  try {
    return decodeURIComponent(part ?? "");
  } catch {
    return part ?? ""; // A mangled link: the server says it is not valid.
  }
}

function parse(hash: string): Route {
  const [first, second, third] = hash.replace(/^#\/?/, "").split("/");
  if (first === "my-responses") return { kind: "my-responses" };
  if (first === "reports") return { kind: "reports" };
  if (first === "history") {
    const seq = Number(third);
    return { kind: "history", chatId: second ? decoded(second) : null, seq: Number.isSafeInteger(seq) ? seq : null };
  }
  if (first === "invitation") return { kind: "sign-up-invitation", token: decoded(second) };
  if (first === "admin") {
    const page = adminPages.find((p) => p === second) ?? "canned";
    return { kind: "admin", page };
  }
  return { kind: "chat" };
}

const [route, setRoute] = createSignal<Route>(parse(location.hash), {
  equals: (a, b) =>
    a.kind === b.kind &&
    (a.kind !== "admin" || (b.kind === "admin" && a.page === b.page)) &&
    (a.kind !== "history" || (b.kind === "history" && a.chatId === b.chatId && a.seq === b.seq)) &&
    (a.kind !== "sign-up-invitation" || (b.kind === "sign-up-invitation" && a.token === b.token)),
});
const follow = () => setRoute(parse(location.hash));
window.addEventListener("hashchange", follow);
// Back from #/admin/… to the bare address is a history traversal that some browsers report only
// as popstate.
window.addEventListener("popstate", follow);
export { route };

export function hrefOf(target: Route): string {
  if (target.kind === "admin") return `#/admin/${target.page}`;
  if (target.kind === "my-responses") return "#/my-responses";
  if (target.kind === "reports") return "#/reports";
  if (target.kind === "history")
    return target.chatId === null
      ? "#/history"
      : `#/history/${encodeURIComponent(target.chatId)}${target.seq === null ? "" : `/${target.seq}`}`;
  if (target.kind === "sign-up-invitation") return `#/invitation/${encodeURIComponent(target.token)}`;
  return "#/";
}

/** The console's address for a sign-up invitation token: what the Control Panel hands an admin to send. */
export function signUpInvitationLink(token: string): string {
  return `${location.origin}${location.pathname}${hrefOf({ kind: "sign-up-invitation", token })}`;
}

/** Leaves the sign-up invitation page for the console (or its sign-in), replacing the history entry so
 * the token is not left behind in the address or a step back. */
export function leaveSignUpInvitation(): void {
  history.replaceState(null, "", location.pathname + location.search);
  setRoute({ kind: "chat" });
}

/** Goes to a page as a new history entry; back to the chats leaves no "#/" behind in the address. */
export function navigate(target: Route): void {
  if (target.kind === "chat") {
    history.pushState(null, "", location.pathname + location.search);
    setRoute(target);
  } else {
    location.hash = hrefOf(target); // fires hashchange, which sets the route
  }
}
