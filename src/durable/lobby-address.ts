// Where an account's Lobby objects are: the account's lobby itself (operators' presence, the
// queue, and its live visitors unless they are sharded), and the visitor shards that hold the live
// visitors when LOBBY_VISITOR_SHARDS spreads them. Every caller (the Worker's routes, the chat
// rooms, the objects themselves) finds the object it needs here, from names and a hash alone.
import { fnv1a } from "../shared/hash.ts";

/** Which account a Lobby object serves, and as what: shard null is the account's lobby itself
 * (the object's `home` row, learnt from its first connect). */
export type LobbyHome = { account_id: string; shard: number | null };

/** The account's lobby: operators' presence, the queues, and (unless sharded) live visitors. */
export function lobbyOf(env: Env, accountId: string) {
  return env.LOBBY.get(env.LOBBY.idFromName(accountId));
}

/** Most objects one account's live visitors may be spread over. */
export const MAX_VISITOR_SHARDS = 64;

/** How many objects hold an account's live visitors: the `LOBBY_VISITOR_SHARDS` var, 1 (the
 * account's lobby holds them itself) unless set. Why and when to raise it: docs/benchmarks.md,
 * "How far one Lobby goes". Raising it takes effect page by page: a visitor moves to their shard
 * when their page reconnects (the next navigation or reload); until then the account's lobby
 * still lists them, but an invitation to them is routed to the shard and not found. */
export function visitorShardCount(env: Env): number {
  const count = Number(env.LOBBY_VISITOR_SHARDS ?? 1);
  return Number.isInteger(count) && count >= 1 ? Math.min(count, MAX_VISITOR_SHARDS) : 1;
}

/** Which of `count` shards a visitor's presence lives in: FNV-1a of the visitor id, so every
 * page view and every invitation of one visitor meet in the same object. */
export function visitorShardIndex(visitorId: string, count: number): number {
  return fnv1a(visitorId) % count;
}

/** A visitor shard: a Lobby object that holds only visitor sockets and invitations, and passes
 * what operators must see on to the account's lobby. */
export function visitorShard(env: Env, accountId: string, index: number) {
  return env.LOBBY.get(env.LOBBY.idFromName(`${accountId}/visitors/${index}`));
}

/** The object holding this visitor's presence sockets and invitations, and the shard index the
 * object is told on connect (null: the account's lobby itself). */
export function visitorHome(env: Env, accountId: string, visitorId: string) {
  const count = visitorShardCount(env);
  if (count === 1) return { lobby: lobbyOf(env, accountId), shard: null };
  const shard = visitorShardIndex(visitorId, count);
  return { lobby: visitorShard(env, accountId, shard), shard };
}

/** The object holding this visitor's presence sockets and invitations. */
export function lobbyShard(env: Env, accountId: string, visitorId: string) {
  return visitorHome(env, accountId, visitorId).lobby;
}

/** Invitation ids minted by a shard name it (`inv_<shard>_<random>`), so the visitor's answer,
 * which knows only the id, reaches the object holding the invitation. A forged index finds an
 * object without that invitation: not found, as for any unknown id. */
export function lobbyOfInvitation(env: Env, accountId: string, invitationId: string) {
  const shard = /^inv_(\d{1,2})_/.exec(invitationId);
  return shard ? visitorShard(env, accountId, Number(shard[1])) : lobbyOf(env, accountId);
}
