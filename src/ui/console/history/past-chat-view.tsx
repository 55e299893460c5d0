// One past chat, read-only: what it was (ChatFacts, the visitor's comment with the rating), every
// message with its files and the operators' private notes, and a form to email its transcript
// (the visitor's copy: never with notes). A search hit opens it at the message found.
import { createResource, createSignal, For, onMount, Show } from "solid-js";
import type { ChatMessage, DepartmentSummary } from "../../../shared/protocol.ts";
import { api, ApiError } from "../api.ts";
import { hrefOf } from "../control-panel/route.ts";
import { MessageItem } from "../components/message-item.tsx";
import { TranscriptButton } from "../components/transcript-form.tsx";
import { ChatFacts, type Named } from "./chat-facts.tsx";
import { BackToChats } from "./history-page.tsx";

/** Most messages shown at once; older ones come on request. */
const PAGE = 200;

export function PastChatView(props: {
  chatId: string;
  seq: number | null;
  myId: string;
  departments: DepartmentSummary[];
  operators: Named[];
  tags: Named[];
}) {
  let heading!: HTMLHeadingElement;
  const [chat] = createResource(() => props.chatId, api.pastChat);
  const [messages, setMessages] = createSignal<ChatMessage[]>([]);
  const [hasOlder, setHasOlder] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);

  async function loadOlder() {
    try {
      const oldest = messages()[0]?.seq;
      const page = await api.history(props.chatId, oldest, PAGE);
      setMessages([...page.messages, ...messages()]);
      setHasOlder(page.hasMore);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : "The messages could not be loaded.");
    }
  }

  onMount(async () => {
    heading.focus();
    await loadOlder();
    // Until the message a search found is here (or there is nothing older), load further back.
    while (props.seq !== null && hasOlder() && (messages()[0]?.seq ?? 0) > props.seq) await loadOlder();
    if (props.seq !== null) {
      const found = document.querySelector<HTMLElement>(`.past-chat [data-seq="${props.seq}"]`);
      found?.classList.add("found");
      found?.scrollIntoView({ block: "center" });
    }
  });

  const operatorsIn = () => {
    const ids = new Set(messages().flatMap((m) => (m.author.kind === "operator" ? [m.author.id] : [])));
    return props.operators.filter((op) => ids.has(op.id)).map((op) => op.name);
  };

  return (
    <section class="past-chat" aria-labelledby="past-chat-title">
      <div class="history-top">
        <a class="back-link" href={hrefOf({ kind: "history", chatId: null, seq: null })} data-testid="history-back">
          ← Back to History
        </a>
        <BackToChats />
      </div>
      <h1 id="past-chat-title" tabindex="-1" ref={heading}>
        Chat with {chat()?.visitorName ?? "…"}
      </h1>
      <Show when={chat.error}>
        <p class="notice" role="alert">
          {chat.error instanceof ApiError ? chat.error.message : "This chat could not be loaded."}
        </p>
      </Show>
      <Show when={chat()}>
        {(found) => (
          <>
            <p>
              <ChatFacts chat={found()} departments={props.departments} tags={props.tags} />
            </p>
            <Show when={operatorsIn().length}>
              <p class="hint">With {operatorsIn().join(", ")}</p>
            </Show>
            <Show when={found().ratingComment}>
              <blockquote class="rating-comment" data-testid="history-rating-comment">
                {found().ratingComment}
              </blockquote>
            </Show>
            <div class="past-transcript">
              <span>Email the transcript</span>
              <TranscriptButton chat={{ chatId: found().id, state: { visitorEmail: found().visitorEmail } }} />
            </div>
          </>
        )}
      </Show>
      <Show when={problem()}>
        <p class="notice" role="alert">
          {problem()}
        </p>
      </Show>
      <Show when={hasOlder()}>
        <button type="button" onClick={() => void loadOlder()}>
          Show older messages
        </button>
      </Show>
      <div class="past-messages" data-testid="past-messages">
        <For each={messages()}>
          {(message) => (
            <MessageItem chatId={props.chatId} message={message} mine={message.author.id === props.myId} seen={false} />
          )}
        </For>
      </div>
    </section>
  );
}
