// A test visitor that speaks the chat protocol of docs/protocol.md over a real WebSocket, the way
// the widget will: it starts a session, says hello, sends messages and typing drafts, and keeps
// every message it receives so a test can wait for what the operator's console sent.
import { randomUUID } from "node:crypto";
import {
  ackedMessage,
  socketProtocols,
  type AckFrame,
  type ChatMessage,
  type ServerFrame,
  type VisitorSessionRequest,
  type VisitorSessionResponse,
  type WelcomeFrame,
} from "../../src/shared/protocol.ts";

/** `name: null`: an anonymous visitor, who gives no name (the server names them). */
export type VisitorBotOptions = { name?: string | null; departmentId?: string; email?: string; accountId: string };

const RECONNECT_DELAY_MS = 250;
const MAX_RECONNECTS = 40;

export class VisitorBot {
  /** Every message in the chat the bot has seen (others' `msg` frames and its own acked ones), by seq. */
  readonly messages: ChatMessage[] = [];
  /** The welcome of the current (or last) connection. */
  welcome: WelcomeFrame | undefined;
  /** Times the bot came back after the server dropped its socket (a `wrangler dev` reload, say). */
  reconnects = 0;
  readonly origin: string;
  readonly session: VisitorSessionResponse;
  readonly name: string;
  private readonly acks = new Map<string, AckFrame>();
  /** Sent, not yet acked: resent with the same cid after a reconnect, as docs/protocol.md says. */
  private readonly unacked = new Map<string, string>();
  private readonly errors: ServerFrame[] = [];
  private readonly listeners = new Set<() => void>();
  private ws: WebSocket | null = null;
  private live = false;
  private stopped = false;

  private constructor(origin: string, session: VisitorSessionResponse, name: string) {
    this.origin = origin;
    this.session = session;
    this.name = name;
  }

  get chatId(): string {
    return this.session.chatId;
  }

