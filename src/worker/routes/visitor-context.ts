// The visitor beside an open chat, for the console's context panel: who they are and where they
// were when the chat started (the D1 index), the pages of their visit now (the Lobby object holding
// their presence socket) and the account's other chats with them (same visitor id or same email).
// For the account's operators only: a visitor has no business reading what operators know of them.
import { and, desc, eq, ne, or, sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { lobbyShard } from "../../durable/lobby-address.ts";
import type { ChatSummary } from "../../shared/protocol.ts";
import type { VisitorContext } from "../../shared/visitor-context.ts";
import { database } from "../../server/db/index.ts";
import { chats } from "../../server/db/schema.ts";
import type { AppEnv } from "../app-env.ts";
import { requireOperator } from "../auth/guards.ts";
import { findChatFor } from "../chat-access.ts";

/** Most earlier chats listed, newest first. */
const MAX_PREVIOUS_CHATS = 20;

export const visitorContextRoutes = new Hono<AppEnv>().get("/chats/:chatId/context", requireOperator, async (c) => {
  const me = c.var.operator;
  const { chat } = await findChatFor(c.env, me, c.req.param("chatId"));
  const db = database(c.env.DB);
  const row = (await db.select().from(chats).where(eq(chats.id, chat.id)).get())!;
  const email = row.visitorEmail?.toLowerCase();
  const [visit, previous] = await Promise.all([
    // The pages are a help, not the answer: without them (the Lobby unreachable) the rest still shows.
    lobbyShard(c.env, me.accountId, row.visitorId)
      .visitOf(row.visitorId)
      .catch(() => null),
    db
      .select()
      .from(chats)
      .where(
        and(
          eq(chats.accountId, me.accountId),
          ne(chats.id, chat.id),
          or(eq(chats.visitorId, row.visitorId), email ? sql`lower(${chats.visitorEmail}) = ${email}` : undefined),
        ),
      )
      .orderBy(desc(chats.createdAt), desc(chats.id))
      .limit(MAX_PREVIOUS_CHATS),
  ]);
  return c.json({
    visitor: {
      id: row.visitorId,
      name: row.visitorName,
      email: row.visitorEmail,
      country: row.visitorCountry,
      userAgent: row.visitorUserAgent,
    },
    visit,
    previousChats: previous.map(
      ({ visitorCountry: _c, visitorUserAgent: _u, accountId: _a, ratingComment: _r, ...rest }): ChatSummary => ({
        ...rest,
        operatorIds: JSON.parse(rest.operatorIds) as string[],
      }),
    ),
  } satisfies VisitorContext);
});
