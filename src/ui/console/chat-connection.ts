// One chat tab's live state: its socket, its messages, the outbox of unacknowledged messages,
// the visitor's typing and both sides' read marks. Follows docs/protocol.md "Reconnecting without
// losing anything": hello with the last seq held, then resend every unacked message by its cid.
import { batch, createSignal, type Accessor, type Setter } from "solid-js";
import { createStore, type SetStoreFunction } from "solid-js/store";
import {
  ackedMessage,
  type ChatMessage,
  type ChatRating,
  type ChatStatus,
  type ClientFrame,
  type FinalSendError,
  type OperatorProfile,
  type Participant,
  type ServerFrame,
} from "../../shared/protocol.ts";
import { api, ApiError } from "./api.ts";
import { learnTagIds } from "./account-tags.ts";
import { countUnread, lastReadOwnMessage, mergeMessages } from "../common/message-log.ts";
import { FileUploads } from "./file-uploads.ts";
import { Outbox, type OutgoingMessage } from "./outbox.ts";
import { OperatorSocket } from "./operator-socket.ts";
import { readText, storageKeys, writeText } from "./storage.ts";
import { TypingReporter } from "./typing-reporter.ts";

export type ChatTabInfo = {
  chatId: string;
  visitorName: string;
  status?: ChatStatus;
  /** For a chat just taken from the queue: its log is short, so the socket replays all of it and
   * the chat is live sooner than after fetching the newest page over HTTP first. */
  replayAll?: boolean;
  /** A message left through the widget's offline form, and the visitor's email. */
  offline?: boolean;
  visitorEmail?: string | null;
};

/** "live": welcomed and in sync; "stopped": no socket any more (ended, left, or unreachable). */
type ChatTabLinkState = "connecting" | "live" | "reconnecting" | "stopped";

export type ChatEvents = {
  /** A message from someone else that arrived after the tab was opened. */
  onIncoming(chat: ChatConnection, message: ChatMessage): void;
};

/** What a message refused for good (finalSendErrors) is marked with, by code. */
const FINAL_SEND_ERRORS: Record<string, string> = {
  chat_closed: "Not delivered: the chat has ended.",
  text_empty: "Not delivered: the message is empty.",
  text_too_long: "Not delivered: the message is too long.",
  forbidden: "Not delivered: you may not write in this chat.",
  bad_frame: "Not delivered: the server refused it.",
} satisfies Record<FinalSendError, string>;
/** A visitor whose widget vanished mid-word never sends active:false; stop showing it after this. */
const VISITOR_TYPING_STALE_MS = 30_000;

/** Everything about the chat a component may show, in one reactive store. */
type ChatState = {
  visitorName: string;
  status: ChatStatus;
  /** The visitor's live draft while they type ("" when the widget sends none), else null. */
  visitorTyping: string | null;
  visitorReadSeq: number;
  myReadSeq: number;
  hasOlder: boolean;
  loadingOlder: boolean;
  draft: string;
  /** True once the chat cannot be reached any more (deleted, or not this account's). */
  unreachable: boolean;
  /** The current socket has had its welcome, so frames sent now are accepted. */
  welcomed: boolean;
  /** The visitor's rating, live from the room. */
  rating: ChatRating | null;
  offline: boolean;
  visitorEmail: string | null;
  /** The chat's tags, live from the room (any operator may change them). */
  tagIds: string[];
  /** The composer writes a private note for operators rather than a message to the visitor. */
  noteMode: boolean;
};

/** The frame that delivers an outgoing message or note, the first time and every resend. */
const frameOf = (m: OutgoingMessage): ClientFrame => ({ type: m.note ? "note" : "message", cid: m.cid, text: m.text });

export class ChatConnection {
  readonly chatId: string;
  readonly outbox: Outbox;
  /** Files being sent from this tab. */
  readonly uploads: FileUploads;
  readonly state: ChatState;
  readonly messages: Accessor<ChatMessage[]>;
  /** Settles at the first welcome, or when the chat turns out unreachable or is disposed. */
  readonly firstWelcome: Promise<void>;
  /** Where the history was scrolled when the tab was left; null means "stuck to the newest". */
  scrollTop: number | null = null;

  private readonly update: SetStoreFunction<ChatState>;
  private readonly setMessages: Setter<ChatMessage[]>;
  private readonly socket: Accessor<OperatorSocket | null>;
  private readonly setSocket: Setter<OperatorSocket | null>;
  private you: Participant;
  private everWelcomed = false;
  /** Messages up to this seq existed when the tab opened: they are history, not news. */
  private baselineSeq: number | null = null;
  private leaving = false;
  private disposed = false;
  private readonly typing = new TypingReporter(
    (active) => this.linkState() === "live" && !!this.socket()?.send({ type: "typing", active }),
  );
  private visitorTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private welcomedOnce!: () => void;

