// A chat's history over HTTP and its live WebSocket. Both check, before anything reaches the
// ChatRoom, that the caller belongs to the chat's account and, for a visitor, to this very chat.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { PARTICIPANT_HEADER, type ConnectingParticipant } from "../../durable/chat-room.ts";
import { HistoryQuery, type HistoryPage } from "../../shared/protocol.ts";
import type { Principal } from "../auth/principal.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { database } from "../db/index.ts";
import { chats } from "../db/schema.ts";
import { ProblemError, validate, type AppEnv } from "../http.ts";

async function findChatFor(env: Env, principal: Principal, chatId: string) {
  if (principal.kind === "visitor" && principal.chatId !== chatId) {
    throw new ProblemError(403, "forbidden", "This visitor token is for another chat.");
  }
  const chat = await database(env.DB).select({ id: chats.id, accountId: chats.accountId }).from(chats).where(eq(chats.id, chatId)).get();
  if (!chat) throw new ProblemError(404, "not_found", "There is no such chat.");
  if (chat.accountId !== principal.accountId) throw new ProblemError(403, "forbidden", "This chat belongs to another account.");
  return { chat, room: env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chat.id)) };
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

export const socketRoutes = new Hono<AppEnv>().get("/chats/:chatId", requirePrincipal("operator", "visitor"), async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new ProblemError(426, "upgrade_required", "Connect with a WebSocket.");
  const principal = c.var.principal;
  const { chat, room } = await findChatFor(c.env, principal, c.req.param("chatId"));
  const who: ConnectingParticipant =
    principal.kind === "visitor"
      ? { kind: "visitor", id: principal.visitorId, name: principal.name, accountId: chat.accountId }
      : { kind: "operator", id: principal.kind === "operator" ? principal.operatorId : "", name: principal.kind === "operator" ? principal.name : "", accountId: chat.accountId };
  const headers = new Headers({ Upgrade: "websocket", [PARTICIPANT_HEADER]: JSON.stringify(who) });
  return room.fetch(new Request("https://chat-room/connect", { headers }));
});
