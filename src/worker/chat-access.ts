// Whether a caller may reach a chat, checked before anything reaches its ChatRoom: its own
// visitor, or an operator or API key of its account; and, for taking a chat from a department's
// queue, that department's operators only.
import { eq } from "drizzle-orm";
import { chatRoomOf } from "../durable/chat-room.ts";
import { database } from "../server/db/index.ts";
import { chats } from "../server/db/schema.ts";
import { ProblemError } from "../server/problems.ts";
import type { Principal } from "./auth/principal.ts";
import { departmentIdsOf } from "./db/operators.ts";

/** The chat, if the caller may see it: its own visitor, or an operator or API key of its account. */
export async function findChatFor(env: Env, principal: Principal, chatId: string) {
  if (principal.kind === "visitor" && principal.chatId !== chatId) {
    throw new ProblemError(403, "forbidden", "This visitor token is for another chat.");
  }
  const chat = await database(env.DB)
    .select({ id: chats.id, accountId: chats.accountId, status: chats.status, departmentId: chats.departmentId })
    .from(chats)
    .where(eq(chats.id, chatId))
    .get();
  if (!chat) throw new ProblemError(404, "not_found", "There is no such chat.");
  if (chat.accountId !== principal.accountId)
    throw new ProblemError(403, "forbidden", "This chat belongs to another account.");
  return { chat, room: chatRoomOf(env, chat.id) };
}

/** Joining a chat still waiting in a department's queue is taking it from that queue, so it is
 * for that department's operators only, as accepting it is. A chat under way may be joined by
 * any operator of the account (to help or supervise). */
export async function requireMayJoin(
  env: Env,
  operatorId: string,
  chat: { status: string; departmentId: string | null },
): Promise<void> {
  if (chat.status !== "waiting" || chat.departmentId === null) return;
  if (!(await departmentIdsOf(env.DB, operatorId)).includes(chat.departmentId)) {
    throw new ProblemError(403, "forbidden", "This chat waits for a department you are not in.");
  }
}
