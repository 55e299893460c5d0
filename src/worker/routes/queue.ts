// Where a waiting chat stands in its department's queue, for the widget's "Waiting for an
// operator… You are number 2 in the queue." Only the chat's own visitor may ask, and only about
// that chat: the signed visitor token names account and chat, so the account's lobby answers
// without a D1 read (the widget asks every ~10 s while waiting, docs/protocol.md).
import { Hono } from "hono";
import { lobbyOf } from "../../durable/lobby-address.ts";
import { queueMaxWaiting } from "../../durable/lobby.ts";
import type { QueuePositionResponse } from "../../shared/protocol.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { ProblemError, type AppEnv } from "../http.ts";

export const queueRoutes = new Hono<AppEnv>().get("/:chatId/queue", requirePrincipal("visitor"), async (c) => {
  const principal = c.var.principal;
  if (principal.kind !== "visitor" || principal.chatId !== c.req.param("chatId")) {
    throw new ProblemError(403, "forbidden", "Only this chat's own visitor may ask where it stands in the queue.");
  }
  const position = await lobbyOf(c.env, principal.accountId).queuePosition(principal.chatId);
  // A chat nobody took in time is `missed`: the widget stops waiting and offers the offline form.
  const body: QueuePositionResponse = position === null ? { waiting: false } : position === "missed" ? { waiting: false, missed: true } : { waiting: true, position };
  // Live state: a cached answer would show a place the chat has left.
  c.header("Cache-Control", "no-store");
  return c.json(body);
});

/** Refuses a new chat (503 queue_full, Retry-After a minute) while the account has as many
 * waiting as it may (QUEUE_MAX_WAITING); asked before anything of the chat is created. */
export async function requireQueueRoom(env: Env, accountId: string): Promise<void> {
  if (await lobbyOf(env, accountId).hasRoom()) return;
  throw new ProblemError(503, "queue_full", `This account already has ${queueMaxWaiting(env)} chats waiting for an operator. Please try again in a few minutes.`, undefined, 60);
}
