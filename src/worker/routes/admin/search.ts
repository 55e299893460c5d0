// Full-text search over the account's chats for the admin API: the console's search, for keys.
import { Hono } from "hono/tiny";
import { SearchPageSchema, SearchQuery } from "../../../shared/history.ts";
import { searchMessages } from "../../../server/search/search.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { describe } from "./openapi.ts";

export const searchRoutes = new Hono<AppEnv>().get(
  "/search",
  describe(
    API_DOCS && {
      id: "searchChats",
      tag: "Chats",
      summary: "Search messages, notes, file names and visitors",
      description:
        "Newest first. Every word of `q` must occur as a whole word, or, with `*` after it, as the start of one. A message is found within seconds of being sent. Filters: `from` and `to` (message written at or after / before, ms since the epoch), `departmentId`, `operatorId` (an operator who has been in the chat), `tagId`, `rating`. Page on with `cursor` = the previous page's `nextCursor`.",
      input: "query",
      ok: { status: 200, description: "A page of matches, each with its chat.", schema: SearchPageSchema },
    },
  ),
  validate("query", SearchQuery),
  async (c) => c.json(await searchMessages(c.env.DB, c.var.principal.accountId, c.req.valid("query"))),
);
