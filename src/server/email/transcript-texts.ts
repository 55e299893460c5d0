// The words of an emailed transcript, in each language the widget ships (src/shared/widget-api.ts),
// and which one a transcript is written in: the account's language setting, or for "auto" the
// language of whoever asked for it (their browser's Accept-Language, as the widget does).
import type { ChatMessage } from "../../shared/protocol.ts";
import type { WidgetLanguage } from "../../shared/widget-api.ts";

export type TranscriptLanguage = Exclude<WidgetLanguage, "auto">;

export type TranscriptTexts = {
  locale: string;
  subject: (account: string, date: string) => string;
  heading: (account: string) => string;
  /** Subject and heading of the email a room sends with an operator's answer to a visitor who
   * is not in the widget to read it. */
  answered: (account: string) => string;
  summary: (started: string, ended: string | null) => string;
  omitted: (count: number) => string;
  noMessages: string;
  replyHint: string;
  sentFile: (name: string, size: string) => string;
  byEmail: string;
  visitor: string;
  operator: string;
  /** System messages whose words depend only on who (the rest are shown as stored). */
  event: Partial<Record<NonNullable<ChatMessage["event"]>, (name: string) => string>>;
};

const en: TranscriptTexts = {
  locale: "en-GB",
  subject: (account, date) => `Transcript of your chat with ${account} (${date})`,
  heading: (account) => `Your chat with ${account}`,
  answered: (account) => `${account} answered your message`,
  summary: (started, ended) => `Started ${started}${ended ? `, ended ${ended}` : ""}. All times are UTC.`,
  omitted: (count) => `${count} earlier message${count === 1 ? "" : "s"} are not included.`,
  noMessages: "No messages.",
  replyHint: "Reply to this email to write to us again: your reply reaches us in this chat.",
  sentFile: (name, size) => `sent a file: ${name} (${size})`,
  byEmail: " (by email)",
  visitor: "Visitor",
  operator: "Operator",
  event: {
    join: (name) => `${name} joined the chat`,
    leave: (name) => `${name} left the chat`,
    close: (name) => `${name} ended the chat`,
  },
};

const de: TranscriptTexts = {
  locale: "de-DE",
  subject: (account, date) => `Verlauf Ihres Chats mit ${account} (${date})`,
  heading: (account) => `Ihr Chat mit ${account}`,
  answered: (account) => `${account} hat auf Ihre Nachricht geantwortet`,
  summary: (started, ended) => `Begonnen ${started}${ended ? `, beendet ${ended}` : ""}. Alle Zeiten in UTC.`,
  omitted: (count) =>
    count === 1 ? "1 frühere Nachricht ist nicht enthalten." : `${count} frühere Nachrichten sind nicht enthalten.`,
  noMessages: "Keine Nachrichten.",
  replyHint: "Antworten Sie auf diese E-Mail, um uns wieder zu schreiben: Ihre Antwort erreicht uns in diesem Chat.",
  sentFile: (name, size) => `hat eine Datei gesendet: ${name} (${size})`,
  byEmail: " (per E-Mail)",
  visitor: "Besucher",
  operator: "Mitarbeiter",
  event: {
    join: (name) => `${name} ist dem Chat beigetreten`,
    leave: (name) => `${name} hat den Chat verlassen`,
    close: (name) => `${name} hat den Chat beendet`,
  },
};

export const transcriptTexts: Record<TranscriptLanguage, TranscriptTexts> = { en, de };

/** The account's language, or for "auto" the first of ours in the asker's Accept-Language. */
export function transcriptLanguage(
  setting: WidgetLanguage,
  acceptLanguage: string | null | undefined,
): TranscriptLanguage {
  if (setting !== "auto") return setting;
  const preferred = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(
        params
          .find((p) => p.trim().startsWith("q="))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { language: tag.trim().toLowerCase().split("-")[0], q: Number.isFinite(q) ? q : 0 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { language } of preferred) if (language === "en" || language === "de") return language;
  return "en";
}
