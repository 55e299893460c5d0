// WebSocket routes. Each upgrade is authenticated here, before any object sees it; the object
// learns who connects from a header only the Worker can set.
import { Hono } from "hono/tiny";
import { createMiddleware } from "hono/factory";
import { PARTICIPANT_HEADER, SHORT_ACKS_HEADER, type ConnectingParticipant } from "../../durable/chat-room.ts";
import { lobbyOf } from "../../durable/lobby-address.ts";
import { LOBBY_OPERATOR_HEADER, type ConnectingLobbyOperator } from "../../durable/lobby.ts";
import { requireOperator, requirePrincipal } from "../auth/guards.ts";
import { departmentIdsOf } from "../db/operators.ts";
import { readSettings } from "../../server/db/settings.ts";
import { SOCKET_PROTOCOL, type SocketProtocol } from "../../shared/socket-auth.ts";
import { chosenProtocol } from "../auth/socket-protocols.ts";
import { ProblemError } from "../../server/problems.ts";
import type { AppEnv } from "../app-env.ts";
import { requireAllowedOrigin } from "../origin-policy.ts";
import { findChatFor, requireMayJoin } from "../chat-access.ts";

/** First, before the token is read: a plain GET here is told to use a WebSocket (426), not that
 * its `?token=` was ignored (tokens in a URL are taken on upgrades only, see principal.ts). */
const requireUpgrade = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket")
    throw new ProblemError(426, "upgrade_required", "Connect with a WebSocket.");
  await next();
});

/** A browser that offered subprotocols (its token rides in one, see socketProtocols) closes the
 * socket unless the answer names one it offered: the one chosenProtocol picked, never the token. */
async function answerProtocol(protocol: SocketProtocol | undefined, accepted: Promise<Response>): Promise<Response> {
  const response = await accepted;
  if (response.status !== 101 || !protocol) return response;
  return new Response(null, {
    status: 101,
    webSocket: response.webSocket,
    headers: { "Sec-WebSocket-Protocol": protocol },
  });
}

export const socketRoutes = new Hono<AppEnv>()
  .get("/chats/:chatId", requireUpgrade, requirePrincipal("operator", "visitor"), async (c) => {
    const principal = c.var.principal;
    const { chat, room } = await findChatFor(c.env, principal, c.req.param("chatId"));
    let who: ConnectingParticipant;
    if (principal.kind === "visitor") {
      // A visitor's socket comes from the widget on the customer's site: that site must be allowed.
      const settings = await readSettings(c.env.DB, chat.accountId);
      if (settings) requireAllowedOrigin(settings, c.req.raw);
      who = {
        kind: "visitor",
        id: principal.visitorId,
        name: principal.name,
        accountId: chat.accountId,
        session: principal.session,
      };
    } else if (principal.kind === "operator") {
      await requireMayJoin(c.env, principal.operatorId, chat);
      // Remembered so that losing the right closes this socket too, whatever chat it is in.
      await lobbyOf(c.env, chat.accountId).chatSocketOpened(principal.operatorId, chat.id);
      who = {
        kind: "operator",
        id: principal.operatorId,
        name: principal.name,
        accountId: chat.accountId,
        session: principal.session,
      };
    } else throw new ProblemError(403, "forbidden", "Only the chat's visitor and operators may connect.");
    const headers = new Headers({ Upgrade: "websocket", [PARTICIPANT_HEADER]: JSON.stringify(who) });
    const protocol = chosenProtocol(c.req.raw);
    // Only a client that asked for parley.v2 knows how to read a short ack.
    if (protocol === SOCKET_PROTOCOL) headers.set(SHORT_ACKS_HEADER, "1");
    return answerProtocol(protocol, room.fetch(new Request("https://chat-room/connect", { headers })));
  })
  .get("/lobby", requireUpgrade, requireOperator, async (c) => {
    const principal = c.var.operator;
    const operator: ConnectingLobbyOperator = {
      id: principal.operatorId,
      accountId: principal.accountId,
      name: principal.name,
      role: principal.role,
      departmentIds: await departmentIdsOf(c.env.DB, principal.operatorId),
      session: principal.session,
    };
    const headers = new Headers({ Upgrade: "websocket", [LOBBY_OPERATOR_HEADER]: JSON.stringify(operator) });
    return answerProtocol(
      chosenProtocol(c.req.raw),
      lobbyOf(c.env, principal.accountId).fetch(new Request("https://lobby/connect", { headers })),
    );
  });
