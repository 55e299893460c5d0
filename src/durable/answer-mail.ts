// Answers by email. A visitor who left a message through the widget's offline form, or who wrote
// again by replying to a transcript, is not in the widget to read an operator's answer, so their
// chat's room mails it to them. Answers are gathered for a short while (an operator often writes
// several lines, each would otherwise be an email) and go out as one email: the conversation so
// far with the signed Reply-To, so that the visitor's reply continues the chat. When the visitor
// is back in the widget, answers reach them there and nothing is mailed.
//
// The state lives in the room's SQLite storage beside the log; the room's alarm sends.

export const ANSWER_MAIL_SCHEMA = `
CREATE TABLE IF NOT EXISTS answer_mail (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  email TEXT NOT NULL, accept_language TEXT, origin TEXT,
  mailed_seq INTEGER NOT NULL DEFAULT 0, due_at INTEGER
);`;

/** How long answers are gathered before they are mailed, unless ANSWER_MAIL_DELAY_SECONDS says. */
export const DEFAULT_ANSWER_MAIL_DELAY_S = 30;

type AnswerMailState = {
  email: string;
  /** The visitor's Accept-Language when they wrote (for the account's "auto" language). */
  accept_language: string | null;
  /** Where the visitor wrote from, for the email's file links; null when only email is known. */
  origin: string | null;
  /** The last seq an email has carried. */
  mailed_seq: number;
  /** When the pending email goes, if one is pending. */
  due_at: number | null;
};

/** The visitor can be answered at this address from now on. A later address (a reply from a
 * different mailbox) replaces it; what is not known now keeps what was known. */
export function rememberAnswerAddress(
  sql: SqlStorage,
  address: { email: string; acceptLanguage: string | null; origin: string | null },
  mailedSeq: number,
): void {
  sql.exec(
    `INSERT INTO answer_mail (singleton, email, accept_language, origin, mailed_seq) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (singleton) DO UPDATE SET email = excluded.email,
       accept_language = coalesce(excluded.accept_language, accept_language), origin = coalesce(excluded.origin, origin)`,
    address.email,
    address.acceptLanguage,
    address.origin,
    mailedSeq,
  );
}

export function answerMailState(sql: SqlStorage): AnswerMailState | undefined {
  return sql
    .exec<AnswerMailState>("SELECT email, accept_language, origin, mailed_seq, due_at FROM answer_mail")
    .toArray()[0];
}

/** Marks an email as pending at `at`; false when one is pending already (its alarm is set). */
export function markAnswerMailDue(sql: SqlStorage, at: number): boolean {
  return sql.exec("UPDATE answer_mail SET due_at = ? WHERE due_at IS NULL RETURNING 1", at).toArray().length > 0;
}

/** Everything up to `seq` has been mailed (or was read live): nothing is pending. */
export function markAnswersMailed(sql: SqlStorage, seq: number): void {
  sql.exec("UPDATE answer_mail SET mailed_seq = max(mailed_seq, ?), due_at = NULL", seq);
}
