// Operators reaching out and handing on: proactive invitations to visitors on the site,
// transferring a chat to a colleague or a department, inviting a colleague in, and joining a chat.
// Mounted under /api/operator next to operator.ts.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { lobbyShard } from "../../durable/lobby-address.ts";
import {
  InvitationRequest,
  TransferRequest,
  type InvitationResponse,
  type JoinResponse,
  type TransferResponse,
} from "../../shared/lobby-protocol.ts";
import type { Participant } from "../../shared/protocol.ts";
import { requireOperator } from "../auth/guards.ts";
import type { OperatorPrincipal } from "../auth/principal.ts";
import { database } from "../../server/db/index.ts";
import { departments, operators } from "../../server/db/schema.ts";
import { ProblemError } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";
import { findChatFor, requireMayJoin } from "../chat-access.ts";

const asParticipant = (me: OperatorPrincipal): Participant => ({ kind: "operator", id: me.operatorId, name: me.name });

export const handoverRoutes = new Hono<AppEnv>()
  /** Invites a visitor who is on one of the account's sites now. Visitors live in the account's
   * lobby, so another account's visitor is simply not found there. */
  .post("/invitations", requireOperator, validate("json", InvitationRequest), async (c) => {
    const me = c.var.operator;
    const { visitorId, text } = c.req.valid("json");
    const result = await lobbyShard(c.env, me.accountId, visitorId).invite(visitorId, text, {
      id: me.operatorId,
      name: me.name,
    });
    if (!result.ok && result.code === "not_found")
      throw new ProblemError(404, "not_found", "This visitor is not on the site now.");
    if (!result.ok) throw new ProblemError(409, "conflict", "This visitor is already chatting.");
    return c.json({ id: result.id, visitorId, expiresAt: result.expiresAt } satisfies InvitationResponse, 201);
  })
  /** Hands the chat to an operator or a department; only an operator in the chat may. */
  .post("/chats/:chatId/transfer", requireOperator, validate("json", TransferRequest), async (c) => {
    const me = c.var.operator;
    const body = c.req.valid("json");
    const { chat, room } = await findChatFor(c.env, me, c.req.param("chatId"));
    const db = database(c.env.DB);
    let to: TransferResponse["to"];
    if (body.operatorId !== undefined) {
      if (body.operatorId === me.operatorId)
        throw new ProblemError(422, "validation_failed", "You are in this chat already.");
      const target = await db
        .select({ id: operators.id, name: operators.name, active: operators.active })
        .from(operators)
        .where(and(eq(operators.id, body.operatorId), eq(operators.accountId, me.accountId)))
        .get();
      if (!target || !target.active)
        throw new ProblemError(404, "not_found", "This account has no such active operator.");
      to = { kind: "operator", id: target.id, name: target.name };
    } else {
      const target = await db
        .select({ id: departments.id, name: departments.name })
        .from(departments)
        .where(and(eq(departments.id, body.departmentId!), eq(departments.accountId, me.accountId)))
        .get();
      if (!target) throw new ProblemError(404, "not_found", "This account has no such department.");
      to = { kind: "department", id: target.id, name: target.name };
    }
    const stay = body.stay === true;
    // The room records the hand-over, updates the index and tells the lobby (queue or consoles).
    const result = await room.transfer(
      asParticipant(me),
      to.kind === "operator"
        ? { kind: "operator", operator: { kind: "operator", id: to.id, name: to.name }, stay }
        : { kind: "department", id: to.id, name: to.name },
    );
    if (!result.ok && result.code === "forbidden")
      throw new ProblemError(403, "forbidden", "Only an operator in the chat may transfer it.");
    if (!result.ok) throw new ProblemError(409, "chat_closed", "This chat has ended.");
    return c.json({ chatId: chat.id, to } satisfies TransferResponse);
  })
  /** A second (third…) operator joins a chat that is going on, e.g. to help or supervise. */
  .post("/chats/:chatId/join", requireOperator, async (c) => {
    const me = c.var.operator;
    const { chat, room } = await findChatFor(c.env, me, c.req.param("chatId"));
    await requireMayJoin(c.env, me.operatorId, chat);
    // Joining records the join message and the D1 index; joining twice changes nothing.
    await room.join(asParticipant(me));
    return c.json({ chatId: chat.id, joined: me.operatorId } satisfies JoinResponse);
  });
