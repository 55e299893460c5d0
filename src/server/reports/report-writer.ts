// What chat events tell reports: each event sets some of its chat's facts in `report_chats`, and
// triggers (migrations/0009) move every change into the daily aggregates reports read. Facts are
// set, never counted — the first answer is the earliest operator message, the close and the
// rating the latest — so the queue delivering an event twice, late or out of order changes
// nothing. A chat no longer in the index (erased) takes no facts.
import type { ChatEvent } from "../../shared/events.ts";
import { jsonRowStatements } from "../db/json-chunks.ts";

/** chat_id, account_id, started_at, department_id, offline, operator_id, first_answer_at,
 * closed_at, messages, missed, rating, rating_comment, rated_at: null where the event says nothing. */
export type ReportFacts = [
  string,
  string,
  number | null,
  string | null,
  0 | 1,
  string | null,
  number | null,
  number | null,
  number | null,
  0 | 1,
  string | null,
  string | null,
  number | null,
];

/** Every row in one statement with one bound value, as the search index does. Rows of one chat
 * are applied in turn, each against what the one before left. */
const WRITE_FACTS = `INSERT INTO report_chats (chat_id, account_id, started_at, department_id, offline, operator_id,
    first_answer_at, closed_at, messages, missed, rating, rating_comment, rated_at)
  SELECT r ->> 0, r ->> 1, r ->> 2, coalesce(r ->> 3, ''), r ->> 4, r ->> 5, r ->> 6, r ->> 7, r ->> 8, r ->> 9,
    r ->> 10, r ->> 11, r ->> 12
  FROM (SELECT value AS r FROM json_each(?1))
  WHERE EXISTS (SELECT 1 FROM chats WHERE id = r ->> 0 AND account_id = r ->> 1)
  ON CONFLICT (chat_id) DO UPDATE SET
    started_at = coalesce(excluded.started_at, started_at),
    department_id = CASE WHEN excluded.started_at IS NULL THEN department_id ELSE excluded.department_id END,
    offline = max(offline, excluded.offline),
    operator_id = CASE WHEN excluded.first_answer_at < coalesce(first_answer_at, 9e15)
      THEN excluded.operator_id ELSE operator_id END,
    first_answer_at = CASE WHEN excluded.first_answer_at < coalesce(first_answer_at, 9e15)
      THEN excluded.first_answer_at ELSE first_answer_at END,
    closed_at = CASE WHEN excluded.closed_at >= coalesce(closed_at, 0) THEN excluded.closed_at ELSE closed_at END,
    messages = CASE WHEN excluded.closed_at >= coalesce(closed_at, 0) THEN excluded.messages ELSE messages END,
    missed = max(missed, excluded.missed),
    rating = CASE WHEN excluded.rated_at >= coalesce(rated_at, 0) THEN excluded.rating ELSE rating END,
    rating_comment = CASE WHEN excluded.rated_at >= coalesce(rated_at, 0) THEN excluded.rating_comment
      ELSE rating_comment END,
    rated_at = CASE WHEN excluded.rated_at >= coalesce(rated_at, 0) THEN excluded.rated_at ELSE rated_at END`;

/** The facts one event sets, or null for events reports do not read. */
export function reportFacts(event: ChatEvent): ReportFacts | null {
  const base = (started: number | null = null, department: string | null = null, offline: 0 | 1 = 0): ReportFacts => [
    event.chatId,
    event.accountId,
    started,
    department,
    offline,
    null,
    null,
    null,
    null,
    0,
    null,
    null,
    null,
  ];
  const facts = base();
  switch (event.type) {
    case "chat.started":
      return base(event.at, event.departmentId, event.offline ? 1 : 0);
    case "message.created": {
      const { author, kind } = event.message;
      // A note answers nobody; a system line is nobody's answer.
      if (author.kind !== "operator" || (kind !== "text" && kind !== "file")) return null;
      facts[5] = author.id;
      facts[6] = event.message.at;
      return facts;
    }
    case "chat.closed":
      facts[7] = event.at;
      facts[8] = event.messages ?? null;
      return facts;
    case "chat.missed":
      facts[9] = 1;
      return facts;
    case "chat.rated":
      facts[10] = event.rating;
      facts[11] = event.comment;
      facts[12] = event.at;
      return facts;
    default:
      return null;
  }
}

/** The statements that set these facts: as few as fit D1's limit on a bound value, most often one. */
export function writeFacts(db: D1Database, facts: ReportFacts[]): D1PreparedStatement[] {
  return jsonRowStatements(db, WRITE_FACTS, facts, (fact) => (fact[11]?.length ?? 0) + 200);
}
