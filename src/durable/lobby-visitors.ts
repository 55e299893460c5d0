// The live-visitor half of a Lobby object: the widgets' presence sockets, how they become the
// `LiveVisitor` operators see, and proactive invitations. The account's lobby holds its visitors
// itself unless LOBBY_VISITOR_SHARDS spreads them over visitor shards (lobby-address.ts); either
// way this part is the same, and only where its notices go differs: straight to the consoles of
// the account's lobby, or gathered by a shard and passed on to it.
//
// Each page view with the widget holds one hibernating socket, tagged "visitors" and "v:<id>";
// its page lives in the socket's attachment (so the object keeps no per-visitor state in memory
// or storage, and a page view costs one socket and nothing else). Invitations, which must
// survive hibernation and be claimed exactly once, are rows in the object's SQLite.
import {
  FLOODING_CLOSE_CODE,
  INVITATION_TTL_MS,
  visitorClientFrameSchemas,
  type LiveVisitor,
  type LobbyServerFrame,
  type VisitorServerFrame,
} from "../shared/lobby-protocol.ts";
import { parseFrame } from "../shared/protocol.ts";
import type { Visit } from "../shared/visitor-context.ts";
import { lobbyOf, visitorShard, visitorShardCount, type LobbyHome } from "./lobby-address.ts";
import { PageLimit } from "./page-limit.ts";
import { VisitPages } from "./visit-pages.ts";
import { acceptTagged, attach, attachmentOf, broadcast, closeQuietly, sendQuietly } from "./sockets.ts";

export const VISITORS_TAG = "visitors";
export const visitorTag = (visitorId: string) => `v:${visitorId}`;

/** Header the Worker sets, after the origin check, on a widget's presence socket. */
export const LOBBY_VISITOR_HEADER = "X-Parley-Visitor";
/** What that header says: the visitor, their account, and the shard index of the object it is
 * sent to (null: the account's lobby itself). */
export type LobbyVisitorHeader = { id: string; accountId: string; shard: number | null };

export type VisitorPage = Omit<LiveVisitor, "id" | "invitation">;
/** What each visitor socket carries through hibernation (must stay under 2 KB serialized:
 * URLs and titles are cut to MAX_VISITOR_URL / MAX_VISITOR_TITLE by the frame schema). */
export type VisitorSocket = { kind: "visitor"; id: string; connectedAt: number; page: VisitorPage | null };

export type InvitationRow = {
  id: string;
  visitor_id: string;
  operator_id: string;
  operator_name: string;
  text: string;
  expires_at: number;
  chat_id: string | null;
};

export type InviteResult = { ok: true; id: string; expiresAt: number } | { ok: false; code: "not_found" | "conflict" };
export type ClaimResult =
  | { ok: true; operator: { id: string; name: string }; text: string; invitationId: string }
  | { ok: false; code: "not_found" | "expired" };

const INVITATIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS invitations (
  id TEXT PRIMARY KEY, visitor_id TEXT NOT NULL, operator_id TEXT NOT NULL, operator_name TEXT NOT NULL,
  text TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, chat_id TEXT
);
CREATE INDEX IF NOT EXISTS invitations_visitor ON invitations (visitor_id);`;

/** Notices a shard gathers before passing them on, so a burst of page changes costs the
 * account's lobby one call rather than one each (the lobby's request rate is its limit). */
const SHARD_FLUSH_AFTER_MS = 100;

export function isVisitorSocket(attachment: unknown): attachment is VisitorSocket {
  return typeof attachment === "object" && attachment !== null && (attachment as { kind?: unknown }).kind === "visitor";
}

/** The visitor as operators see them, from their most recently opened page (a visitor may have
 * several tabs open) and their open invitation. Null until the first `page` frame arrived. */
export function liveVisitor(
  sockets: readonly VisitorSocket[],
  invitation: InvitationRow | undefined,
): LiveVisitor | null {
  const latest = sockets.filter((s) => s.page).sort((a, b) => b.page!.pageSince - a.page!.pageSince)[0];
  if (!latest?.page) return null;
  return {
    id: latest.id,
    ...latest.page,
    // Chatting in any tab is chatting.
    chatting: sockets.some((s) => s.page?.chatting),
    chatId: sockets.find((s) => s.page?.chatId)?.page?.chatId ?? null,
    invitation: invitation
      ? {
          id: invitation.id,
          operatorId: invitation.operator_id,
          operatorName: invitation.operator_name,
          expiresAt: invitation.expires_at,
        }
      : null,
  };
}

/** What the live visitors need of the Lobby object holding them. */
export type VisitorsHost = {
  /** Which account the object serves, and whether as a shard; null before its first connect. */
  home(): LobbyHome | null;
  /** Sends to every console connected to this object (the account's lobby). */
  toConsoles(frame: LobbyServerFrame): void;
  /** Sends to every console of one operator connected to this object. */
  notifyOperator(operatorId: string, frame: LobbyServerFrame): Promise<void>;
  /** Makes sure the object's sweep, which closes sockets gone silent, runs while sockets are open. */
  sweepSoon(): Promise<void>;
};

export class LiveVisitors {
  private readonly ctx: DurableObjectState;
  private readonly env: Env;
  private readonly sql: SqlStorage;
  private readonly host: VisitorsHost;
  /** On a shard: the latest notice per visitor, waiting for the next pass to the account's lobby. */
  private readonly outbound = new Map<string, LobbyServerFrame>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Each presence socket's limit on page notices (src/durable/page-limit.ts). */
  private readonly pageLimits = new Map<WebSocket, PageLimit>();
  /** The pages each visitor has opened, for the console's context panel. */
  private readonly pages: VisitPages;

  constructor(ctx: DurableObjectState, env: Env, host: VisitorsHost) {
    this.ctx = ctx;
    this.env = env;
    this.sql = ctx.storage.sql;
    this.host = host;
    this.sql.exec(INVITATIONS_SCHEMA);
    this.pages = new VisitPages(this.sql);
  }

  // ---- Presence sockets ------------------------------------------------------------------------

  /** Accepts a widget's presence socket; an invitation still standing (the visitor navigated
   * meanwhile) follows them to the new page. */
  async accept(visitorId: string): Promise<Response> {
    const { server, response } = acceptTagged<VisitorSocket>(this.ctx, [VISITORS_TAG, visitorTag(visitorId)], {
      kind: "visitor",
      id: visitorId,
      connectedAt: Date.now(),
      page: null,
    });
    await this.host.sweepSoon();
    const open = this.openInvitation(visitorId);
    if (open) {
      const operator = { id: open.operator_id, name: open.operator_name };
      this.send(server, {
        type: "invitation",
        invitation: { id: open.id, operator, text: open.text, ttlMs: open.expires_at - Date.now() },
      });
    }
    return response;
  }

  /** A `page` frame: the socket keeps the page, and the operators hear of it. */
  message(ws: WebSocket, me: VisitorSocket, raw: string | ArrayBuffer): void {
    const parsed = parseFrame(raw, visitorClientFrameSchemas);
    if (!parsed.ok) return this.send(ws, { type: "error", code: parsed.code, message: parsed.message });
    const { url, title, referrer, onSiteMs, chatting, chatId } = parsed.frame;
    const now = Date.now();
    const samePage = me.page?.url === url;
    const page = {
      url,
      title,
      referrer,
      onSiteSince: now - onSiteMs,
      pageSince: samePage ? me.page!.pageSince : now,
      chatting,
      chatId: chatId ?? null,
    };
    attach<VisitorSocket>(ws, { ...me, page });
    this.pageNotice(ws, me.id, now);
  }

  /** A presence socket closed or is being closed: the operators hear of the visitor as their
   * other tabs show them, or that they left. */
  gone(ws: WebSocket, visitorId: string): void {
    this.forgetPageLimit(ws);
    this.visitorChanged(visitorId, [ws]);
  }

  /** Erasure (docs/privacy.md): the visitor leaves the live list at once (their presence sockets
   * close), with their pages and invitations. Answers how many sockets it closed. */
  forget(visitorId: string): number {
    const sockets = this.ctx.getWebSockets(visitorTag(visitorId));
    this.visitorChanged(visitorId, sockets);
    for (const ws of sockets) {
      this.forgetPageLimit(ws);
      closeQuietly(ws, 1000, "forgotten");
    }
    this.sql.exec("DELETE FROM invitations WHERE visitor_id = ?", visitorId);
    this.pages.forget(visitorId);
    return sockets.length;
  }

  /** Drops invitations long expired (the alarm's sweep). */
  sweep(now: number): void {
    this.sql.exec("DELETE FROM invitations WHERE expires_at < ?", now - INVITATION_TTL_MS);
    this.pages.sweep(now);
  }

  /** Passes a visitor's page change on to the operators, a few a second per socket at most: a
   * change beyond that is kept (the attachment holds it) and sent by one trailing notice. */
  private pageNotice(ws: WebSocket, visitorId: string, now: number): void {
    let limit = this.pageLimits.get(ws);
    if (!limit) this.pageLimits.set(ws, (limit = new PageLimit()));
    const verdict = limit.offer(now);
    if (verdict.kind === "now") return this.pageSeen(ws, visitorId);
    if (verdict.kind === "close") {
      this.forgetPageLimit(ws);
      closeQuietly(ws, FLOODING_CLOSE_CODE, "flooding");
      return this.visitorChanged(visitorId, [ws]);
    }
    if (verdict.warn) {
      const message = `Too many page frames; operators see at most a few a second. The latest page is kept and passed on in ${verdict.afterMs} ms.`;
      this.send(ws, { type: "error", code: "rate_limited", message, retryAfterMs: verdict.afterMs });
    }
    const trail = (afterMs: number) => {
      limit.trailing = setTimeout(() => {
        limit.trailing = null;
        if (!limit.dirty || this.pageLimits.get(ws) !== limit) return;
        const wait = limit.due();
        if (wait > 0) return trail(wait);
        this.pageSeen(ws, visitorId);
      }, afterMs);
    };
    if (!limit.trailing) trail(verdict.afterMs);
  }

  /** A page change passed on: the operators hear of it, and the visit's pages keep it (as limited
   * as the notices, so a flood of frames costs no more storage than the notices it makes). */
  private pageSeen(ws: WebSocket, visitorId: string): void {
    const page = attachmentOf<VisitorSocket>(ws).page;
    if (page) this.pages.opened(visitorId, { url: page.url, title: page.title, at: page.pageSince }, page.onSiteSince);
    this.visitorChanged(visitorId);
  }

  private forgetPageLimit(ws: WebSocket): void {
    this.pageLimits.get(ws)?.stop();
    this.pageLimits.delete(ws);
  }

  // ---- Invitations -----------------------------------------------------------------------------

  /** An operator invites a visitor who is on the site now. Refused when the visitor is not here
   * (never was, left, or belongs to another account's lobby) or is already chatting. */
  invite(visitorId: string, text: string, operator: { id: string; name: string }): InviteResult {
    const visitor = this.liveVisitor(visitorId);
    if (!visitor) return { ok: false, code: "not_found" };
    if (visitor.chatting) return { ok: false, code: "conflict" };
    const now = Date.now();
    const shard = this.host.home()?.shard;
    const id = `inv_${shard != null ? `${shard}_` : ""}${crypto.randomUUID().replaceAll("-", "")}`;
    // One open invitation per visitor: a newer one replaces the older.
    for (const old of this.sql
      .exec<{ id: string }>("DELETE FROM invitations WHERE visitor_id = ? AND chat_id IS NULL RETURNING id", visitorId)
      .toArray()) {
      this.sendToVisitor(visitorId, { type: "invitation_gone", id: old.id });
    }
    this.sql.exec(
      "INSERT INTO invitations (id, visitor_id, operator_id, operator_name, text, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      id,
      visitorId,
      operator.id,
      operator.name,
      text,
      now,
      now + INVITATION_TTL_MS,
    );
    this.sendToVisitor(visitorId, { type: "invitation", invitation: { id, operator, text, ttlMs: INVITATION_TTL_MS } });
    this.visitorChanged(visitorId);
    return { ok: true, id, expiresAt: now + INVITATION_TTL_MS };
  }

  /** The visitor answered an invitation: claims it, once. An expired or already answered one
   * is "expired" (the visitor gets a normal waiting chat); an unknown one (forged, or another
   * account's) is "not_found". */
  claim(invitationId: string): ClaimResult {
    const row = this.sql.exec<InvitationRow>("SELECT * FROM invitations WHERE id = ?", invitationId).toArray()[0];
    if (!row) return { ok: false, code: "not_found" };
    if (row.chat_id !== null || row.expires_at < Date.now()) return { ok: false, code: "expired" };
    this.sql.exec("UPDATE invitations SET chat_id = '' WHERE id = ?", invitationId);
    return { ok: true, operator: { id: row.operator_id, name: row.operator_name }, text: row.text, invitationId };
  }

  /** The chat of a claimed invitation exists: the inviting operator's consoles open it (on a
   * shard, by way of the account's lobby, after the visitor's own notice). */
  async accepted(invitationId: string, chatId: string, visitorName: string): Promise<void> {
    const row = this.sql
      .exec<InvitationRow>("UPDATE invitations SET chat_id = ? WHERE id = ? RETURNING *", chatId, invitationId)
      .toArray()[0];
    if (!row) return;
    const notice: LobbyServerFrame = {
      type: "invitation_accepted",
      invitationId,
      visitorId: row.visitor_id,
      chatId,
      visitorName,
    };
    this.visitorChanged(row.visitor_id);
    const home = this.host.home();
    if (home?.shard != null) {
      this.flush();
      await lobbyOf(this.env, home.account_id).notifyOperator(row.operator_id, notice);
    } else await this.host.notifyOperator(row.operator_id, notice);
  }

  // ---- What operators see ----------------------------------------------------------------------

  /** Every visitor here now: one pass over the visitor sockets and one query for invitations. */
  here(): LiveVisitor[] {
    const byVisitor = new Map<string, VisitorSocket[]>();
    for (const ws of this.ctx.getWebSockets(VISITORS_TAG)) {
      const socket = attachmentOf<VisitorSocket>(ws);
      const list = byVisitor.get(socket.id);
      if (list) list.push(socket);
      else byVisitor.set(socket.id, [socket]);
    }
    const invitations = new Map(
      this.sql
        .exec<InvitationRow>("SELECT * FROM invitations WHERE chat_id IS NULL AND expires_at >= ?", Date.now())
        .toArray()
        .map((row) => [row.visitor_id, row]),
    );
    const visitors: LiveVisitor[] = [];
    for (const [id, sockets] of byVisitor) {
      const visitor = liveVisitor(sockets, invitations.get(id));
      if (visitor) visitors.push(visitor);
    }
    return visitors.sort((a, b) => a.onSiteSince - b.onSiteSince);
  }

  /** Every live visitor of the account: this object's own, plus each shard's when sharded (after
   * raising the shard count, pages not yet reconnected are still here). */
  async everyone(): Promise<LiveVisitor[]> {
    const count = visitorShardCount(this.env);
    const own = this.here();
    const home = this.host.home();
    if (count === 1 || !home) return own;
    const parts = await Promise.all(
      Array.from({ length: count }, (_, index) => visitorShard(this.env, home.account_id, index).visitorsHere()),
    );
    return [...own, ...parts.flat()].sort((a, b) => a.onSiteSince - b.onSiteSince);
  }

  /** The visitor's visit going on now with its pages, newest first; null when they are not here.
   * It began when the earliest of their open pages says (each tab counts its own visit). */
  visit(visitorId: string): Visit | null {
    const starts = this.ctx
      .getWebSockets(visitorTag(visitorId))
      .map((ws) => attachmentOf<VisitorSocket>(ws).page?.onSiteSince)
      .filter((since) => since !== undefined);
    return starts.length ? this.pages.visit(visitorId, Math.min(...starts)) : null;
  }

  /** Tells the operators how a visitor looks now, or that they left (`closing`: their sockets
   * being closed right now). */
  private visitorChanged(visitorId: string, closing: readonly WebSocket[] = []): void {
    const visitor = this.liveVisitor(visitorId, closing);
    if (visitor) return this.toOperators(visitorId, { type: "visitor", visitor });
    const stillHere = this.ctx.getWebSockets(visitorTag(visitorId)).some((ws) => !closing.includes(ws));
    if (!stillHere) this.toOperators(visitorId, { type: "visitor_left", visitorId });
  }

  /** The account's lobby tells its consoles at once; a shard keeps the latest notice per visitor
   * and passes them on together shortly after (a pending timer also keeps it from hibernating
   * before it has). */
  private toOperators(visitorId: string, frame: LobbyServerFrame): void {
    if (this.host.home()?.shard == null) return this.host.toConsoles(frame);
    this.outbound.set(visitorId, frame);
    this.flushTimer ??= setTimeout(() => this.flush(), SHARD_FLUSH_AFTER_MS);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const home = this.host.home();
    if (!this.outbound.size || !home) return;
    const frames = [...this.outbound.values()];
    this.outbound.clear();
    // A lost notice leaves a console a change behind until the visitor's next one (or its next
    // snapshot); presence is advisory, unlike chat messages, so it is logged and not retried.
    lobbyOf(this.env, home.account_id)
      .visitorNotices(frames)
      .catch((error: unknown) => console.error("visitor shard: notices to the account lobby failed", error));
  }

  private liveVisitor(visitorId: string, closing: readonly WebSocket[] = []): LiveVisitor | null {
    const sockets = this.ctx
      .getWebSockets(visitorTag(visitorId))
      .filter((ws) => !closing.includes(ws))
      .map((ws) => attachmentOf<VisitorSocket>(ws));
    return liveVisitor(sockets, this.openInvitation(visitorId));
  }

  private openInvitation(visitorId: string): InvitationRow | undefined {
    return this.sql
      .exec<InvitationRow>(
        "SELECT * FROM invitations WHERE visitor_id = ? AND chat_id IS NULL AND expires_at >= ? ORDER BY created_at DESC LIMIT 1",
        visitorId,
        Date.now(),
      )
      .toArray()[0];
  }

  private sendToVisitor(visitorId: string, frame: VisitorServerFrame): void {
    broadcast(this.ctx.getWebSockets(visitorTag(visitorId)), frame);
  }

  private send(ws: WebSocket, frame: VisitorServerFrame): void {
    sendQuietly(ws, frame);
  }
}
