// Where a waiting chat stands in its department's queue, for the widget's "Waiting for an
// operator… You are number 2 in the queue." Only the chat's own visitor may ask, and only about
// that chat: the signed visitor token names account and chat, so the account's lobby answers
// without a D1 read (the widget asks every ~10 s while waiting, docs/protocol.md).
import { Hono } from "hono/tiny";
import { lobbyOf } from "../../durable/lobby-address.ts";
import type { QueuePositionResponse } from "../../shared/protocol.ts";
import { requirePrincipal } from "../auth/guards.ts";
import { ProblemError } from "../../server/problems.ts";
import type { AppEnv } from "../app-env.ts";

export const queueRoutes = new Hono<AppEnv>().get("/:chatId/queue", requirePrincipal("visitor"), async (c) => {
  const principal = c.var.principal;
  if (principal.kind !== "visitor" || principal.chatId !== c.req.param("chatId")) {
    throw new ProblemError(403, "forbidden", "Only this chat's own visitor may ask where it stands in the queue.");
  }
  const position = await lobbyOf(c.env, principal.accountId).queuePosition(principal.chatId);
  // A chat nobody took in time is `missed`: the widget stops waiting and offers the offline form.
  const body: QueuePositionResponse =
    position === null
      ? { waiting: false }
      : position === "missed"
        ? { waiting: false, missed: true }
        : { waiting: true, position };
  // Live state: a cached answer would show a place the chat has left.
  c.header("Cache-Control", "no-store");
  return c.json(body);
});
