// A chat's transcript as an email: subject, a plain-text part and an HTML part, built from the
// room's log. Pure, so it is tested on its own; mime.ts turns it into MIME for the classic
// send_email binding, send.ts hands the same fields to Email Service.
//
// Everything people typed (messages, visitor and operator names, file names, the account's name)
// reaches the HTML part only through escapeHtml, and headers only through clean() (no line
// breaks), so a message like "<script>" arrives as text and no name can add a header. In the
// plain-text part every line is either ours (headings, day lines) or starts "[hh:mm] author:" or
// is a continuation, indented: a message's line breaks of every kind (\n, \r, U+2028/2029 and the
// rest) become an indented new line, and names are put on one line, so no text typed in a chat
// can forge a line that reads as someone else's.
import type { ChatMessage, ChatStatus, FileAttachment } from "../../shared/protocol.ts";
import { transcriptTexts, type TranscriptLanguage, type TranscriptTexts } from "./transcript-texts.ts";

export type TranscriptSource = {
  chatId: string;
  status: ChatStatus;
  startedAt: number;
  closedAt: number | null;
  visitorName: string;
  /** The log in seq order (the newest part of it, when `omitted` > 0). */
  messages: ChatMessage[];
  /** Older messages left out to keep the email a sane size. */
  omitted: number;
};

/** "transcript": asked for by someone. "answer": the room mails an operator's answer to a
 * visitor who is not in the widget to read it (durable/answer-mail.ts). */
export type TranscriptPurpose = "transcript" | "answer";

export type TranscriptInput = TranscriptSource & {
  purpose?: TranscriptPurpose;
  /** The account's display name, as the widget shows it. */
  accountName: string;
  /** The From display name: the account's transcriptSenderName. */
  senderName: string;
  fromAddress: string;
  to: string;
  /** Where replies go (reply-address.ts); null when the deployment takes no replies. */
  replyTo: string | null;
  /** A link for a file message, or null to name the file without one. */
  fileLink: (file: FileAttachment) => string | null;
  /** The language it is written in (transcript-texts.ts); English when not given. */
  language?: TranscriptLanguage;
};

export type TranscriptEmail = {
  from: { name: string; email: string };
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  /** Extra headers; X- ones only, which both sending forms accept (see send.ts). */
  headers: Record<string, string>;
};

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A header value: no control characters (so no line breaks), spaces collapsed, at most `max` long. */
const clean = (text: string, max = 200) =>
  text
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);

/** Every line break a mail reader might honour: CRLF, LF, CR, VT, FF, NEL, U+2028, U+2029. */
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;
/** A message body's continuation lines, indented under its first line. */
const indentContinuations = (text: string) => text.replace(LINE_BREAKS, "\n    ");
/** A name or other one-line text in the body: never more than one line, whatever was stored
 * (names are refused with line breaks at the API, this also covers rows stored before that). */
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");

/** Dates and times in UTC, written the way the transcript's language writes them. */
function formats(locale: string) {
  const dayFormat = new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
  const timeFormat = new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const dateFormat = new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
  return {
    day: (at: number) => dayFormat.format(at),
    time: (at: number) => timeFormat.format(at),
    date: (at: number) => dateFormat.format(at),
  };
}

/** A system message in the transcript's language where its words depend only on who. */
function systemText(m: ChatMessage, t: TranscriptTexts): string {
  const words = m.event ? t.event[m.event] : undefined;
  return words ? words(m.author.name) : m.text;
}

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

