// The account's chats, from the D1 index, and one chat with its messages from its ChatRoom.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { chatRoomOf } from "../../../durable/chat-room.ts";
import { ChatDetail, ChatListQuery, MAX_CHAT_MESSAGES, pageOf } from "../../../shared/admin-api.ts";
import { ChatSummarySchema, MAX_HISTORY_PAGE, type ChatMessage, type ChatSummary } from "../../../shared/protocol.ts";
import { database } from "../../../server/db/index.ts";
import { chats } from "../../../server/db/schema.ts";
import { ProblemError } from "../../../server/problems.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { describe } from "./openapi.ts";
import { pageWindow } from "./pagination.ts";

const columns = {
  id: chats.id,
  departmentId: chats.departmentId,
  visitorId: chats.visitorId,
  visitorName: chats.visitorName,
  status: chats.status,
  operatorIds: chats.operatorIds,
  createdAt: chats.createdAt,
  updatedAt: chats.updatedAt,
  closedAt: chats.closedAt,
  rating: chats.rating,
  offline: chats.offline,
  visitorEmail: chats.visitorEmail,
  missedAt: chats.missedAt,
};

function toSummary(row: Omit<ChatSummary, "operatorIds"> & { operatorIds: string }): ChatSummary {
  return { ...row, operatorIds: JSON.parse(row.operatorIds) as string[] };
}

export const accountChatRoutes = new Hono<AppEnv>()
  .get(
    "/chats",
    describe(
      API_DOCS && {
        id: "listChats",
        tag: "Chats",
        summary: "List chats",
        description:
          "Newest first. Filters: `status`, `departmentId`, `operatorId` (an operator in the chat now), `from` and `to` (started at or after / before, ms since the epoch).",
        input: "query",
        ok: { status: 200, description: "A page of chats.", schema: pageOf(ChatSummarySchema) },
      },
    ),
    validate("query", ChatListQuery),
    async (c) => {
      const query = c.req.valid("query");
      // Chat ids are c_ + ULID, so by id descending is newest first.
      const window = pageWindow(chats.id, query, true);
      const filters = and(
        eq(chats.accountId, c.var.principal.accountId),
        query.status && eq(chats.status, query.status),
        query.departmentId === undefined ? undefined : eq(chats.departmentId, query.departmentId),
        query.operatorId === undefined
          ? undefined
          : sql`EXISTS (SELECT 1 FROM json_each(${chats.operatorIds}) WHERE value = ${query.operatorId})`,
        query.from === undefined ? undefined : gte(chats.createdAt, query.from),
        query.to === undefined ? undefined : lt(chats.createdAt, query.to),
        window.where,
      );
      const rows = await database(c.env.DB)
        .select(columns)
        .from(chats)
        .where(filters)
        .orderBy(window.orderBy)
        .limit(window.limit);
      return c.json(window.page(rows, toSummary));
    },
  )
  .get(
    "/chats/:id",
    describe(
      API_DOCS && {
        id: "getChat",
        tag: "Chats",
        summary: "Get a chat with its messages",
        description: `The first ${MAX_CHAT_MESSAGES} messages, in order; a longer chat pages on with GET /api/chats/{id}/messages?after={seq}.`,
        ok: { status: 200, description: "The chat and its messages.", schema: ChatDetail },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const row = await database(c.env.DB)
        .select(columns)
        .from(chats)
        .where(and(eq(chats.accountId, c.var.principal.accountId), eq(chats.id, c.req.param("id"))))
        .get();
      if (!row) throw new ProblemError(404, "not_found", "There is no such chat in this account.");
      const room = chatRoomOf(c.env, row.id);
      const messages: ChatMessage[] = [];
      for (let after = 0; messages.length < MAX_CHAT_MESSAGES;) {
        // Staff: operators' private notes included (kind "note").
        const page = await room.history(
          { after, limit: Math.min(MAX_HISTORY_PAGE, MAX_CHAT_MESSAGES - messages.length) },
          "staff",
        );
        messages.push(...page.messages);
        if (!page.hasMore || !page.messages.length) break;
        after = page.messages[page.messages.length - 1]!.seq;
      }
      return c.json({ chat: toSummary(row), messages });
    },
  );
