// Tags for operators: the account's list (`GET /api/operator/tags`), and a chat's tags
// (`PUT /api/operator/chats/:chatId/tags`), which any operator of the chat's account may set, on
// an open chat or an ended one. The chat's room keeps them and tells its operators
// (durable/chat-tags.ts); visitors never learn of them.
import { and, eq, inArray, sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { ChatTagsRequest, type ChatTagsResponse, type TagsResponse } from "../../shared/tags.ts";
import { requireOperator } from "../auth/guards.ts";
import { database } from "../../server/db/index.ts";
import { tags } from "../../server/db/schema.ts";
import { fieldProblem, ProblemError } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";
import { findChatFor } from "../chat-access.ts";

export const chatTagRoutes = new Hono<AppEnv>()
  .get("/tags", requireOperator, async (c) => {
    const rows = await database(c.env.DB)
      .select({ id: tags.id, name: tags.name, createdAt: tags.createdAt })
      .from(tags)
      .where(eq(tags.accountId, c.var.operator.accountId))
      .orderBy(sql`${tags.name} COLLATE NOCASE`);
    return c.json({ tags: rows } satisfies TagsResponse);
  })
  .put("/chats/:chatId/tags", requireOperator, validate("json", ChatTagsRequest), async (c) => {
    const me = c.var.operator;
    const { tagIds } = c.req.valid("json");
    const { chat, room } = await findChatFor(c.env, me, c.req.param("chatId"));
    if (tagIds.length) {
      const found = await database(c.env.DB)
        .select({ id: tags.id })
        .from(tags)
        .where(
          and(
            eq(tags.accountId, me.accountId),
            inArray(tags.id, sql`(SELECT value FROM json_each(${JSON.stringify(tagIds)}))`),
          ),
        );
      const known = new Set(found.map((row) => row.id));
      const unknown = tagIds.filter((id) => !known.has(id));
      if (unknown.length)
        throw fieldProblem(
          422,
          "validation_failed",
          "tagIds",
          `This account has no tag ${unknown.join(", ")}; it may have been deleted.`,
        );
    }
    const result = await room.setTags(tagIds, { kind: "operator", id: me.operatorId, name: me.name });
    if (!result.ok) throw new ProblemError(404, "not_found", "There is no such chat.");
    return c.json({ chatId: chat.id, tagIds: result.tagIds } satisfies ChatTagsResponse);
  });
