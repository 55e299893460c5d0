// Retention applied to chats that ended before it was set or changed (docs/privacy.md): a room
// that closes while retention is on keeps its own deletion alarm, but one that closed before has
// none, or one for the old setting. So when the setting is set or lowered, every ended chat the
// index lists is asked to apply it: the room reads the setting again and erases itself if past it,
// or sets its alarm for when it will be. A page at a time, by chat id; what one pass leaves goes on
// through the EVENTS queue as a `retention.sweep` message with the id to go on after.
import { chatRoomOf } from "../durable/chat-room.ts";

const PAGE = 50;
/** Pages per pass: what one request's waitUntil or one queue message should take on. */
const PAGES_PER_PASS = 10;

export type RetentionSweep = { type: "retention.sweep"; accountId: string; after: string };

export function isRetentionSweep(body: unknown): body is RetentionSweep {
  const sweep = body as RetentionSweep | null;
  return sweep?.type === "retention.sweep" && typeof sweep.accountId === "string" && typeof sweep.after === "string";
}

export async function sweepRetention(env: Env, accountId: string, after = ""): Promise<void> {
  for (let pass = 0; pass < PAGES_PER_PASS; pass++) {
    const { results } = await env.DB.prepare(
      "SELECT id FROM chats WHERE account_id = ? AND closed_at IS NOT NULL AND id > ? ORDER BY id LIMIT ?",
    )
      .bind(accountId, after, PAGE)
      .all<{ id: string }>();
    await Promise.all(results.map((row) => chatRoomOf(env, row.id).applyRetention()));
    if (results.length < PAGE) return;
    after = results.at(-1)!.id;
  }
  await env.EVENTS.send({ type: "retention.sweep", accountId, after } satisfies RetentionSweep);
}
