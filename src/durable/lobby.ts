// One Lobby object per account: who of the account's operators is online, and the queue of chats
// waiting for one. It is the single place that decides who gets a waiting chat, so two operators
// accepting at once can never both win. Sockets hibernate like the chat rooms'.
import { DurableObject } from "cloudflare:workers";
import {
  DEACTIVATED_CLOSE_CODE,
  lobbyClientFrameSchemas,
  type ConfigTopic,
  type LobbyServerFrame,
  type OperatorPresence,
  type PresenceStatus,
  type WaitingChat,
} from "../shared/lobby-protocol.ts";
import { parseFrame, PING_FRAME, PONG_FRAME, type OperatorRole } from "../shared/protocol.ts";
import { problemResponse } from "../worker/http.ts";

/** Header the Worker sets, after authenticating, to say which operator is connecting. */
export const LOBBY_OPERATOR_HEADER = "X-Parley-Operator";

/** What the Worker knows of a connecting or accepting operator. */
export type LobbyOperator = { id: string; name: string; role: OperatorRole; departmentIds: string[] };
/** What each lobby socket carries through hibernation. */
type LobbySocket = LobbyOperator & { connectedAt: number };

/** A closed browser tab does not always close its socket (workerd#1187), so presence would lie.
 * Consoles ping every ~25 s; a socket silent for STALE_AFTER_MS is closed by a sweep that runs
 * every SWEEP_EVERY_MS while any socket is open. Pings are answered without waking the object. */
export const STALE_AFTER_MS = 90_000;
const SWEEP_EVERY_MS = 60_000;

/** The account's lobby. (One object per account; shard here when an account outgrows one.) */
export function lobbyOf(env: Env, accountId: string) {
  return env.LOBBY.get(env.LOBBY.idFromName(accountId));
}

export type AcceptResult = { ok: true } | { ok: false; code: "already_taken" | "forbidden" };

