// The D1 chat index after a hand-over (issue 5): who is in the chat, and, for a chat sent back to
// a department's queue, its new department and waiting status.
import { eq } from "drizzle-orm";
import { database } from "../server/db/index.ts";
import { chats } from "../server/db/schema.ts";
import { recordOperatorJoined, recordOperatorLeft } from "./chat-index.ts";

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
  await database(db).update(chats).set({ status: "waiting", departmentId: to.id, updatedAt: at }).where(eq(chats.id, chatId));
}
