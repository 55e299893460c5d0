// One WebSocket that keeps itself connected: reconnects with jittered exponential backoff, sends
// a keepalive ping, and treats a missing answer as a dead connection (a half-open TCP connection
// can look "open" for minutes). What to say on (re)connecting is the caller's business.
// Framework-free: the console wraps it in a signal, the widget uses it as it is.
import { PING_FRAME } from "../../shared/protocol.ts";

/** "connecting" is the first attempt; "reconnecting" is any attempt after a connection failed. */
export type SocketStatus = "connecting" | "open" | "reconnecting" | "stopped";

export type SocketHandlers = {
  /** The socket's URL, asked for every attempt; null stops the socket. */
  url(): string | null;
  /** Subprotocols to offer, asked for every attempt: the current token rides in them
   * (socketProtocols in src/shared/protocol.ts), never in the URL, which may be logged. */
  protocols?(): string[];
  /** Told of every change of status. */
  onStatus?(status: SocketStatus): void;
  onOpen(): void;
  onFrame(frame: unknown): void;
  /** Return false to stay closed after this close (say, the server closed us because we left). */
  shouldReconnect?(event: CloseEvent): boolean;
  /** After an attempt that never opened, finds out over HTTP whether retrying can help: a refused
   * upgrade (expired token, deleted chat) reaches the browser only as a bare close. */
  diagnose?(): Promise<"retry" | "stop">;
};

const KEEPALIVE_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;
const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

export class ReconnectingSocket {
  private current: SocketStatus = "connecting";
  private ws: WebSocket | null = null;
  private failures = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private keepaliveTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly handlers: SocketHandlers) {
    window.addEventListener("online", this.retryNow);
    window.addEventListener("offline", this.dropNow);
    this.connect();
  }

  get status(): SocketStatus {
    return this.current;
  }

  /** Sends a frame if the socket is open; false means it was not sent. */
  send(frame: unknown): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.detach()?.close(1000, "closed by the client");
    window.removeEventListener("online", this.retryNow);
    window.removeEventListener("offline", this.dropNow);
    this.setStatus("stopped");
  }

  private connect = (): void => {
    if (this.stopped) return;
    const url = this.handlers.url();
    if (!url) return this.stop();
    const ws = new WebSocket(url, this.handlers.protocols?.());
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.setStatus("open");
      this.keepaliveTimer = setInterval(this.ping, KEEPALIVE_MS);
      this.handlers.onOpen();
    };
    ws.onmessage = (event) => {
      // Any frame proves the connection alive and the server willing: start backoff afresh.
      this.failures = 0;
      clearTimeout(this.pongTimer);
      let frame: unknown;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if ((frame as { type?: unknown }).type !== "pong") this.handlers.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws === ws) this.lost(opened, event);
    };
  };

  private setStatus(status: SocketStatus): void {
    this.current = status;
    this.handlers.onStatus?.(status);
  }

  private ping = (): void => {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(PING_FRAME);
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(this.dropNow, PONG_TIMEOUT_MS);
  };

  /** Stops listening to the current socket and returns it, so a late close event is ignored. */
  private detach(): WebSocket | null {
    const ws = this.ws;
    this.ws = null;
    clearInterval(this.keepaliveTimer);
    clearTimeout(this.pongTimer);
    if (ws) ws.onopen = ws.onmessage = ws.onclose = null;
    return ws;
  }

  private lost(opened: boolean, event?: CloseEvent): void {
    this.detach();
    if (this.stopped) return;
    if (event && this.handlers.shouldReconnect?.(event) === false) return this.stop();
    this.setStatus("reconnecting");
    if (opened || !this.handlers.diagnose) return this.scheduleRetry();
    void this.handlers.diagnose().then((verdict) => (verdict === "stop" ? this.stop() : this.scheduleRetry()));
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const base = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
    this.failures++;
    clearTimeout(this.retryTimer);
    // Jitter, so thirty tabs that lost the network together do not all knock at once.
    this.retryTimer = setTimeout(this.connect, base * (0.75 + Math.random() * 0.5));
  }

  /** The browser says the network is back: no point waiting out the backoff. */
  private retryNow = (): void => {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.connect();
  };

  /** Offline or no pong: the socket is as good as dead even if the browser has not noticed. */
  private dropNow = (): void => {
    const ws = this.detach();
    if (!ws || this.stopped) return;
    ws.close(4000, "connection presumed dead");
    this.lost(true);
  };
}
