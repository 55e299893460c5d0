// The visitor's side of docs/protocol.md: starts the session lazily with the first message, keeps
// one reconnecting socket, says hello with the last seq held, resends unacked messages by their
// cid, and keeps everything in localStorage (saved-chat.ts) so a reload picks up where it was.
import { lastReadOwnMessage, mergeMessages } from "../../common/message-log.ts";
import { ReconnectingSocket } from "../../common/reconnecting-socket.ts";
import { readText } from "../../common/local-store.ts";
import { socketProtocols } from "../../../shared/socket-auth.ts";
import {
  ackedMessage,
  finalSendErrors,
  type ChatMessage,
  type Participant,
  type ClientFrame,
  type ServerFrame,
  type VisitorSessionRequest,
  type VisitorSessionResponse,
} from "../../../shared/protocol.ts";
import type { ChatHost, Identity } from "../contract.ts";
import { DraftReporter } from "./draft-reporter.ts";
import { loadChat, storeChat, type SavedChat } from "./saved-chat.ts";

type VisitorLinkState = "idle" | "connecting" | "live" | "reconnecting";

/** Refusals a resend will not change: the message is shown as not delivered. */
const FINAL_SEND_ERRORS = new Set<string>(finalSendErrors);
/** An operator whose console vanished mid-word never says "stopped"; forget it after this. */
const TYPING_STALE_MS = 30_000;
const SESSION_RETRY_MS = 3_000;

