// A WebSocket client for tests that queues server frames and lets a test await the next one of a
// type. Runs in the Workers runtime (vitest pool) and in Node (tests against wrangler dev).
import type { ClientFrame, ServerFrame } from "../src/shared/protocol.ts";

/** `Frame` is the server's frame union: chat frames by default, lobby frames for the lobby socket. */
export class ChatClient<Frame extends { type: string } = ServerFrame> {
  private readonly frames: Frame[] = [];
  private waiter: (() => void) | undefined;
  closed: { code: number; reason: string } | undefined;

  /** Takes an open socket (Workers: already `accept()`ed; Node/browser: open or opening). */
  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      this.frames.push(JSON.parse(event.data as string) as Frame);
      this.waiter?.();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.waiter?.();
    });
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string): void {
    this.ws.send(data);
  }

  /** The next frame of the given type, removed from the queue; frames of other types stay. */
  async next<T extends Frame["type"]>(type: T, timeoutMs = 5000): Promise<Extract<Frame, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((f) => f.type === type);
      if (index >= 0) return this.frames.splice(index, 1)[0] as Extract<Frame, { type: T }>;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no "${type}" frame within ${timeoutMs} ms; queued: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** All frames received so far, without waiting. */
  drain(): Frame[] {
    return this.frames.splice(0);
  }

  close(): void {
    this.ws.close(1000, "done");
  }
}