  constructor(
    private readonly info: ChatTabInfo,
    private readonly operator: OperatorProfile,
    private readonly events: ChatEvents,
  ) {
    this.chatId = info.chatId;
    this.you = { kind: "operator", id: operator.id, name: operator.name };
    this.outbox = new Outbox(storageKeys.outbox(operator.id, info.chatId));
    [this.state, this.update] = createStore<ChatState>({
      visitorName: info.visitorName,
      status: info.status ?? "active",
      visitorTyping: null,
      visitorReadSeq: 0,
      myReadSeq: 0,
      hasOlder: false,
      loadingOlder: false,
      draft: readText(storageKeys.draft(operator.id, info.chatId)),
      unreachable: false,
      welcomed: false,
      rating: null,
      offline: info.offline ?? false,
      visitorEmail: info.visitorEmail ?? null,
      tagIds: [],
      noteMode: false,
    });
    [this.messages, this.setMessages] = createSignal<ChatMessage[]>([]);
    this.uploads = new FileUploads(info.chatId, (message) =>
      this.setMessages(mergeMessages(this.messages(), [message])),
    );
    [this.socket, this.setSocket] = createSignal<OperatorSocket | null>(null);
    this.firstWelcome = new Promise((resolve) => (this.welcomedOnce = resolve));
    void this.start();
  }

  readonly linkState = (): ChatTabLinkState => {
    const status = this.socket()?.status() ?? (this.state.unreachable ? "stopped" : "connecting");
    if (status === "stopped") return "stopped";
    if (status === "open" && this.state.welcomed) return "live";
    return status === "reconnecting" || this.everWelcomed ? "reconnecting" : "connecting";
  };
  readonly unread = (): number => countUnread(this.messages(), this.operator.id, this.state.myReadSeq);
  /** "Seen" goes on messages the visitor got: never on a private note. */
  readonly seenSeq = (): number | null =>
    lastReadOwnMessage(
      this.messages().filter((m) => m.kind !== "note"),
      this.operator.id,
      this.state.visitorReadSeq,
    );
  readonly lastSeq = (): number => this.messages().at(-1)?.seq ?? 0;

  setDraft(text: string): void {
    this.update("draft", text);
    writeText(storageKeys.draft(this.operator.id, this.chatId), text);
    // Writing a private note is nothing the visitor should see as "typing".
    this.typing.note(!this.state.noteMode && text.trim().length > 0);
  }

  setNoteMode(on: boolean): void {
    this.update("noteMode", on);
    if (on) this.typing.note(false);
  }

  /** Sends a message to the visitor, or a private note for operators (`as: "note"`). */
  send(text: string, as: "message" | "note" = "message"): void {
    const message = this.outbox.add(text, as === "note");
    // Before the welcome the frame would be refused with hello_required; the welcome resends it.
    if (this.linkState() === "live") this.socket()?.send(frameOf(message));
    this.typing.note(false);
  }

  /** Tells the server (and so the visitor) that everything shown has been read. */
  markRead(): void {
    const last = this.lastSeq();
    if (last <= this.state.myReadSeq || this.linkState() !== "live") return;
    this.socket()?.send({ type: "read", seq: last });
    this.update("myReadSeq", last);
  }

  /** Ends the chat for everyone. */
  close(): boolean {
    return this.linkState() === "live" && !!this.socket()?.send({ type: "close" });
  }

  /** Leaves the chat; it goes on for the visitor and any other operator. */
  leave(): boolean {
    if (this.linkState() !== "live") return false;
    this.leaving = true;
    return !!this.socket()?.send({ type: "leave" });
  }

  /** Sets the chat's tags (the whole list). The room tells every live socket, this one's included,
   * before it answers; the answer is for a tab whose socket has stopped (an ended chat). */
  async setTags(tagIds: string[]): Promise<void> {
    const answer = await api.setChatTags(this.chatId, tagIds);
    if (this.linkState() !== "live") this.showTags(answer.tagIds);
  }

