// One polite live region for the whole console: screen readers hear new messages in the open chat
// and new waiting chats without the history itself being a live region (which would read out a
// whole history each time a tab is switched).
import { createSignal } from "solid-js";

const [message, setMessage] = createSignal("");
let clearTimer: ReturnType<typeof setTimeout> | undefined;

export function announce(text: string): void {
  // Emptying first makes the same text (two identical "ok" messages) be announced twice.
  setMessage("");
  clearTimeout(clearTimer);
  setTimeout(() => setMessage(text), 50);
  clearTimer = setTimeout(() => setMessage(""), 10_000);
}

export function LiveRegion() {
  return (
    <div class="visually-hidden" aria-live="polite" aria-atomic="true">
      {message()}
    </div>
  );
}
