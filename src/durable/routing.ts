// Who a waiting chat rings for, in the departments that route automatically (docs/routing.md).
// The Lobby owns the queue and presence; this module is the part of it that decides offers, kept
// in the Lobby's own SQLite so that a restart or an eviction loses no offer, pass or load:
//
// - `offers`: the one operator a chat rings for now, and until when (the Lobby's alarm ends it);
// - `passes`: who declined a chat or let it ring out; it is not offered to them again;
// - `open_chats`: chats every member online has passed: any member may accept them now;
// - `staffing`: which operators are in which chats under way (the rooms report it), for capacity;
// - `operator_routing`: when each operator was last offered a chat, and how many offers in a row
//   they let ring out.
//
// Everything here is synchronous SQL over that state: the Lobby handles one event at a time, so a
// route() cannot interleave with an accept or a decline.
import {
  MISSED_OFFERS_BEFORE_AWAY,
  type RoutingMode,
  type WaitingAssignment,
  type WaitingChat,
} from "../shared/lobby-protocol.ts";

export const ROUTING_SCHEMA = `
CREATE TABLE IF NOT EXISTS offers (
  chat_id TEXT PRIMARY KEY, operator_id TEXT NOT NULL, expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS offers_expires_at ON offers (expires_at);
CREATE TABLE IF NOT EXISTS passes (
  chat_id TEXT NOT NULL, operator_id TEXT NOT NULL, PRIMARY KEY (chat_id, operator_id)
);
CREATE TABLE IF NOT EXISTS open_chats (chat_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS staffing (
  chat_id TEXT NOT NULL, operator_id TEXT NOT NULL, PRIMARY KEY (chat_id, operator_id)
);
CREATE INDEX IF NOT EXISTS staffing_operator ON staffing (operator_id);
CREATE TABLE IF NOT EXISTS staffing_versions (chat_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS operator_routing (
  id TEXT PRIMARY KEY, last_offered_at INTEGER NOT NULL DEFAULT 0, missed_in_row INTEGER NOT NULL DEFAULT 0
);`;

/** A department's routing settings, as the Lobby needs them. */
export type DepartmentRouting = { mode: RoutingMode; ringTimeoutMs: number; maxWaitMs: number };

/** What routing needs of the account's configuration (read from D1 by routing-config.ts). */
export type RoutingConfig = {
  departments: ReadonlyMap<string, DepartmentRouting>;
  /** The account's default capacity; null: no limit. */
  defaultCapacity: number | null;
  /** Operators with a capacity of their own. */
  capacities: ReadonlyMap<string, number>;
};

/** An operator as routing sees them: `available` when online with a console connected. */
export type RosterEntry = { id: string; name: string; departmentIds: readonly string[]; available: boolean };

/** A waiting chat as routing sees it. */
export type QueuedChat = { chatId: string; departmentId: string | null; since: number; offline: boolean };

export type Offer = { chatId: string; operatorId: string; expiresAt: number };

export type AcceptCheck = { ok: true } | { ok: false; code: "offered_elsewhere" | "at_capacity" };

/** A chat without a department is for everyone; otherwise for that department's members. */
export function mayTake(departmentIds: readonly string[], chatDepartment: string | null): boolean {
  return chatDepartment === null || departmentIds.includes(chatDepartment);
}

export function capacityOf(config: RoutingConfig, operatorId: string): number {
  return config.capacities.get(operatorId) ?? config.defaultCapacity ?? Number.POSITIVE_INFINITY;
}

/** The routing mode of a chat's department; chats without one go to everyone. */
export function modeOf(config: RoutingConfig, departmentId: string | null): RoutingMode {
  return (departmentId !== null && config.departments.get(departmentId)?.mode) || "everyone";
}

const NO_PASSES: ReadonlySet<string> = new Set();

