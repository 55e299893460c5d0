// One transcript email, ready to send, from a room's log and the account's settings: what the
// transcript route sends when someone asks for it and what a room mails on its own when it
// answers a visitor by email (answer-mail.ts). Both carry the same conversation, file links and
// signed Reply-To; they differ only in their subject and heading.
import type { Settings } from "../../shared/admin-api.ts";
import { signedFileUrl } from "../file-links.ts";
import { replyAddressFor } from "./reply-address.ts";
import { buildTranscript, type TranscriptEmail, type TranscriptPurpose, type TranscriptSource } from "./transcript.ts";
import { transcriptLanguage } from "./transcript-texts.ts";

/** How long the file links in an emailed transcript work: transcripts sit in mailboxes. */
const TRANSCRIPT_FILE_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type ComposeInput = {
  source: TranscriptSource;
  accountId: string;
  settings: Settings;
  to: string;
  /** The origin file links point at; null names files without a link. */
  origin: string | null;
  /** The Accept-Language of whoever the email is written for, for the account's "auto" language. */
  acceptLanguage: string | null;
  purpose?: TranscriptPurpose;
};

export async function composeTranscript(
  env: Pick<Env, "AUTH_SECRET" | "TRANSCRIPT_FROM" | "TRANSCRIPT_REPLY_DOMAIN">,
  input: ComposeInput,
): Promise<TranscriptEmail> {
  const { source, settings } = input;
  const fileLinks = new Map<string, string>();
  if (input.origin) {
    for (const message of source.messages) {
      if (!message.file) continue;
      const link = await signedFileUrl(
        env,
        input.origin,
        { accountId: input.accountId, chatId: source.chatId, fileId: message.file.id },
        TRANSCRIPT_FILE_LINK_TTL_MS,
      );
      fileLinks.set(message.file.id, link.url);
    }
  }
  const domain = env.TRANSCRIPT_REPLY_DOMAIN;
  return buildTranscript({
    ...source,
    accountName: settings.displayName,
    senderName: settings.transcriptSenderName.trim() || settings.displayName,
    fromAddress: env.TRANSCRIPT_FROM,
    to: input.to,
    replyTo: domain ? await replyAddressFor(env.AUTH_SECRET, source.chatId, domain) : null,
    fileLink: (file) => fileLinks.get(file.id) ?? null,
    language: transcriptLanguage(settings.language, input.acceptLanguage),
    ...(input.purpose ? { purpose: input.purpose } : {}),
  });
}
