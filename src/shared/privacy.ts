// A person's data on request (docs/privacy.md): the admin API's export and erasure take the same
// subject, a visitor's email or visitor id, and reach every chat of that person in the account.
import * as v from "valibot";
import { Id, MessageSchema, named } from "./protocol.ts";
import type { ChatMessage, ChatRating } from "./protocol.ts";

export const PrivacySubject = v.pipe(
  v.strictObject({
    /** Matched without regard to case against the email visitors gave. */
    email: v.optional(
      v.pipe(v.string("The email must be text."), v.trim(), v.email("That is not an email address."), v.maxLength(320)),
    ),
    /** The widget's visitor id (`visitorId` of a chat). */
    visitorId: v.optional(Id),
    /** Export only: the `nextCursor` of the previous page. */
    cursor: v.optional(Id),
  }),
  v.check((s) => Boolean(s.email || s.visitorId), "Give the visitor's email or visitor id."),
);
export type PrivacySubject = v.InferOutput<typeof PrivacySubject>;

/** Chats per page of an export, and per call of an erasure (call again while `more`). */
export const PRIVACY_PAGE = 25;

export type ExportedFile = { id: string; name: string; size: number; type: string; url: string; expiresAt: number };
export type ExportedChat = {
  id: string;
  createdAt: number;
  closedAt: number | null;
  status: string;
  departmentId: string | null;
  visitorId: string;
  visitorName: string;
  visitorEmail: string | null;
  visitorCountry: string | null;
  visitorUserAgent: string | null;
  /** Every message the visitor could read: operators' private notes are not theirs. */
  messages: ChatMessage[];
  rating: ChatRating | null;
  /** Links good for 7 days. */
  files: ExportedFile[];
};
export type PrivacyExport = {
  subject: { email: string | null; visitorId: string | null };
  exportedAt: number;
  chats: ExportedChat[];
  /** More chats: ask again with this cursor. */
  nextCursor: string | null;
};
export type ErasureReceipt = {
  subject: { email: string | null; visitorId: string | null };
  erasedAt: number;
  chats: { chatId: string; messages: number; files: number; bytes: number }[];
  /** Live presence sockets closed (the visitor leaves the console's visitor list). */
  liveVisitorsClosed: number;
  /** More chats remain: call again. */
  more: boolean;
};

const subjectSchema = () => v.object({ email: v.nullable(v.string()), visitorId: v.nullable(v.string()) });
/** For the OpenAPI document only (built on call, so the Worker does not carry them). */
export const privacyExportSchema = () =>
  named(
    "PrivacyExport",
    v.object({
      subject: subjectSchema(),
      exportedAt: v.number(),
      chats: v.array(
        v.looseObject({
          id: v.string(),
          messages: v.array(MessageSchema),
          files: v.array(v.looseObject({ url: v.string() })),
        }),
      ),
      nextCursor: v.nullable(v.string()),
    }),
  );
export const erasureReceiptSchema = () =>
  named(
    "ErasureReceipt",
    v.object({
      subject: subjectSchema(),
      erasedAt: v.number(),
      chats: v.array(v.object({ chatId: v.string(), messages: v.number(), files: v.number(), bytes: v.number() })),
      liveVisitorsClosed: v.number(),
      more: v.boolean(),
    }),
  );
