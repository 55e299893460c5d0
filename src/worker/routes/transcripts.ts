// Chat transcripts by email: `POST /api/chats/:chatId/transcript {"email"}`. The chat's own visitor
// (its token) or any operator of its account (the rule for reading its history, findChatFor) may
// send it, during the chat or after it. The address must be one plain address (422 otherwise);
// each chat sends at most TRANSCRIPTS_PER_HOUR an hour (429 with Retry-After).
import { Hono } from "hono";
import { parseRecipientAddress, TRANSCRIPTS_PER_HOUR, TranscriptRequest, type TranscriptResponse } from "../../shared/protocol.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { readSettings } from "../db/settings.ts";
import { replyAddressFor } from "../email/reply-address.ts";
import { sendEmail } from "../email/send.ts";
import { buildTranscript } from "../email/transcript.ts";
import { transcriptLanguage } from "../email/transcript-texts.ts";
import { problemResponse, ProblemError, validate, type AppEnv } from "../http.ts";
import { signedFileUrl } from "../files/links.ts";
import { findChatFor } from "./chats.ts";

/** How long the file links in an emailed transcript work. */
const TRANSCRIPT_FILE_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

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
        const res = problemResponse(429, "rate_limited", `This chat has sent ${TRANSCRIPTS_PER_HOUR} transcripts in the last hour. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
        res.headers.set("Retry-After", String(seconds));
        return res;
      }
      if (take.code === "no_operator_yet") throw new ProblemError(409, "conflict", "A transcript can be sent once an operator has answered in this chat.");
      throw new ProblemError(404, "not_found", "There is no such chat.");
    }

    try {
      const domain = c.env.TRANSCRIPT_REPLY_DOMAIN;
      // Files as signed links that outlive the chat's hour-long ones: transcripts sit in mailboxes.
      const origin = new URL(c.req.url).origin;
      const fileLinks = new Map<string, string>();
      for (const message of take.source.messages) {
        if (!message.file) continue;
        const link = await signedFileUrl(c.env, origin, { accountId: chat.accountId, chatId: chat.id, fileId: message.file.id }, TRANSCRIPT_FILE_LINK_TTL_MS);
        fileLinks.set(message.file.id, link.url);
      }
      const email = buildTranscript({
        ...take.source,
        accountName: settings.displayName,
        senderName: settings.transcriptSenderName.trim() || settings.displayName,
        fromAddress: c.env.TRANSCRIPT_FROM,
        to: recipient.address,
        replyTo: domain ? await replyAddressFor(c.env.AUTH_SECRET, chat.id, domain) : null,
        fileLink: (file) => fileLinks.get(file.id) ?? null,
        language: transcriptLanguage(settings.language, c.req.header("Accept-Language")),
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
