// Tells the chat whether the operator is typing (never what: the server would not forward an
// operator's draft anyway). Repeats "typing" every few seconds while keys keep coming, which is
// well under the server's rate limit, and says "stopped" after a pause or once the text is sent.

const REPEAT_MS = 2_000;
const IDLE_MS = 5_000;

export class TypingReporter {
  private sentAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  /** `send` returns false when the frame could not go out (no live socket). */
  constructor(private readonly send: (active: boolean) => boolean) {}

  note(active: boolean): void {
    clearTimeout(this.idleTimer);
    if (active) {
      if (Date.now() - this.sentAt > REPEAT_MS && this.send(true)) this.sentAt = Date.now();
      this.idleTimer = setTimeout(() => this.note(false), IDLE_MS);
    } else if (this.sentAt) {
      this.send(false);
      this.sentAt = 0;
    }
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
  }
}
