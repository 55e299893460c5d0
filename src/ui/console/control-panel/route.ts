// Which page of the console is showing, kept in location.hash (#/admin/canned, #/my-responses) so
// the back button, a reload and a shared link all land on the same page. The hash never reaches
// the server, so the Worker's asset routing has nothing to learn about these pages.
import { createSignal } from "solid-js";

export const adminPages = ["canned", "departments", "operators", "api-keys", "settings"] as const;
export type AdminPage = (typeof adminPages)[number];
export type Route = { kind: "chat" } | { kind: "admin"; page: AdminPage } | { kind: "my-responses" };

function parse(hash: string): Route {
  const [first, second] = hash.replace(/^#\/?/, "").split("/");
  if (first === "my-responses") return { kind: "my-responses" };
  if (first === "admin") {
    const page = adminPages.find((p) => p === second) ?? "canned";
    return { kind: "admin", page };
  }
  return { kind: "chat" };
}

const [route, setRoute] = createSignal<Route>(parse(location.hash), {
  equals: (a, b) => a.kind === b.kind && (a.kind !== "admin" || (b.kind === "admin" && a.page === b.page)),
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
  return "#/";
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
