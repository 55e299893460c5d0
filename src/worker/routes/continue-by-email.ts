// A chat nobody took in time (or whose visitor cannot wait) continues by email: the chat's own
// visitor leaves their address, and the chat waits again as an offline message whose answers are
// mailed (docs/routing.md, "The longest wait"). The room does the work; this checks who asks.
import { Hono } from "hono/tiny";
import { chatRoomOf } from "../../durable/chat-room.ts";
import { ContinueByEmailRequest, type ContinueByEmailResponse } from "../../shared/protocol.ts";
import { requirePrincipal } from "../auth/guards.ts";
import { ProblemError } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";

export const continueByEmailRoutes = new Hono<AppEnv>().post(
  "/:chatId/continue-by-email",
  requirePrincipal("visitor"),
  validate("json", ContinueByEmailRequest),
  async (c) => {
    const principal = c.var.principal;
    const chatId = c.req.param("chatId");
    if (principal.kind !== "visitor" || principal.chatId !== chatId)
      throw new ProblemError(403, "forbidden", "Only this chat's own visitor may leave an address for it.");
    const body = c.req.valid("json");
    const email = body.email.toLowerCase();
    const result = await chatRoomOf(c.env, chatId).continueByEmail({
      email,
      cid: body.cid,
      text: body.text ?? null,
      // Operators' answers are mailed in the visitor's language, with links to this origin.
      acceptLanguage: c.req.header("Accept-Language") ?? null,
      origin: new URL(c.req.url).origin,
    });
    if (!result.ok && result.code === "not_found") throw new ProblemError(404, "not_found", "There is no such chat.");
    if (!result.ok)
      throw new ProblemError(409, "conflict", "An operator is in this chat, or it has ended: write here instead.");
    return c.json({ chatId, email } satisfies ContinueByEmailResponse, 201);
  },
);
