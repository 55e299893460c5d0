// The active chat: a header with its actions, the reconnecting banner, the history and the text
// input area. With no chat open it keeps the same layout, empty and disabled.
import { Match, Show, Switch } from "solid-js";
import type { CannedResponse, DepartmentSummary, OperatorProfile } from "../../../shared/protocol.ts";
import type { ChatConnection } from "../chat-connection.ts";
import { OfflineMark, RatingMark } from "./chat-marks.tsx";
import { Composer, type InviteMode } from "./composer.tsx";
import { TransferControl, type TransferTarget } from "./transfer-control.tsx";
import type { OperatorPresence } from "../../../shared/lobby-protocol.ts";
import { HistoryArea } from "./history-area.tsx";
import { CHAT_PANEL_ID } from "./tabs-area.tsx";
import { InviteView } from "./invite-view.tsx";
import { TagChips, TagPicker } from "./tag-picker.tsx";
import { VisitorContextPanel } from "./visitor-context-panel.tsx";

function ChatHeader(props: { chat: ChatConnection; onDismiss(): void; onLeave(): void }) {
  const chat = props.chat;
  const live = () => chat.linkState() === "live";
  const ended = () => chat.state.status === "closed" || chat.state.unreachable;
  return (
    <header class="chat-header">
      <h2 class="chat-title">{chat.state.visitorName}</h2>
      <span class={`chat-status ${chat.state.status}`}>
        <Switch fallback="Active">
          <Match when={chat.state.unreachable}>Unavailable</Match>
          <Match when={chat.state.status === "closed"}>Ended</Match>
          <Match when={chat.state.status === "waiting"}>Waiting</Match>
        </Switch>
      </span>
      <OfflineMark offline={chat.state.offline} email={chat.state.visitorEmail} />
      <RatingMark rating={chat.state.rating} withComment />
      <TagChips tagIds={chat.state.tagIds} />
      <div class="chat-actions">
        <Show when={!chat.state.unreachable}>
          <TagPicker chat={chat} />
        </Show>
        <Show
          when={!ended()}
          fallback={
            <button type="button" data-testid="dismiss-chat" onClick={() => props.onDismiss()}>
              Close tab
            </button>
          }
        >
          <button
            type="button"
            data-testid="leave-chat"
            disabled={!live()}
            onClick={() => props.onLeave()}
            title="Leave; the chat goes on for the others"
          >
            Leave
          </button>
          <button
            type="button"
            class="danger"
            data-testid="close-chat"
            disabled={!live()}
            onClick={() => chat.close()}
            title="End the chat for everyone"
          >
            End chat
          </button>
        </Show>
      </div>
    </header>
  );
}

export function ChatPanel(props: {
  chat: ChatConnection | null;
  operator: OperatorProfile;
  responses: readonly CannedResponse[];
  chosenCannedId: string;
  onChooseCanned(id: string): void;
  inputRef(input: HTMLTextAreaElement): void;
  onDismiss(chat: ChatConnection): void;
  onLeave(chat: ChatConnection): void;
  /** Invite mode: a visitor is picked in the visitor list. */
  invite?: InviteMode | null;
  colleagues?: OperatorPresence[];
  departments?: DepartmentSummary[];
  onTransfer?(chat: ChatConnection, target: TransferTarget, stay: boolean): Promise<string | null>;
}) {
  return (
    <section
      id={CHAT_PANEL_ID}
      class="chat-panel"
      role="tabpanel"
      aria-label={
        props.invite ? "Invitation" : props.chat ? `Chat with ${props.chat.state.visitorName}` : "No chat open"
      }
    >
      <Switch
        fallback={
          <div class="history empty" data-testid="history-area">
            <p class="history-empty">No chat is open. Chats you accept appear as tabs below.</p>
          </div>
        }
      >
        <Match when={props.invite}>
          {(invite) => (
            <InviteView
              visitor={invite().visitor}
              backLabel={props.chat?.state.visitorName ?? null}
              onCancel={invite().onCancel}
            />
          )}
        </Match>
        <Match when={props.chat} keyed>
          {(chat) => (
            <>
              <ChatHeader chat={chat} onDismiss={() => props.onDismiss(chat)} onLeave={() => props.onLeave(chat)} />
              <Show when={props.onTransfer}>
                {(onTransfer) => (
                  <TransferControl
                    chat={chat}
                    colleagues={props.colleagues ?? []}
                    departments={props.departments ?? []}
                    onTransfer={onTransfer()}
                  />
                )}
              </Show>
              <Show when={chat.linkState() === "reconnecting"}>
                <div class="reconnecting" role="status" data-testid="reconnecting">
                  Connection lost. Reconnecting… Messages you send now are delivered once it is back.
                </div>
              </Show>
              <Show when={chat.state.offline && chat.state.visitorEmail}>
                {(email) => (
                  <p class="notice by-email" role="note" data-testid="answers-by-email">
                    {chat.state.visitorName} left this message while nobody was online and is not in the chat. Your
                    answers are emailed to {email()}; their reply comes back here.
                  </p>
                )}
              </Show>
              <div class="chat-body">
                <HistoryArea chat={chat} myId={props.operator.id} myName={props.operator.name} />
                <VisitorContextPanel chatId={chat.chatId} />
              </div>
            </>
          )}
        </Match>
      </Switch>
      <Composer
        chat={props.chat}
        responses={props.responses}
        chosenCannedId={props.chosenCannedId}
        onChooseCanned={props.onChooseCanned}
        submitLabel={props.invite ? "Invite" : "Send"}
        invite={props.invite}
        inputRef={props.inputRef}
      />
    </section>
  );
}
