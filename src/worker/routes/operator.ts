// Operator sign-in and the operator's own view of their chats.
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import {
  ChatListQuery,
  OperatorLoginRequest,
  type ChatSummary,
  type ChatsResponse,
  type DepartmentsResponse,
  type OperatorLoginResponse,
  type OperatorProfile,
} from "../../shared/protocol.ts";
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from "../auth/password.ts";
import { requireOperator } from "../auth/guards.ts";
import { signOperatorSession } from "../auth/tokens.ts";
import { database } from "../../server/db/index.ts";
import { chats, departments, endedSessions, operators } from "../../server/db/schema.ts";
import { disconnectOperator } from "./admin/live.ts";
import { requireWithinRateLimit } from "../rate-limit.ts";
import { ProblemError } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";
import type { AcceptResponse } from "../../shared/lobby-protocol.ts";
import { departmentIdsOf } from "../db/operators.ts";
import { findChatFor } from "../chat-access.ts";
import type { AcceptResult } from "../../durable/lobby.ts";

const CHAT_LIST_LIMIT = 200;

function acceptRefusal(code: Exclude<AcceptResult, { ok: true }>["code"]): ProblemError {
  switch (code) {
    case "already_taken":
      return new ProblemError(409, "already_taken", "Another operator has already taken this chat.");
    case "offered_elsewhere":
      return new ProblemError(
        409,
        "offered_elsewhere",
        "This chat is routed automatically: only the operator it rings for may take it, until everyone has passed it.",
      );
    case "at_capacity":
      return new ProblemError(409, "at_capacity", "You have as many chats as your capacity allows; end one first.");
    case "forbidden":
      return new ProblemError(403, "forbidden", "This chat is for a department you are not in.");
  }
}

export const operatorRoutes = new Hono<AppEnv>()
  .post("/login", validate("json", OperatorLoginRequest), async (c) => {
    const { email, password } = c.req.valid("json");
    // Guessing passwords: only so many tries per email from one address a minute, counted before
    // the (deliberately slow) hash so a flood of tries costs little.
    await requireWithinRateLimit(c.env.LOGIN_LIMITER, c.req.raw, `login|${email.toLowerCase()}`);
    const db = database(c.env.DB);
    const operator = await db.select().from(operators).where(eq(operators.email, email.toLowerCase())).get();
    // Hash even for an unknown email, so response time does not tell which emails exist.
    const passwordOk = await verifyPassword(password, operator?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
    if (!operator || !passwordOk || !operator.active)
      throw new ProblemError(401, "bad_credentials", "The email or password is wrong.");
    const profile: OperatorProfile = {
      id: operator.id,
      accountId: operator.accountId,
      email: operator.email,
      name: operator.name,
      role: operator.role,
    };
    const { token, expiresAt } = await signOperatorSession(operator, c.env.AUTH_SECRET);
    return c.json({ token, expiresAt, operator: profile } satisfies OperatorLoginResponse);
  })
  /** Sign-out on the server: this session's token is refused from now on, and its open sockets
   * (lobby and chats) are closed. The operator's other sessions go on. A token from before
   * sessions had ids cannot be singled out: it ends with its expiry, or with a password reset. */
  .post("/logout", requireOperator, async (c) => {
    const me = c.var.operator;
    const sessionId = me.session.id;
    if (sessionId) {
      const db = database(c.env.DB);
      const now = Date.now();
      await db.batch([
        db
          .insert(endedSessions)
          .values({ sessionId, operatorId: me.operatorId, expiresAt: me.session.expiresAt })
          .onConflictDoNothing(),
        // Rows of tokens that have expired anyway are of no more use.
        db.delete(endedSessions).where(lt(endedSessions.expiresAt, now)),
      ]);
      await disconnectOperator(c.env, me.accountId, me.operatorId, "session_ended", sessionId);
    }
    return c.body(null, 204);
  })
  .get("/me", requireOperator, async (c) => {
    const me = c.var.operator;
    const row = await database(c.env.DB).select().from(operators).where(eq(operators.id, me.operatorId)).get();
    if (!row) throw new ProblemError(404, "not_found", "This operator no longer exists.");
    return c.json({
      id: row.id,
      accountId: row.accountId,
      email: row.email,
      name: row.name,
      role: row.role,
    } satisfies OperatorProfile);
  })
  /** The departments of the operator's own account, for the console's transfer control. */
  .get("/departments", requireOperator, async (c) => {
    const me = c.var.operator;
    const rows = await database(c.env.DB)
      .select({ id: departments.id, name: departments.name, businessHours: departments.businessHours })
      .from(departments)
      .where(eq(departments.accountId, me.accountId))
      .orderBy(departments.name);
    return c.json({ departments: rows } satisfies DepartmentsResponse);
  })
  /** The chats the operator is in now (joined, not left); waiting chats come from the lobby. */
  .get("/chats", requireOperator, validate("query", ChatListQuery), async (c) => {
    const me = c.var.operator;
    const { status } = c.req.valid("query");
    const mine = sql`EXISTS (SELECT 1 FROM json_each(${chats.operatorIds}) WHERE value = ${me.operatorId})`;
    const rows = await database(c.env.DB)
      .select()
      .from(chats)
      .where(and(eq(chats.accountId, me.accountId), mine, status ? eq(chats.status, status) : undefined))
      .orderBy(desc(chats.updatedAt))
      .limit(CHAT_LIST_LIMIT);
    const list: ChatSummary[] = rows.map((r) => ({
      id: r.id,
      departmentId: r.departmentId,
      visitorId: r.visitorId,
      visitorName: r.visitorName,
      status: r.status,
      operatorIds: JSON.parse(r.operatorIds) as string[],
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      closedAt: r.closedAt,
      rating: r.rating,
      offline: r.offline,
      visitorEmail: r.visitorEmail,
      missedAt: r.missedAt,
    }));
    return c.json({ chats: list } satisfies ChatsResponse);
  })
  /** Takes a waiting chat. The account's lobby decides, so of two operators accepting at once
   * exactly one gets it; the other is told 409 already_taken. In the automatic routing modes only
   * the operator it rings for may (until everyone has passed it), and never beyond their capacity. */
  .post("/chats/:chatId/accept", requireOperator, async (c) => {
    const me = c.var.operator;
    const { chat, room } = await findChatFor(c.env, me, c.req.param("chatId"));
    const operator = {
      id: me.operatorId,
      accountId: me.accountId,
      name: me.name,
      role: me.role,
      departmentIds: await departmentIdsOf(c.env.DB, me.operatorId),
    };
    const result = await room.accept(operator);
    if (!result.ok) throw acceptRefusal(result.code);
    return c.json({ chatId: chat.id, acceptedBy: me.operatorId } satisfies AcceptResponse);
  });
