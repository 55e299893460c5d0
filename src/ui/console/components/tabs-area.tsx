// The tabs area: one tab per chat the operator is in, however many. Each shows the visitor's
// name, an unread count and a mark while the visitor types. Arrow keys move between tabs
// (the usual tablist keyboard pattern), so only the selected tab is in the Tab order.
import { For, Show } from "solid-js";
import type { ChatConnection } from "../chat-connection.ts";
import { RatingMark } from "./chat-marks.tsx";
import { TabTagChips } from "./tag-picker.tsx";

export const CHAT_PANEL_ID = "chat-panel";

function ChatTab(props: { chat: ChatConnection; selected: boolean; onSelect(): void }) {
  const chat = props.chat;
  const ended = () => chat.state.status === "closed" || chat.state.unreachable;
  return (
    <button
      type="button"
      role="tab"
      class="chat-tab"
      classList={{ ended: ended(), reconnecting: chat.linkState() === "reconnecting", unread: chat.unread() > 0 }}
      data-testid="chat-tab"
      data-chat-id={chat.chatId}
      aria-selected={props.selected}
      aria-controls={CHAT_PANEL_ID}
      tabIndex={props.selected ? 0 : -1}
      onClick={() => props.onSelect()}
    >
      <span class="tab-name">{chat.state.visitorName}</span>
      <RatingMark rating={chat.state.rating} />
      <TabTagChips tagIds={chat.state.tagIds} />
      <Show when={chat.state.visitorTyping !== null}>
        <span class="typing-mark" data-testid="typing-mark" title="Typing…">
          <span aria-hidden="true">✎</span>
          <span class="visually-hidden">typing</span>
        </span>
      </Show>
      <Show when={ended()}>
        <span class="tab-state">ended</span>
      </Show>
      <Show when={chat.linkState() === "reconnecting"}>
        <span class="tab-state" title="Reconnecting…">
          <span aria-hidden="true">⟳</span>
          <span class="visually-hidden">reconnecting</span>
        </span>
      </Show>
      <Show when={chat.unread() > 0}>
        <span class="unread-count" data-testid="unread-count">
          {chat.unread()}
        </span>
        <span class="visually-hidden"> unread</span>
      </Show>
    </button>
  );
}

export function TabsArea(props: {
  tabs: readonly ChatConnection[];
  active: ChatConnection | null;
  height: number;
  loadState: string;
  onSelect(chat: ChatConnection, byKeyboard: boolean): void;
}) {
  let list!: HTMLDivElement;

  function onKeyDown(event: KeyboardEvent) {
    const index = props.tabs.findIndex((tab) => tab === props.active);
    const targets: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowDown: index + 1,
      ArrowLeft: index - 1,
      ArrowUp: index - 1,
      Home: 0,
      End: props.tabs.length - 1,
    };
    if (!(event.key in targets) || props.tabs.length === 0) return;
    event.preventDefault();
    const next = props.tabs[(targets[event.key]! + props.tabs.length) % props.tabs.length]!;
    props.onSelect(next, true);
    list.querySelector<HTMLElement>(`[data-chat-id="${CSS.escape(next.chatId)}"]`)?.focus();
  }

  return (
    <section
      id="tabs-area"
      class="tabs-area"
      data-testid="tabs-area"
      style={{ height: `${props.height}px` }}
      aria-labelledby="tabs-title"
    >
      <h2 id="tabs-title" class="area-title">
        Chats <span class="count">{props.tabs.length}</span>
      </h2>
      <div ref={list} class="tab-list" role="tablist" aria-labelledby="tabs-title" onKeyDown={onKeyDown}>
        <For each={props.tabs}>
          {(chat) => (
            <ChatTab chat={chat} selected={chat === props.active} onSelect={() => props.onSelect(chat, false)} />
          )}
        </For>
      </div>
      <Show when={props.tabs.length === 0}>
        <p class="hint">
          {props.loadState === "loading"
            ? "Loading your chats…"
            : props.loadState === "ready"
              ? "No open chats. Accept a waiting chat to start."
              : props.loadState}
        </p>
      </Show>
    </section>
  );
}
