// "Waiting for an operator… You are number 2 in the queue.": shown at the end of the log from the
// visitor's first message until an operator is in the chat, or until the lobby says nobody took
// it in time (`missed`): then it says so, and the chat forms offer the offline form. The place comes from
// GET /api/chats/{chatId}/queue (docs/protocol.md), asked every QUEUE_POLL_MS, and only while
// the chat waits and the window is open. Part of the forms file (chat/chat-forms.ts imports it).
import type { QueuePositionResponse } from "../../../shared/protocol.ts";
import type { ChatHost } from "../contract.ts";
import type { FormTexts } from "../form-texts.ts";
import type { VisitorChat } from "./visitor-chat.ts";

const QUEUE_POLL_MS = 10_000;

export function createQueueNotice(host: ChatHost, chat: VisitorChat, changed: () => void) {
  const node = document.createElement("p");
  node.className = "note";
  node.dataset.testid = "parley-waiting";
  node.setAttribute("role", "status");
  node.hidden = true;
  /** The latest answer, with the chat it is about (a new chat must not show the old one's place). */
  let answer: { chatId: string; queue: QueuePositionResponse } | null = null;
  /** A question is on its way or the next one is due: no second loop. */
  let polling = false;

  const current = (): QueuePositionResponse | null =>
    answer && answer.chatId === chat.state.session?.chatId ? answer.queue : null;

  /** Started and no operator in it yet, unless the lobby said it waits no longer. */
  function waiting(): boolean {
    const s = chat.state;
    return (
      !!s.session && !s.ended && !s.messages.some((m) => m.author.kind === "operator") && current()?.waiting !== false
    );
  }

  /** Nobody took the chat in time (the lobby's queue timeout): the chat forms offer the offline form. */
  function missed(): boolean {
    const s = chat.state;
    const queue = current();
    return (
      !!s.session &&
      !s.ended &&
      !s.messages.some((m) => m.author.kind === "operator") &&
      queue?.waiting === false &&
      queue.missed === true
    );
  }

  function poll(): void {
    const session = chat.state.session;
    polling = !!session && chat.visible && waiting();
    if (!polling || !session) return;
    void fetch(`${host.base}/api/chats/${encodeURIComponent(session.chatId)}/queue`, {
      headers: { Authorization: `Bearer ${session.token}` },
    })
      .then((res) => (res.ok ? (res.json() as Promise<QueuePositionResponse>) : null))
      .catch(() => null)
      .then((queue) => {
        // No answer (offline, a hiccup): the notice stays, without a place, and asks again later.
        if (queue) answer = { chatId: session.chatId, queue };
        setTimeout(poll, QUEUE_POLL_MS);
        changed();
      });
  }

  return {
    node,
    missed,
    update(t: FormTexts): void {
      const shown = waiting();
      const queue = current();
      node.hidden = !shown && !missed();
      node.textContent = shown
        ? queue?.waiting
          ? `${t.waitingForOperator} ${t.queuePlace.replace("{n}", String(queue.position))}`
          : t.waitingForOperator
        : missed()
          ? t.queueMissed
          : "";
      if (shown && !polling) poll();
    },
  };
}
