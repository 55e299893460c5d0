// The text input area and its toolbar. Enter sends, Shift+Enter is a newline; the Send button is
// disabled while there is nothing to send. The Note toggle (Alt+N) turns what is written into a
// private note for operators, in a yellow input, instead of a message to the visitor. The textarea is left to the browser otherwise, so cut,
// copy, paste, select all and undo (keys and context menu) all behave natively.
import { createEffect, createSignal, on, Show } from "solid-js";
import { MAX_TEXT_LENGTH, type CannedResponse } from "../../../shared/protocol.ts";
import { matchShortcuts, shortcutAtCaret, type ShortcutToken } from "../canned-shortcuts.ts";
import type { ChatConnection } from "../chat-connection.ts";
import { insertIntoTextarea } from "../text-insert.ts";
import { CannedBar } from "./canned-bar.tsx";
import { SHORTCUT_LIST_ID, ShortcutPopup, suggestionId } from "./shortcut-popup.tsx";
import { TranscriptButton } from "./transcript-form.tsx";
import type { LiveVisitor } from "../../../shared/lobby-protocol.ts";

/** The composer writing an invitation to a visitor on the site rather than a chat message. */
export type InviteMode = {
  visitor: LiveVisitor;
  visitorLabel: string;
  onInvite(text: string): Promise<boolean>;
  onCancel(): void;
};

type Suggestions = { token: ShortcutToken; matches: CannedResponse[]; selected: number };