type WaitingRow = { chat_id: string; department_id: string | null; visitor_name: string; since: number };
type OperatorRow = { id: string; name: string; department_ids: string; status: PresenceStatus };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS waiting (
  chat_id TEXT PRIMARY KEY, department_id TEXT, visitor_name TEXT NOT NULL, since INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS operators (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, department_ids TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'away'
);`;

function toWaiting(row: WaitingRow): WaitingChat {
  return { chatId: row.chat_id, departmentId: row.department_id, visitorName: row.visitor_name, since: row.since };
}

/** A chat without a department is for everyone; otherwise for that department's members. */
function mayTake(departmentIds: readonly string[], chatDepartment: string | null): boolean {
  return chatDepartment === null || departmentIds.includes(chatDepartment);
}

export class Lobby extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  // ---- RPC from the Worker and the chat rooms -----------------------------------------------

  /** A new chat enters its department's queue and reaches every online operator who may take it. */
  async enqueue(chat: WaitingChat): Promise<void> {
    this.sql.exec(
      "INSERT INTO waiting (chat_id, department_id, visitor_name, since) VALUES (?, ?, ?, ?) ON CONFLICT (chat_id) DO NOTHING",
      chat.chatId,
      chat.departmentId,
      chat.visitorName,
      chat.since,
    );
    this.broadcast({ type: "waiting", chat }, (op) => op.status === "online" && mayTake(op.departmentIds, chat.departmentId));
  }

  /** Claims a waiting chat for one operator. The object handles one call at a time and the claim
   * is a single delete, so of two simultaneous accepts exactly one finds the row. */
  async accept(chatId: string, operator: LobbyOperator): Promise<AcceptResult> {
    const row = this.sql.exec<WaitingRow>("SELECT chat_id, department_id, visitor_name, since FROM waiting WHERE chat_id = ?", chatId).toArray()[0];
    if (!row) return { ok: false, code: "already_taken" };
    if (!mayTake(operator.departmentIds, row.department_id)) return { ok: false, code: "forbidden" };
    this.dequeue(chatId, { id: operator.id, name: operator.name });
    return { ok: true };
  }

  /** The chat left the queue some other way: an operator joined directly, or it ended. */
  async dequeue(chatId: string, by: { id: string; name: string } | null): Promise<void> {
    const removed = this.sql.exec("DELETE FROM waiting WHERE chat_id = ? RETURNING chat_id", chatId).toArray();
    if (removed.length) this.broadcast({ type: "dequeued", chatId, by });
  }

  /** How many operators who could take a chat of this department are online right now. */
  async onlineOperators(departmentId: string | null): Promise<number> {
    return this.presences().filter((op) => op.connected && op.status === "online" && mayTake(op.departmentIds, departmentId)).length;
  }

  // ---- RPC from the admin API ---------------------------------------------------------------

  /** Admins changed canned responses or settings: every open console refetches them now. */
  async configChanged(what: ConfigTopic): Promise<void> {
    this.broadcast({ type: "config_changed", what });
  }

  /** A deactivated operator's consoles close at once (HTTP already refuses their token), and the
   * others see them gone. They come back `away` if ever reactivated. */
  async kick(operatorId: string): Promise<void> {
    const sockets = this.ctx.getWebSockets(operatorId);
    for (const ws of sockets) {
      try {
        ws.close(DEACTIVATED_CLOSE_CODE, "deactivated");
      } catch {
        // Already gone.
      }
    }
    this.sql.exec("UPDATE operators SET status = 'away' WHERE id = ?", operatorId);
    this.broadcastPresence(operatorId, undefined, sockets);
  }

  /** An admin changed an operator's name or departments. Presence shows it now, and their open
   * consoles get the queue as their new departments see it, without reconnecting. */
  async operatorChanged(operator: { id: string; name: string; departmentIds: string[] }): Promise<void> {
    const updated = this.sql
      .exec("UPDATE operators SET name = ?, department_ids = ? WHERE id = ? RETURNING id", operator.name, JSON.stringify(operator.departmentIds), operator.id)
      .toArray();
    if (!updated.length) return; // Never connected: their first connect brings it all.
    this.broadcastPresence(operator.id);
    for (const socket of this.ctx.getWebSockets(operator.id)) this.send(socket, this.snapshot(operator.id));
  }

  /** A department was deleted: its waiting chats now wait for anyone (as the D1 index says, where
   * the chat's department turned null), and no operator is in it any more. */
  async departmentRemoved(departmentId: string): Promise<void> {
    const freed = this.sql
      .exec<WaitingRow>("UPDATE waiting SET department_id = NULL WHERE department_id = ? RETURNING chat_id, department_id, visitor_name, since", departmentId)
      .toArray();
    const members = new Set<string>();
    for (const row of this.sql.exec<OperatorRow>("SELECT id, name, department_ids, status FROM operators").toArray()) {
      const ids = JSON.parse(row.department_ids) as string[];
      if (!ids.includes(departmentId)) continue;
      members.add(row.id);
      this.sql.exec("UPDATE operators SET department_ids = ? WHERE id = ?", JSON.stringify(ids.filter((id) => id !== departmentId)), row.id);
    }
    // The department's own members had these chats already; everyone else online hears of them now.
    for (const row of freed) this.broadcast({ type: "waiting", chat: toWaiting(row) }, (op) => op.status === "online" && !members.has(op.id));
  }

  // ---- The operators' lobby sockets ---------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return problemResponse(426, "upgrade_required", "Connect with a WebSocket.");
    const operator = JSON.parse(request.headers.get(LOBBY_OPERATOR_HEADER) ?? "null") as LobbyOperator | null;
    if (!operator) return problemResponse(403, "forbidden", "Operators only.");
    // Name and departments are refreshed on every connect; the chosen status is remembered.
    this.sql.exec(
      "INSERT INTO operators (id, name, department_ids) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, department_ids = excluded.department_ids",
      operator.id,
      operator.name,
      JSON.stringify(operator.departmentIds),
    );
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, [operator.id]);
    server.serializeAttachment({ ...operator, connectedAt: Date.now() } satisfies LobbySocket);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SWEEP_EVERY_MS);
    this.send(server, this.snapshot(operator.id));
    this.broadcastPresence(operator.id, server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const operator = ws.deserializeAttachment() as LobbyOperator;
    const parsed = parseFrame(raw, lobbyClientFrameSchemas);
    if (!parsed.ok) return this.send(ws, { type: "error", code: parsed.code, message: parsed.message });
    this.sql.exec("UPDATE operators SET status = ? WHERE id = ?", parsed.frame.status, operator.id);
    this.broadcastPresence(operator.id);
    // Coming online brings the queue with it, on every console the operator has open.
    if (parsed.frame.status === "online") {
      for (const socket of this.ctx.getWebSockets(operator.id)) this.send(socket, this.snapshot(operator.id));
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const operator = ws.deserializeAttachment() as LobbyOperator;
    try {
      ws.close(code, reason);
    } catch {
      // Already closed by the runtime's automatic close reply.
    }
    this.broadcastPresence(operator.id, undefined, [ws]);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    const operator = ws.deserializeAttachment() as LobbyOperator;
    this.broadcastPresence(operator.id, undefined, [ws]);
  }

  /** Closes sockets that stopped pinging, and tells everyone those operators are gone. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const ws of this.ctx.getWebSockets()) {
      const socket = ws.deserializeAttachment() as LobbySocket;
      const lastSign = Math.max(this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0, socket.connectedAt);
      if (now - lastSign <= STALE_AFTER_MS) continue;
      try {
        ws.close(1001, "no heartbeat");
      } catch {
        // Already gone.
      }
      this.broadcastPresence(socket.id, undefined, [ws]);
    }
    if (this.ctx.getWebSockets().length) await this.ctx.storage.setAlarm(now + SWEEP_EVERY_MS);
  }

  // ---- Helpers -------------------------------------------------------------------------------

  /** Every operator the lobby has seen, with whether a console of theirs is connected now
   * (sockets being closed right now do not count). */
  private presences(closing: readonly WebSocket[] = []): OperatorPresence[] {
    const connected = new Set(
      this.ctx
        .getWebSockets()
        .filter((ws) => !closing.includes(ws))
        .map((ws) => (ws.deserializeAttachment() as LobbyOperator).id),
    );
    return this.sql
      .exec<OperatorRow>("SELECT id, name, department_ids, status FROM operators ORDER BY name")
      .toArray()
      .map((row) => ({ id: row.id, name: row.name, status: row.status, connected: connected.has(row.id), departmentIds: JSON.parse(row.department_ids) as string[] }));
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
            .map(toWaiting)
        : [];
    return { type: "lobby", you, operators, waiting };
  }

  private broadcastPresence(operatorId: string, except?: WebSocket, closing?: readonly WebSocket[]): void {
    const operator = this.presences(closing).find((op) => op.id === operatorId);
    if (operator) this.broadcast({ type: "presence", operator }, undefined, except);
  }

  /** Sends to every connected console whose operator passes `to` (all of them without it). */
  private broadcast(frame: LobbyServerFrame, to?: (operator: OperatorPresence) => boolean, except?: WebSocket): void {
    const byId = new Map(this.presences().map((op) => [op.id, op]));
    const data = JSON.stringify(frame);
    for (const socket of this.ctx.getWebSockets()) {
      if (socket === except) continue;
      const operator = byId.get((socket.deserializeAttachment() as LobbyOperator).id);
      if (!operator || (to && !to(operator))) continue;
      try {
        socket.send(data);
      } catch {
        // Gone between listing and sending; the console resyncs from its next snapshot.
      }
    }
  }

  private send(ws: WebSocket, frame: LobbyServerFrame): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // See broadcast.
    }
  }
}