/** Only http(s) links go into the email, whatever fileLink returns. */
function safeLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export function buildTranscript(input: TranscriptInput): TranscriptEmail {
  const t = transcriptTexts[input.language ?? "en"];
  const { day, time, date } = formats(t.locale);
  const account = clean(input.accountName, 100) || "us";
  const answer = input.purpose === "answer";
  const subject = answer ? t.answered(account) : t.subject(account, date(input.startedAt));
  const heading = answer ? t.answered(account) : t.heading(account);
  const summary = t.summary(
    `${day(input.startedAt)} ${time(input.startedAt)}`,
    input.closedAt !== null ? `${day(input.closedAt)} ${time(input.closedAt)}` : null,
  );

  const text: string[] = [heading, summary, ""];
  const html: string[] = [];
  if (input.omitted > 0) {
    const note = t.omitted(input.omitted);
    text.push(note, "");
    html.push(`<p style="margin:0 0 12px;color:#5b6472;font-size:13px">${escapeHtml(note)}</p>`);
  }

  let currentDay = "";
  for (const m of input.messages) {
    const d = day(m.at);
    if (d !== currentDay) {
      currentDay = d;
      text.push(`-- ${d} --`);
      html.push(`<h2 style="margin:18px 0 8px;font-size:13px;font-weight:600;color:#5b6472">${escapeHtml(d)}</h2>`);
    }
    const at = time(m.at);
    if (m.kind === "system") {
      // Quieter: joins, leaves, transfers and the close frame the conversation, they are not part of it.
      const words = systemText(m, t);
      text.push(`[${at}] * ${oneLine(words)}`);
      html.push(
        `<p data-seq="${m.seq}" style="margin:0 0 8px;color:#8a93a0;font-size:12px;font-style:italic">${at} · ${escapeHtml(words)}</p>`,
      );
      continue;
    }
    const author = oneLine(m.author.name) || (m.author.kind === "visitor" ? t.visitor : t.operator);
    const byEmail = m.via === "email" ? t.byEmail : "";
    let bodyText: string;
    let bodyHtml: string;
    if (m.kind === "file" && m.file) {
      const link = safeLink(input.fileLink(m.file));
      const size = formatBytes(m.file.size);
      bodyText = `${t.sentFile(oneLine(m.file.name), size)}${link ? ` ${link}` : ""}`;
      const name = escapeHtml(m.file.name);
      bodyHtml = `📎 ${link ? `<a href="${escapeHtml(link)}" style="color:#2457d6">${name}</a>` : name} <span style="color:#5b6472">(${size})</span>`;
    } else {
      bodyText = m.text;
      bodyHtml = escapeHtml(m.text).replace(LINE_BREAKS, "<br>");
    }
    // Continuation lines of a multi-line message are indented under its first line.
    text.push(`[${at}] ${author}${byEmail}: ${indentContinuations(bodyText)}`);
    const colour = m.author.kind === "visitor" ? "#1d2430" : "#2457d6";
    html.push(
      `<div data-seq="${m.seq}" style="margin:0 0 10px"><div style="font-size:12px;color:#5b6472">${at} · <strong style="color:${colour}">${escapeHtml(author)}</strong>${escapeHtml(byEmail)}</div>` +
        `<div style="white-space:pre-wrap;word-wrap:break-word">${bodyHtml}</div></div>`,
    );
  }
  if (!input.messages.length) {
    text.push(`(${t.noMessages})`);
    html.push(`<p style="color:#5b6472">${escapeHtml(t.noMessages)}</p>`);
  }
  if (input.replyTo) text.push("", t.replyHint);

  const page =
    `<!DOCTYPE html><html lang="${input.language ?? "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:16px;background:#f4f6f9;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.45;color:#1d2430">` +
    `<div style="max-width:640px;margin:0 auto;padding:20px;background:#ffffff;border:1px solid #e1e5eb;border-radius:8px">` +
    `<h1 style="margin:0 0 4px;font-size:18px">${escapeHtml(heading)}</h1>` +
    `<p style="margin:0 0 12px;color:#5b6472;font-size:13px">${escapeHtml(summary)}</p>` +
    html.join("\n") +
    (input.replyTo
      ? `<p style="margin:20px 0 0;padding-top:12px;border-top:1px solid #e1e5eb;color:#5b6472;font-size:13px">${escapeHtml(t.replyHint)}</p>`
      : "") +
    `</div></body></html>`;

  return {
    from: { name: clean(input.senderName, 100) || account, email: input.fromAddress },
    to: input.to,
    replyTo: input.replyTo,
    subject: clean(subject, 250),
    text: `${text.join("\n")}\n`,
    html: page,
    // Outlook's way of asking auto-replies ("out of office") to stay quiet; Auto-Submitted is the
    // standard one and goes into the MIME form (mime.ts).
    headers: { "X-Auto-Response-Suppress": "All" },
  };
}
