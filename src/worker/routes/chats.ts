// A chat's history over HTTP and its live WebSocket. Both check, before anything reaches the
// ChatRoom, that the caller belongs to the chat's account and, for a visitor, to this very chat.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { chatRoomOf } from "../../durable/chat-room.ts";
import { HistoryQuery, type HistoryPage } from "../../shared/protocol.ts";
import type { Principal } from "../auth/principal.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { database } from "../db/index.ts";
import { departmentIdsOf } from "../db/operators.ts";
import { chats } from "../db/schema.ts";
import { ProblemError, validate, type AppEnv } from "../http.ts";

/** The chat, if the caller may see it: its own visitor, or an operator or API key of its account. */
export async function findChatFor(env: Env, principal: Principal, chatId: string) {
  if (principal.kind === "visitor" && principal.chatId !== chatId) {
    throw new ProblemError(403, "forbidden", "This visitor token is for another chat.");
  }
  const chat = await database(env.DB).select({ id: chats.id, accountId: chats.accountId, status: chats.status, departmentId: chats.departmentId }).from(chats).where(eq(chats.id, chatId)).get();
  if (!chat) throw new ProblemError(404, "not_found", "There is no such chat.");
  if (chat.accountId !== principal.accountId) throw new ProblemError(403, "forbidden", "This chat belongs to another account.");
  return { chat, room: chatRoomOf(env, chat.id) };
}

/** Joining a chat still waiting in a department's queue is taking it from that queue, so it is
 * for that department's operators only, as accepting it is. A chat under way may be joined by
 * any operator of the account (to help or supervise). */
export async function requireMayJoin(env: Env, operatorId: string, chat: { status: string; departmentId: string | null }): Promise<void> {
  if (chat.status !== "waiting" || chat.departmentId === null) return;
  if (!(await departmentIdsOf(env.DB, operatorId)).includes(chat.departmentId)) {
    throw new ProblemError(403, "forbidden", "This chat waits for a department you are not in.");
  }
}

export const chatRoutes = new Hono<AppEnv>().get(
  "/:chatId/messages",
  requirePrincipal("operator", "visitor", "apiKey"),
  validate("query", HistoryQuery),
  async (c) => {
    const { room } = await findChatFor(c.env, c.var.principal, c.req.param("chatId"));
    const page: HistoryPage = await room.history(c.req.valid("query"));
    return c.json(page);
  },
);
