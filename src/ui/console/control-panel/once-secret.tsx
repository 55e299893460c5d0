// A secret the server shows exactly once (an API key, an invitation token): in a read-only box,
// selected for copying, with a Copy button, until the admin says they have stored it.
import { createSignal, createUniqueId } from "solid-js";

/** Copies `text`; without the clipboard, selects it in `box` for Ctrl+C and says false. */
export async function copy(text: string, box: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (or an insecure origin): select it, for Ctrl+C.
    box.select();
    return false;
  }
}

export function OnceSecret(props: { label: string; value: string; note: string; testid: string; onDone(): void }) {
  const id = createUniqueId();
  const [copied, setCopied] = createSignal<boolean | null>(null);
  let box!: HTMLInputElement;
  return (
    <div class="cp-secret" role="status" data-testid={props.testid}>
      <label for={id}>{props.label}</label>
      <p class="hint" id={`${id}-note`}>
        {props.note}
      </p>
      <div class="cp-secret-row">
        <input
          id={id}
          ref={(input) => {
            box = input;
            queueMicrotask(() => input.select());
          }}
          readOnly
          value={props.value}
          aria-describedby={`${id}-note`}
          data-testid={`${props.testid}-value`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          data-testid={`${props.testid}-copy`}
          onClick={async () => setCopied(await copy(props.value, box))}
        >
          {copied() ? "Copied" : "Copy"}
        </button>
        <button type="button" data-testid={`${props.testid}-done`} onClick={() => props.onDone()}>
          Done
        </button>
      </div>
      <p class="hint" aria-live="polite">
        {copied() === false ? "Copying is not allowed here: the text is selected, press Ctrl+C (⌘C)." : ""}
      </p>
    </div>
  );
}
