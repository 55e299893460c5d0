// What admin changes do, right away, to the consoles and chats that are open: D1 holds the new
// state, and the account's Lobby and ChatRooms are told so that nobody needs to reload.
import { and, eq, ne, sql } from "drizzle-orm";
import { chatRoomOf } from "../../../durable/chat-room.ts";
import { lobbyOf } from "../../../durable/lobby-address.ts";
import type { ConfigTopic } from "../../../shared/lobby-protocol.ts";
import { OPERATOR_TOKEN_TTL_S } from "../../auth/tokens.ts";
import { database } from "../../../server/db/index.ts";
import { chats } from "../../../server/db/schema.ts";

/** The change is already stored; a console that misses the notice still sees it on its next
 * load, so a failing notice is logged rather than failing the request. */
async function notify(what: string, work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    console.error(`live update (${what}) failed`, error);
  }
}

/** Every open console of the account refetches its canned responses or settings. */
export function configChanged(env: Env, accountId: string, what: ConfigTopic): Promise<void> {
  return notify(`config_changed ${what}`, lobbyOf(env, accountId).configChanged(what));
}

/** An operator's name or departments changed: presence and their queue follow, and their
 * merged canned responses may differ. */
export function operatorChanged(
  env: Env,
  accountId: string,
  operator: { id: string; name: string; departmentIds: string[] },
): Promise<void> {
  const lobby = lobbyOf(env, accountId);
  return notify("operator", Promise.all([lobby.operatorChanged(operator), lobby.configChanged("canned")]));
}

/** Departments' routing or operators' capacities changed: the lobby routes by them at once. */
export function routingChanged(env: Env, accountId: string): Promise<void> {
  return notify("routing", lobbyOf(env, accountId).routingChanged());
}

export function departmentRemoved(env: Env, accountId: string, departmentId: string): Promise<void> {
  const lobby = lobbyOf(env, accountId);
  return notify(
    "department removed",
    Promise.all([lobby.departmentRemoved(departmentId), lobby.configChanged("canned")]),
  );
}

/** Closes an operator's sockets once they lost the right to them: deactivated, their password
 * reset, or (with `sessionId`) signed out of that session. Their consoles in the lobby, every chat
 * they are in now, and every other chat they opened a socket to lately (closed chats and
 * colleagues' chats included: the lobby remembers, durable/chat-socket-registry.ts). */
export async function disconnectOperator(
  env: Env,
  accountId: string,
  operatorId: string,
  why: "deactivated" | "session_ended",
  sessionId?: string,
): Promise<void> {
  const theirs = sql`EXISTS (SELECT 1 FROM json_each(${chats.operatorIds}) WHERE value = ${operatorId})`;
  const lobby = lobbyOf(env, accountId);
  const [open, opened] = await Promise.all([
    database(env.DB)
      .select({ id: chats.id })
      .from(chats)
      .where(and(eq(chats.accountId, accountId), ne(chats.status, "closed"), theirs)),
    lobby.chatSocketsOf(operatorId, OPERATOR_TOKEN_TTL_S * 1000),
  ]);
  const rooms = new Set([...open.map((chat) => chat.id), ...opened]);
  await notify(
    why,
    Promise.all([
      lobby.kick(operatorId, why, sessionId),
      ...[...rooms].map((chatId) => chatRoomOf(env, chatId).kick(operatorId, why, sessionId)),
    ]),
  );
}
