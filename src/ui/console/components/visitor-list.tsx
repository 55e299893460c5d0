// Visitors on the account's sites right now, live from the lobby: page title and URL,
// where they came from, how long they have been on the site, and whether they are chatting.
// Picking one puts the composer in invite mode: its button reads "Invite".
import { createMemo, createSignal, For, onCleanup, Show } from "solid-js";
import type { LiveVisitor } from "../../../shared/lobby-protocol.ts";
import { waitedFor } from "../format.ts";
import type { LobbyConnection } from "../lobby-connection.ts";

export function VisitorList(props: {
  lobby: LobbyConnection;
  selectedId: string | null;
  onSelect(visitor: LiveVisitor | null): void;
}) {
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 15_000);
  onCleanup(() => clearInterval(clock));
  // Rows are keyed by visitor id: each page update brings a new visitor object, and a row drawn
  // anew under the operator's pointer would swallow the click that was meant for it.
  const visitorIds = createMemo(() => props.lobby.visitors().map((visitor) => visitor.id), undefined, {
    equals: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
  });
  const byId = createMemo(() => new Map(props.lobby.visitors().map((visitor) => [visitor.id, visitor])));
  return (
    <section class="visitor-list" aria-labelledby="visitors-title" data-testid="visitor-list">
      <h2 id="visitors-title" class="area-title">
        Visitors <span class="count">{props.lobby.visitors().length}</span>
      </h2>
      <ul class="waiting-items">
        <For each={visitorIds()} fallback={<li class="hint">No one is on the site.</li>}>
          {(id) => (
            <Show when={byId().get(id)}>
              {(visitor) => (
                // Its own layout, not the waiting list's two-column grid: there, a long URL that
                // cannot wrap spilled out of its narrow column over the button and took its clicks.
                <li
                  class="visitor-row"
                  classList={{ selected: props.selectedId === visitor().id }}
                  data-testid="visitor-row"
                  data-visitor-id={visitor().id}
                  title={visitor().url}
                >
                  <button
                    type="button"
                    class="visitor-pick"
                    aria-pressed={props.selectedId === visitor().id}
                    disabled={visitor().chatting}
                    onClick={() => props.onSelect(props.selectedId === visitor().id ? null : visitor())}
                    aria-label={`Invite the visitor on ${visitor().title || visitor().url}`}
                  >
                    <span class="visitor-title" data-testid="visitor-title">
                      {visitor().title || visitor().url}
                    </span>
                  </button>
                  <span class="visitor-detail" data-testid="visitor-url">
                    {visitor().url}
                  </span>
                  <Show when={visitor().referrer}>
                    <span class="visitor-detail" data-testid="visitor-referrer" title={visitor().referrer}>
                      from {visitor().referrer}
                    </span>
                  </Show>
                  <span class="visitor-detail" data-testid="visitor-time">
                    on site {waitedFor(visitor().onSiteSince, now())}
                  </span>
                  <Show when={visitor().chatting}>
                    <span class="chat-status active" data-testid="visitor-chatting">
                      chatting
                    </span>
                  </Show>
                  <Show
                    when={visitor().invitation && visitor().invitation!.expiresAt > now() ? visitor().invitation : null}
                  >
                    {(invitation) => (
                      <span class="chat-status waiting" data-testid="visitor-invited">
                        invited by {invitation().operatorName}
                      </span>
                    )}
                  </Show>
                </li>
              )}
            </Show>
          )}
        </For>
      </ul>
    </section>
  );
}