  /** Starts a chat as a new visitor and connects its socket; the chat waits in the lobby. */
  static async start(origin: string, options: VisitorBotOptions): Promise<VisitorBot> {
    const name = options.name === undefined ? "Visitor" : options.name;
    const body: VisitorSessionRequest = {
      accountId: options.accountId,
      ...(name !== null ? { name } : {}),
      ...(options.departmentId ? { departmentId: options.departmentId } : {}),
      ...(options.email ? { email: options.email } : {}),
    };
    const res = await fetch(`${origin}/api/visitor/sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`visitor session: ${res.status} ${await res.text()}`);
    const bot = new VisitorBot(origin, (await res.json()) as VisitorSessionResponse, name ?? "(anonymous)");
    try {
      await bot.connect();
    } catch (error) {
      bot.close();
      throw error;
    }
    return bot;
  }

  /** Opens the socket, says hello with the last seq held and resends what was never acked. */
  private connect(): Promise<void> {
    // As the widget does: the token in a subprotocol, speaking parley.v2 (short acks).
    const ws = new WebSocket(
      `${this.origin.replace(/^http/, "ws")}/ws/chats/${this.chatId}`,
      socketProtocols(this.session.token),
    );
    this.ws = ws;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`visitor ${this.name}: no welcome in ${this.chatId}`));
        ws.close();
      }, 10_000);
      ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "hello", since: this.lastSeq() })), {
        once: true,
      });
      ws.addEventListener("message", (event) => {
        const frame = JSON.parse(event.data as string) as ServerFrame;
        if (frame.type !== "welcome") return this.receive(frame);
        clearTimeout(timer);
        this.welcome = frame;
        this.live = true;
        for (const [cid, text] of this.unacked) ws.send(JSON.stringify({ type: "message", cid, text }));
        resolve();
        this.notify();
      });
      // Node's WebSocket reports a refused connection with an error event only, no close.
      const gone = () => {
        clearTimeout(timer);
        reject(new Error(`visitor ${this.name}: socket closed before its welcome`));
        if (this.ws === ws) this.lost();
      };
      ws.addEventListener("close", gone);
      ws.addEventListener("error", gone);
    });
  }

  /** The server went away: come back the way a widget does, unless the test is over. */
  private lost(): void {
    this.ws = null;
    this.live = false;
    if (!this.stopped && this.reconnects < MAX_RECONNECTS) {
      this.reconnects++;
      setTimeout(() => {
        if (!this.stopped) this.connect().catch(() => undefined);
      }, RECONNECT_DELAY_MS);
    } else {
      this.stopped = true;
    }
    this.notify();
  }

  private lastSeq(): number {
    return this.messages.at(-1)?.seq ?? 0;
  }

  private receive(frame: ServerFrame): void {
    if (frame.type === "msg") this.record(frame.message);
    else if (frame.type === "ack") {
      this.acks.set(frame.cid, frame);
      this.unacked.delete(frame.cid);
    } else if (frame.type === "error") this.errors.push(frame);
    this.notify();
  }

  /** Keeps the log by seq. Seeing a seq again is fine only for the bot's own message (replayed
   * after a reconnect and also acked); anything else delivered twice is a bug the test reports. */
  private record(message: ChatMessage): void {
    const known = this.messages.find((m) => m.seq === message.seq);
    if (known && known.cid !== null && known.cid === message.cid) return;
    if (known) throw new Error(`seq ${message.seq} delivered twice to visitor ${this.name}`);
    this.messages.push(message);
    this.messages.sort((a, b) => a.seq - b.seq);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves with the first value `probe` returns that is not undefined, re-checked on every frame. */
  private until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `visitor ${this.name} (${this.chatId}): ${what} within ${timeoutMs} ms; has ${JSON.stringify(this.messages.map((m) => [m.seq, m.author.kind, m.event ?? m.text]))}, errors ${JSON.stringify(this.errors)}`,
          ),
        );
      }, timeoutMs);
      const listener = () => {
        if (check() || !this.stopped) return;
        cleanup();
        reject(new Error(`visitor ${this.name}: socket gone for good while waiting for ${what}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      if (!check() && this.stopped) {
        cleanup();
        reject(new Error(`visitor ${this.name}: stopped while waiting for ${what}`));
      }
    });
  }

  /** Sends a text message and resolves with its seq once the room has stored it. */
  async say(text: string, timeoutMs = 10_000): Promise<number> {
    const cid = randomUUID();
    this.unacked.set(cid, text);
    if (this.live) this.ws?.send(JSON.stringify({ type: "message", cid, text }));
    const ack = await this.until(`no ack for "${text}"`, () => this.acks.get(cid), timeoutMs);
    this.record(ackedMessage(ack, { text }, this.welcome!.you));
    this.notify();
    return ack.seq;
  }

  /** Sends the visitor's typing state with the draft operators see as a live preview. */
  typing(draft: string): void {
    if (this.live)
      this.ws?.send(
        JSON.stringify(draft ? { type: "typing", active: true, draft } : { type: "typing", active: false }),
      );
  }

  /** The first message from an operator matching `text` (exact string or pattern). */
  waitForOperatorMessage(text: string | RegExp, timeoutMs = 10_000): Promise<ChatMessage> {
    const matches = (m: ChatMessage) =>
      m.kind === "text" &&
      m.author.kind === "operator" &&
      (typeof text === "string" ? m.text === text : text.test(m.text));
    return this.until(`no operator message ${String(text)}`, () => this.messages.find(matches), timeoutMs);
  }

  /** The system message of an event (join, leave, close), e.g. the join of the operator who accepted. */
  waitForEvent(event: NonNullable<ChatMessage["event"]>, timeoutMs = 10_000): Promise<ChatMessage> {
    return this.until(
      `no ${event} event`,
      () => this.messages.find((m) => m.kind === "system" && m.event === event),
      timeoutMs,
    );
  }

  /** Rates the chat (good or bad), with an optional comment, as the widget's rating form does. */
  rate(rating: "good" | "bad", comment?: string): void {
    this.ws?.send(JSON.stringify({ type: "rate", rating, ...(comment ? { comment } : {}) }));
  }

  operatorTexts(): string[] {
    return this.messages.filter((m) => m.kind === "text" && m.author.kind === "operator").map((m) => m.text);
  }

  close(): void {
    this.stopped = true;
    this.live = false;
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, "done");
    this.notify();
  }
}