export function Composer(props: {
  chat: ChatConnection | null;
  responses: readonly CannedResponse[];
  chosenCannedId: string;
  onChooseCanned(id: string): void;
  /** The button's label: "Send", or "Invite" in invite mode. */
  submitLabel: string;
  inputRef?: (input: HTMLTextAreaElement) => void;
  /** Invite mode (a visitor picked in the visitor list): the text goes to that visitor as a
   * proactive invitation, and the button reads as `submitLabel` ("Invite"). */
  invite?: Pick<InviteMode, "visitorLabel" | "onInvite" | "onCancel"> | null;
}) {
  let input!: HTMLTextAreaElement;
  let fileInput!: HTMLInputElement;
  const [suggestions, setSuggestions] = createSignal<Suggestions | null>(null);
  /** Escape hides the list until the operator types something else. */
  let dismissedAt: number | null = null;

  const [inviteDraft, setInviteDraft] = createSignal("");
  const draft = () => (props.invite ? inviteDraft() : (props.chat?.state.draft ?? ""));
  const noteMode = () => !props.invite && !!props.chat?.state.noteMode;
  /** Notes may follow a chat's end (docs/protocol.md), over the socket it still has. */
  const mayNote = () =>
    !props.invite &&
    !!props.chat &&
    !props.chat.state.unreachable &&
    (props.chat.state.status !== "closed" || props.chat.linkState() === "live");
  const disabled = () =>
    !props.invite &&
    (!props.chat ||
      props.chat.state.unreachable ||
      (props.chat.state.status === "closed" && !(noteMode() && mayNote())));
  const canSend = () => !disabled() && draft().trim().length > 0;
  const placeholder = () => {
    if (props.invite) return `Invite ${props.invite.visitorLabel} to chat…`;
    if (!props.chat) return "Choose or accept a chat to write here";
    if (props.chat.state.unreachable) return "This chat is no longer available.";
    if (noteMode()) return "Private note: only operators see it…";
    if (props.chat.state.status === "closed")
      return mayNote() ? "This chat has ended. Use Note to add a private note." : "This chat has ended.";
    return `Message ${props.chat.state.visitorName}…`;
  };

  function toggleNote() {
    const chat = props.chat;
    if (!chat || !mayNote()) return;
    chat.setNoteMode(!chat.state.noteMode);
    input.focus();
  }

  createEffect(
    on(
      () => props.chat,
      () => setSuggestions(null),
    ),
  );

  function refreshSuggestions() {
    const token = shortcutAtCaret(input.value, input.selectionStart);
    const matches = token && token.start !== dismissedAt ? matchShortcuts(props.responses, token.typed) : [];
    if (!token) dismissedAt = null;
    setSuggestions(token && matches.length ? { token, matches, selected: 0 } : null);
  }

  function pick(response: CannedResponse) {
    const current = suggestions();
    setSuggestions(null);
    if (current) insertIntoTextarea(input, response.text, current.token);
  }

  /** Each chosen file goes on its own; the history shows its progress (file-uploads.ts). */
  function sendFiles(files: FileList | null) {
    const chat = props.chat;
    if (!chat || disabled() || props.invite) return;
    for (const file of Array.from(files ?? [])) chat.uploads.send(file);
    // Choosing the same file again must fire another change.
    fileInput.value = "";
  }

  function send() {
    const invite = props.invite;
    if (invite) {
      const text = inviteDraft();
      if (text.trim()) void invite.onInvite(text).then((ok) => ok && setInviteDraft(""));
      return;
    }
    const chat = props.chat;
    if (!chat || !canSend()) return;
    chat.send(draft(), noteMode() ? "note" : "message");
    chat.setDraft("");
    setSuggestions(null);
    input.focus();
  }

  /** Keys for the shortcut list, while it is open; true when the key was used up. */
  function handleSuggestionKey(event: KeyboardEvent, open: Suggestions): boolean {
    const count = open.matches.length;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        setSuggestions({ ...open, selected: (open.selected + (event.key === "ArrowDown" ? 1 : -1) + count) % count });
        return true;
      case "Enter":
      case "Tab":
        pick(open.matches[open.selected]!);
        return true;
      case "Escape":
        dismissedAt = open.token.start;
        setSuggestions(null);
        return true;
      default:
        return false;
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    const open = suggestions();
    if (open && handleSuggestionKey(event, open)) return event.preventDefault();
    // Alt+N (by key position, so Option+N on a Mac too; AltGr, which is Ctrl+Alt, types letters).
    if (event.code === "KeyN" && event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      return toggleNote();
    }
    // Escape leaves invite mode, back to the chat the operator came from.
    if (event.key === "Escape" && props.invite) return props.invite.onCancel();
    // isComposing: the Enter that confirms an IME composition (Japanese, Chinese…) is not "send".
    if (
      event.key === "Enter" &&
      !event.shiftKey &&
      !event.isComposing &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey
    ) {
      event.preventDefault();
      send();
    }
  }

  return (
    <div class="composer" classList={{ "note-mode": noteMode() }}>
      <Show when={noteMode()}>
        <p class="note-hint" id="note-hint" data-testid="note-hint">
          <span aria-hidden="true">🔒</span> Private note: only operators see it, never the visitor.
        </p>
      </Show>
      <div class="composer-input">
        <Show when={suggestions()}>
          {(open) => <ShortcutPopup matches={open().matches} selected={open().selected} onPick={pick} />}
        </Show>
        <label class="visually-hidden" for="message-input">
          {noteMode() ? "Private note" : "Message"}
        </label>
        <textarea
          id="message-input"
          ref={(el) => {
            input = el;
            props.inputRef?.(el);
          }}
          data-testid="message-input"
          rows={3}
          maxLength={MAX_TEXT_LENGTH}
          value={draft()}
          placeholder={placeholder()}
          disabled={disabled()}
          aria-describedby={noteMode() ? "note-hint" : undefined}
          aria-autocomplete="list"
          aria-controls={suggestions() ? SHORTCUT_LIST_ID : undefined}
          aria-activedescendant={suggestions() ? suggestionId(suggestions()!.selected) : undefined}
          onInput={(e) => {
            if (props.invite) setInviteDraft(e.currentTarget.value);
            else props.chat?.setDraft(e.currentTarget.value);
            refreshSuggestions();
          }}
          onKeyDown={onKeyDown}
          onKeyUp={(e) =>
            (e.key === "ArrowLeft" || e.key === "ArrowRight" || e.key === "Home" || e.key === "End") &&
            refreshSuggestions()
          }
          onClick={refreshSuggestions}
          onBlur={() => setSuggestions(null)}
        />
      </div>
      <div class="composer-toolbar">
        <CannedBar
          responses={props.responses}
          chosenId={props.chosenCannedId}
          onChoose={props.onChooseCanned}
          onInsert={(text) => insertIntoTextarea(input, text)}
          disabled={disabled()}
        />
        <div class="composer-actions">
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="file-input"
            tabIndex={-1}
            onChange={(e) => sendFiles(e.currentTarget.files)}
          />
          <button
            type="button"
            class="icon-button"
            data-testid="send-file"
            aria-label="Send file"
            title="Send file"
            disabled={disabled() || !!props.invite || noteMode()}
            onClick={() => fileInput.click()}
          >
            📎
          </button>
          {/* Not disabled with the composer: a transcript of an ended chat is sent too. */}
          <TranscriptButton chat={props.chat} disabled={!!props.invite} />
          <button
            type="button"
            class="note-toggle"
            data-testid="note-toggle"
            aria-pressed={noteMode()}
            aria-keyshortcuts="Alt+N"
            title="Write a private note only operators see (Alt+N)"
            disabled={!mayNote()}
            onClick={toggleNote}
          >
            <span aria-hidden="true">🔒</span> Note
          </button>
          <button
            type="button"
            class="primary send"
            data-testid={props.invite ? "invite-button" : "send-button"}
            disabled={!canSend()}
            onClick={send}
          >
            {noteMode() ? "Add note" : props.submitLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
