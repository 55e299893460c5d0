// A visitor starts a chat: the widget posts here and gets a token bound to account, visitor and chat.
// Only from the account's allowed sites (origin-policy.ts).
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { ulid } from "ulid";
import { chatRoomOf } from "../../durable/chat-room.ts";
import { lobbyOf, lobbyOfInvitation } from "../../durable/lobby-address.ts";
import { anonymousVisitorName, VisitorSessionRequest, type VisitorSessionResponse } from "../../shared/protocol.ts";
import { VISITOR_TOKEN_TTL_S, signToken } from "../auth/tokens.ts";
import { recordOperatorJoined } from "../db/chat-index.ts";
import { database } from "../db/index.ts";
import { chats, departments } from "../db/schema.ts";
import { readSettings } from "../db/settings.ts";
import { ProblemError, validate, type AppEnv } from "../http.ts";
import { requireAllowedOrigin } from "../origin-policy.ts";
import { requireWithinRateLimit } from "../rate-limit.ts";
import { requireQueueRoom } from "./queue.ts";

export const visitorRoutes = new Hono<AppEnv>().post("/sessions", validate("json", VisitorSessionRequest), async (c) => {
  const body = c.req.valid("json");
  const db = database(c.env.DB);
  const settings = await readSettings(c.env.DB, body.accountId);
  if (!settings) throw new ProblemError(404, "not_found", "There is no such account.");
  requireAllowedOrigin(settings, c.req.raw);
  await requireWithinRateLimit(c.env.VISITOR_LIMITER, c.req.raw, `session|${body.accountId}`);
  const account = { id: body.accountId };
  if (body.departmentId) {
    const department = await db
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.id, body.departmentId), eq(departments.accountId, account.id)))
      .get();
    if (!department) throw new ProblemError(404, "not_found", "This account has no such department.");
  }

  // An answer to an operator's invitation: claimed once, in the object holding it (the account's
  // lobby or one of its visitor shards, so another account's invitation is not there). Expired
  // or used, the visitor gets a normal waiting chat.
  const invitationLobby = body.invitationId ? lobbyOfInvitation(c.env, body.accountId, body.invitationId) : null;
  const claim = invitationLobby && body.invitationId ? await invitationLobby.claimInvitation(body.invitationId) : null;
  if (claim && !claim.ok && claim.code === "not_found") throw new ProblemError(404, "not_found", "There is no such invitation.");
  const invitation = claim?.ok ? claim : null;

  // A chat that will wait needs room in the queue; one answering an invitation has its operator.
  if (!invitation) await requireQueueRoom(c.env, account.id);

  const visitorId = `v_${ulid()}`;
  const chatId = `c_${ulid()}`;
  const name = body.name ?? anonymousVisitorName(visitorId);
  // The index row first: a room without an index row could never be found, the reverse is harmless.
  await db.insert(chats).values({ id: chatId, accountId: account.id, departmentId: body.departmentId ?? null, visitorId, visitorName: name, visitorEmail: body.email ?? null });
  const departmentId = body.departmentId ?? null;
  await chatRoomOf(c.env, chatId).open({ chatId, accountId: account.id, departmentId, visitor: { kind: "visitor", id: visitorId, name } });
  if (invitation && invitationLobby) {
    await chatRoomOf(c.env, chatId).startInvited({ kind: "operator", ...invitation.operator }, invitation.text, invitation.invitationId);
    await recordOperatorJoined(c.env.DB, chatId, invitation.operator.id, Date.now());
    await invitationLobby.invitationAccepted(invitation.invitationId, chatId, name);
  } else await lobbyOf(c.env, account.id).enqueue({ chatId, departmentId, visitorName: name, since: Date.now(), ...(body.email ? { visitorEmail: body.email } : {}) });

  const { token, expiresAt } = await signToken({ typ: "visitor", acc: account.id, sub: visitorId, chat: chatId, name }, c.env.AUTH_SECRET, VISITOR_TOKEN_TTL_S);
  const response: VisitorSessionResponse = { token, chatId, visitorId, expiresAt, ...(invitation ? { invitedBy: invitation.operator } : {}) };
  return c.json(response, 201);
});