export const newCid = () =>
  crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class VisitorChat {
  readonly state: SavedChat;
  link: VisitorLinkState = "idle";
  operatorTyping: string | null = null;
  operatorReadSeq = 0;
  /** The account cannot take chats from here (unknown account, site not allowed). */
  unavailable = false;
  /** Whether the visitor sees the window: only then are messages read. */
  visible = false;
  readonly draft = new DraftReporter((frame) => this.sendFrame(frame));
  /** What the pre-chat form gave: it wins over Parley.identify for the chat it starts. */
  prechat: Identity & { departmentId?: string };
  private socket: ReconnectingSocket | null = null;
  private welcomed = false;
  /** The visitor as the room names them (its welcome, which comes before any ack): the author of
   * their own acked messages. */
  private you!: Participant;
  private starting: Promise<void> | null = null;
  private readSeq = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ChatHost,
    private readonly events: { changed(): void; incoming(message: ChatMessage): void },
  ) {
    this.prechat = host.department ? { departmentId: host.department } : {};
    this.state = loadChat(host.account);
    if (this.state.session && !this.state.ended) this.connect(this.state.session);
    // Written before the page went away, before any session existed: send it now.
    else if (this.state.outbox.length) void this.startSession();
  }

  get me(): string | undefined {
    return this.state.session?.visitorId;
  }
  get canEnd(): boolean {
    return this.welcomed && !this.state.ended;
  }
  get seenSeq(): number | null {
    return this.me ? lastReadOwnMessage(this.state.messages, this.me, this.operatorReadSeq) : null;
  }
  get unread(): number {
    return this.state.messages.filter(
      (m) => m.seq > this.readSeq && m.kind !== "system" && m.author.kind === "operator",
    ).length;
  }

  send(text: string): void {
    this.restartIfEnded();
    const cid = newCid();
    this.state.outbox.push({ cid, text });
    this.draft.stop();
    this.save();
    if (!this.state.session) void this.startSession();
    else this.sendFrame({ type: "message", cid, text });
  }

  /** The session a file is sent with; a file as the first thing sent starts the chat. */
  async sessionForFile(): Promise<VisitorSessionResponse | null> {
    this.restartIfEnded();
    if (!this.state.session) await this.startSession();
    return this.state.session;
  }

  /** A message stored over HTTP (a file): shown at once, whether or not the socket echoes it. */
  stored(message: ChatMessage): void {
    this.state.messages = mergeMessages(this.state.messages, [message]);
    this.save();
  }

  private restartIfEnded(): void {
    if (this.state.ended) Object.assign(this.state, { ended: false, session: null, messages: [], rated: false });
  }

  /** The visitor ends the chat; the room's `close` message, sent back to everyone, ends it here. */
  end(): void {
    this.sendFrame({ type: "close" });
  }

  /** The visitor rated the ended chat (chat/chat-forms.ts sends the rating). */
  markRated(): void {
    this.state.rated = true;
    this.save();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.state.open = visible;
    this.markRead();
    this.save();
  }

  private sendFrame(frame: ClientFrame): boolean {
    return this.welcomed && !!this.socket?.send(frame);
  }

  private startSession(): Promise<void> {
    if (this.state.session) return Promise.resolve();
    return (this.starting ??= this.openSession().finally(() => (this.starting = null)));
  }

  private async openSession(): Promise<void> {
    try {
      const who = this.who();
      const body: VisitorSessionRequest = { accountId: this.host.account };
      if (this.prechat.departmentId) body.departmentId = this.prechat.departmentId;
      if (typeof who.name === "string" && who.name.trim()) body.name = who.name.trim().slice(0, 100);
      if (typeof who.email === "string" && EMAIL.test(who.email.trim())) body.email = who.email.trim();
      const invitation = this.host.invitation();
      if (invitation) body.invitationId = invitation.id;
      // The presence socket's id (presence.ts): the operators see this visitor's pages and earlier chats.
      const visitorId = readText(`parley.visitor.${this.host.account}`);
      if (visitorId) body.visitorId = visitorId;
      const res = await fetch(`${this.host.base}/api/visitor/sessions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (res.status === 201) {
        this.state.session = (await res.json()) as VisitorSessionResponse;
        if (invitation) this.host.invitationUsed();
        this.save();
        this.connect(this.state.session);
      } else if (res.status < 500 && res.status !== 429) {
        // Refused for good (a department gone, a site not allowed): say so, not "Sending…" forever.
        this.unavailable = true;
        this.state.outbox = this.state.outbox.map((p) => ({ ...p, failed: true }));
      } else throw new Error(`status ${res.status}`);
    } catch {
      // Offline, a server hiccup or too many starts (429): the message waits in the outbox; try
      // again shortly. (A file that could not start the chat is reported to the visitor instead.)
      if (this.state.outbox.length) setTimeout(() => void this.startSession(), SESSION_RETRY_MS);
    } finally {
      this.events.changed();
    }
  }

  /** What a socket of this chat offers to carry the token (the rating socket of chat-forms.ts uses it too,
   * so the few lines stay in this part rather than a file of their own). */
  socketProtocols(token: string): string[] {
    return socketProtocols(token);
  }

  private resendLater(cid: string, afterMs: number): void {
    setTimeout(() => {
      const pending = this.state.outbox.find((p) => p.cid === cid && !p.failed);
      if (pending) this.sendFrame({ type: "message", cid, text: pending.text });
    }, afterMs);
  }

  private who(): Identity {
    return { ...this.host.identity(), ...this.prechat };
  }

  private connect(session: VisitorSessionResponse): void {
    const ws = this.host.base.replace(/^http/, "ws");
    this.link = "connecting";
    this.socket = new ReconnectingSocket({
      url: () => `${ws}/ws/chats/${encodeURIComponent(session.chatId)}`,
      protocols: () => socketProtocols(session.token),
      onStatus: (status) => {
        if (status !== "open") this.welcomed = false;
        if (status === "reconnecting") this.link = "reconnecting";
        this.events.changed();
      },
      onOpen: () => this.socket?.send({ type: "hello", since: this.state.messages.at(-1)?.seq ?? 0 }),
      onFrame: (frame) => this.receive(frame as ServerFrame),
      // A refused upgrade is a bare close to the browser; HTTP says whether retrying can help.
      diagnose: async () => {
        const res = await fetch(`${this.host.base}/api/chats/${encodeURIComponent(session.chatId)}/messages?limit=1`, {
          headers: { Authorization: `Bearer ${session.token}` },
        }).catch(() => null);
        if (res && [401, 403, 404].includes(res.status)) {
          this.ended();
          return "stop";
        }
        return "retry";
      },
    });
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome": {
        this.welcomed = true;
        this.you = frame.you;
        this.link = "live";
        for (const p of frame.participants) {
          if (p.kind === "operator") this.operatorReadSeq = Math.max(this.operatorReadSeq, p.lastReadSeq);
          else if (p.id === this.me) this.readSeq = Math.max(this.readSeq, p.lastReadSeq);
        }
        if (frame.chat.status === "closed") return this.ended();
        for (const p of this.state.outbox)
          if (!p.failed) this.socket?.send({ type: "message", cid: p.cid, text: p.text });
        break;
      }
      case "msg": {
        const known = this.state.messages.some((m) => m.seq === frame.message.seq);
        this.state.messages = mergeMessages(this.state.messages, [frame.message]);
        const m = frame.message;
        if (!known && m.kind !== "system" && m.author.id !== this.me) {
          if (this.operatorTyping === m.author.name) this.operatorTyping = null;
          this.events.incoming(m);
        }
        if (m.event === "close") return this.ended();
        break;
      }
      case "ack": {
        const pending = this.state.outbox.find((p) => p.cid === frame.cid);
        if (!pending) break;
        this.state.outbox = this.state.outbox.filter((p) => p !== pending);
        const message = ackedMessage(frame, pending, this.you);
        this.state.messages = mergeMessages(this.state.messages, [message]);
        break;
      }
      case "typing":
        if (frame.from.kind !== "operator") break;
        clearTimeout(this.typingTimer);
        this.operatorTyping = frame.active ? frame.from.name : null;
        if (frame.active)
          this.typingTimer = setTimeout(() => ((this.operatorTyping = null), this.events.changed()), TYPING_STALE_MS);
        break;
      case "read":
        if (frame.from.kind === "operator") this.operatorReadSeq = Math.max(this.operatorReadSeq, frame.seq);
        break;
      case "error":
        if (frame.cid && FINAL_SEND_ERRORS.has(frame.code))
          this.state.outbox = this.state.outbox.map((p) => (p.cid === frame.cid ? { ...p, failed: true } : p));
        // Sent faster than the room takes from one visitor: the same message again, once allowed.
        if (frame.code === "rate_limited" && frame.cid) this.resendLater(frame.cid, frame.retryAfterMs ?? 1000);
        if (frame.code === "chat_closed") return this.ended();
        break;
    }
    this.markRead();
    this.save();
  }

  /** Everything shown while the window is open has been read; the operator sees "Seen". */
  private markRead(): void {
    const last = this.state.messages.at(-1)?.seq ?? 0;
    if (!this.visible || last <= this.readSeq) return;
    if (this.sendFrame({ type: "read", seq: last })) this.readSeq = last;
  }

  /** The chat is over (closed by either side, or gone): keep the messages on screen and drop the
   * socket; the next message the visitor writes starts a new chat with a new session. */
  private ended(): void {
    this.socket?.stop();
    this.socket = null;
    this.welcomed = false;
    this.link = "idle";
    this.operatorTyping = null;
    Object.assign(this.state, { ended: true, outbox: this.state.outbox.filter((p) => !p.failed) });
    this.save();
  }

  private save(): void {
    storeChat(this.host.account, this.state);
    this.host.chatting({
      chatting: !!this.state.session && !this.state.ended,
      chatId: this.state.session?.chatId ?? null,
    });
    this.host.setUnread(this.visible ? 0 : this.unread);
    this.events.changed();
  }
}
