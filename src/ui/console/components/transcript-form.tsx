// "Send chat transcript", as the manual has it: click the icon, enter the address, Send. It works
// during the chat and after it ended (the tab of an ended chat stays until it is closed). The
// address is prefilled with the visitor's, when the chat knows it. The server checks the address
// and the chat's hourly allowance; a refusal is shown in the form, in words, and a success closes
// the form (it would cover the newest messages) and shows a note above the button for a while
// (above it, not beside it: beside, it made the toolbar wrap onto two lines).
import { createEffect, createSignal, on, onCleanup, Show } from "solid-js";
import { api, ApiError } from "../api.ts";

/** The chat whose transcript is sent: an open tab's connection, or a past chat read in History. */
export type TranscriptChat = { chatId: string; state: { visitorEmail: string | null; unreachable?: boolean } };

type Outcome = { ok: boolean; text: string };

/** How long the "Transcript sent" note stays. */
const SENT_NOTE_MS = 10_000;

function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return "The transcript could not be sent.";
  if (error.code === "validation_failed") return "Enter one email address, like name@example.com.";
  return error.message;
}

export function TranscriptButton(props: { chat: TranscriptChat | null; disabled?: boolean }) {
  const [open, setOpen] = createSignal(false);
  const [email, setEmail] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome | null>(null);
  let button!: HTMLButtonElement;
  let input: HTMLInputElement | undefined;
  let noteTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(noteTimer));

  // Another tab, another visitor: start over.
  createEffect(
    on(
      () => props.chat,
      () => {
        setOpen(false);
        setOutcome(null);
        setEmail("");
      },
    ),
  );

  function toggle(): void {
    if (open()) return close();
    if (!email()) setEmail(props.chat?.state.visitorEmail ?? "");
    setOutcome(null);
    setOpen(true); // The input focuses itself once it is in the page.
  }

  function close(): void {
    setOpen(false);
    button.focus();
  }

  async function send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const chat = props.chat;
    const to = email().trim();
    if (!chat || busy()) return;
    if (!to) return void setOutcome({ ok: false, text: "Enter the email address to send the transcript to." });
    setBusy(true);
    try {
      const sent = await api.sendTranscript(chat.chatId, to);
      const left =
        sent.remaining === 0
          ? "the last one this chat may send this hour"
          : `${sent.remaining} more possible this hour`;
      setOutcome({ ok: true, text: `Transcript sent to ${sent.to} (${left}).` });
      clearTimeout(noteTimer);
      noteTimer = setTimeout(() => setOutcome((now) => (now?.ok ? null : now)), SENT_NOTE_MS);
      close();
    } catch (error) {
      setOutcome({ ok: false, text: describe(error) });
      input?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <span class="transcript">
      <Show when={!open() && outcome()?.ok}>
        <span class="transcript-sent" data-testid="transcript-sent" role="status">
          {outcome()!.text}
        </span>
      </Show>
      <button
        ref={button}
        type="button"
        class="icon-button"
        data-testid="transcript-button"
        aria-label="Send chat transcript"
        title="Send chat transcript"
        aria-expanded={open()}
        aria-controls="transcript-form"
        disabled={props.disabled || !props.chat || props.chat.state.unreachable}
        onClick={toggle}
      >
        ✉
      </button>
      <Show when={open() && props.chat}>
        <form
          id="transcript-form"
          class="transcript-form"
          data-testid="transcript-form"
          aria-label="Send chat transcript"
          // The server's check is the one that counts, and it says what is wrong in words.
          noValidate
          onSubmit={(e) => void send(e)}
          onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), close())}
        >
          <label for="transcript-email">Send the transcript of this chat to</label>
          <div class="transcript-row">
            <input
              id="transcript-email"
              ref={(el) => {
                input = el;
                queueMicrotask(() => (el.focus(), el.select()));
              }}
              data-testid="transcript-email"
              type="email"
              autocomplete="email"
              maxLength={254}
              placeholder="name@example.com"
              value={email()}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
            <button type="submit" class="primary" data-testid="transcript-send" disabled={busy()}>
              {busy() ? "Sending…" : "Send"}
            </button>
          </div>
          <Show when={outcome() && !outcome()!.ok}>
            <p class="transcript-error" data-testid="transcript-error" role="alert">
              {outcome()!.text}
            </p>
          </Show>
        </form>
      </Show>
    </span>
  );
}
