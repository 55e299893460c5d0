// Chats waiting for an operator, live from the lobby, each with an Accept button. Losing the race
// for a chat (409 already_taken) shows a short notice and drops it from the list.
import { createSignal, For, onCleanup, Show } from "solid-js";
import type { WaitingChat } from "../../../shared/lobby-protocol.ts";
import { waitedFor } from "../format.ts";
import type { LobbyConnection } from "../lobby-connection.ts";
import { OfflineMark } from "./chat-marks.tsx";

export function WaitingList(props: {
  lobby: LobbyConnection;
  notice: string | null;
  accepting: ReadonlySet<string>;
  onAccept(chat: WaitingChat): void;
}) {
  // Waiting times tick on without any frame arriving.
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 30_000);
  onCleanup(() => clearInterval(clock));
  const online = () => props.lobby.you()?.status === "online";

  return (
    <section class="waiting-list" aria-labelledby="waiting-title">
      <h2 id="waiting-title" class="area-title">
        Waiting <span class="count">{props.lobby.waiting().length}</span>
      </h2>
      <Show when={props.notice}>
        <p class="notice" role="alert" data-testid="accept-notice">
          {props.notice}
        </p>
      </Show>
      <Show when={online()} fallback={<p class="hint">{props.lobby.ready() ? "You are away. Go online to see and take waiting chats." : "Waiting chats appear once the lobby is connected."}</p>}>
        <ul class="waiting-items">
          <For each={props.lobby.waiting()} fallback={<li class="hint">No one is waiting.</li>}>
            {(chat) => (
              <li class="waiting-chat" data-testid="waiting-chat" data-chat-id={chat.chatId}>
                <span class="waiting-name">{chat.visitorName}</span>
                <OfflineMark offline={chat.offline} email={chat.visitorEmail} />
                <span class="waiting-since">{waitedFor(chat.since, now())}</span>
                <button
                  type="button"
                  class="primary"
                  data-testid="accept-chat"
                  disabled={props.accepting.has(chat.chatId)}
                  onClick={() => props.onAccept(chat)}
                  aria-label={`Accept the chat with ${chat.visitorName}`}
                >
                  Accept
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