export class Router {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(ROUTING_SCHEMA);
  }

  // ---- What the Lobby asks ------------------------------------------------------------------

  offerOf(chatId: string): Offer | undefined {
    const row = this.sql
      .exec<{ operator_id: string; expires_at: number }>(
        "SELECT operator_id, expires_at FROM offers WHERE chat_id = ?",
        chatId,
      )
      .toArray()[0];
    return row && { chatId, operatorId: row.operator_id, expiresAt: row.expires_at };
  }

  /** What a waiting card shows of its routing; undefined in the `everyone` mode. */
  assignmentOf(
    chat: Pick<WaitingChat, "chatId" | "departmentId" | "offline">,
    config: RoutingConfig,
    nameOf: (operatorId: string) => string,
  ): WaitingAssignment | undefined {
    const mode = modeOf(config, chat.departmentId);
    if (mode === "everyone" || chat.offline) return undefined;
    const offer = this.offerOf(chat.chatId);
    return {
      mode,
      offeredTo: offer ? { id: offer.operatorId, name: nameOf(offer.operatorId) } : null,
      expiresAt: offer?.expiresAt ?? null,
      openToAll: this.isOpenToAll(chat.chatId),
    };
  }

  /** Chats of an operator now: the rooms' reports, and chats accepted since. */
  activeChats(operatorId: string): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM staffing WHERE operator_id = ?", operatorId).one().n;
  }

  /** May this operator take this chat from the queue now? The room-and-department check
   * (mayTake) is the Lobby's; this adds the offer and the capacity. */
  mayAccept(chat: QueuedChat, operatorId: string, config: RoutingConfig): AcceptCheck {
    const mode = modeOf(config, chat.departmentId);
    const offer = this.offerOf(chat.chatId);
    if (mode !== "everyone" && !chat.offline && !this.isOpenToAll(chat.chatId) && offer?.operatorId !== operatorId)
      return { ok: false, code: "offered_elsewhere" };
    // An offer to this operator is already counted in their load; it becomes the chat itself.
    const load = this.loadOf(operatorId) - (offer?.operatorId === operatorId ? 1 : 0);
    if (load >= capacityOf(config, operatorId)) return { ok: false, code: "at_capacity" };
    return { ok: true };
  }

  /** The earliest time an offer runs out, for the Lobby's alarm. */
  nextExpiry(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM offers").one().at;
  }

  // ---- What happened -------------------------------------------------------------------------

  /** The chat was accepted: it is the operator's now, and its offers and passes are done. */
  accepted(chatId: string, operatorId: string): void {
    this.forget(chatId);
    this.sql.exec("INSERT OR IGNORE INTO staffing (chat_id, operator_id) VALUES (?, ?)", chatId, operatorId);
    this.sql.exec(
      "INSERT INTO operator_routing (id) VALUES (?) ON CONFLICT (id) DO UPDATE SET missed_in_row = 0",
      operatorId,
    );
  }

  /** The chat left the queue: nothing of its routing is kept. */
  forget(chatId: string): void {
    this.sql.exec("DELETE FROM offers WHERE chat_id = ?", chatId);
    this.sql.exec("DELETE FROM passes WHERE chat_id = ?", chatId);
    this.sql.exec("DELETE FROM open_chats WHERE chat_id = ?", chatId);
  }

  /** A room says who its operators are now (none once it closed). `version` orders the reports
   * (the room's last seq when it made it), so a late one never undoes a newer one. */
  staffed(chatId: string, operatorIds: readonly string[], version: number): boolean {
    const known = this.sql
      .exec<{ version: number }>("SELECT version FROM staffing_versions WHERE chat_id = ?", chatId)
      .toArray()[0];
    if (known && known.version > version) return false;
    this.sql.exec("DELETE FROM staffing WHERE chat_id = ?", chatId);
    for (const id of operatorIds)
      this.sql.exec("INSERT OR IGNORE INTO staffing (chat_id, operator_id) VALUES (?, ?)", chatId, id);
    // Kept after the chat ended too (one small row), so that a late report of it never counts again.
    this.sql.exec(
      "INSERT INTO staffing_versions (chat_id, version) VALUES (?, ?) ON CONFLICT (chat_id) DO UPDATE SET version = excluded.version",
      chatId,
      version,
    );
    return true;
  }

  /** The operator it rings for says no. False when it was not ringing for them. */
  decline(chatId: string, operatorId: string): boolean {
    const removed = this.sql
      .exec("DELETE FROM offers WHERE chat_id = ? AND operator_id = ? RETURNING chat_id", chatId, operatorId)
      .toArray().length;
    if (!removed) return false;
    this.pass(chatId, operatorId);
    this.sql.exec(
      "INSERT INTO operator_routing (id) VALUES (?) ON CONFLICT (id) DO UPDATE SET missed_in_row = 0",
      operatorId,
    );
    return true;
  }

  /** Ends the offers that ran out by `now`: each counts as a pass, and as one more missed in a
   * row for its operator. Returns the chats they were for, and the operators who have now missed
   * MISSED_OFFERS_BEFORE_AWAY in a row (their count starts again). */
  expire(now: number): { chatIds: string[]; tooManyMissed: { operatorId: string; missed: number }[] } {
    const due = this.sql
      .exec<{ chat_id: string; operator_id: string }>(
        "DELETE FROM offers WHERE expires_at <= ? RETURNING chat_id, operator_id",
        now,
      )
      .toArray();
    const tooManyMissed: { operatorId: string; missed: number }[] = [];
    for (const { chat_id: chatId, operator_id: operatorId } of due) {
      this.pass(chatId, operatorId);
      const missed = this.sql
        .exec<{ missed_in_row: number }>(
          "INSERT INTO operator_routing (id, missed_in_row) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET missed_in_row = missed_in_row + 1 RETURNING missed_in_row",
          operatorId,
        )
        .one().missed_in_row;
      if (missed >= MISSED_OFFERS_BEFORE_AWAY) {
        this.sql.exec("UPDATE operator_routing SET missed_in_row = 0 WHERE id = ?", operatorId);
        tooManyMissed.push({ operatorId, missed });
      }
    }
    return { chatIds: due.map((row) => row.chat_id), tooManyMissed };
  }

  /** The operator went away or offline: what rang for them moves on (not a pass: they did not
   * see it out). Returns those chats. */
  withdrawOffersOf(operatorId: string): string[] {
    return this.sql
      .exec<{ chat_id: string }>("DELETE FROM offers WHERE operator_id = ? RETURNING chat_id", operatorId)
      .toArray()
      .map((row) => row.chat_id);
  }

  /** The operator is no longer on the team: no chats count against them, nothing rings for them. */
  removeOperator(operatorId: string): string[] {
    this.sql.exec("DELETE FROM staffing WHERE operator_id = ?", operatorId);
    this.sql.exec("DELETE FROM operator_routing WHERE id = ?", operatorId);
    return this.withdrawOffersOf(operatorId);
  }

  // ---- Deciding ------------------------------------------------------------------------------

  /** Offers every waiting chat of the automatic modes that rings for nobody to the next operator,
   * oldest chat first (so when capacity frees, the chat that waited longest gets it). A chat that
   * every available member has passed opens to all of them. Returns the chats whose routing
   * changed, for the consoles. `roster` is asked for only when some chat waits to be routed. */
  route(
    now: number,
    queue: readonly QueuedChat[],
    config: RoutingConfig,
    roster: () => readonly RosterEntry[],
  ): string[] {
    const changed: string[] = [];
    // One read each of the offers, passes and open chats, not one per waiting chat: with a long
    // queue, route() runs after nearly every Lobby event and most chats in it change nothing.
    const offered = this.chatsIn("offers");
    const routed = queue.filter(
      (chat) => !chat.offline && modeOf(config, chat.departmentId) !== "everyone" && !offered.has(chat.chatId),
    );
    if (!routed.length) return changed;
    const available = roster().filter((op) => op.available);
    const load = this.loads();
    const lastOffered = this.lastOffered();
    const passes = this.allPasses();
    const openToAll = this.chatsIn("open_chats");
    const spare = (op: RosterEntry) => (load.get(op.id) ?? 0) < capacityOf(config, op.id);
    // Available operators with a free place: with none, no chat can ring for anyone, and only one
    // that every available member has passed can change (it opens to all).
    let withRoom = available.filter(spare).length;
    const ordered = [...routed].sort((a, b) => a.since - b.since || (a.chatId < b.chatId ? -1 : 1));
    for (const chat of ordered) {
      const passed = passes.get(chat.chatId) ?? NO_PASSES;
      if (!withRoom && !passed.size) continue;
      const members = available.filter((op) => mayTake(op.departmentIds, chat.departmentId));
      const candidates = members.filter((op) => !passed.has(op.id));
      if (!candidates.length) {
        if (passed.size && !openToAll.has(chat.chatId)) {
          this.sql.exec("INSERT OR IGNORE INTO open_chats (chat_id) VALUES (?)", chat.chatId);
          openToAll.add(chat.chatId);
          changed.push(chat.chatId);
        }
        continue;
      }
      if (!withRoom) continue;
      const eligible = candidates.filter(spare);
      if (!eligible.length) continue;
      const department = config.departments.get(chat.departmentId!)!;
      const chosen = pick(department.mode, eligible, load, lastOffered);
      const expiresAt = now + department.ringTimeoutMs;
      this.sql.exec(
        "INSERT INTO offers (chat_id, operator_id, expires_at) VALUES (?, ?, ?)",
        chat.chatId,
        chosen.id,
        expiresAt,
      );
      this.sql.exec(
        "INSERT INTO operator_routing (id, last_offered_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET last_offered_at = excluded.last_offered_at",
        chosen.id,
        now,
      );
      load.set(chosen.id, (load.get(chosen.id) ?? 0) + 1);
      lastOffered.set(chosen.id, now);
      if (!spare(chosen)) withRoom--;
      changed.push(chat.chatId);
    }
    return changed;
  }

  // ---- Helpers -------------------------------------------------------------------------------

  /** This operator is not to be offered the chat (they are in it already, say). */
  passedBy(chatId: string, operatorId: string): void {
    this.pass(chatId, operatorId);
  }

  private pass(chatId: string, operatorId: string): void {
    this.sql.exec("INSERT OR IGNORE INTO passes (chat_id, operator_id) VALUES (?, ?)", chatId, operatorId);
  }

  private isOpenToAll(chatId: string): boolean {
    return this.sql.exec("SELECT 1 FROM open_chats WHERE chat_id = ?", chatId).toArray().length > 0;
  }

  /** The chats ringing for someone now (`offers`), or open to all (`open_chats`). */
  private chatsIn(table: "offers" | "open_chats"): Set<string> {
    return new Set(
      this.sql
        .exec<{ chat_id: string }>(`SELECT chat_id FROM ${table}`)
        .toArray()
        .map((row) => row.chat_id),
    );
  }

  /** Who passed each chat, for every chat someone passed. */
  private allPasses(): Map<string, Set<string>> {
    const passes = new Map<string, Set<string>>();
    for (const row of this.sql.exec<{ chat_id: string; operator_id: string }>(
      "SELECT chat_id, operator_id FROM passes",
    )) {
      const passed = passes.get(row.chat_id);
      if (passed) passed.add(row.operator_id);
      else passes.set(row.chat_id, new Set([row.operator_id]));
    }
    return passes;
  }

  /** Chats under way plus chats ringing, per operator: an offer holds a place until it ends. */
  private loads(): Map<string, number> {
    const rows = this.sql
      .exec<{ operator_id: string; n: number }>(
        "SELECT operator_id, COUNT(*) AS n FROM (SELECT operator_id FROM staffing UNION ALL SELECT operator_id FROM offers) GROUP BY operator_id",
      )
      .toArray();
    return new Map(rows.map((row) => [row.operator_id, row.n]));
  }

  private loadOf(operatorId: string): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT (SELECT COUNT(*) FROM staffing WHERE operator_id = ?1) + (SELECT COUNT(*) FROM offers WHERE operator_id = ?1) AS n",
        operatorId,
      )
      .one().n;
  }

  private lastOffered(): Map<string, number> {
    const rows = this.sql
      .exec<{ id: string; last_offered_at: number }>("SELECT id, last_offered_at FROM operator_routing")
      .toArray();
    return new Map(rows.map((row) => [row.id, row.last_offered_at]));
  }
}

/** Round robin: whoever was offered a chat longest ago (never counts as longest). Least busy:
 * the fewest chats, then the same. Ties after that go by id, so the choice is reproducible. */
function pick(
  mode: RoutingMode,
  eligible: readonly RosterEntry[],
  load: ReadonlyMap<string, number>,
  lastOffered: ReadonlyMap<string, number>,
): RosterEntry {
  const byIdle = (a: RosterEntry, b: RosterEntry) =>
    (lastOffered.get(a.id) ?? 0) - (lastOffered.get(b.id) ?? 0) || (a.id < b.id ? -1 : 1);
  const order =
    mode === "least_busy"
      ? (a: RosterEntry, b: RosterEntry) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || byIdle(a, b)
      : byIdle;
  // The first in that order: one pass, as sorting them all would give.
  return eligible.reduce((best, op) => (order(op, best) < 0 ? op : best));
}
