// Invite mode: a visitor picked in the visitor list takes the place of the chat's header and
// history, so the operator sees whom she is about to invite (their page, where they came from,
// how long they have been on the site) and not the chat she came from. Sending the invitation,
// "Back to chat" or Escape return to that chat, whose draft is untouched.
import { createSignal, onCleanup, Show } from "solid-js";
import type { LiveVisitor } from "../../../shared/lobby-protocol.ts";
import { waitedFor } from "../format.ts";

export function InviteView(props: { visitor: LiveVisitor; backLabel: string | null; onCancel(): void }) {
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 15_000);
  onCleanup(() => clearInterval(clock));
  const visitor = () => props.visitor;
  return (
    <>
      <header class="chat-header" data-testid="invite-header">
        <h2 class="chat-title">Invite the visitor on {visitor().title || visitor().url}</h2>
        <div class="chat-actions">
          <button type="button" data-testid="invite-cancel" onClick={() => props.onCancel()}>
            {props.backLabel ? `Back to ${props.backLabel}` : "Cancel"}
          </button>
        </div>
      </header>
      <div
        class="history invite-details"
        data-testid="history-area"
        role="region"
        aria-label="The visitor you are inviting"
        tabIndex={0}
      >
        <dl class="visitor-facts">
          <dt>Page</dt>
          <dd data-testid="invite-page">
            {visitor().title ? `${visitor().title} — ` : ""}
            {visitor().url}
          </dd>
          <Show when={visitor().referrer}>
            <dt>Came from</dt>
            <dd data-testid="invite-referrer">{visitor().referrer}</dd>
          </Show>
          <dt>On the site</dt>
          <dd data-testid="invite-time">{waitedFor(visitor().onSiteSince, now())}</dd>
          <dt>On this page</dt>
          <dd>{waitedFor(visitor().pageSince, now())}</dd>
        </dl>
        <p class="hint">
          Write an invitation below: it appears in the visitor's widget, and their answer opens a chat with you. Press
          Escape to go back without inviting.
        </p>
      </div>
    </>
  );
}
