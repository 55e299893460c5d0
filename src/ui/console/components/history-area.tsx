// The chat history of the active tab: messages in seq order, unsent ones after them, the
// visitor's live draft at the bottom. It stays at the newest message while scrolled to the
// bottom (also when an image above finishes loading and pushes it down), offers a jump to the
// new messages when the operator has scrolled up to read, and fetches older history when
// scrolled to the top, keeping the view where it was.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import type { ChatConnection } from "../chat-connection.ts";
import { UploadView } from "./file-items.tsx";
import { MessageItem, PendingItem } from "./message-item.tsx";

/** Within this many pixels of an edge counts as "at" that edge. */
const EDGE_PX = 48;

export function HistoryArea(props: { chat: ChatConnection; myId: string; myName: string }) {
  // The component is created per chat (keyed), so the chat never changes under it.
  const chat = props.chat;
  let area!: HTMLDivElement;
  let content!: HTMLDivElement;
  let stuckToBottom = chat.scrollTop === null;
  const seenSeq = createMemo(() => chat.seenSeq());
  /** Messages that arrived below while the operator was reading further up. */
  const [newBelow, setNewBelow] = createSignal(0);

  /** The scroll position at the last scroll event, to tell the operator scrolling up from
   * content growing below the view. */
  let lastScrollTop = 0;
  const scrollToBottom = () => {
    area.scrollTop = area.scrollHeight;
  };
  function jumpToNewest() {
    stuckToBottom = true;
    chat.scrollTop = null;
    setNewBelow(0);
    scrollToBottom();
  }

  async function loadOlder() {
    if (!chat.state.hasOlder || chat.state.loadingOlder) return;
    const heightBefore = area.scrollHeight;
    await chat.loadOlder();
    // Older messages went in above: move down by their height so the view does not jump.
    if (!stuckToBottom) area.scrollTop += area.scrollHeight - heightBefore;
    else scrollToBottom();
    fillViewport();
  }

  /** With too little history to scroll, no scroll event would ever ask for more. */
  function fillViewport() {
    if (area.scrollHeight <= area.clientHeight && chat.state.hasOlder) void loadOlder();
  }

  /** Reads where the operator is: only scrolling up lets go of the bottom. Our own scroll to
   * the bottom reports its event late, perhaps after an image box appeared below: short of the
   * bottom then, yet not up. */
  function notePosition() {
    if (area.scrollHeight - area.scrollTop - area.clientHeight < EDGE_PX) stuckToBottom = true;
    else if (area.scrollTop < lastScrollTop) stuckToBottom = false;
    lastScrollTop = area.scrollTop;
  }

  function onScroll() {
    notePosition();
    if (stuckToBottom) setNewBelow(0);
    // Remembered on every scroll: by cleanup time the element may already be detached.
    chat.scrollTop = stuckToBottom ? null : area.scrollTop;
    if (area.scrollTop < EDGE_PX) void loadOlder();
  }

  onMount(() => {
    if (chat.scrollTop === null) scrollToBottom();
    else area.scrollTop = chat.scrollTop;
    fillViewport();
    // Neither the splitter or the window resizing the area, nor content growing without a new
    // message (an image preview appearing once its link is fetched, a file card, a typing
    // preview) should unstick it from the newest message.
    const resizes = new ResizeObserver(() => stuckToBottom && scrollToBottom());
    resizes.observe(area);
    resizes.observe(content);
    onCleanup(() => resizes.disconnect());
  });

  // New content at the bottom: follow it if the operator was already there.
  createEffect(
    on(
      [chat.messages, () => chat.state.visitorTyping],
      ([messages], previous) => {
        // A scroll up reports its event with the next frame; a message arriving before that
        // must not pull the operator back down. Content added below never moves scrollTop up,
        // so this reads the scroll that has not been reported yet and nothing else.
        if (area.scrollTop < lastScrollTop) notePosition();
        if (stuckToBottom) scrollToBottom();
        else if (previous && messages.length > previous[0].length && messages.at(-1)?.seq !== previous[0].at(-1)?.seq)
          setNewBelow((n) => n + 1);
        fillViewport();
      },
      { defer: true },
    ),
  );
  // Sending is "take me to the bottom", wherever the operator was reading.
  createEffect(
    on(
      () => chat.outbox.items().length + chat.uploads.items().length,
      (count, previous) => {
        if (previous !== undefined && count > previous) {
          stuckToBottom = true;
          scrollToBottom();
        }
      },
    ),
  );

  return (
    <div
      ref={area}
      class="history"
      data-testid="history-area"
      role="region"
      aria-label={`Chat history with ${chat.state.visitorName}`}
      tabIndex={0}
      onScroll={onScroll}
    >
      <div ref={content} class="history-content">
        <Show when={chat.state.hasOlder}>
          <button
            type="button"
            class="load-older"
            data-testid="load-older"
            disabled={chat.state.loadingOlder}
            onClick={() => void loadOlder()}
          >
            {chat.state.loadingOlder ? "Loading older messages…" : "Show older messages"}
          </button>
        </Show>
        <Show
          when={chat.messages().length === 0 && chat.outbox.items().length === 0 && chat.uploads.items().length === 0}
        >
          <p class="history-empty">
            {chat.linkState() === "connecting" ? "Loading the conversation…" : "No messages yet."}
          </p>
        </Show>
        <For each={chat.messages()}>
          {(message) => (
            <MessageItem
              chatId={chat.chatId}
              message={message}
              mine={message.author.id === props.myId}
              seen={seenSeq() === message.seq}
            />
          )}
        </For>
        <For each={chat.outbox.items()}>{(message) => <PendingItem message={message} authorName={props.myName} />}</For>
        <For each={chat.uploads.items()}>
          {(upload) => (
            <UploadView
              upload={upload}
              authorName={props.myName}
              onCancel={() => chat.uploads.cancel(upload.cid)}
              onDismiss={() => chat.uploads.dismiss(upload.cid)}
            />
          )}
        </For>
        <Show when={chat.state.visitorTyping !== null}>
          <div class="typing-preview" data-testid="typing-preview">
            <span class="meta">{chat.state.visitorName} is typing…</span>
            <Show when={chat.state.visitorTyping}>
              <p class="text">{chat.state.visitorTyping}</p>
            </Show>
          </div>
        </Show>
      </div>
      <Show when={newBelow() > 0}>
        <button type="button" class="jump-to-newest" data-testid="jump-to-newest" onClick={jumpToNewest}>
          {newBelow() === 1 ? "1 new message" : `${newBelow()} new messages`} ↓
        </button>
      </Show>
    </div>
  );
}
