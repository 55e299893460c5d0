// A destructive action asks once more, in place: the button turns into "Delete “Greeting”?"
// with a confirm and a cancel button. No window.confirm, which blocks the page (and the chats
// still running behind the panel) and cannot be styled or labelled.
import { createSignal, Show } from "solid-js";

export function ConfirmButton(props: {
  /** The button's text, e.g. "Delete". */
  label: string;
  /** The question, e.g. `Delete "Greeting"?`. */
  question: string;
  testid: string;
  disabled?: boolean;
  onConfirm(): void;
}) {
  const [asking, setAsking] = createSignal(false);
  let opener: HTMLButtonElement | undefined;

  const cancel = () => {
    setAsking(false);
    opener?.focus();
  };

  return (
    <Show
      when={asking()}
      fallback={
        <button
          type="button"
          class="danger"
          ref={opener}
          data-testid={props.testid}
          disabled={props.disabled}
          onClick={() => setAsking(true)}
        >
          {props.label}
        </button>
      }
    >
      <span
        class="cp-confirm"
        role="group"
        aria-label={props.question}
        onKeyDown={(e) => e.key === "Escape" && cancel()}
      >
        <span>{props.question}</span>
        <button
          type="button"
          class="danger"
          data-testid={`${props.testid}-confirm`}
          ref={(button) => queueMicrotask(() => button.focus())}
          onClick={() => {
            // Back to the button, with the focus on it, so the keyboard user is not left on
            // the page's body (unless the action removes the whole row, which is expected).
            setAsking(false);
            opener?.focus();
            props.onConfirm();
          }}
        >
          {props.label}
        </button>
        <button type="button" data-testid={`${props.testid}-cancel`} onClick={cancel}>
          Cancel
        </button>
      </span>
    </Show>
  );
}
