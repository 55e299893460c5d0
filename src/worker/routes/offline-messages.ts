// A visitor leaves a message while no operator is online (the widget's offline form). It is kept
// as an ordinary chat: an index row marked `offline`, a ChatRoom whose first message is the
// visitor's text, and a place in the department's queue, so operators see it as a waiting
// conversation, accept it and read it like any other. Nothing is lost while nobody is online.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { ulid } from "ulid";
import { chatRoomOf } from "../../durable/chat-room.ts";
import { lobbyOf } from "../../durable/lobby-address.ts";
import { OfflineMessageRequest, type OfflineMessageResponse } from "../../shared/protocol.ts";
import { database } from "../db/index.ts";
import { chats, departments } from "../db/schema.ts";
import { readSettings } from "../db/settings.ts";
import { ProblemError, validate, type AppEnv } from "../http.ts";
import { requireAllowedOrigin } from "../origin-policy.ts";
import { requireWithinRateLimit } from "../rate-limit.ts";
import { requireQueueRoom } from "./queue.ts";

export const offlineMessageRoutes = new Hono<AppEnv>().post("/", validate("json", OfflineMessageRequest), async (c) => {
  const body = c.req.valid("json");
  const settings = await readSettings(c.env.DB, body.accountId);
  if (!settings) throw new ProblemError(404, "not_found", "There is no such account.");
  requireAllowedOrigin(settings, c.req.raw);
  await requireWithinRateLimit(c.env.VISITOR_LIMITER, c.req.raw, `offline|${body.accountId}`);
  const db = database(c.env.DB);
  const departmentId = body.departmentId ?? null;
  if (departmentId) {
    const department = await db
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.id, departmentId), eq(departments.accountId, body.accountId)))
      .get();
    if (!department) throw new ProblemError(404, "not_found", "This account has no such department.");
  }

  await requireQueueRoom(c.env, body.accountId);

  const visitorId = `v_${ulid()}`;
  const chatId = `c_${ulid()}`;
  const email = body.email.toLowerCase();
  // Index row first (a room without one could never be found), then the room and its message,
  // then the queue: each step is idempotent, and the 201 comes only once all three are done.
  await db.insert(chats).values({ id: chatId, accountId: body.accountId, departmentId, visitorId, visitorName: body.name, visitorEmail: email, offline: true });
  const room = chatRoomOf(c.env, chatId);
  await room.open({ chatId, accountId: body.accountId, departmentId, visitor: { kind: "visitor", id: visitorId, name: body.name } });
  // Operators' answers are mailed to the visitor, in their language, with links to this origin.
  await room.leaveOfflineMessage(body.text, { email, acceptLanguage: c.req.header("Accept-Language") ?? null, origin: new URL(c.req.url).origin });
  await lobbyOf(c.env, body.accountId).enqueue({ chatId, departmentId, visitorName: body.name, since: Date.now(), offline: true, visitorEmail: email, firstMessage: body.text });
  return c.json({ chatId } satisfies OfflineMessageResponse, 201);
});
