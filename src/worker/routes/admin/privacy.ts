// Export and erasure of one person's data (docs/privacy.md), for admins: every chat in the
// account with the visitor's email or visitor id. Both answer a page of chats at a time.
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import {
  erasureReceiptSchema,
  PRIVACY_PAGE,
  PrivacySubject,
  privacyExportSchema,
  type ErasureReceipt,
  type ExportedChat,
  type PrivacyExport,
} from "../../../shared/privacy.ts";
import { chatRoomOf } from "../../../durable/chat-room.ts";
import { lobbyOf, visitorHome } from "../../../durable/lobby-address.ts";
import { signedFileUrl } from "../../../server/file-links.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { describe } from "./openapi.ts";

/** Seven days: long enough to download an export's files. */
const FILE_LINK_TTL_MS = 7 * 86_400_000;

/** A chat's index row, as the export shows it. */
type ChatRow = Omit<ExportedChat, "messages" | "rating" | "files">;

/** The subject's chats, oldest first, after `cursor` (a chat id). */
async function chatsOf(c: Context<AppEnv>, subject: PrivacySubject, cursor?: string) {
  const { results } = await c.env.DB.prepare(
    `SELECT id, created_at AS createdAt, closed_at AS closedAt, status, department_id AS departmentId,
      visitor_id AS visitorId, visitor_name AS visitorName, visitor_email AS visitorEmail,
      visitor_country AS visitorCountry, visitor_user_agent AS visitorUserAgent
    FROM chats WHERE account_id = ?1
      AND ((?2 IS NOT NULL AND visitor_email = ?2 COLLATE NOCASE) OR (?3 IS NOT NULL AND visitor_id = ?3))
      AND (?4 IS NULL OR id > ?4)
    ORDER BY id LIMIT ?5`,
  )
    .bind(c.var.principal.accountId, subject.email ?? null, subject.visitorId ?? null, cursor ?? null, PRIVACY_PAGE + 1)
    .all<ChatRow>();
  return { rows: results.slice(0, PRIVACY_PAGE), more: results.length > PRIVACY_PAGE };
}

const who = (s: PrivacySubject) => ({ email: s.email ?? null, visitorId: s.visitorId ?? null });

export const privacyRoutes = new Hono<AppEnv>()
  .post(
    "/privacy/export",
    describe(
      API_DOCS && {
        id: "exportPersonalData",
        tag: "Privacy",
        summary: "Export everything about one visitor",
        description:
          "Every chat of the account with this `email` (any case) or `visitorId`: its facts, every message the visitor could read (no private notes), the rating, and 7-day links to its files. 25 chats a page, oldest first: while `nextCursor` is not null, send it back as `cursor` for the next. Recorded in the audit log.",
        input: "body",
        ok: { status: 200, description: "A page of the export (JSON).", schema: privacyExportSchema() },
      },
    ),
    validate("json", PrivacySubject),
    async (c) => {
      const subject = c.req.valid("json");
      const { rows, more } = await chatsOf(c, subject, subject.cursor);
      const origin = new URL(c.req.url).origin;
      const chats = await Promise.all(
        rows.map(async (row) => {
          const held = await chatRoomOf(c.env, row.id).exportChat();
          const messages = held?.messages ?? [];
          const files = await Promise.all(
            messages
              .flatMap((m) => (m.file ? [m.file] : []))
              .map(async (file) => ({
                ...file,
                ...(await signedFileUrl(
                  c.env,
                  origin,
                  { accountId: c.var.principal.accountId, chatId: row.id, fileId: file.id },
                  FILE_LINK_TTL_MS,
                )),
              })),
          );
          return { ...row, messages, rating: held?.rating ?? null, files };
        }),
      );
      const body: PrivacyExport = {
        subject: who(subject),
        exportedAt: Date.now(),
        chats,
        nextCursor: more ? rows.at(-1)!.id : null,
      };
      return c.json(body, 200, {
        "Content-Disposition": `attachment; filename="parley-export.json"`,
        "Cache-Control": "no-store",
      });
    },
  )
  .post(
    "/privacy/erase",
    describe(
      API_DOCS && {
        id: "erasePersonalData",
        tag: "Privacy",
        summary: "Erase everything about one visitor",
        description:
          "Deletes every chat of the account with this `email` (any case) or `visitorId` everywhere: its messages, files, index and search rows, report details (the day's figures stay, anonymous) and webhook log, and takes the visitor off the live visitor list and the queue. Answers a receipt of what it deleted; 25 chats a call: call again while `more` is true. A second call finds nothing. Recorded in the audit log.",
        input: "body",
        ok: { status: 200, description: "The receipt.", schema: erasureReceiptSchema() },
      },
    ),
    validate("json", PrivacySubject),
    async (c) => {
      const subject = c.req.valid("json");
      const { accountId } = c.var.principal;
      const { rows, more } = await chatsOf(c, subject);
      const erased = await Promise.all(rows.map((row) => chatRoomOf(c.env, row.id).erase()));
      const visitors = new Set([
        ...rows.map((row) => row.visitorId),
        ...(subject.visitorId ? [subject.visitorId] : []),
      ]);
      const closed = await Promise.all(
        [...visitors].map((id) => visitorHome(c.env, accountId, id).lobby.forgetVisitor(id)),
      );
      // The account's own lobby holds the visit pages when visitors are sharded elsewhere.
      if (visitors.size) await Promise.all([...visitors].map((id) => lobbyOf(c.env, accountId).forgetVisitor(id)));
      const receipt: ErasureReceipt = {
        subject: who(subject),
        erasedAt: Date.now(),
        chats: erased.filter((chat) => chat !== null),
        liveVisitorsClosed: closed.reduce((a, b) => a + b, 0),
        more,
      };
      return c.json(receipt);
    },
  );
