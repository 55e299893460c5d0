// One Lobby object per account: who of the account's operators is online, and the queue of chats
// waiting for one. It is the single place that decides who gets a waiting chat, so two operators
// accepting at once can never both win. Sockets hibernate like the chat rooms'. It also holds the
// account's live visitors and invitations (lobby-visitors.ts), unless LOBBY_VISITOR_SHARDS spreads
// them over more instances of this class ("visitor shards", lobby-address.ts: they take no
// operators and pass notices on to the account's lobby).
import { DurableObject } from "cloudflare:workers";
import {
  lobbyClientFrameSchemas,
  type ChatAssignedNotice,
  type ConfigTopic,
  type LiveVisitor,
  type LobbyServerFrame,
  type OperatorPresence,
  type PresenceStatus,
  type WaitingChat,
  WAITING_PREVIEW_LENGTH,
} from "../shared/lobby-protocol.ts";
import {
  isVisitorSocket,
  LiveVisitors,
  LOBBY_VISITOR_HEADER,
  type ClaimResult,
  type InviteResult,
  type LobbyVisitorHeader,
  type VisitorSocket,
} from "./lobby-visitors.ts";
import { parseFrame, PING_FRAME, PONG_FRAME, type OperatorRole } from "../shared/protocol.ts";
import type { Visit } from "../shared/visitor-context.ts";
import { problemResponse } from "../server/problems.ts";
import { CHAT_SOCKET_REGISTRY_SCHEMA, chatSocketsOf, noteChatSocket } from "./chat-socket-registry.ts";
import {
  expiredStanding,
  operatorStanding,
  refuseSocket,
  sessionExpired,
  standingAfter,
  type OperatorSession,
} from "./socket-holder.ts";
import { positiveNumber } from "./token-bucket.ts";
import type { LobbyHome } from "./lobby-address.ts";
import { acceptTagged, attachmentOf, broadcast, closeQuietly, sendQuietly } from "./sockets.ts";
import { chatRoomOf } from "./chat-room.ts";
import { mayTake, modeOf, Router, type QueuedChat, type RosterEntry, type RoutingConfig } from "./routing.ts";
import { loadRoutingConfig } from "./routing-config.ts";

// Where the chat rooms look for their account's lobby.

/** Header the Worker sets, after authenticating, to say which operator is connecting. */
export const LOBBY_OPERATOR_HEADER = "X-Parley-Operator";

/** What the Worker knows of a connecting or accepting operator. */
export type LobbyOperator = {
  id: string;
  accountId: string;
  name: string;
  role: OperatorRole;
  departmentIds: string[];
};
/** An operator's console connecting, with what their token must stay true of (socket-holder.ts). */
export type ConnectingLobbyOperator = LobbyOperator & { session: OperatorSession };
/** What each operator's console socket carries through hibernation. */
type OperatorSocket = ConnectingLobbyOperator & { connectedAt: number };
/** What a lobby socket carries: a console's, or a widget's presence socket (`kind: "visitor"`,
 * told apart by isVisitorSocket; console sockets carry no `kind`). */
type LobbyAttachment = OperatorSocket | VisitorSocket;

/** A closed browser tab does not always close its socket (workerd#1187), so presence would lie.
 * Consoles ping every ~25 s; a socket silent for STALE_AFTER_MS is closed by a sweep that runs
 * every SWEEP_EVERY_MS while any socket is open. Pings are answered without waking the object. */
export const STALE_AFTER_MS = 90_000;
const SWEEP_EVERY_MS = 60_000;

const OPERATORS_TAG = "operators";
const lobbySessionTag = (sessionId: string) => `session:${sessionId}`;

/** How long a chat may wait before it is `missed` (the `QUEUE_MISSED_AFTER_S` var; 10 minutes
 * unless set). Offline messages, answered by email whenever someone gets to them, never expire. */
export const DEFAULT_QUEUE_MISSED_AFTER_S = 600;
export function queueMissedAfterMs(env: Env): number {
  return positiveNumber(env.QUEUE_MISSED_AFTER_S, DEFAULT_QUEUE_MISSED_AFTER_S) * 1000;
}
/** Most chats (offline messages included) one account may have waiting at once (the
 * `QUEUE_MAX_WAITING` var; 1,000 unless set): new chat starts beyond it are refused with 503
 * `queue_full`, so a flood of fake chats can neither grow every console's snapshot without end
 * nor push real visitors out of the queue. Chats already under way (a transfer to a department,
 * an email reply) always get back in. */
