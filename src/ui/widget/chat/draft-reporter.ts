// Sends the visitor's typing state with the draft, which operators see as a live preview. Drafts
// go out at most every THROTTLE_MS (the server drops typing frames faster than it allows) and
// the latest one always follows; emptying the input or sending says "stopped" at once.

import { TYPING_MIN_INTERVAL_MS, type ClientFrame } from "../../../shared/protocol.ts";

type TypingFrame = Extract<ClientFrame, { type: "typing" }>;

/** Comfortably above the server's minimum interval, so no draft is dropped there. */
const THROTTLE_MS = TYPING_MIN_INTERVAL_MS + 150;

export class DraftReporter {
  private lastSentAt = 0;
  private active = false;
  private pending: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `send` returns false when the frame could not go out (no live socket). */
  constructor(private readonly send: (frame: TypingFrame) => boolean) {}

  note(draft: string): void {
    if (!draft.trim()) return this.stop();
    this.pending = draft;
    const wait = this.lastSentAt + THROTTLE_MS - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = null;
    if (this.active && this.send({ type: "typing", active: false })) this.active = false;
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending === null) return;
    if (this.send({ type: "typing", active: true, draft: this.pending })) {
      this.active = true;
      this.lastSentAt = Date.now();
    }
    this.pending = null;
  }
}
