// What the console's context panel shows beside an open chat (`GET /api/operator/chats/{chatId}/context`):
// who the visitor is, where they are and what they use (recorded when the chat started), the pages
// of their visit now (from the account's Lobby, while they are on the site) and their earlier chats.
import * as v from "valibot";
import { ChatSummarySchema, Timestamp } from "./protocol.ts";

// The Worker and the Lobby import only the types of this module (its schemas would cost the
// Worker's bundle bytes for nothing): its limits live where they are applied, MAX_PREVIOUS_CHATS
// (20) in worker/routes/visitor-context.ts, MAX_VISIT_PAGES (50) in durable/visit-pages.ts and
// MAX_USER_AGENT_LENGTH (300) in worker/start-chat.ts.

export const VisitPageSchema = v.object({ url: v.string(), title: v.string(), at: Timestamp });
export type VisitPage = v.InferOutput<typeof VisitPageSchema>;

/** The visit going on now: when it began (the widget's first page view in this browser session,
 * server time) and its pages, newest first. */
export const VisitSchema = v.object({ startedAt: Timestamp, pages: v.array(VisitPageSchema) });
export type Visit = v.InferOutput<typeof VisitSchema>;

export const VisitorContextSchema = v.object({
  visitor: v.object({
    id: v.string(),
    name: v.string(),
    email: v.nullable(v.string()),
    /** ISO 3166-1 alpha-2 code from the edge (`request.cf.country`), when known. */
    country: v.nullable(v.string()),
    /** The browser's User-Agent header when the chat started; the console turns it into
     * "Chrome 131 on Windows" (shared/user-agent.ts). */
    userAgent: v.nullable(v.string()),
  }),
  /** Null while the visitor is not on the site (or never had the widget's presence socket). */
  visit: v.nullable(VisitSchema),
  /** The account's other chats with the same visitor id or the same email (case-insensitive),
   * newest first, at most 20. Emails are not verified: a match by email only is
   * likely, not certain, to be the same person. */
  previousChats: v.array(ChatSummarySchema),
});
export type VisitorContext = v.InferOutput<typeof VisitorContextSchema>;
