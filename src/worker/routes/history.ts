// Past chats for operators: the History list and full-text search over the operator's account
// (src/server/search/search.ts). Any operator of the account may read any of its chats, as they
// may open any of them (chat-access.ts).
import { Hono } from "hono/tiny";
import { HistoryFilters, SearchQuery, type HistoryListPage, type SearchPage } from "../../shared/history.ts";
import { listHistory, pastChat, searchMessages } from "../../server/search/search.ts";
import { ProblemError } from "../../server/problems.ts";
import { requireOperator } from "../auth/guards.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";

export const historyRoutes = new Hono<AppEnv>()
  .get("/history", requireOperator, validate("query", HistoryFilters), async (c) => {
    const page: HistoryListPage = await listHistory(c.env.DB, c.var.operator.accountId, c.req.valid("query"));
    return c.json(page);
  })
  .get("/history/:chatId", requireOperator, async (c) => {
    const chat = await pastChat(c.env.DB, c.var.operator.accountId, c.req.param("chatId"));
    if (!chat) throw new ProblemError(404, "not_found", "There is no such chat in this account.");
    return c.json(chat);
  })
  .get("/search", requireOperator, validate("query", SearchQuery), async (c) => {
    const page: SearchPage = await searchMessages(c.env.DB, c.var.operator.accountId, c.req.valid("query"));
    return c.json(page);
  });
