// An earlier chat, read-only (past-chat.ts opens it): its messages, oldest first, newest page
// first loaded, earlier ones on request. Nothing here writes to the chat or joins it.
import { createSignal, For, onMount, Show } from "solid-js";
import type { ChatMessage } from "../../../shared/protocol.ts";
import { api } from "../api.ts";
import { fullTime } from "../format.ts";
import { MessageItem } from "./message-item.tsx";

const PAGE = 100;

export function PastChatDialog(props: { chatId: string; onClose(): void }) {
  let dialog!: HTMLDialogElement;
  const [messages, setMessages] = createSignal<ChatMessage[]>([]);
  const [hasMore, setHasMore] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(true);

  async function load(before?: number): Promise<void> {
    setLoading(true);
    try {
      const page = await api.history(props.chatId, before, PAGE);
      setMessages([...page.messages, ...messages()]);
      setHasMore(page.hasMore);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "The chat could not be loaded.");
    } finally {
      setLoading(false);
    }
  }

  onMount(() => {
    dialog.showModal();
    void load();
  });

  const visitorName = () => messages().find((m) => m.kind !== "system" && m.author.kind === "visitor")?.author.name;
  const startedAt = () => messages()[0]?.at;
  return (
    <dialog
      ref={dialog}
      class="past-chat"
      aria-labelledby="past-chat-title"
      data-testid="past-chat"
      onClose={() => props.onClose()}
    >
      <header class="past-chat-header">
        <h2 id="past-chat-title">
          Earlier chat{visitorName() ? ` with ${visitorName()}` : ""}
          <Show when={startedAt()}>{(at) => <span class="hint"> · {fullTime(at())}</span>}</Show>
        </h2>
        <button type="button" data-testid="past-chat-close" onClick={() => dialog.close()}>
          Close
        </button>
      </header>
      <div class="past-chat-log" aria-busy={loading()}>
        <Show when={hasMore()}>
          <button type="button" disabled={loading()} onClick={() => void load(messages()[0]?.seq)}>
            Show earlier messages
          </button>
        </Show>
        <Show when={problem()}>
          {(text) => (
            <p class="notice" role="alert">
              {text()}
            </p>
          )}
        </Show>
        <For each={messages()} fallback={<p class="hint">{loading() ? "Loading…" : "No messages."}</p>}>
          {(message) => <MessageItem chatId={props.chatId} message={message} mine={false} seen={false} />}
        </For>
      </div>
    </dialog>
  );
}
