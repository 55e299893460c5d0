// A chat's history over HTTP, for its visitor, the account's operators and its API keys
// (chat-access.ts checks who may).
import { Hono } from "hono/tiny";
import { HistoryQuery, type HistoryPage } from "../../shared/protocol.ts";
import { requirePrincipal } from "../auth/guards.ts";
import { findChatFor } from "../chat-access.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";

export const chatHistoryRoutes = new Hono<AppEnv>().get(
  "/:chatId/messages",
  requirePrincipal("operator", "visitor", "apiKey"),
  validate("query", HistoryQuery),
  async (c) => {
    const { room } = await findChatFor(c.env, c.var.principal, c.req.param("chatId"));
    // The visitor never reads operators' private notes; staff (operators, API keys) read it all.
    const audience = c.var.principal.kind === "visitor" ? "visitor" : "staff";
    const page: HistoryPage = await room.history(c.req.valid("query"), audience);
    return c.json(page);
  },
);
