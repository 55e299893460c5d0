// Chats waiting for an operator, live from the lobby, each with an Accept button. Each card says
// enough to tell chats apart and pick one: who, the start of their first message, the
// department and the page they are on. Losing the race for a chat (409 already_taken) shows a
// short notice and drops it from the list. In the automatic routing modes a card says whom the
// chat rings for; when it rings for you it counts down to the ring's end, with Accept and Decline.
import { createSignal, For, onCleanup, Show } from "solid-js";
import { mayAcceptWaiting, type WaitingChat } from "../../../shared/lobby-protocol.ts";
import { isOpenAt } from "../../../shared/business-hours.ts";
import type { DepartmentSummary } from "../../../shared/protocol.ts";
import { waitedFor } from "../format.ts";
import type { LobbyConnection } from "../lobby-connection.ts";
import { OfflineMark } from "./chat-marks.tsx";

export function WaitingList(props: {
  lobby: LobbyConnection;
  departments: readonly DepartmentSummary[];
  notice: string | null;
  accepting: ReadonlySet<string>;
  onAccept(chat: WaitingChat): void;
  onDecline(chat: WaitingChat): void;
}) {
  const myId = () => props.lobby.you()?.id ?? "";
  const ringsForMe = (chat: WaitingChat) => props.lobby.ringsForMe(chat);
  // Waiting times and ring countdowns tick on without any frame arriving.
  const [now, setNow] = createSignal(Date.now());
  /** Counted from the time it is drawn, not the last tick's: a ring that starts just before a tick
   * would otherwise show a second more than the ring time. */
  const secondsLeft = (chat: WaitingChat) => {
    now(); // redrawn on every tick
    return Math.max(0, Math.ceil(((chat.assignment?.expiresAt ?? 0) - Date.now()) / 1000));
  };
  const clock = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(clock));
  const online = () => props.lobby.you()?.status === "online";
  const departmentName = (id: string | null) => {
    if (id === null) return "Any department";
    const department = props.departments.find((d) => d.id === id);
    if (!department) return "A department";
    return isOpenAt(department.businessHours, now()) ? department.name : `${department.name} (closed now)`;
  };
  /** The page the visitor of this chat is on, if their widget is still open somewhere. */
  const pageOf = (chatId: string) => props.lobby.visitors().find((visitor) => visitor.chatId === chatId);

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
      <Show
        when={online()}
        fallback={
          <p class="hint">
            {props.lobby.ready()
              ? "You are away. Go online to see and take waiting chats."
              : "Waiting chats appear once the lobby is connected."}
          </p>
        }
      >
        <ul class="waiting-items">
          <For each={props.lobby.waiting()} fallback={<li class="hint">No one is waiting.</li>}>
            {(chat) => (
              <li
                class="waiting-chat"
                classList={{ ringing: ringsForMe(chat) }}
                data-testid="waiting-chat"
                data-chat-id={chat.chatId}
              >
                <span class="waiting-name">{chat.visitorName}</span>
                <OfflineMark offline={chat.offline} email={chat.visitorEmail} />
                <span class="waiting-since">{waitedFor(chat.since, now())}</span>
                <Show when={chat.unanswered}>
                  <span class="waiting-routing" data-testid="waiting-unanswered">
                    Under way, but the visitor got no answer in time: join to help
                  </span>
                </Show>
                <Show when={chat.firstMessage}>
                  <p class="waiting-preview" data-testid="waiting-preview">
                    {chat.firstMessage}
                  </p>
                </Show>
                <span class="waiting-detail" data-testid="waiting-department">
                  {departmentName(chat.departmentId)}
                </span>
                <Show when={pageOf(chat.chatId)}>
                  {(visitor) => (
                    <span class="waiting-detail" data-testid="waiting-page" title={visitor().url}>
                      on {visitor().title || visitor().url}
                    </span>
                  )}
                </Show>
                <Show when={chat.assignment}>
                  {(assignment) => (
                    <span class="waiting-routing" data-testid="waiting-routing">
                      <Show
                        when={assignment().offeredTo}
                        fallback={
                          assignment().openToAll ? "Everyone passed: anyone may take it" : "Waiting for a free operator"
                        }
                      >
                        {(to) =>
                          to().id === myId() ? (
                            <>
                              Ringing for you:{" "}
                              <span class="ring-countdown" data-testid="ring-countdown" aria-live="off">
                                {secondsLeft(chat)} s
                              </span>
                            </>
                          ) : (
                            `Ringing for ${to().name}`
                          )
                        }
                      </Show>
                    </span>
                  )}
                </Show>
                <span class="waiting-actions">
                  <button
                    type="button"
                    class="primary"
                    data-testid="accept-chat"
                    disabled={props.accepting.has(chat.chatId) || !mayAcceptWaiting(chat, myId())}
                    onClick={() => props.onAccept(chat)}
                    aria-label={`Accept the chat with ${chat.visitorName}`}
                  >
                    Accept
                  </button>
                  <Show when={ringsForMe(chat)}>
                    <button
                      type="button"
                      data-testid="decline-chat"
                      onClick={() => props.onDecline(chat)}
                      aria-label={`Decline the chat with ${chat.visitorName}`}
                    >
                      Decline
                    </button>
                  </Show>
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
