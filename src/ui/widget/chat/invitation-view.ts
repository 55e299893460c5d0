// An operator's invitation in the chat window (`parley-invitation`): their name and message
// above the greeting, until the visitor answers (the chat then starts with that operator in it)
// or it expires (then it disappears, and a reply starts an ordinary waiting chat).
import type { ChatHost } from "../contract.ts";
import { el } from "./dom.ts";

export function invitationView(host: ChatHost, hasChat: () => boolean) {
  const node = el("div", "msg operator invitation");
  node.dataset.testid = "parley-invitation";
  node.setAttribute("role", "status");
  const name = el("div", "meta");
  const bubble = el("div", "bubble");
  node.append(name, bubble);
  node.hidden = true;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function refresh(): void {
    const invitation = hasChat() ? null : host.invitation();
    node.hidden = !invitation;
    node.style.display = invitation ? "" : "none"; // .msg is display:flex, which [hidden] alone does not beat
    clearTimeout(timer);
    if (!invitation) return;
    name.textContent = invitation.operator.name;
    bubble.textContent = invitation.text;
    timer = setTimeout(refresh, Math.max(0, invitation.until - Date.now()) + 50);
  }
  return { node, refresh };
}