  async loadOlder(): Promise<void> {
    const first = this.messages()[0]?.seq;
    if (!this.state.hasOlder || this.state.loadingOlder || first === undefined) return;
    this.update("loadingOlder", true);
    try {
      const page = await api.history(this.chatId, first);
      batch(() => {
        this.setMessages(mergeMessages(this.messages(), page.messages));
        this.update("hasOlder", page.hasMore);
      });
    } catch {
      // Scrolling to the top again retries; nothing is lost by failing here.
    } finally {
      this.update("loadingOlder", false);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.welcomedOnce();
    this.typing.dispose();
    this.uploads.dispose();
    clearTimeout(this.visitorTypingTimer);
    this.socket()?.stop();
  }

  /** The tab is closed for good: its draft and undeliverable messages go too. */
  forget(): void {
    this.dispose();
    writeText(storageKeys.draft(this.operator.id, this.chatId), "");
    this.outbox.discard();
  }

  // ---- Connection ----------------------------------------------------------------------------

  private async start(): Promise<void> {
    // The newest page over HTTP first, so the socket replays only what is newer and older
    // history loads on demand. Should it fail, hello with since 0 replays everything instead.
    if (!this.info.replayAll) {
      try {
        const page = await api.history(this.chatId);
        this.baselineSeq = page.lastSeq;
        batch(() => {
          this.setMessages(page.messages);
          this.update("hasOlder", page.hasMore);
        });
      } catch (error) {
        if (error instanceof ApiError && [401, 403, 404].includes(error.status)) return this.markUnreachable();
      }
    }
    if (this.disposed) return;
    this.setSocket(
      new OperatorSocket({
        path: `/ws/chats/${encodeURIComponent(this.chatId)}`,
        onOpen: () => {
          this.update("welcomed", false);
          this.socket()?.send({ type: "hello", since: this.lastSeq() });
        },
        onFrame: (frame) => this.handle(frame as ServerFrame),
        // After leaving, or once an ended chat has nothing left to deliver, stay disconnected.
        shouldReconnect: () => !this.leaving && !(this.state.status === "closed" && this.outbox.unsent().length === 0),
        diagnose: () => this.diagnose(),
      }),
    );
  }

  private async diagnose(): Promise<"retry" | "stop"> {
    try {
      await api.history(this.chatId, undefined, 1);
      return "retry";
    } catch (error) {
      if (!(error instanceof ApiError) || ![401, 403, 404].includes(error.status)) return "retry";
      if (error.status !== 401) this.markUnreachable();
      return "stop";
    }
  }

  private markUnreachable(): void {
    this.update("unreachable", true);
    this.welcomedOnce();
  }

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        return this.welcome(frame);
      case "msg":
        return this.receive(frame.message);
      case "ack": {
        const sent = this.outbox.remove(frame.cid);
        if (!sent) return;
        const message = ackedMessage(frame, sent, this.you);
        this.setMessages(mergeMessages(this.messages(), [message]));
        return;
      }
      case "typing":
        if (frame.from.kind === "visitor") this.showVisitorTyping(frame.active ? (frame.draft ?? "") : null);
        return;
      case "read":
        if (frame.from.kind === "visitor")
          this.update("visitorReadSeq", Math.max(this.state.visitorReadSeq, frame.seq));
        // My own read from another window of the console clears the badge here too.
        if (frame.from.id === this.operator.id) this.update("myReadSeq", Math.max(this.state.myReadSeq, frame.seq));
        return;
      case "error":
        if (frame.cid && FINAL_SEND_ERRORS[frame.code])
          return this.outbox.fail(frame.cid, FINAL_SEND_ERRORS[frame.code]!);
        // Our `since` is beyond the chat's log (the log was reset): start over from nothing.
        if (frame.code === "bad_seq" && !this.state.welcomed) {
          this.setMessages([]);
          this.update("hasOlder", false);
          this.socket()?.send({ type: "hello", since: 0 });
        }
        return;
      case "rating":
        this.update("rating", { rating: frame.rating, comment: frame.comment, at: frame.at });
        return;
      case "tags":
        return this.showTags(frame.tagIds);
      case "pong":
        return;
    }
  }

  private showTags(tagIds: string[]): void {
    this.update("tagIds", tagIds);
    learnTagIds(tagIds);
  }

  private welcome(frame: Extract<ServerFrame, { type: "welcome" }>): void {
    this.you = frame.you;
    this.baselineSeq ??= frame.lastSeq;
    this.everWelcomed = true;
    batch(() => {
      this.update("status", frame.chat.status);
      if (frame.chat.rating) this.update("rating", { ...frame.chat.rating });
      if (frame.tagIds) this.showTags(frame.tagIds);
      for (const p of frame.participants) {
        if (p.kind === "visitor") {
          this.update("visitorName", p.name);
          this.update("visitorReadSeq", Math.max(this.state.visitorReadSeq, p.lastReadSeq));
        }
        if (p.id === this.operator.id) this.update("myReadSeq", Math.max(this.state.myReadSeq, p.lastReadSeq));
      }
      // Whatever the visitor was typing before the drop is unknown now.
      this.showVisitorTyping(null);
      this.update("welcomed", true);
    });
    this.welcomedOnce();
    // The replay is already queued ahead of these on the server, so the order is kept.
    for (const m of this.outbox.unsent()) this.socket()?.send(frameOf(m));
  }

  private receive(message: ChatMessage): void {
    const current = this.messages();
    const isNew = message.seq > (current.at(-1)?.seq ?? 0) || !current.some((m) => m.seq === message.seq);
    if (!isNew) return;
    batch(() => {
      this.setMessages(mergeMessages(current, [message]));
      if (message.author.kind === "visitor" && message.kind === "text") this.showVisitorTyping(null);
      if (message.event === "close") {
        this.update("status", "closed");
        this.showVisitorTyping(null);
      } else if (message.event === "reopen") {
        // The visitor wrote again by email after the end: the chat waits for an operator again.
        this.update("status", "waiting");
      } else if (message.event === "join" && this.state.status === "waiting") {
        this.update("status", "active");
      }
    });
    const isNews = this.baselineSeq !== null && message.seq > this.baselineSeq;
    if (isNews && message.kind !== "system" && message.author.id !== this.operator.id)
      this.events.onIncoming(this, message);
  }

  private showVisitorTyping(draft: string | null): void {
    clearTimeout(this.visitorTypingTimer);
    this.update("visitorTyping", draft);
    if (draft !== null)
      this.visitorTypingTimer = setTimeout(() => this.update("visitorTyping", null), VISITOR_TYPING_STALE_MS);
  }
}
