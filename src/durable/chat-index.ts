// Keeps the D1 chat index in step with the rare events of a chat (start, join, transfer, close…).
// The ChatRoom makes these writes, after its own state is settled (the Lobby, which decides when a
// waiting chat is missed, makes that one). The per-message path never touches D1: the message
// log is the ChatRoom's alone.
import { and, eq, sql } from "drizzle-orm";
import { database } from "../server/db/index.ts";
import { chats } from "../server/db/schema.ts";
import type { Participant, Rating } from "../shared/protocol.ts";

/** Where the visitor was when the chat started (null: unknown). */
export type VisitorSeenFrom = { country: string | null; userAgent: string | null };

/** A new chat's row. Writing it again (a start made again after a failure) changes nothing. */
export async function recordChatStarted(
  db: D1Database,
  chat: {
    chatId: string;
    accountId: string;
    departmentId: string | null;
    visitor: Participant;
    visitorEmail: string | null;
    seenFrom?: VisitorSeenFrom | undefined;
    offline: boolean;
  },
) {
  await database(db)
    .insert(chats)
    .values({
      id: chat.chatId,
      accountId: chat.accountId,
      departmentId: chat.departmentId,
      visitorId: chat.visitor.id,
      visitorName: chat.visitor.name,
      visitorEmail: chat.visitorEmail,
      offline: chat.offline,
      visitorCountry: chat.seenFrom?.country ?? null,
      visitorUserAgent: chat.seenFrom?.userAgent ?? null,
    })
    .onConflictDoNothing();
}

export async function recordOperatorJoined(db: D1Database, chatId: string, operatorId: string, at: number) {
  // Both or neither: `chat_operators` remembers everyone who has been in the chat (history and
  // search filter by it), `operator_ids` who is in it now. A missed chat an operator takes after
  // all is under way like any other; the operator is appended to the JSON array once.
  await db.batch([
    db
      .prepare("INSERT INTO chat_operators (chat_id, operator_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .bind(chatId, operatorId),
    db
      .prepare(
        `UPDATE chats SET
           status = CASE WHEN status IN ('waiting', 'missed') THEN 'active' ELSE status END,
           operator_ids = CASE WHEN EXISTS (SELECT 1 FROM json_each(operator_ids) WHERE value = ?2)
             THEN operator_ids ELSE json_insert(operator_ids, '$[#]', ?2) END,
           updated_at = ?3
         WHERE id = ?1`,
      )
      .bind(chatId, operatorId, at),
  ]);
}

/** `operator_ids` lists the operators in the chat now, so a leave takes the operator out. */
export async function recordOperatorLeft(db: D1Database, chatId: string, operatorId: string, at: number) {
  await database(db)
    .update(chats)
    .set({
      operatorIds: sql`(SELECT coalesce(json_group_array(value), '[]') FROM json_each(${chats.operatorIds}) WHERE value <> ${operatorId})`,
      updatedAt: at,
    })
    .where(eq(chats.id, chatId));
}

/** A missed chat stays `missed` when its visitor closes it: admins look for those by status. */
export async function recordChatClosed(db: D1Database, chatId: string, at: number) {
  await database(db)
    .update(chats)
    .set({
      status: sql`CASE WHEN ${chats.status} = 'missed' THEN 'missed' ELSE 'closed' END`,
      closedAt: at,
      updatedAt: at,
    })
    .where(eq(chats.id, chatId));
}

/** The chat waited past the queue timeout and nobody took it (the account's Lobby decides). Only a
 * chat still waiting in the index moves: one an operator has joined meanwhile stays active. */
export async function recordChatMissed(db: D1Database, chatId: string, at: number) {
  await database(db)
    .update(chats)
    .set({ status: "missed", missedAt: at, updatedAt: at })
    .where(and(eq(chats.id, chatId), eq(chats.status, "waiting")));
}

export async function recordChatRated(
  db: D1Database,
  chatId: string,
  rating: Rating,
  comment: string | null,
  at: number,
) {
  await database(db).update(chats).set({ rating, ratingComment: comment, updatedAt: at }).where(eq(chats.id, chatId));
}

/** The chat waits for an operator again (a visitor's email reply reopened it): nobody is in it,
 * and it is no longer closed. */
export async function recordChatWaitingAgain(db: D1Database, chatId: string, at: number) {
  await database(db)
    .update(chats)
    .set({ status: "waiting", closedAt: null, operatorIds: "[]", updatedAt: at })
    .where(eq(chats.id, chatId));
}

/** Remembers the address a visitor wrote from, for a chat that had none (the console offers it
 * when sending the next transcript). An address the visitor gave earlier is kept. */
export async function recordVisitorEmailIfMissing(db: D1Database, chatId: string, email: string) {
  await database(db)
    .update(chats)
    .set({ visitorEmail: sql`coalesce(${chats.visitorEmail}, ${email})` })
    .where(eq(chats.id, chatId));
}

/** After a hand-over: who is in the chat now, and, for a chat sent back to a department's queue,
 * its new department and waiting status. */
export async function recordTransfer(
  db: D1Database,
  chatId: string,
  from: string,
  to: { kind: "operator"; id: string; stay: boolean } | { kind: "department"; id: string },
  at: number,
): Promise<void> {
  if (to.kind === "operator") {
    await recordOperatorJoined(db, chatId, to.id, at);
    if (!to.stay) await recordOperatorLeft(db, chatId, from, at);
    return;
  }
  await recordOperatorLeft(db, chatId, from, at);
  await database(db)
    .update(chats)
    .set({ status: "waiting", departmentId: to.id, updatedAt: at })
    .where(eq(chats.id, chatId));
}