export const DEFAULT_QUEUE_MAX_WAITING = 1000;
export function queueMaxWaiting(env: Env): number {
  return Math.floor(positiveNumber(env.QUEUE_MAX_WAITING, DEFAULT_QUEUE_MAX_WAITING));
}
/** How long the lobby remembers a missed chat, to tell its widget so (GET /api/chats/:id/queue). */
const MISSED_KEPT_MS = 24 * 60 * 60_000;
/** Most missed chats one alarm writes to the index; more are left for the next, right after. */
const MISSED_PER_ALARM = 100;
/** When writing missed chats to the index failed, the next try. */
const MISS_RETRY_MS = 30_000;

export type AcceptResult =
  { ok: true } | { ok: false; code: "already_taken" | "forbidden" | "offered_elsewhere" | "at_capacity" };

type WaitingRow = { chat_id: string; department_id: string | null; visitor_name: string; since: number };
type OperatorRow = { id: string; name: string; department_ids: string; status: PresenceStatus };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS waiting (
  chat_id TEXT PRIMARY KEY, department_id TEXT, visitor_name TEXT NOT NULL, since INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS waiting_details (
  chat_id TEXT PRIMARY KEY, details TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS operators (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, department_ids TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'away'
);
CREATE TABLE IF NOT EXISTS home (
  account_id TEXT NOT NULL, shard INTEGER
);
CREATE TABLE IF NOT EXISTS queue_deadlines (
  chat_id TEXT PRIMARY KEY, at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_deadlines_at ON queue_deadlines (at);
CREATE TABLE IF NOT EXISTS missed (
  chat_id TEXT PRIMARY KEY, at INTEGER NOT NULL
);`;

function toWaiting(row: WaitingRow): WaitingChat {
  return { chatId: row.chat_id, departmentId: row.department_id, visitorName: row.visitor_name, since: row.since };
}

export class Lobby extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Learnt from the first connect (the Worker says it); null until then. */
  private home: LobbyHome | null;
  private readonly visitors: LiveVisitors;
  /** Consoles connected but still waiting for their visitor snapshot from the shards: notices
   * meant for them are held and sent after it, so an older snapshot never overwrites them. */
  private readonly awaitingSnapshot = new Map<WebSocket, string[]>();
  /** Who waiting chats ring for (routing.ts), in this object's storage. */
  private readonly router: Router;
  /** The account's routing settings from D1: read on first need after each wake-up, and again
   * when the admin API says they changed. */
  private routing: Promise<RoutingConfig | null> | null = null;
  private routingLoaded: RoutingConfig | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    this.sql.exec(CHAT_SOCKET_REGISTRY_SCHEMA);
    this.router = new Router(this.sql);
    this.home = this.sql.exec<LobbyHome>("SELECT account_id, shard FROM home").toArray()[0] ?? null;
    this.visitors = new LiveVisitors(ctx, env, {
      home: () => this.home,
      toConsoles: (frame) => this.broadcast(frame),
      notifyOperator: (operatorId, frame) => this.notifyOperator(operatorId, frame),
      sweepSoon: () => this.sweepSoon(),
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  // ---- RPC from the Worker and the chat rooms -----------------------------------------------

  /** A new chat enters its department's queue and reaches every online operator who may take it;
   * in the automatic modes it rings for one of them. */
  async enqueue(chat: WaitingChat, accountId: string, passedBy: readonly string[] = []): Promise<void> {
    this.settle({ account_id: accountId, shard: null });
    const config = await this.routingConfig();
    this.sql.exec(
      "INSERT INTO waiting (chat_id, department_id, visitor_name, since) VALUES (?, ?, ?, ?) ON CONFLICT (chat_id) DO NOTHING",
      chat.chatId,
      chat.departmentId,
      chat.visitorName,
      chat.since,
    );
    this.saveDetails(chat);
    this.sql.exec("DELETE FROM missed WHERE chat_id = ?", chat.chatId);
    // An offline message (a chat continuing by email, too) never expires.
    if (chat.offline) this.sql.exec("DELETE FROM queue_deadlines WHERE chat_id = ?", chat.chatId);
    // Those in an unanswered chat already had it: it rings for someone else.
    for (const operatorId of passedBy) this.router.passedBy(chat.chatId, operatorId);
    // Waiting again (an email reply, a transfer) starts the clock again; waiting already keeps it.
    // An unanswered chat under way is never missed: it has its operators.
    if (!chat.offline && !chat.unanswered) {
      const department = chat.departmentId === null ? undefined : config?.departments.get(chat.departmentId);
      const at = Date.now() + (department?.maxWaitMs ?? queueMissedAfterMs(this.env));
      this.sql.exec(
        "INSERT INTO queue_deadlines (chat_id, at) VALUES (?, ?) ON CONFLICT (chat_id) DO NOTHING",
        chat.chatId,
        at,
      );
      await this.alarmBy(at);
    }
    await this.reroute([chat.chatId]);
  }

  /** Whether the account may start one more chat now (QUEUE_MAX_WAITING); asked by the Worker
   * before it creates one. Concurrent starts may pass it together, so the queue can exceed the
   * cap by the few in flight, never by a flood. */
  async hasRoom(): Promise<boolean> {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM waiting").one().n < queueMaxWaiting(this.env);
  }

  /** The visitor of a waiting chat wrote their first message: the waiting cards show it, so
   * operators can tell chats apart and pick the one they can answer. Idle if no longer waiting. */
  async waitingPreview(chatId: string, text: string): Promise<void> {
    const row = this.sql
      .exec<WaitingRow>("SELECT chat_id, department_id, visitor_name, since FROM waiting WHERE chat_id = ?", chatId)
      .toArray()[0];
    if (!row) return;
    this.saveDetails({ ...this.withDetails(toWaiting(row)), firstMessage: text });
    this.announceWaiting(chatId);
  }

  /** Claims a waiting chat for one operator. The object handles one call at a time and the claim
   * is a single delete, so of two simultaneous accepts exactly one finds the row. */
  async accept(chatId: string, operator: LobbyOperator): Promise<AcceptResult> {
    const row = this.sql
      .exec<WaitingRow>("SELECT chat_id, department_id, visitor_name, since FROM waiting WHERE chat_id = ?", chatId)
      .toArray()[0];
    if (!row) return { ok: false, code: "already_taken" };
    if (!mayTake(operator.departmentIds, row.department_id)) return { ok: false, code: "forbidden" };
    const config = await this.routingConfig();
    if (config) {
      // The row was just read, and nothing ran since: it is there.
      const queued = this.queue(chatId)[0]!;
      const check = this.router.mayAccept(queued, operator.id, config);
      if (!check.ok) return check;
    }
    this.router.accepted(chatId, operator.id);
    await this.dequeue(chatId, { id: operator.id, name: operator.name });
    return { ok: true };
  }

  /** A room says which operators are in it now (none once it ended), for their capacity. */
  async chatStaffed(chatId: string, operatorIds: string[], version: number): Promise<void> {
    if (this.router.staffed(chatId, operatorIds, version)) await this.reroute();
  }

  /** The admin API changed departments' routing or capacities: read them again, and route by
   * them from now on (a department turned to `everyone` stops ringing at once). */
  async routingChanged(): Promise<void> {
    this.routing = null;
    const config = await this.routingConfig();
    if (config)
      for (const chat of this.queue())
        if (this.router.offerOf(chat.chatId) && modeOf(config, chat.departmentId) === "everyone")
          this.router.forget(chat.chatId);
    await this.reroute(this.queue().map((chat) => chat.chatId));
  }

  /** The chat left the queue some other way: an operator joined directly, or it ended. */
  async dequeue(chatId: string, by: { id: string; name: string } | null): Promise<void> {
    const removed = this.sql.exec("DELETE FROM waiting WHERE chat_id = ? RETURNING chat_id", chatId).toArray();
    this.sql.exec("DELETE FROM waiting_details WHERE chat_id = ?", chatId);
    this.sql.exec("DELETE FROM queue_deadlines WHERE chat_id = ?", chatId);
    // A missed chat taken after all (or ended) is missed no more, for its widget.
    this.sql.exec("DELETE FROM missed WHERE chat_id = ?", chatId);
    // Whoever it rang for has that place free again.
    const offered = this.router.offerOf(chatId);
    this.router.forget(chatId);
    if (removed.length) this.broadcast({ type: "dequeued", chatId, by });
    if (offered) await this.reroute();
  }

  /** A waiting chat's place in its department's queue (1: next up; first come, first served), or
   * null when it waits no longer. Offline messages (answered by email) are not counted ahead. */
  async queuePosition(chatId: string): Promise<number | "missed" | null> {
    const row = this.sql
      .exec<{ position: number }>(
        `SELECT (SELECT COUNT(*) FROM waiting o WHERE o.department_id IS w.department_id AND (o.since < w.since OR (o.since = w.since AND o.chat_id <= w.chat_id))
           AND o.chat_id NOT IN (SELECT chat_id FROM waiting_details WHERE json_extract(details, '$.offline'))) AS position
         FROM waiting w WHERE w.chat_id = ?
           AND w.chat_id NOT IN (SELECT chat_id FROM waiting_details WHERE json_extract(details, '$.offline'))`,
        chatId,
      )
      .toArray()[0];
    if (row) return row.position;
    return this.sql.exec("SELECT 1 FROM missed WHERE chat_id = ?", chatId).toArray().length ? "missed" : null;
  }

  /** How many operators who could take a chat of this department are online right now. */
  async onlineOperators(departmentId: string | null): Promise<number> {
    return this.presences().filter(
      (op) => op.connected && op.status === "online" && mayTake(op.departmentIds, departmentId),
    ).length;
  }

  // ---- RPC from the admin API ---------------------------------------------------------------

  /** Admins changed canned responses or settings: every open console refetches them now. */
  async configChanged(what: ConfigTopic): Promise<void> {
    this.broadcast({ type: "config_changed", what });
  }

  /** An operator lost the right to their consoles (HTTP already refuses their token): their
   * lobby sockets close at once, one session's when they signed out of it. Deactivated, the
   * others see them gone from the team; they come back `away` with their next connect if ever
   * reactivated. */
  async kick(operatorId: string, why: "deactivated" | "session_ended", sessionId?: string): Promise<void> {
    const sockets = this.ctx
      .getWebSockets(sessionId ? lobbySessionTag(sessionId) : operatorId)
      .filter((ws) => !isVisitorSocket(attachmentOf<LobbyAttachment>(ws)));
    for (const ws of sockets) refuseSocket(ws, standingAfter(why));
    if (why === "deactivated") {
      this.sql.exec("DELETE FROM operators WHERE id = ?", operatorId);
      this.broadcast({ type: "operator_gone", operatorId });
      await this.reroute(this.router.removeOperator(operatorId));
    } else {
      this.broadcastPresence(operatorId, undefined, sockets);
      await this.operatorMayBeGone(operatorId, sockets);
    }
  }

  /** An operator opened a socket to this chat (durable/chat-socket-registry.ts). */
  async chatSocketOpened(operatorId: string, chatId: string): Promise<void> {
    noteChatSocket(this.sql, operatorId, chatId, Date.now());
  }

  /** The chats where this operator may still hold a socket, for closing them. */
  async chatSocketsOf(operatorId: string, lifetimeMs: number): Promise<string[]> {
    return chatSocketsOf(this.sql, operatorId, Date.now(), lifetimeMs);
  }

  /** An admin changed an operator's name or departments. Presence shows it now, and their open
   * consoles get the queue as their new departments see it, without reconnecting. */
  async operatorChanged(operator: { id: string; name: string; departmentIds: string[] }): Promise<void> {
    const updated = this.sql
      .exec(
        "UPDATE operators SET name = ?, department_ids = ? WHERE id = ? RETURNING id",
        operator.name,
        JSON.stringify(operator.departmentIds),
        operator.id,
      )
      .toArray();
    if (!updated.length) return; // Never connected: their first connect brings it all.
    this.broadcastPresence(operator.id);
    // Out of a department now: what rang for them there moves on.
    const stale = this.queue()
      .filter((chat) => this.router.offerOf(chat.chatId)?.operatorId === operator.id)
      .filter((chat) => !mayTake(operator.departmentIds, chat.departmentId))
      .map((chat) => chat.chatId);
    for (const chatId of stale) this.router.forget(chatId);
    await this.reroute(stale);
    for (const socket of this.ctx.getWebSockets(operator.id)) this.send(socket, this.snapshot(operator.id));
  }

  /** A department was deleted: its waiting chats now wait for anyone (as the D1 index says, where
   * the chat's department turned null), and no operator is in it any more. */
  async departmentRemoved(departmentId: string): Promise<void> {
    const freed = this.sql
      .exec<WaitingRow>(
        "UPDATE waiting SET department_id = NULL WHERE department_id = ? RETURNING chat_id, department_id, visitor_name, since",
        departmentId,
      )
      .toArray();
    for (const row of this.sql.exec<OperatorRow>("SELECT id, name, department_ids, status FROM operators").toArray()) {
      const ids = JSON.parse(row.department_ids) as string[];
      if (!ids.includes(departmentId)) continue;
      this.sql.exec(
        "UPDATE operators SET department_ids = ? WHERE id = ?",
        JSON.stringify(ids.filter((id) => id !== departmentId)),
        row.id,
      );
    }
    // Without a department a chat goes to everyone: nothing rings for it any more.
    for (const row of freed) this.router.forget(row.chat_id);
    // Everyone online may take these chats now (and nothing rings for them).
    for (const row of freed) this.announceWaiting(row.chat_id);
  }

  // ---- The operators' lobby sockets ---------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return problemResponse(426, "upgrade_required", "Connect with a WebSocket.");
    const visitor = JSON.parse(request.headers.get(LOBBY_VISITOR_HEADER) ?? "null") as LobbyVisitorHeader | null;
    if (visitor) {
      this.settle({ account_id: visitor.accountId, shard: visitor.shard });
      return this.visitors.accept(visitor.id);
    }
    const operator = JSON.parse(request.headers.get(LOBBY_OPERATOR_HEADER) ?? "null") as ConnectingLobbyOperator | null;
    if (!operator) return problemResponse(403, "forbidden", "Operators only.");
    if (this.home?.shard != null) return problemResponse(403, "forbidden", "A visitor shard takes no operators.");
    this.settle({ account_id: operator.accountId, shard: null });
    // Name and departments are refreshed on every connect; the chosen status is remembered.
    this.sql.exec(
      "INSERT INTO operators (id, name, department_ids) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, department_ids = excluded.department_ids",
      operator.id,
      operator.name,
      JSON.stringify(operator.departmentIds),
    );
    const tags = [operator.id, OPERATORS_TAG, ...(operator.session.id ? [lobbySessionTag(operator.session.id)] : [])];
    await this.routingConfig();
    const { server, response } = acceptTagged<OperatorSocket>(this.ctx, tags, { ...operator, connectedAt: Date.now() });
    await this.sweepSoon();
    this.send(server, this.snapshot(operator.id));
    this.broadcastPresence(operator.id, server);
    // With shards, the visitor list is gathered from them; notices arriving meanwhile wait.
    const held: string[] = [];
    this.awaitingSnapshot.set(server, held);
    try {
      this.send(server, { type: "visitors", visitors: await this.visitors.everyone() });
    } finally {
      this.awaitingSnapshot.delete(server);
      for (const data of held) sendQuietly(server, data);
    }
    // Back online with their first console: what waits for someone like them may ring for them.
    await this.reroute();
    return response;
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const socket = attachmentOf<LobbyAttachment>(ws);
    if (isVisitorSocket(socket)) return this.visitors.message(ws, socket, raw);
    const operator = socket;
    if (sessionExpired(operator.session)) return refuseSocket(ws, expiredStanding());
    const parsed = parseFrame(raw, lobbyClientFrameSchemas);
    if (!parsed.ok) return this.send(ws, { type: "error", code: parsed.code, message: parsed.message });
    // Changing presence (going online brings the queue) or declining a chat is when the holder is
    // checked again.
    const standing = await operatorStanding(this.env.DB, operator.accountId, operator.id, operator.session);
    if (!standing.ok) return refuseSocket(ws, standing);
    const frame = parsed.frame;
    if (frame.type === "decline") {
      if (!this.router.decline(frame.chatId, operator.id))
        return this.send(ws, { type: "error", code: "not_found", message: "That chat is not ringing for you." });
      return this.reroute([frame.chatId]);
    }
    this.sql.exec("UPDATE operators SET status = ? WHERE id = ?", frame.status, operator.id);
    this.broadcastPresence(operator.id);
    if (frame.status === "away") return this.reroute(this.router.withdrawOffersOf(operator.id));
    // Coming online brings the queue with it, on every console the operator has open, and
    // whatever waits for someone like them.
    await this.routingConfig();
    for (const socket of this.ctx.getWebSockets(operator.id)) this.send(socket, this.snapshot(operator.id));
    await this.reroute();
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const socket = attachmentOf<LobbyAttachment>(ws);
    // Completes the close the peer began (the runtime may have replied already).
    closeQuietly(ws, code, reason);
    await this.socketGone(ws, socket);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.socketGone(ws, attachmentOf<LobbyAttachment>(ws));
  }

  /** A socket closed (or is being closed): the operators hear that its visitor or operator is gone,
   * unless another socket of theirs is still here. */
  private async socketGone(ws: WebSocket, socket: LobbyAttachment): Promise<void> {
    if (isVisitorSocket(socket)) return this.visitors.gone(ws, socket.id);
    this.broadcastPresence(socket.id, undefined, [ws]);
    await this.operatorMayBeGone(socket.id, [ws]);
  }

  /** With no console of theirs left, what rang for an operator moves on to someone who can see it. */
  private async operatorMayBeGone(operatorId: string, closing: readonly WebSocket[]): Promise<void> {
    if (this.presences(closing).find((op) => op.id === operatorId)?.connected) return;
    await this.reroute(this.router.withdrawOffersOf(operatorId));
  }

  /** Closes sockets that stopped pinging, and tells everyone those operators are gone; moves chats
   * that waited too long to missed. One alarm serves both: it is set to the earliest of the next
   * sweep (while sockets are open) and the first queue deadline. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    // The index write failing (D1 unavailable) must not stop the sweep: the overdue chats stay
    // as they are and are tried again in MISS_RETRY_MS.
    let missFailed = false;
    await this.missOverdue(now).catch((error: unknown) => {
      missFailed = true;
      console.error("lobby: moving overdue chats to missed failed; retrying", error);
    });
    const gone: WebSocket[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const socket = attachmentOf<LobbyAttachment>(ws);
      // A console's socket lasts no longer than its token.
      if (!isVisitorSocket(socket) && sessionExpired(socket.session, now)) {
        refuseSocket(ws, expiredStanding());
        gone.push(ws);
        continue;
      }
      const lastSign = Math.max(this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0, socket.connectedAt);
      if (now - lastSign <= STALE_AFTER_MS) continue;
      closeQuietly(ws, 1001, "no heartbeat");
      gone.push(ws);
    }
    for (const ws of gone) await this.socketGone(ws, attachmentOf<LobbyAttachment>(ws));
    await this.endOffers(now);
    this.visitors.sweep(now);
    this.sql.exec("DELETE FROM missed WHERE at < ?", now - MISSED_KEPT_MS);
    const earliest = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM queue_deadlines").one().at;
    const deadline = earliest === null ? null : missFailed ? Math.max(earliest, now + MISS_RETRY_MS) : earliest;
    const sweep = this.ctx.getWebSockets().length ? now + SWEEP_EVERY_MS : null;
    const next = [deadline, sweep, this.router.nextExpiry()].filter((at) => at !== null);
    if (next.length) await this.ctx.storage.setAlarm(Math.min(...next));
  }

  /** Offers that rang out pass to the next operator. Whoever let MISSED_OFFERS_BEFORE_AWAY ring
   * out in a row is set away, and told why, so chats stop ringing for an empty chair. */
  private async endOffers(now: number): Promise<void> {
    const { chatIds, tooManyMissed } = this.router.expire(now);
    const moved = [...chatIds];
    for (const { operatorId, missed } of tooManyMissed) {
      this.sql.exec("UPDATE operators SET status = 'away' WHERE id = ?", operatorId);
      this.broadcastPresence(operatorId);
      await this.notifyOperator(operatorId, { type: "set_away", reason: "missed_offers", missed });
      moved.push(...this.router.withdrawOffersOf(operatorId));
    }
    await this.reroute(moved);
  }

  /** Makes sure the sweep runs, now that a socket is open. */
  private sweepSoon(): Promise<void> {
    return this.alarmBy(Date.now() + SWEEP_EVERY_MS);
  }

  /** Sets the alarm to `at` unless it already goes off sooner. */
  private async alarmBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }

  /** Chats past their queue deadline leave the queue as missed: their room first (it records the
   * index row and publishes `chat.missed`, once per deadline; if that fails, the alarm throws and
   * is retried with everything still in place), then the queue, then the consoles. */
  private async missOverdue(now: number): Promise<void> {
    const due = this.sql
      .exec<{ chat_id: string; at: number }>(
        "SELECT chat_id, at FROM queue_deadlines WHERE at <= ? ORDER BY at LIMIT ?",
        now,
        MISSED_PER_ALARM,
      )
      .toArray();
    for (const { chat_id: chatId, at: deadline } of due) {
      await chatRoomOf(this.env, chatId).missed(chatId, deadline, now);
      const removed = this.sql.exec("DELETE FROM waiting WHERE chat_id = ? RETURNING chat_id", chatId).toArray();
      this.sql.exec("DELETE FROM waiting_details WHERE chat_id = ?", chatId);
      this.sql.exec("DELETE FROM queue_deadlines WHERE chat_id = ?", chatId);
      const offered = this.router.offerOf(chatId);
      this.router.forget(chatId);
      if (offered) await this.reroute();
      if (!removed.length) continue;
      this.sql.exec("INSERT OR REPLACE INTO missed (chat_id, at) VALUES (?, ?)", chatId, now);
      this.broadcast({ type: "missed", chatId, missedAt: now });
    }
  }

  // ---- Live visitors, invitations, hand-overs ------------------------------------------------

  /** An operator invites a visitor who is on the site now (lobby-visitors.ts). */
  async invite(visitorId: string, text: string, operator: { id: string; name: string }): Promise<InviteResult> {
    return this.visitors.invite(visitorId, text, operator);
  }

  /** The visitor answered an invitation: claims it, once. */
  async claimInvitation(invitationId: string): Promise<ClaimResult> {
    return this.visitors.claim(invitationId);
  }

  /** The chat of a claimed invitation exists: the inviting operator's consoles open it. */
  async invitationAccepted(invitationId: string, chatId: string, visitorName: string): Promise<void> {
    await this.visitors.accepted(invitationId, chatId, visitorName);
  }

  /** A colleague handed this operator a chat (transfer or "invite colleague"): open it. */
  async assign(operatorId: string, notice: Omit<ChatAssignedNotice, "type">): Promise<void> {
    await this.notifyOperator(operatorId, { type: "chat_assigned", ...notice });
  }

  /** Sends a notice to every console of one operator. */
  async notifyOperator(operatorId: string, frame: LobbyServerFrame): Promise<void> {
    broadcast(this.ctx.getWebSockets(operatorId), frame, { send: (ws, data) => this.sendHeld(ws, data) });
  }

  /** A shard's gathered visitor notices, for the operators' consoles. */
  async visitorNotices(frames: LobbyServerFrame[]): Promise<void> {
    for (const frame of frames) this.broadcast(frame);
  }

  /** The live visitors this object holds (a shard's part of the account's list). */
  async visitorsHere(): Promise<LiveVisitor[]> {
    return this.visitors.here();
  }

  /** One visitor's visit now and its pages (null: not here), for the console's context panel. */
  async visitOf(visitorId: string): Promise<Visit | null> {
    return this.visitors.visit(visitorId);
  }

  /** Erasure: the visitor is no longer live here, and their pages and invitations are gone. */
  async forgetVisitor(visitorId: string): Promise<number> {
    return this.visitors.forget(visitorId);
  }

  /** Remembers, once, which account this object serves and whether it is a shard. */
  private settle(home: LobbyHome): void {
    if (this.home) return;
    this.sql.exec("INSERT INTO home (account_id, shard) VALUES (?, ?)", home.account_id, home.shard);
    this.home = home;
  }

  /** Sends to an operator's console, or holds it while that console waits for its snapshot. */
  private sendHeld(ws: WebSocket, data: string): void {
    const held = this.awaitingSnapshot.get(ws);
    if (held) held.push(data);
    else sendQuietly(ws, data);
  }

  // ---- Helpers -------------------------------------------------------------------------------

  /** Every operator the lobby has seen, with whether a console of theirs is connected now
   * (sockets being closed right now do not count). */
  private presences(closing: readonly WebSocket[] = []): OperatorPresence[] {
    const connected = new Set(
      this.ctx
        .getWebSockets(OPERATORS_TAG)
        .filter((ws) => !closing.includes(ws))
        .map((ws) => attachmentOf<OperatorSocket>(ws).id),
    );
    return this.sql
      .exec<OperatorRow>("SELECT id, name, department_ids, status FROM operators ORDER BY name")
      .toArray()
      .map((row) => ({
        id: row.id,
        name: row.name,
        status: row.status,
        connected: connected.has(row.id),
        departmentIds: JSON.parse(row.department_ids) as string[],
      }));
  }

  private snapshot(operatorId: string): LobbyServerFrame {
    const operators = this.presences();
    const you = operators.find((op) => op.id === operatorId)!;
    const waiting =
      you.status === "online"
        ? this.sql
            .exec<WaitingRow>("SELECT chat_id, department_id, visitor_name, since FROM waiting ORDER BY since")
            .toArray()
            .filter((row) => mayTake(you.departmentIds, row.department_id))
            .map((row) => this.waitingCard(row))
        : [];
    return { type: "lobby", you, operators, waiting };
  }

  // ---- Routing -------------------------------------------------------------------------------

  /** The routing settings, read from D1 once per wake-up (routingChanged reads them again). When
   * D1 cannot be read, every chat goes to everyone until it can. */
  private routingConfig(): Promise<RoutingConfig | null> {
    const accountId = this.home?.shard === null ? this.home.account_id : null;
    if (accountId === null) return Promise.resolve(null);
    this.routing ??= loadRoutingConfig(this.env.DB, accountId).then(
      (config) => (this.routingLoaded = config),
      (error: unknown) => {
        console.error("lobby: reading the routing settings failed", error);
        this.routing = null;
        return null;
      },
    );
    return this.routing;
  }

  /** The queue as routing sees it (one chat of it, with `chatId`). */
  private queue(chatId?: string): QueuedChat[] {
    const query = `SELECT w.chat_id, w.department_id, w.since, json_extract(d.details, '$.offline') AS offline
         FROM waiting w LEFT JOIN waiting_details d ON d.chat_id = w.chat_id`;
    type Row = { chat_id: string; department_id: string | null; since: number; offline: number | null };
    const rows =
      chatId === undefined ? this.sql.exec<Row>(query) : this.sql.exec<Row>(`${query} WHERE w.chat_id = ?`, chatId);
    return rows.toArray().map((row) => ({
      chatId: row.chat_id,
      departmentId: row.department_id,
      since: row.since,
      offline: Boolean(row.offline),
    }));
  }

  private roster(): RosterEntry[] {
    return this.presences().map((op) => ({
      id: op.id,
      name: op.name,
      departmentIds: op.departmentIds,
      available: op.connected && op.status === "online",
    }));
  }

  /** Offers what waits to whoever is next (routing.ts), then tells the consoles of every chat
   * whose card changed (`changed` adds chats the caller changed), and sets the alarm for the
   * first ring to end. */
  private async reroute(changed: readonly string[] = []): Promise<void> {
    const config = await this.routingConfig();
    const routed = config ? this.router.route(Date.now(), this.queue(), config, () => this.roster()) : [];
    for (const chatId of new Set([...changed, ...routed])) this.announceWaiting(chatId);
    const expiry = this.router.nextExpiry();
    if (expiry !== null) await this.alarmBy(expiry);
  }

  /** A waiting chat's card as the consoles show it: details and, in the automatic modes, whom it
   * rings for. */
  private waitingCard(row: WaitingRow): WaitingChat {
    const chat = this.withDetails(toWaiting(row));
    const config = this.routingLoaded;
    const assignment =
      config &&
      this.router.assignmentOf(
        chat,
        config,
        (id) => this.sql.exec<{ name: string }>("SELECT name FROM operators WHERE id = ?", id).toArray()[0]?.name ?? "",
      );
    return assignment ? { ...chat, assignment } : chat;
  }

  /** Sends a waiting chat's card, as it is now, to every online operator who may take it. */
  private announceWaiting(chatId: string): void {
    const row = this.sql
      .exec<WaitingRow>("SELECT chat_id, department_id, visitor_name, since FROM waiting WHERE chat_id = ?", chatId)
      .toArray()[0];
    if (!row) return;
    const chat = this.waitingCard(row);
    this.broadcast(
      { type: "waiting", chat },
      (op) => op.status === "online" && mayTake(op.departmentIds, chat.departmentId),
    );
  }

  /** What a waiting chat carries beyond its queue row (the offline mark, the visitor's email, the
   * start of the first message) is kept beside that row. */
  private saveDetails(chat: WaitingChat): void {
    const details: Partial<WaitingChat> = {
      ...(chat.offline ? { offline: true } : {}),
      ...(chat.unanswered ? { unanswered: true } : {}),
      ...(chat.visitorEmail ? { visitorEmail: chat.visitorEmail } : {}),
      ...(chat.firstMessage ? { firstMessage: chat.firstMessage.slice(0, WAITING_PREVIEW_LENGTH) } : {}),
    };
    if (Object.keys(details).length)
      this.sql.exec(
        "INSERT OR REPLACE INTO waiting_details (chat_id, details) VALUES (?, ?)",
        chat.chatId,
        JSON.stringify(details),
      );
  }

  private withDetails(chat: WaitingChat): WaitingChat {
    const row = this.sql
      .exec<{ details: string }>("SELECT details FROM waiting_details WHERE chat_id = ?", chat.chatId)
      .toArray()[0];
    return row ? { ...chat, ...(JSON.parse(row.details) as Partial<WaitingChat>) } : chat;
  }

  private broadcastPresence(operatorId: string, except?: WebSocket, closing?: readonly WebSocket[]): void {
    const operator = this.presences(closing).find((op) => op.id === operatorId);
    if (operator) this.broadcast({ type: "presence", operator }, undefined, except);
  }

  /** Sends to every connected console whose operator passes `to` (all of them without it). */
  private broadcast(frame: LobbyServerFrame, to?: (operator: OperatorPresence) => boolean, except?: WebSocket): void {
    const byId = new Map(this.presences().map((op) => [op.id, op]));
    // A console a send misses (gone meanwhile) resyncs from its next snapshot.
    broadcast<OperatorSocket>(this.ctx.getWebSockets(OPERATORS_TAG), frame, {
      except,
      to: (socket) => {
        const operator = byId.get(socket.id);
        return operator !== undefined && (!to || to(operator));
      },
      send: (ws, data) => this.sendHeld(ws, data),
    });
  }

  private send(ws: WebSocket, frame: LobbyServerFrame): void {
    sendQuietly(ws, frame);
  }
}
