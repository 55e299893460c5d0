// One message in the history. Text is rendered as text nodes only; the single exception to
// "shown as typed" is that URLs and email addresses become links, built as real <a> elements.
import { For, Show } from "solid-js";
import type { ChatMessage } from "../../../shared/protocol.ts";
import { fullTime, messageTime } from "../format.ts";
import { linkify } from "../../common/linkify.ts";
import type { OutgoingMessage } from "../outbox.ts";
import { FileAttachmentView } from "./file-items.tsx";

export function MessageText(props: { text: string }) {
  return (
    <For each={linkify(props.text)}>
      {(part) =>
        part.href ? (
          <a href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        )
      }
    </For>
  );
}

/** What marks a private note, in the history and while it is being sent. */
function PrivateNoteLabel() {
  return (
    <span class="note-label" data-testid="private-note-label" title="Only operators see this note, never the visitor">
      <span aria-hidden="true">🔒</span> Private note · only operators see this
    </span>
  );
}

function Time(props: { at: number }) {
  return (
    <time dateTime={new Date(props.at).toISOString()} title={fullTime(props.at)}>
      {messageTime(props.at)}
    </time>
  );
}

export function MessageItem(props: { chatId: string; message: ChatMessage; mine: boolean; seen: boolean }) {
  const m = props.message;
  if (m.kind === "system") {
    return (
      <div class="message system" data-testid="message" data-seq={m.seq} data-author="system">
        <span class="text">{m.text}</span> <Time at={m.at} />
      </div>
    );
  }
  const side = props.mine ? "mine" : m.author.kind;
  return (
    <article
      class={`message ${side}`}
      classList={{ note: m.kind === "note" }}
      data-testid="message"
      data-seq={m.seq}
      data-author={m.author.kind}
      data-kind={m.kind}
    >
      <header class="meta">
        <span class="author">{m.author.name}</span>
        <Time at={m.at} />
        <Show when={m.kind === "note"}>
          <PrivateNoteLabel />
        </Show>
        <Show when={m.via === "email"}>
          {/* The visitor replied to a transcript: they read answers by email, not in the widget. */}
          <span class="via-email" data-testid="via-email" title="Written as a reply to a transcript email">
            by email
          </span>
        </Show>
      </header>
      <Show
        when={m.file}
        fallback={
          <p class="text">
            <MessageText text={m.text} />
          </p>
        }
      >
        {(file) => <FileAttachmentView chatId={props.chatId} file={file()} />}
      </Show>
      <Show when={props.seen}>
        <span class="seen" data-testid="read-receipt">
          Seen
        </span>
      </Show>
    </article>
  );
}

/** A message written but not yet acknowledged: it has no seq yet, so it is kept apart. */
export function PendingItem(props: { message: OutgoingMessage; authorName: string }) {
  return (
    <article
      class="message mine pending"
      classList={{ failed: !!props.message.failure, note: !!props.message.note }}
      data-testid="message"
      data-author="operator"
      data-kind={props.message.note ? "note" : "text"}
      data-pending="true"
    >
      <header class="meta">
        <span class="author">{props.authorName}</span>
        <Show when={props.message.note}>
          <PrivateNoteLabel />
        </Show>
        <span class="delivery">{props.message.failure ?? "Sending…"}</span>
      </header>
      <p class="text">{props.message.text}</p>
    </article>
  );
}
