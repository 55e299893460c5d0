// The account's lobby socket: this operator's presence, the team's, and the queue of chats
// waiting for an operator. The server decides what to send (waiting chats reach online operators
// only); this keeps the latest picture of it.
import { batch, createSignal, type Accessor } from "solid-js";
import {
  configTopics,
  DEACTIVATED_CLOSE_CODE,
  type ConfigTopic,
  type LiveVisitor,
  type LobbyServerFrame,
  type OperatorPresence,
  type PresenceStatus,
  type WaitingChat,
} from "../../shared/lobby-protocol.ts";
import { api, ApiError } from "./api.ts";
import { OperatorSocket, type SocketStatus } from "./operator-socket.ts";

type LobbyEvents = {
  /** A chat newly entered the queue (not one that was already there in a snapshot). */
  onWaiting(chat: WaitingChat): void;
  /** A waiting chat started ringing for this operator (automatic routing): accept or decline it
   * before `chat.assignment.expiresAt`. */
  onRinging(chat: WaitingChat): void;
  /** The lobby set this operator away after `missed` chats in a row rang out. */
  onSetAway(missed: number): void;
  /** A chat left the queue; `byMe` when this operator took it (perhaps in another window).
   * `chat` is what the list knew of it, if it was listed. */
  onDequeued(chatId: string, byMe: boolean, chat: WaitingChat | undefined): void;
  /** An admin changed the account's canned responses or settings: what the console loaded of
   * them is stale. Also called with both after a reconnect, since notices sent while the
   * socket was down are lost. */
  onConfigChanged(what: ConfigTopic): void;
  /** A visitor answered this operator's invitation, or a colleague handed this operator a chat:
   * the operator is in that chat already; open its tab. */
  onChatForMe?(chatId: string, visitorName: string): void;
  /** An admin deactivated this operator: the lobby closed for good. */
  onDeactivated(): void;
};

const byName = (operators: OperatorPresence[]) => [...operators].sort((a, b) => a.name.localeCompare(b.name));

export class LobbyConnection {
  readonly you: Accessor<OperatorPresence | null>;
  readonly operators: Accessor<OperatorPresence[]>;
  readonly waiting: Accessor<WaitingChat[]>;
  /** Visitors on the account's sites now, oldest visit first. */
  readonly visitors: Accessor<LiveVisitor[]>;
  private readonly setVisitors: (visitors: LiveVisitor[]) => void;
  private readonly setYou: (you: OperatorPresence | null) => void;
  private readonly setOperators: (operators: OperatorPresence[]) => void;
  private readonly setWaiting: (waiting: WaitingChat[]) => void;
  private readonly socket: OperatorSocket;
  private connectedBefore = false;

  constructor(
    private readonly operatorId: string,
    private readonly events: LobbyEvents,
  ) {
    [this.you, this.setYou] = createSignal<OperatorPresence | null>(null);
    [this.operators, this.setOperators] = createSignal<OperatorPresence[]>([]);
    [this.waiting, this.setWaiting] = createSignal<WaitingChat[]>([]);
    [this.visitors, this.setVisitors] = createSignal<LiveVisitor[]>([]);
    this.socket = new OperatorSocket({
      path: "/ws/lobby",
      // The server speaks first with a snapshot; there is nothing to say on connecting. A
      // reconnect may have missed config notices, so whatever they cover is fetched again.
      onOpen: () => {
        if (this.connectedBefore) for (const what of configTopics) this.events.onConfigChanged(what);
        this.connectedBefore = true;
      },
      onFrame: (frame) => this.handle(frame as LobbyServerFrame),
      // Closed because an admin deactivated this operator: no retrying, the session is over.
      shouldReconnect: (event) => {
        if (event.code !== DEACTIVATED_CLOSE_CODE) return true;
        this.events.onDeactivated();
        return false;
      },
      diagnose: async () => {
        try {
          await api.me();
          return "retry";
        } catch (error) {
          return error instanceof ApiError && error.status === 401 ? "stop" : "retry";
        }
      },
    });
  }

