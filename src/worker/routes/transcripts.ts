// Chat transcripts by email: `POST /api/chats/:chatId/transcript {"email"}`. The chat's own visitor
// (its token) or any operator of its account (the rule for reading its history, findChatFor) may
// send it, during the chat or after it. The address must be one plain address (422 otherwise);
// each chat sends at most TRANSCRIPTS_PER_HOUR an hour (429 with Retry-After).
import { Hono } from "hono/tiny";
import { TRANSCRIPTS_PER_HOUR, TranscriptRequest, type TranscriptResponse } from "../../shared/protocol.ts";
import { parseRecipientAddress } from "../email/recipient-address.ts";
import { requirePrincipal } from "../auth/guards.ts";
import { readSettings } from "../../server/db/settings.ts";
import { composeTranscript } from "../../server/email/compose.ts";
import { sendEmail } from "../../server/email/send.ts";
import { problemResponse, ProblemError } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";
import { findChatFor } from "../chat-access.ts";

export const transcriptRoutes = new Hono<AppEnv>().post(
  "/:chatId/transcript",
  requirePrincipal("operator", "visitor"),
  validate("json", TranscriptRequest),
  async (c) => {
    const principal = c.var.principal;
    const { chat, room } = await findChatFor(c.env, principal, c.req.param("chatId"));
    const recipient = parseRecipientAddress(c.req.valid("json").email);
    if (!recipient.ok) throw new ProblemError(422, "email_invalid", recipient.reason);
    const settings = await readSettings(c.env.DB, chat.accountId);
    if (!settings) throw new ProblemError(404, "not_found", "There is no such account.");

    const take = await room.takeTranscript(principal.kind === "visitor" ? "visitor" : "operator");
    if (!take.ok) {
      if (take.code === "rate_limited") {
        const seconds = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
        const minutes = Math.ceil(seconds / 60);
        const res = problemResponse(
          429,
          "rate_limited",
          `This chat has sent ${TRANSCRIPTS_PER_HOUR} transcripts in the last hour. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        );
        res.headers.set("Retry-After", String(seconds));
        return res;
      }
      if (take.code === "no_operator_yet")
        throw new ProblemError(409, "conflict", "A transcript can be sent once an operator has answered in this chat.");
      throw new ProblemError(404, "not_found", "There is no such chat.");
    }

    try {
      const email = await composeTranscript(c.env, {
        source: take.source,
        accountId: chat.accountId,
        settings,
        to: recipient.address,
        origin: new URL(c.req.url).origin,
        acceptLanguage: c.req.header("Accept-Language") ?? null,
      });
      await sendEmail(c.env, email);
    } catch (error) {
      // Not sent, so it does not count against the chat's hourly allowance.
      await room.releaseTranscript(take.slot);
      console.error(`transcript of chat ${chat.id} not sent:`, error);
      throw new ProblemError(502, "email_failed", "The email could not be sent. Please try again in a moment.");
    }
    return c.json({ to: recipient.address, remaining: take.remaining } satisfies TranscriptResponse);
  },
);