  /** True while the lobby is connected and has sent its snapshot. */
  readonly ready = (): boolean => this.socket.status() === "open" && this.you() !== null;
  readonly socketStatus = (): SocketStatus => this.socket.status();

  setPresence(status: PresenceStatus): void {
    const you = this.you();
    if (!you || !this.socket.send({ type: "presence", status })) return;
    // Shown at once; the server confirms with a presence notice (and a snapshot when online).
    this.setYou({ ...you, status });
    // Away operators get no queue updates, so a list kept now would silently go stale.
    if (status === "away") this.setWaiting([]);
  }

  /** Says no to a chat that rings for this operator: it moves on to a colleague at once. */
  decline(chatId: string): boolean {
    return this.socket.send({ type: "decline", chatId });
  }

  /** Whether this card rings for this operator. */
  ringsForMe(chat: WaitingChat): boolean {
    return chat.assignment?.offeredTo?.id === this.operatorId;
  }

  /** Drops a chat from the list, e.g. after accepting it or losing the race for it. */
  forget(chatId: string): void {
    this.setWaiting(this.waiting().filter((w) => w.chatId !== chatId));
  }

  dispose(): void {
    this.socket.stop();
  }

  private handle(frame: LobbyServerFrame): void {
    switch (frame.type) {
      case "lobby":
        return batch(() => {
          this.setYou(frame.you);
          this.setOperators(byName(frame.operators));
          this.setWaiting(frame.you.status === "online" ? frame.waiting : []);
        });
      case "presence": {
        const changed = frame.operator;
        if (changed.id === this.operatorId) {
          this.setYou(changed);
          if (changed.status === "away") this.setWaiting([]);
        }
        const others = this.operators().filter((op) => op.id !== changed.id);
        return this.setOperators(byName([...others, changed]));
      }
      case "operator_gone":
        return this.setOperators(this.operators().filter((op) => op.id !== frame.operatorId));
      case "waiting": {
        // A chat already listed comes again when there is more to show of it (its first message,
        // whom it rings for).
        const listed = this.waiting().find((w) => w.chatId === frame.chat.chatId);
        const ringsNow = this.ringsForMe(frame.chat) && !(listed && this.ringsForMe(listed));
        if (listed) this.setWaiting(this.waiting().map((w) => (w.chatId === frame.chat.chatId ? frame.chat : w)));
        else this.setWaiting([...this.waiting(), frame.chat]);
        if (ringsNow) return this.events.onRinging(frame.chat);
        if (!listed) return this.events.onWaiting(frame.chat);
        return;
      }
      case "set_away":
        return this.events.onSetAway(frame.missed);
      case "dequeued": {
        const listed = this.waiting().find((w) => w.chatId === frame.chatId);
        this.forget(frame.chatId);
        return this.events.onDequeued(frame.chatId, frame.by?.id === this.operatorId, listed);
      }
      case "missed": {
        // Nobody took it in time: it leaves the waiting list as a taken chat does.
        const listed = this.waiting().find((w) => w.chatId === frame.chatId);
        this.forget(frame.chatId);
        return this.events.onDequeued(frame.chatId, false, listed);
      }
      case "config_changed":
        return this.events.onConfigChanged(frame.what);
      case "visitors":
        return this.setVisitors(frame.visitors);
      case "visitor": {
        const list = this.visitors();
        const at = list.findIndex((v) => v.id === frame.visitor.id);
        return this.setVisitors(at < 0 ? [...list, frame.visitor] : list.map((v, i) => (i === at ? frame.visitor : v)));
      }
      case "visitor_left":
        return this.setVisitors(this.visitors().filter((v) => v.id !== frame.visitorId));
      case "invitation_accepted":
      case "chat_assigned":
        return this.events.onChatForMe?.(frame.chatId, frame.visitorName);
      case "error":
      case "pong":
        return;
    }
  }
}
